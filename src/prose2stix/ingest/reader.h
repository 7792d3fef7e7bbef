// Reading input bytes into Documents: format detection and the per-format readers.
//
// Every reader takes bytes, never a path, so each is fuzzable; `name` is used only in errors and
// in Document::name. Readers never throw and never crash on hostile input: malformed, truncated
// or binary input yields a Status naming `name` and the place (line/column, byte offset, page).
#ifndef PROSE2STIX_INGEST_READER_H_
#define PROSE2STIX_INGEST_READER_H_

#include <string>
#include <string_view>
#include <vector>

#include "prose2stix/ingest/document.h"
#include "prose2stix/util/result.h"

namespace prose2stix::ingest {

enum class Format { kAuto, kText, kMarkdown, kHtml, kXhtml, kPdf, kRss, kAtom, kNdjson };

// "auto", "text", "markdown", "html", "xhtml", "pdf", "rss", "atom", "ndjson" (also "txt", "md",
// "xml" = detect feed kind). Returns false for an unknown name.
bool ParseFormat(std::string_view name, Format* out);
std::string_view FormatName(Format f);

// Guesses the format from the bytes (magic numbers, markup sniffing) and, only as a tie-breaker,
// from the file name's extension.
Format DetectFormat(std::string_view bytes, std::string_view name);

struct ReadOptions {
  Format format = Format::kAuto;  // kAuto detects from the bytes
  bool clean = true;              // drop boilerplate (navigation, teasers, widgets, disclaimers)
};

// Reads one input into one or more documents.
Result<std::vector<Document>> ReadDocuments(std::string_view bytes, std::string_view name,
                                            const ReadOptions& options = {});

}  // namespace prose2stix::ingest

#endif  // PROSE2STIX_INGEST_READER_H_
