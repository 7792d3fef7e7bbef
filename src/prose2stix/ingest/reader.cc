// ReadDocuments: the one entry point from bytes to Documents. It rejects empty and binary input
// with errors naming the input, converts UTF-16 (by BOM) to UTF-8, detects or takes the format,
// and dispatches to the reader of that format.
#include "prose2stix/ingest/reader.h"

#include <string>

#include "prose2stix/ingest/feed_reader.h"
#include "prose2stix/ingest/html_reader.h"
#include "prose2stix/ingest/ndjson_reader.h"
#include "prose2stix/ingest/pdf_reader.h"
#include "prose2stix/ingest/text_reader.h"
#include "prose2stix/util/utf8.h"

namespace prose2stix::ingest {

namespace {

bool IsBlankInput(std::string_view bytes) {
  for (char c : bytes) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') return false;
  }
  return true;
}

// UTF-16 with a byte order mark, as saved by some Windows tools, to UTF-8. Unpaired surrogates
// become U+FFFD.
std::string Utf16ToUtf8(std::string_view bytes, bool big_endian) {
  std::string out;
  out.reserve(bytes.size());
  auto unit = [&](size_t i) -> char32_t {
    const auto b0 = static_cast<unsigned char>(bytes[i]), b1 = static_cast<unsigned char>(bytes[i + 1]);
    return big_endian ? static_cast<char32_t>((b0 << 8) | b1) : static_cast<char32_t>((b1 << 8) | b0);
  };
  for (size_t i = 2; i + 1 < bytes.size(); i += 2) {
    char32_t cp = unit(i);
    if (cp >= 0xD800 && cp <= 0xDBFF && i + 3 < bytes.size()) {
      const char32_t lo = unit(i + 2);
      if (lo >= 0xDC00 && lo <= 0xDFFF) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        i += 2;
      } else {
        cp = utf8::kReplacement;
      }
    } else if (cp >= 0xD800 && cp <= 0xDFFF) {
      cp = utf8::kReplacement;
    }
    utf8::Append(cp, &out);
  }
  return out;
}

Result<std::vector<Document>> One(Result<Document> doc) {
  if (!doc.ok()) return doc.status();
  std::vector<Document> docs;
  docs.push_back(std::move(*doc));
  return docs;
}

}  // namespace

Result<std::vector<Document>> ReadDocuments(std::string_view bytes, std::string_view name,
                                            const ReadOptions& options) {
  if (IsBlankInput(bytes)) return Status::InvalidInput("empty input", name);
  if (bytes.size() >= 2 &&
      ((bytes[0] == '\xFF' && bytes[1] == '\xFE') || (bytes[0] == '\xFE' && bytes[1] == '\xFF'))) {
    const std::string utf8_text = Utf16ToUtf8(bytes, bytes[0] == '\xFE');
    return ReadDocuments(utf8_text, name, options);
  }
  const Format format = options.format == Format::kAuto ? DetectFormat(bytes, name) : options.format;
  if (format != Format::kPdf && utf8::LooksBinary(bytes)) {
    return Status::InvalidInput("binary data, not text (" + std::string(FormatName(format)) + " expected)",
                                name);
  }
  switch (format) {
    case Format::kPdf:
      return One(ReadPdf(bytes, name, options.clean));
    case Format::kHtml:
    case Format::kXhtml: {
      HtmlOptions opts;
      opts.clean = options.clean;
      opts.xhtml = format == Format::kXhtml;
      return One(ReadHtml(bytes, name, opts));
    }
    case Format::kRss:
    case Format::kAtom:
      return ReadFeed(bytes, name, options.clean);
    case Format::kNdjson:
      return ReadNdjson(bytes, name, options.clean);
    case Format::kMarkdown:
      return One(ReadMarkdown(bytes, name, options.clean));
    case Format::kAuto:
    case Format::kText:
      break;
  }
  return One(ReadText(bytes, name, options.clean));
}

}  // namespace prose2stix::ingest
