// Failures are few next to conversions, so a vector under a mutex is enough; the NDJSON is
// written with RapidJSON so names with quotes, control characters or odd bytes stay valid JSON.
#include "prose2stix/batch/failure_log.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "prose2stix/util/utf8.h"

namespace prose2stix::batch {

void FailureLog::Add(Failure failure) {
  std::lock_guard<std::mutex> lock(mu_);
  failures_.push_back(std::move(failure));
}

size_t FailureLog::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return failures_.size();
}

std::vector<Failure> FailureLog::entries() const {
  std::lock_guard<std::mutex> lock(mu_);
  return failures_;
}

std::string FailuresToNdjson(const std::vector<Failure>& failures) {
  std::string out;
  for (const Failure& f : failures) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    std::string input = utf8::Repair(f.input), error = utf8::Repair(f.error);
    w.StartObject();
    w.Key("input");
    w.String(input.data(), static_cast<rapidjson::SizeType>(input.size()));
    if (f.line > 0) {
      w.Key("line");
      w.Uint64(f.line);
    }
    w.Key("error");
    w.String(error.data(), static_cast<rapidjson::SizeType>(error.size()));
    w.EndObject();
    out.append(buf.GetString(), buf.GetSize());
    out.push_back('\n');
  }
  return out;
}

}  // namespace prose2stix::batch
