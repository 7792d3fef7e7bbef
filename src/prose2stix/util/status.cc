#include "prose2stix/util/status.h"

namespace prose2stix {

namespace {
const std::string& EmptyString() {
  static const std::string* const kEmpty = new std::string();
  return *kEmpty;
}
}  // namespace

const std::string& Status::message() const { return state_ ? state_->message : EmptyString(); }
const std::string& Status::context() const { return state_ ? state_->context : EmptyString(); }

Status Status::WithContext(std::string_view prefix) const {
  if (ok()) return Status();
  std::string ctx(prefix);
  if (!state_->context.empty()) {
    ctx += ": ";
    ctx += state_->context;
  }
  return Status(state_->code, state_->message, ctx);
}

std::string_view Status::CodeName(Code code) {
  switch (code) {
    case Code::kOk: return "OK";
    case Code::kInvalidArgument: return "Invalid argument";
    case Code::kInvalidInput: return "Invalid input";
    case Code::kNotFound: return "Not found";
    case Code::kIoError: return "I/O error";
    case Code::kTooLarge: return "Too large";
    case Code::kUnsupported: return "Unsupported";
    case Code::kInternal: return "Internal error";
  }
  return "Unknown";
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string out(CodeName(state_->code));
  out += ": ";
  out += state_->message;
  if (!state_->context.empty()) {
    out += ": ";
    out += state_->context;
  }
  return out;
}

}  // namespace prose2stix
