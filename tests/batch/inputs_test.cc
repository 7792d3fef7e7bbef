#include "prose2stix/batch/inputs.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "testutil.h"

namespace prose2stix::batch {

namespace {

namespace fs = std::filesystem;

void Touch(const std::string& path, const std::string& text = "APT28 attacked energy firms.\n") {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path) << text;
}

const InputFile* Find(const std::vector<InputFile>& inputs, const std::string& path) {
  for (const InputFile& in : inputs) {
    if (in.path == path) return &in;
  }
  return nullptr;
}

std::vector<std::string> Outputs(const std::vector<InputFile>& inputs) {
  std::vector<std::string> out;
  for (const InputFile& in : inputs) out.push_back(in.output);
  return out;
}

}  // namespace

TEST_CASE("batch::MatchesAnyGlob matches the relative path or the base name") {
  struct Case {
    std::vector<std::string> globs;
    std::string rel;
    bool match;
  } cases[] = {
      {{"*.txt"}, "a.txt", true},
      {{"*.txt"}, "sub/a.txt", true},  // base name matches
      {{"*.txt"}, "a.txt.bak", false},
      {{"sub/*"}, "sub/a.txt", true},
      {{"sub/*"}, "other/a.txt", false},
      {{"2024/*/x.html"}, "2024/05/x.html", true},
      {{"*.pdf", "*.html"}, "r/b.html", true},
      {{}, "a.txt", false},
      {{"[ab].md"}, "dir/b.md", true},
      {{"[ab].md"}, "dir/c.md", false},
  };
  for (const Case& c : cases) {
    CHECK_MESSAGE(MatchesAnyGlob(c.globs, c.rel) == c.match, "rel=" << c.rel << " glob0=" << (c.globs.empty() ? "" : c.globs[0]));
  }
}

TEST_CASE("batch::CollectInputs walks directories in order, mirrors relative paths and skips hidden files") {
  std::string root = testing::TempDir();
  Touch(root + "/in/b.txt");
  Touch(root + "/in/a/z.html");
  Touch(root + "/in/a/y.md");
  Touch(root + "/in/.hidden.txt");
  Touch(root + "/in/.git/config");
  InputOptions o;
  o.paths = {root + "/in"};
  Result<std::vector<InputFile>> r = CollectInputs(o);
  REQUIRE(r.ok());
  std::vector<std::string> want = {"a/y.md.json", "a/z.html.json", "b.txt.json"};
  CHECK(Outputs(*r) == want);
  for (const InputFile& in : *r) {
    CHECK_MESSAGE(in.error.empty(), in.path);
    CHECK_MESSAGE(in.size > 0, in.path);
  }
}

TEST_CASE("batch::CollectInputs applies --include and --exclude inside directories only") {
  std::string root = testing::TempDir();
  Touch(root + "/in/keep.txt");
  Touch(root + "/in/drop.bak");
  Touch(root + "/in/old/keep2.txt");
  Touch(root + "/in/new/keep3.txt");
  Touch(root + "/explicit.bak");
  struct Case {
    std::vector<std::string> include, exclude, want;
  } cases[] = {
      {{}, {}, {"explicit.bak.json", "keep.txt.json", "new/keep3.txt.json", "old/keep2.txt.json", "drop.bak.json"}},
      {{"*.txt"}, {}, {"explicit.bak.json", "keep.txt.json", "new/keep3.txt.json", "old/keep2.txt.json"}},
      {{}, {"*.bak"}, {"explicit.bak.json", "keep.txt.json", "new/keep3.txt.json", "old/keep2.txt.json"}},
      {{}, {"old"}, {"explicit.bak.json", "drop.bak.json", "keep.txt.json", "new/keep3.txt.json"}},
      {{"*.txt"}, {"new/*"}, {"explicit.bak.json", "keep.txt.json", "old/keep2.txt.json"}},
  };
  fs::path cwd = fs::current_path();
  fs::current_path(root);
  for (const Case& c : cases) {
    InputOptions o;
    o.paths = {"in", "explicit.bak"};
    o.include = c.include;
    o.exclude = c.exclude;
    Result<std::vector<InputFile>> r = CollectInputs(o);
    REQUIRE(r.ok());
    std::vector<std::string> got = Outputs(*r), want = c.want;
    std::sort(got.begin(), got.end());
    std::sort(want.begin(), want.end());
    std::string desc = "include=" + (c.include.empty() ? "" : c.include[0]) + " exclude=" +
                       (c.exclude.empty() ? "" : c.exclude[0]);
    CHECK_MESSAGE(got == want, desc);
  }
  fs::current_path(cwd);
}

TEST_CASE("batch::CollectInputs gives same-named files from two roots distinct, stable names") {
  std::string root = testing::TempDir();
  Touch(root + "/x/report.txt", "one");
  Touch(root + "/y/report.txt", "two");
  Touch(root + "/x/only.txt");
  InputOptions o;
  o.paths = {root + "/x", root + "/y"};
  Result<std::vector<InputFile>> r = CollectInputs(o);
  REQUIRE(r.ok());
  REQUIRE(r->size() == 3);
  const InputFile* a = Find(*r, root + "/x/report.txt");
  const InputFile* b = Find(*r, root + "/y/report.txt");
  REQUIRE(a != nullptr);
  REQUIRE(b != nullptr);
  CHECK(a->output != b->output);
  CHECK(a->output.size() == std::string("12345678-report.txt.json").size());
  CHECK(a->output.substr(8) == "-report.txt.json");
  CHECK(Find(*r, root + "/x/only.txt")->output == "only.txt.json");
  // The same job again gives the same names (so --skip-existing finds them).
  Result<std::vector<InputFile>> again = CollectInputs(o);
  REQUIRE(again.ok());
  CHECK(Outputs(*again) == Outputs(*r));
}

TEST_CASE("batch::CollectInputs keeps missing, dangling and listed-directory inputs as failures") {
  std::string root = testing::TempDir();
  Touch(root + "/d/good.txt");
  fs::create_directories(root + "/d/sub");
  fs::create_symlink(root + "/nowhere.txt", root + "/d/broken.txt");
  Touch(root + "/list.txt", root + "/d/good.txt\n\n" + root + "/d/sub\r\n" + root + "/missing.txt\n");
  InputOptions o;
  o.paths = {root + "/d", root + "/absent.txt"};
  o.files_from = {root + "/list.txt"};
  Result<std::vector<InputFile>> r = CollectInputs(o);
  REQUIRE(r.ok());
  struct Want {
    std::string path, error_part;
  } wants[] = {
      {root + "/d/good.txt", ""},
      {root + "/d/broken.txt", "dangling"},
      {root + "/absent.txt", "no such file"},
      {root + "/d/sub", "is a directory"},
      {root + "/missing.txt", "no such file"},
  };
  CHECK(r->size() == 5);  // good.txt listed twice is kept once
  for (const Want& w : wants) {
    const InputFile* in = Find(*r, w.path);
    REQUIRE_MESSAGE(in != nullptr, w.path);
    if (w.error_part.empty()) {
      CHECK_MESSAGE(in->error.empty(), w.path << ": " << in->error);
    } else {
      CHECK_MESSAGE(in->error.find(w.error_part) != std::string::npos, w.path << ": " << in->error);
    }
  }
  std::vector<std::string> outs = Outputs(*r);
  std::set<std::string> names(outs.begin(), outs.end());
  CHECK(names.size() == r->size());
}

TEST_CASE("batch::CollectInputs never collects from the output directory and fails on a missing list") {
  std::string root = testing::TempDir();
  Touch(root + "/in/a.txt");
  Touch(root + "/in/out/a.txt.json", "{}");
  InputOptions o;
  o.paths = {root + "/in"};
  o.skip_dir = root + "/in/out";
  Result<std::vector<InputFile>> r = CollectInputs(o);
  REQUIRE(r.ok());
  REQUIRE(r->size() == 1);
  CHECK((*r)[0].output == "a.txt.json");

  InputOptions bad;
  bad.files_from = {root + "/no-list.txt"};
  CHECK(!CollectInputs(bad).ok());
}

TEST_CASE("batch::AssignOutputNames keeps explicit relative paths and uses base names for absolute ones") {
  std::vector<InputFile> inputs(3);
  inputs[0].path = "docs/a.txt";
  inputs[1].path = "/abs/where/b.txt";
  inputs[2].path = "/abs/else/b.txt";
  std::vector<std::string> rels = {"docs/a.txt", "b.txt", "b.txt"};
  AssignOutputNames(rels, &inputs);
  CHECK(inputs[0].output == "docs/a.txt.json");
  CHECK(inputs[1].output != inputs[2].output);
  CHECK(inputs[1].output.find("-b.txt.json") == 8);
  CHECK(inputs[2].output.find("-b.txt.json") == 8);
}

}  // namespace prose2stix::batch
