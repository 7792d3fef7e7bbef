// Plain text and Markdown readers.
//
// Both take the input bytes (any encoding that is mostly UTF-8: invalid sequences are repaired,
// a leading BOM is skipped), split them into paragraph blocks, run the boilerplate cleaner when
// asked, and return one Document. `bytes` need only live for the call. Source anchors are exact
// byte offsets into `bytes` (after a repair of invalid UTF-8 they refer to the repaired text,
// which differs only where bytes were replaced). Thread-safe.
#ifndef PROSE2STIX_INGEST_TEXT_READER_H_
#define PROSE2STIX_INGEST_TEXT_READER_H_

#include <string_view>
#include <vector>

#include "prose2stix/ingest/boilerplate.h"
#include "prose2stix/ingest/document.h"
#include "prose2stix/util/result.h"

namespace prose2stix::ingest {

// Splits plain text into blocks. Blank lines (and form feeds) end paragraphs. Inside a paragraph
// a line break is a soft wrap, joined with a space, when the line before it is long (at least 30
// bytes and 60% of the paragraph's longest line) and the next line is not a bullet; otherwise
// each line is its own block (lists of short lines, widget rows, a heading glued to its text).
// A word hyphenated at a soft wrap ("espio-" + "nage") is joined. Source offsets are
// `base_offset` + the offset in `text`.
std::vector<Block> SplitPlainText(std::string_view text, size_t base_offset = 0);

// Plain text: title is the first kept paragraph when it looks like a headline; published is a
// date stated on a short line near the top ("Published June 2, 2020").
Result<Document> ReadText(std::string_view bytes, std::string_view name, bool clean = true);

// Markdown (CommonMark-ish): headings, emphasis, links become their text; images, code blocks,
// HTML tags and link reference definitions are dropped; table rows become "cell; cell". YAML front
// matter supplies title, date and url when present.
Result<Document> ReadMarkdown(std::string_view bytes, std::string_view name, bool clean = true);

// Repairs invalid UTF-8 and strips a BOM; *offset_shift is the number of leading bytes skipped.
std::string_view PrepareText(std::string_view bytes, std::string* storage, size_t* offset_shift);

// Sets doc->published (when empty) from a date stamp among the first blocks, read before cleaning
// (the cleaner drops date stamps).
void InferPublished(const std::vector<Block>& blocks, Document* doc);
// Sets doc->title (when empty) from the first block when it looks like a headline.
void InferTitle(const std::vector<Block>& blocks, Document* doc);

}  // namespace prose2stix::ingest

#endif  // PROSE2STIX_INGEST_TEXT_READER_H_
