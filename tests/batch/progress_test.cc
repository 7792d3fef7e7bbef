#include "prose2stix/batch/progress.h"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "prose2stix/batch/failure_log.h"
#include "prose2stix/batch/output_writer.h"
#include "testutil.h"

namespace prose2stix::batch {

TEST_CASE("batch::FormatDuration") {
  struct Case {
    double seconds;
    const char* want;
  } cases[] = {{0, "0s"}, {41.6, "42s"}, {60, "1m00s"}, {185, "3m05s"}, {7620, "2h07m"}, {-3, "0s"}};
  for (const Case& c : cases) CHECK_MESSAGE(FormatDuration(c.seconds) == c.want, c.seconds);
}

TEST_CASE("batch::Progress renders counts, rates, ETA and failures") {
  std::ostringstream sink;
  Progress p(sink, Progress::Mode::kPlain, 100, 100'000'000, "files");
  Snapshot s;
  s.done = 25;
  s.failed = 2;
  s.bytes = 20'000'000;
  std::string line = p.Render(s, 10.0);
  CHECK_MESSAGE(line.find("25/100 files") != std::string::npos, line);
  CHECK_MESSAGE(line.find("25.0%") != std::string::npos, line);
  CHECK_MESSAGE(line.find("2.00 MB/s") != std::string::npos, line);
  CHECK_MESSAGE(line.find("ETA 40s") != std::string::npos, line);  // 80 MB left at 2 MB/s
  CHECK_MESSAGE(line.find("2 failed") != std::string::npos, line);

  Progress stream(sink, Progress::Mode::kPlain, 0, 0, "lines");
  std::string l2 = stream.Render(s, 10.0);
  CHECK_MESSAGE(l2.find("25 lines") != std::string::npos, l2);
  CHECK_MESSAGE(l2.find("ETA") == std::string::npos, l2);
}

TEST_CASE("batch::Progress prints plain lines at most every five seconds and nothing when off") {
  std::ostringstream plain, off;
  Progress p(plain, Progress::Mode::kPlain, 10, 0);
  Progress q(off, Progress::Mode::kOff, 10, 0);
  Snapshot s;
  for (double t = 0; t < 12.0; t += 0.1) {
    p.Update(s, t);
    q.Update(s, t);
  }
  std::string text = plain.str();
  size_t lines = 0;
  for (char c : text) lines += c == '\n';
  CHECK_MESSAGE(lines == 2, text);  // at 5 s and 10 s
  CHECK(off.str().empty());
}

TEST_CASE("batch::FailuresToNdjson writes one valid object per failure") {
  std::vector<Failure> f = {{"dir/a \"quoted\".pdf", "InvalidInput: corrupt", 0}, {"<stdin>", "bad\nline", 7}};
  std::string text = FailuresToNdjson(f);
  CHECK(text == "{\"input\":\"dir/a \\\"quoted\\\".pdf\",\"error\":\"InvalidInput: corrupt\"}\n"
                "{\"input\":\"<stdin>\",\"line\":7,\"error\":\"bad\\nline\"}\n");
  CHECK(FailuresToNdjson({}).empty());
}

TEST_CASE("batch::OutputWriter writes atomically into new directories and refuses writes once abandoned") {
  std::string dir = testing::TempDir();
  OutputWriter w(/*sync=*/false);
  REQUIRE(w.Write(dir + "/a/b/c.json", "{}\n").ok());
  CHECK(testing::ReadTestFile(dir + "/a/b/c.json") == "{}\n");
  CHECK(w.in_progress() == 0);
  w.Abandon();
  Status s = w.Write(dir + "/d.json", "{}");
  CHECK(!s.ok());
  CHECK(s.code() == Status::Code::kUnsupported);
  CHECK(!std::ifstream(dir + "/d.json").good());
}

}  // namespace prose2stix::batch
