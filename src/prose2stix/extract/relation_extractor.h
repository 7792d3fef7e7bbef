// Relation extraction: the links each sentence states between the entities it mentions, plus the
// actor attributes that cue words give (threat_actor_types, first_seen).
#ifndef PROSE2STIX_EXTRACT_RELATION_EXTRACTOR_H_
#define PROSE2STIX_EXTRACT_RELATION_EXTRACTOR_H_

#include "prose2stix/extract/mention.h"

namespace prose2stix::extract {

// Reads analysis->mentions and ->entities (ExtractEntities first); fills analysis->relations and
// sets actor attributes on analysis->entities. May add country entities that a naming family
// implies ("Salt Typhoon" is China-based) when the document does not name the country itself.
void ExtractRelations(Analysis* analysis);

}  // namespace prose2stix::extract

#endif  // PROSE2STIX_EXTRACT_RELATION_EXTRACTOR_H_
