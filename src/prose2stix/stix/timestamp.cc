// Timestamps without the C library's time zone machinery: civil dates are converted to and from
// day counts with Howard Hinnant's days_from_civil / civil_from_days algorithms, so every year
// 0000..9999 works whatever the width of system_clock's duration. Parsing works on an
// (epoch seconds, nanoseconds) pair; only ParseTimestamp converts to a time_point, after a range
// check. NormalizeDate tokenizes its input (words, numbers, HH:MM[:SS], zones) and accepts the
// token shapes listed in the header; it never backtracks, so its cost is linear in the input.
#include "prose2stix/stix/timestamp.h"

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace prose2stix::stix {

namespace {

struct Instant {
  int64_t seconds;  // since 1970-01-01T00:00:00Z
  int64_t nanos;    // 0..999'999'999
};

int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, int64_t* m, int64_t* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = yoe + era * 400 + (*m <= 2);
}

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int64_t DaysInMonth(int64_t y, int64_t m) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[static_cast<size_t>(m - 1)];
}

bool ValidDate(int64_t y, int64_t m, int64_t d) {
  return y >= 0 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= DaysInMonth(y, m);
}

void AppendDigits(int64_t v, int width, std::string* out) {
  char buf[8];
  for (int i = width - 1; i >= 0; --i) {
    buf[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  out->append(buf, static_cast<size_t>(width));
}

std::string FormatInstant(Instant t) {
  static constexpr int64_t kMin = -62167219200;  // 0000-01-01T00:00:00Z
  static constexpr int64_t kMax = 253402300799;  // 9999-12-31T23:59:59Z
  int64_t millis = t.nanos / 1000000;
  if (t.seconds < kMin) {
    t.seconds = kMin;
    millis = 0;
  } else if (t.seconds > kMax) {
    t.seconds = kMax;
    millis = 999;
  }
  int64_t days = t.seconds >= 0 ? t.seconds / 86400 : -((-t.seconds + 86399) / 86400);
  int64_t secs = t.seconds - days * 86400;
  int64_t y = 0, m = 0, d = 0;
  CivilFromDays(days, &y, &m, &d);
  std::string out;
  out.reserve(24);
  AppendDigits(y, 4, &out);
  out.push_back('-');
  AppendDigits(m, 2, &out);
  out.push_back('-');
  AppendDigits(d, 2, &out);
  out.push_back('T');
  AppendDigits(secs / 3600, 2, &out);
  out.push_back(':');
  AppendDigits(secs / 60 % 60, 2, &out);
  out.push_back(':');
  AppendDigits(secs % 60, 2, &out);
  out.push_back('.');
  AppendDigits(millis, 3, &out);
  out.push_back('Z');
  return out;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly `n` digits at s[*pos].
bool ReadFixed(std::string_view s, size_t* pos, int n, int64_t* out) {
  if (*pos + static_cast<size_t>(n) > s.size()) return false;
  int64_t v = 0;
  for (int i = 0; i < n; ++i) {
    char c = s[*pos + static_cast<size_t>(i)];
    if (!IsDigit(c)) return false;
    v = v * 10 + (c - '0');
  }
  *pos += static_cast<size_t>(n);
  *out = v;
  return true;
}

bool Expect(std::string_view s, size_t* pos, char c) {
  if (*pos >= s.size() || s[*pos] != c) return false;
  ++*pos;
  return true;
}

Instant Compose(int64_t y, int64_t mo, int64_t d, int64_t h, int64_t mi, int64_t sec, int64_t nanos,
                int64_t offset_seconds) {
  return Instant{DaysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offset_seconds, nanos};
}

std::optional<Instant> ParseRfc3339(std::string_view s) {
  size_t pos = 0;
  int64_t y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (!ReadFixed(s, &pos, 4, &y) || !Expect(s, &pos, '-') || !ReadFixed(s, &pos, 2, &mo) ||
      !Expect(s, &pos, '-') || !ReadFixed(s, &pos, 2, &d)) {
    return std::nullopt;
  }
  if (pos >= s.size() || (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ')) return std::nullopt;
  ++pos;
  if (!ReadFixed(s, &pos, 2, &h) || !Expect(s, &pos, ':') || !ReadFixed(s, &pos, 2, &mi) ||
      !Expect(s, &pos, ':') || !ReadFixed(s, &pos, 2, &sec)) {
    return std::nullopt;
  }
  int64_t nanos = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    size_t start = pos;
    int64_t scale = 100000000;
    while (pos < s.size() && IsDigit(s[pos])) {
      nanos += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return std::nullopt;
  }
  int64_t offset = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int sign = s[pos] == '-' ? -1 : 1;
    ++pos;
    int64_t oh = 0, om = 0;
    if (!ReadFixed(s, &pos, 2, &oh) || !Expect(s, &pos, ':') || !ReadFixed(s, &pos, 2, &om)) {
      return std::nullopt;
    }
    if (oh > 23 || om > 59) return std::nullopt;
    offset = sign * (oh * 3600 + om * 60);
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  if (!ValidDate(y, mo, d) || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  return Compose(y, mo, d, h, mi, sec, nanos, offset);
}

std::string_view TrimAscii(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

// ---- NormalizeDate -----------------------------------------------------------------------

char LowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

std::string LowerWord(std::string_view w) {
  std::string out(w);
  for (char& c : out) c = LowerAscii(c);
  return out;
}

// 1..12 for an English month name or abbreviation, 0 otherwise.
int MonthNumber(const std::string& w) {
  static constexpr std::array<std::string_view, 12> kNames = {
      "january", "february", "march", "april", "may", "june",
      "july", "august", "september", "october", "november", "december"};
  if (w == "sept") return 9;
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (w == kNames[i] || (w.size() == 3 && kNames[i].substr(0, 3) == w)) return static_cast<int>(i + 1);
  }
  return 0;
}

bool IsWeekday(const std::string& w) {
  static constexpr std::array<std::string_view, 7> kDays = {
      "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
  for (std::string_view d : kDays) {
    if (w == d || (w.size() == 3 && d.substr(0, 3) == w) || (w.size() == 4 && d.substr(0, 4) == w)) {
      return true;  // "tues", "thur" too
    }
  }
  return false;
}

// Offset in seconds east of UTC for an RFC 822 zone name.
std::optional<int64_t> ZoneOffset(const std::string& w) {
  struct Zone {
    std::string_view name;
    int hours;
  };
  static constexpr std::array<Zone, 12> kZones = {{{"gmt", 0}, {"ut", 0}, {"utc", 0}, {"z", 0},
                                                   {"est", -5}, {"edt", -4}, {"cst", -6}, {"cdt", -5},
                                                   {"mst", -7}, {"mdt", -6}, {"pst", -8}, {"pdt", -7}}};
  for (const Zone& z : kZones) {
    if (w == z.name) return int64_t{z.hours} * 3600;
  }
  return std::nullopt;
}

struct DateParts {
  int month = 0;
  bool month_first = false;  // the month name came before any number
  std::vector<std::string> numbers;
  bool has_time = false;
  int64_t hour = 0, minute = 0, second = 0;
  std::optional<int64_t> zone;
  int meridiem = 0;  // 0 none, 1 am, 2 pm
};

// Reads "HH:MM[:SS]" starting at s[*pos] (already known to start with digits and a colon).
bool ReadClock(std::string_view s, size_t* pos, DateParts* parts) {
  int64_t v[3] = {0, 0, 0};
  int fields = 0;
  while (fields < 3) {
    size_t start = *pos;
    while (*pos < s.size() && IsDigit(s[*pos]) && *pos - start < 2) {
      v[fields] = v[fields] * 10 + (s[*pos] - '0');
      ++*pos;
    }
    if (*pos == start) return false;
    ++fields;
    if (*pos < s.size() && s[*pos] == ':' && fields < 3) {
      ++*pos;
    } else {
      break;
    }
  }
  if (fields < 2 || (*pos < s.size() && IsDigit(s[*pos]))) return false;
  if (*pos < s.size() && s[*pos] == '.') {  // fractional seconds: dropped
    ++*pos;
    while (*pos < s.size() && IsDigit(s[*pos])) ++*pos;
  }
  parts->has_time = true;
  parts->hour = v[0];
  parts->minute = v[1];
  parts->second = v[2];
  return v[0] <= 23 && v[1] <= 59 && v[2] <= 60;
}

bool Tokenize(std::string_view s, DateParts* parts) {
  size_t pos = 0;
  while (pos < s.size()) {
    char c = s[pos];
    if (c == ' ' || c == '\t' || c == ',' || c == '\n' || c == '\r') {
      ++pos;
    } else if ((c == '+' || c == '-') && parts->has_time && pos + 1 < s.size() && IsDigit(s[pos + 1])) {
      int sign = c == '-' ? -1 : 1;
      ++pos;
      int64_t hh = 0, mm = 0;
      if (!ReadFixed(s, &pos, 2, &hh)) return false;
      if (pos < s.size() && s[pos] == ':') ++pos;
      if (!ReadFixed(s, &pos, 2, &mm) || hh > 23 || mm > 59 || parts->zone) return false;
      parts->zone = sign * (hh * 3600 + mm * 60);
    } else if (c == '-' || c == '/') {
      ++pos;  // separator in 02-Jun-2020
    } else if (IsDigit(c)) {
      size_t start = pos;
      while (pos < s.size() && IsDigit(s[pos])) ++pos;
      if (pos < s.size() && s[pos] == ':') {
        pos = start;
        if (parts->has_time || !ReadClock(s, &pos, parts)) return false;
        continue;
      }
      if (pos - start > 4) return false;
      parts->numbers.emplace_back(s.substr(start, pos - start));
      if (pos + 1 < s.size()) {  // ordinal suffix: 1st 2nd 3rd 4th
        std::string suffix = LowerWord(s.substr(pos, 2));
        if (suffix == "st" || suffix == "nd" || suffix == "rd" || suffix == "th") {
          if (pos - start > 2) return false;
          pos += 2;
        }
      }
      if (pos < s.size() && (s[pos] >= 'A' && s[pos] <= 'z') && !(s[pos] > 'Z' && s[pos] < 'a')) return false;
    } else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
      size_t start = pos;
      while (pos < s.size() && ((s[pos] >= 'A' && s[pos] <= 'Z') || (s[pos] >= 'a' && s[pos] <= 'z'))) ++pos;
      std::string w = LowerWord(s.substr(start, pos - start));
      if (pos < s.size() && s[pos] == '.') ++pos;  // "Jun." "Wed."
      if (int m = MonthNumber(w); m != 0) {
        if (parts->month != 0) return false;
        parts->month = m;
        parts->month_first = parts->numbers.empty();
      } else if (IsWeekday(w) || w == "of" || w == "the" || w == "at" || w == "on") {
        // noise words
      } else if (w == "am" || w == "pm") {
        if (!parts->has_time || parts->meridiem != 0) return false;
        parts->meridiem = w == "am" ? 1 : 2;
      } else if (std::optional<int64_t> z = ZoneOffset(w); z && parts->has_time && !parts->zone) {
        parts->zone = z;
      } else {
        return false;
      }
    } else {
      return false;
    }
  }
  return true;
}

int64_t ToNumber(const std::string& digits) {
  int64_t v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return v;
}

std::string NormalizeProseDate(std::string_view s) {
  DateParts p;
  if (!Tokenize(s, &p)) return "";
  int64_t y = -1, mo = p.month, d = -1;
  if (mo == 0) {
    // Numeric only: year first (2020/06/02, 2020-06-02 13:00) is unambiguous; nothing else is.
    if (p.numbers.size() != 3 || p.numbers[0].size() != 4 || p.numbers[1].size() > 2 ||
        p.numbers[2].size() > 2) {
      return "";
    }
    y = ToNumber(p.numbers[0]);
    mo = ToNumber(p.numbers[1]);
    d = ToNumber(p.numbers[2]);
  } else if (p.numbers.size() == 1) {
    if (p.numbers[0].size() != 4) return "";  // "June 2020"
    y = ToNumber(p.numbers[0]);
    d = 1;
  } else if (p.numbers.size() == 2) {
    const std::string& a = p.numbers[0];
    const std::string& b = p.numbers[1];
    if (a.size() <= 2 && b.size() == 4) {  // June 2, 2020 | 2 June 2020
      d = ToNumber(a);
      y = ToNumber(b);
    } else if (a.size() == 4 && b.size() <= 2 && !p.month_first) {  // 2020 June 2
      y = ToNumber(a);
      d = ToNumber(b);
    } else if (a.size() <= 2 && b.size() == 2 && !p.month_first) {  // RFC 822: 02 Oct 02
      d = ToNumber(a);
      int64_t yy = ToNumber(b);
      y = yy < 50 ? 2000 + yy : 1900 + yy;
    } else {
      return "";
    }
  } else {
    return "";
  }
  if (!ValidDate(y, mo, d)) return "";
  int64_t hour = p.hour;
  if (p.meridiem != 0) {
    if (hour < 1 || hour > 12) return "";
    hour = hour % 12 + (p.meridiem == 2 ? 12 : 0);
  }
  return FormatInstant(Compose(y, mo, d, hour, p.minute, p.second, 0, p.zone.value_or(0)));
}

}  // namespace

std::string FormatTimestamp(std::chrono::system_clock::time_point t) {
  using std::chrono::duration_cast;
  auto since = t.time_since_epoch();
  auto secs = std::chrono::floor<std::chrono::seconds>(since);
  auto nanos = duration_cast<std::chrono::nanoseconds>(since - secs);
  return FormatInstant(Instant{static_cast<int64_t>(secs.count()), static_cast<int64_t>(nanos.count())});
}

std::string NowTimestamp() { return FormatTimestamp(std::chrono::system_clock::now()); }

bool ParseTimestamp(std::string_view s, std::chrono::system_clock::time_point* out) {
  std::optional<Instant> t = ParseRfc3339(s);
  if (!t) return false;
  using Duration = std::chrono::system_clock::duration;
  constexpr int64_t kLimit = std::chrono::duration_cast<std::chrono::seconds>(Duration::max()).count() - 1;
  if (t->seconds > kLimit || t->seconds < -kLimit) return false;
  *out = std::chrono::system_clock::time_point(
      std::chrono::duration_cast<Duration>(std::chrono::seconds(t->seconds)) +
      std::chrono::duration_cast<Duration>(std::chrono::nanoseconds(t->nanos)));
  return true;
}

std::string NormalizeTimestamp(std::string_view s) {
  std::optional<Instant> t = ParseRfc3339(TrimAscii(s));
  return t ? FormatInstant(*t) : std::string();
}

std::string NormalizeDate(std::string_view s) {
  s = TrimAscii(s);
  if (s.empty() || s.size() > 200) return "";
  if (std::optional<Instant> t = ParseRfc3339(s)) return FormatInstant(*t);
  // ISO 8601 date-time without a zone (common in JSON feeds): read as UTC.
  if (s.size() >= 19 && s[4] == '-' && s[7] == '-' && (s[10] == 'T' || s[10] == 't')) {
    std::optional<Instant> t = ParseRfc3339(std::string(s) + "Z");
    return t ? FormatInstant(*t) : std::string();
  }
  if (s.size() >= 19 && s[4] == '-' && s[7] == '-' && s[10] == ' ') {
    if (std::optional<Instant> t = ParseRfc3339(std::string(s) + "Z")) return FormatInstant(*t);
  }
  // ISO calendar date alone.
  if (s.size() == 10 && s[4] == '-' && s[7] == '-') {
    size_t pos = 0;
    int64_t y = 0, m = 0, d = 0;
    if (ReadFixed(s, &pos, 4, &y) && Expect(s, &pos, '-') && ReadFixed(s, &pos, 2, &m) &&
        Expect(s, &pos, '-') && ReadFixed(s, &pos, 2, &d) && ValidDate(y, m, d)) {
      return FormatInstant(Compose(y, m, d, 0, 0, 0, 0, 0));
    }
    return "";
  }
  return NormalizeProseDate(s);
}

}  // namespace prose2stix::stix
