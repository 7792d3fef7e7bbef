// Serialization with RapidJSON's Writer / PrettyWriter into a StringBuffer, one template per
// object type so that the compact and pretty paths share the property order. Strings go
// through Str(), which repairs ill-formed UTF-8 (RapidJSON's default writer copies bytes as
// they are and would otherwise emit invalid JSON).
#include "prose2stix/stix/json_writer.h"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "prose2stix/util/utf8.h"

namespace prose2stix::stix {

namespace {

template <typename W>
void Str(W& w, std::string_view s) {
  if (utf8::FirstInvalid(s) == std::string_view::npos) {
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
    return;
  }
  std::string fixed;
  fixed.reserve(s.size() + 8);
  for (size_t pos = 0; pos < s.size();) utf8::Append(utf8::Decode(s, &pos), &fixed);
  w.String(fixed.data(), static_cast<rapidjson::SizeType>(fixed.size()));
}

template <typename W>
void Prop(W& w, std::string_view key, const std::string& value) {
  if (value.empty()) return;
  Str(w, key);
  Str(w, value);
}

template <typename W>
void Prop(W& w, std::string_view key, const std::vector<std::string>& values) {
  if (values.empty()) return;
  Str(w, key);
  w.StartArray();
  for (const std::string& v : values) Str(w, v);
  w.EndArray();
}

template <typename W>
void Prop(W& w, std::string_view key, const std::optional<double>& value) {
  if (!value) return;
  Str(w, key);
  w.Double(*value);
}

template <typename W>
void Head(W& w, std::string_view type, const Common& c) {
  w.StartObject();
  Str(w, "type");
  Str(w, type);
  Str(w, "spec_version");
  Str(w, "2.1");
  Prop(w, "id", c.id);
  Prop(w, "created_by_ref", c.created_by_ref);
  Prop(w, "created", c.created);
  Prop(w, "modified", c.modified);
}

template <typename W>
void Tail(W& w, const Common& c) {
  Prop(w, "labels", c.labels);
  if (c.confidence) {
    Str(w, "confidence");
    w.Int(*c.confidence);
  }
  Prop(w, "lang", c.lang);
  if (!c.external_references.empty()) {
    Str(w, "external_references");
    w.StartArray();
    for (const ExternalReference& r : c.external_references) {
      w.StartObject();
      Prop(w, "source_name", r.source_name);
      Prop(w, "description", r.description);
      Prop(w, "url", r.url);
      if (!r.hashes.empty()) {
        Str(w, "hashes");
        w.StartObject();
        for (const auto& [algo, value] : r.hashes) {
          Str(w, algo);
          Str(w, value);
        }
        w.EndObject();
      }
      Prop(w, "external_id", r.external_id);
      w.EndObject();
    }
    w.EndArray();
  }
  Prop(w, "object_marking_refs", c.object_marking_refs);
  for (const auto& [key, value] : c.custom) Prop(w, key, value);
  for (const auto& [key, values] : c.custom_lists) Prop(w, key, values);
  w.EndObject();
}

template <typename W>
void Body(W& w, const ThreatActor& o) {
  Prop(w, "name", o.name);
  Prop(w, "description", o.description);
  Prop(w, "threat_actor_types", o.threat_actor_types);
  Prop(w, "aliases", o.aliases);
  Prop(w, "first_seen", o.first_seen);
  Prop(w, "last_seen", o.last_seen);
  Prop(w, "roles", o.roles);
  Prop(w, "goals", o.goals);
  Prop(w, "sophistication", o.sophistication);
  Prop(w, "resource_level", o.resource_level);
  Prop(w, "primary_motivation", o.primary_motivation);
}

template <typename W>
void Body(W& w, const IntrusionSet& o) {
  Prop(w, "name", o.name);
  Prop(w, "description", o.description);
  Prop(w, "aliases", o.aliases);
  Prop(w, "first_seen", o.first_seen);
  Prop(w, "last_seen", o.last_seen);
  Prop(w, "goals", o.goals);
  Prop(w, "resource_level", o.resource_level);
  Prop(w, "primary_motivation", o.primary_motivation);
}

template <typename W>
void Body(W& w, const Identity& o) {
  Prop(w, "name", o.name);
  Prop(w, "description", o.description);
  Prop(w, "roles", o.roles);
  Prop(w, "identity_class", o.identity_class);
  Prop(w, "sectors", o.sectors);
  Prop(w, "contact_information", o.contact_information);
}

template <typename W>
void Body(W& w, const Location& o) {
  Prop(w, "name", o.name);
  Prop(w, "description", o.description);
  Prop(w, "latitude", o.latitude);
  Prop(w, "longitude", o.longitude);
  Prop(w, "region", o.region);
  Prop(w, "country", o.country);
  Prop(w, "administrative_area", o.administrative_area);
  Prop(w, "city", o.city);
}

template <typename W>
void Body(W& w, const Relationship& o) {
  Prop(w, "relationship_type", o.relationship_type);
  Prop(w, "description", o.description);
  Prop(w, "source_ref", o.source_ref);
  Prop(w, "target_ref", o.target_ref);
  Prop(w, "start_time", o.start_time);
  Prop(w, "stop_time", o.stop_time);
}

template <typename W>
void Body(W& w, const Report& o) {
  Prop(w, "name", o.name);
  Prop(w, "description", o.description);
  Prop(w, "report_types", o.report_types);
  Prop(w, "published", o.published);
  Prop(w, "object_refs", o.object_refs);
}

template <typename W>
void Body(W& w, const MarkingDefinition& o) {
  Prop(w, "definition_type", o.definition_type);
  Prop(w, "name", o.name);
  if (!o.definition_type.empty()) {
    Str(w, "definition");
    w.StartObject();
    Str(w, o.definition_type);
    Str(w, o.definition_value);
    w.EndObject();
  }
  if (!o.tlp2_level.empty()) {
    Str(w, "extensions");
    w.StartObject();
    Str(w, kTlp2ExtensionId);
    w.StartObject();
    Str(w, "extension_type");
    Str(w, "property-extension");
    Str(w, "tlp_2_0");
    Str(w, o.tlp2_level);
    w.EndObject();
    w.EndObject();
  }
}

template <typename W>
void WriteAny(W& w, const Object& object) {
  std::visit(
      [&w, &object](const auto& o) {
        Head(w, TypeOf(object), o.common);
        Body(w, o);
        Tail(w, o.common);
      },
      object);
}

template <typename W>
void WriteBundleTo(W& w, const Bundle& bundle) {
  w.StartObject();
  Str(w, "type");
  Str(w, "bundle");
  Prop(w, "id", bundle.id);
  if (!bundle.objects.empty()) {
    Str(w, "objects");
    w.StartArray();
    for (const Object& o : bundle.objects) WriteAny(w, o);
    w.EndArray();
  }
  w.EndObject();
}

template <typename Fn>
std::string Render(bool pretty, Fn&& fn) {
  rapidjson::StringBuffer sb;
  if (pretty) {
    rapidjson::PrettyWriter<rapidjson::StringBuffer> w(sb);
    w.SetIndent(' ', 2);
    fn(w);
  } else {
    rapidjson::Writer<rapidjson::StringBuffer> w(sb);
    fn(w);
  }
  return std::string(sb.GetString(), sb.GetSize());
}

}  // namespace

std::string WriteBundle(const Bundle& bundle, bool pretty) {
  return Render(pretty, [&bundle](auto& w) { WriteBundleTo(w, bundle); });
}

std::string WriteObject(const Object& object, bool pretty) {
  return Render(pretty, [&object](auto& w) { WriteAny(w, object); });
}

}  // namespace prose2stix::stix
