// Result<T>: a value or the Status that explains why there is none.
//
// libstdc++ 12 has std::expected only in C++23 mode, so this is a small local type.
//   Result<std::string> r = ReadFile(path);
//   if (!r.ok()) return r.status();
//   Use(*r);
#ifndef PROSE2STIX_UTIL_RESULT_H_
#define PROSE2STIX_UTIL_RESULT_H_

#include <cassert>
#include <utility>
#include <variant>

#include "prose2stix/util/status.h"

namespace prose2stix {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!std::get<Status>(v_).ok() && "Result built from an OK Status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  // OK when a value is held.
  Status status() const { return ok() ? Status() : std::get<Status>(v_); }

  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace prose2stix

#endif  // PROSE2STIX_UTIL_RESULT_H_
