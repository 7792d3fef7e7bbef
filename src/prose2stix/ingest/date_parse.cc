// Date parsing with a small hand-written cursor instead of regular expressions: the input may be
// hostile and the scanner must stay linear. ParseAt() tries the accepted shapes at one position
// (year first, day first, month first, each optionally preceded by a weekday and followed by a time
// and a zone), validates the calendar fields, converts to UTC through a days-from-civil count and
// formats the result. FindDate() runs ParseAt() at every word start of a short line that could
// open a date: a digit run, or a letter word whose first three letters name a month or a weekday
// (every other word is skipped whole, since ParseAt() could only fail there), and only in lines
// that hold a digit at all (every accepted form has a year in digits).
#include "prose2stix/ingest/date_parse.h"

#include <algorithm>
#include <array>

namespace prose2stix::ingest {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsLower(std::string_view a, std::string_view lower) {
  if (a.size() != lower.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != lower[i]) return false;
  }
  return true;
}

struct Fields {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  int offset_minutes = 0;  // local time minus UTC
};

class Cursor {
 public:
  Cursor(std::string_view s, size_t pos) : s_(s), pos_(pos) {}
  size_t pos() const { return pos_; }
  void set_pos(size_t p) { pos_ = p; }
  bool AtEnd() const { return pos_ >= s_.size(); }
  char Peek(size_t ahead = 0) const { return pos_ + ahead < s_.size() ? s_[pos_ + ahead] : '\0'; }
  bool Eat(char c) {
    if (Peek() != c) return false;
    ++pos_;
    return true;
  }
  void SkipSpaces() {
    while (!AtEnd() && (s_[pos_] == ' ' || s_[pos_] == '\t')) ++pos_;
  }
  // Reads up to `max_digits` digits (and fails on more); *ndigits is the count read.
  bool Number(int* value, int* ndigits, int max_digits) {
    int v = 0, n = 0;
    while (IsDigit(Peek())) {
      if (n == max_digits) return false;
      v = v * 10 + (Peek() - '0');
      ++n;
      ++pos_;
    }
    if (n == 0) return false;
    *value = v;
    *ndigits = n;
    return true;
  }
  bool Word(std::string_view* w) {
    const size_t start = pos_;
    while (IsAlpha(Peek())) ++pos_;
    if (pos_ == start) return false;
    *w = s_.substr(start, pos_ - start);
    return true;
  }

 private:
  std::string_view s_;
  size_t pos_;
};

constexpr std::array<std::string_view, 12> kMonths = {"january",   "february", "march",    "april",
                                                      "may",       "june",     "july",     "august",
                                                      "september", "october",  "november", "december"};
constexpr std::array<std::string_view, 7> kWeekdays = {"monday", "tuesday",  "wednesday", "thursday",
                                                       "friday", "saturday", "sunday"};

// 1..12 for a month name or its 3-letter abbreviation (also "sept"), else 0.
int MonthNumber(std::string_view w) {
  if (w.size() < 3) return 0;
  for (size_t m = 0; m < kMonths.size(); ++m) {
    const std::string_view full = kMonths[m];
    if (EqualsLower(w, full) || EqualsLower(w, full.substr(0, 3)) || (m == 8 && EqualsLower(w, "sept"))) {
      return static_cast<int>(m) + 1;
    }
  }
  return 0;
}

bool IsWeekday(std::string_view w) {
  if (w.size() < 3) return false;
  for (std::string_view d : kWeekdays) {
    if (EqualsLower(w, d) || EqualsLower(w, d.substr(0, 3))) return true;
  }
  return EqualsLower(w, "tues") || EqualsLower(w, "thur") || EqualsLower(w, "thurs");
}

// Whether a word starting with these three letters may be a month or weekday name: every name and
// abbreviation MonthNumber() and IsWeekday() accept starts with the first three letters of a
// month or weekday (case ignored).
bool MayNameDay(std::string_view three) {
  for (std::string_view m : kMonths) {
    if (EqualsLower(three, m.substr(0, 3))) return true;
  }
  for (std::string_view d : kWeekdays) {
    if (EqualsLower(three, d.substr(0, 3))) return true;
  }
  return false;
}

// Named zones of RFC 822 and common North American / European abbreviations, in minutes east of UTC.
bool ZoneOffset(std::string_view w, int* minutes) {
  struct Zone {
    std::string_view name;
    int minutes;
  };
  static constexpr Zone kZones[] = {{"z", 0},      {"ut", 0},     {"utc", 0},    {"gmt", 0},    {"est", -300},
                                    {"edt", -240}, {"cst", -360}, {"cdt", -300}, {"mst", -420}, {"mdt", -360},
                                    {"pst", -480}, {"pdt", -420}, {"cet", 60},   {"cest", 120}, {"eet", 120},
                                    {"eest", 180}, {"jst", 540},  {"msk", 180}};
  for (const Zone& z : kZones) {
    if (EqualsLower(w, z.name)) {
      *minutes = z.minutes;
      return true;
    }
  }
  return false;
}

// Optional zone after a time: "Z", "+02:00", "+0200", "-05", "GMT", "UTC+2" is read as UTC.
void ParseZone(Cursor* c, Fields* f) {
  const size_t save = c->pos();
  c->SkipSpaces();
  const char sign = c->Peek();
  if (sign == '+' || sign == '-') {
    c->Eat(sign);
    int hh = 0, n = 0;
    if (!c->Number(&hh, &n, 4)) {
      c->set_pos(save);
      return;
    }
    int mm = 0;
    if (n == 4) {
      mm = hh % 100;
      hh /= 100;
    } else if (n <= 2 && c->Eat(':')) {
      int n2 = 0;
      if (!c->Number(&mm, &n2, 2)) mm = 0;
    } else if (n == 3) {
      c->set_pos(save);
      return;
    }
    if (hh > 14 || mm > 59) {
      c->set_pos(save);
      return;
    }
    f->offset_minutes = (sign == '-' ? -1 : 1) * (hh * 60 + mm);
    return;
  }
  std::string_view w;
  if (c->Word(&w)) {
    int minutes = 0;
    if (ZoneOffset(w, &minutes)) {
      f->offset_minutes = minutes;
      return;
    }
  }
  c->set_pos(save);
}

// Optional time: [T| |, |at ]HH:MM[:SS[.fff]][ ]?[AM|PM] then an optional zone.
void ParseTime(Cursor* c, Fields* f) {
  const size_t save = c->pos();
  if (!c->Eat('T')) {
    c->Eat(',');
    c->SkipSpaces();
    std::string_view w;
    const size_t before_word = c->pos();
    if (c->Word(&w)) {
      if (EqualsLower(w, "at")) {
        c->SkipSpaces();
      } else {
        c->set_pos(before_word);
      }
    }
  }
  int hh = 0, mm = 0, ss = 0, n = 0;
  if (!c->Number(&hh, &n, 2) || !c->Eat(':') || !c->Number(&mm, &n, 2) || n != 2) {
    c->set_pos(save);
    return;
  }
  if (c->Peek() == ':' && IsDigit(c->Peek(1))) {
    c->Eat(':');
    if (!c->Number(&ss, &n, 2)) ss = 0;
    if ((c->Peek() == '.' || c->Peek() == ',') && IsDigit(c->Peek(1))) {
      c->Eat(c->Peek());
      while (IsDigit(c->Peek())) c->Eat(c->Peek());
    }
  }
  const size_t before_ampm = c->pos();
  c->SkipSpaces();
  std::string_view w;
  if (c->Word(&w) && (EqualsLower(w, "am") || EqualsLower(w, "pm"))) {
    if (hh < 1 || hh > 12) {
      c->set_pos(save);
      return;
    }
    if (EqualsLower(w, "am") && hh == 12) hh = 0;
    if (EqualsLower(w, "pm") && hh != 12) hh += 12;
  } else {
    c->set_pos(before_ampm);
  }
  if (hh > 23 || mm > 59 || ss > 60) {
    c->set_pos(save);
    return;
  }
  f->hour = hh;
  f->minute = mm;
  f->second = ss == 60 ? 59 : ss;
  ParseZone(c, f);
}

// Reads an ordinal suffix after a day number ("2nd").
void SkipOrdinal(Cursor* c) {
  const size_t save = c->pos();
  std::string_view w;
  if (c->Word(&w) &&
      (EqualsLower(w, "st") || EqualsLower(w, "nd") || EqualsLower(w, "rd") || EqualsLower(w, "th"))) {
    return;
  }
  c->set_pos(save);
}

int DaysInMonth(int y, int m) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

// Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

bool Valid(const Fields& f) {
  return f.year >= 1970 && f.year <= 2100 && f.month >= 1 && f.month <= 12 && f.day >= 1 &&
         f.day <= DaysInMonth(f.year, f.month);
}

int ExpandYear(int y, int ndigits) {
  if (ndigits == 4) return y;
  return y < 70 ? 2000 + y : 1900 + y;
}

// Year first: YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD, or (when `compact`) YYYYMMDD.
bool ParseYearFirst(Cursor* c, Fields* f, bool compact) {
  int y = 0, n = 0;
  if (!c->Number(&y, &n, 8)) return false;
  if (n == 8 && compact) {
    f->year = y / 10000;
    f->month = (y / 100) % 100;
    f->day = y % 100;
    if (c->Peek() == 'T' && IsDigit(c->Peek(1))) {
      c->Eat('T');
      int hms = 0;
      if (c->Number(&hms, &n, 6) && n == 6) {
        f->hour = hms / 10000;
        f->minute = (hms / 100) % 100;
        f->second = hms % 100;
        if (f->hour > 23 || f->minute > 59 || f->second > 59) return false;
        ParseZone(c, f);
      }
    }
    return true;
  }
  if (n != 4) return false;
  const char sep = c->Peek();
  if (sep != '-' && sep != '/' && sep != '.') return false;
  c->Eat(sep);
  int mo = 0, d = 0;
  if (!c->Number(&mo, &n, 2) || !c->Eat(sep) || !c->Number(&d, &n, 2)) return false;
  f->year = y;
  f->month = mo;
  f->day = d;
  if (c->Peek() == 'T' || c->Peek() == ' ' || c->Peek() == '\t') ParseTime(c, f);
  if (c->Peek() == 'Z') c->Eat('Z');
  return true;
}

// Day first: D[st] Month[,] YYYY, D-Mon-YYYY; a two-digit year only when a time follows (RFC 822).
bool ParseDayFirst(Cursor* c, Fields* f) {
  int d = 0, n = 0;
  if (!c->Number(&d, &n, 2)) return false;
  SkipOrdinal(c);
  const bool dashed = c->Eat('-');
  if (!dashed) {
    c->Eat('.');
    c->SkipSpaces();
    std::string_view of;
    const size_t before_of = c->pos();
    if (!(c->Word(&of) && EqualsLower(of, "of"))) c->set_pos(before_of);
    c->SkipSpaces();
  }
  std::string_view w;
  if (!c->Word(&w)) return false;
  const int mo = MonthNumber(w);
  if (mo == 0) return false;
  c->Eat('.');
  if (dashed) {
    if (!c->Eat('-')) return false;
  } else {
    c->Eat(',');
    c->SkipSpaces();
  }
  int y = 0;
  if (!c->Number(&y, &n, 4) || (n != 4 && n != 2)) return false;
  f->year = ExpandYear(y, n);
  f->month = mo;
  f->day = d;
  const size_t before_time = c->pos();
  ParseTime(c, f);
  if (n == 2 && c->pos() == before_time) return false;
  return true;
}

// Month first: Month[.] D[st][,] YYYY [time].
bool ParseMonthFirst(Cursor* c, Fields* f, int month) {
  c->Eat('.');
  c->SkipSpaces();
  int d = 0, n = 0;
  if (!c->Number(&d, &n, 2)) return false;
  SkipOrdinal(c);
  c->Eat(',');
  c->SkipSpaces();
  int y = 0;
  if (!c->Number(&y, &n, 4) || n != 4) return false;
  f->year = y;
  f->month = month;
  f->day = d;
  ParseTime(c, f);
  return true;
}

bool ParseAt(std::string_view s, size_t pos, bool compact, Fields* f, size_t* end) {
  Cursor c(s, pos);
  std::string_view w;
  if (IsAlpha(c.Peek())) {
    if (!c.Word(&w)) return false;
    if (IsWeekday(w)) {
      c.Eat('.');
      c.Eat(',');
      c.SkipSpaces();
      if (IsAlpha(c.Peek())) {
        if (!c.Word(&w)) return false;
      } else {
        w = {};
      }
    }
    if (!w.empty()) {
      const int month = MonthNumber(w);
      if (month == 0 || !ParseMonthFirst(&c, f, month)) return false;
      *end = c.pos();
      return Valid(*f);
    }
  }
  if (!IsDigit(c.Peek())) return false;
  const size_t digits_start = c.pos();
  size_t run = 0;
  while (IsDigit(c.Peek(run))) ++run;
  bool ok = false;
  if (run == 4 || run == 8) {
    ok = ParseYearFirst(&c, f, compact);
  } else if (run <= 2) {
    ok = ParseDayFirst(&c, f);
  }
  if (!ok || c.pos() == digits_start) return false;
  *end = c.pos();
  return Valid(*f);
}

std::string Format(const Fields& f) {
  int64_t secs = DaysFromCivil(f.year, f.month, f.day) * 86400 + f.hour * 3600 + f.minute * 60 + f.second -
                 static_cast<int64_t>(f.offset_minutes) * 60;
  return FormatUnixTime(secs);
}

}  // namespace

std::string FormatUnixTime(int64_t seconds) {
  if (seconds < 0 || seconds >= DaysFromCivil(2101, 1, 1) * 86400) return {};
  const int64_t days = seconds / 86400;
  const int64_t rem = seconds % 86400;
  // Civil from days (H. Hinnant).
  const int64_t z = days + 719468;
  const int64_t era = z / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = yoe + era * 400 + (m <= 2);
  // "YYYY-MM-DDTHH:MM:SS.000Z" written digit by digit (the year is 1970..2100 here).
  char buf[] = "0000-00-00T00:00:00.000Z";
  const auto put = [&buf](size_t at, int64_t value, int width) {
    for (int k = width - 1; k >= 0; --k, value /= 10) {
      buf[at + static_cast<size_t>(k)] = static_cast<char>('0' + value % 10);
    }
  };
  put(0, y, 4);
  put(5, m, 2);
  put(8, d, 2);
  put(11, rem / 3600, 2);
  put(14, (rem / 60) % 60, 2);
  put(17, rem % 60, 2);
  return std::string(buf, sizeof buf - 1);
}

bool ParseDate(std::string_view s, std::string* out) {
  size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
  Fields f;
  size_t end = 0;
  if (!ParseAt(s, i, /*compact=*/true, &f, &end)) return false;
  *out = Format(f);
  return !out->empty();
}

bool FindDate(std::string_view line, std::string* out, size_t* begin, size_t* end) {
  if (line.size() > kMaxDateLine) return false;
  if (std::find_if(line.begin(), line.end(), IsDigit) == line.end()) return false;
  size_t i = 0;
  while (i < line.size()) {
    const char ch = line[i];
    size_t next = i + 1;  // the scan resumes here when no date starts at i
    if (IsAlpha(ch)) {
      // A letter word opens a date only as a weekday or a month name; no later byte of the word
      // starts one, so a failed word is skipped whole.
      while (next < line.size() && IsAlpha(line[next])) ++next;
      if (next - i < 3 || !MayNameDay(line.substr(i, 3))) {
        i = next;
        continue;
      }
    } else if (!IsDigit(ch) || (i > 0 && IsDigit(line[i - 1]))) {
      i = next;
      continue;
    }
    Fields f;
    size_t e = 0;
    if (ParseAt(line, i, /*compact=*/false, &f, &e) && !(e < line.size() && IsDigit(line[e]))) {
      *out = Format(f);
      if (!out->empty()) {
        if (begin != nullptr) *begin = i;
        if (end != nullptr) *end = e;
        return true;
      }
    }
    i = next;
  }
  return false;
}

}  // namespace prose2stix::ingest
