// SSH commit signatures against real repositories and real keys: commits
// signed by git (gpg.format=ssh) with ed25519 keys made by ssh-keygen, read
// back through the libgit2 source, and verified against an allowed-signers
// file as `git verify-commit` would: the allowed key is good, and an
// unsigned commit, an unknown key, changed data, an expired key, a GPG
// armour and a signature hidden in a message are not.
#include "drivers/git/ssh_signature.hpp"

#include <git2.h>
#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <optional>

#include "drivers/git/libgit2_source.hpp"
#include "drivers/shell_quote.hpp"
#include "support/git_repo.hpp"
#include "support/test_files.hpp"

using namespace skiff::drivers;
namespace fs = std::filesystem;
using skiff::testing::read_test_file;
using skiff::testing::write_test_file;

namespace {

// `command` through the shell (its words test-made and quoted); its output.
// The calling test fails when the command does.
std::string run(const std::string& command) {
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string out;
  char buffer[4096];
  for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
  INFO(command << "\n" << out);
  REQUIRE(::pclose(pipe) == 0);
  return out;
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

// An environment variable set for one scope, then put back.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = ::getenv(name)) old_ = old;
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_) ::setenv(name_, old_->c_str(), 1);
    else ::unsetenv(name_);
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

// A repository whose commits git signs with SSH keys made beside it.
struct SignedRemote : skiff::testing::GitRepo {
  SignedRemote() : GitRepo("remote") { fs::create_directories(root / "tmp"); }

  // A new ed25519 key without a passphrase; its private half's path.
  std::string make_key(const std::string& name) const {
    const std::string key = (root / "keys" / name).string();
    fs::create_directories(root / "keys");
    run("ssh-keygen -q -t ed25519 -N '' -C " + shell_quote(name) + " -f " + shell_quote(key));
    return key;
  }
  static std::string public_key(const std::string& key) { return first_line(read_test_file(key + ".pub")); }
  // "SHA256:...", as ssh-keygen -l prints it.
  static std::string fingerprint(const std::string& key) {
    const std::string line = run("ssh-keygen -l -f " + shell_quote(key + ".pub"));
    const size_t start = line.find(' ') + 1;
    return line.substr(start, line.find(' ', start) - start);
  }
  std::string allowed_signers(const std::string& text) const {
    write_test_file(root / "allowed_signers", text);
    return (root / "allowed_signers").string();
  }
  std::string signed_commit(const std::string& key, const std::string& message) const {
    git("-c gpg.format=ssh -c user.signingkey=" + shell_quote(key) + " commit -q -S --allow-empty -m " + shell_quote(message));
    return head();
  }
  // The signature of commit `id` as the libgit2 source reads it, fetched.
  CommitSignature signature_of(const std::string& id) const {
    GitSourceOptions options;
    options.url = url();
    options.cache_dir = (root / "cache").string();
    auto source = open_libgit2_source(options);
    REQUIRE(source.ok());
    REQUIRE((*source)->fetch().ok());
    auto signature = (*source)->signature(id);
    if (!signature.ok()) FAIL(signature.error().message);
    return *signature;
  }
  bool temp_dir_empty() const { return fs::is_empty(root / "tmp"); }
};

SignatureVerdict verify(const CommitSignature& signature, const std::string& allowed_signers) {
  auto verdict = verify_ssh_signature(signature, allowed_signers);
  if (!verdict.ok()) FAIL(verdict.error().message);
  return *verdict;
}

}  // namespace

TEST_CASE("ssh signature: a commit signed with an allowed key is good, its principal the email", "[ssh_signature]") {
  SignedRemote r;
  ScopedEnv tmpdir("TMPDIR", (r.root / "tmp").string());
  const std::string key = r.make_key("ada");
  const std::string allowed = r.allowed_signers("ada@example.com namespaces=\"git\" " + r.public_key(key) + "\n");
  const std::string id = r.signed_commit(key, "signed");
  // git itself agrees before skiff is asked.
  r.git("-c gpg.ssh.allowedSignersFile=" + shell_quote(allowed) + " verify-commit " + id);

  const CommitSignature signature = r.signature_of(id);
  CHECK(signature.signature.rfind("-----BEGIN SSH SIGNATURE-----\n", 0) == 0);
  CHECK(signature.signed_data.rfind("tree ", 0) == 0);
  CHECK(signature.signed_data.find("gpgsig") == std::string::npos);
  CHECK(signature.signed_data.find("\n\nsigned\n") != std::string::npos);

  const SignatureVerdict verdict = verify(signature, allowed);
  CHECK(verdict.good);
  CHECK(verdict.principal == "ada@example.com");
  CHECK(verdict.key_fingerprint == r.fingerprint(key));
  CHECK(verdict.reason.empty());
  CHECK(r.temp_dir_empty());
}

TEST_CASE("ssh signature: an unsigned commit is refused as unsigned", "[ssh_signature]") {
  SignedRemote r;
  const std::string key = r.make_key("ada");
  const std::string allowed = r.allowed_signers("ada@example.com namespaces=\"git\" " + r.public_key(key) + "\n");
  const CommitSignature signature = r.signature_of(r.commit("plain"));
  CHECK(signature.signature.empty());
  CHECK(signature.signed_data.empty());
  const SignatureVerdict verdict = verify(signature, allowed);
  CHECK_FALSE(verdict.good);
  CHECK(verdict.reason == "unsigned");
}

TEST_CASE("ssh signature: a key no principal allows is refused, named by its fingerprint", "[ssh_signature]") {
  SignedRemote r;
  ScopedEnv tmpdir("TMPDIR", (r.root / "tmp").string());
  const std::string ada = r.make_key("ada");
  const std::string eve = r.make_key("eve");
  const std::string allowed = r.allowed_signers("ada@example.com namespaces=\"git\" " + r.public_key(ada) + "\n");
  const SignatureVerdict verdict = verify(r.signature_of(r.signed_commit(eve, "by eve")), allowed);
  CHECK_FALSE(verdict.good);
  CHECK(verdict.principal.empty());
  CHECK(verdict.key_fingerprint == r.fingerprint(eve));
  CHECK(verdict.reason == "no principal in " + allowed + " allows key " + r.fingerprint(eve));
  CHECK(r.temp_dir_empty());
}

TEST_CASE("ssh signature: changed data, or a key allowed for another namespace, does not verify", "[ssh_signature]") {
  SignedRemote r;
  const std::string ada = r.make_key("ada");
  const std::string eve = r.make_key("eve");
  const std::string allowed = r.allowed_signers("ada@example.com namespaces=\"git\" " + r.public_key(ada) + "\n");

  CommitSignature changed = r.signature_of(r.signed_commit(ada, "signed"));
  const size_t message = changed.signed_data.find("\n\nsigned\n");
  REQUIRE(message != std::string::npos);
  changed.signed_data.replace(message, 9, "\n\nforged\n");
  SignatureVerdict verdict = verify(changed, allowed);
  CHECK_FALSE(verdict.good);
  CHECK(verdict.principal.empty());
  CHECK_THAT(verdict.reason, Catch::StartsWith("signature does not verify: "));

  // An unknown key over changed data: no key to name, only the failure.
  CommitSignature unknown = r.signature_of(r.signed_commit(eve, "by eve"));
  unknown.signed_data += "more\n";
  CHECK_THAT(verify(unknown, allowed).reason, Catch::StartsWith("signature does not verify"));

  const std::string files_only = r.allowed_signers("ada@example.com namespaces=\"file\" " + r.public_key(ada) + "\n");
  verdict = verify(r.signature_of(r.signed_commit(ada, "signed again")), files_only);
  CHECK_FALSE(verdict.good);
  CHECK_THAT(verdict.reason, Catch::Contains("not permitted for use in signature namespace"));
}

TEST_CASE("ssh signature: a key's validity is checked at the commit's time, as git does", "[ssh_signature]") {
  SignedRemote r;
  const std::string key = r.make_key("ada");
  const std::string allowed =
      r.allowed_signers("ada@example.com namespaces=\"git\",valid-before=\"20200101\" " + r.public_key(key) + "\n");
  const SignatureVerdict now = verify(r.signature_of(r.signed_commit(key, "made today")), allowed);
  CHECK_FALSE(now.good);
  CHECK_THAT(now.reason, Catch::StartsWith("no principal in " + allowed + " allows key SHA256:"));

  std::string old_id;
  {
    ScopedEnv date("GIT_COMMITTER_DATE", "2019-06-01T12:00:00Z");
    old_id = r.signed_commit(key, "made in 2019");
  }
  const SignatureVerdict then = verify(r.signature_of(old_id), allowed);
  CHECK(then.good);
  CHECK(then.principal == "ada@example.com");
}

TEST_CASE("ssh signature: a GPG armour, or a signature in the message rather than the header, is not SSH's", "[ssh_signature]") {
  SignedRemote r;
  const std::string key = r.make_key("ada");
  const std::string allowed = r.allowed_signers("ada@example.com namespaces=\"git\" " + r.public_key(key) + "\n");
  const CommitSignature gpg{"-----BEGIN PGP SIGNATURE-----\n\niQEz\n-----END PGP SIGNATURE-----", "tree 0\n\nx\n"};
  CHECK(verify(gpg, allowed).reason == "signed with a GPG/X.509 signature, not SSH");
  const CommitSignature odd{"-----BEGIN SOMETHING-----\n", "tree 0\n\nx\n"};
  CHECK(verify(odd, allowed).reason == "signed with a signature that is not SSH");

  // A signed commit's payload with its signature moved to the message's
  // end: the same bytes signed, but git reads this commit as unsigned.
  const CommitSignature signed_one = r.signature_of(r.signed_commit(key, "signed"));
  std::string moved = signed_one.signed_data + "gpgsig ";
  for (char c : signed_one.signature) moved += c == '\n' ? std::string("\n ") : std::string(1, c);
  moved += "\n";
  write_test_file(r.root / "moved.commit", moved);
  const std::string replay = first_line(r.git("hash-object -t commit -w " + shell_quote((r.root / "moved.commit").string())));
  r.git("update-ref refs/heads/main " + replay);
  CHECK(r.git("log -1 --format=%G? " + replay) == "N\n");

  // libgit2's extract alone would take it as signed over those bytes.
  git_repository* repo = nullptr;
  REQUIRE(git_repository_open(&repo, r.work.c_str()) == 0);
  git_oid oid;
  git_oid_fromstr(&oid, replay.c_str());
  git_buf raw_signature{}, raw_data{};
  CHECK(git_commit_extract_signature(&raw_signature, &raw_data, repo, &oid, "gpgsig") == 0);
  CHECK(std::string(raw_data.ptr, raw_data.size) == signed_one.signed_data);
  git_buf_dispose(&raw_signature);
  git_buf_dispose(&raw_data);
  git_repository_free(repo);

  const CommitSignature read = r.signature_of(replay);
  CHECK(read.signature.empty());
  CHECK(verify(read, allowed).reason == "unsigned");
}

TEST_CASE("ssh signature: what stops a verdict is an error", "[ssh_signature]") {
  SignedRemote r;
  ScopedEnv tmpdir("TMPDIR", (r.root / "tmp").string());
  const std::string allowed = r.allowed_signers("ada@example.com namespaces=\"git\" ssh-ed25519 AAAA\n");
  const CommitSignature ssh{"-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----", "tree 0\n\nx\n"};

  auto missing = verify_ssh_signature(ssh, (r.root / "nowhere").string());
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message == "allowed signers file " + (r.root / "nowhere").string() + ": No such file or directory");
  auto folder = verify_ssh_signature(ssh, r.root.string());
  REQUIRE_FALSE(folder.ok());
  CHECK(folder.error().message == "allowed signers file " + r.root.string() + ": not a file");

  {
    ScopedEnv path("PATH", (r.root / "no-bin").string());
    auto no_keygen = verify_ssh_signature(ssh, allowed);
    REQUIRE_FALSE(no_keygen.ok());
    CHECK_THAT(no_keygen.error().message, Catch::Contains("install openssh-client"));
  }
  // An ssh-keygen that never stops talking is cut off and killed.
  write_test_file(r.root / "fake-bin/ssh-keygen", "#!/bin/sh\nexec /usr/bin/yes\n");
  fs::permissions(r.root / "fake-bin/ssh-keygen", fs::perms::owner_all);
  {
    ScopedEnv path("PATH", (r.root / "fake-bin").string());
    auto chatty = verify_ssh_signature(ssh, allowed);
    REQUIRE_FALSE(chatty.ok());
    CHECK(chatty.error().message == "ssh-keygen -Y find-principals printed more than 256 KiB");
  }
  // One that predates -Y find-principals says so in its usage.
  write_test_file(r.root / "fake-bin/ssh-keygen", "#!/bin/sh\necho 'usage: ssh-keygen [-q]' >&2\nexit 1\n");
  {
    ScopedEnv path("PATH", (r.root / "fake-bin").string());
    auto old = verify_ssh_signature(ssh, allowed);
    REQUIRE_FALSE(old.ok());
    CHECK_THAT(old.error().message, Catch::Contains("ssh-keygen is too old"));
  }
  CHECK(r.temp_dir_empty());

  r.commit("one");
  GitSourceOptions options;
  options.url = r.url();
  options.cache_dir = (r.root / "cache").string();
  auto source = open_libgit2_source(options);
  REQUIRE(source.ok());
  REQUIRE((*source)->fetch().ok());
  auto not_an_id = (*source)->signature("HEAD");
  REQUIRE_FALSE(not_an_id.ok());
  CHECK(not_an_id.error().message == "\"HEAD\" is not a commit id");
  auto not_there = (*source)->signature(std::string(40, 'a'));
  REQUIRE_FALSE(not_there.ok());
  CHECK(not_there.error().code == skiff::ErrorCode::kNotFound);
}
