// Runs `prose2stix validate` as a process: output lines, JSON output, exit codes.
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "testutil.h"

namespace prose2stix {

namespace {

const char* kValid =
    R"({"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[)"
    R"({"type":"identity","spec_version":"2.1","id":"identity--311b2d2d-f010-4473-83ec-1edf84858f4c",)"
    R"("created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z","name":"ACME","identity_class":"organization"}]})";

// One warning (213) at /objects/0/identity_class.
const char* kWarning =
    R"({"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[)"
    R"({"type":"identity","spec_version":"2.1","id":"identity--311b2d2d-f010-4473-83ec-1edf84858f4c",)"
    R"("created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z","name":"ACME","identity_class":"company"}]})";

// One error (013): modified before created.
const char* kInvalid =
    R"({"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[)"
    R"({"type":"identity","spec_version":"2.1","id":"identity--311b2d2d-f010-4473-83ec-1edf84858f4c",)"
    R"("created":"2020-01-02T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z","name":"ACME","identity_class":"organization"}]})";

std::string Write(const std::string& dir, const std::string& name, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(dir + "/" + name).parent_path());
  std::ofstream out(dir + "/" + name, std::ios::binary);
  out << text;
  return dir + "/" + name;
}

}  // namespace

TEST_CASE("validate CLI: exit codes and text output") {
  std::string dir = testing::TempDir();
  std::string valid = Write(dir, "valid.json", kValid);
  std::string warn = Write(dir, "warn.json", kWarning);
  std::string invalid = Write(dir, "sub/invalid.json", kInvalid);
  Write(dir, "sub/notes.txt", "not json, not looked at");

  struct Case {
    std::string args;
    int exit_code;
    std::string out_has;  // substring of stdout
    std::string out_lacks;
  };
  const Case cases[] = {
      {"validate '" + valid + "'", 0, valid + ": valid - 1 object, 0 errors, 0 warnings", "error["},
      {"validate '" + warn + "'", 0,
       warn + ": warning[213] identity--311b2d2d-f010-4473-83ec-1edf84858f4c: /objects/0/identity_class: "
              "identity_class value 'company' is not in identity-class-ov",
       "INVALID"},
      {"validate --quiet '" + warn + "'", 0, "1 warning", "warning[213]"},
      {"validate --strict '" + warn + "'", 1, "error[213]", ""},
      {"validate --disable 213 '" + warn + "'", 0, "0 warnings", "[213]"},
      {"validate --disable=2 --disable 1 '" + warn + "'", 0, "0 warnings", "[213]"},
      {"validate --enable 202 '" + warn + "'", 0, "0 warnings", "[213]"},
      {"validate '" + invalid + "'", 1,
       "error[013] identity--311b2d2d-f010-4473-83ec-1edf84858f4c: /objects/0/modified:", ""},
      {"validate '" + dir + "'", 1, invalid + ": INVALID", "notes.txt"},
      {"validate '" + dir + "/missing.json'", 2, "", ""},
      {"validate --enable 12 '" + valid + "'", 2, "", ""},
      {"validate --enable abc '" + valid + "'", 2, "", ""},
      {"validate --format xml '" + valid + "'", 2, "", ""},
      {"validate --bogus '" + valid + "'", 2, "", ""},
      {"validate", 2, "", ""},
      {"validate --schemas '" + testing::SourceDir() + "/schemas/stix2.1' '" + valid + "'", 0,
       "valid - 1 object", ""},
      {"validate --schemas '" + dir + "/no-such-dir' '" + valid + "'", 2, "", ""},
      {"validate --list-checks", 0, "213  SHOULD  identity-class", ""},
      {"validate --help", 0, "--enforce-refs", ""},
  };
  for (const Case& c : cases) {
    testing::ProcessResult r = testing::RunCli(c.args);
    CHECK_MESSAGE(r.exit_code == c.exit_code, c.args << "\nout: " << r.out << "\nerr: " << r.err);
    if (!c.out_has.empty())
      CHECK_MESSAGE(r.out.find(c.out_has) != std::string::npos, c.args << "\n" << r.out);
    if (!c.out_lacks.empty())
      CHECK_MESSAGE(r.out.find(c.out_lacks) == std::string::npos, c.args << "\n" << r.out);
  }
}

TEST_CASE("validate CLI: standard input, malformed input and JSON output") {
  testing::ProcessResult r = testing::RunCli("validate -", kValid);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("-: valid") != std::string::npos);

  r = testing::RunCli("validate -", "{\"type\":\"bundle\",\n \"objects\": [1,]}");
  CHECK(r.exit_code == 1);
  CHECK_MESSAGE(r.out.find("-: error[001]: /objects/1: malformed JSON at line 2, column 16 (byte offset 33): "
                           "trailing comma") != std::string::npos,
                r.out);

  std::string dir = testing::TempDir();
  std::string warn = Write(dir, "warn.json", kWarning);
  std::string invalid = Write(dir, "invalid.json", kInvalid);
  r = testing::RunCli("validate --format json '" + warn + "' '" + invalid + "'");
  CHECK(r.exit_code == 1);
  rapidjson::Document doc;
  doc.Parse(r.out.c_str());
  REQUIRE_MESSAGE(!doc.HasParseError(), r.out);
  CHECK(doc["valid"].GetBool() == false);
  REQUIRE(doc["files"].Size() == 2);
  const auto& f0 = doc["files"][0];
  CHECK(std::string(f0["name"].GetString()) == warn);
  CHECK(f0["valid"].GetBool());
  CHECK(f0["warnings"].GetUint() == 1);
  CHECK(f0["diagnostics"][0]["code"].GetInt() == 213);
  CHECK(std::string(f0["diagnostics"][0]["severity"].GetString()) == "warning");
  CHECK(std::string(f0["diagnostics"][0]["pointer"].GetString()) == "/objects/0/identity_class");
  const auto& f1 = doc["files"][1];
  CHECK_FALSE(f1["valid"].GetBool());
  CHECK(f1["errors"].GetUint() == 1);
  CHECK(std::string(f1["diagnostics"][0]["object_id"].GetString()) ==
        "identity--311b2d2d-f010-4473-83ec-1edf84858f4c");
}

}  // namespace prose2stix
