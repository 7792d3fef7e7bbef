// RSS 2.0, RSS 1.0 (RDF) and Atom reader (pugixml): one Document per item/entry.
//
// Each document takes its item's title, link and date (pubDate, dc:date, published, updated,
// normalized to "YYYY-MM-DDTHH:MM:SS.000Z"); the item's content (content:encoded, description,
// Atom content or summary) is HTML or text and goes through the HTML reader in fragment mode.
// Document::name is "<name>#<n>" with n counting items from 1; Document::format is "rss" or
// "atom". External entities are never fetched and internal entities are not expanded, so entity
// bombs cost nothing. Source anchors are approximate: the item content's offset in the feed plus
// the offset in the unescaped content. Thread-safe.
#ifndef PROSE2STIX_INGEST_FEED_READER_H_
#define PROSE2STIX_INGEST_FEED_READER_H_

#include <string_view>
#include <vector>

#include "prose2stix/ingest/document.h"
#include "prose2stix/util/result.h"

namespace prose2stix::ingest {

// Fails with InvalidInput naming `name` and the line:column when the XML is malformed before the
// first complete item, or when the root is not rss, rdf:RDF or feed. A feed without items yields
// an empty vector.
Result<std::vector<Document>> ReadFeed(std::string_view bytes, std::string_view name, bool clean = true);

}  // namespace prose2stix::ingest

#endif  // PROSE2STIX_INGEST_FEED_READER_H_
