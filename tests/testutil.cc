#include "testutil.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include <doctest/doctest.h>

namespace prose2stix::testing {

std::string SourceDir() { return PROSE2STIX_SOURCE_DIR; }

std::string SharedDir() {
  if (const char* env = std::getenv("PROSE2STIX_SHARED_DIR")) return env;
  return PROSE2STIX_SHARED_DIR;
}

bool SharedAvailable() { return std::filesystem::is_directory(SharedDir() + "/data"); }

std::string ReadTestFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot open " << path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

namespace {
std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}
}  // namespace

std::string TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "prose2stix-test-XXXXXX").string();
  char* made = mkdtemp(tmpl.data());
  REQUIRE(made != nullptr);
  return tmpl;
}

ProcessResult RunCli(const std::string& args, const std::string& stdin_text) {
  std::string dir = TempDir();
  std::string in_path = dir + "/stdin", out_path = dir + "/stdout", err_path = dir + "/stderr";
  {
    std::ofstream in(in_path, std::ios::binary);
    in << stdin_text;
  }
  std::string cmd = std::string("'") + PROSE2STIX_BIN + "' " + args + " <'" + in_path + "' >'" + out_path +
                    "' 2>'" + err_path + "'";
  int status = std::system(cmd.c_str());
  ProcessResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = Slurp(out_path);
  r.err = Slurp(err_path);
  std::filesystem::remove_all(dir);
  return r;
}

void Write(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

void ParseJson(rapidjson::Document* d, const std::string& text) {
  std::string padded = text;
  padded.append(16, '\0');
  d->Parse(padded.c_str());
}

const convert::Converter& FixedTimeConverter() {
  static const std::unique_ptr<convert::Converter> conv = [] {
    convert::ConvertOptions opt;
    opt.fixed_time = "2025-01-01T00:00:00.000Z";
    auto c = convert::Converter::Create(opt);
    if (!c.ok()) {
      std::fprintf(stderr, "cannot create the test converter: %s\n", c.status().ToString().c_str());
      std::abort();
    }
    return std::move(*c);
  }();
  return *conv;
}

}  // namespace prose2stix::testing
