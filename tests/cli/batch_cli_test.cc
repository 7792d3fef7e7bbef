// Process tests of `prose2stix convert` in batch mode: exit codes, output layout, NDJSON streams,
// and an interrupted job resumed with --skip-existing.
#include <doctest/doctest.h>
#include <rapidjson/document.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "testutil.h"

extern char** environ;

namespace prose2stix {

namespace {

namespace fs = std::filesystem;

using testing::ParseJson;
using testing::Write;

std::string Q(const std::string& s) { return "'" + s + "'"; }

bool ParsesAsBundle(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  rapidjson::Document d;
  ParseJson(&d, text);
  return !d.HasParseError() && d.IsObject() && d.HasMember("type") && std::string(d["type"].GetString()) == "bundle";
}

std::string Advisory(int i) {
  static const char* kActors[] = {"APT28", "Lazarus Group", "APT29", "Sandworm Team", "Turla"};
  static const char* kSectors[] = {"energy", "healthcare", "banking", "telecommunications", "government"};
  std::ostringstream s;
  s << "Advisory " << i << ". " << kActors[i % 5] << " targeted " << kSectors[(i / 5) % 5]
    << " organizations in Germany. The campaign number " << i << " used spear-phishing emails.\n";
  return s.str();
}

// Starts the CLI with `args` (no shell), standard output and error to files; returns the pid.
pid_t Spawn(const std::vector<std::string>& args, const std::string& out_path, const std::string& err_path) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<std::string> all = {PROSE2STIX_BIN};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, PROSE2STIX_BIN, &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  REQUIRE(rc == 0);
  return pid;
}

size_t CountFiles(const std::string& dir, const std::string& suffix) {
  size_t n = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    std::string p = e.path().string();
    if (e.is_regular_file() && p.size() >= suffix.size() && p.compare(p.size() - suffix.size(), suffix.size(), suffix) == 0) {
      ++n;
    }
  }
  return n;
}

}  // namespace

TEST_CASE("convert batch: usage errors exit 2 with a clear message") {
  std::string dir = testing::TempDir();
  Write(dir + "/a.txt", Advisory(1));
  Write(dir + "/b.txt", Advisory(2));
  Write(dir + "/blocker", "a file where a directory should be");
  struct Case {
    std::string args, message;
  } cases[] = {
      {Q(dir + "/a.txt") + " " + Q(dir + "/b.txt"), "--out-dir"},
      {Q(dir), "--out-dir"},
      {"--out-dir " + Q(dir + "/blocker/out") + " " + Q(dir + "/a.txt"), "cannot create the output directory"},
      {"--out-dir " + Q(dir + "/o") + " --include '*.none' " + Q(dir), "no inputs"},
      {"--skip-existing --merge - " + Q(dir), "--skip-existing needs --out-dir"},
      {"--out-dir " + Q(dir + "/o") + " -o x.json " + Q(dir), "--output"},
      {"--jobs 0 --out-dir " + Q(dir + "/o") + " " + Q(dir), "--jobs"},
      {"--include '*.txt' " + Q(dir + "/a.txt"), "batch mode"},
      {"--out-dir " + Q(dir) + " " + Q(dir), "inside the output directory"},
  };
  for (const Case& c : cases) {
    testing::ProcessResult r = testing::RunCli("convert " + c.args);
    CHECK_MESSAGE(r.exit_code == 2, c.args << "\n" << r.err);
    CHECK_MESSAGE(r.err.find(c.message) != std::string::npos, c.args << "\n" << r.err);
    CHECK_MESSAGE(r.out.empty(), c.args);
  }
}

TEST_CASE("convert batch: a directory with corrupt, unreadable and duplicate-named files") {
  std::string dir = testing::TempDir();
  Write(dir + "/in/2024/alpha/report.txt", Advisory(1));
  Write(dir + "/in/2024/beta/report.txt", Advisory(2));
  Write(dir + "/in/notes.md", "# Note\n\n" + Advisory(3));
  Write(dir + "/in/broken.pdf", "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog");
  Write(dir + "/in/blob.dat", std::string(2048, '\x01') + std::string(2048, '\0'));
  fs::create_symlink(dir + "/gone.txt", dir + "/in/dangling.txt");
  Write(dir + "/in/skip.bak", Advisory(4));
  Write(dir + "/list", dir + "/in/notes.md\n" + dir + "/in/2024\n");  // a directory in a list fails
  testing::ProcessResult r = testing::RunCli("convert --jobs 2 --out-dir " + Q(dir + "/out") + " --exclude '*.bak' " +
                                             Q(dir + "/in") + " --files-from " + Q(dir + "/list"));
  CHECK_MESSAGE(r.exit_code == 1, r.err);
  CHECK(r.out.empty());
  for (const char* name : {"2024/alpha/report.txt.json", "2024/beta/report.txt.json", "notes.md.json"}) {
    CHECK_MESSAGE(ParsesAsBundle(dir + "/out/" + name), name);
  }
  CHECK(!fs::exists(dir + "/out/skip.bak.json"));
  CHECK_MESSAGE(r.err.find("3 converted, 4 failed") != std::string::npos, r.err);
  std::string failures = testing::ReadTestFile(dir + "/out/failures.ndjson");
  for (const char* bad : {"broken.pdf", "blob.dat", "dangling.txt", "in/2024\""}) {
    CHECK_MESSAGE(failures.find(bad) != std::string::npos, bad << "\n" << failures);
    CHECK_MESSAGE(r.err.find(std::string(bad).substr(0, 7)) != std::string::npos, bad << "\n" << r.err);
  }
  CHECK(CountFiles(dir + "/out", ".json") == 3);
}

TEST_CASE("convert batch: --merge - writes one deduplicated bundle to stdout") {
  std::string dir = testing::TempDir();
  for (int i = 0; i < 8; ++i) Write(dir + "/in/" + std::to_string(i) + ".txt", Advisory(i % 3));
  testing::ProcessResult r = testing::RunCli("convert --quiet --merge - " + Q(dir + "/in"));
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  CHECK(r.err.empty());
  rapidjson::Document d;
  ParseJson(&d, r.out);
  REQUIRE_MESSAGE(!d.HasParseError(), r.out.substr(0, 300));
  int apt28 = 0;
  for (const auto& o : d["objects"].GetArray()) {
    if (o.HasMember("name") && std::string(o["name"].GetString()) == "APT28") ++apt28;
  }
  CHECK(apt28 == 1);
  testing::ProcessResult v = testing::RunCli("validate -", r.out);
  CHECK_MESSAGE(v.exit_code == 0, v.out << v.err);
}

TEST_CASE("convert batch: NDJSON on stdin gives one bundle per line on stdout; bad lines go to stderr") {
  std::string in =
      "{\"id\":\"a\",\"text\":\"APT28 targeted energy companies in Germany.\"}\n"
      "this is not json\n"
      "{\"id\":\"b\",\"html\":\"<p>Lazarus Group attacked banks in South Korea.</p>\"}\n"
      "\n"
      "{\"id\":\"c\"}\n"
      "{\"id\":\"d\",\"text\":\"Sandworm Team hit the Ukrainian power grid.\",\"published\":\"2016-12-17\"}\n";
  std::string dir = testing::TempDir();
  testing::ProcessResult r = testing::RunCli("convert --ndjson --jobs 2 --out-dir " + Q(dir), in);
  CHECK_MESSAGE(r.exit_code == 1, r.err);
  std::istringstream lines(r.out);
  std::vector<std::string> names;
  for (std::string line; std::getline(lines, line);) {
    rapidjson::Document d;
    ParseJson(&d, line);
    REQUIRE_MESSAGE(!d.HasParseError(), line.substr(0, 200));
    for (const auto& o : d["objects"].GetArray()) {
      if (std::string(o["type"].GetString()) == "report") {
        names.push_back(o["external_references"][0]["description"].GetString());
      }
    }
  }
  CHECK(names == std::vector<std::string>{"<stdin>#a", "<stdin>#b", "<stdin>#d"});
  CHECK_MESSAGE(r.err.find("line 2") != std::string::npos, r.err);
  CHECK_MESSAGE(r.err.find("line 5") != std::string::npos, r.err);
  std::string failures = testing::ReadTestFile(dir + "/failures.ndjson");
  CHECK_MESSAGE(failures.find("\"line\":2") != std::string::npos, failures);
  CHECK_MESSAGE(failures.find("\"line\":5") != std::string::npos, failures);

  testing::ProcessResult good = testing::RunCli("convert --ndjson --unordered -q -",
                                                "{\"id\":1,\"text\":\"APT29 targeted diplomats.\"}\n");
  CHECK_MESSAGE(good.exit_code == 0, good.err);
  CHECK(good.err.empty());
  CHECK(std::count(good.out.begin(), good.out.end(), '\n') == 1);
}

TEST_CASE("convert batch: single-input behaviour is unchanged") {
  std::string dir = testing::TempDir();
  Write(dir + "/a.txt", Advisory(0));
  testing::ProcessResult r = testing::RunCli("convert --compact " + Q(dir + "/a.txt"));
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 1);
  CHECK(r.err.empty());
}

TEST_CASE("convert batch: Ctrl-C stops cleanly with exit 130 and --skip-existing finishes the job") {
  std::string dir = testing::TempDir();
  // Enough work that the job is still running when the signal comes, also on a loaded machine
  // (the converter is fast: a few hundred small files take well under a second).
  const int kFiles = 1000;
  for (int i = 0; i < kFiles; ++i) {
    std::string text;
    for (int k = 0; k < 20; ++k) text += Advisory(i + k);
    Write(dir + "/in/" + std::to_string(i % 7) + "/doc" + std::to_string(i) + ".txt", text);
  }
  std::string out_dir = dir + "/out";
  std::vector<std::string> args = {"convert", "--jobs", "1", "--out-dir", out_dir, dir + "/in"};
  pid_t pid = Spawn(args, dir + "/stdout", dir + "/stderr");
  // Wait for the first outputs, then interrupt.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    if (fs::exists(out_dir) && CountFiles(out_dir, ".json") >= 3) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  REQUIRE(::kill(pid, SIGINT) == 0);
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  std::string err = testing::ReadTestFile(dir + "/stderr");
  REQUIRE_MESSAGE(WIFEXITED(status), err);
  CHECK_MESSAGE(WEXITSTATUS(status) == 130, err);
  CHECK_MESSAGE(err.find("interrupted") != std::string::npos, err);
  CHECK_MESSAGE(err.find("--skip-existing") != std::string::npos, err);
  size_t done = CountFiles(out_dir, ".json");
  CHECK(done > 0);
  CHECK_MESSAGE(done < static_cast<size_t>(kFiles), "the job finished before the signal; make the corpus larger");
  for (const auto& e : fs::recursive_directory_iterator(out_dir)) {
    std::string p = e.path().string();
    CHECK_MESSAGE(p.find(".tmp.") == std::string::npos, p);
    if (e.is_regular_file() && p.size() > 5 && p.substr(p.size() - 5) == ".json") {
      CHECK_MESSAGE(ParsesAsBundle(p), p);
    }
  }
  CHECK(fs::exists(out_dir + "/failures.ndjson"));

  testing::ProcessResult r = testing::RunCli("convert --skip-existing --jobs 2 --out-dir " + Q(out_dir) + " " +
                                             Q(dir + "/in"));
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  CHECK_MESSAGE(r.err.find(std::to_string(done) + " skipped") != std::string::npos, r.err);
  CHECK(CountFiles(out_dir, ".json") == static_cast<size_t>(kFiles));
  size_t bad = 0;
  for (const auto& e : fs::recursive_directory_iterator(out_dir)) {
    std::string p = e.path().string();
    if (p.size() > 5 && p.substr(p.size() - 5) == ".json" && !ParsesAsBundle(p)) ++bad;
  }
  CHECK(bad == 0);
}

}  // namespace prose2stix

namespace prose2stix {

TEST_CASE("convert batch: a second SIGTERM abandons the files in flight and leaves no temporary file") {
  std::string dir = testing::TempDir();
  const int kFiles = 3000;  // far more than finish before the signals, even on a loaded machine
  for (int i = 0; i < kFiles; ++i) Write(dir + "/in/d" + std::to_string(i % 3) + "/" + std::to_string(i) + ".txt", Advisory(i));
  std::string out_dir = dir + "/out";
  pid_t pid = Spawn({"convert", "--jobs", "2", "--out-dir", out_dir, dir + "/in"}, dir + "/stdout", dir + "/stderr");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    if (fs::exists(out_dir) && CountFiles(out_dir, ".json") >= 2) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  REQUIRE(::kill(pid, SIGTERM) == 0);
  REQUIRE(::kill(pid, SIGTERM) == 0);
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  std::string err = testing::ReadTestFile(dir + "/stderr");
  REQUIRE_MESSAGE(WIFEXITED(status), err);
  CHECK_MESSAGE(WEXITSTATUS(status) == 143, err);
  CHECK_MESSAGE(err.find("SIGTERM") != std::string::npos, err);
  size_t done = 0;
  for (const auto& e : fs::recursive_directory_iterator(out_dir)) {
    std::string p = e.path().string();
    CHECK_MESSAGE(p.find(".tmp.") == std::string::npos, p);
    if (e.is_regular_file() && p.size() > 5 && p.substr(p.size() - 5) == ".json") {
      CHECK_MESSAGE(ParsesAsBundle(p), p);
      ++done;
    }
  }
  CHECK_MESSAGE(done < static_cast<size_t>(kFiles), "the job finished before the signals; make the corpus larger");
  CHECK(fs::exists(out_dir + "/failures.ndjson"));
}

}  // namespace prose2stix

namespace prose2stix {

TEST_CASE("convert batch: --files-from - and --ndjson --merge -") {
  std::string dir = testing::TempDir();
  Write(dir + "/x/one.txt", Advisory(0));
  Write(dir + "/y/two.txt", Advisory(5));
  testing::ProcessResult r = testing::RunCli("convert -q --out-dir " + Q(dir + "/out") + " --files-from -",
                                             dir + "/x/one.txt\n" + dir + "/y/two.txt\n");
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  // Absolute paths: base names.
  CHECK(ParsesAsBundle(dir + "/out/one.txt.json"));
  CHECK(ParsesAsBundle(dir + "/out/two.txt.json"));
  CHECK(testing::ReadTestFile(dir + "/out/failures.ndjson").empty());

  std::string in = "{\"id\":1,\"text\":\"APT28 targeted energy companies in Germany.\"}\n"
                   "{\"id\":2,\"text\":\"APT28 also targeted banks in France.\"}\n";
  testing::ProcessResult m = testing::RunCli("convert --ndjson --merge - -q", in);
  CHECK_MESSAGE(m.exit_code == 0, m.err);
  rapidjson::Document d;
  ParseJson(&d, m.out);
  REQUIRE_MESSAGE(!d.HasParseError(), m.out.substr(0, 300));  // one bundle, not two lines
  int apt28 = 0, reports = 0;
  for (const auto& o : d["objects"].GetArray()) {
    if (o.HasMember("name") && std::string(o["name"].GetString()) == "APT28") ++apt28;
    if (std::string(o["type"].GetString()) == "report") ++reports;
  }
  CHECK(apt28 == 1);
  CHECK(reports == 2);
}

}  // namespace prose2stix
