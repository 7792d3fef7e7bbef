#include "prose2stix/batch/job.h"

#include <doctest/doctest.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "prose2stix/convert/pipeline.h"
#include "prose2stix/validate/validator.h"
#include "testutil.h"

namespace prose2stix::batch {

namespace {

namespace fs = std::filesystem;

using testing::ParseJson;
using testing::Write;

std::unique_ptr<convert::Converter> MakeConverter() {
  convert::ConvertOptions o;
  o.fixed_time = "2024-01-01T00:00:00.000Z";
  auto c = convert::Converter::Create(o);
  REQUIRE_MESSAGE(c.ok(), c.status().ToString());
  return std::move(*c);
}

const char* kApt28 =
    "APT28, also known as Fancy Bear, targeted energy companies in Germany in 2023. "
    "The group used the Zebrocy malware against government agencies.\n";
const char* kApt28Again =
    "Security researchers said APT28 targeted energy companies in Germany again. "
    "APT28 is a threat actor attributed to Russia.\n";

// Counts the objects of each type and name in a bundle.
std::map<std::string, int> CountByTypeAndName(const std::string& json) {
  rapidjson::Document d;
  ParseJson(&d, json);
  REQUIRE_MESSAGE(!d.HasParseError(), json.substr(0, 200));
  std::map<std::string, int> counts;
  for (const auto& o : d["objects"].GetArray()) {
    std::string key = o["type"].GetString();
    if (o.HasMember("name")) key += std::string(":") + o["name"].GetString();
    counts[key]++;
  }
  return counts;
}

}  // namespace

TEST_CASE("batch::RunFileJob converts good files, lists bad ones, and names outputs without clashes") {
  std::string root = testing::TempDir();
  Write(root + "/in/east/report.txt", kApt28);
  Write(root + "/in/west/report.txt", kApt28Again);
  std::string junk = "\x7f" "ELF";
  for (int i = 0; i < 4000; ++i) junk.push_back(static_cast<char>((i * 37) % 256));
  Write(root + "/in/junk.bin", junk);
  Write(root + "/in/truncated.pdf", "%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Ty");
  Write(root + "/in/empty.txt", "");
  InputOptions io;
  io.paths = {root + "/in"};
  auto inputs = CollectInputs(io);
  REQUIRE(inputs.ok());
  REQUIRE(inputs->size() == 5);
  auto conv = MakeConverter();
  JobOptions o;
  o.out_dir = root + "/out";
  o.jobs = 2;
  o.sync = false;
  std::ostringstream out, err;
  JobSummary s = RunFileJob(*conv, *inputs, o, out, err);
  CHECK(s.converted == 2);
  CHECK(s.failed == 3);
  CHECK(s.ExitCode() == 1);
  CHECK(out.str().empty());
  CHECK(s.objects > 0);
  for (const char* name : {"east/report.txt.json", "west/report.txt.json"}) {
    std::string json = testing::ReadTestFile(root + "/out/" + name);
    CHECK_MESSAGE(CountByTypeAndName(json)["threat-actor:APT28"] == 1, name);
  }
  std::string failures = testing::ReadTestFile(root + "/out/failures.ndjson");
  for (const char* bad : {"junk.bin", "truncated.pdf", "empty.txt"}) {
    CHECK_MESSAGE(failures.find(bad) != std::string::npos, failures);
  }
  size_t lines = 0;
  std::istringstream fl(failures);
  for (std::string line; std::getline(fl, line); ++lines) {
    rapidjson::Document d;
    ParseJson(&d, line);
    CHECK_MESSAGE((!d.HasParseError() && d.HasMember("input") && d.HasMember("error")), line);
  }
  CHECK(lines == 3);
  std::string summary = FormatSummary(s, o);
  CHECK_MESSAGE(summary.find("2 converted, 3 failed") != std::string::npos, summary);
  CHECK_MESSAGE(summary.find("truncated.pdf") != std::string::npos, summary);
  // No temporary file is left.
  for (const auto& e : fs::recursive_directory_iterator(root + "/out")) {
    CHECK_MESSAGE(e.path().string().find(".tmp.") == std::string::npos, e.path());
  }
}

TEST_CASE("batch::RunFileJob merges overlapping inputs into one valid bundle, one object per entity") {
  std::string root = testing::TempDir();
  Write(root + "/a.txt", kApt28);
  Write(root + "/b.txt", kApt28Again);
  Write(root + "/c.txt", kApt28);  // the same text twice
  InputOptions io;
  io.paths = {root + "/a.txt", root + "/b.txt", root + "/c.txt"};
  auto inputs = CollectInputs(io);
  REQUIRE(inputs.ok());
  auto conv = MakeConverter();
  JobOptions o;
  o.merge_path = root + "/merged.json";
  o.jobs = 3;
  std::ostringstream out, err;
  JobSummary s = RunFileJob(*conv, *inputs, o, out, err);
  CHECK_MESSAGE(s.ExitCode() == 0, FormatSummary(s, o));
  CHECK(s.merged_written);
  std::string merged = testing::ReadTestFile(root + "/merged.json");
  std::map<std::string, int> counts = CountByTypeAndName(merged);
  CHECK(counts["threat-actor:APT28"] == 1);
  for (const auto& [key, n] : counts) {
    if (key.rfind("report", 0) == 0 || key.rfind("relationship", 0) == 0) continue;
    CHECK_MESSAGE(n == 1, key);
  }
  CHECK(s.merged_objects < s.objects);  // duplicates were merged away
  auto validator = validate::Validator::Create(validate::ValidatorOptions());
  REQUIRE(validator.ok());
  CHECK((*validator)->ValidateString(merged, "merged").valid());
}

TEST_CASE("batch::RunFileJob with skip_existing converts only what is missing and still merges everything") {
  std::string root = testing::TempDir();
  for (int i = 0; i < 6; ++i) Write(root + "/in/" + std::to_string(i) + ".txt", i % 2 ? kApt28 : kApt28Again);
  InputOptions io;
  io.paths = {root + "/in"};
  auto inputs = CollectInputs(io);
  REQUIRE(inputs.ok());
  auto conv = MakeConverter();
  JobOptions o;
  o.out_dir = root + "/out";
  o.sync = false;
  std::ostringstream out, err;
  std::vector<InputFile> first_half(inputs->begin(), inputs->begin() + 3);
  REQUIRE(RunFileJob(*conv, first_half, o, out, err).converted == 3);
  fs::remove(root + "/out/1.txt.json");
  Write(root + "/out/2.txt.json", "");  // cut short by a crash: converted again
  o.skip_existing = true;
  JobSummary s = RunFileJob(*conv, *inputs, o, out, err);
  CHECK_MESSAGE(s.ExitCode() == 0, FormatSummary(s, o));
  CHECK(s.skipped == 1);    // 0.txt
  CHECK(s.converted == 5);  // 1.txt (removed), 2.txt (empty), 3-5
  CHECK(fs::file_size(root + "/out/2.txt.json") > 100);

  Write(root + "/out/3.txt.json", "{\"no\": \"bundle\"}");  // whole JSON, but merges as nothing useful
  Write(root + "/out/4.txt.json", "[1, 2]");               // not STIX: the merger refuses it
  o.merge_path = root + "/all.json";
  s = RunFileJob(*conv, *inputs, o, out, err);
  CHECK_MESSAGE(s.ExitCode() == 0, FormatSummary(s, o));
  CHECK(s.converted >= 1);  // 4.txt at least
  CHECK(s.skipped + s.converted == 6);
  CHECK(CountByTypeAndName(testing::ReadTestFile(root + "/all.json"))["threat-actor:APT28"] == 1);
}

TEST_CASE("batch::RunNdjsonJob writes one bundle per line in input order, errors to the failure list") {
  std::string root = testing::TempDir();
  std::string input;
  for (int i = 0; i < 12; ++i) {
    if (i == 4) {
      input += "{\"id\": \"bad\", \"title\": 3\n";  // not JSON
      continue;
    }
    if (i == 7) {
      input += "\n";  // blank: skipped
      continue;
    }
    input += "{\"id\":\"doc" + std::to_string(i) + "\",\"text\":\"" +
             std::string(i % 2 ? "APT28 targeted energy companies in Germany." : "Lazarus Group attacked banks.") +
             "\"}\n";
  }
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  std::thread writer([&] {
    REQUIRE(::write(fds[1], input.data(), input.size()) == static_cast<ssize_t>(input.size()));
    ::close(fds[1]);
  });
  auto conv = MakeConverter();
  JobOptions o;
  o.jobs = 3;
  o.window = 4;
  o.out_dir = root + "/out";
  fs::create_directories(o.out_dir);
  std::ostringstream out, err;
  JobSummary s = RunNdjsonJob(*conv, fds[0], "<stdin>", o, out, err);
  writer.join();
  ::close(fds[0]);
  CHECK(s.converted == 10);
  CHECK(s.failed == 1);
  CHECK(s.ExitCode() == 1);
  std::istringstream lines(out.str());
  std::vector<std::string> order;
  for (std::string line; std::getline(lines, line);) {
    rapidjson::Document d;
    ParseJson(&d, line);
    REQUIRE_MESSAGE(!d.HasParseError(), line.substr(0, 200));
    for (const auto& obj : d["objects"].GetArray()) {
      if (std::string(obj["type"].GetString()) != "report") continue;
      for (const auto& ref : obj["external_references"].GetArray()) {
        if (ref.HasMember("description")) order.push_back(ref["description"].GetString());
      }
    }
  }
  std::vector<std::string> want;
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9, 10, 11}) want.push_back("<stdin>#doc" + std::to_string(i));
  CHECK(order == want);
  CHECK_MESSAGE(err.str().find("<stdin>, line 5") != std::string::npos, err.str());
  std::string failures = testing::ReadTestFile(o.out_dir + "/failures.ndjson");
  CHECK_MESSAGE(failures.find("\"line\":5") != std::string::npos, failures);
}

}  // namespace prose2stix::batch

namespace prose2stix::batch {

TEST_CASE("batch::JobSummary exit codes and summary lines") {
  struct Case {
    size_t failed;
    int signal;
    std::string merge_error;
    int code;
  } cases[] = {{0, 0, "", 0}, {2, 0, "", 1}, {0, 0, "invalid", 1}, {3, 2, "", 130}, {0, 15, "", 143}};
  for (const Case& c : cases) {
    JobSummary s;
    s.failed = c.failed;
    s.signal = c.signal;
    s.merge_error = c.merge_error;
    CHECK_MESSAGE(s.ExitCode() == c.code, c.failed << " failed, signal " << c.signal);
  }
  JobSummary s;
  s.total = 65;
  s.converted = 7;
  s.failed = 65 - 7 - 3;
  s.not_started = 3;
  s.signal = 2;
  for (size_t i = 0; i < s.failed; ++i) {
    Failure f;
    f.input = std::to_string(i);
    f.input.insert(0, 1, 'f');
    f.error = "Invalid input: bad";
    s.failures.push_back(f);
  }
  JobOptions o;
  o.out_dir = "out";
  o.merge_path = "all.json";
  std::string text = FormatSummary(s, o);
  CHECK_MESSAGE(text.find("  f49: Invalid input: bad") != std::string::npos, text);
  CHECK_MESSAGE(text.find("  f50:") == std::string::npos, text);  // the rest is in the file
  CHECK_MESSAGE(text.find("... and 5 more") != std::string::npos, text);
  CHECK_MESSAGE(text.find("failures listed in out/failures.ndjson") != std::string::npos, text);
  CHECK_MESSAGE(text.find("interrupted by SIGINT: 3 inputs not started") != std::string::npos, text);
  CHECK_MESSAGE(text.find("the merged bundle was not written") != std::string::npos, text);
  o.quiet = true;
  CHECK(FormatSummary(s, o).find("converted") == std::string::npos);
}

}  // namespace prose2stix::batch
