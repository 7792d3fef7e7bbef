// PDF reading. poppler's text_list() gives the words of a page with bounding boxes. Words are
// grouped into physical lines by baseline and cut at wide gaps; a gutter shared by many lines
// makes the pages two-column, read left column then right column between full-width lines
// (poppler's own flow order merges lines across narrow gutters). Running headers and footers are
// the top-most and bottom-most lines that repeat (digits masked) on at least half of the pages;
// lone page numbers ("3", "Page 3 of 9", "- 3 -") there are dropped as well. Lines are then
// joined into paragraphs: a paragraph ends at a vertical gap larger than 0.7 line heights, a
// change of font size, an indented first line, or a line that ended early (the next line's first
// word would have fitted) at a sentence end or before a capital; across a column or page jump
// only a sentence end followed by a capital ends it. A word hyphenated at a line end is joined
// when the next line starts in lowercase.
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

// poppler sets up its global parameters (encodings, font tables: about a third of reading a small
// PDF) when the first document opens and tears them down when the last one closes, so a batch of
// PDFs paid for them once per file. One tiny document held for the life of the process keeps them.
void KeepPopplerGlobals() {
  static constexpr char kTinyPdf[] =
      "%PDF-1.1\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
      "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 3 3]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
  static const std::unique_ptr<poppler::document> kKeeper(
      poppler::document::load_from_raw_data(kTinyPdf, static_cast<int>(sizeof kTinyPdf - 1)));
}

std::string ToUtf8(const poppler::ustring& s) {
  const poppler::byte_array bytes = s.to_utf8();
  std::string out(bytes.begin(), bytes.end());
  if (utf8::FirstInvalid(out) != std::string::npos) out = utf8::Repair(out);
  return out;
}

struct Word {
  std::string text;
  double x0, y0, x1, y1;
  bool space_after;
  double mid() const { return (y0 + y1) / 2; }
  double height() const { return y1 - y0; }
};

// A run of words on one baseline, possibly spanning several columns.
struct PhysicalLine {
  std::vector<Word> words;  // sorted by x
  double y0 = 0, y1 = 0;
};

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::nth_element(v.begin(), v.begin() + static_cast<ptrdiff_t>(v.size() / 2), v.end());
  return v[v.size() / 2];
}

// Splits a physical line into segments at horizontal gaps wider than `min_gap`.
std::vector<Line> Segments(const PhysicalLine& pl, double min_gap, int page) {
  std::vector<Line> out;
  Line cur;
  bool open = false;
  const Word* prev = nullptr;
  for (const Word& w : pl.words) {
    if (open && w.x0 - prev->x1 > min_gap) {
      out.push_back(std::move(cur));
      open = false;
    }
    if (!open) {
      cur = Line();
      cur.x0 = w.x0;
      cur.y0 = w.y0;
      cur.x1 = w.x1;
      cur.y1 = w.y1;
      cur.page = page;
      cur.text = w.text;
      open = true;
    } else {
      if (prev->space_after || w.x0 - prev->x1 > 0.15 * w.height()) cur.text.push_back(' ');
      cur.text += w.text;
      cur.x1 = std::max(cur.x1, w.x1);
      cur.y0 = std::min(cur.y0, w.y0);
      cur.y1 = std::max(cur.y1, w.y1);
    }
    prev = &w;
  }
  if (open) out.push_back(std::move(cur));
  return out;
}

// The physical lines of one page, each cut into segments at gaps wider than 0.9 line heights.
std::vector<std::vector<Line>> PageSegments(const poppler::page& page, int index) {
  std::vector<Word> words;
  for (const poppler::text_box& box : page.text_list()) {
    std::string text = ToUtf8(box.text());
    if (text.empty()) continue;
    const poppler::rectf r = box.bbox();
    words.push_back(
        {std::move(text), r.x(), r.y(), r.x() + r.width(), r.y() + r.height(), box.has_space_after()});
  }
  if (words.empty()) return {};
  std::stable_sort(words.begin(), words.end(),
                   [](const Word& a, const Word& b) { return a.mid() < b.mid(); });
  std::vector<PhysicalLine> plines;
  for (Word& w : words) {
    if (!plines.empty()) {
      PhysicalLine& pl = plines.back();
      const double mid = (pl.y0 + pl.y1) / 2;
      if (std::fabs(w.mid() - mid) < 0.5 * std::min(w.height(), pl.y1 - pl.y0)) {
        pl.y0 = std::min(pl.y0, w.y0);
        pl.y1 = std::max(pl.y1, w.y1);
        pl.words.push_back(std::move(w));
        continue;
      }
    }
    PhysicalLine pl;
    pl.y0 = w.y0;
    pl.y1 = w.y1;
    pl.words.push_back(std::move(w));
    plines.push_back(std::move(pl));
  }
  std::vector<double> heights;
  for (PhysicalLine& pl : plines) {
    std::stable_sort(pl.words.begin(), pl.words.end(),
                     [](const Word& a, const Word& b) { return a.x0 < b.x0; });
    heights.push_back(pl.y1 - pl.y0);
  }
  const double h = std::max(1.0, Median(heights));
  std::vector<std::vector<Line>> segs;
  segs.reserve(plines.size());
  for (const PhysicalLine& pl : plines) segs.push_back(Segments(pl, 0.9 * h, index));
  return segs;
}

// The x of a gutter shared by the document's two-column pages, or -1. Lines cut in exactly two
// vote with the middle of their gap; the median wins when enough lines agree, it lies in the
// middle of the text area and the text on its left is running text (wide segments), not a table.
double FindGutter(const std::vector<std::vector<std::vector<Line>>>& pages) {
  std::vector<double> votes;
  size_t lines = 0;
  double min_x = 1e18, max_x = -1e18;
  for (const auto& page : pages) {
    for (const std::vector<Line>& segs : page) {
      ++lines;
      if (segs.empty()) continue;
      min_x = std::min(min_x, segs.front().x0);
      max_x = std::max(max_x, segs.back().x1);
      if (segs.size() == 2) votes.push_back((segs[0].x1 + segs[1].x0) / 2);
    }
  }
  if (votes.size() < 3 || votes.size() * 10 < lines) return -1;
  const double g = Median(votes);
  const double span = max_x - min_x;
  if (span <= 0 || g < min_x + 0.3 * span || g > min_x + 0.7 * span) return -1;
  size_t agree = 0;
  double left_width = 0;
  for (const auto& page : pages) {
    for (const std::vector<Line>& segs : page) {
      for (size_t k = 0; k + 1 < segs.size(); ++k) {
        if (segs[k].x1 <= g && segs[k + 1].x0 >= g) {
          ++agree;
          left_width += segs[k].x1 - segs[k].x0;
        }
      }
    }
  }
  if (agree < 3 || agree * 10 < lines) return -1;
  return left_width / static_cast<double>(agree) >= 0.6 * (g - min_x) ? g : -1;
}

// A page's lines in reading order: without a gutter, top to bottom; with one, the left column and
// then the right column of each zone between full-width lines (titles, footers).
std::vector<Line> OrderPage(std::vector<std::vector<Line>> segs, double gutter) {
  std::vector<Line> out;
  if (gutter < 0) {
    for (std::vector<Line>& line_segs : segs) {
      for (Line& l : line_segs) out.push_back(std::move(l));
    }
    return out;
  }
  std::vector<Line> left, right;
  auto flush_zone = [&] {
    for (Line& l : left) out.push_back(std::move(l));
    for (Line& l : right) out.push_back(std::move(l));
    left.clear();
    right.clear();
  };
  for (std::vector<Line>& line_segs : segs) {
    for (Line& l : line_segs) {
      if (l.x1 <= gutter) {
        left.push_back(std::move(l));
      } else if (l.x0 >= gutter) {
        right.push_back(std::move(l));
      } else {
        flush_zone();
        out.push_back(std::move(l));
      }
    }
  }
  flush_zone();
  return out;
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
    if (c != ' ' && c != '-' && c != '[' && c != ']' && c != '(' && c != ')' && c != '|' && c != '.')
      compact += c;
  }
  return compact == "#" || compact == "page#" || compact == "page#of#" || compact == "#of#" ||
         compact == "#/#" || compact == "p#" || compact == "pg#" || compact == "page#/#";
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
  if (s.size() >= 3 &&
      (s.substr(s.size() - 3) == "\xE2\x80\x9D" || s.substr(s.size() - 3) == "\xE2\x80\x99")) {
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
    // `a` ended early if the first word of `b` would have fitted after it (widths estimated from
    // the average character width of `a`, with a margin for wide glyphs).
    const size_t first_word = std::min(b.text.find(' '), b.text.size());
    const double char_width = (a.x1 - a.x0) / static_cast<double>(std::max<size_t>(1, a.text.size()));
    const bool ended_early = right_edge - a.x1 > 1.3 * char_width * static_cast<double>(first_word + 1);
    brk = gap > 0.7 * h || std::fabs(b.height() - a.height()) > 0.25 * h ||
          (b.x0 > a.x0 + 1.5 * h && EndsSentence(a.text)) ||
          (ended_early && (EndsSentence(a.text) || !StartsLowercase(b.text)));
  }
  if (brk) return Join::kBreak;
  return EndsWithWordHyphen(a.text) && StartsLowercase(b.text) ? Join::kHyphen : Join::kSpace;
}

std::vector<Block> Paragraphs(const std::vector<Line>& lines, double gutter) {
  std::vector<const Line*> kept;
  // Right edge of the text column, per page and column (0 = left of the gutter or no gutter).
  auto column = [gutter](const Line& l) { return l.page * 2 + (gutter >= 0 && l.x1 > gutter ? 1 : 0); };
  std::unordered_map<int, double> right_edge;
  for (const Line& l : lines) {
    if (l.drop) continue;
    kept.push_back(&l);
    right_edge[column(l)] = std::max(right_edge[column(l)], l.x1);
  }
  std::vector<Block> blocks;
  BlockBuilder builder;
  for (size_t i = 0; i < kept.size(); ++i) {
    const Line& l = *kept[i];
    const Join join = i + 1 < kept.size() ? Relate(l, *kept[i + 1], right_edge[column(l)]) : Join::kBreak;
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
  KeepPopplerGlobals();
  if (bytes.size() > static_cast<size_t>(INT_MAX)) return Status::TooLarge("PDF larger than 2 GiB", name);
  std::unique_ptr<poppler::document> pdf(
      poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  if (pdf == nullptr) return Status::InvalidInput("not a readable PDF", name);
  if (pdf->is_locked()) return Status::InvalidInput("encrypted PDF (a password is required)", name);

  const int pages = pdf->pages();
  std::vector<std::vector<std::vector<Line>>> segments(static_cast<size_t>(std::max(pages, 0)));
  std::vector<double> heights(static_cast<size_t>(std::max(pages, 0)), 0.0);
  for (int i = 0; i < pages; ++i) {
    std::unique_ptr<poppler::page> page(pdf->create_page(i));
    if (page == nullptr) continue;
    heights[static_cast<size_t>(i)] = page->page_rect().height();
    segments[static_cast<size_t>(i)] = PageSegments(*page, i);
  }
  const double gutter = FindGutter(segments);
  std::vector<Line> lines;
  for (std::vector<std::vector<Line>>& page : segments) {
    for (Line& l : OrderPage(std::move(page), gutter)) lines.push_back(std::move(l));
  }
  if (pages > 0) DropHeadersAndFooters(&lines, pages, heights);
  Document doc;
  doc.name = std::string(name);
  doc.format = "pdf";
  std::vector<Block> blocks = Paragraphs(lines, gutter);
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
