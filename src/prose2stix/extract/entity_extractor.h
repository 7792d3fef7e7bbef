// Entity recognition: finds the threat actors, organisations, people, sectors and places a
// document names, types each name once per document, and merges aliases into entities.
#ifndef PROSE2STIX_EXTRACT_ENTITY_EXTRACTOR_H_
#define PROSE2STIX_EXTRACT_ENTITY_EXTRACTOR_H_

#include "prose2stix/extract/mention.h"

namespace prose2stix::extract {

struct ExtractOptions {
  // Run the statistical tagger (tagger.model) beside the rules. Off: rules and gazetteers only.
  bool use_tagger = true;
};

// Reads analysis->text, ->sentences and ->tokens; fills analysis->mentions and ->entities.
// Thread-safe: shared tables are immutable after their first use.
void ExtractEntities(Analysis* analysis, const ExtractOptions& options = {});

// Normalised comparison key of a name: ASCII lower case; dots, commas and quotes dropped
// ("U.S." -> "us"); whitespace, hyphens and underscores folded to one space; a leading "the "
// and a trailing " s" removed ("U.S. Treasury" -> "us treasury").
std::string NameKey(std::string_view name);

}  // namespace prose2stix::extract

#endif  // PROSE2STIX_EXTRACT_ENTITY_EXTRACTOR_H_
