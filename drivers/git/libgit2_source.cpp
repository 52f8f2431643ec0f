#include "drivers/git/libgit2_source.hpp"

#include <git2.h>
#include <sys/stat.h>

#include <filesystem>
#include <mutex>
#include <optional>
#include <vector>

#include "base/digest.hpp"
#include "base/text.hpp"
#include "drivers/git/ssh_remote.hpp"

namespace skiff::drivers {

namespace {

namespace fs = std::filesystem;

template <typename T>
using Owned = std::unique_ptr<T, void (*)(T*)>;

void init_libgit2() {
  static std::once_flag once;
  std::call_once(once, [] { git_libgit2_init(); });
}

// libgit2's last error, as a message's tail.
std::string git_message() {
  const git_error* e = git_error_last();
  return e && e->message ? base::terminal_safe(e->message) : std::string("unknown libgit2 error");
}

Error git_failure(const std::string& what) { return make_error(ErrorCode::kUnavailable, what + ": " + git_message()); }

bool is_commit_id(const std::string& ref) {
  if (ref.size() != GIT_OID_HEXSZ) return false;
  for (char c : ref)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

std::string oid_hex(const git_oid& oid) {
  char hex[GIT_OID_HEXSZ + 1] = {};
  git_oid_tostr(hex, sizeof hex, &oid);
  return hex;
}

// The ref names `ref` may stand for on the remote, in the order git
// resolves a short name; a tag's peeled entry ("^{}") first, which names the
// commit an annotated tag points at.
std::vector<std::string> candidate_names(const std::string& ref) {
  if (ref.empty()) return {"HEAD"};
  if (ref.rfind("refs/", 0) == 0) return {ref + "^{}", ref};
  return {"refs/heads/" + ref, "refs/tags/" + ref + "^{}", "refs/tags/" + ref};
}

// "", "." and "./" are the root; "deploy/prod/" is "deploy/prod".
Result<std::string> normal_folder(std::string folder) {
  while (folder.rfind("./", 0) == 0) folder.erase(0, 2);
  while (!folder.empty() && folder.back() == '/') folder.pop_back();
  if (folder == ".") folder.clear();
  if (!folder.empty() && (folder.front() == '/' || !base::is_file_path_below(folder)))
    return make_error(ErrorCode::kInvalidArgument, "--path \"" + folder + "\" must be a folder inside the repository");
  return folder;
}

class Libgit2Source : public GitSource {
 public:
  Libgit2Source(GitSourceOptions options, Owned<git_repository> repo) : options_(std::move(options)), repo_(std::move(repo)) {}

  Result<GitCommit> fetch() override {
    // Opened for each fetch, so that a long reconcile takes a changed
    // ~/.ssh/config or key file at its next cycle.
    Result<RemoteAccess> access = RemoteAccess::open(options_);
    if (!access.ok()) return access.error().wrap("git fetch " + options_.url);
    git_remote* raw_remote = nullptr;
    if (git_remote_create_anonymous(&raw_remote, repo_.get(), access->url().c_str()) != 0)
      return git_failure("git remote " + options_.url);
    Owned<git_remote> remote(raw_remote, git_remote_free);
    // The _init functions rather than the _INIT macros, which leave fields
    // to the compiler's zeroing (and its warnings).
    git_remote_connect_options connect_options;
    git_remote_connect_options_init(&connect_options, GIT_REMOTE_CONNECT_OPTIONS_VERSION);
    access->install(connect_options.callbacks, connect_options.follow_redirects);
    if (git_remote_connect_ext(remote.get(), GIT_DIRECTION_FETCH, &connect_options) != 0)
      return access->failure("git fetch " + options_.url);
    Result<git_oid> wanted = advertised(remote.get());
    if (!wanted.ok()) return wanted.error();
    // Branches and tags land under their own names, so the next fetch
    // sends them as what the cache has and downloads only what is new.
    char heads[] = "+refs/heads/*:refs/heads/*";
    char tags[] = "+refs/tags/*:refs/tags/*";
    char* specs[] = {heads, tags};
    git_strarray refspecs{specs, 2};
    git_fetch_options fetch_options;
    git_fetch_options_init(&fetch_options, GIT_FETCH_OPTIONS_VERSION);
    fetch_options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
    access->install(fetch_options.callbacks, fetch_options.follow_redirects);
    if (git_remote_download(remote.get(), &refspecs, &fetch_options) != 0 ||
        git_remote_update_tips(remote.get(), &fetch_options.callbacks, 0, GIT_REMOTE_DOWNLOAD_TAGS_NONE, "skiff fetch") != 0)
      return access->failure("git fetch " + options_.url);
    git_remote_disconnect(remote.get());
    return commit_of(*wanted);
  }

  Result<GitTree> read_tree(const std::string& id, const std::string& folder) override {
    Result<std::string> below = normal_folder(folder);
    if (!below.ok()) return below.error();
    git_oid oid;
    if (!is_commit_id(id) || git_oid_fromstr(&oid, id.c_str()) != 0)
      return make_error(ErrorCode::kInvalidArgument, "\"" + id + "\" is not a commit id");
    Result<GitCommit> commit = commit_of(oid);
    if (!commit.ok()) return commit.error();
    git_commit* raw_commit = nullptr;
    git_tree* raw_root = nullptr;
    if (git_commit_lookup(&raw_commit, repo_.get(), &oid) != 0) return git_failure("commit " + id);
    Owned<git_commit> owned_commit(raw_commit, git_commit_free);
    if (git_commit_tree(&raw_root, raw_commit) != 0) return git_failure("the tree of commit " + id);
    Owned<git_tree> tree(raw_root, git_tree_free);
    if (!below->empty()) {
      git_tree_entry* raw_entry = nullptr;
      if (git_tree_entry_bypath(&raw_entry, raw_root, below->c_str()) != 0)
        return make_error(ErrorCode::kNotFound, "commit " + id.substr(0, 12) + " has no folder \"" + *below + "\"");
      Owned<git_tree_entry> entry(raw_entry, git_tree_entry_free);
      git_tree* raw_sub = nullptr;
      if (git_tree_entry_type(raw_entry) != GIT_OBJECT_TREE ||
          git_tree_lookup(&raw_sub, repo_.get(), git_tree_entry_id(raw_entry)) != 0)
        return make_error(ErrorCode::kNotFound, "\"" + *below + "\" in commit " + id.substr(0, 12) + " is not a folder");
      tree.reset(raw_sub);
    }
    Walk walk{repo_.get(), options_.max_tree_bytes, {}, 0, std::nullopt};
    walk.tree.commit = std::move(*commit);
    if (git_tree_walk(tree.get(), GIT_TREEWALK_PRE, &Libgit2Source::visit, &walk) != 0 && !walk.error)
      return git_failure("read commit " + id);
    if (walk.error) return *walk.error;
    return std::move(walk.tree);
  }

  Result<CommitSignature> signature(const std::string& id) override {
    git_oid oid;
    if (!is_commit_id(id) || git_oid_fromstr(&oid, id.c_str()) != 0)
      return make_error(ErrorCode::kInvalidArgument, "\"" + id + "\" is not a commit id");
    git_commit* raw = nullptr;
    if (git_commit_lookup(&raw, repo_.get(), &oid) != 0)
      return make_error(ErrorCode::kNotFound, "commit " + id + " is not in " + options_.url + "'s branches and tags");
    Owned<git_commit> commit(raw, git_commit_free);
    // Only a "gpgsig" header signs a commit, as git reads it. libgit2's
    // extract also takes a "gpgsig" line from the message, which would let a
    // signed commit's payload be replayed as an unsigned commit's message.
    git_buf header{};
    const int in_header = git_commit_header_field(&header, raw, "gpgsig");
    git_buf_dispose(&header);
    if (in_header == GIT_ENOTFOUND) return CommitSignature{};
    if (in_header != 0) return git_failure("the signature of commit " + id);
    git_buf signature{}, signed_data{};
    const int extracted = git_commit_extract_signature(&signature, &signed_data, repo_.get(), &oid, "gpgsig");
    CommitSignature out;
    if (extracted == 0 && signature.ptr && signed_data.ptr)
      out = {std::string(signature.ptr, signature.size), std::string(signed_data.ptr, signed_data.size)};
    git_buf_dispose(&signature);
    git_buf_dispose(&signed_data);
    if (extracted != 0) return git_failure("the signature of commit " + id);
    return out;
  }

 private:
  struct Walk {
    git_repository* repo;
    uint64_t max_bytes;
    GitTree tree;
    uint64_t bytes;
    std::optional<Error> error;
  };

  // One entry of the tree: a file's bytes are kept; links and submodules
  // are passed over.
  static int visit(const char* root, const git_tree_entry* entry, void* payload) {
    Walk& walk = *static_cast<Walk*>(payload);
    const git_filemode_t mode = git_tree_entry_filemode(entry);
    if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE) return 0;
    git_blob* raw = nullptr;
    if (git_blob_lookup(&raw, walk.repo, git_tree_entry_id(entry)) != 0) return -1;
    Owned<git_blob> blob(raw, git_blob_free);
    const auto size = static_cast<uint64_t>(git_blob_rawsize(raw));
    walk.bytes += size;
    if (walk.bytes > walk.max_bytes) {
      walk.error = make_error(ErrorCode::kInvalidArgument,
                              "the files below the folder hold more than " + std::to_string(walk.max_bytes >> 20) + " MiB");
      return -1;
    }
    walk.tree.files[std::string(root) + git_tree_entry_name(entry)] =
        std::string(static_cast<const char*>(git_blob_rawcontent(raw)), size);
    return 0;
  }

  // The commit the remote advertises for the followed ref.
  Result<git_oid> advertised(git_remote* remote) {
    if (is_commit_id(options_.ref)) {
      git_oid oid;
      git_oid_fromstr(&oid, options_.ref.c_str());
      return oid;
    }
    const git_remote_head** heads = nullptr;
    size_t count = 0;
    if (git_remote_ls(&heads, &count, remote) != 0) return git_failure("git ls-remote " + options_.url);
    for (const std::string& name : candidate_names(options_.ref))
      for (size_t i = 0; i < count; ++i)
        if (name == heads[i]->name) return heads[i]->oid;
    return make_error(ErrorCode::kNotFound,
                      options_.ref.empty() ? options_.url + " has no HEAD (an empty repository?)"
                                           : options_.url + " has no branch or tag \"" + options_.ref + "\"");
  }

  Result<GitCommit> commit_of(const git_oid& oid) {
    git_commit* raw = nullptr;
    if (git_commit_lookup(&raw, repo_.get(), &oid) != 0)
      return make_error(ErrorCode::kNotFound, "commit " + oid_hex(oid) + " is not in " + options_.url + "'s branches and tags");
    Owned<git_commit> commit(raw, git_commit_free);
    GitCommit out;
    out.id = oid_hex(oid);
    const git_signature* author = git_commit_author(raw);
    if (author) out.author = std::string(author->name ? author->name : "") + " <" + (author->email ? author->email : "") + ">";
    const char* summary = git_commit_summary(raw);
    out.summary = summary ? summary : "";
    out.time_unix = static_cast<int64_t>(git_commit_time(raw));
    return out;
  }

  GitSourceOptions options_;
  Owned<git_repository> repo_;
};

}  // namespace

bool is_ssh_git_url(const std::string& url) {
  if (url.rfind("ssh://", 0) == 0 || url.rfind("git+ssh://", 0) == 0 || url.rfind("ssh+git://", 0) == 0) return true;
  if (url.find("://") != std::string::npos) return false;
  // scp-like: [user@]host:path, the colon before any slash.
  const size_t colon = url.find(':');
  const size_t slash = url.find('/');
  return colon != std::string::npos && colon > 0 && (slash == std::string::npos || colon < slash);
}

Result<std::unique_ptr<GitSource>> open_libgit2_source(const GitSourceOptions& options) {
  if (options.url.empty()) return make_error(ErrorCode::kInvalidArgument, "--repo: no repository given");
  if (options.url.find("://") != std::string::npos && options.url.rfind("file://", 0) != 0 &&
      options.url.rfind("https://", 0) != 0 && !is_ssh_git_url(options.url))
    return make_error(ErrorCode::kUnsupported,
                      "--repo " + options.url +
                          ": only https://, file:// and local paths are taken, and SSH (ssh:// or user@host:path); "
                          "git:// and http:// are not: nothing checks what they bring");
  // A malformed SSH URL or ssh config fails here rather than at the first
  // fetch.
  if (Result<RemoteAccess> access = RemoteAccess::open(options); !access.ok())
    return access.error().wrap("--repo " + options.url);
  init_libgit2();
  std::error_code ec;
  // Made 0700 when new; a folder that was there keeps its mode (-cache-dir
  // may name one the user owns for more than this).
  const bool made = fs::create_directories(options.cache_dir, ec);
  if (ec) return make_error(ErrorCode::kIo, "cache directory " + options.cache_dir + ": " + ec.message());
  if (made) ::chmod(options.cache_dir.c_str(), 0700);
  const std::string path = options.cache_dir + "/" + base::sha256_hex_prefix(options.url, 16) + ".git";
  git_repository* raw = nullptr;
  const bool exists = fs::exists(path, ec);
  if (exists ? git_repository_open_bare(&raw, path.c_str()) != 0 : git_repository_init(&raw, path.c_str(), 1) != 0)
    return git_failure("git cache " + path);
  return std::unique_ptr<GitSource>(std::make_unique<Libgit2Source>(options, Owned<git_repository>(raw, git_repository_free)));
}

}  // namespace skiff::drivers
