// NDJSON reader: one JSON object per line, one Document per object.
//
// Each object has "text" (plain text) or "html" (an HTML page or fragment), and optionally "id"
// (string or number), "title", "published" (any date form date_parse.h accepts) and "url".
// Document::name is "<name>#<id>" (or "<name>#<line number>" without an id); Document::format is
// "ndjson". Blank lines are skipped. Source anchors are approximate: the line's offset plus the
// offset in the decoded "text"/"html" string. Thread-safe.
#ifndef PROSE2STIX_INGEST_NDJSON_READER_H_
#define PROSE2STIX_INGEST_NDJSON_READER_H_

#include <cstddef>
#include <string_view>
#include <vector>

#include "prose2stix/ingest/document.h"
#include "prose2stix/util/result.h"

namespace prose2stix::ingest {

// Reads one line (1-based `line_no`, used in errors and default names). Errors are InvalidInput
// with the context "<name>, line N[, column C]": not JSON, not an object, no "text"/"html", a
// field of the wrong type. A batch driver can call this per line to skip bad lines.
Result<Document> ReadNdjsonLine(std::string_view line, size_t line_no, std::string_view name,
                                bool clean = true);

// Reads every line; the first bad line fails the whole input.
Result<std::vector<Document>> ReadNdjson(std::string_view bytes, std::string_view name, bool clean = true);

}  // namespace prose2stix::ingest

#endif  // PROSE2STIX_INGEST_NDJSON_READER_H_
