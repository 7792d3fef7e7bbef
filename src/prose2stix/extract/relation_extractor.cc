// Relations come from cue words inside one sentence; nothing links entities the text does not
// connect. For each sentence the extractor lists its entity mentions in order, adds the actor that
// an anaphor ("the group", "the hackers") refers to (the last actor named within four sentences),
// finds cue words, and applies these rules:
//
//   targets       actor + targeting verb ("targeted", "breached", "stealing", "infiltrating") +
//                 sectors, places or organisations after the verb; passive "X was targeted by A".
//   attributed-to actor + sponsorship cue + organisation ("sponsored by", "works for", "on behalf
//                 of", "ties to", "provided tools to"); reporters ("Mandiant linked A to ...") are
//                 not sponsors.
//   related-to    organisation to organisation for links STIX has no type for: "sanctioned by",
//                 "provided services to", "contractor for", with a description.
//   located-at    a country or demonym modifying an actor or organisation ("China-linked A",
//                 "Chinese firm X", "the U.S. Treasury"); a naming family's origin ("<Word>
//                 Typhoon" is China-based).
//
// Confidence reflects the cue: direct verbs and explicit sponsorship score higher than loose
// "linked to" cues, and anaphora lowers the score.
//
// Cost: every token is classified once against all cue lists (relation_cues.h: one table lookup
// giving a bit per list), so the rules test bits; sentences without names are skipped after the
// anaphora step, and the per-sentence scans touch only that sentence's tokens and items.
#include "prose2stix/extract/relation_extractor.h"

#include <algorithm>
#include <cstddef>
#include <map>
#include <span>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "prose2stix/extract/gazetteer.h"
#include "prose2stix/extract/lexicon.h"
#include "prose2stix/extract/relation_cues.h"
#include "prose2stix/util/eq.h"
#include "prose2stix/util/utf8.h"

namespace prose2stix::extract {

namespace {

// Per-token cue classes (relation_cues.h): the rules test these bits.
using relation_cues::Classes;
using relation_cues::kTargetVerb;
using relation_cues::kSupplyWord;
using relation_cues::kSanctionWord;
using relation_cues::kAttribWord;
using relation_cues::kReportingVerb;
using relation_cues::kContrast;
using relation_cues::kVictimNoun;
using relation_cues::kVictimListVerb;
using relation_cues::kDemonstrative;
using relation_cues::kAnaphorModifier;
using relation_cues::kAnaphorNoun;
using relation_cues::kCompanyNoun;
using relation_cues::kNounCue;
using relation_cues::kNounCuePrep;
using relation_cues::kArticle;
using relation_cues::kModifierPrep;
using relation_cues::kObjectStop;
using relation_cues::kPossessive;
using relation_cues::kAidVerb;
using relation_cues::kStateBacked;
using relation_cues::kStateSuffix;
using relation_cues::kSpyWord;
using relation_cues::kCrimeWord;
using relation_cues::kRansomwareNoun;
using relation_cues::kActivistWord;
using relation_cues::kActiveWord;
using relation_cues::kModifier;
using relation_cues::kActorModifier;
using relation_cues::kOrgModifier;
using relation_cues::kToldSaid;
using relation_cues::kActorAttribute;

struct Item {
  size_t begin = 0, end = 0;  // bytes
  size_t tok_first = 0, tok_last = 0;  // token range [first, last)
  int entity = -1;
  bool coref = false;
  bool demonym = false;
  bool metonymy = false;  // a capital standing for its government ("Beijing denies")
};

class RelationFinder {
 public:
  explicit RelationFinder(Analysis* a) : a_(*a), text_(a->text) {}

  void Run() {
    IndexTokens();
    // The mentions' items grouped by sentence (a counting sort, mention order kept within each
    // sentence): sentence s owns mention_items[item_begin[s], item_begin[s + 1]).
    const size_t num_sentences = a_.sentences.size();
    std::vector<size_t> item_begin(num_sentences + 1, 0);
    for (const Mention& m : a_.mentions)
      if (m.entity >= 0 && m.sentence < num_sentences) ++item_begin[m.sentence + 1];
    for (size_t s = 0; s < num_sentences; ++s) item_begin[s + 1] += item_begin[s];
    std::vector<Item> mention_items(item_begin[num_sentences]);
    {
      std::vector<size_t> next(item_begin.begin(), item_begin.end() - 1);
      for (const Mention& m : a_.mentions) {
        if (m.entity < 0 || m.sentence >= num_sentences) continue;
        Item& it = mention_items[next[m.sentence]++];
        it.begin = m.begin;
        it.end = m.end;
        it.tok_first = TokAt(m.begin, m.sentence);
        it.tok_last = std::max(it.tok_first + 1, TokAt(m.end, m.sentence));
        it.entity = m.entity;
        it.demonym = m.demonym;
        it.metonymy = m.metonymy;
      }
    }
    int last_actor = -1, last_company = -1;
    size_t last_actor_sentence = 0, last_company_sentence = 0;
    std::vector<Item> items;  // the sentence's items and anaphors (one buffer for all sentences)
    for (size_t s = 0; s < num_sentences; ++s) {
      items.assign(mention_items.begin() + static_cast<std::ptrdiff_t>(item_begin[s]),
                   mention_items.begin() + static_cast<std::ptrdiff_t>(item_begin[s + 1]));
      if (last_actor >= 0 && s - last_actor_sentence <= 4) AddAnaphora(s, last_actor, &items);
      if (last_company >= 0 && s - last_company_sentence <= 3) AddCompanyAnaphora(s, last_company, &items);
      if (items.empty()) continue;  // no names: nothing to link, and no actor or company to remember
      std::sort(items.begin(), items.end(), [](const Item& x, const Item& y) { return x.begin < y.begin; });
      // Clauses joined by a semicolon or by ", while"/", whereas"/", but" are read one by one: a
      // cue never links names across them.
      auto [first, last] = SentenceTokens(s);
      size_t seg = first;
      auto punct = [&](size_t k, char c) {
        return a_.tokens[k].end - a_.tokens[k].begin == 1 && text_[a_.tokens[k].begin] == c;
      };
      for (size_t k = first; k <= last; ++k) {
        bool boundary = k == last || punct(k, ';') || (punct(k, ',') && k + 1 < last && (CueOf(k + 1) & kContrast));
        if (!boundary) continue;
        part_.clear();
        for (const Item& it : items)
          if (it.tok_first >= seg && it.tok_last <= k) part_.push_back(it);
        if (!part_.empty()) Clause(s, seg, k, part_);
        seg = k + 1;
      }
      for (const Item& it : items) {
        if (!it.coref && Type(it) == EntityType::kThreatActor) {
          last_actor = it.entity;
          last_actor_sentence = s;
        }
        if (!it.coref && Type(it) == EntityType::kOrganization &&
            (Ent(it.entity).org_kind.empty() || Ent(it.entity).org_kind == "company")) {
          last_company = it.entity;
          last_company_sentence = s;
        }
      }
    }
    Origins();
    Dedupe();
  }

 private:
  // The lower-cased document and every token's word classes, which hold its cue classes
  // (lexicon::RelationCues); ExtractEntities computed both.
  void IndexTokens() {
    if (a_.lower_text.size() != text_.size()) a_.lower_text = utf8::AsciiLower(text_);  // ExtractEntities did not run
    lower_ = a_.lower_text.data();
    if (a_.token_classes.size() != a_.tokens.size()) {  // nor here
      a_.token_classes.resize(a_.tokens.size());
      lexicon::ClassifyTokens(text_, a_.tokens, a_.token_classes.data());
    }
    // Each sentence's token range, in one walk over the tokens (sentences and tokens are in text
    // order; a sentence out of order is searched).
    const std::vector<text::Token>& toks = a_.tokens;
    sentence_tokens_.resize(a_.sentences.size());
    size_t k = 0, covered = 0;  // toks[0, k) begin before `covered`
    for (size_t s = 0; s < a_.sentences.size(); ++s) {
      const text::Sentence& sn = a_.sentences[s];
      if (sn.begin < covered || sn.end < sn.begin) {
        sentence_tokens_[s] = {TokAt(sn.begin), TokAt(sn.end)};
        continue;
      }
      while (k < toks.size() && toks[k].begin < sn.begin) ++k;
      const size_t first = k;
      while (k < toks.size() && toks[k].begin < sn.end) ++k;
      sentence_tokens_[s] = {first, k};
      covered = sn.end;
    }
  }
  size_t TokAt(size_t byte) const {
    auto it = std::lower_bound(a_.tokens.begin(), a_.tokens.end(), byte,
                               [](const text::Token& t, size_t b) { return t.begin < b; });
    return static_cast<size_t>(it - a_.tokens.begin());
  }
  // TokAt(byte) for a byte of sentence s: searched among the sentence's tokens when it lies in
  // the sentence (the answer is the same: tokens before the sentence begin before the byte, those
  // after it begin at or after its end).
  size_t TokAt(size_t byte, size_t s) const {
    if (s >= a_.sentences.size() || byte < a_.sentences[s].begin || byte > a_.sentences[s].end) return TokAt(byte);
    const auto [first, last] = sentence_tokens_[s];
    auto it = std::lower_bound(a_.tokens.begin() + static_cast<std::ptrdiff_t>(first),
                               a_.tokens.begin() + static_cast<std::ptrdiff_t>(last), byte,
                               [](const text::Token& t, size_t b) { return t.begin < b; });
    return static_cast<size_t>(it - a_.tokens.begin());
  }
  std::string_view Tok(size_t i) const {
    return text_.substr(a_.tokens[i].begin, a_.tokens[i].end - a_.tokens[i].begin);
  }
  // Token i lower-cased (ASCII letters), a view into a_.lower_text.
  std::string_view TokLower(size_t i) const {
    const text::Token& t = a_.tokens[i];
    return std::string_view(lower_ + t.begin, t.end - t.begin);
  }
  EntityType Type(const Item& it) const { return a_.entities[static_cast<size_t>(it.entity)].type; }
  const Entity& Ent(int e) const { return a_.entities[static_cast<size_t>(e)]; }
  // Tokens [first, last) of sentence s.
  std::pair<size_t, size_t> SentenceTokens(size_t s) const { return sentence_tokens_[s]; }

  // The relation cue classes of token i.
  Classes CueOf(size_t i) const { return lexicon::RelationCues(a_.token_classes[i]); }

  // "the group", "the hackers", "the threat actor" refer to the last named actor.
  void AddAnaphora(size_t s, int actor, std::vector<Item>* items) {
    auto [first, last] = SentenceTokens(s);
    // "Victims included ...", "Its targets include ...": the last actor's victims, when the
    // sentence names no actor of its own.
    bool has_actor = std::any_of(items->begin(), items->end(),
                                 [&](const Item& it) { return Type(it) == EntityType::kThreatActor; });
    for (size_t i = first; i + 1 < last && !has_actor; ++i) {
      if ((CueOf(i) & kVictimNoun) && VictimListVerb(i + 1) && AddCoref(i, i, actor, items)) break;
    }
    for (size_t i = first; i + 1 < last; ++i) {
      if ((CueOf(i) & kDemonstrative) == 0) continue;
      size_t j = i + 1;
      if ((CueOf(j) & kAnaphorModifier) && j + 1 < last) ++j;
      if ((CueOf(j) & kAnaphorNoun) == 0) continue;
      // Not when a name follows ("the group APT41") or is the noun's own modifier.
      if (AddCoref(i, j, actor, items)) i = j;
    }
  }

  // Adds an item for tokens [i, j] that refers to `entity`, unless a name already covers them
  // or follows them. Returns whether it was added.
  bool AddCoref(size_t i, size_t j, int entity, std::vector<Item>* items) const {
    bool covered = std::any_of(items->begin(), items->end(),
                               [&](const Item& it) { return it.tok_first <= j + 1 && it.tok_last > i; });
    if (covered) return false;
    Item it;
    it.begin = a_.tokens[i].begin;
    it.end = a_.tokens[j].end;
    it.tok_first = i;
    it.tok_last = j + 1;
    it.entity = entity;
    it.coref = true;
    items->push_back(it);
    return true;
  }

  // "the company", "the firm" in a later sentence: the last company named (within three
  // sentences), as "the group" is the last actor.
  void AddCompanyAnaphora(size_t s, int company, std::vector<Item>* items) {
    auto [first, last] = SentenceTokens(s);
    for (size_t i = first; i + 1 < last; ++i) {
      if (!Eq(TokLower(i), "the") || (CueOf(i + 1) & kCompanyNoun) == 0) continue;
      if (AddCoref(i, i + 1, company, items)) ++i;
    }
  }

  bool VictimListVerb(size_t i) const {
    return i < a_.tokens.size() && (CueOf(i) & kVictimListVerb);
  }

  void Emit(std::string type, int source, int target, size_t sentence, float confidence, std::string cue,
            std::string description = "") {
    if (source < 0 || target < 0 || source == target) return;
    Relation r;
    r.type = std::move(type);
    r.source = source;
    r.target = target;
    r.sentence = sentence;
    r.confidence = confidence;
    r.cue = std::move(cue);
    r.description = std::move(description);
    a_.relations.push_back(std::move(r));
  }

  // The mention follows "by" or "from" (within "by the U.S. ..."): the agent of a passive verb.
  bool AgentOfPassive(const Item& it, size_t first) const {
    for (size_t k = it.tok_first; k > first && it.tok_first - k < 3; --k) {
      std::string_view w = TokLower(k - 1);
      if (Eq(w, "by") || Eq(w, "from")) return true;
      if (!Eq(w, "the") && !Eq(w, "its") && !Eq(w, "their")) return false;
    }
    return false;
  }

  // An organisation mention that reports rather than acts: followed by a reporting verb or preceded
  // by "according to".
  bool IsReporter(const Item& it, size_t first) {
    size_t j = it.tok_last;
    if (j < a_.tokens.size() && (Eq(Tok(j), "'s") || Eq(TokLower(j), "has") || Eq(TokLower(j), "have"))) ++j;
    if (j < a_.tokens.size() && (CueOf(j) & kReportingVerb)) return true;  // j may open the next sentence
    if (it.tok_first >= first + 2 && Eq(TokLower(it.tok_first - 2), "according") &&
        Eq(TokLower(it.tok_first - 1), "to"))
      return true;
    if (it.tok_first >= first + 3 && Eq(TokLower(it.tok_first - 3), "according") &&
        Eq(TokLower(it.tok_first - 1), "the"))
      return true;
    if (it.tok_first >= first + 1 && (CueOf(it.tok_first - 1) & kToldSaid)) return true;
    return false;
  }

  // The relations stated in tokens [first, last) of sentence s (a whole sentence or one clause).
  void Clause(size_t s, size_t first, size_t last, const std::vector<Item>& items) {
    if (items.empty()) return;
    auto L = [&](size_t i) -> std::string_view { return TokLower(i); };

    // The items by type (buffers reused across clauses).
    std::vector<const Item*>& actors = actors_;
    std::vector<const Item*>& orgs = orgs_;
    std::vector<const Item*>& places = places_;
    actors.clear();
    orgs.clear();
    places.clear();
    for (const Item& it : items) {
      switch (Type(it)) {
        case EntityType::kThreatActor: actors.push_back(&it); break;
        case EntityType::kOrganization: orgs.push_back(&it); break;
        case EntityType::kCountry:
        case EntityType::kRegion:
        case EntityType::kCity: places.push_back(&it); break;
        case EntityType::kSector:
        case EntityType::kPerson: break;
      }
    }
    // Every cue class present in the clause: a rule whose cue words are absent is skipped without
    // another pass over the tokens.
    Classes present = 0;
    for (size_t i = first; i < last; ++i) present |= CueOf(i);
    auto inside_item = [&](size_t tok) {
      return std::any_of(items.begin(), items.end(),
                         [&](const Item& it) { return tok >= it.tok_first && tok < it.tok_last; });
    };

    // ---- targets -------------------------------------------------------------------------
    if (!actors.empty() && (present & (kTargetVerb | kVictimListVerb))) {
      for (size_t i = first; i < last; ++i) {
        bool victim_list = i > first && (CueOf(i - 1) & kVictimNoun) && VictimListVerb(i);
        if (((CueOf(i) & kTargetVerb) == 0 && !victim_list) || inside_item(i)) continue;
        bool noun_cue = (CueOf(i) & kNounCue) != 0;
        bool passive = i + 1 < last && Eq(L(i + 1), "by");
        // Nouns count only as "attacks on/against X", "intrusions into X".
        if (noun_cue && !(i + 1 < last && (CueOf(i + 1) & kNounCuePrep))) continue;
        std::vector<const Item*> subjects;
        std::vector<const Item*> objects;
        if (passive) {
          for (const Item* a : actors)
            if (a->tok_first > i) subjects.push_back(a);
          // The patient is in the subject before the verb, near it; a name inside a modifier
          // ("sectors of interest for the government of China could be targeted by A") is not.
          for (const Item& it : items) {
            if (it.tok_last > i || i - it.tok_first > 20 || Type(it) == EntityType::kThreatActor ||
                Type(it) == EntityType::kPerson)
              continue;
            size_t before = it.tok_first;
            while (before > first && (CueOf(before - 1) & kArticle)) --before;
            if (before > first && (CueOf(before - 1) & kModifierPrep)) continue;
            objects.push_back(&it);
          }
        } else {
          for (const Item* a : actors)
            if (a->tok_last <= i) subjects.push_back(a);
          if (subjects.empty()) {
            for (const Item* a : actors)
              if (a->tok_first > i) subjects.push_back(a);
          }
          size_t stop = last;
          for (size_t k = i + 1; k < last; ++k) {
            // A new clause about reporting or attribution ends the object list.
            if ((CueOf(k) & kObjectStop) || (Eq(L(k), "by") && k > i + 1)) {
              stop = k;
              break;
            }
          }
          for (const Item& it : items) {
            if (it.tok_first <= i || it.tok_first >= stop) continue;
            EntityType t = Type(it);
            if (t == EntityType::kThreatActor || t == EntityType::kPerson) continue;
            if (t == EntityType::kOrganization && IsReporter(it, first)) continue;
            if (IsOriginModifier(it)) continue;
            objects.push_back(&it);
          }
        }
        for (const Item* a : subjects) {
          for (const Item* o : objects) {
            float conf = (noun_cue ? 0.65f : 0.8f) - (a->coref ? 0.1f : 0.0f);
            Emit("targets", a->entity, o->entity, s, conf, "verb:" + std::string(L(i)));
          }
        }
      }
    }

    // ---- attributed-to (actor -> organisation) and organisation links ---------------------
    struct Cue {
      size_t tok;
      size_t width;
      std::string name;
      bool strong;
    };
    std::vector<Cue> attrib;
    for (size_t i = first; i < last && (present & kAttribWord); ++i) {
      if ((CueOf(i) & kAttribWord) == 0) continue;
      std::string_view w = L(i);
      auto next = [&](size_t k) -> std::string_view { return i + k < last ? L(i + k) : std::string_view(); };
      if ((Eq(w, "sponsored") || Eq(w, "backed") || Eq(w, "operated") || Eq(w, "run") ||
           Eq(w, "controlled") || Eq(w, "directed") || Eq(w, "funded") || Eq(w, "employed")) &&
          Eq(next(1), "by"))
        attrib.push_back({i, 2, std::string(w) + " by", true});
      else if ((Eq(w, "works") || Eq(w, "working") || Eq(w, "work") || Eq(w, "worked")) && Eq(next(1), "for"))
        attrib.push_back({i, 2, std::string(w) + " for", true});
      else if (Eq(w, "on") && Eq(next(1), "behalf") && Eq(next(2), "of"))
        attrib.push_back({i, 3, "on behalf of", true});
      else if ((Eq(w, "unit") || Eq(w, "part") || Eq(w, "arm") || Eq(w, "division")) && Eq(next(1), "of"))
        attrib.push_back({i, 2, std::string(w) + " of", true});
      else if ((Eq(w, "linked") || Eq(w, "tied") || Eq(w, "ties") || Eq(w, "connected") ||
                Eq(w, "connections") || Eq(w, "links")) &&
               (Eq(next(1), "to") || Eq(next(1), "with")))
        attrib.push_back({i, 2, std::string(w) + " " + std::string(next(1)), false});
      else if ((Eq(w, "associated") || Eq(w, "affiliated")) && Eq(next(1), "with"))
        attrib.push_back({i, 2, std::string(w) + " with", false});
      else if (Eq(w, "attributed") && Eq(next(1), "to"))
        attrib.push_back({i, 2, "attributed to", true});
      else if (Eq(w, "sponsors") || Eq(w, "sponsor") || Eq(w, "runs") || Eq(w, "operates") ||
               Eq(w, "controls") || Eq(w, "directs") || Eq(w, "behind"))
        attrib.push_back({i, 1, std::string(w), true});
    }
    for (const Cue& c : attrib) {
      // The actor side and the organisation side of the cue.
      bool actor_first_form = c.name.find(" by") != std::string::npos || c.name.find(" for") != std::string::npos ||
                              c.name == "on behalf of" || c.name.find(" of") != std::string::npos ||
                              c.name == "attributed to";
      bool org_first_form = c.name == "sponsors" || c.name == "sponsor" || c.name == "runs" || c.name == "operates" ||
                            c.name == "controls" || c.name == "directs" || c.name == "behind";
      // Per cue, in one pass over the items: the first name after it (countries and demonyms
      // aside), the end of the nearest name before it, and the clause's subject (the last
      // organisation before it that is no passive's agent).
      const Item* object_after = nullptr;
      const Item* subject = nullptr;
      size_t nearest_end = 0;
      for (const Item& it : items) {
        if (it.tok_first >= c.tok + c.width && Type(it) != EntityType::kCountry && !it.demonym &&
            (object_after == nullptr || it.tok_first < object_after->tok_first))
          object_after = &it;
        if (it.tok_last <= c.tok) nearest_end = std::max(nearest_end, it.tok_last);
      }
      for (const Item* x : orgs)
        if (x->tok_last <= c.tok && !AgentOfPassive(*x, first)) subject = x;
      bool possessive = (c.tok > first && (CueOf(c.tok - 1) & kPossessive)) ||
                        (c.tok > first + 1 && (CueOf(c.tok - 2) & kPossessive));
      for (const Item* a : actors) {
        for (const Item* o : orgs) {
          const Entity& oe = Ent(o->entity);
          bool a_before = a->tok_last <= c.tok, o_after = o->tok_first >= c.tok + c.width;
          bool o_before = o->tok_last <= c.tok, a_after = a->tok_first >= c.tok + c.width;
          bool ok = false;
          if (actor_first_form) ok = a_before && o_after;
          else if (org_first_form) ok = o_before && a_after;
          else ok = (a_before && o_after) || (o_before && a_after);
          if (!ok) continue;
          if (IsReporter(*o, first)) continue;
          // After the cue, the organisation must be its object: near, with no actor or other
          // name before it ("a campaign attributed to APT41 that exploits products of Cisco").
          if (o_after && (o->tok_first - (c.tok + c.width) > 6 || o != object_after)) continue;
          if (!c.strong && (oe.org_kind == "vendor" || oe.org_kind == "cert")) continue;
          // The agent of a passive ("sanctioned by the Treasury for its ties to A") is not the
          // one tied to A.
          if (!c.strong && o_before && AgentOfPassive(*o, first)) continue;
          // The reporter form "O linked X to A": the org is the subject of the cue verb.
          if (o_before && o->tok_last == c.tok) continue;
          // A weak cue after the organisation binds the nearest name before it: in "the DoJ's
          // allegations against Chinese military members associated with APT1" the members are
          // associated with APT1, not the DoJ.
          // After "its"/"their" ("X was sanctioned by Y for its ties to A") the cue binds the
          // clause's subject, the last organisation before it that is no passive's agent.
          if (!c.strong && o_before) {
            bool skip = possessive ? o != subject : c.tok - o->tok_last > 5 || o->tok_last != nearest_end;
            if (skip) continue;
          }
          float conf = (c.strong ? 0.85f : 0.65f) - (a->coref ? 0.1f : 0.0f);
          Emit("attributed-to", a->entity, o->entity, s, conf, "cue:" + c.name);
        }
      }
    }
    // An organisation acting for another: "Mahak Technologies, a company that carried out
    // operations on behalf of the IRGC", "a front company controlled by the MSS". STIX has no
    // type for it, so related-to says what the sentence says.
    for (const Cue& c : attrib) {
      bool agent_form = c.strong && c.name != "attributed to" && c.name != "sponsors" && c.name != "sponsor" &&
                        c.name != "runs" && c.name != "operates" && c.name != "controls" && c.name != "directs" &&
                        c.name != "behind";
      if (!agent_form) continue;
      const Item* principal = nullptr;  // the organisation the cue points at: right after it
      for (const Item* o : orgs) {
        if (o->tok_first >= c.tok + c.width && o->tok_first - (c.tok + c.width) <= 3) {
          principal = o;
          break;
        }
      }
      if (principal == nullptr) continue;
      const Item* agent = nullptr;  // the nearest organisation before the cue, no actor between
      for (const Item& it : items) {
        if (it.tok_last > c.tok) break;
        if (Type(it) == EntityType::kThreatActor) agent = nullptr;
        else if (Type(it) == EntityType::kOrganization && !IsReporter(it, first) && !AgentOfPassive(it, first)) agent = &it;
      }
      if (agent == nullptr || c.tok - agent->tok_last > 12) continue;
      Emit("related-to", agent->entity, principal->entity, s, 0.7f, "cue:" + c.name,
           Ent(agent->entity).name + " acts for " + Ent(principal->entity).name + " (" + c.name + ")");
    }
    // "X, Y and Z provided tools to A" / "... services to the MSS".
    for (size_t i = first; i < last && (present & kSupplyWord); ++i) {
      if ((CueOf(i) & kSupplyWord) == 0) continue;
      size_t to = last;
      for (size_t k = i + 1; k < last && k < i + 14; ++k) {
        if (Eq(L(k), "to") || ((CueOf(i) & kAidVerb) && k == i + 1)) {
          to = Eq(L(k), "to") ? k : i;
          break;
        }
      }
      if (to == last) continue;
      std::vector<const Item*> givers, receivers;
      for (const Item* o : orgs)
        if (o->tok_last <= i && !IsReporter(*o, first)) givers.push_back(o);
      for (const Item& it : items)
        if (it.tok_first > to && (Type(it) == EntityType::kOrganization || Type(it) == EntityType::kThreatActor))
          receivers.push_back(&it);
      for (const Item* g : givers) {
        for (const Item* r : receivers) {
          if (Type(*r) == EntityType::kThreatActor) {
            Emit("attributed-to", r->entity, g->entity, s, 0.7f, "cue:" + std::string(L(i)) + " to");
          } else {
            Emit("related-to", g->entity, r->entity, s, 0.7f, "cue:" + std::string(L(i)) + " to",
                 Ent(g->entity).name + " supplied tools or services to " + Ent(r->entity).name);
          }
        }
      }
    }
    // Sanctions: "X has been sanctioned by Y", "Y sanctioned X", "sanctions against X".
    for (size_t i = first; i < last && (present & kSanctionWord); ++i) {
      if ((CueOf(i) & kSanctionWord) == 0) continue;
      // "sanctioned by X", "sanctions from X": X is the authority and the target comes before.
      bool passive =
          (i + 1 < last && (Eq(L(i + 1), "by") || Eq(L(i + 1), "from"))) ||
          (i + 2 < last && (Eq(L(i + 2), "by") || Eq(L(i + 2), "from")) && !Eq(L(i + 1), "against"));
      const Item* target = nullptr;
      const Item* authority = nullptr;
      if (passive) {
        for (const Item* o : orgs)
          if (o->tok_last <= i) target = o;  // nearest before
        for (const Item* o : orgs)
          if (o->tok_first > i + 1) {
            authority = o;
            break;
          }
      } else {
        for (const Item* o : orgs)
          if (o->tok_last <= i) authority = o;
        for (const Item* o : orgs)
          if (o->tok_first > i) {
            target = o;
            break;
          }
      }
      if (target && authority) {
        Emit("related-to", target->entity, authority->entity, s, 0.75f, "cue:" + std::string(L(i)),
             Ent(target->entity).name + " " +
                 (Eq(L(i), "sanctions") || Eq(L(i), "sanctioning") ? std::string("sanctioned")
                                                                   : std::string(L(i))) +
                 " by " + Ent(authority->entity).name);
      }
    }

    // ---- located-at from modifiers ---------------------------------------------------------
    for (const Item* p : places) {
      // "Mahak Technologies, a Tehran-based company": an appositive places an actor or an
      // organisation in a country or a city.
      if (p->tok_first >= first + 3 && p->tok_last <= last && HasOriginSuffix(*p)) {
        for (const Item& it : items) {
          EntityType t = Type(it);
          if ((t != EntityType::kThreatActor && t != EntityType::kOrganization) || it.coref) continue;
          if (it.tok_last + 3 >= p->tok_first && it.tok_last < p->tok_first &&
              (Eq(L(it.tok_last), ",") || Eq(L(it.tok_last), "("))) {
            Emit("located-at", it.entity, p->entity, s, 0.75f, "appositive:origin");
          }
        }
      }
      if (Type(*p) != EntityType::kCountry) continue;
      for (const Item& it : items) {
        EntityType t = Type(it);
        if ((t != EntityType::kThreatActor && t != EntityType::kOrganization) || it.coref) continue;
        if (it.tok_first < p->tok_last) continue;
        if (OnlyModifiersBetween(p->tok_last, it.tok_first, t == EntityType::kThreatActor)) {
          float conf = t == EntityType::kThreatActor ? 0.75f : 0.7f;
          Emit("located-at", it.entity, p->entity, s, conf, "modifier:" + std::string(Tok(p->tok_first)));
        }
      }
      // "Sandworm, a Russian military hacking unit": a demonym inside an appositive about the actor.
      if (p->demonym && p->tok_first >= first + 2) {
        size_t k = p->tok_first - 1;
        if ((CueOf(k) & kArticle) && k > first && Eq(L(k - 1), ",")) {
          for (const Item* a : actors) {
            if (!a->coref && a->tok_last == k - 1) Emit("located-at", a->entity, p->entity, s, 0.75f, "appositive:demonym");
          }
        }
      }
    }
    // "the U.S. Treasury", "the People's Liberation Army ... China": an organisation whose seat
    // the sentence names.
    for (const Item* o : orgs) {
      const std::string seat = Ent(o->entity).country;  // copied: AddCountry may grow the entities
      if (seat.empty()) continue;
      int country = CountryEntity(seat);
      bool connected = false;
      if (country >= 0) {
        for (const Item* p : places)
          if (p->entity == country) connected = true;
      }
      if (!connected && o->metonymy) {
        connected = true;  // "Beijing" names the state seated in China
        if (country < 0) country = AddCountry(seat);
      }
      if (!connected) {
        connected = NamesCountry(text_.substr(o->begin, o->end - o->begin), seat);
        if (connected && country < 0) country = AddCountry(seat);
      }
      if (connected && country >= 0) Emit("located-at", o->entity, country, s, 0.65f, "seat:named-in-sentence");
    }

    // ---- actor attributes ----------------------------------------------------------------
    if ((present & kActorAttribute) == 0) return;
    for (const Item* a : actors) {
      Entity& e = a_.entities[static_cast<size_t>(a->entity)];
      for (size_t i = first; i < last; ++i) {
        const Classes cls = CueOf(i);
        if ((cls & kActorAttribute) == 0) continue;  // the rules below all start at such a word
        std::string_view w = L(i);
        if ((cls & kStateBacked) || (Eq(w, "state") && i + 1 < last && (CueOf(i + 1) & kStateSuffix))) {
          AddType(&e, "nation-state");
        } else if (cls & kSpyWord) {
          AddType(&e, "spy");
        } else if ((cls & kCrimeWord) ||
                   (Eq(w, "financially") && i + 1 < last && Eq(L(i + 1), "motivated")) ||
                   (Eq(w, "ransomware") && i + 1 < last && (CueOf(i + 1) & kRansomwareNoun))) {
          AddType(&e, "crime-syndicate");
        } else if (cls & kActivistWord) {
          AddType(&e, "activist");
        }
        if ((Eq(w, "since") || Eq(w, "in")) && i + 1 < last) {
          bool cue = (i > first && (CueOf(i - 1) & kActiveWord)) ||
                     (Eq(w, "in") && i > first &&
                      (Eq(L(i - 1), "seen") || Eq(L(i - 1), "emerged") || Eq(L(i - 1), "appeared")));
          size_t y = i + 1;
          if (y + 2 < last && Eq(L(y), "at") && Eq(L(y + 1), "least")) {
            cue = cue || Eq(w, "since");
            y += 2;
          }
          std::string_view year = Tok(y);
          if (cue && year.size() == 4 && std::all_of(year.begin(), year.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
              year >= "1980" && year <= "2100") {
            std::string ts = std::string(year) + "-01-01T00:00:00.000Z";
            if (e.first_seen.empty() || ts < e.first_seen) e.first_seen = ts;
          }
        }
      }
    }
  }

  // Whether the gazetteer finds the country `code` inside `surface` ("the People's Republic of
  // China's Ministry ..."). Remembered per document: organisations are named again and again.
  bool NamesCountry(std::string_view surface, const std::string& code) {
    for (const SeatCheck& c : seat_checks_)
      if (c.surface == surface && c.code == code) return c.named;
    bool named = false;
    for (const GazetteerMatch& m : Gazetteer::Default().Find(surface)) {
      if (m.entry->kind == EntryKind::kCountry && m.entry->code == code) named = true;
    }
    seat_checks_.push_back({surface, code, named});
    return named;
  }

  static void AddType(Entity* e, const std::string& t) {
    if (std::find(e->threat_actor_types.begin(), e->threat_actor_types.end(), t) == e->threat_actor_types.end())
      e->threat_actor_types.push_back(t);
  }

  static bool IsOriginSuffix(std::string_view t) {
    return t.size() > 1 && t[0] == '-';  // "-linked", "-based", "-backed", "-nexus", "-sponsored", ...
  }

  // A country written as an origin adjective ("China-linked", "Chinese" before a noun).
  bool IsOriginModifier(const Item& it) const {
    return Type(it) == EntityType::kCountry && HasOriginSuffix(it);
  }
  // The place is written with an origin suffix: "China-linked", "Tehran-based" (one token or two).
  bool HasOriginSuffix(const Item& it) const {
    if (it.tok_last < a_.tokens.size() && IsOriginSuffix(Tok(it.tok_last))) return true;
    std::string_view after = text_.substr(it.end, 8);
    return after.rfind("-linked", 0) == 0 || after.rfind("-based", 0) == 0 || after.rfind("-backed", 0) == 0 ||
           after.rfind("-nexus", 0) == 0;
  }

  // Tokens [from, to) only modify the following name: "-linked", "state-sponsored", "hacking group".
  bool OnlyModifiersBetween(size_t from, size_t to, bool actor) const {
    if (to < from || to - from > 4) return false;
    const Classes allowed = kModifier | (actor ? kActorModifier : kOrgModifier);
    for (size_t k = from; k < to; ++k) {
      if ((CueOf(k) & allowed) == 0 && !IsOriginSuffix(Tok(k))) return false;
    }
    return true;
  }

  int CountryEntity(std::string_view code) const {
    for (size_t i = 0; i < a_.entities.size(); ++i) {
      if (a_.entities[i].type == EntityType::kCountry && a_.entities[i].country == code) return static_cast<int>(i);
    }
    return -1;
  }

  int AddCountry(std::string_view code) {
    const GazetteerEntry* c = Gazetteer::Default().CountryByCode(code);
    if (c == nullptr) return -1;
    Entity e;
    e.type = EntityType::kCountry;
    e.name = std::string(c->canonical);
    e.country = std::string(code);
    e.rule = "implied";
    e.score = 0.6f;
    a_.entities.push_back(std::move(e));
    return static_cast<int>(a_.entities.size() - 1);
  }

  // A naming family's origin ("<Word> Typhoon" is China-based), stated by the name itself.
  void Origins() {
    size_t n = a_.entities.size();
    for (size_t i = 0; i < n; ++i) {
      // AddCountry() appends to a_.entities: copy what is needed, hold no reference across it.
      if (a_.entities[i].type != EntityType::kThreatActor || a_.entities[i].country.empty()) continue;
      const std::string origin = a_.entities[i].country;
      std::vector<std::string> names = a_.entities[i].aliases;
      names.push_back(a_.entities[i].name);
      const size_t first_sentence =
          a_.entities[i].mentions.empty() ? 0 : a_.mentions[a_.entities[i].mentions.front()].sentence;
      const bool mentioned = !a_.entities[i].mentions.empty();
      bool has_rel = std::any_of(a_.relations.begin(), a_.relations.end(), [&](const Relation& r) {
        return r.source == static_cast<int>(i) && r.type == "located-at";
      });
      if (has_rel) continue;
      // The name or an alias the text uses belongs to a naming family of this origin.
      bool family = false;
      for (const std::string& nm : names) {
        size_t sp = nm.rfind(' ');
        size_t sp0 = nm.find(' ');
        if (sp == std::string::npos) continue;
        const lexicon::ActorFamily* last = lexicon::FindActorFamily(std::string_view(nm).substr(sp + 1));
        const lexicon::ActorFamily* head = lexicon::FindActorFamily(std::string_view(nm).substr(0, sp0));
        if ((last && !last->noun_first && last->country == origin) ||
            (head && head->noun_first && head->country == origin))
          family = true;
      }
      int country = CountryEntity(origin);
      if (family) {
        if (country < 0) country = AddCountry(origin);
        Emit("located-at", static_cast<int>(i), country, first_sentence, 0.6f, "origin:naming-family");
      } else if (country >= 0 && mentioned) {
        // Known origin of a gazetteer actor, only when the document names that country too.
        Emit("located-at", static_cast<int>(i), country, first_sentence, 0.5f, "origin:gazetteer");
      }
    }
  }

  // One relation per (type, source, target): the highest confidence, the earliest sentence first.
  void Dedupe() {
    std::map<std::tuple<std::string, int, int>, size_t> seen;
    std::vector<Relation> out;
    for (Relation& r : a_.relations) {
      auto key = std::make_tuple(r.type, r.source, r.target);
      auto it = seen.find(key);
      if (it == seen.end()) {
        seen.emplace(key, out.size());
        r.evidence.assign(1, r.sentence);
        out.push_back(std::move(r));
      } else {
        Relation& kept = out[it->second];
        kept.confidence = std::max(kept.confidence, r.confidence);
        if (std::find(kept.evidence.begin(), kept.evidence.end(), r.sentence) == kept.evidence.end())
          kept.evidence.push_back(r.sentence);
      }
    }
    a_.relations = std::move(out);
  }

  Analysis& a_;
  std::string_view text_;
  const char* lower_ = nullptr;  // a_.lower_text.data(), same offsets as text_
  std::vector<Item> part_;    // the items of the clause being read (reused across clauses)
  std::vector<const Item*> actors_, orgs_, places_;  // Clause's items by type
  std::vector<std::pair<size_t, size_t>> sentence_tokens_;  // SentenceTokens() of each sentence
  struct SeatCheck {
    std::string_view surface;  // into text_
    std::string code;
    bool named;
  };
  std::vector<SeatCheck> seat_checks_;  // NamesCountry() answers so far
};

}  // namespace

void ExtractRelations(Analysis* analysis) { RelationFinder(analysis).Run(); }

}  // namespace prose2stix::extract
