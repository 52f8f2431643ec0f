// The SSH side of a git remote without a server: URLs in both forms parsed
// and rewritten for libgit2, the host resolved through an ssh config, host
// keys judged against known_hosts, and the credentials libgit2's callbacks
// hand out (the keys in turn, then a clear refusal; an https token once).
#include "drivers/git/ssh_remote.hpp"

#include <git2/sys/credential.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>

#include "drivers/ssh/openssh/base64.hpp"
#include "support/test_files.hpp"

using namespace skiff::drivers;
namespace fs = std::filesystem;
using skiff::Status;
using skiff::testing::write_test_file;

namespace {

// Fixed keys made with `ssh-keygen -t ed25519|ecdsa -N '' -C ''`, and what
// `ssh-keygen -lf` printed for the first two.
constexpr const char* kEd25519 = "AAAAC3NzaC1lZDI1NTE5AAAAIKoz4wC/uYV709HFT3Gr52z/28I5IiqB5bWcJ+V0RUeA";
constexpr const char* kEd25519Fingerprint = "SHA256:4ITfYy4uXQc+S/B0VSK5MInRiX/53NaCt96m3DJKcOY";
constexpr const char* kOther = "AAAAC3NzaC1lZDI1NTE5AAAAICl2mQ+XfeiycwikOAV2F7yErvAAVvXHDKG/lxx+PoI9";
constexpr const char* kOtherFingerprint = "SHA256:1EKRQ8GQYkSMvGBSsWoRhMNqjQyrZAzCm1lvQIonVd0";
constexpr const char* kEcdsa =
    "AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBMcEMN08dwZS2A7tSQ0klnrGQZTCTs8gz2USxYhLrdl9eiCag90E+HnN7GQkE3"
    "qpabYOq5jUMvXazqc3OAHLsvg=";

HostKey ed(const char* b64) { return HostKey{HostKeyType::kEd25519, *base64_decode(b64)}; }

SshGitUrl parsed(const std::string& url) {
  auto result = parse_ssh_git_url(url);
  if (!result.ok()) FAIL(url << ": " << result.error().message);
  return *result;
}

std::string refusal(const std::string& url) {
  auto result = parse_ssh_git_url(url);
  REQUIRE_FALSE(result.ok());
  return result.error().message;
}

// A home of its own, removed at scope exit; libgit2 ready for its error
// and credential calls.
struct Home {
  fs::path dir;
  Home() {
    git_libgit2_init();
    static int counter = 0;
    dir = fs::temp_directory_path() / ("skiff-ssh-remote-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    fs::remove_all(dir);
    fs::create_directories(dir / ".ssh");
  }
  ~Home() {
    std::error_code ec;
    fs::remove_all(dir, ec);
    git_libgit2_shutdown();
  }
  GitSourceOptions options(const std::string& url) const {
    GitSourceOptions o{url, "", (dir / "cache").string()};
    o.home_dir = dir.string();
    return o;
  }
};

SshTarget target(const std::string& address, int port, const std::string& user = "git") {
  SshTarget t;
  t.address = address;
  t.port = port;
  t.user = user;
  t.known_hosts_files = {"/home/ada/.ssh/known_hosts"};
  return t;
}

// What libgit2 gets from `access`'s callbacks for a credential request.
struct Asked {
  int code = 0;
  git_credential* credential = nullptr;
  ~Asked() {
    if (credential) git_credential_free(credential);
  }
};

void ask(RemoteAccess& access, const char* user, unsigned int types, Asked& asked) {
  git_remote_callbacks callbacks;
  git_remote_init_callbacks(&callbacks, GIT_REMOTE_CALLBACKS_VERSION);
  git_remote_redirect_t redirects = GIT_REMOTE_REDIRECT_INITIAL;
  access.install(callbacks, redirects);
  REQUIRE(callbacks.credentials != nullptr);
  asked.code = callbacks.credentials(&asked.credential, access.url().c_str(), user, types, callbacks.payload);
}

}  // namespace

TEST_CASE("ssh remote: both URL forms give host, port, user and path", "[git]") {
  SshGitUrl url = parsed("ssh://git@git.example.com:2222/srv/git/fleet.git");
  CHECK(url.form == SshUrlForm::kUrl);
  CHECK(url.user == "git");
  CHECK(url.host == "git.example.com");
  CHECK(url.port == 2222);
  CHECK(url.path == "/srv/git/fleet.git");

  url = parsed("git+ssh://example.com/~/fleet.git");
  CHECK(url.user.empty());
  CHECK(url.port == std::nullopt);
  CHECK(url.path == "/~/fleet.git");
  url = parsed("ssh://ada@[::1]:22/fleet.git");
  CHECK(url.host == "::1");
  CHECK(url.port == 22);

  url = parsed("git@github.com:acme/fleet.git");
  CHECK(url.form == SshUrlForm::kScp);
  CHECK(url.user == "git");
  CHECK(url.host == "github.com");
  CHECK(url.port == std::nullopt);
  CHECK(url.path == "acme/fleet.git");
  url = parsed("gitbox:/srv/git/fleet.git");
  CHECK(url.user.empty());
  CHECK(url.host == "gitbox");
  CHECK(url.path == "/srv/git/fleet.git");
  url = parsed("[git@gitbox:2222]:acme/fleet.git");
  CHECK(url.host == "gitbox");
  CHECK(url.port == 2222);
  CHECK(url.path == "acme/fleet.git");
  url = parsed("ada@[fe80::1]:fleet.git");
  CHECK(url.host == "fe80::1");
  CHECK(url.path == "fleet.git");

  CHECK(refusal("git@:acme/fleet.git") == "not an SSH remote libgit2 can use: no host");
  CHECK(refusal("ssh://example.com") == "not an SSH remote libgit2 can use: no repository path");
  CHECK(refusal("ssh://example.com/") == "not an SSH remote libgit2 can use: no repository path");
  CHECK(refusal("ssh://example.com:99999/x") == "not an SSH remote libgit2 can use: the port 99999 is out of range");
  CHECK(refusal("ssh://example.com:ssh/x") == "not an SSH remote libgit2 can use: the port \"ssh\" is not a number");
  CHECK(refusal("ssh://git:hunter2@example.com/x") ==
        "not an SSH remote libgit2 can use: a password in the URL is never used over SSH (use a key or ssh-agent)");
  CHECK_THAT(refusal("git@example.com:it's.git"), Catch::Contains("a quote or a control character"));
  CHECK_THAT(refusal("git@example.com:a\nb"), Catch::Contains("a quote or a control character"));
}

TEST_CASE("ssh remote: libgit2 gets the resolved address, port and user, in the form written", "[git]") {
  CHECK(libgit2_ssh_url(parsed("gh:acme/fleet.git"), target("github.com", 22)) == "git@github.com:acme/fleet.git");
  // libgit2's bracketed scp form is the only one that keeps a relative path
  // and carries a port.
  CHECK(libgit2_ssh_url(parsed("box:acme/fleet.git"), target("10.0.0.5", 2222)) == "[git@10.0.0.5:2222]:acme/fleet.git");
  CHECK(libgit2_ssh_url(parsed("ssh://box/srv/fleet.git"), target("10.0.0.5", 2222, "ada")) ==
        "ssh://ada@10.0.0.5:2222/srv/fleet.git");
  CHECK(libgit2_ssh_url(parsed("box:fleet.git"), target("::1", 22)) == "ssh://git@[::1]:22/~/fleet.git");
  CHECK(libgit2_ssh_url(parsed("box:~ada/fleet.git"), target("::1", 22)) == "ssh://git@[::1]:22/~ada/fleet.git");
}

TEST_CASE("ssh remote: the host is resolved through the ssh config; the URL's user and port win", "[git]") {
  const SshConfigEnv env{"/home/ada", "ada"};
  auto config = SshConfig::parse(
      "Host gitbox\n  HostName 10.0.0.5\n  User git\n  Port 2222\n  IdentityFile ~/.ssh/deploy\n"
      "  UserKnownHostsFile ~/.ssh/known_git\n"
      "Host jumpy\n  ProxyJump bastion\n",
      "config", env);
  REQUIRE(config.ok());

  auto box = ssh_target_for_url(parsed("gitbox:acme/fleet.git"), *config, env);
  REQUIRE(box.ok());
  CHECK(box->address == "10.0.0.5");
  CHECK(box->port == 2222);
  CHECK(box->user == "git");
  CHECK(box->identity_files == std::vector<std::string>{"/home/ada/.ssh/deploy"});
  CHECK(box->known_hosts_files == std::vector<std::string>{"/home/ada/.ssh/known_git"});

  auto given = ssh_target_for_url(parsed("ssh://deploy@gitbox:22/acme/fleet.git"), *config, env);
  REQUIRE(given.ok());
  CHECK(given->user == "deploy");
  CHECK(given->port == 22);

  // Nothing in the config: the local user, port 22, OpenSSH's default files.
  auto plain = ssh_target_for_url(parsed("example.com:fleet.git"), *config, env);
  REQUIRE(plain.ok());
  CHECK(plain->user == "ada");
  CHECK(plain->port == 22);
  CHECK(plain->identity_files.back() == "/home/ada/.ssh/id_ed25519");
  CHECK(plain->known_hosts_files.front() == "/home/ada/.ssh/known_hosts");

  auto jump = ssh_target_for_url(parsed("jumpy:fleet.git"), *config, env);
  REQUIRE_FALSE(jump.ok());
  CHECK(jump.error().message ==
        "the ssh config gives \"jumpy\" a ProxyJump (bastion), which git over SSH cannot follow: libgit2 connects to the "
        "host directly");
}

TEST_CASE("ssh remote: the host key must be in known_hosts; unknown and changed keys are refused", "[git]") {
  KnownHosts known;
  known.add_text("[git.example.com]:2222 ssh-ed25519 " + std::string(kEd25519) + "\n" + "ecdsa.example.com ecdsa-sha2-nistp256 " +
                     kEcdsa + "\n" + "@revoked old.example.com ssh-ed25519 " + kOther + "\n",
                 "/home/ada/.ssh/known_hosts");

  CHECK(check_ssh_host_key(known, target("git.example.com", 2222), ed(kEd25519)).ok());

  Status unknown = check_ssh_host_key(known, target("new.example.com", 22), ed(kEd25519));
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().message ==
        std::string("host key of new.example.com:22 is not known (") + kEd25519Fingerprint +
            "): check that ED25519 fingerprint, then add the key to /home/ada/.ssh/known_hosts "
            "(ssh-keyscan -t ed25519 new.example.com >> /home/ada/.ssh/known_hosts)");

  // Same name on another port is another host, as in OpenSSH.
  Status other_port = check_ssh_host_key(known, target("git.example.com", 22), ed(kEd25519));
  REQUIRE_FALSE(other_port.ok());
  CHECK_THAT(other_port.error().message, Catch::StartsWith("host key of git.example.com:22 is not known"));

  Status changed = check_ssh_host_key(known, target("git.example.com", 2222), ed(kOther));
  REQUIRE_FALSE(changed.ok());
  CHECK_THAT(changed.error().message,
             Catch::StartsWith("WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED for "
                               "[git.example.com]:2222!"));
  CHECK_THAT(changed.error().message, Catch::Contains(kOtherFingerprint));
  CHECK_THAT(changed.error().message, Catch::Contains("Offending ED25519 key in /home/ada/.ssh/known_hosts:1"));

  // The server may present another type than the one recorded.
  Status other_type = check_ssh_host_key(known, target("ecdsa.example.com", 22), ed(kEd25519));
  REQUIRE_FALSE(other_type.ok());
  CHECK_THAT(other_type.error().message,
             Catch::Contains("; known_hosts holds its ECDSA key, but the server presented its ED25519 key: "));

  Status revoked = check_ssh_host_key(known, target("old.example.com", 22), ed(kOther));
  REQUIRE_FALSE(revoked.ok());
  CHECK(revoked.error().message ==
        std::string("host key of old.example.com:22 (") + kOtherFingerprint +
            ") is marked as revoked in /home/ada/.ssh/known_hosts:3");
}

TEST_CASE("ssh remote: libgit2's host-key callback takes only keys known_hosts holds", "[git]") {
  Home home;
  write_test_file(home.dir / ".ssh/known_hosts", "[git.example.com]:2222 ssh-ed25519 " + std::string(kEd25519) + "\n");
  auto access = RemoteAccess::open(home.options("ssh://git@git.example.com:2222/fleet.git"));
  REQUIRE(access.ok());
  CHECK(access->url() == "ssh://git@git.example.com:2222/fleet.git");
  git_remote_callbacks callbacks;
  git_remote_init_callbacks(&callbacks, GIT_REMOTE_CALLBACKS_VERSION);
  git_remote_redirect_t redirects = GIT_REMOTE_REDIRECT_INITIAL;
  access->install(callbacks, redirects);
  REQUIRE(callbacks.certificate_check != nullptr);

  const std::string known = *base64_decode(kEd25519);
  git_cert_hostkey cert{};
  cert.parent.cert_type = GIT_CERT_HOSTKEY_LIBSSH2;
  cert.type = GIT_CERT_SSH_RAW;
  cert.raw_type = GIT_CERT_SSH_RAW_TYPE_KEY_ED25519;
  cert.hostkey = known.data();
  cert.hostkey_len = known.size();
  CHECK(callbacks.certificate_check(&cert.parent, 0, "git.example.com", callbacks.payload) == 0);

  // A type libgit2 could not name is read from the key itself.
  const std::string other = *base64_decode(kOther);
  cert.raw_type = GIT_CERT_SSH_RAW_TYPE_UNKNOWN;
  cert.hostkey = other.data();
  cert.hostkey_len = other.size();
  CHECK(callbacks.certificate_check(&cert.parent, 1, "git.example.com", callbacks.payload) == GIT_ECERTIFICATE);
  const std::string message = access->failure("git fetch X").message;
  CHECK_THAT(message, Catch::StartsWith("git fetch X: WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED"));
  CHECK_THAT(message, Catch::Contains(kOtherFingerprint));

  // An https certificate stays libgit2's to judge.
  git_cert x509{GIT_CERT_X509};
  CHECK(callbacks.certificate_check(&x509, 1, "git.example.com", callbacks.payload) == GIT_PASSTHROUGH);
}

TEST_CASE("ssh remote: the keys are offered in turn, then the fetch gives up naming them", "[git]") {
  Home home;
  write_test_file(home.dir / ".ssh/config",
                  "Host gitbox\n  HostName 127.0.0.1\n  User git\n  IdentityFile ~/.ssh/first\n"
                  "  IdentityFile ~/.ssh/missing\n  IdentityFile ~/.ssh/second\n");
  write_test_file(home.dir / ".ssh/first", "key\n");
  write_test_file(home.dir / ".ssh/second", "key\n");
  write_test_file(home.dir / ".ssh/second.pub", "ssh-ed25519 AAAA\n");
  auto access = RemoteAccess::open(home.options("gitbox:acme/fleet.git"));
  REQUIRE(access.ok());
  CHECK(access->url() == "git@127.0.0.1:acme/fleet.git");
  const std::string first = (home.dir / ".ssh/first").string();
  const std::string second = (home.dir / ".ssh/second").string();

  const char* sock = std::getenv("SSH_AUTH_SOCK");
  const bool agent = sock && *sock;
  if (agent) {
    Asked from_agent;
    ask(*access, "git", GIT_CREDENTIAL_SSH_KEY, from_agent);
    REQUIRE(from_agent.code == 0);
    CHECK(reinterpret_cast<git_credential_ssh_key*>(from_agent.credential)->privatekey == nullptr);
  }
  Asked one;
  ask(*access, "git", GIT_CREDENTIAL_SSH_KEY, one);
  REQUIRE(one.code == 0);
  auto* key = reinterpret_cast<git_credential_ssh_key*>(one.credential);
  CHECK(std::string(key->username) == "git");
  CHECK(std::string(key->privatekey) == first);
  CHECK(key->publickey == nullptr);

  Asked two;
  ask(*access, "git", GIT_CREDENTIAL_SSH_KEY, two);
  REQUIRE(two.code == 0);
  key = reinterpret_cast<git_credential_ssh_key*>(two.credential);
  CHECK(std::string(key->privatekey) == second);
  CHECK(std::string(key->publickey) == second + ".pub");

  Asked none_left;
  ask(*access, "git", GIT_CREDENTIAL_SSH_KEY, none_left);
  CHECK(none_left.code == GIT_EAUTH);
  CHECK(access->failure("git fetch gitbox:acme/fleet.git").message ==
        "git fetch gitbox:acme/fleet.git: ssh git@127.0.0.1:22: the server accepted none of the keys offered (" +
            std::string(agent ? "ssh-agent, " : "") + first + ", " + second + ")");
}

TEST_CASE("ssh remote: with no agent and no key file, the refusal lists the files looked for", "[git]") {
  Home home;
  const char* sock = std::getenv("SSH_AUTH_SOCK");
  if (sock && *sock) return;  // an agent is a key to offer
  auto access = RemoteAccess::open(home.options("ssh://git@example.com/fleet.git"));
  REQUIRE(access.ok());
  Asked asked;
  ask(*access, "git", GIT_CREDENTIAL_SSH_KEY, asked);
  CHECK(asked.code == GIT_EAUTH);
  const std::string ssh = (home.dir / ".ssh").string();
  CHECK(access->failure("git fetch").message ==
        "git fetch: ssh git@example.com:22: no key to offer: $SSH_AUTH_SOCK names no ssh-agent and none of the identity "
        "files exists (" +
            ssh + "/id_rsa, " + ssh + "/id_ecdsa, " + ssh + "/id_ed25519)");
}

TEST_CASE("ssh remote: an https token is the password once, never in a message", "[git]") {
  Home home;
  GitSourceOptions options = home.options("https://git.example.com/acme/fleet.git");
  options.https_token = "ghp_s3cret";
  auto access = RemoteAccess::open(options);
  REQUIRE(access.ok());
  git_remote_callbacks callbacks;
  git_remote_init_callbacks(&callbacks, GIT_REMOTE_CALLBACKS_VERSION);
  git_remote_redirect_t redirects = GIT_REMOTE_REDIRECT_INITIAL;
  access->install(callbacks, redirects);
  // The token must not follow a redirect to another host.
  CHECK(redirects == GIT_REMOTE_REDIRECT_NONE);
  CHECK(callbacks.certificate_check == nullptr);

  Asked first;
  ask(*access, nullptr, GIT_CREDENTIAL_USERPASS_PLAINTEXT, first);
  REQUIRE(first.code == 0);
  auto* userpass = reinterpret_cast<git_credential_userpass_plaintext*>(first.credential);
  CHECK(std::string(userpass->username) == "x-access-token");
  CHECK(std::string(userpass->password) == "ghp_s3cret");

  Asked again;
  ask(*access, nullptr, GIT_CREDENTIAL_USERPASS_PLAINTEXT, again);
  CHECK(again.code == GIT_EAUTH);
  const std::string message = access->failure("git fetch https://git.example.com/acme/fleet.git").message;
  CHECK_THAT(message, Catch::Contains("the server refused the access token"));
  CHECK_THAT(message, !Catch::Contains("s3cret"));

  // A user in the URL is kept (GitLab's "oauth2").
  auto gitlab = RemoteAccess::open(options);
  REQUIRE(gitlab.ok());
  Asked oauth;
  ask(*gitlab, "oauth2", GIT_CREDENTIAL_USERPASS_PLAINTEXT, oauth);
  REQUIRE(oauth.code == 0);
  CHECK(std::string(reinterpret_cast<git_credential_userpass_plaintext*>(oauth.credential)->username) == "oauth2");

  // No token: a clear refusal instead of libgit2's "no callback set".
  options.https_token.clear();
  auto without = RemoteAccess::open(options);
  REQUIRE(without.ok());
  git_remote_redirect_t untouched = GIT_REMOTE_REDIRECT_INITIAL;
  without->install(callbacks, untouched);
  CHECK(untouched == GIT_REMOTE_REDIRECT_INITIAL);
  Asked no_token;
  ask(*without, nullptr, GIT_CREDENTIAL_USERPASS_PLAINTEXT, no_token);
  CHECK(no_token.code == GIT_EAUTH);
  CHECK(without->failure("git fetch X").message == "git fetch X: the server asks for credentials, and no access token was given");
}

TEST_CASE("ssh remote: file:// and local paths get no callbacks", "[git]") {
  Home home;
  auto access = RemoteAccess::open(home.options("file:///srv/git/fleet.git"));
  REQUIRE(access.ok());
  git_remote_callbacks callbacks;
  git_remote_init_callbacks(&callbacks, GIT_REMOTE_CALLBACKS_VERSION);
  git_remote_redirect_t redirects = GIT_REMOTE_REDIRECT_INITIAL;
  access->install(callbacks, redirects);
  CHECK(callbacks.credentials == nullptr);
  CHECK(callbacks.certificate_check == nullptr);
  CHECK(access->url() == "file:///srv/git/fleet.git");
}
