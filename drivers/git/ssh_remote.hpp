// The SSH side of a git remote, under the rules of skiff's SSH transport:
// the host written in the URL is looked up in ~/.ssh/config (HostName, User,
// Port, IdentityFile, UserKnownHostsFile), the client offers ssh-agent's
// keys and then the identity files, and the server's key must be in
// known_hosts. Host keys are checked strictly whatever StrictHostKeyChecking
// says: a reconcile runs unattended, so nobody would see a key accepted on
// first use, and a key that changed is refused as OpenSSH refuses it.
//
// RemoteAccess is what libgit2 asks while it talks to a remote (its
// credentials and certificate_check callbacks): for SSH the above, for
// https an access token, for file:// and local paths nothing.
//
// libgit2 1.5 connects to the host of the URL it is given and knows no
// ~/.ssh/config, so it is handed a URL with the resolved address, port and
// user (libgit2_ssh_url). ProxyJump cannot be followed: such a host is
// refused.
#pragma once

#include <git2.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "drivers/git/libgit2_source.hpp"
#include "drivers/ssh/openssh/known_hosts.hpp"
#include "drivers/ssh/openssh/ssh_config.hpp"
#include "drivers/ssh/ssh_target.hpp"

namespace skiff::drivers {

enum class SshUrlForm {
  kUrl,  // ssh://[user@]host[:port]/path (also git+ssh://, ssh+git://)
  kScp,  // [user@]host:path, or libgit2's [user@host:port]:path
};

// A remote over SSH as written.
struct SshGitUrl {
  SshUrlForm form = SshUrlForm::kUrl;
  std::string user;  // empty: not written
  std::string host;  // a Host of ~/.ssh/config or an address; IPv6 without brackets
  std::optional<int> port;
  // kUrl: from the first '/' on ("/srv/git/fleet.git", "/~/fleet.git");
  // kScp: after the colon, relative to the login's home unless it starts
  // with '/'.
  std::string path;
};

// Parses an URL for which is_ssh_git_url() holds. Fails on a missing host or
// path, a bad port, a password (never used over SSH), or a path libgit2
// could not quote for the server's shell (a ' or a control character).
Result<SshGitUrl> parse_ssh_git_url(std::string_view url);

// The target for `url`: ~/.ssh/config's options for the host written, the
// URL's user and port winning over the config's (as `ssh -p` and user@ win).
// Fails on a malformed config value, or a ProxyJump, which libgit2 cannot
// follow.
Result<SshTarget> ssh_target_for_url(const SshGitUrl& url, const SshConfig& config, const SshConfigEnv& env);

// The URL libgit2 connects to: `target`'s address, port and user in place
// of what `url` wrote, the same path, and the scp form kept where libgit2
// can read it (its paths are relative to the login's home, which an ssh://
// path cannot say to every server).
std::string libgit2_ssh_url(const SshGitUrl& url, const SshTarget& target);

// Ok when `known` holds `key` for target.address:target.port. Otherwise
// the refusal: an unknown key with its SHA256 fingerprint (as `skiff node
// status` and ssh-keygen -l print it) and the ssh-keyscan line that would
// add it; a changed key in OpenSSH's words, naming the old key's file:line;
// a revoked one.
Status check_ssh_host_key(const KnownHosts& known, const SshTarget& target, const HostKey& key);

// The user name sent with an https access token when the URL names none.
// GitHub and Gitea take any name with a token; GitLab wants "oauth2" for
// OAuth tokens, which a URL can say ("https://oauth2@gitlab.com/...").
inline constexpr std::string_view kTokenUser = "x-access-token";

class RemoteAccess {
 public:
  // What a fetch from options.url needs: for SSH the target resolved through
  // the ssh config (options.ssh_config_file, else <home>/.ssh/config, home
  // being options.home_dir or $HOME) and the keys to offer (the agent when
  // $SSH_AUTH_SOCK is set, then each identity file that exists); for https
  // options.https_token. Reads the ssh config and looks for the key files.
  static Result<RemoteAccess> open(const GitSourceOptions& options);

  // The URL to hand libgit2.
  const std::string& url() const { return url_; }

  // Points `callbacks` at this remote's credentials and host-key check and,
  // with an access token, keeps redirects on the host named (libgit2 would
  // send the token wherever the first request is redirected). Call it for
  // the connect options and again for the fetch options.
  // REQUIRES: *this outlives the connection and is not moved after.
  void install(git_remote_callbacks& callbacks, git_remote_redirect_t& follow_redirects);

  // Why a connect or download failed, as "WHAT: why": the refusal a
  // callback stored (libgit2 passes on only an error code), else libgit2's
  // message.
  Error failure(const std::string& what) const;

 private:
  enum class Kind { kLocal, kSsh, kHttps };
  enum class KeySource { kAgent, kFile };
  struct KeyCandidate {
    KeySource source = KeySource::kAgent;
    std::string private_key;  // kFile
    std::string public_key;   // kFile: "<private_key>.pub" when it exists, else empty
  };

  static int on_credentials(git_credential** out, const char* url, const char* user_from_url, unsigned int allowed_types,
                            void* payload);
  static int on_certificate(git_cert* cert, int valid, const char* host, void* payload);
  int ssh_credential(git_credential** out, const char* user_from_url, unsigned int allowed_types);
  int https_credential(git_credential** out, const char* user_from_url, unsigned int allowed_types);
  Status check_host_key(const git_cert_hostkey& cert) const;
  Error keys_exhausted() const;
  int refuse(Error error, int code);
  std::string login() const;

  Kind kind_ = Kind::kLocal;
  std::string url_;
  SshTarget target_;
  std::vector<KeyCandidate> keys_;
  size_t next_key_ = 0;
  std::string https_token_;
  bool token_offered_ = false;
  std::optional<Error> refusal_;
};

}  // namespace skiff::drivers
