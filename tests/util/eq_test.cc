#include "prose2stix/util/eq.h"

#include <string>
#include <string_view>

#include <doctest/doctest.h>

namespace prose2stix {
namespace {

TEST_CASE("Eq compares a view with a literal, byte for byte and in full") {
  const std::string text = "and android a.k.a. AND";
  const std::string_view v(text);
  CHECK(Eq(v.substr(0, 3), "and"));
  CHECK(!Eq(v.substr(4, 7), "and"));      // longer
  CHECK(!Eq(v.substr(4, 2), "and"));      // shorter
  CHECK(!Eq(v.substr(19, 3), "and"));     // case counts
  CHECK(Eq(v.substr(12, 6), "a.k.a."));
  CHECK(Eq(std::string_view(), ""));
  CHECK(!Eq(std::string_view(), "a"));
  CHECK(Eq(std::string("Ltd."), "Ltd."));  // a std::string converts
  const char with_nul[] = {'a', '\0', 'b'};
  CHECK(!Eq(std::string_view(with_nul, 3), "a"));
}

}  // namespace
}  // namespace prose2stix
