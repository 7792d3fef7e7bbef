// Format detection from the bytes, in order of certainty:
//   1. "%PDF-" in the first KiB (the PDF spec lets junk precede the header).
//   2. Markup at the start (after a BOM, whitespace and comments): an XML prolog or a root element
//      named rss / rdf:RDF / feed means a feed, <html> or <!DOCTYPE html> means HTML (XHTML when
//      the XHTML namespace or an XML prolog is present).
//   3. NDJSON: the first non-empty lines are all JSON objects ("{...}").
//   4. HTML by tag density: enough known HTML tags in the first 64 KiB.
//   5. Markdown by cues: "# " headings, "](" links, "**" emphasis, code fences, "- " lists,
//      "|---|" tables; two distinct cues are needed.
//   6. Otherwise text. The file extension only breaks ties: a ".md" file with one Markdown cue is
//      Markdown, ".html" with a few tags is HTML, ".pdf" bytes without the magic are still a
//      (corrupt) PDF so that the error says so.
#include <algorithm>
#include <array>
#include <string>

#include "prose2stix/ingest/reader.h"
#include "prose2stix/util/utf8.h"

namespace prose2stix::ingest {

namespace {

constexpr size_t kSniffBytes = 64 * 1024;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

std::string Extension(std::string_view name) {
  const size_t slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  const size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) return {};
  return utf8::AsciiLower(name.substr(dot + 1));
}

// Skips whitespace, comments, processing instructions and DOCTYPEs; returns the offset of the
// first element's '<', or npos.
size_t FirstElement(std::string_view s, bool* has_prolog, bool* html_doctype) {
  size_t i = 0;
  for (int guard = 0; guard < 64; ++guard) {
    while (i < s.size() && IsSpace(s[i])) ++i;
    if (i >= s.size() || s[i] != '<') return std::string_view::npos;
    std::string_view rest = s.substr(i);
    if (rest.compare(0, 4, "<!--") == 0) {
      const size_t end = s.find("-->", i + 4);
      if (end == std::string_view::npos) return std::string_view::npos;
      i = end + 3;
    } else if (rest.compare(0, 2, "<?") == 0) {
      if (rest.compare(0, 5, "<?xml") == 0) *has_prolog = true;
      const size_t end = s.find("?>", i + 2);
      if (end == std::string_view::npos) return std::string_view::npos;
      i = end + 2;
    } else if (rest.compare(0, 2, "<!") == 0) {
      if (StartsWithNoCase(rest, "<!doctype html")) *html_doctype = true;
      // Skip an internal subset "[ ... ]" if present.
      size_t j = i + 2;
      int brackets = 0;
      for (; j < s.size(); ++j) {
        if (s[j] == '[') ++brackets;
        if (s[j] == ']') --brackets;
        if (s[j] == '>' && brackets <= 0) break;
      }
      if (j >= s.size()) return std::string_view::npos;
      i = j + 1;
    } else {
      return i;
    }
  }
  return std::string_view::npos;
}

std::string ElementName(std::string_view s, size_t lt) {
  size_t i = lt + 1, j = i;
  while (j < s.size() && !IsSpace(s[j]) && s[j] != '>' && s[j] != '/') ++j;
  return std::string(s.substr(i, j - i));
}

bool LooksLikeNdjson(std::string_view s) {
  size_t pos = 0, objects = 0, others = 0;
  while (pos < s.size() && objects + others < 8) {
    size_t eol = s.find('\n', pos);
    if (eol == std::string_view::npos) eol = s.size();
    std::string_view line = s.substr(pos, eol - pos);
    while (!line.empty() && IsSpace(line.back())) line.remove_suffix(1);
    while (!line.empty() && IsSpace(line.front())) line.remove_prefix(1);
    if (!line.empty()) {
      if (line.front() == '{' && (line.back() == '}' || eol == s.size() || eol >= kSniffBytes)) {
        ++objects;
      } else {
        ++others;
      }
    }
    pos = eol + 1;
  }
  return objects > 0 && others == 0;
}

// Known HTML tags opened in `s` ("<p>", "<div class=...>", "</a>").
size_t CountHtmlTags(std::string_view s) {
  static constexpr std::array<std::string_view, 28> kTags = {
      "p",    "div",  "a",     "br",   "span",   "h1",      "h2",      "h3",        "h4",     "li",
      "ul",   "ol",   "table", "tr",   "td",     "img",     "b",       "i",         "strong", "em",
      "body", "head", "title", "meta", "script", "article", "section", "blockquote"};
  size_t count = 0;
  for (size_t i = s.find('<'); i != std::string_view::npos && i + 1 < s.size(); i = s.find('<', i + 1)) {
    size_t j = i + 1;
    if (s[j] == '/') ++j;
    size_t k = j;
    while (k < s.size() && (IsAlpha(s[k]) || (k > j && s[k] >= '0' && s[k] <= '9'))) ++k;
    if (k == j || k >= s.size()) continue;
    if (s[k] != '>' && s[k] != ' ' && s[k] != '/' && s[k] != '\n' && s[k] != '\t' && s[k] != '\r') continue;
    // Known tags are at most 10 letters: longer names are not looked up (and not copied).
    constexpr size_t kMaxTag = 10;
    if (k - j > kMaxTag) continue;
    char lower[kMaxTag];
    for (size_t t = j; t < k; ++t) lower[t - j] = (s[t] >= 'A' && s[t] <= 'Z') ? static_cast<char>(s[t] - 'A' + 'a') : s[t];
    const std::string_view tag(lower, k - j);
    if (std::find(kTags.begin(), kTags.end(), tag) != kTags.end()) ++count;
  }
  return count;
}

// Number of distinct Markdown cues in `s`.
int MarkdownCues(std::string_view s) {
  bool heading = false, link = false, emphasis = false, fence = false, list = false, table = false;
  size_t pos = 0;
  while (pos < s.size()) {
    size_t eol = s.find('\n', pos);
    if (eol == std::string_view::npos) eol = s.size();
    const std::string_view line = s.substr(pos, eol - pos);
    pos = eol + 1;
    if (line.empty()) continue;
    // Every line cue is decided by the first byte; most lines start with none of them.
    switch (line[0]) {
      case '#': {
        size_t n = 0;
        while (n < line.size() && line[n] == '#') ++n;
        if (line.size() >= 2 && n <= 6 && n < line.size() && line[n] == ' ') heading = true;
        break;
      }
      case '`':
      case '~':
        if (line.size() >= 3 && line[1] == line[0] && line[2] == line[0]) fence = true;
        break;
      case '-':
      case '*':
        if (line.size() >= 2 && line[1] == ' ') list = true;
        break;
      case '|':
        if (line.find("---") != std::string_view::npos) table = true;
        break;
      default:
        break;
    }
  }
  const size_t lb = s.find("](");
  if (lb != std::string_view::npos && s.rfind('[', lb) != std::string_view::npos) link = true;
  const size_t em = s.find("**");
  if (em != std::string_view::npos && s.find("**", em + 2) != std::string_view::npos) emphasis = true;
  // A bullet list alone is common in plain text: it counts only next to a stronger cue.
  const int strong = heading + link + emphasis + fence + table;
  return strong == 0 ? 0 : strong + list;
}

}  // namespace

bool ParseFormat(std::string_view name, Format* out) {
  struct Entry {
    std::string_view name;
    Format format;
  };
  static constexpr Entry kNames[] = {
      {"auto", Format::kAuto},         {"text", Format::kText},    {"txt", Format::kText},
      {"markdown", Format::kMarkdown}, {"md", Format::kMarkdown},  {"html", Format::kHtml},
      {"htm", Format::kHtml},          {"xhtml", Format::kXhtml},  {"pdf", Format::kPdf},
      {"rss", Format::kRss},           {"xml", Format::kRss},      {"atom", Format::kAtom},
      {"ndjson", Format::kNdjson},     {"jsonl", Format::kNdjson},
  };
  const std::string lower = utf8::AsciiLower(name);
  for (const Entry& e : kNames) {
    if (lower == e.name) {
      *out = e.format;
      return true;
    }
  }
  return false;
}

std::string_view FormatName(Format f) {
  switch (f) {
    case Format::kAuto:
      return "auto";
    case Format::kText:
      return "text";
    case Format::kMarkdown:
      return "markdown";
    case Format::kHtml:
      return "html";
    case Format::kXhtml:
      return "xhtml";
    case Format::kPdf:
      return "pdf";
    case Format::kRss:
      return "rss";
    case Format::kAtom:
      return "atom";
    case Format::kNdjson:
      return "ndjson";
  }
  return "unknown";
}

Format DetectFormat(std::string_view bytes, std::string_view name) {
  const std::string ext = Extension(name);
  if (bytes.substr(0, 1024).find("%PDF-") != std::string_view::npos) return Format::kPdf;
  if (ext == "pdf" && utf8::LooksBinary(bytes)) return Format::kPdf;
  std::string_view s = bytes.substr(0, kSniffBytes);
  if (s.compare(0, 3, "\xEF\xBB\xBF") == 0) s.remove_prefix(3);

  bool prolog = false, html_doctype = false;
  const size_t root = FirstElement(s, &prolog, &html_doctype);
  if (root != std::string_view::npos) {
    const std::string element = ElementName(s, root);
    const std::string lower = utf8::AsciiLower(element);
    const size_t colon = lower.find(':');
    const std::string local = colon == std::string::npos ? lower : lower.substr(colon + 1);
    if (local == "rss" || local == "rdf") return Format::kRss;
    if (local == "feed") return Format::kAtom;
    if (lower == "html") {
      const size_t tag_end = s.find('>', root);
      const std::string_view tag =
          s.substr(root, tag_end == std::string_view::npos ? s.npos : tag_end - root);
      const bool xmlns = tag.find("http://www.w3.org/1999/xhtml") != std::string_view::npos;
      return xmlns && (prolog || !html_doctype || ext == "xhtml" || ext == "xht") ? Format::kXhtml
                                                                                  : Format::kHtml;
    }
    if (html_doctype) return Format::kHtml;
  } else if (html_doctype) {
    return Format::kHtml;
  }
  if (LooksLikeNdjson(s)) return Format::kNdjson;
  const size_t tags = CountHtmlTags(s);
  if (tags >= 8 || (root != std::string_view::npos && tags >= 2) ||
      (tags >= 2 && (ext == "html" || ext == "htm" || ext == "xhtml"))) {
    return Format::kHtml;
  }
  if (root != std::string_view::npos && prolog) return Format::kHtml;  // other XML: keep its text
  const int cues = MarkdownCues(s);
  if (cues >= 2 || (cues >= 1 && (ext == "md" || ext == "markdown"))) return Format::kMarkdown;
  if (ext == "md" || ext == "markdown") return Format::kMarkdown;
  if ((ext == "html" || ext == "htm") && tags >= 1) return Format::kHtml;
  return Format::kText;
}

}  // namespace prose2stix::ingest
