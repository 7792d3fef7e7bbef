// Serialization straight into one std::string (used as a growable buffer), one template per object
// type so that the compact and pretty paths share the property order. The output is byte for byte
// what RapidJSON 1.1.0's Writer and PrettyWriter (indent of two spaces) produce for the same calls,
// which the unit tests check against RapidJSON itself; doing it here saves RapidJSON's
// character-at-a-time escaping:
//
//  - Strings are copied in runs up to the next byte that needs attention (a '"', a '\\', a
//    control character below 0x20 or a byte >= 0x80), found sixteen bytes at a time with SSE2
//    and eight at a time with word-wide bit tricks otherwise. The property names and fixed values
//    of this file need no escaping and are copied as they are (Plain); custom property names
//    and all values are data and are escaped. Control characters are escaped as RapidJSON does
//    (\b \t \n \f \r by name, others as \u00XX in upper case). The first byte >= 0x80 triggers
//    one UTF-8 check of the rest of the string; a string that holds ill-formed UTF-8 is written
//    again from its repaired copy (each ill-formed sequence becomes U+FFFD), so the output is
//    always valid JSON.
//  - Separators follow RapidJSON's rules: compact output puts ',' between values and ':' after
//    keys; pretty output starts every member and element on its own line, indented two spaces
//    per level, with ": " after keys and the closing bracket on its own line (an empty container
//    stays "{}" or "[]").
//  - Numbers use RapidJSON's own integer and Grisu2 double formatting (rapidjson/internal), so
//    they print identically; a NaN or infinite double writes nothing after its key, as RapidJSON
//    does without kWriteNanAndInfFlag.
#include "prose2stix/stix/json_writer.h"

#include <rapidjson/internal/dtoa.h>
#include <rapidjson/internal/ieee754.h>
#include <rapidjson/internal/itoa.h>

#include <algorithm>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "prose2stix/util/bits.h"
#include "prose2stix/util/utf8.h"

namespace prose2stix::stix {

namespace {

// How many bytes from p[i] on (before p[n]) need no attention: not '"', '\\', a control character
// or a byte >= 0x80. Sixteen bytes at a time with SSE2 (one signed comparison finds both the
// control characters and the bytes >= 0x80), a string's last sixteen bytes checked at once when
// fewer are left, else eight at a time; short strings byte by byte.
size_t PlainRun(const char* p, size_t i, size_t n) {
  const size_t start = i;
#if defined(__SSE2__)
  if (n - i >= 16) {
    auto special = [](const char* q) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q));
      const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                                                    _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
                                       _mm_cmplt_epi8(v, _mm_set1_epi8(0x20)));
      return static_cast<unsigned>(_mm_movemask_epi8(hit));
    };
    for (; i + 16 <= n; i += 16) {
      if (unsigned m = special(p + i)) return i - start + static_cast<size_t>(__builtin_ctz(m));
    }
    if (i == n) return i - start;
    // Fewer than sixteen left: the block of the last sixteen bytes, without the ones before i.
    const unsigned m = special(p + n - 16) >> (16 - (n - i));
    return m == 0 ? n - start : i - start + static_cast<size_t>(__builtin_ctz(m));
  }
#endif
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    if (HasJsonSpecialByte(w)) break;
  }
  for (; i < n; ++i) {
    const unsigned char c = static_cast<unsigned char>(p[i]);
    if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') break;
  }
  return i - start;
}

// Builds the JSON text in `*s`, which serves as a growable buffer: text is written through a
// raw pointer after one capacity check per token, and `*s` is cut to the written length by
// Finish(). kPretty selects PrettyWriter's layout.
template <bool kPretty>
class Out {
 public:
  Out(std::string* s, size_t size_hint) : s_(s) { s_->resize(std::max<size_t>(size_hint, 64)); }
  // Cuts the buffer to the text written.
  void Finish() { s_->resize(len_); }

  void StartObject() { Open('{', false); }
  void EndObject() { Close('}'); }
  void StartArray() { Open('[', true); }
  void EndArray() { Close(']'); }

  void String(std::string_view v) {
    Prefix();
    Quoted(v);
  }
  // A member of the object being written: `key` (one of this file's property names, written as
  // it is) and `value` (escaped). Compact output writes the separator, the key and the ':' with
  // one capacity check.
  void Member(std::string_view key, std::string_view value) {
    if constexpr (kPretty) {
      Plain(key);
      String(value);
    } else {
      Level& level = levels_[depth_ - 1];  // members are written inside objects only
      char* const begin = Room(key.size() + 4);
      char* o = begin;
      if (level.count > 0) *o++ = ',';
      *o++ = '"';
      std::memcpy(o, key.data(), key.size());
      o += key.size();
      *o++ = '"';
      *o++ = ':';
      len_ += static_cast<size_t>(o - begin);
      level.count += 2;
      Quoted(value);
    }
  }
  // A key or value known to need no escaping (the property names and fixed values of this file):
  // copied between quotes without a look at its bytes.
  void Plain(std::string_view v) {
    Prefix();
    char* o = Room(v.size() + 2);
    o[0] = '"';
    std::memcpy(o + 1, v.data(), v.size());
    o[v.size() + 1] = '"';
    len_ += v.size() + 2;
  }
  void Int(int i) {
    Prefix();
    char* o = Room(16);
    len_ = static_cast<size_t>(rapidjson::internal::i32toa(i, o) - s_->data());
  }
  void Double(double d) {
    Prefix();
    if (rapidjson::internal::Double(d).IsNanOrInf()) return;  // RapidJSON writes nothing
    char* o = Room(25);
    len_ = static_cast<size_t>(rapidjson::internal::dtoa(d, o) - s_->data());
  }

 private:
  struct Level {
    bool array = false;
    size_t count = 0;  // values (and, in objects, keys) written so far
  };
  static constexpr size_t kMaxDepth = 16;  // the object model nests at most six levels

  // A pointer to the end of the text with room for `n` more bytes.
  char* Room(size_t n) {
    if (len_ + n > s_->size()) s_->resize(std::max(2 * s_->size(), len_ + n));
    return s_->data() + len_;
  }
  void Put(char c) {
    *Room(1) = c;
    ++len_;
  }
  void Put(std::string_view text) {
    std::memcpy(Room(text.size()), text.data(), text.size());
    len_ += text.size();
  }

  void Open(char bracket, bool array) {
    Prefix();
    Put(bracket);
    levels_[depth_++] = Level{array, 0};
  }

  void Close(char bracket) {
    bool empty = levels_[--depth_].count == 0;
    if (kPretty && !empty) {
      Put('\n');
      Indent();
    }
    Put(bracket);
  }

  void Indent() {
    std::memset(Room(2 * depth_), ' ', 2 * depth_);
    len_ += 2 * depth_;
  }

  // What goes before a key or value: RapidJSON's Writer::Prefix / PrettyWriter::PrettyPrefix.
  void Prefix() {
    if (depth_ == 0) return;
    Level& level = levels_[depth_ - 1];
    if (!kPretty) {
      if (level.count > 0) Put(level.array || level.count % 2 == 0 ? ',' : ':');
    } else if (level.array) {
      if (level.count > 0) Put(',');
      Put('\n');
      Indent();
    } else if (level.count % 2 == 1) {
      Put(": ");
    } else {
      Put(level.count > 0 ? ",\n" : "\n");
      Indent();
    }
    ++level.count;
  }

  void Quoted(std::string_view v) {
    if (!Escaped(v, true)) {
      std::string fixed;
      fixed.reserve(v.size() + 8);
      for (size_t pos = 0; pos < v.size();) utf8::Append(utf8::Decode(v, &pos), &fixed);
      Escaped(fixed, false);
    }
  }

  // Appends `v` quoted and escaped. Returns false, having written nothing, when `check_utf8` is
  // set and `v` holds ill-formed UTF-8.
  bool Escaped(std::string_view v, bool check_utf8) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    const char* p = v.data();
    const size_t n = v.size();
    char* const begin = Room(2 + 6 * n);  // the worst case: every byte as \u00XX
    char* o = begin;
    *o++ = '"';
    size_t i = 0;
    while (i < n) {
      // Copy the plain bytes up to the next one that needs attention at once.
      const size_t plain = PlainRun(p, i, n);
      std::memcpy(o, p + i, plain);
      o += plain;
      i += plain;
      if (i >= n) break;
      unsigned char c = static_cast<unsigned char>(p[i++]);
      if (c >= 0x20 && c != '"' && c != '\\') {
        if (c >= 0x80 && check_utf8) {
          if (utf8::FirstInvalid(v.substr(i - 1)) != std::string_view::npos) return false;
          check_utf8 = false;  // the rest is well-formed
        }
        *o++ = static_cast<char>(c);
        continue;
      }
      *o++ = '\\';
      switch (c) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '\b': *o++ = 'b'; break;
        case '\t': *o++ = 't'; break;
        case '\n': *o++ = 'n'; break;
        case '\f': *o++ = 'f'; break;
        case '\r': *o++ = 'r'; break;
        default:
          *o++ = 'u';
          *o++ = '0';
          *o++ = '0';
          *o++ = kHex[c >> 4];
          *o++ = kHex[c & 0xF];
      }
    }
    *o++ = '"';
    len_ += static_cast<size_t>(o - begin);
    return true;
  }

  std::string* s_;
  size_t len_ = 0;
  Level levels_[kMaxDepth];
  size_t depth_ = 0;
};

// Prop: a property of this file's own name (written without escaping), absent when empty.
template <typename W>
void Prop(W& w, std::string_view key, const std::string& value) {
  if (value.empty()) return;
  w.Member(key, value);
}

template <typename W>
void Prop(W& w, std::string_view key, const std::vector<std::string>& values) {
  if (values.empty()) return;
  w.Plain(key);
  w.StartArray();
  for (const std::string& v : values) w.String(v);
  w.EndArray();
}

template <typename W>
void Prop(W& w, std::string_view key, const std::optional<double>& value) {
  if (!value) return;
  w.Plain(key);
  w.Double(*value);
}

template <typename W>
void Head(W& w, std::string_view type, const Common& c) {
  w.StartObject();
  w.Plain("type");
  w.Plain(type);
  w.Plain("spec_version");
  w.Plain("2.1");
  Prop(w, "id", c.id);
  Prop(w, "created_by_ref", c.created_by_ref);
  Prop(w, "created", c.created);
  Prop(w, "modified", c.modified);
}

template <typename W>
void Tail(W& w, const Common& c) {
  Prop(w, "labels", c.labels);
  if (c.confidence) {
    w.Plain("confidence");
    w.Int(*c.confidence);
  }
  Prop(w, "lang", c.lang);
  if (!c.external_references.empty()) {
    w.Plain("external_references");
    w.StartArray();
    for (const ExternalReference& r : c.external_references) {
      w.StartObject();
      Prop(w, "source_name", r.source_name);
      Prop(w, "description", r.description);
      Prop(w, "url", r.url);
      if (!r.hashes.empty()) {
        w.Plain("hashes");
        w.StartObject();
        for (const auto& [algo, value] : r.hashes) {
          w.String(algo);
          w.String(value);
        }
        w.EndObject();
      }
      Prop(w, "external_id", r.external_id);
      w.EndObject();
    }
    w.EndArray();
  }
  Prop(w, "object_marking_refs", c.object_marking_refs);
  // Custom names are data: escaped like values.
  for (const auto& [key, value] : c.custom) {
    if (value.empty()) continue;
    w.String(key);
    w.String(value);
  }
  for (const auto& [key, values] : c.custom_lists) {
    if (values.empty()) continue;
    w.String(key);
    w.StartArray();
    for (const std::string& v : values) w.String(v);
    w.EndArray();
  }
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
    w.Plain("definition");
    w.StartObject();
    w.String(o.definition_type);
    w.String(o.definition_value);
    w.EndObject();
  }
  if (!o.tlp2_level.empty()) {
    w.Plain("extensions");
    w.StartObject();
    w.Plain(kTlp2ExtensionId);
    w.StartObject();
    w.Plain("extension_type");
    w.Plain("property-extension");
    w.Plain("tlp_2_0");
    w.String(o.tlp2_level);
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
  w.Plain("type");
  w.Plain("bundle");
  Prop(w, "id", bundle.id);
  if (!bundle.objects.empty()) {
    w.Plain("objects");
    w.StartArray();
    for (const Object& o : bundle.objects) WriteAny(w, o);
    w.EndArray();
  }
  w.EndObject();
}

// A first guess at the size of an object's JSON, so that the output grows at most a few times.
size_t SizeHint(const Object& object) {
  return std::visit(
      [](const auto& o) {
        size_t n = 400 + o.common.external_references.size() * 200;
        if constexpr (requires { o.description; }) n += o.description.size();
        if constexpr (requires { o.object_refs; }) n += o.object_refs.size() * 70;
        return n;
      },
      object);
}

template <typename Fn>
std::string Render(bool pretty, size_t hint, Fn&& fn) {
  std::string s;
  if (pretty) {
    Out<true> w(&s, hint + hint / 2);
    fn(w);
    w.Finish();
  } else {
    Out<false> w(&s, hint);
    fn(w);
    w.Finish();
  }
  return s;
}

}  // namespace

std::string WriteBundle(const Bundle& bundle, bool pretty) {
  size_t hint = 100;
  for (const Object& o : bundle.objects) hint += SizeHint(o);
  return Render(pretty, hint, [&bundle](auto& w) { WriteBundleTo(w, bundle); });
}

std::string WriteObject(const Object& object, bool pretty) {
  return Render(pretty, SizeHint(object), [&object](auto& w) { WriteAny(w, object); });
}

}  // namespace prose2stix::stix
