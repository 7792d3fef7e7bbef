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

TEST_CASE("ReadFile reads whole files of every size, and files whose size stat(2) does not tell") {
  std::string dir = testing::TempDir();
  for (size_t n : {size_t{0}, size_t{1}, size_t{4095}, size_t{65535}, size_t{65536}, size_t{65537}, size_t{200000}}) {
    CAPTURE(n);
    std::string data(n, 'a');
    for (size_t i = 0; i < n; ++i) data[i] = static_cast<char>('a' + i % 26);
    std::string path = dir + "/f" + std::to_string(n);
    REQUIRE(WriteFileAtomic(path, data).ok());
    Result<std::string> r = ReadFile(path);
    REQUIRE(r.ok());
    CHECK(*r == data);
    if (n > 0) CHECK(ReadFile(path, n - 1).status().code() == Status::Code::kTooLarge);
  }
  // Files under /proc are regular files of size 0 whose reads return their text in pieces.
  Result<std::string> maps = ReadFile("/proc/self/maps");
  REQUIRE(maps.ok());
  CHECK(maps->size() > 0);
  CHECK(maps->back() == '\n');
}

}  // namespace prose2stix
