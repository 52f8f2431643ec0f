#include "drivers/ssh/ssh_auth.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

using namespace skiff::drivers;

namespace {

// Made with `ssh-keygen -t ed25519 -C ''`: one with -N '', one with -N secret.
constexpr const char* kPlainKey = R"(-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
QyNTUxOQAAACCqM+MAv7mFe9PRxU9xq+ds/9vCOSIqgeW1nCfldEVHgAAAAIh9g5tzfYOb
cwAAAAtzc2gtZWQyNTUxOQAAACCqM+MAv7mFe9PRxU9xq+ds/9vCOSIqgeW1nCfldEVHgA
AAAECkKW9xAX2+eF90vcsVSWF8n2i/g7eL3MRdp1W8PmcfKaoz4wC/uYV709HFT3Gr52z/
28I5IiqB5bWcJ+V0RUeAAAAAAAECAwQF
-----END OPENSSH PRIVATE KEY-----
)";
constexpr const char* kEncryptedKey = R"(-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAACmFlczI1Ni1jdHIAAAAGYmNyeXB0AAAAGAAAABBxHPT32T
a2z8W7ibVYFTYjAAAAEAAAAAEAAAAzAAAAC3NzaC1lZDI1NTE5AAAAILZHWfldhujJfxkD
FEqlil6P0p+WAP3+AGwveYbz5PWaAAAAkKcLThWnZpasF7X9Bs/ItpdOG2UpQH4KlpCjzS
EevcY85h7fe/hXaGHggK/B/LnEmrDo7Hl4rUC6Q9K0qXb5vgPcq6KHJPc+QzIohY4hfbnp
y2bJ3WJGNn1js5vkJf7rKE9J00lY6jW7kYxrUFRwVHxoIdWj40t+0t/EmZBPbzgg3CCNSP
tVnXLOzn+oISER6A==
-----END OPENSSH PRIVATE KEY-----
)";

}  // namespace

TEST_CASE("inspect_key_file tells encrypted keys apart", "[drivers]") {
  auto dir = std::filesystem::temp_directory_path() / ("skiff-keys-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "plain") << kPlainKey;
  std::ofstream(dir / "enc") << kEncryptedKey;
  std::ofstream(dir / "pem") << "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: x\n\nAAAA\n";
  CHECK(inspect_key_file((dir / "plain").string()) == KeyFileState::kPlain);
  CHECK(inspect_key_file((dir / "enc").string()) == KeyFileState::kEncrypted);
  CHECK(inspect_key_file((dir / "pem").string()) == KeyFileState::kEncrypted);
  CHECK(inspect_key_file((dir / "none").string()) == KeyFileState::kMissing);
  std::filesystem::remove_all(dir);
}
