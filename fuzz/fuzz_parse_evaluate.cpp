// libFuzzer target: arbitrary bytes through parse → evaluate → decode →
// validate, as `skiff validate` runs them. Any crash, sanitizer report,
// leak or hang is a bug. File functions see an empty in-memory file system
// and the environment is fixed, so runs are reproducible.
#include <cstddef>
#include <cstdint>
#include <string>

#include "parser/load.hpp"

namespace {

class FuzzEnvironment : public skiff::parser::Environment {
 public:
  skiff::Result<std::string> read_file(const std::string& path) const override {
    return skiff::make_error(skiff::ErrorCode::kNotFound, "no files while fuzzing: " + path);
  }
  bool file_exists(const std::string&) const override { return false; }
  std::vector<std::string> list_files_recursive(const std::string&) const override { return {}; }
  std::optional<std::string> real_path(const std::string& path) const override { return path; }
  std::optional<std::string> getenv(const std::string&) const override { return std::nullopt; }
  std::vector<std::string> environ() const override { return {"NOMAD_VAR_region=eu"}; }
  std::string home_dir() const override { return "/home/fuzz"; }
  std::string current_dir() const override { return "/work"; }
  skiff::Result<std::vector<uint8_t>> random_bytes(size_t count) const override { return std::vector<uint8_t>(count, 7); }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const FuzzEnvironment env;
  skiff::parser::EvalOptions options;
  options.env = &env;
  options.root_dir = "/work";
  skiff::parser::Diagnostics diagnostics;
  skiff::parser::LoadedJob loaded = skiff::parser::load_job(
      "/work/fuzz.nomad.hcl", std::string(reinterpret_cast<const char*>(data), size), options, diagnostics);
  (void)diagnostics.render_all();
  constexpr auto kReplace = nlohmann::json::error_handler_t::replace;  // as the CLI prints
  if (loaded.job) (void)skiff::parser::job_to_json(*loaded.job).dump(2, ' ', false, kReplace);
  (void)skiff::parser::body_to_hcl2json(loaded.evaluated.body).dump(2, ' ', false, kReplace);
  return 0;
}
