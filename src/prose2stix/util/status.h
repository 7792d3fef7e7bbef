// Status: the outcome of an operation that can fail, naming what failed and where.
//
// A Status is cheap to copy when OK (no allocation). Errors carry a code, a message, and an
// optional context (a file name, "line 3, column 7", a JSON pointer, the offending fragment).
// ToString() renders "<Code>: <message>: <context>". Multiple threads may call const methods on
// a Status without synchronization. The library never throws: every fallible API returns a
// Status or a Result<T> (util/result.h).
#ifndef PROSE2STIX_UTIL_STATUS_H_
#define PROSE2STIX_UTIL_STATUS_H_

#include <memory>
#include <string>
#include <string_view>

namespace prose2stix {

class [[nodiscard]] Status {
 public:
  enum class Code {
    kOk = 0,
    kInvalidArgument,  // a caller's request is malformed (bad option, bad flag value)
    kInvalidInput,     // input bytes are not what they claim (malformed JSON, corrupt PDF, binary)
    kNotFound,         // a file, schema or resource does not exist
    kIoError,          // the operating system refused a read or write
    kTooLarge,         // input exceeds a configured limit
    kUnsupported,      // a format or feature this build does not handle
    kInternal,         // a bug: an invariant of the library itself did not hold
  };

  Status() noexcept = default;
  Status(const Status& other) : state_(other.state_ ? std::make_unique<State>(*other.state_) : nullptr) {}
  Status& operator=(const Status& other) {
    if (this != &other) state_ = other.state_ ? std::make_unique<State>(*other.state_) : nullptr;
    return *this;
  }
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;
  ~Status() = default;

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string_view msg, std::string_view context = {}) {
    return Status(Code::kInvalidArgument, msg, context);
  }
  static Status InvalidInput(std::string_view msg, std::string_view context = {}) {
    return Status(Code::kInvalidInput, msg, context);
  }
  static Status NotFound(std::string_view msg, std::string_view context = {}) {
    return Status(Code::kNotFound, msg, context);
  }
  static Status IoError(std::string_view msg, std::string_view context = {}) {
    return Status(Code::kIoError, msg, context);
  }
  static Status TooLarge(std::string_view msg, std::string_view context = {}) {
    return Status(Code::kTooLarge, msg, context);
  }
  static Status Unsupported(std::string_view msg, std::string_view context = {}) {
    return Status(Code::kUnsupported, msg, context);
  }
  static Status Internal(std::string_view msg, std::string_view context = {}) {
    return Status(Code::kInternal, msg, context);
  }

  bool ok() const { return state_ == nullptr; }
  Code code() const { return state_ ? state_->code : Code::kOk; }
  // The message without code or context; empty when OK.
  const std::string& message() const;
  // The subject or place the error refers to; may be empty.
  const std::string& context() const;

  // Returns a copy whose context is "<prefix>: <old context>" (or just prefix), used to add the
  // file name as an error travels outwards.
  Status WithContext(std::string_view prefix) const;

  // "OK", or "<Code>: <message>" followed by ": <context>" when there is one.
  std::string ToString() const;

  static std::string_view CodeName(Code code);

 private:
  struct State {
    Code code;
    std::string message;
    std::string context;
  };
  Status(Code code, std::string_view msg, std::string_view context)
      : state_(std::make_unique<State>(State{code, std::string(msg), std::string(context)})) {}

  std::unique_ptr<State> state_;
};

}  // namespace prose2stix

// Returns early from the enclosing function when `expr` yields a non-OK Status.
#define PROSE2STIX_RETURN_IF_ERROR(expr)        \
  do {                                          \
    ::prose2stix::Status _st = (expr);          \
    if (!_st.ok()) return _st;                  \
  } while (0)

#endif  // PROSE2STIX_UTIL_STATUS_H_
