// PDF reader (poppler-cpp): text in reading order, joined into paragraphs, without running
// headers, footers and page numbers.
//
// Document::source_map anchors are page-level for PDF: source_offset is the 0-based page index
// of the paragraph (poppler does not expose byte positions of text). Title comes from the PDF
// Title entry (unless it is a file name) or the first headline-like paragraph; published from
// CreationDate, else ModDate. Poppler's own diagnostics are silenced. Thread-safe (poppler
// documents are not shared between calls).
#ifndef PROSE2STIX_INGEST_PDF_READER_H_
#define PROSE2STIX_INGEST_PDF_READER_H_

#include <string_view>

#include "prose2stix/ingest/document.h"
#include "prose2stix/util/result.h"

namespace prose2stix::ingest {

// Fails with InvalidInput "not a readable PDF" (naming `name`) when poppler cannot open the
// bytes, and "encrypted PDF" when a password is needed. A truncated file that poppler can still
// partly read yields the text of the pages it can read.
Result<Document> ReadPdf(std::string_view bytes, std::string_view name, bool clean = true);

}  // namespace prose2stix::ingest

#endif  // PROSE2STIX_INGEST_PDF_READER_H_
