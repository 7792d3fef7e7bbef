// The convert command as a process: options reach the bundle, bad input gets a clear error naming
// the file and exit 1, usage errors exit 2, and nothing is written when conversion fails.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "testutil.h"

namespace prose2stix {

namespace {
const char* kText =
    "APT28, a Russian state-backed group, targeted defence ministries in Poland. "
    "The group is believed to work for the GRU.";

std::string WriteTemp(const std::string& dir, const std::string& name, const std::string& bytes) {
  std::string path = dir + "/" + name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}
}  // namespace

TEST_CASE("convert options reach the bundle") {
  struct Case {
    const char* args;
    std::vector<const char*> want;
    std::vector<const char*> not_want;
  };
  const Case cases[] = {
      {"--compact", {"\"type\":\"threat-actor\"", "\"x_opencti_type\":\"Threat-Actor-Group\"",
                     "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", "\"name\":\"prose2stix\""},
       {"intrusion-set", "\n  "}},
      {"--compact --intrusion-sets", {"\"type\":\"intrusion-set\"", "\"relationship_type\":\"originates-from\""},
       {"\"type\":\"threat-actor\"", "\"relationship_type\":\"located-at\",\"source_ref\":\"intrusion-set"}},
      {"--compact --tlp amber", {"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"},
       {"613f2e26-407d-48c7-9eca-b8e91df99dc9"}},
      {"--compact --author 'ACME CERT'", {"\"name\":\"ACME CERT\""}, {"\"name\":\"prose2stix\""}},
      {"--compact --confidence 40", {"\"confidence\":40"}, {"\"confidence\":85", "\"confidence\":80"}},
      {"--compact --published 2024-03-01", {"\"published\":\"2024-03-01T00:00:00.000Z\""}, {}},
      {"--pretty", {"\n  \"objects\": ["}, {}},
  };
  for (const Case& c : cases) {
    auto r = testing::RunCli(std::string("convert --fixed-time 2025-01-01T00:00:00Z ") + c.args + " -", kText);
    REQUIRE_MESSAGE(r.exit_code == 0, c.args << ": " << r.err);
    for (const char* w : c.want) CHECK_MESSAGE(r.out.find(w) != std::string::npos, c.args << " lacks " << w);
    for (const char* w : c.not_want) CHECK_MESSAGE(r.out.find(w) == std::string::npos, c.args << " has " << w);
    // Every bundle the command writes validates.
    std::string dir = testing::TempDir();
    std::string path = WriteTemp(dir, "b.json", r.out);
    auto v = testing::RunCli("validate --quiet '" + path + "'");
    CHECK_MESSAGE(v.exit_code == 0, c.args << ": " << v.out << v.err);
    std::filesystem::remove_all(dir);
  }
}

TEST_CASE("convert --explain shows mentions, rules and evidence") {
  auto r = testing::RunCli("convert --explain --compact -", kText);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.find("## mentions") != std::string::npos);
  CHECK(r.err.find("\"APT28\"") != std::string::npos);
  CHECK(r.err.find("gazetteer:threat-actor") != std::string::npos);
  CHECK(r.err.find("--attributed-to-->") != std::string::npos);
  CHECK(r.out.find("\"type\":\"bundle\"") != std::string::npos);
}

TEST_CASE("convert --explain gives byte offsets in the input, past normalised characters") {
  // Curly quotes and an em dash (3 bytes each, normalised to 1) before the names.
  const std::string input = "Header line\n\n\xE2\x80\x9CQuoted\xE2\x80\x9D \xE2\x80\x94 APT28 targeted banks in France.\n";
  auto r = testing::RunCli("convert --explain --compact -", input);
  REQUIRE(r.exit_code == 0);
  for (const char* name : {"APT28", "France"}) {
    size_t at = input.find(name);
    std::string want = std::to_string(at) + "-" + std::to_string(at + std::string(name).size());
    INFO(name);
    CHECK(r.err.find(want) != std::string::npos);
  }
}

TEST_CASE("convert --explain gives the page of a PDF mention") {
  // The fixture's last paragraph, which names manufacturers, starts on its second page.
  auto r = testing::RunCli("convert --explain --compact '" + testing::SourceDir() + "/tests/ingest/data/sample_advisory.pdf'", "");
  REQUIRE(r.exit_code == 0);
  size_t at = r.err.find("\"manufacturers\"");
  REQUIRE(at != std::string::npos);
  size_t line = r.err.rfind('\n', at);
  CHECK(r.err.substr(line, at - line).find(" p.2 ") != std::string::npos);
}

TEST_CASE("convert rejects bad input and bad usage with the right exit code") {
  std::string dir = testing::TempDir();
  std::string binary = WriteTemp(dir, "junk.bin", std::string("\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0", 20));
  std::string empty = WriteTemp(dir, "empty.txt", "");
  std::string truncated = WriteTemp(dir, "cut.pdf", "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R");
  std::string big = dir + "/huge.txt";
  std::filesystem::resize_file(WriteTemp(dir, "huge.txt", ""), uint64_t{2} << 30);  // sparse 2 GiB
  struct Case {
    std::string args;
    int code;
    const char* message;
  };
  const Case cases[] = {
      {"convert '" + binary + "'", 1, "junk.bin"},
      {"convert '" + empty + "'", 1, "empty.txt"},
      {"convert '" + truncated + "'", 1, "cut.pdf"},
      {"convert '" + big + "'", 1, "huge.txt"},
      {"convert '" + dir + "/missing.txt'", 1, "missing.txt"},
      {"convert", 2, "no INPUT"},
      {"convert --tlp purple -", 2, "TLP"},
      {"convert --confidence 101 -", 2, "confidence"},
      {"convert --input-format docx -", 2, "input-format"},
      {"convert --fixed-time yesterday -", 2, "yesterday"},
      {"convert --no-such-flag -", 2, "no-such-flag"},
      {"frobnicate", 2, "unknown command"},
  };
  for (const Case& c : cases) {
    auto r = testing::RunCli(c.args, kText);
    CHECK_MESSAGE(r.exit_code == c.code, c.args << " -> " << r.exit_code << ": " << r.err);
    CHECK_MESSAGE(r.err.find(c.message) != std::string::npos, c.args << ": " << r.err);
    CHECK_MESSAGE(r.out.empty(), c.args << " wrote output: " << r.out.substr(0, 80));
  }
  // A failed conversion with -o leaves no file behind.
  auto r = testing::RunCli("convert '" + binary + "' -o '" + dir + "/out.json'");
  CHECK(r.exit_code == 1);
  CHECK_FALSE(std::filesystem::exists(dir + "/out.json"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("prose2stix --help and --version") {
  auto v = testing::RunCli("--version");
  CHECK(v.exit_code == 0);
  CHECK(v.out.rfind("prose2stix ", 0) == 0);
  auto h = testing::RunCli("--help");
  CHECK(h.exit_code == 0);
  CHECK(h.out.find("convert") != std::string::npos);
  CHECK(h.out.find("validate") != std::string::npos);
  auto ch = testing::RunCli("convert --help");
  CHECK(ch.exit_code == 0);
  CHECK(ch.out.find("--intrusion-sets") != std::string::npos);
}

}  // namespace prose2stix
