#include "prose2stix/batch/line_reader.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <string>
#include <thread>
#include <vector>

namespace prose2stix::batch {

namespace {

struct Read {
  std::vector<std::string> lines;  // "!too-long" for a skipped line
  std::vector<size_t> numbers;
};

Read ReadAll(const std::string& input, size_t max_line) {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  std::thread writer([&] {
    size_t off = 0;
    while (off < input.size()) {
      // Small writes, so lines straddle reads.
      ssize_t n = ::write(fds[1], input.data() + off, std::min<size_t>(7, input.size() - off));
      if (n <= 0) break;
      off += static_cast<size_t>(n);
    }
    ::close(fds[1]);
  });
  Read r;
  LineReader reader(fds[0], max_line);
  std::string line;
  for (;;) {
    LineReader::Event e = reader.Next(&line, 1000);
    if (e == LineReader::Event::kEnd || e == LineReader::Event::kError) break;
    if (e == LineReader::Event::kTimeout) continue;
    r.lines.push_back(e == LineReader::Event::kLine ? line : "!too-long");
    r.numbers.push_back(reader.line_no());
  }
  writer.join();
  ::close(fds[0]);
  return r;
}

}  // namespace

TEST_CASE("batch::LineReader splits a stream into lines, bounded in length") {
  struct Case {
    std::string input;
    size_t max_line;
    std::vector<std::string> lines;
  } cases[] = {
      {"a\nbb\nccc\n", 100, {"a", "bb", "ccc"}},
      {"a\r\nb\r\n", 100, {"a", "b"}},
      {"no newline at end", 100, {"no newline at end"}},
      {"\n\nx\n", 100, {"", "", "x"}},
      {"", 100, {}},
      {"short\n0123456789abcdef\nok\n", 10, {"short", "!too-long", "ok"}},
      {"short\n0123456789abcdef", 10, {"short", "!too-long"}},
      {std::string(100, 'x') + "\n" + "tail\n", 10, {"!too-long", "tail"}},
  };
  for (const Case& c : cases) {
    Read r = ReadAll(c.input, c.max_line);
    CHECK_MESSAGE(r.lines == c.lines, "input: " << c.input);
    for (size_t i = 0; i < r.numbers.size(); ++i) CHECK_MESSAGE(r.numbers[i] == i + 1, "input: " << c.input);
  }
}

TEST_CASE("batch::LineReader times out when no input is waiting") {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  LineReader reader(fds[0], 100);
  std::string line;
  CHECK(reader.Next(&line, 10) == LineReader::Event::kTimeout);
  REQUIRE(::write(fds[1], "x\n", 2) == 2);
  CHECK(reader.Next(&line, 1000) == LineReader::Event::kLine);
  CHECK(line == "x");
  ::close(fds[1]);
  CHECK(reader.Next(&line, 1000) == LineReader::Event::kEnd);
  ::close(fds[0]);
}

}  // namespace prose2stix::batch
