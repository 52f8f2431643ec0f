// TreeEnvironment: the files of one commit (a git tree read into memory) as
// the evaluator's file system, so that a job file and what its file()
// calls read come from the same commit and nothing else: not a working
// tree, not the machine's files. The tree's root stands at "/", and the
// current directory is the root, so "jobs/web.nomad.hcl" and
// "/jobs/web.nomad.hcl" name the same file. Trees hold no symbolic links,
// so a real path is the path made lexically normal. Variables, the home
// directory and random bytes come from `outside` (the machine's).
#pragma once

#include <map>
#include <string>

#include "parser/environment.hpp"

namespace skiff::parser {

class TreeEnvironment : public Environment {
 public:
  // `files`: paths relative to the tree's root ("jobs/web.nomad.hcl") and
  // their bytes; `what`: how a missing file's error names the tree
  // ("commit 1a2b3c4d5e6f"). REQUIRES: `outside` outlives this.
  TreeEnvironment(std::map<std::string, std::string> files, std::string what, const Environment& outside);

  Result<std::string> read_file(const std::string& path) const override;
  bool file_exists(const std::string& path) const override;
  std::vector<std::string> list_files_recursive(const std::string& dir) const override;
  std::optional<std::string> real_path(const std::string& path) const override;
  std::optional<std::string> getenv(const std::string& name) const override;
  std::vector<std::string> environ() const override;
  std::string home_dir() const override;
  std::string current_dir() const override;
  Result<std::vector<uint8_t>> random_bytes(size_t count) const override;

  const std::map<std::string, std::string>& files() const { return files_; }

 private:
  // `path` as a key of files_ ("" for the root), or nullopt when it names
  // a place outside the tree ("../x").
  std::optional<std::string> key_of(const std::string& path) const;

  std::map<std::string, std::string> files_;
  std::string what_;
  const Environment& outside_;
};

}  // namespace skiff::parser
