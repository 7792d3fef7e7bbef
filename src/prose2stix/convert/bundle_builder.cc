// Building a bundle is a pure function of the documents, their analyses and the options: ids are
// deterministic (OpenCTI's standard ids), timestamps come from --fixed-time or one clock reading
// taken at creation, and objects keep the order in which documents first name them.
#include "prose2stix/convert/bundle_builder.h"

#include <algorithm>
#include <cmath>

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

Result<BundleBuilder> BundleBuilder::Create(const ConvertOptions& options) {
  BundleBuilder b(options);
  stix::Tlp tlp;
  if (!stix::ParseTlp(options.tlp, &tlp))
    return Status::InvalidArgument("unknown TLP level (clear, green, amber, amber+strict, red)", options.tlp);
  b.marking_ = stix::TlpMarking(tlp);
  if (options.fixed_time.empty()) {
    b.now_ = stix::NowTimestamp();
  } else {
    b.now_ = stix::NormalizeTimestamp(options.fixed_time);
    if (b.now_.empty()) return Status::InvalidArgument("not an RFC 3339 timestamp", options.fixed_time);
  }
  if (!options.published.empty() && stix::NormalizeDate(options.published).empty())
    return Status::InvalidArgument("not a date", options.published);
  if (options.author.empty()) return Status::InvalidArgument("the author name is empty");
  b.author_.common = b.MakeCommon(stix::IdentityId(options.author, "organization"));
  b.author_.common.created_by_ref.clear();
  b.author_.name = options.author;
  b.author_.identity_class = "organization";
  return b;
}

stix::Common BundleBuilder::MakeCommon(std::string id) const {
  stix::Common c;
  c.id = std::move(id);
  c.created = now_;
  c.modified = now_;
  c.created_by_ref = author_.common.id;
  c.object_marking_refs.push_back(marking_.common.id);
  return c;
}

size_t BundleBuilder::AddObject(stix::Object object) {
  auto [it, inserted] = index_.try_emplace(stix::IdOf(object), objects_.size());
  if (inserted) {
    objects_.push_back(std::move(object));
    return it->second;
  }
  stix::Object& kept = objects_[it->second];
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
  return it->second;
}

size_t BundleBuilder::EntityObject(const extract::Entity& e) {
  stix::Object obj;
  switch (e.type) {
    case EntityType::kThreatActor: {
      if (options_->intrusion_sets) {
        stix::IntrusionSet is;
        is.common = MakeCommon(stix::IntrusionSetId(e.name));
        is.name = e.name;
        is.aliases = e.aliases;
        is.first_seen = e.first_seen;
        obj = std::move(is);
      } else {
        stix::ThreatActor ta;
        ta.common = MakeCommon(stix::ThreatActorId(e.name));
        ta.name = e.name;
        ta.aliases = e.aliases;
        ta.threat_actor_types = e.threat_actor_types.empty() ? std::vector<std::string>{"unknown"} : e.threat_actor_types;
        ta.first_seen = e.first_seen;
        ta.common.custom.emplace_back("x_opencti_type", "Threat-Actor-Group");
        obj = std::move(ta);
      }
      break;
    }
    case EntityType::kOrganization:
    case EntityType::kPerson:
    case EntityType::kSector: {
      stix::Identity id;
      id.identity_class = e.type == EntityType::kOrganization ? "organization"
                          : e.type == EntityType::kPerson     ? "individual"
                                                              : "class";
      id.name = e.type == EntityType::kSector ? TitleCase(e.sector) : e.name;
      id.common = MakeCommon(stix::IdentityId(id.name, id.identity_class));
      if (e.type == EntityType::kSector) id.sectors.push_back(e.sector);
      if (e.type == EntityType::kPerson) {
        id.roles = e.roles;
        id.description = e.description;
      }
      obj = std::move(id);
      break;
    }
    case EntityType::kCountry:
    case EntityType::kRegion:
    case EntityType::kCity: {
      stix::Location loc;
      loc.name = e.name;
      std::string_view kind = e.type == EntityType::kCountry  ? "Country"
                              : e.type == EntityType::kRegion ? "Region"
                                                              : "City";
      loc.common = MakeCommon(stix::LocationId(loc.name, kind));
      if (e.type == EntityType::kRegion) {
        loc.region = e.region;
      } else {
        loc.country = e.country;
        if (e.type == EntityType::kCity) loc.city = e.name;
      }
      loc.common.custom.emplace_back("x_opencti_location_type", kind);
      obj = std::move(loc);
      break;
    }
  }
  if (options_->confidence && e.type != EntityType::kCountry && e.type != EntityType::kRegion &&
      e.type != EntityType::kCity)
    stix::CommonOf(obj).confidence = *options_->confidence;
  return AddObject(std::move(obj));
}

void BundleBuilder::Add(const ingest::Document& document, const extract::Analysis& analysis) {
  // Room for this document's objects at once (geometric, so that many documents stay linear).
  size_t needed = objects_.size() + analysis.entities.size() + analysis.relations.size();
  if (needed > objects_.capacity()) objects_.reserve(std::max(needed, 2 * objects_.capacity()));
  // The entities' positions in objects_ (their ids are read there: no copy per entity).
  std::vector<size_t> entity_at;
  entity_at.reserve(analysis.entities.size());
  for (const extract::Entity& e : analysis.entities) entity_at.push_back(EntityObject(e));
  auto entity_id = [&](size_t i) -> const std::string& { return stix::IdOf(objects_[entity_at[i]]); };

  // This document's object ids, for the report's object_refs (sorted and unique below).
  std::vector<std::string> refs;
  refs.reserve(entity_at.size() + analysis.relations.size());
  for (size_t i = 0; i < entity_at.size(); ++i) refs.push_back(entity_id(i));
  for (const extract::Relation& r : analysis.relations) {
    if (r.source < 0 || r.target < 0) continue;
    // The relationship's own copies of the ids (AddObject below may grow objects_).
    stix::Relationship rel;
    rel.source_ref = entity_id(static_cast<size_t>(r.source));
    rel.target_ref = entity_id(static_cast<size_t>(r.target));
    const std::string& src = rel.source_ref;
    const std::string& tgt = rel.target_ref;
    std::string_view src_type = std::string_view(src).substr(0, src.find("--"));
    std::string_view tgt_type = std::string_view(tgt).substr(0, tgt.find("--"));
    std::string_view type = r.type;
    if (type == "located-at" && src_type == "intrusion-set") type = "originates-from";
    if (!validate::IsRecommendedRelationship(src_type, type, tgt_type)) type = "related-to";
    rel.common = MakeCommon(stix::RelationshipId(type, src, tgt));
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
    if (options_->confidence) conf = std::min(conf, *options_->confidence);
    rel.common.confidence = conf;
    refs.push_back(rel.common.id);
    AddObject(std::move(rel));
  }
  std::sort(refs.begin(), refs.end());
  refs.erase(std::unique(refs.begin(), refs.end()), refs.end());

  stix::Report report;
  report.name = !document.title.empty() ? document.title : document.name;
  if (report.name.empty()) report.name = "Untitled document";
  if (!options_->published.empty()) report.published = stix::NormalizeDate(options_->published);
  if (report.published.empty()) report.published = document.published;
  if (report.published.empty()) report.published = now_;
  report.common = MakeCommon(stix::ReportId(report.name, report.published));
  report.report_types.push_back("threat-report");
  report.description = Lede(analysis);
  stix::ExternalReference ref;
  ref.source_name = document.url.empty() ? "file" : "url";
  ref.url = document.url;
  ref.description = document.name;
  if (!document.sha256.empty()) ref.hashes.emplace_back("SHA-256", document.sha256);
  if (!ref.url.empty() || !ref.description.empty() || !ref.hashes.empty()) report.common.external_references.push_back(ref);
  if (options_->confidence) report.common.confidence = *options_->confidence;
  // object_refs: this document's objects, the author and the marking. STIX requires at least one.
  report.object_refs.reserve(refs.size() + 2);
  report.object_refs.push_back(marking_.common.id);
  report.object_refs.push_back(author_.common.id);
  for (std::string& id : refs) report.object_refs.push_back(std::move(id));
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

namespace {

// The bundle of `objects` and `reports` after the marking and the author; its id is derived from
// the object ids.
stix::Bundle Assemble(const stix::MarkingDefinition& marking, const stix::Identity& author,
                      std::vector<stix::Object> objects, std::vector<stix::Report> reports) {
  stix::Bundle b;
  b.objects.reserve(objects.size() + reports.size() + 2);
  b.objects.emplace_back(marking);
  b.objects.emplace_back(author);
  for (stix::Object& o : objects) b.objects.push_back(std::move(o));
  for (stix::Report& r : reports) b.objects.emplace_back(std::move(r));
  std::string ids;
  for (const stix::Object& o : b.objects) {
    ids += stix::IdOf(o);
    ids += '\n';
  }
  b.id = "bundle--" + stix::UuidV5(stix::kOasisNamespace, ids);
  return b;
}

}  // namespace

stix::Bundle BundleBuilder::Build() const& { return Assemble(marking_, author_, objects_, reports_); }

stix::Bundle BundleBuilder::Build() && {
  stix::Bundle b = Assemble(marking_, author_, std::move(objects_), std::move(reports_));
  objects_.clear();
  reports_.clear();
  index_.clear();
  return b;
}

}  // namespace prose2stix::convert
