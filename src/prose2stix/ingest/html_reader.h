// HTML and XHTML reader (gumbo, an HTML5 parser): extracts the article body and its metadata.
//
// Page furniture is removed in three layers: elements that never hold article text (script, nav,
// aside, footer, forms, hidden elements, elements whose class/id name a menu, share bar, cookie
// banner, related-articles box ...); then a Readability-style scorer picks the element that holds
// the article (paragraph length, commas, link density, <article>/<main> bonus) and its
// qualifying siblings; then the shared boilerplate cleaner runs over the paragraphs. Deeply
// nested markup is flattened beyond kMaxHtmlDepth before parsing, and every tree walk is iterative,
// so hostile nesting costs linear time and constant stack. Thread-safe.
#ifndef PROSE2STIX_INGEST_HTML_READER_H_
#define PROSE2STIX_INGEST_HTML_READER_H_

#include <cstddef>
#include <string_view>

#include "prose2stix/ingest/document.h"
#include "prose2stix/util/result.h"

namespace prose2stix::ingest {

inline constexpr size_t kMaxHtmlDepth = 400;

struct HtmlOptions {
  bool clean = true;      // drop boilerplate; false keeps every visible paragraph
  bool fragment = false;  // the input is a content fragment (feed item): no main-content selection,
                          // and plain text without tags keeps its paragraphs
  bool xhtml = false;     // sets Document::format to "xhtml"
};

// Reads one HTML page (or fragment). Metadata: title from og:title, <title> (site name removed)
// or the first <h1>; published from article:published_time and similar meta tags, JSON-LD
// datePublished, or <time datetime>; url from <link rel=canonical> or og:url.
// Source anchors point at the text nodes in `bytes` (exact for well-formed UTF-8; inside a text
// node with character references, and after UTF-8 repair or depth flattening, they are
// approximate).
Result<Document> ReadHtml(std::string_view bytes, std::string_view name, const HtmlOptions& options = {});

}  // namespace prose2stix::ingest

#endif  // PROSE2STIX_INGEST_HTML_READER_H_
