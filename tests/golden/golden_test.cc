// Golden test: every sample advisory converts, with a fixed clock, to exactly the bundle stored in
// samples/expected/<file name>.json. Golden files change only through tools/update_golden.sh,
// after a person has read the difference.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "prose2stix/convert/pipeline.h"
#include "testutil.h"

namespace prose2stix {

TEST_CASE("samples convert to their golden bundles") {
  namespace fs = std::filesystem;
  convert::ConvertOptions opt;
  opt.fixed_time = "2025-01-01T00:00:00.000Z";
  auto conv = convert::Converter::Create(opt);
  REQUIRE(conv.ok());
  std::string dir = testing::SourceDir() + "/samples/advisories";
  int compared = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    std::string bytes = testing::ReadTestFile(entry.path().string());
    auto result = (*conv)->Convert(bytes, "samples/advisories/" + name);
    REQUIRE_MESSAGE(result.ok(), name << ": " << result.status().ToString());
    std::string got = convert::Converter::ToJson(result->bundle, true) + "\n";
    std::string expected_path = testing::SourceDir() + "/samples/expected/" + name + ".json";
    REQUIRE_MESSAGE(fs::exists(expected_path), "missing golden file " << expected_path
                                                                      << " (run tools/update_golden.sh)");
    std::string want = testing::ReadTestFile(expected_path);
    CHECK_MESSAGE(got == want, name << " differs from " << expected_path << " (tools/update_golden.sh shows the diff)");
    ++compared;
  }
  CHECK(compared >= 5);
}

TEST_CASE("the CLI output equals the library output and is reproducible") {
  std::string path = testing::SourceDir() + "/samples/advisories/volt-typhoon-utilities.txt";
  auto a = testing::RunCli("convert --pretty --fixed-time 2025-01-01T00:00:00Z '" + path + "'");
  auto b = testing::RunCli("convert --pretty --fixed-time 2025-01-01T00:00:00Z - ", testing::ReadTestFile(path));
  REQUIRE_MESSAGE(a.exit_code == 0, a.err);
  REQUIRE_MESSAGE(b.exit_code == 0, b.err);
  auto a2 = testing::RunCli("convert --pretty --fixed-time 2025-01-01T00:00:00Z '" + path + "'");
  CHECK(a.out == a2.out);
  // stdin has another name, so only the report's external reference differs.
  CHECK(a.out.find("\"type\": \"threat-actor\"") != std::string::npos);
  CHECK(b.out.find("<stdin>") != std::string::npos);
}

}  // namespace prose2stix
