// The extraction stage's value types: mentions found in sentences, the document-level entities
// they resolve to, and the relations between entities that sentences state.
//
// All offsets are byte offsets into the normalised document text the extractor was given.
#ifndef PROSE2STIX_EXTRACT_MENTION_H_
#define PROSE2STIX_EXTRACT_MENTION_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "prose2stix/text/token.h"

namespace prose2stix::extract {

enum class EntityType : uint8_t {
  kThreatActor,   // a named intrusion group (STIX threat-actor, or intrusion-set with --intrusion-sets)
  kOrganization,  // company, government body, military, vendor, CERT (identity, class organization)
  kPerson,        // a named individual (identity, class individual)
  kSector,        // an industry sector (identity, class class, with `sectors`)
  kCountry,       // location with country
  kRegion,        // location with region
  kCity,          // location with city (and its country, which STIX needs to place it)
};

std::string_view EntityTypeName(EntityType t);

// One span of text recognised as naming an entity.
struct Mention {
  size_t begin = 0;
  size_t end = 0;
  std::string surface;  // the text as written (normalised)
  EntityType type = EntityType::kOrganization;
  int entity = -1;      // index into Analysis::entities once resolved
  size_t sentence = 0;  // index into Analysis::sentences
  std::string rule;     // what fired: "gazetteer:threat-actor", "naming-scheme:typhoon", "cue:known-as", "tagger:ORG", ...
  float score = 0;      // evidence strength in [0, 1]
  bool demonym = false; // "Chinese", "Russian": names the country through an adjective
  bool metonymy = false;  // "Beijing denies": a capital standing for its government
};

// One thing the document talks about, with everything known about it.
struct Entity {
  EntityType type = EntityType::kOrganization;
  std::string name;                   // canonical name
  std::vector<std::string> aliases;   // other names used in the text (or known for a gazetteer actor)
  std::string country;                // ISO 3166-1 alpha-2: a country's own code, an actor's origin, an org's seat
  std::string region;                 // STIX region vocabulary value for regions
  std::string sector;                 // STIX industry-sector value for sectors
  std::string org_kind;               // organizations: government|military|intelligence|cert|vendor|company|international
  std::vector<std::string> roles;     // people: titles ("FBI Deputy Assistant Director")
  std::string description;            // people: the appositive that introduced them
  std::vector<std::string> threat_actor_types;  // STIX threat-actor-type values from cues
  std::string first_seen;             // "YYYY-01-01T00:00:00.000Z" from "active since YYYY"
  std::vector<size_t> mentions;       // indices into Analysis::mentions
  std::string rule;                   // the strongest rule that typed it
  float score = 0;
};

// A link a sentence states between two entities.
struct Relation {
  std::string type;     // STIX relationship_type: attributed-to, targets, located-at, originates-from, related-to
  int source = -1;      // entity index
  int target = -1;      // entity index
  size_t sentence = 0;  // the supporting sentence
  float confidence = 0; // 0..1, from the cue's strength
  std::string cue;      // the rule: "verb:targeted", "adjective:China-linked", "origin:naming-family", ...
  std::string description;  // the human text when the link is related-to: "supplied tools to"
  std::vector<size_t> evidence;  // every supporting sentence, `sentence` first
};

struct Analysis {
  std::string text;  // normalised document text all offsets refer to
  // (normalised offset, offset in the text that was normalised) anchors, as text::Normalize made
  // them: text::MapToInput(input_anchors, offset) maps an offset back to the Document text.
  std::vector<std::pair<size_t, size_t>> input_anchors;
  std::vector<text::Sentence> sentences;
  std::vector<text::Token> tokens;
  // Filled by ExtractEntities for the later stages: `text` with ASCII letters lower-cased (same
  // offsets), the index of the sentence each token belongs to, and each token's
  // lexicon::Classify() bits (lexicon.h).
  std::string lower_text;
  std::vector<size_t> token_sentence;
  std::vector<uint64_t> token_classes;  // lexicon::WordClasses
  std::vector<Mention> mentions;
  std::vector<Entity> entities;
  std::vector<Relation> relations;
};

}  // namespace prose2stix::extract

#endif  // PROSE2STIX_EXTRACT_MENTION_H_
