// Document: one article's cleaned text and metadata, the value the readers hand to the text stage.
//
// A file yields one Document (text, Markdown, HTML, PDF) or many (one per RSS item / Atom entry /
// NDJSON line). `text` holds only the article body: navigation, teasers, widgets and disclaimers
// are already dropped; paragraphs are separated by a blank line ("\n\n").
#ifndef PROSE2STIX_INGEST_DOCUMENT_H_
#define PROSE2STIX_INGEST_DOCUMENT_H_

#include <cstddef>
#include <string>
#include <vector>

namespace prose2stix::ingest {

// Maps a byte offset in Document::text back to the input: text[text_offset] came from
// source[source_offset]. Anchors are sorted by text_offset; between two anchors offsets advance
// together (one anchor per paragraph or text run is enough).
struct OffsetAnchor {
  size_t text_offset = 0;
  size_t source_offset = 0;
};

struct Document {
  std::string text;       // cleaned article body, UTF-8
  std::string title;      // <title>/first heading, PDF Title, feed item title, or first line; may be empty
  std::string published;  // "YYYY-MM-DDTHH:MM:SS.000Z" when the source states a date, else empty
  std::string url;        // the article's link when the source gives one, else empty
  std::string name;       // the input's name: file path, "<stdin>", or "<file>#<item index>" for feeds
  std::string format;     // "text", "markdown", "html", "xhtml", "pdf", "rss", "atom", "ndjson"
  std::string sha256;     // hex SHA-256 of the bytes this document was read from (set by the pipeline)
  std::vector<OffsetAnchor> source_map;

  // The last anchor at or before `text_offset`, or null when there is none.
  const OffsetAnchor* AnchorAt(size_t text_offset) const {
    const OffsetAnchor* found = nullptr;
    for (const OffsetAnchor& a : source_map) {
      if (a.text_offset > text_offset) break;
      found = &a;
    }
    return found;
  }

  // Source offset for a text offset (nearest anchor at or before it); text_offset when unmapped.
  size_t SourceOffset(size_t text_offset) const {
    const OffsetAnchor* a = AnchorAt(text_offset);
    return a != nullptr ? a->source_offset + (text_offset - a->text_offset) : text_offset;
  }
};

}  // namespace prose2stix::ingest

#endif  // PROSE2STIX_INGEST_DOCUMENT_H_
