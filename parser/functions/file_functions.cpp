// File functions (go-cty-funcs' filesystem package): file, filebase64,
// fileexists, fileset read through the Environment, relative to the job
// file's directory, and refuse any path that resolves outside the job's
// directory tree (ctx.root_dir, or ctx.base_dir when that is empty), so that
// a job file cannot read ~/.ssh or /etc. basename, dirname, abspath and
// pathexpand only compute paths.
//
// The check is made twice: on the path as written (after resolving "." and
// ".."), then on its real path, every symbolic link on the way followed
// (Environment::real_path), against the root's real path. So a committed
// link `k -> /etc/secret` cannot carry file("k") out of the tree, while a
// link to another file inside it still works. What is read is the real
// path, which holds no link left to follow.
#include "parser/functions/function_support.hpp"
#include "parser/functions/path_glob.hpp"

namespace skiff::parser {

namespace {

const Environment& environment(const FunctionContext& ctx) {
  if (ctx.env == nullptr) fail_call("file functions are not available here");
  return *ctx.env;
}

std::string absolute(const FunctionContext& ctx, const std::string& path) {
  if (is_absolute(path)) return clean_path(path);
  return join_path(environment(ctx).current_dir(), path);
}

// go-homedir's Expand: a leading "~" or "~/" becomes the home directory.
std::string expand_home(const FunctionContext& ctx, const std::string& path) {
  if (path.empty() || path[0] != '~') return path;
  if (path.size() > 1 && path[1] != '/') fail_call("cannot expand user-specific home dir");
  return join_path(environment(ctx).home_dir(), path.substr(1));
}

std::string root_dir(const FunctionContext& ctx) { return absolute(ctx, ctx.root_dir.empty() ? ctx.base_dir : ctx.root_dir); }

// `path` with every symbolic link on its way followed; refused (argument
// `index`) when that leaves the root's own real path.
std::string real_inside_root(const FunctionContext& ctx, const std::string& written, const std::string& path, size_t index,
                             std::string_view parameter) {
  const Environment& env = environment(ctx);
  const std::string root = root_dir(ctx);
  const std::optional<std::string> real_root = env.real_path(root);
  const std::optional<std::string> real = env.real_path(path);
  if (!real) {
    fail_argument(index, parameter,
                  "the path \"" + written + "\" cannot be resolved (a symbolic link on its way loops or cannot be read)");
  }
  if (!path_within(*real, real_root.value_or(root))) {
    fail_argument(index, parameter,
                  "the path \"" + written + "\" resolves through a symbolic link to " + *real +
                      ", which is outside the job's directory tree (" + real_root.value_or(root) +
                      "); file functions may only read files below it, and a link may only point inside it");
  }
  return *real;
}

// The real path of the file `path` names, relative to the file's directory;
// refused when it, as written or through a symbolic link, is outside the
// root.
std::string resolve_inside_root(const FunctionContext& ctx, const std::string& path, size_t index, std::string_view parameter) {
  std::string base = absolute(ctx, ctx.base_dir.empty() ? "." : ctx.base_dir);
  std::string resolved = is_absolute(path) ? clean_path(path) : join_path(base, path);
  std::string root = root_dir(ctx);
  if (!path_within(resolved, root)) {
    fail_argument(index, parameter,
                  "the path \"" + path + "\" resolves to " + resolved + ", which is outside the job's directory tree (" + root +
                      "); file functions may only read files below it");
  }
  return real_inside_root(ctx, path, resolved, index, parameter);
}

std::string read_contents(const FunctionContext& ctx, Args args) {
  std::string path = expand_home(ctx, string_arg(args, 0, "path"));
  std::string resolved = resolve_inside_root(ctx, path, 0, "path");
  const Environment& env = environment(ctx);
  Result<std::string> contents = env.read_file(resolved);
  if (!contents.ok()) {
    if (!env.file_exists(resolved)) fail_call("no file exists at " + resolved);
    fail_call("failed to read " + resolved);
  }
  return std::move(contents).value();
}

Value file(Args args, const FunctionContext& ctx) {
  std::string contents = read_contents(ctx, args);
  if (!valid_utf8(contents)) {
    fail_call("contents of " + string_arg(args, 0, "path") +
              " are not valid UTF-8; use the filebase64 function to obtain the Base64 encoded contents or the other "
              "file functions (e.g. filemd5, filesha256) to obtain file hashing results instead");
  }
  return Value::string(std::move(contents));
}

Value filebase64(Args args, const FunctionContext& ctx) { return Value::string(encode_base64(read_contents(ctx, args))); }

Value fileexists(Args args, const FunctionContext& ctx) {
  std::string path = expand_home(ctx, string_arg(args, 0, "path"));
  std::string resolved = resolve_inside_root(ctx, path, 0, "path");
  return Value::boolean(environment(ctx).file_exists(resolved));
}

// fileset(path, pattern): the files below `path` matching `pattern`, as
// paths relative to `path` with '/' separators, in a set (sorted).
Value fileset(Args args, const FunctionContext& ctx) {
  std::string path = string_arg(args, 0, "path");
  std::string pattern = string_arg(args, 1, "pattern");
  std::string resolved = resolve_inside_root(ctx, path, 0, "path");
  const Environment& env = environment(ctx);
  const std::string root = env.real_path(root_dir(ctx)).value_or(root_dir(ctx));
  ValueList matches;
  for (const std::string& alternative : expand_braces(pattern)) {
    std::string full = join_path(resolved, alternative);
    std::string search_dir = literal_prefix(full);
    if (!path_within(search_dir, root)) {
      fail_argument(1, "pattern", "the pattern \"" + pattern + "\" reaches outside the job's directory tree (" + root + ")");
    }
    // Listed where its links lead, named as written.
    const std::string real_search_dir = real_inside_root(ctx, pattern, search_dir, 1, "pattern");
    for (const std::string& relative : env.list_files_recursive(real_search_dir)) {
      std::string candidate = join_path(search_dir, relative);
      std::optional<bool> matched = glob_match(full, candidate);
      if (!matched) fail_call("failed to glob pattern (" + full + "): syntax error in pattern");
      if (*matched) matches.push_back(Value::string(relative_path(resolved, candidate)));
    }
  }
  return make_set(std::move(matches));
}

Value basename(Args args, const FunctionContext&) { return Value::string(base_name(string_arg(args, 0, "path"))); }
Value dirname(Args args, const FunctionContext&) { return Value::string(dir_name(string_arg(args, 0, "path"))); }
Value abspath(Args args, const FunctionContext& ctx) { return Value::string(absolute(ctx, string_arg(args, 0, "path"))); }
Value pathexpand(Args args, const FunctionContext& ctx) { return Value::string(expand_home(ctx, string_arg(args, 0, "path"))); }

}  // namespace

std::vector<FunctionSpec> file_function_specs() {
  return {
      {"file", 1, 1, false, file},       {"filebase64", 1, 1, false, filebase64}, {"fileexists", 1, 1, false, fileexists},
      {"fileset", 2, 2, false, fileset}, {"basename", 1, 1, false, basename},     {"dirname", 1, 1, false, dirname},
      {"abspath", 1, 1, false, abspath}, {"pathexpand", 1, 1, false, pathexpand},
  };
}

}  // namespace skiff::parser
