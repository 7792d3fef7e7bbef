// Eq(s, "literal"): s equals a string literal, compared inline.
//
// `s == "and"` on a std::string_view calls the C library's memcmp whenever the lengths agree,
// since the length it passes is not a compile-time constant. The rules compare tokens against
// hundreds of short literals; here the length is a template constant, so the compiler compares the
// few bytes in place.
#ifndef PROSE2STIX_UTIL_EQ_H_
#define PROSE2STIX_UTIL_EQ_H_

#include <cstddef>
#include <cstring>
#include <string_view>

namespace prose2stix {

template <size_t N>
inline bool Eq(std::string_view s, const char (&literal)[N]) {
  return s.size() == N - 1 && std::memcmp(s.data(), literal, N - 1) == 0;
}

}  // namespace prose2stix

#endif  // PROSE2STIX_UTIL_EQ_H_
