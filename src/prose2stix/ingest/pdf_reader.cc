// PDF reading. poppler's text_list() gives the words of a page in its reading order (columns
// and blocks already ordered) with bounding boxes. Words are grouped into lines (a line ends when
// the next word is not on the same baseline), lines carry their box and height. Running headers
// and footers are the top-most and bottom-most lines that repeat (digits masked) on at least half
// of the pages; lone page numbers ("3", "Page 3 of 9", "- 3 -") there are dropped as well. Lines
// are then joined into paragraphs: a paragraph ends at a vertical gap larger than 0.7 line
// heights, a jump back up (new column), a change of font size, an indented first line, or a short
// line ending in sentence punctuation. A word hyphenated at a line end is joined when the next
// line starts in lowercase.
#include "prose2stix/ingest/pdf_reader.h"

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "prose2stix/ingest/boilerplate.h"
#include "prose2stix/ingest/date_parse.h"
#include "prose2stix/util/utf8.h"

namespace prose2stix::ingest {

namespace {

constexpr double kEdgeFraction = 0.12;  // header/footer zone: top and bottom 12% of the page
constexpr size_t kEdgeLines = 2;        // lines per page considered in each zone

struct Line {
  std::string text;
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // y grows downwards
  int page = 0;
  bool drop = false;
  double height() const { return y1 - y0; }
};

void SilencePoppler() {
  static std::once_flag once;
  std::call_once(once, [] { poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr); });
}

std::string ToUtf8(const poppler::ustring& s) {
  const poppler::byte_array bytes = s.to_utf8();
  std::string out(bytes.begin(), bytes.end());
  if (utf8::FirstInvalid(out) != std::string::npos) out = utf8::Repair(out);
  return out;
}

std::vector<Line> PageLines(const poppler::page& page, int index) {
  std::vector<Line> lines;
  const std::vector<poppler::text_box> boxes = page.text_list();
  Line cur;
  bool open = false;
  bool space_after = false;
  for (const poppler::text_box& box : boxes) {
    const poppler::rectf r = box.bbox();
    const std::string word = ToUtf8(box.text());
    if (word.empty()) continue;
    const double top = r.y(), bottom = r.y() + r.height();
    const double mid = (top + bottom) / 2;
    const bool same_line = open && mid > cur.y0 && mid < cur.y1 && r.x() >= cur.x1 - 1.0;
    if (!same_line) {
      if (open) lines.push_back(std::move(cur));
      cur = Line();
      cur.x0 = r.x();
      cur.y0 = top;
      cur.x1 = r.x() + r.width();
      cur.y1 = bottom;
      cur.page = index;
      cur.text = word;
      open = true;
    } else {
      if (space_after || r.x() - cur.x1 > 0.15 * (bottom - top)) cur.text.push_back(' ');
      cur.text += word;
      cur.x1 = std::max(cur.x1, r.x() + r.width());
      cur.y0 = std::min(cur.y0, top);
      cur.y1 = std::max(cur.y1, bottom);
    }
    space_after = box.has_space_after();
  }
  if (open) lines.push_back(std::move(cur));
  return lines;
}

// The line with digits masked, lowercased and trimmed: "Page 3 of 9" and "Page 4 of 9" agree.
std::string EdgeKey(std::string_view text) {
  std::string key;
  bool digit = false;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      if (!digit) key.push_back('#');
      digit = true;
      continue;
    }
    digit = false;
    if (c == ' ' || c == '\t') {
      if (!key.empty() && key.back() != ' ') key.push_back(' ');
      continue;
    }
    key.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  while (!key.empty() && key.back() == ' ') key.pop_back();
  return key;
}

bool IsPageNumber(std::string_view key) {
  // Masked forms: "#", "- # -", "page #", "page # of #", "# of #", "# / #", "[#]".
  std::string compact;
  for (char c : key) {
    if (c != ' ' && c != '-' && c != '[' && c != ']' && c != '(' && c != ')' && c != '|' && c != '.') compact += c;
  }
  return compact == "#" || compact == "page#" || compact == "page#of#" || compact == "#of#" || compact == "#/#" ||
         compact == "p#" || compact == "pg#" || compact == "page#/#";
}

void DropHeadersAndFooters(std::vector<Line>* lines, int pages, const std::vector<double>& page_heights) {
  // Edge lines of each page: up to kEdgeLines from the top and the bottom inside the edge zones.
  std::vector<std::vector<size_t>> by_page(static_cast<size_t>(pages));
  for (size_t i = 0; i < lines->size(); ++i) by_page[static_cast<size_t>((*lines)[i].page)].push_back(i);
  std::vector<size_t> edges;
  for (int p = 0; p < pages; ++p) {
    std::vector<size_t> idx = by_page[static_cast<size_t>(p)];
    if (idx.empty()) continue;
    const double h = page_heights[static_cast<size_t>(p)];
    std::sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return (*lines)[a].y0 < (*lines)[b].y0; });
    for (size_t k = 0; k < idx.size() && k < kEdgeLines; ++k) {
      if ((*lines)[idx[k]].y1 <= h * kEdgeFraction) edges.push_back(idx[k]);
    }
    for (size_t k = 0; k < idx.size() && k < kEdgeLines; ++k) {
      const size_t i = idx[idx.size() - 1 - k];
      if ((*lines)[i].y0 >= h * (1 - kEdgeFraction)) edges.push_back(i);
    }
  }
  std::unordered_map<std::string, std::vector<int>> pages_with;
  for (size_t i : edges) {
    std::vector<int>& v = pages_with[EdgeKey((*lines)[i].text)];
    if (v.empty() || v.back() != (*lines)[i].page) v.push_back((*lines)[i].page);
  }
  const size_t needed = std::max<size_t>(2, (static_cast<size_t>(pages) + 1) / 2);
  for (size_t i : edges) {
    const std::string key = EdgeKey((*lines)[i].text);
    if (IsPageNumber(key) || (pages >= 2 && pages_with[key].size() >= needed)) (*lines)[i].drop = true;
  }
}

bool EndsSentence(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '"' || s.back() == ')')) s.remove_suffix(1);
  if (s.size() >= 3 && (s.substr(s.size() - 3) == "\xE2\x80\x9D" || s.substr(s.size() - 3) == "\xE2\x80\x99")) {
    s.remove_suffix(3);
  }
  return !s.empty() && (s.back() == '.' || s.back() == '!' || s.back() == '?' || s.back() == ':');
}

bool EndsWithWordHyphen(std::string_view s) {
  if (s.size() < 3 || s.back() != '-') return false;
  const char c = s[s.size() - 2];
  return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) && s[s.size() - 3] != '-';
}

enum class Join { kBreak, kSpace, kHyphen };

// How line `a` continues into line `b`.
Join Relate(const Line& a, const Line& b, double right_edge) {
  const double h = std::max(1.0, std::min(a.height(), b.height()));
  const bool new_column = b.page != a.page || b.y0 < a.y0 - 0.5 * h;
  bool brk = false;
  if (new_column) {
    brk = EndsSentence(a.text) && !StartsLowercase(b.text);
  } else {
    const double gap = b.y0 - a.y1;
    const double width = right_edge - std::min(a.x0, b.x0);
    const bool a_short = a.x1 < right_edge - 0.15 * width;
    brk = gap > 0.7 * h || std::fabs(b.height() - a.height()) > 0.25 * h ||
          (b.x0 > a.x0 + 1.5 * h && EndsSentence(a.text)) ||
          (a_short && (EndsSentence(a.text) || !StartsLowercase(b.text)));
  }
  if (brk) return Join::kBreak;
  return EndsWithWordHyphen(a.text) && StartsLowercase(b.text) ? Join::kHyphen : Join::kSpace;
}

std::vector<Block> Paragraphs(const std::vector<Line>& lines) {
  std::vector<const Line*> kept;
  std::unordered_map<int, double> right_edge;  // right edge of the text column per page
  for (const Line& l : lines) {
    if (l.drop) continue;
    kept.push_back(&l);
    right_edge[l.page] = std::max(right_edge[l.page], l.x1);
  }
  std::vector<Block> blocks;
  BlockBuilder builder;
  for (size_t i = 0; i < kept.size(); ++i) {
    const Line& l = *kept[i];
    const Join join = i + 1 < kept.size() ? Relate(l, *kept[i + 1], right_edge[l.page]) : Join::kBreak;
    std::string_view text = l.text;
    if (join == Join::kHyphen) text.remove_suffix(1);
    builder.Append(text, static_cast<size_t>(l.page));
    if (join == Join::kSpace) builder.AppendSpace();
    if (join == Join::kBreak && !builder.empty()) {
      Block b = builder.Take(BlockKind::kParagraph);
      // Page-level anchors: one per paragraph, at the page where it starts.
      b.anchors.resize(1);
      if (!b.text.empty()) blocks.push_back(std::move(b));
    }
  }
  return blocks;
}

}  // namespace

Result<Document> ReadPdf(std::string_view bytes, std::string_view name, bool clean) {
  SilencePoppler();
  if (bytes.size() > static_cast<size_t>(INT_MAX)) return Status::TooLarge("PDF larger than 2 GiB", name);
  std::unique_ptr<poppler::document> pdf(
      poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  if (pdf == nullptr) return Status::InvalidInput("not a readable PDF", name);
  if (pdf->is_locked()) return Status::InvalidInput("encrypted PDF (a password is required)", name);

  const int pages = pdf->pages();
  std::vector<Line> lines;
  std::vector<double> heights(static_cast<size_t>(std::max(pages, 0)), 0.0);
  for (int i = 0; i < pages; ++i) {
    std::unique_ptr<poppler::page> page(pdf->create_page(i));
    if (page == nullptr) continue;
    heights[static_cast<size_t>(i)] = page->page_rect().height();
    std::vector<Line> page_lines = PageLines(*page, i);
    for (Line& l : page_lines) lines.push_back(std::move(l));
  }
  if (pages > 0) DropHeadersAndFooters(&lines, pages, heights);
  Document doc;
  doc.name = std::string(name);
  doc.format = "pdf";
  std::vector<Block> blocks = Paragraphs(lines);
  if (clean) blocks = CleanBlocks(std::move(blocks));

  std::string title = ToUtf8(pdf->info_key("Title"));
  const std::string lower = utf8::AsciiLower(title);
  const bool file_like = lower.find(".doc") != std::string::npos || lower.find(".pdf") != std::string::npos ||
                         lower.rfind("microsoft word", 0) == 0 || lower == "untitled";
  if (!title.empty() && !file_like) {
    doc.title = title;
  } else if (!blocks.empty() && LooksLikeHeadline(blocks.front().text)) {
    doc.title = blocks.front().text;
  }
  for (const char* key : {"CreationDate", "ModDate"}) {
    const time_t t = pdf->info_date_t(key);
    if (t > 0) {
      doc.published = FormatUnixTime(static_cast<int64_t>(t));
      if (!doc.published.empty()) break;
    }
  }
  AssembleText(blocks, &doc);
  return doc;
}

}  // namespace prose2stix::ingest
