#include "prose2stix/util/status.h"

#include <doctest/doctest.h>

#include "prose2stix/util/file.h"
#include "prose2stix/util/result.h"
#include "testutil.h"

namespace prose2stix {

TEST_CASE("Status renders code, message and context") {
  CHECK(Status::Ok().ToString() == "OK");
  CHECK(Status::InvalidInput("malformed JSON", "a.json: line 3, column 7").ToString() ==
        "Invalid input: malformed JSON: a.json: line 3, column 7");
  CHECK(Status::NotFound("no such file").ToString() == "Not found: no such file");
  Status s = Status::InvalidInput("bad", "line 2").WithContext("x.json");
  CHECK(s.context() == "x.json: line 2");
  Status copy = s;
  CHECK(copy.ToString() == s.ToString());
}

TEST_CASE("Result holds a value or a status") {
  Result<int> good(7);
  REQUIRE(good.ok());
  CHECK(*good == 7);
  Result<int> bad(Status::TooLarge("too big", "f"));
  CHECK_FALSE(bad.ok());
  CHECK(bad.status().code() == Status::Code::kTooLarge);
}

TEST_CASE("ReadFile and WriteFileAtomic") {
  std::string dir = testing::TempDir();
  std::string path = dir + "/x.txt";
  REQUIRE(WriteFileAtomic(path, "hello").ok());
  Result<std::string> r = ReadFile(path);
  REQUIRE(r.ok());
  CHECK(*r == "hello");
  CHECK(ReadFile(path, 3).status().code() == Status::Code::kTooLarge);
  CHECK(ReadFile(dir + "/missing").status().code() == Status::Code::kNotFound);
  CHECK(ReadFile(dir).status().code() == Status::Code::kInvalidArgument);
  CHECK(WriteFileAtomic(dir + "/no/such/dir/f", "x").code() == Status::Code::kIoError);
  Result<std::vector<std::string>> files = ExpandPaths({dir}, {".txt"});
  REQUIRE(files.ok());
  CHECK(files->size() == 1);
}

}  // namespace prose2stix
