#include "drivers/ssh/openssh/known_hosts.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "drivers/ssh/host_key_verifier.hpp"
#include "drivers/ssh/openssh/base64.hpp"

using namespace skiff::drivers;

namespace {

// Fixed keys made with `ssh-keygen -t ed25519|ecdsa -N '' -C ''`; the
// fingerprints are what `ssh-keygen -lf` printed for them.
constexpr const char* kEd25519 = "AAAAC3NzaC1lZDI1NTE5AAAAIKoz4wC/uYV709HFT3Gr52z/28I5IiqB5bWcJ+V0RUeA";
constexpr const char* kEd25519Fingerprint = "SHA256:4ITfYy4uXQc+S/B0VSK5MInRiX/53NaCt96m3DJKcOY";
constexpr const char* kOther = "AAAAC3NzaC1lZDI1NTE5AAAAICl2mQ+XfeiycwikOAV2F7yErvAAVvXHDKG/lxx+PoI9";
constexpr const char* kOtherFingerprint = "SHA256:1EKRQ8GQYkSMvGBSsWoRhMNqjQyrZAzCm1lvQIonVd0";
constexpr const char* kEcdsa =
    "AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBMcEMN08dwZS2A7tSQ0klnrGQZTCTs8gz2USxYhLrdl9eiCag90E+HnN7GQkE3"
    "qpabYOq5jUMvXazqc3OAHLsvg=";
// `ssh-keygen -H` of "web1.example.com" and "[db.example.com]:2222", both kEd25519.
constexpr const char* kHashedWeb1 = "|1|l0cXciSF4J49o1fx9ZVlPoeFeck=|pT2NY4xnMsJfFsIvo+EuwAzNSjg=";
constexpr const char* kHashedDb2222 = "|1|ZXGnbmokSog7yS+qfFz/k9Mb2Fc=|iFvs9nZ+m3ek5+XCgR+eBXHYxnM=";

HostKey key(HostKeyType type, const char* b64) { return HostKey{type, *base64_decode(b64)}; }
HostKey ed(const char* b64) { return key(HostKeyType::kEd25519, b64); }

std::string line(const std::string& hosts, const std::string& type, const char* b64) {
  return hosts + " " + type + " " + b64 + "\n";
}

}  // namespace

TEST_CASE("fingerprints print as OpenSSH prints them", "[drivers]") {
  CHECK(sha256_fingerprint(*base64_decode(kEd25519)) == kEd25519Fingerprint);
  CHECK(sha256_fingerprint(*base64_decode(kOther)) == kOtherFingerprint);
}

TEST_CASE("base64 round-trips", "[drivers]") {
  for (std::string s : {"", "a", "ab", "abc", "abcd", "\xff\x00\x01"}) {
    CHECK(base64_decode(base64_encode(s)) == s);
  }
  CHECK(base64_encode("ab", Padding::kNoPad) == "YWI");
  CHECK_FALSE(base64_decode("a*b="));
}

TEST_CASE("known_host_name brackets non-default ports", "[drivers]") {
  CHECK(known_host_name("Web1", 22) == "web1");
  CHECK(known_host_name("10.0.0.1", 2222) == "[10.0.0.1]:2222");
}

TEST_CASE("plain entries: host lists, ports, wildcards, negation", "[drivers]") {
  KnownHosts kh;
  kh.add_text("# comment\n\n" + line("a.example.com,10.0.0.1", "ssh-ed25519", kEd25519) +
                  line("[10.0.0.2]:2222", "ssh-ed25519", kEd25519) + line("*.lab,!bad.lab", "ssh-ed25519", kEd25519) +
                  line("node-?", "ssh-ed25519", kEd25519),
              "kh");
  auto k = ed(kEd25519);
  CHECK(kh.check("a.example.com", 22, k).status == HostKeyStatus::kMatch);
  CHECK(kh.check("A.EXAMPLE.COM", 22, k).status == HostKeyStatus::kMatch);
  CHECK(kh.check("10.0.0.1", 22, k).status == HostKeyStatus::kMatch);
  CHECK(kh.check("10.0.0.1", 2222, k).status == HostKeyStatus::kUnknown);
  CHECK(kh.check("10.0.0.2", 2222, k).status == HostKeyStatus::kMatch);
  CHECK(kh.check("10.0.0.2", 22, k).status == HostKeyStatus::kUnknown);
  CHECK(kh.check("x.lab", 22, k).status == HostKeyStatus::kMatch);
  CHECK(kh.check("bad.lab", 22, k).status == HostKeyStatus::kUnknown);
  CHECK(kh.check("node-7", 22, k).status == HostKeyStatus::kMatch);
  CHECK(kh.check("node-17", 22, k).status == HostKeyStatus::kUnknown);
}

TEST_CASE("hashed entries match the name and port they were made for", "[drivers]") {
  KnownHosts kh;
  kh.add_text(line(kHashedWeb1, "ssh-ed25519", kEd25519) + line(kHashedDb2222, "ssh-ed25519", kEd25519), "kh");
  auto k = ed(kEd25519);
  CHECK(kh.check("web1.example.com", 22, k).status == HostKeyStatus::kMatch);
  CHECK(kh.check("WEB1.example.com", 22, k).status == HostKeyStatus::kMatch);
  CHECK(kh.check("web1.example.com", 2222, k).status == HostKeyStatus::kUnknown);
  CHECK(kh.check("db.example.com", 2222, k).status == HostKeyStatus::kMatch);
  CHECK(kh.check("db.example.com", 22, k).status == HostKeyStatus::kUnknown);
  CHECK(kh.check("web2.example.com", 22, k).status == HostKeyStatus::kUnknown);
  CHECK(kh.check("web1.example.com", 22, ed(kOther)).status == HostKeyStatus::kChanged);
}

TEST_CASE("a changed key names the file and line of the old one", "[drivers]") {
  KnownHosts kh;
  kh.add_text("# first\n" + line("other", "ssh-ed25519", kOther) + line("h1", "ssh-ed25519", kEd25519), "/x/known_hosts");
  auto check = kh.check("h1", 22, ed(kOther));
  REQUIRE(check.status == HostKeyStatus::kChanged);
  CHECK(check.entry->file == "/x/known_hosts");
  CHECK(check.entry->line == 3);
  std::string message = changed_host_message("h1", 22, ed(kOther), *check.entry);
  CHECK_THAT(message, Catch::Contains("REMOTE HOST IDENTIFICATION HAS CHANGED"));
  CHECK_THAT(message, Catch::Contains("Offending ED25519 key in /x/known_hosts:3"));
  CHECK_THAT(message, Catch::Contains(kOtherFingerprint));
}

TEST_CASE("an entry of another key type is neither a match nor a change", "[drivers]") {
  KnownHosts kh;
  kh.add_text(line("h1", "ecdsa-sha2-nistp256", kEcdsa), "kh");
  CHECK(kh.check("h1", 22, ed(kEd25519)).status == HostKeyStatus::kUnknown);
  CHECK(kh.check("h1", 22, key(HostKeyType::kEcdsa256, kEcdsa)).status == HostKeyStatus::kMatch);
  CHECK(kh.known_types("h1", 22) == std::vector<HostKeyType>{HostKeyType::kEcdsa256});
}

TEST_CASE("several keys of one type: any may match", "[drivers]") {
  KnownHosts kh;
  kh.add_text(line("h1", "ssh-ed25519", kOther) + line("h1", "ssh-ed25519", kEd25519), "kh");
  CHECK(kh.check("h1", 22, ed(kEd25519)).status == HostKeyStatus::kMatch);
}

TEST_CASE("markers: @revoked refuses, @cert-authority is skipped", "[drivers]") {
  KnownHosts kh;
  kh.add_text("@revoked * ssh-ed25519 " + std::string(kOther) + "\n" + line("h1", "ssh-ed25519", kOther) +
                  "@cert-authority *.lab ssh-ed25519 " + kEd25519 + "\n",
              "kh");
  CHECK(kh.check("h1", 22, ed(kOther)).status == HostKeyStatus::kRevoked);
  CHECK(kh.check("x.lab", 22, ed(kEd25519)).status == HostKeyStatus::kUnknown);
  CHECK(kh.entries().size() == 2);
}

TEST_CASE("malformed lines are skipped", "[drivers]") {
  KnownHosts kh;
  kh.add_text("h1\nh1 ssh-ed25519\nh1 ssh-foo AAAA\nh1 ssh-ed25519 !!!\r\n" + line("h2", "ssh-ed25519", kEd25519), "kh");
  REQUIRE(kh.entries().size() == 1);
  CHECK(kh.entries()[0].line == 5);
}

TEST_CASE("unknown host message carries the fingerprint", "[drivers]") {
  std::string m = unknown_host_message("10.0.0.5", 2222, ed(kEd25519));
  CHECK_THAT(m, Catch::Contains("[10.0.0.5]:2222"));
  CHECK_THAT(m, Catch::Contains(std::string("ED25519 key fingerprint ") + kEd25519Fingerprint));
}

TEST_CASE("accept-new lines append and read back", "[drivers]") {
  auto dir = std::filesystem::temp_directory_path() / ("skiff-kh-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::string file = (dir / "sub" / "known_hosts").string();
  REQUIRE(append_known_host(file, known_hosts_line("10.0.0.5", 2222, ed(kEd25519))).ok());
  {
    std::ofstream out(file, std::ios::app);
    out << "# no newline at end";
  }
  REQUIRE(append_known_host(file, known_hosts_line("h2", 22, ed(kOther))).ok());
  auto kh = load_known_hosts({file, (dir / "missing").string()});
  REQUIRE(kh.ok());
  CHECK(kh->check("10.0.0.5", 2222, ed(kEd25519)).status == HostKeyStatus::kMatch);
  auto h2 = kh->check("h2", 22, ed(kOther));
  REQUIRE(h2.status == HostKeyStatus::kMatch);
  CHECK(h2.entry->line == 3);
  std::filesystem::remove_all(dir);
}

TEST_CASE("a long-lived verifier reads known_hosts again when the file changed", "[drivers]") {
  auto dir = std::filesystem::temp_directory_path() / ("skiff-khv-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string file = (dir / "known_hosts").string();
  std::ofstream(file) << line("10.0.0.5", "ssh-ed25519", kEd25519);
  SshTarget target;
  target.address = "10.0.0.5";
  target.known_hosts_files = {file};
  HostKeyVerifier verifier;
  CHECK(verifier.verify(target, ed(kEd25519)).ok());
  // The host was re-keyed and known_hosts edited: the old key is refused
  // at once, the new one trusted, without a new verifier.
  std::ofstream(file, std::ios::trunc) << "# re-keyed\n" << line("10.0.0.5", "ssh-ed25519", kOther);
  skiff::Status old_key = verifier.verify(target, ed(kEd25519));
  REQUIRE_FALSE(old_key.ok());
  CHECK_THAT(old_key.error().message, Catch::Contains(file + ":2"));
  CHECK(verifier.verify(target, ed(kOther)).ok());
  std::filesystem::remove_all(dir);
}
