// Plain text and Markdown readers.
//
// Plain text is split in one pass over its lines (SplitPlainText): paragraphs end at blank lines,
// and inside a paragraph the length of each line decides whether the break after it is a soft
// wrap (long line: join) or a hard break (short line: its own block). Markdown is read line by
// line with a small state machine for fences, headings, lists and tables, and an inline scanner
// that removes emphasis delimiters by the CommonMark flanking rules, keeps link text and code span
// text, and drops images and HTML tags. Both then share the boilerplate cleaner.
#include "prose2stix/ingest/text_reader.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "prose2stix/ingest/date_parse.h"
#include "prose2stix/util/byte_scan.h"
#include "prose2stix/util/utf8.h"

namespace prose2stix::ingest {

namespace {

constexpr size_t kMinWrapLine = 30;
constexpr size_t kMaxWrappedLine = 160;
constexpr size_t kMetadataWindow = 12;

bool IsBlankChar(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsPunct(char c) {
  return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
}

struct Line {
  std::string_view text;  // without the line terminator
  size_t offset;          // of text[0] in the prepared input
};

std::vector<Line> SplitLines(std::string_view text) {
  std::vector<Line> lines;
  lines.reserve(text.size() / 40 + 1);
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back({line, start});
    if (end == text.size()) break;
    start = end + 1;
  }
  return lines;
}

bool IsBlank(std::string_view s) {
  for (char c : s) {
    if (!IsBlankChar(c)) return false;
  }
  return true;
}

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && IsBlankChar(s.back())) s.remove_suffix(1);
  return s;
}

size_t LeadingBlanks(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  return i;
}

// Length of a bullet or number marker at the start of `s` ("- ", "• ", "12. ", "3) "), or 0.
size_t ListMarkerLength(std::string_view s, bool* numbered) {
  *numbered = false;
  if (s.size() >= 2 && (s[0] == '-' || s[0] == '*' || s[0] == '+') && (s[1] == ' ' || s[1] == '\t')) return 2;
  if (!s.empty() && s[0] == '\xE2' &&
      (s.compare(0, 3, "\xE2\x80\xA2") == 0 || s.compare(0, 3, "\xE2\x97\x8F") == 0 ||
       s.compare(0, 3, "\xE2\x96\xAA") == 0)) {  // • ● ▪
    return s.size() > 3 && s[3] == ' ' ? 4 : 3;
  }
  size_t i = 0;
  while (i < s.size() && i < 9 && IsDigit(s[i])) ++i;
  if (i > 0 && i + 1 < s.size() && (s[i] == '.' || s[i] == ')') && s[i + 1] == ' ') {
    *numbered = true;
    return i + 2;
  }
  return 0;
}

bool EndsWithWordHyphen(std::string_view s) {
  return s.size() >= 3 && s.back() == '-' && IsAlpha(s[s.size() - 2]) && s[s.size() - 3] != '-';
}

void PushBlock(BlockBuilder* builder, BlockKind kind, std::vector<Block>* out) {
  if (builder->empty()) return;
  Block b = builder->Take(kind);
  if (!b.text.empty()) out->push_back(std::move(b));
}

// ---------------------------------------------------------------------------------------------
// Markdown inline scanner.

// Linear-time inline scanner: the scan jumps from one byte that can start markup to the next (a
// line without any is appended at once); bracket and parenthesis partners are found in one pass
// when the line's first '[' needs them, the next '>' is searched forward once, and a failed search
// for a closing backtick run is remembered, so hostile lines ("[[[[", "````", "<<<<") cost O(n).
class InlineScanner {
 public:
  explicit InlineScanner(BlockBuilder* out) : out_(out) {}

  // Appends the visible text of `s` (found at `offset`) to the builder.
  void Run(std::string_view s, size_t offset, int depth = 0) {
    constexpr size_t kNone = std::string_view::npos;
    constexpr size_t kMaxTickRun = 16;
    // Partners of '[' / ']' and '(' / ')' (balanced, escapes skipped), found when the scan first
    // meets a '['. The table lives in a scratch buffer of this nesting depth (link text is scanned
    // one level deeper while the outer line's table is still in use), reused from line to line
    // and never cleared: only entries at '[' and '(' bytes are read, and the pairing pass writes
    // every one of them (kNone when unmatched or escaped).
    Scratch& scratch = scratch_[static_cast<size_t>(std::min(depth, kMaxDepth))];
    bool paired = false;
    auto pair_brackets = [&] {
      paired = true;
      size_t* const partner = scratch.Partner(s.size());
      scratch.open_brackets.clear();
      scratch.open_parens.clear();
      for (size_t i = bytes::FindFirstOf<'\\', '[', ']', '(', ')'>(s, 0); i < s.size();
           i = bytes::FindFirstOf<'\\', '[', ']', '(', ')'>(s, i + 1)) {
        const char c = s[i];
        if (c == '\\') {
          if (++i < s.size()) partner[i] = kNone;  // an escaped byte is no partner
        } else if (c == '[') {
          partner[i] = kNone;
          scratch.open_brackets.push_back(i);
        } else if (c == ']') {
          if (!scratch.open_brackets.empty()) {
            partner[scratch.open_brackets.back()] = i;
            scratch.open_brackets.pop_back();
          }
        } else if (c == '(') {
          partner[i] = kNone;
          scratch.open_parens.push_back(i);
        } else if (!scratch.open_parens.empty()) {  // ')'
          partner[scratch.open_parens.back()] = i;
          scratch.open_parens.pop_back();
        }
      }
    };
    // The first '>' at or after a position: searched when first asked and kept while the scan
    // (whose positions only grow) has not passed it, so the line is searched once.
    bool gt_known = false;
    size_t gt_at = kNone;
    auto next_gt = [&](size_t from) {
      if (!gt_known || from > gt_at) {
        gt_at = s.find('>', from);
        gt_known = true;
      }
      return gt_at;
    };
    // Per backtick run length, where a search for its closing run failed; filled when the line's
    // first backtick is met (most lines have none).
    size_t tick_fail[kMaxTickRun + 1];
    bool ticks_seen = false;

    size_t lit = 0;  // start of the pending literal run
    auto flush = [&](size_t end) {
      if (end > lit) out_->Append(s.substr(lit, end - lit), offset + lit);
    };
    // A link or image at s[open] == '[': "[text](dest)", "[text][ref]", "[text][]".
    auto link = [&](size_t open, size_t* text_end, size_t* after) {
      if (!paired) pair_brackets();
      const size_t* const partner = scratch.partner.get();
      const size_t close = partner[open];
      if (close == kNone || close + 1 >= s.size()) return false;
      *text_end = close;
      if (s[close + 1] == '(' && partner[close + 1] != kNone) {
        *after = partner[close + 1] + 1;
        return true;
      }
      if (s[close + 1] == '[' && partner[close + 1] != kNone) {
        *after = partner[close + 1] + 1;
        return true;
      }
      return false;
    };
    size_t i = 0;
    while (i < s.size()) {
      // The next byte that can start inline markup; everything before it is copied as it is.
      i = bytes::FindFirstOf<'\\', '`', '!', '[', '<', '*', '_', '~'>(s, i);
      if (i >= s.size()) break;
      const char c = s[i];
      if (c == '\\' && i + 1 < s.size() && IsPunct(s[i + 1])) {
        flush(i);
        lit = i + 1;
        i += 2;
        continue;
      }
      if (c == '`') {
        if (!ticks_seen) {
          std::fill(std::begin(tick_fail), std::end(tick_fail), kNone);
          ticks_seen = true;
        }
        size_t run = 0;
        while (i + run < s.size() && s[i + run] == '`') ++run;
        size_t close = kNone;
        if (run <= kMaxTickRun && (tick_fail[run] == kNone || i < tick_fail[run])) {
          close = s.find(std::string(run, '`'), i + run);
          if (close == kNone) tick_fail[run] = 0;  // no later run of this length either
        }
        if (close != kNone) {
          flush(i);
          out_->Append(s.substr(i + run, close - i - run), offset + i + run);
          i = lit = close + run;
          continue;
        }
        i += run;
        continue;
      }
      size_t text_end = 0, after = 0;
      if (c == '!' && i + 1 < s.size() && s[i + 1] == '[' && link(i + 1, &text_end, &after)) {
        flush(i);
        out_->AppendSpace();
        i = lit = after;
        continue;
      }
      if (c == '[' && depth < kMaxDepth && link(i, &text_end, &after)) {
        flush(i);
        Run(s.substr(i + 1, text_end - i - 1), offset + i + 1, depth + 1);
        i = lit = after;
        continue;
      }
      if (c == '<' && next_gt(i + 1) != kNone && next_gt(i + 1) > i + 1 && next_gt(i + 1) - i < 2048) {
        const size_t close = next_gt(i + 1);
        const std::string_view inner = s.substr(i + 1, close - i - 1);
        if (inner.find("://") != std::string_view::npos && inner.find(' ') == std::string_view::npos) {
          flush(i);
          out_->Append(inner, offset + i + 1);
          i = lit = close + 1;
          continue;
        }
        if (IsAlpha(inner[0]) || inner[0] == '/' || inner[0] == '!') {
          flush(i);
          out_->AppendSpace();
          i = lit = close + 1;
          continue;
        }
      }
      if (c == '*' || c == '_' || c == '~') {
        size_t run = 0;
        while (i + run < s.size() && s[i + run] == c) ++run;
        if (c == '~' && run < 2) {
          ++i;
          continue;
        }
        const char prev = i == 0 ? ' ' : s[i - 1];
        const char next = i + run >= s.size() ? ' ' : s[i + run];
        const bool prev_space = IsBlankChar(prev), next_space = IsBlankChar(next);
        const bool left = !next_space && (!IsPunct(next) || prev_space || IsPunct(prev));
        const bool right = !prev_space && (!IsPunct(prev) || next_space || IsPunct(next));
        bool delimiter = left || right;
        if (c == '_') delimiter = (left && (!right || IsPunct(prev))) || (right && (!left || IsPunct(next)));
        if (delimiter) {
          flush(i);
          i = lit = i + run;
          continue;
        }
        i += run;
        continue;
      }
      ++i;
    }
    flush(s.size());
  }

 private:
  static constexpr int kMaxDepth = 2;  // link text inside link text is scanned, one level deeper not
  struct Scratch {
    // Room for `n` partner entries, left uninitialised (see pair_brackets).
    size_t* Partner(size_t n) {
      if (capacity < n) {
        capacity = std::max(n, 2 * capacity);
        partner.reset(new size_t[capacity]);
      }
      return partner.get();
    }
    std::unique_ptr<size_t[]> partner;
    size_t capacity = 0;
    std::vector<size_t> open_brackets, open_parens;
  };
  BlockBuilder* out_;
  std::array<Scratch, kMaxDepth + 1> scratch_;
};

bool IsThematicBreak(std::string_view s) {
  char mark = 0;
  size_t count = 0;
  for (char c : s) {
    if (c == ' ' || c == '\t') continue;
    if (c != '-' && c != '*' && c != '_') return false;
    if (mark != 0 && c != mark) return false;
    mark = c;
    ++count;
  }
  return count >= 3;
}

bool IsSetextUnderline(std::string_view s, BlockKind* level_kind) {
  s = TrimRight(s);
  if (s.empty() || (s[0] != '=' && s[0] != '-')) return false;
  for (char c : s) {
    if (c != s[0]) return false;
  }
  *level_kind = BlockKind::kHeading;
  return true;
}

bool IsTableDelimiterRow(std::string_view s) {
  bool dash = false, pipe = false;
  for (char c : s) {
    if (c == '-') {
      dash = true;
    } else if (c == '|') {
      pipe = true;
    } else if (c != ':' && c != ' ' && c != '\t') {
      return false;
    }
  }
  return dash && pipe;
}

bool IsReferenceDefinition(std::string_view s) {
  if (s.empty() || s[0] != '[') return false;
  const size_t close = s.find("]:");
  return close != std::string_view::npos && close > 1 &&
         s.substr(0, close).find('[', 1) == std::string_view::npos;
}

struct FrontMatter {
  std::string title, date, url;
  size_t end = 0;  // bytes consumed
};

FrontMatter ReadFrontMatter(std::string_view text) {
  FrontMatter fm;
  if (text.compare(0, 4, "---\n") != 0 && text.compare(0, 5, "---\r\n") != 0) return fm;
  size_t pos = text.find('\n') + 1;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = TrimRight(text.substr(pos, eol - pos));
    if (line == "---" || line == "...") {
      fm.end = std::min(eol + 1, text.size());
      return fm;
    }
    const size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
      const std::string key = utf8::AsciiLower(line.substr(0, colon));
      std::string_view value = line.substr(colon + 1);
      value.remove_prefix(LeadingBlanks(value));
      if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
          value.back() == value.front()) {
        value = value.substr(1, value.size() - 2);
      }
      if (key == "title") fm.title = value;
      if (key == "date" || key == "published" || key == "pubdate") fm.date = value;
      if (key == "url" || key == "link" || key == "canonical") fm.url = value;
    }
    pos = eol + 1;
  }
  return FrontMatter{};  // not closed: not front matter
}

// A headline, or a short question ("Who hacked the committee?").
bool LooksLikeTitle(std::string_view text) {
  if (LooksLikeHeadline(text)) return true;
  return !text.empty() && text.back() == '?' && text.size() <= 160 &&
         text.find(". ") == std::string_view::npos;
}

}  // namespace

std::string_view PrepareText(std::string_view bytes, std::string* storage, size_t* offset_shift) {
  *offset_shift = 0;
  if (bytes.compare(0, 3, "\xEF\xBB\xBF") == 0) {
    bytes.remove_prefix(3);
    *offset_shift = 3;
  }
  if (utf8::FirstInvalid(bytes) == std::string_view::npos) return bytes;
  *storage = utf8::Repair(bytes);
  return *storage;
}

std::vector<Block> SplitPlainText(std::string_view text, size_t base_offset) {
  std::vector<Block> blocks;
  const std::vector<Line> lines = SplitLines(text);
  BlockBuilder builder;
  size_t i = 0;
  while (i < lines.size()) {
    // One paragraph: lines [i, j).
    if (IsBlank(lines[i].text)) {  // blank lines, including form feeds between pages
      ++i;
      continue;
    }
    size_t j = i;
    size_t max_len = 0;
    while (j < lines.size() && !IsBlank(lines[j].text)) {
      max_len = std::max(max_len, TrimRight(lines[j].text).size());
      ++j;
    }
    BlockKind kind = BlockKind::kParagraph;
    for (size_t k = i; k < j; ++k) {
      std::string_view line = TrimRight(lines[k].text);
      size_t offset = lines[k].offset + base_offset;
      const size_t lead = LeadingBlanks(line);
      line.remove_prefix(lead);
      offset += lead;
      bool numbered = false;
      const size_t marker = ListMarkerLength(line, &numbered);
      if (marker > 0) {
        PushBlock(&builder, kind, &blocks);
        kind = BlockKind::kListItem;
        if (!numbered) {
          line.remove_prefix(marker);
          offset += marker;
        }
      }
      const bool last = k + 1 == j;
      bool soft = false;
      if (!last) {
        bool next_numbered = false;
        std::string_view next = lines[k + 1].text;
        next.remove_prefix(LeadingBlanks(next));
        const bool hyphenated = EndsWithWordHyphen(line) && StartsLowercase(next);
        // Lines longer than kMaxWrappedLine were not wrapped by an editor: each is a paragraph.
        soft = (hyphenated || (max_len <= kMaxWrappedLine && line.size() >= kMinWrapLine &&
                               line.size() * 10 >= max_len * 6)) &&
               ListMarkerLength(next, &next_numbered) == 0;
        if (soft && hyphenated) {
          line.remove_suffix(1);
          builder.Append(line, offset);
          continue;
        }
      }
      builder.Append(line, offset);
      if (soft) {
        builder.AppendSpace();
      } else {
        PushBlock(&builder, kind, &blocks);
        kind = BlockKind::kParagraph;
      }
    }
    PushBlock(&builder, kind, &blocks);
    i = j;
  }
  return blocks;
}

void InferPublished(const std::vector<Block>& blocks, Document* doc) {
  if (!doc->published.empty()) return;
  for (size_t i = 0; i < blocks.size() && i < kMetadataWindow; ++i) {
    // FindDate does not search lines longer than kMaxDateLine: those need no class either.
    if (blocks[i].text.size() > kMaxDateLine) continue;
    const UnitClass cls = ClassifyUnit(blocks[i].text);
    if (cls != UnitClass::kDateLine && cls != UnitClass::kHeadline) continue;
    std::string date;
    if (FindDate(blocks[i].text, &date)) {
      doc->published = date;
      return;
    }
  }
}

void InferTitle(const std::vector<Block>& blocks, Document* doc) {
  if (!doc->title.empty() || blocks.empty()) return;
  if (LooksLikeTitle(blocks[0].text)) doc->title = blocks[0].text;
}

Result<Document> ReadText(std::string_view bytes, std::string_view name, bool clean) {
  std::string storage;
  size_t shift = 0;
  const std::string_view text = PrepareText(bytes, &storage, &shift);
  Document doc;
  doc.name = std::string(name);
  doc.format = "text";
  std::vector<Block> blocks = SplitPlainText(text, shift);
  InferPublished(blocks, &doc);
  if (clean) blocks = CleanBlocks(std::move(blocks));
  InferTitle(blocks, &doc);
  AssembleText(blocks, &doc);
  return doc;
}

Result<Document> ReadMarkdown(std::string_view bytes, std::string_view name, bool clean) {
  std::string storage;
  size_t shift = 0;
  std::string_view text = PrepareText(bytes, &storage, &shift);
  Document doc;
  doc.name = std::string(name);
  doc.format = "markdown";
  const FrontMatter fm = ReadFrontMatter(text);
  if (fm.end > 0) {
    doc.title = fm.title;
    doc.url = fm.url;
    if (!fm.date.empty()) ParseDate(fm.date, &doc.published);
  }

  std::vector<Block> blocks;
  BlockBuilder builder;
  InlineScanner inline_scanner(&builder);
  BlockKind kind = BlockKind::kParagraph;
  std::string fence;        // the open code fence ("```", "~~~~"), empty when none
  bool in_comment = false;  // inside <!-- ... -->
  bool prev_blank = true;
  bool in_list = false;
  std::string first_heading;
  const std::vector<Line> lines = SplitLines(text.substr(fm.end));
  // Markdown written one paragraph per line (as converters from HTML often do) has many lines
  // longer than any editor wraps at; there a line break ends the paragraph instead of being a
  // soft break.
  size_t text_lines = 0, long_lines = 0;
  for (const Line& l : lines) {
    if (IsBlank(l.text)) continue;
    ++text_lines;
    if (l.text.size() > kMaxWrappedLine) ++long_lines;
  }
  const bool unwrapped = long_lines * 10 >= text_lines && long_lines > 0;
  for (const Line& raw : lines) {
    std::string_view line = TrimRight(raw.text);
    size_t offset = raw.offset + fm.end + shift;
    if (!fence.empty()) {
      std::string_view t = line.substr(LeadingBlanks(line));
      if (t.size() >= fence.size() && t.compare(0, fence.size(), fence) == 0 &&
          t.find_first_not_of(fence[0]) == std::string_view::npos) {
        fence.clear();
      }
      continue;
    }
    if (in_comment) {
      if (line.find("-->") != std::string_view::npos) in_comment = false;
      continue;
    }
    if (IsBlank(line)) {
      PushBlock(&builder, kind, &blocks);
      kind = BlockKind::kParagraph;
      prev_blank = true;
      continue;
    }
    const size_t indent = LeadingBlanks(line);
    const bool tab_indent = indent > 0 && line[0] == '\t';
    if ((indent >= 4 || tab_indent) && builder.empty() && prev_blank && !in_list) {
      continue;  // indented code block
    }
    line.remove_prefix(indent);
    offset += indent;
    while (!line.empty() && line[0] == '>') {  // block quotes: keep their text
      line.remove_prefix(1);
      ++offset;
      const size_t sp = LeadingBlanks(line);
      line.remove_prefix(sp);
      offset += sp;
    }
    prev_blank = false;
    if (line.empty()) {
      PushBlock(&builder, kind, &blocks);
      kind = BlockKind::kParagraph;
      continue;
    }
    if (line.compare(0, 3, "```") == 0 || line.compare(0, 3, "~~~") == 0) {
      PushBlock(&builder, kind, &blocks);
      kind = BlockKind::kParagraph;
      size_t n = 0;
      while (n < line.size() && line[n] == line[0]) ++n;
      fence.assign(n, line[0]);
      continue;
    }
    if (line.compare(0, 4, "<!--") == 0) {
      if (line.find("-->", 4) == std::string_view::npos) in_comment = true;
      continue;
    }
    BlockKind setext = BlockKind::kParagraph;
    if (!builder.empty() && kind == BlockKind::kParagraph && IsSetextUnderline(line, &setext)) {
      PushBlock(&builder, BlockKind::kHeading, &blocks);
      if (first_heading.empty()) first_heading = blocks.back().text;
      continue;
    }
    if (IsThematicBreak(line)) {
      PushBlock(&builder, kind, &blocks);
      kind = BlockKind::kParagraph;
      continue;
    }
    if (line[0] == '#') {
      size_t level = 0;
      while (level < line.size() && line[level] == '#') ++level;
      if (level <= 6 && (level == line.size() || line[level] == ' ' || line[level] == '\t')) {
        PushBlock(&builder, kind, &blocks);
        std::string_view h = line.substr(level);
        size_t h_off = offset + level;
        const size_t sp = LeadingBlanks(h);
        h.remove_prefix(sp);
        h_off += sp;
        while (!h.empty() && h.back() == '#') h.remove_suffix(1);
        inline_scanner.Run(TrimRight(h), h_off);
        PushBlock(&builder, BlockKind::kHeading, &blocks);
        if (first_heading.empty() && !blocks.empty() && blocks.back().kind == BlockKind::kHeading) {
          first_heading = blocks.back().text;
        }
        kind = BlockKind::kParagraph;
        in_list = false;
        continue;
      }
    }
    if (IsReferenceDefinition(line)) continue;
    if (IsTableDelimiterRow(line)) continue;
    if (line[0] == '|') {
      PushBlock(&builder, kind, &blocks);
      size_t cell_start = 1;
      for (size_t p = 1; p <= line.size(); ++p) {
        if (p == line.size() || (line[p] == '|' && line[p - 1] != '\\')) {
          std::string_view cell = line.substr(cell_start, p - cell_start);
          const size_t sp = LeadingBlanks(cell);
          cell = TrimRight(cell.substr(sp));
          if (!cell.empty()) {
            builder.AppendSeparator("; ");
            inline_scanner.Run(cell, offset + cell_start + sp);
          }
          cell_start = p + 1;
        }
      }
      PushBlock(&builder, BlockKind::kTableRow, &blocks);
      kind = BlockKind::kParagraph;
      continue;
    }
    bool numbered = false;
    const size_t marker = ListMarkerLength(line, &numbered);
    if (marker > 0) {
      PushBlock(&builder, kind, &blocks);
      kind = BlockKind::kListItem;
      in_list = true;
      line.remove_prefix(marker);
      offset += marker;
      if (line.compare(0, 4, "[ ] ") == 0 || line.compare(0, 4, "[x] ") == 0 ||
          line.compare(0, 4, "[X] ") == 0) {
        line.remove_prefix(4);
        offset += 4;
      }
    } else if (builder.empty()) {
      in_list = in_list && indent > 0;
    } else if (unwrapped) {
      PushBlock(&builder, kind, &blocks);
      kind = BlockKind::kParagraph;
    }
    if (!builder.empty()) builder.AppendSpace();
    inline_scanner.Run(line, offset);
  }
  PushBlock(&builder, kind, &blocks);

  InferPublished(blocks, &doc);
  // Title: front matter, else the first block when it is a heading or looks like one, else the
  // first heading.
  if (doc.title.empty() && !blocks.empty() &&
      (blocks.front().kind == BlockKind::kHeading || LooksLikeTitle(blocks.front().text))) {
    doc.title = blocks.front().text;
  }
  if (doc.title.empty()) doc.title = first_heading;
  if (clean) blocks = CleanBlocks(std::move(blocks));
  InferTitle(blocks, &doc);
  AssembleText(blocks, &doc);
  return doc;
}

}  // namespace prose2stix::ingest
