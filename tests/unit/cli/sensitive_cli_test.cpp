// A sensitive variable through the real binary on the built-in local
// transport (issue 17): plan, plan -json, plan -out, apply of the plan file
// and apply -json never print the secret, neither the plan file nor the
// state holds it, and a changed secret still shows as a change.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "unit/cli/run_skiff.hpp"

namespace {

using skiff::testing::Run;
using skiff::testing::run_skiff_in;
using skiff::testing::ScratchDir;
using skiff::testing::Stderr;

constexpr const char* kJob = R"(variable "pw" {
  type      = string
  sensitive = true
}

job "vault" {
  datacenters = ["dc1"]
  group "db" {
    update {
      min_healthy_time = "1s"
      healthy_deadline = "30s"
    }
    task "app" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "sleep 300", "app", "--password", var.pw]
      }
      env {
        DB_PASSWORD = var.pw
        DB_URL      = "postgres://app:${var.pw}@db/app"
        MODE        = "prod"
      }
    }
  }
}
)";

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Every file under `dir` that holds `secret`, except the host's own
// command-line record (`.skiff/run`, 0600), which must.
std::vector<std::string> files_holding(const std::string& dir, const std::string& secret) {
  std::vector<std::string> out;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file() || read_file(entry.path()).find(secret) == std::string::npos) continue;
    if (entry.path().filename() == "run" && entry.path().parent_path().filename() == ".skiff") {
      struct stat info {};
      CHECK(::stat(entry.path().c_str(), &info) == 0);
      CHECK((info.st_mode & 0777) == 0600);
      continue;
    }
    out.push_back(entry.path().string());
  }
  return out;
}

struct Project {
  ScratchDir dir;
  std::vector<std::string> outputs;

  Project() {
    dir.write("hosts.hcl", "host \"local\" {\n  transport = \"local\"\n  data_dir  = \"" + dir.path() + "/data\"\n}\n");
    dir.write("jobs/vault.nomad.hcl", kJob);
  }
  Run skiff(const std::string& args) {
    Run run = run_skiff_in(dir.path(), args, Stderr::kMerge);
    outputs.push_back(run.out);  // not `args`: it holds the secret
    return run;
  }
};

TEST_CASE("a sensitive -var appears in no output, plan file or state, and its change still shows", "[cli][sensitive]") {
  Project p;
  Run plan = p.skiff("plan -no-color -var pw=S3CRETpw jobs");
  INFO(plan.out);
  CHECK(plan.exit_code == 0);
  CHECK(p.skiff("plan -json -var pw=S3CRETpw jobs").exit_code == 0);
  CHECK(p.skiff("inspect -var pw=S3CRETpw jobs/vault.nomad.hcl").exit_code == 0);
  CHECK(p.skiff("hcl2json -var pw=S3CRETpw jobs/vault.nomad.hcl").exit_code == 0);
  REQUIRE(p.skiff("plan -no-color -out release.plan -var pw=S3CRETpw jobs").exit_code == 0);

  // The plan file keeps the variable's name, not its value: apply needs it again, the same.
  Run without = p.skiff("apply -auto-approve -no-color release.plan");
  CHECK(without.exit_code == 1);
  CHECK_THAT(without.out,
             Catch::Contains("plan file release.plan was made with -var pw=..., a sensitive variable whose value it "
                             "does not keep: give it again, as in `skiff apply -var pw=... release.plan`"));
  Run other = p.skiff("apply -auto-approve -no-color -var pw=N3WSECRET release.plan");
  CHECK(other.exit_code == 1);
  CHECK_THAT(other.out, Catch::Contains("error: job \"vault\" is not what plan file release.plan was made from"));
  Run applied = p.skiff("apply -auto-approve -no-color -var pw=S3CRETpw release.plan");
  INFO(applied.out);
  REQUIRE(applied.exit_code == 0);
  CHECK_THAT(applied.out, Catch::Contains("Apply complete! 1 started"));

  // Unchanged: nothing to do. Changed: shown as a change, hidden.
  CHECK(p.skiff("plan -detailed-exitcode -var pw=S3CRETpw jobs").exit_code == 0);
  Run changed = p.skiff("plan -no-color -var pw=N3WSECRET jobs");
  INFO(changed.out);
  CHECK_THAT(changed.out, Catch::Contains("env.DB_PASSWORD: (sensitive) => (sensitive) (forces create/destroy update)"));
  CHECK_THAT(changed.out, Catch::Contains("config.args:     (sensitive) => (sensitive) (forces create/destroy update)"));
  Run changed_json = p.skiff("apply -auto-approve -json -var pw=N3WSECRET jobs");
  INFO(changed_json.out);
  CHECK(changed_json.exit_code == 0);
  CHECK_THAT(changed_json.out, Catch::Contains("\"new_value\":\"(sensitive)\""));
  CHECK(p.skiff("job history -p vault").exit_code == 0);

  for (const char* secret : {"S3CRETpw", "N3WSECRET"}) {
    INFO(secret);
    for (const std::string& output : p.outputs) {
      INFO(output);
      CHECK(output.find(secret) == std::string::npos);
    }
    CHECK(files_holding(p.dir.path() + "/.skiff", secret).empty());
    CHECK(read_file(p.dir.path() + "/release.plan").find(secret) == std::string::npos);
    CHECK(files_holding(p.dir.path() + "/data", secret).empty());
  }
  // The task itself got the real value.
  CHECK_FALSE(read_file(p.dir.path() + "/.skiff/state.json").empty());
  bool task_has_it = false;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(p.dir.path() + "/data"))
    if (entry.is_regular_file() && entry.path().filename() == "run" &&
        read_file(entry.path()).find("N3WSECRET") != std::string::npos)
      task_has_it = true;
  CHECK(task_has_it);

  CHECK(p.skiff("job stop -purge -auto-approve vault").exit_code == 0);
}

}  // namespace
