// Building a bundle is a pure function of the documents, their analyses and the options: ids are
// deterministic (OpenCTI's standard ids), timestamps come from --fixed-time or one clock reading
// taken at creation, and objects keep the order in which documents first name them.
#include "prose2stix/convert/bundle_builder.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "prose2stix/stix/identifier.h"
#include "prose2stix/stix/timestamp.h"
#include "prose2stix/stix/uuid.h"
#include "prose2stix/validate/vocabularies.h"

namespace prose2stix::convert {

namespace {

using extract::EntityType;

void UniteInto(std::vector<std::string>* into, const std::vector<std::string>& from) {
  for (const std::string& s : from)
    if (std::find(into->begin(), into->end(), s) == into->end()) into->push_back(s);
}

std::string TitleCase(std::string_view s) {
  std::string out(s);
  bool start = true;
  for (char& c : out) {
    if (start && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    start = c == ' ' || c == '-';
    if (c == '-') c = ' ';
  }
  return out;
}

// The lede: the document's first sentences, up to about 400 characters.
std::string Lede(const extract::Analysis& a) {
  std::string out;
  for (const text::Sentence& s : a.sentences) {
    std::string_view sv = std::string_view(a.text).substr(s.begin, s.end - s.begin);
    // Headlines, bylines and datelines carry no final punctuation: the lede starts after them.
    char last = sv.empty() ? '\0' : sv.back();
    bool prose = last == '.' || last == '!' || last == '?' || last == '"' || last == '\'' || last == ')';
    if (!prose || sv.size() < 40) {
      if (out.empty()) continue;
      break;
    }
    if (!out.empty() && out.size() + sv.size() > 400) break;
    if (!out.empty()) out += ' ';
    out += sv;
    if (out.size() >= 200) break;
  }
  return out;
}

int Percent(float confidence) { return std::clamp(static_cast<int>(std::lround(confidence * 100.0f)), 0, 100); }

}  // namespace

Result<BundleDefaults> BundleDefaults::Create(const ConvertOptions& options) {
  BundleDefaults d;
  d.options = &options;
  stix::Tlp tlp;
  if (!stix::ParseTlp(options.tlp, &tlp))
    return Status::InvalidArgument("unknown TLP level (clear, green, amber, amber+strict, red)", options.tlp);
  d.marking = stix::TlpMarking(tlp);
  if (!options.fixed_time.empty()) {
    d.fixed_now = stix::NormalizeTimestamp(options.fixed_time);
    if (d.fixed_now.empty()) return Status::InvalidArgument("not an RFC 3339 timestamp", options.fixed_time);
  }
  if (!options.published.empty()) {
    d.published = stix::NormalizeDate(options.published);
    if (d.published.empty()) return Status::InvalidArgument("not a date", options.published);
  }
  if (options.author.empty()) return Status::InvalidArgument("the author name is empty");
  d.author_id = stix::IdentityId(options.author, "organization");
  return d;
}

Result<BundleBuilder> BundleBuilder::Create(const ConvertOptions& options) {
  Result<BundleDefaults> d = BundleDefaults::Create(options);
  if (!d.ok()) return d.status();
  return BundleBuilder(std::move(*d));
}

BundleBuilder::BundleBuilder(const BundleDefaults& defaults) : defaults_(&defaults) { Init(); }

BundleBuilder::BundleBuilder(BundleDefaults&& defaults)
    : owned_(std::make_unique<const BundleDefaults>(std::move(defaults))), defaults_(owned_.get()) {
  Init();
}

void BundleBuilder::Init() {
  now_ = defaults_->fixed_now.empty() ? stix::NowTimestamp() : defaults_->fixed_now;
  // The marking's and the author's slots; Build() fills them.
  objects_.resize(2);
}

void BundleBuilder::FillCommon(stix::Common* c, std::string id) const {
  c->id = std::move(id);
  c->created = now_;
  c->modified = now_;
  c->created_by_ref = defaults_->author_id;
  c->object_marking_refs.push_back(defaults_->marking.common.id);
}

// ---- IdIndex ----------------------------------------------------------------------------------

size_t BundleBuilder::IdIndex::Find(std::string_view id, uint64_t hash, const std::vector<stix::Object>& objects) const {
  if (slots_.empty()) return kAbsent;
  const size_t mask = slots_.size() - 1;
  for (size_t i = static_cast<size_t>(hash) & mask;; i = (i + 1) & mask) {
    const Slot& s = slots_[i];
    if (s.pos == kAbsent) return kAbsent;
    if (s.hash == hash && stix::IdOf(objects[s.pos]) == id) return s.pos;
  }
}

void BundleBuilder::IdIndex::Insert(uint64_t hash, size_t pos) {
  if (2 * (used_ + 1) > slots_.size()) {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 64 : 2 * old.size(), Slot{});
    used_ = 0;
    for (const Slot& s : old)
      if (s.pos != kAbsent) Insert(s.hash, s.pos);
  }
  const size_t mask = slots_.size() - 1;
  size_t i = static_cast<size_t>(hash) & mask;
  while (slots_[i].pos != kAbsent) i = (i + 1) & mask;
  slots_[i] = Slot{hash, pos};
  ++used_;
}

void BundleBuilder::IdIndex::Clear() {
  slots_.clear();
  used_ = 0;
}

// ---- Objects ----------------------------------------------------------------------------------

void BundleBuilder::MergeInto(size_t at, const stix::Object& object) {
  stix::Object& kept = objects_[at];
  // Merge what two documents know about one entity.
  if (auto* ta = std::get_if<stix::ThreatActor>(&kept)) {
    const auto& in = std::get<stix::ThreatActor>(object);
    UniteInto(&ta->aliases, in.aliases);
    UniteInto(&ta->threat_actor_types, in.threat_actor_types);
    if (ta->threat_actor_types.size() > 1)
      ta->threat_actor_types.erase(std::remove(ta->threat_actor_types.begin(), ta->threat_actor_types.end(), "unknown"),
                                   ta->threat_actor_types.end());
    if (!in.first_seen.empty() && (ta->first_seen.empty() || in.first_seen < ta->first_seen)) ta->first_seen = in.first_seen;
  } else if (auto* is = std::get_if<stix::IntrusionSet>(&kept)) {
    const auto& in = std::get<stix::IntrusionSet>(object);
    UniteInto(&is->aliases, in.aliases);
    if (!in.first_seen.empty() && (is->first_seen.empty() || in.first_seen < is->first_seen)) is->first_seen = in.first_seen;
  } else if (auto* ident = std::get_if<stix::Identity>(&kept)) {
    const auto& in = std::get<stix::Identity>(object);
    UniteInto(&ident->roles, in.roles);
    UniteInto(&ident->sectors, in.sectors);
    if (ident->description.empty()) ident->description = in.description;
  } else if (auto* rel = std::get_if<stix::Relationship>(&kept)) {
    const auto& in = std::get<stix::Relationship>(object);
    if (!in.description.empty() && rel->description.find(in.description) == std::string::npos) {
      rel->description += rel->description.empty() ? "" : "\n";
      rel->description += in.description;
    }
    if (in.common.confidence && (!rel->common.confidence || *in.common.confidence > *rel->common.confidence))
      rel->common.confidence = in.common.confidence;
  }
}

size_t BundleBuilder::EntityObject(const extract::Entity& e) {
  // The id first: an object with a new id is built in place at the end of objects_; one with a
  // known id is built aside and merged into the kept one.
  std::string id;
  std::string sector_name;  // a sector's identity name
  std::string_view identity_class, location_kind;
  switch (e.type) {
    case EntityType::kThreatActor:
      id = options().intrusion_sets ? stix::IntrusionSetId(e.name) : stix::ThreatActorId(e.name);
      break;
    case EntityType::kOrganization:
    case EntityType::kPerson:
    case EntityType::kSector:
      identity_class = e.type == EntityType::kOrganization ? "organization"
                       : e.type == EntityType::kPerson     ? "individual"
                                                           : "class";
      if (e.type == EntityType::kSector) sector_name = TitleCase(e.sector);
      id = stix::IdentityId(e.type == EntityType::kSector ? std::string_view(sector_name) : std::string_view(e.name),
                            identity_class);
      break;
    case EntityType::kCountry:
    case EntityType::kRegion:
    case EntityType::kCity:
      location_kind = e.type == EntityType::kCountry  ? "Country"
                      : e.type == EntityType::kRegion ? "Region"
                                                      : "City";
      id = stix::LocationId(e.name, location_kind);
      break;
  }
  const uint64_t hash = std::hash<std::string_view>()(id);
  const size_t known = index_.Find(id, hash, objects_);
  const bool fresh = known == IdIndex::kAbsent;
  stix::Object aside;
  // The object to fill: a new element of objects_, or `aside`.
  auto slot = [&]<typename T>(std::in_place_type_t<T> type) -> T& {
    return fresh ? std::get<T>(objects_.emplace_back(type)) : aside.emplace<T>();
  };
  stix::Common* common = nullptr;
  switch (e.type) {
    case EntityType::kThreatActor: {
      if (options().intrusion_sets) {
        stix::IntrusionSet& is = slot(std::in_place_type<stix::IntrusionSet>);
        is.name = e.name;
        is.aliases = e.aliases;
        is.first_seen = e.first_seen;
        common = &is.common;
      } else {
        stix::ThreatActor& ta = slot(std::in_place_type<stix::ThreatActor>);
        ta.name = e.name;
        ta.aliases = e.aliases;
        if (e.threat_actor_types.empty()) {
          ta.threat_actor_types.emplace_back("unknown");
        } else {
          ta.threat_actor_types = e.threat_actor_types;
        }
        ta.first_seen = e.first_seen;
        ta.common.custom.emplace_back("x_opencti_type", "Threat-Actor-Group");
        common = &ta.common;
      }
      break;
    }
    case EntityType::kOrganization:
    case EntityType::kPerson:
    case EntityType::kSector: {
      stix::Identity& ident = slot(std::in_place_type<stix::Identity>);
      ident.identity_class = identity_class;
      ident.name = e.type == EntityType::kSector ? std::move(sector_name) : e.name;
      if (e.type == EntityType::kSector) ident.sectors.push_back(e.sector);
      if (e.type == EntityType::kPerson) {
        ident.roles = e.roles;
        ident.description = e.description;
      }
      common = &ident.common;
      break;
    }
    case EntityType::kCountry:
    case EntityType::kRegion:
    case EntityType::kCity: {
      stix::Location& loc = slot(std::in_place_type<stix::Location>);
      loc.name = e.name;
      if (e.type == EntityType::kRegion) {
        loc.region = e.region;
      } else {
        loc.country = e.country;
        if (e.type == EntityType::kCity) loc.city = e.name;
      }
      loc.common.custom.emplace_back("x_opencti_location_type", location_kind);
      common = &loc.common;
      break;
    }
  }
  FillCommon(common, std::move(id));
  if (options().confidence && e.type != EntityType::kCountry && e.type != EntityType::kRegion &&
      e.type != EntityType::kCity)
    common->confidence = *options().confidence;
  if (!fresh) {
    MergeInto(known, aside);
    return known;
  }
  index_.Insert(hash, objects_.size() - 1);
  return objects_.size() - 1;
}

void BundleBuilder::Add(const ingest::Document& document, const extract::Analysis& analysis) {
  // Room for this document's objects at once, and for the reports that Build() appends
  // (geometric, so that many documents stay linear).
  size_t needed = objects_.size() + analysis.entities.size() + analysis.relations.size() + reports_.size() + 1;
  if (needed > objects_.capacity()) objects_.reserve(std::max(needed, 2 * objects_.capacity()));
  // This document's objects as positions in objects_: the entities' first (their ids are read
  // there, no copy per entity), then the relationships'. The report's object_refs are their ids,
  // sorted and unique. Scratch kept by the thread between documents.
  thread_local std::vector<size_t> at;
  at.clear();
  for (const extract::Entity& e : analysis.entities) at.push_back(EntityObject(e));
  auto entity_id = [&](size_t i) -> const std::string& { return stix::IdOf(objects_[at[i]]); };

  stix::Relationship aside;
  for (const extract::Relation& r : analysis.relations) {
    if (r.source < 0 || r.target < 0) continue;
    std::string_view type = r.type;
    // Views of entity ids in objects_, which the reserve above keeps in place during this call.
    const std::string& src = entity_id(static_cast<size_t>(r.source));
    const std::string& tgt = entity_id(static_cast<size_t>(r.target));
    std::string_view src_type = std::string_view(src).substr(0, src.find("--"));
    std::string_view tgt_type = std::string_view(tgt).substr(0, tgt.find("--"));
    if (type == "located-at" && src_type == "intrusion-set") type = "originates-from";
    if (!validate::IsRecommendedRelationship(src_type, type, tgt_type)) type = "related-to";
    std::string id = stix::RelationshipId(type, src, tgt);
    // As for entities: a new relationship is built in place, a known one aside and merged.
    const uint64_t hash = std::hash<std::string_view>()(id);
    const size_t known = index_.Find(id, hash, objects_);
    const bool fresh = known == IdIndex::kAbsent;
    if (!fresh) aside = stix::Relationship();
    stix::Relationship& rel = fresh ? std::get<stix::Relationship>(objects_.emplace_back(std::in_place_type<stix::Relationship>))
                                    : aside;
    rel.source_ref = src;
    rel.target_ref = tgt;
    FillCommon(&rel.common, std::move(id));
    rel.relationship_type = type;
    std::string& evidence = rel.description;
    if (type == "related-to" && !r.description.empty()) {
      evidence = r.description;
      evidence += ": ";
    }
    size_t prefix = evidence.size();
    auto add_sentence = [&](size_t s) {
      if (s >= analysis.sentences.size()) return;
      const text::Sentence& sent = analysis.sentences[s];
      if (evidence.size() > prefix) evidence += '\n';
      evidence += std::string_view(analysis.text).substr(sent.begin, sent.end - sent.begin);
    };
    if (r.evidence.empty()) {
      add_sentence(r.sentence);
    } else {
      for (size_t s : r.evidence) add_sentence(s);
    }
    int conf = Percent(r.confidence);
    if (options().confidence) conf = std::min(conf, *options().confidence);
    rel.common.confidence = conf;
    if (fresh) {
      index_.Insert(hash, objects_.size() - 1);
      at.push_back(objects_.size() - 1);
    } else {
      MergeInto(known, stix::Object(std::move(aside)));
      at.push_back(known);
    }
  }
  // objects_ no longer grows in this call: views of its ids stay valid.
  thread_local std::vector<std::string_view> refs;
  refs.clear();
  for (size_t pos : at) refs.push_back(stix::IdOf(objects_[pos]));
  std::sort(refs.begin(), refs.end());
  refs.erase(std::unique(refs.begin(), refs.end()), refs.end());

  stix::Report report;
  report.name = !document.title.empty() ? document.title : document.name;
  if (report.name.empty()) report.name = "Untitled document";
  report.published = defaults_->published;
  if (report.published.empty()) report.published = document.published;
  if (report.published.empty()) report.published = now_;
  FillCommon(&report.common, stix::ReportId(report.name, report.published));
  report.report_types.push_back("threat-report");
  report.description = Lede(analysis);
  stix::ExternalReference ref;
  ref.source_name = document.url.empty() ? "file" : "url";
  ref.url = document.url;
  ref.description = document.name;
  if (!document.sha256.empty()) ref.hashes.emplace_back("SHA-256", document.sha256);
  if (!ref.url.empty() || !ref.description.empty() || !ref.hashes.empty())
    report.common.external_references.push_back(std::move(ref));
  if (options().confidence) report.common.confidence = *options().confidence;
  // object_refs: this document's objects, the author and the marking. STIX requires at least one.
  report.object_refs.reserve(refs.size() + 2);
  report.object_refs.push_back(defaults_->marking.common.id);
  report.object_refs.push_back(defaults_->author_id);
  for (std::string_view id : refs) report.object_refs.emplace_back(id);
  // Two documents with the same title and date are two reports: the input hash tells them apart.
  for (const stix::Report& other : reports_) {
    if (other.common.id == report.common.id) {
      report.common.id = stix::DeterministicId("report", {{"name", stix::NormalizeName(report.name)},
                                                          {"published", report.published},
                                                          {"x_prose2stix_sha256", document.sha256}});
      break;
    }
  }
  reports_.push_back(std::move(report));
}

stix::Identity BundleBuilder::Author() const {
  stix::Identity author;
  FillCommon(&author.common, defaults_->author_id);
  author.common.created_by_ref.clear();
  author.name = options().author;
  author.identity_class = "organization";
  return author;
}

namespace {

// The bundle id: derived from the ids of all objects, one per line.
std::string BundleId(const std::vector<stix::Object>& objects) {
  thread_local std::string ids;
  ids.clear();
  for (const stix::Object& o : objects) {
    ids += stix::IdOf(o);
    ids += '\n';
  }
  return "bundle--" + stix::UuidV5(stix::kOasisNamespace, ids);
}

}  // namespace

stix::Bundle BundleBuilder::Build() const& {
  stix::Bundle b;
  b.objects.reserve(objects_.size() + reports_.size());
  b.objects.emplace_back(defaults_->marking);
  b.objects.emplace_back(Author());
  b.objects.insert(b.objects.end(), objects_.begin() + 2, objects_.end());
  for (const stix::Report& r : reports_) b.objects.emplace_back(r);
  b.id = BundleId(b.objects);
  return b;
}

stix::Bundle BundleBuilder::Build() && {
  stix::Bundle b;
  objects_[0] = defaults_->marking;
  objects_[1] = Author();
  objects_.reserve(objects_.size() + reports_.size());
  for (stix::Report& r : reports_) objects_.emplace_back(std::move(r));
  b.objects = std::move(objects_);
  b.id = BundleId(b.objects);
  objects_.clear();
  objects_.resize(2);
  reports_.clear();
  index_.Clear();
  return b;
}

}  // namespace prose2stix::convert
