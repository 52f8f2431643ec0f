// Sensitive values (issue 17): `variable { sensitive = true }` marks its
// value, the mark follows whatever is derived from it, and a loaded job
// keeps only markers in its JSON (the state's, the plan's), never the text.
#include <catch2/catch.hpp>

#include "parser/eval.hpp"
#include "parser/load.hpp"
#include "parser/sensitive.hpp"
#include "reconciler/plan/field_diff.hpp"
#include "unit/parser/fake_environment.hpp"

using namespace skiff::parser;

namespace {

constexpr const char* kSecret = "S3CRETpw";

const char* kDeclarations = R"(
variable "pw" {
  type      = string
  sensitive = true
}
variable "plain" {
  default = "visible"
}
variable "names" {
  type      = list(string)
  default   = ["a1", "b2"]
  sensitive = true
}
locals {
  dsn = "postgres://app:${var.pw}@db/app"
}
)";

struct Evaluated {
  EvaluatedFile file;
  Diagnostics diagnostics;

  const Value& attr(const std::string& name) const {
    const EvalAttribute* a = file.body.attribute(name);
    REQUIRE(a != nullptr);
    return a->value;
  }
};

Evaluated run(const std::string& attributes, std::string secret = kSecret) {
  Evaluated out;
  skiff::testing::FakeEnvironment env;
  EvalOptions options;
  options.env = &env;
  options.cli_vars = {{"pw", secret}};
  out.file = parse_and_evaluate("/jobs/test.hcl", std::string(kDeclarations) + attributes, options, out.diagnostics);
  INFO(out.diagnostics.render_all());
  REQUIRE_FALSE(out.diagnostics.has_errors());
  return out;
}

TEST_CASE("sensitive: the variable is marked, a plain one is not", "[sensitive]") {
  Evaluated e = run("a = var.pw\nb = var.plain\n");
  CHECK(e.attr("a").is_sensitive());
  CHECK(e.attr("a").as_string() == kSecret);  // the value itself is unchanged
  CHECK_FALSE(e.attr("b").contains_sensitive());
}

TEST_CASE("sensitive: the mark follows templates, operators, functions and locals", "[sensitive]") {
  Evaluated e =
      run("t = \"--password=${var.pw}\"\n"
          "u = upper(var.pw)\n"
          "f = format(\"%s:%s\", var.plain, var.pw)\n"
          "j = jsonencode({ pw = var.pw })\n"
          "l = local.dsn\n"
          "n = length(var.names) + 1\n"
          "eq = var.pw == \"x\"\n"
          "h = \"%{ if var.pw == \"x\" }yes%{ else }no%{ endif }\"\n"
          "p = \"${var.plain}-x\"\n");
  for (const char* name : {"t", "u", "f", "j", "l", "n", "eq", "h"}) {
    INFO(name);
    CHECK(e.attr(name).is_sensitive());
  }
  CHECK_FALSE(e.attr("p").contains_sensitive());
}

TEST_CASE("sensitive: conditionals, collections, indexing and for expressions", "[sensitive]") {
  Evaluated e =
      run("c1 = var.pw == \"x\" ? \"a\" : \"b\"\n"
          "c2 = true ? var.pw : \"b\"\n"
          "c3 = false ? var.pw : \"b\"\n"
          "list = [\"--user\", \"app\", \"--password\", var.pw]\n"
          "first = var.names[0]\n"
          "each = [for n in var.names : \"x-${n}\"]\n"
          "keys = { for n in [\"k\"] : var.pw => n }\n"
          "plain_list = [for n in [\"a\"] : n]\n");
  CHECK(e.attr("c1").is_sensitive());
  CHECK(e.attr("c2").is_sensitive());
  CHECK_FALSE(e.attr("c3").contains_sensitive());
  // Only the element is marked: the other arguments stay visible.
  const Value& list = e.attr("list");
  CHECK_FALSE(list.is_sensitive());
  CHECK(list.contains_sensitive());
  CHECK_FALSE(list.as_list()[0].contains_sensitive());
  CHECK(list.as_list()[3].is_sensitive());
  CHECK(e.attr("first").is_sensitive());
  CHECK(e.attr("each").is_sensitive());
  CHECK(e.attr("keys").is_sensitive());  // a key cannot carry a mark: the whole object does
  CHECK_FALSE(e.attr("plain_list").contains_sensitive());
}

TEST_CASE("sensitive: sensitive() marks a value, nonsensitive() removes the marks", "[sensitive]") {
  Evaluated e = run("s = sensitive(\"token\")\nn = nonsensitive(sha256(var.pw))\nw = nonsensitive([var.pw])\n");
  CHECK(e.attr("s").is_sensitive());
  CHECK_FALSE(e.attr("n").contains_sensitive());
  CHECK_FALSE(e.attr("w").contains_sensitive());
}

TEST_CASE("sensitive: dynamic blocks iterating a sensitive collection mark their content", "[sensitive]") {
  Evaluated e = run("dynamic \"b\" {\n  for_each = var.names\n  content {\n    v = b.value\n  }\n}\n");
  REQUIRE(e.file.body.blocks_of("b").size() == 2);
  CHECK(e.file.body.blocks_of("b")[0]->body->attribute("v")->value.is_sensitive());
}

TEST_CASE("sensitive: collect_sensitive_texts finds each marked text, in collections too", "[sensitive]") {
  Evaluated e = run("list = [\"--password\", var.pw]\nnames = var.names\n");
  std::set<std::string> texts;
  collect_sensitive_texts(e.file.body, texts);
  CHECK(texts == std::set<std::string>{"S3CRETpw", "a1", "b2", "postgres://app:S3CRETpw@db/app"});
}

TEST_CASE("sensitive: messages never quote a sensitive value", "[sensitive]") {
  skiff::testing::FakeEnvironment env;
  EvalOptions options;
  options.env = &env;
  options.cli_vars = {{"n", "S3CRET!("}};
  Diagnostics d;
  parse_and_evaluate("/jobs/test.hcl", "variable \"n\" {\n  type = number\n  sensitive = true\n}\n", options, d);
  REQUIRE(d.has_errors());
  CHECK_THAT(d.render_all(), !Catch::Contains("S3CRET"));
  CHECK_THAT(d.render_all(), Catch::Contains("from -var n: (sensitive) is not a valid number"));

  Diagnostics validation;
  options.cli_vars = {{"pw", "short-S3CRET"}};
  parse_and_evaluate("/jobs/test.hcl",
                     "variable \"pw\" {\n  sensitive = true\n  validation {\n    condition = var.pw == \"a much longer secret\"\n"
                     "    error_message = \"${var.pw} is too short\"\n  }\n}\n",
                     options, validation);
  // The message is derived from the secret: sensitive as a whole.
  CHECK_THAT(validation.render_all(), Catch::Contains("invalid value for variable \"pw\": (sensitive)\n"));
  CHECK_THAT(validation.render_all(), !Catch::Contains("S3CRET"));

  Diagnostics call;
  parse_and_evaluate("/jobs/test.hcl", "variable \"pw\" {\n  sensitive = true\n}\nv = cidrhost(var.pw, 1)\n", options, call);
  REQUIRE(call.has_errors());
  CHECK_THAT(call.render_all(), !Catch::Contains("S3CRET"));
}

TEST_CASE("sensitive: a -var-file's problems name the place, never its text", "[sensitive]") {
  // Which of its values are sensitive is known only once the file has been
  // read: a syntax error in it shows neither the line nor the token.
  const std::vector<std::string> broken = {
      "pw = \"S3CRETpw\n",       // unterminated string
      "pw = \"ok\" S3CRETpw\n",  // a stray token
      "pw = S3CRET\"pw\"\n",     // a stray quote
      "pw = [\"S3CRETpw\",\n",   // unclosed list
  };
  for (const std::string& text : broken) {
    INFO(text);
    skiff::testing::FakeEnvironment env;
    env.with_file("/jobs/prod.vars.hcl", text);
    EvalOptions options;
    options.env = &env;
    options.var_files = {"/jobs/prod.vars.hcl"};
    Diagnostics d;
    parse_and_evaluate("/jobs/test.hcl", "variable \"pw\" {\n  sensitive = true\n}\n", options, d);
    REQUIRE(d.has_errors());
    const std::string shown = d.render_all();
    INFO(shown);
    CHECK_THAT(shown, Catch::Contains("/jobs/prod.vars.hcl:1:"));
    CHECK_THAT(shown, !Catch::Contains("S3CRET"));
  }
  // The job file's own lines are still shown.
  skiff::testing::FakeEnvironment env;
  EvalOptions options;
  options.env = &env;
  Diagnostics job;
  parse_and_evaluate("/jobs/test.hcl", "x = \"unterminated\n", options, job);
  CHECK_THAT(job.render_all(), Catch::Contains("  x = \"unterminated\n"));
}

TEST_CASE("sensitive: `sensitive` takes a bool", "[sensitive]") {
  skiff::testing::FakeEnvironment env;
  EvalOptions options;
  options.env = &env;
  Diagnostics d;
  parse_and_evaluate("/jobs/test.hcl", "variable \"pw\" {\n  default = \"\"\n  sensitive = \"yes\"\n}\n", options, d);
  REQUIRE(d.items().size() == 1);
  CHECK(headline(d.items()[0]) == "/jobs/test.hcl:3:15: error: sensitive must be true or false, not string");
}

TEST_CASE("scrub_sensitive: long secrets wherever they stand, short ones only quoted", "[sensitive]") {
  CHECK(scrub_sensitive("pw S3CRETpw and \"S3CRETpw\"", {"S3CRETpw"}) == "pw (sensitive) and \"(sensitive)\"");
  CHECK(scrub_sensitive("a value \"ab\" at line 12", {"ab", "12"}) == "a value (sensitive) at line 12");
}

TEST_CASE("sensitive_marker: the same text gives the same marker, another text or job another one", "[sensitive]") {
  const std::string marker = sensitive_marker(kSecret, "web");
  CHECK(is_sensitive_marker(marker));
  CHECK(marker == sensitive_marker(kSecret, "web"));
  CHECK(marker != sensitive_marker("N3WSECRET", "web"));
  CHECK(marker != sensitive_marker(kSecret, "api"));
  CHECK(marker.find(kSecret) == std::string::npos);
  CHECK_FALSE(is_sensitive_marker("(sensitive)"));
}

const char* kJob = R"(
variable "pw" {
  type      = string
  sensitive = true
}
job "web" {
  datacenters = ["dc1"]
  group "g" {
    task "app" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "sleep 300", "--password", var.pw]
      }
      env {
        DB_PASSWORD = var.pw
        DB_URL      = "postgres://app:${var.pw}@db/app"
        MODE        = "prod"
      }
      meta {
        who = "ops"
      }
    }
  }
}
)";

LoadedJob load(const std::string& secret, Diagnostics& d) {
  skiff::testing::FakeEnvironment env;
  EvalOptions options;
  options.env = &env;
  options.cli_vars = {{"pw", secret}};
  return load_job("/jobs/web.nomad.hcl", kJob, options, d);
}

TEST_CASE("sensitive: a loaded job's JSON holds markers, its fields the values", "[sensitive]") {
  Diagnostics d;
  LoadedJob loaded = load(kSecret, d);
  INFO(d.render_all());
  REQUIRE(loaded.job);
  const skiff::spec::Task& task = loaded.job->groups[0].tasks[0];
  CHECK(task.env.at("DB_PASSWORD") == kSecret);  // what the host gets
  const std::string json = job_to_json(*loaded.job).dump();
  CHECK(json.find("S3CRET") == std::string::npos);
  CHECK(json.find("\"MODE\":\"prod\"") != std::string::npos);
  CHECK(json.find("\"--password\"") != std::string::npos);
  const nlohmann::json whole = job_to_json(*loaded.job);
  const nlohmann::json& env = whole["groups"][0]["tasks"][0]["env"];
  CHECK(is_sensitive_marker(env["DB_PASSWORD"].get<std::string>()));
  CHECK(is_sensitive_marker(env["DB_URL"].get<std::string>()));
  CHECK_FALSE(holds_sensitive_digests(*loaded.job));

  // Read back as the state keeps it: the markers stay, the job says so.
  skiff::Result<skiff::spec::Job> back = job_from_json(job_to_json(*loaded.job));
  REQUIRE(back.ok());
  CHECK(job_to_json(*back) == job_to_json(*loaded.job));
  CHECK(holds_sensitive_digests(*back));
}

TEST_CASE("sensitive: a changed secret shows as (sensitive) => (sensitive), an unchanged one not at all", "[sensitive]") {
  Diagnostics d;
  LoadedJob before = load(kSecret, d), same = load(kSecret, d), after = load("N3WSECRET", d);
  REQUIRE((before.job && same.job && after.job));
  CHECK(skiff::reconciler::diff_job_specs(job_to_json(*before.job), job_to_json(*same.job)).empty());
  std::vector<skiff::reconciler::FieldDiff> diffs =
      skiff::reconciler::diff_job_specs(job_to_json(*before.job), job_to_json(*after.job));
  std::vector<std::string> shown;
  for (const auto& f : diffs) shown.push_back(f.path + ": " + f.old_value + " => " + f.new_value);
  CHECK(shown ==
        std::vector<std::string>{
            "group.g.task.app.config.args: (sensitive) => (sensitive)",
            "group.g.task.app.env.DB_PASSWORD: (sensitive) => (sensitive)",
            "group.g.task.app.env.DB_URL: (sensitive) => (sensitive)",
        });
}

TEST_CASE("sensitive: a secret kept in clear by an older state is hidden on both sides", "[sensitive]") {
  Diagnostics d;
  LoadedJob now = load(kSecret, d);
  REQUIRE(now.job);
  skiff::spec::Job old = *now.job;
  old.sensitive.clear();  // as an older skiff wrote it
  std::vector<skiff::reconciler::FieldDiff> diffs = skiff::reconciler::diff_job_specs(job_to_json(old), job_to_json(*now.job));
  REQUIRE_FALSE(diffs.empty());
  for (const auto& f : diffs) {
    CHECK(f.old_value == "(sensitive)");
    CHECK(f.new_value == "(sensitive)");
  }
}

TEST_CASE("sensitive: a decoding error does not quote the value", "[sensitive]") {
  skiff::testing::FakeEnvironment env;
  EvalOptions options;
  options.env = &env;
  options.cli_vars = {{"pw", "S3CRET/odd"}};
  Diagnostics d;
  load_job("/jobs/web.nomad.hcl",
           "variable \"pw\" {\n  sensitive = true\n}\njob \"web\" {\n  type = var.pw\n  group \"g\" {\n    task \"t\" {\n"
           "      driver = \"raw_exec\"\n      config {\n        command = \"/bin/true\"\n      }\n    }\n  }\n}\n",
           options, d);
  REQUIRE(d.has_errors());
  CHECK_THAT(d.render_all(), !Catch::Contains("S3CRET"));
  CHECK_THAT(d.render_all(), Catch::Contains("(sensitive)"));
}

}  // namespace
