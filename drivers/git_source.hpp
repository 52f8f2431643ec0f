// GitSource: the git repository a reconcile follows. It brings the remote's
// ref up to date in a cache of its own and reads a commit's files from the
// commit's tree, never from a working tree, so that nothing half-written or
// edited by hand is ever applied. One real implementation
// (drivers/git/libgit2_source.hpp); tests may fake it.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "base/result.hpp"

namespace skiff::drivers {

struct GitCommit {
  std::string id;       // 40 hex digits
  std::string author;   // "Name <email>"
  std::string summary;  // the message's first line
  int64_t time_unix = 0;
};

// The files of one commit below one folder: each path relative to that
// folder ("jobs/web.nomad.hcl"), with its bytes. Symbolic links and
// submodules are not files here: a link's target is never read.
struct GitTree {
  GitCommit commit;
  std::map<std::string, std::string> files;
};

// A commit's signature as git verifies it: the armoured text of its
// "gpgsig" header, and the bytes it signs (the commit object without that
// header). Both are empty for an unsigned commit.
struct CommitSignature {
  std::string signature;
  std::string signed_data;
};

class GitSource {
 public:
  virtual ~GitSource() = default;

  // Brings the followed ref up to date from the remote; the commit it names
  // now.
  virtual Result<GitCommit> fetch() = 0;

  // The files of commit `id` (fetched before) below `folder` ("" or "." for
  // the root; "deploy/prod"). Fails when the commit or the folder is not
  // there, or the files are larger than the source allows.
  virtual Result<GitTree> read_tree(const std::string& id, const std::string& folder) = 0;

  // The signature of commit `id` (fetched before), not yet verified: an
  // unsigned commit is a CommitSignature with an empty signature, not an
  // error. Fails when the commit is not there.
  virtual Result<CommitSignature> signature(const std::string& id) = 0;
};

}  // namespace skiff::drivers
