// Deterministic ids: a small RFC 8785 serializer for flat objects plus OpenCTI's name
// normalisation, fed to UuidV5 in the OASIS namespace.
//
// JCS orders members by UTF-16 code units, which differs from UTF-8 byte order only between
// U+E000..U+FFFF and supplementary characters; keys are converted to UTF-16 for the comparison.
// Lower-casing follows the Unicode simple case mappings of the scripts that threat reports use
// for names (JavaScript's toLowerCase, which OpenCTI applies, uses the full Unicode tables; the
// ranges below agree with it). U+0130 lowers to "i" + U+0307 as JavaScript does, and capital
// sigma lowers to final sigma at the end of a word.
//
// Keys that are all ASCII (the typed helpers' keys, and nearly every caller's) take a fast path:
// for ASCII, UTF-16 code unit order is byte order, so members are sorted by their bytes without a
// UTF-16 copy of each key. The typed helpers (ThreatActorId, ...) are on the converter's path for
// every entity: they sort their few members in a stack array with an insertion sort (no
// allocation) and write the canonical JSON into one buffer; ASCII names are normalised without
// decoding; the namespace UUID is parsed once.
#include "prose2stix/stix/identifier.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <utility>

#include "prose2stix/stix/timestamp.h"
#include "prose2stix/stix/uuid.h"
#include "prose2stix/util/bits.h"
#include "prose2stix/util/utf8.h"

namespace prose2stix::stix {

namespace {

std::u16string ToUtf16(std::string_view s) {
  std::u16string out;
  out.reserve(s.size());
  for (size_t pos = 0; pos < s.size();) {
    char32_t cp = utf8::Decode(s, &pos);
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out.push_back(static_cast<char16_t>(0xD800 + (cp >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + (cp & 0x3FF)));
    } else {
      out.push_back(static_cast<char16_t>(cp));
    }
  }
  return out;
}

void AppendJcsString(std::string_view s, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t run = 0;  // s[run, pos) is plain ASCII still to be copied
  for (size_t pos = 0; pos < s.size();) {
    // Eight plain bytes at a time (a false alarm only sends a word to the byte loop below).
    while (pos + 8 <= s.size()) {
      uint64_t w;
      std::memcpy(&w, s.data() + pos, 8);
      if (HasJsonSpecialByte(w)) break;
      pos += 8;
    }
    if (pos >= s.size()) break;
    unsigned char c = static_cast<unsigned char>(s[pos]);
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
      ++pos;
      continue;
    }
    out->append(s.data() + run, pos - run);
    if (c < 0x80) {
      ++pos;
      switch (c) {
        case '"': out->append("\\\""); break;
        case '\\': out->append("\\\\"); break;
        case '\b': out->append("\\b"); break;
        case '\f': out->append("\\f"); break;
        case '\n': out->append("\\n"); break;
        case '\r': out->append("\\r"); break;
        case '\t': out->append("\\t"); break;
        default:
          out->append("\\u00");
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 0xF]);
      }
    } else {
      utf8::Append(utf8::Decode(s, &pos), out);  // re-encoding replaces ill-formed bytes
    }
    run = pos;
  }
  out->append(s.data() + run, s.size() - run);
  out->push_back('"');
}

// Simple lower-case mapping of one code point (see the file comment for the covered ranges).
char32_t LowerSimple(char32_t c) {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 32 : c;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;
  if (c >= 0x100 && c <= 0x17F) {
    if (c == 0x178) return 0xFF;
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) return (c % 2 == 1) ? c + 1 : c;
    if (c == 0x130 || c == 0x131 || c == 0x138 || c == 0x149 || c == 0x17F) return c;
    return (c % 2 == 0) ? c + 1 : c;
  }
  if (c >= 0x386 && c <= 0x3AB) {
    if (c == 0x386) return 0x3AC;
    if (c >= 0x388 && c <= 0x38A) return c + 37;
    if (c == 0x38C) return 0x3CC;
    if (c == 0x38E || c == 0x38F) return c + 63;
    if (c >= 0x391 && c != 0x3A2) return c + 32;
    return c;
  }
  if (c >= 0x400 && c <= 0x40F) return c + 80;
  if (c >= 0x410 && c <= 0x42F) return c + 32;
  if ((c >= 0x460 && c <= 0x481) || (c >= 0x48A && c <= 0x4BF) || (c >= 0x4D0 && c <= 0x52F)) {
    return (c % 2 == 0) ? c + 1 : c;
  }
  if (c == 0x4C0) return 0x4CF;
  if (c >= 0x4C1 && c <= 0x4CE) return (c % 2 == 1) ? c + 1 : c;
  if (c >= 0x531 && c <= 0x556) return c + 48;
  if (c == 0x1E9E) return 0xDF;
  if ((c >= 0x1E00 && c <= 0x1E95) || (c >= 0x1EA0 && c <= 0x1EFF)) return (c % 2 == 0) ? c + 1 : c;
  if (c >= 0xFF21 && c <= 0xFF3A) return c + 32;
  return c;
}

// Letters of the covered scripts that have case (for the final-sigma rule).
bool IsCased(char32_t c) {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  if (c >= 0xC0 && c <= 0x24F) return c != 0xD7 && c != 0xF7;
  if (c >= 0x370 && c <= 0x3FF) return c != 0x37E && c != 0x387 && c != 0x375;
  if (c >= 0x400 && c <= 0x52F) return !(c >= 0x482 && c <= 0x489);
  if (c >= 0x531 && c <= 0x587) return !(c >= 0x557 && c <= 0x560);
  if (c >= 0x1E00 && c <= 0x1EFF) return true;
  return (c >= 0xFF21 && c <= 0xFF3A) || (c >= 0xFF41 && c <= 0xFF5A);
}

// The characters JavaScript's String.prototype.trim removes.
bool IsJsWhiteSpace(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
         c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

// The 16 bytes of kOasisNamespace, parsed once.
const UuidBytes& OasisNamespace() {
  static const UuidBytes kBytes = *ParseUuid(kOasisNamespace);
  return kBytes;
}

// One member of a flat object: a string value (`str`) or an array of strings (`arr`).
struct Member {
  std::string_view key;
  std::string_view str;
  const std::vector<std::string>* arr = nullptr;
};

bool IsAscii(std::string_view s) {
  for (char ch : s) {
    if (static_cast<unsigned char>(ch) >= 0x80) return false;
  }
  return true;
}

// Orders members as JCS requires, keeping input order among equal keys (so that the last of them
// is the one written). All keys must be ASCII (byte order is UTF-16 order), or `keys16` must hold
// each member's key in UTF-16, parallel to `members`. An insertion sort for the handful of members
// ids have; a stable sort of positions beyond that.
void SortMembers(Member* members, size_t n, std::u16string* keys16) {
  auto less = [&](size_t a, size_t b) {
    // string_view compares bytes as unsigned char: byte order.
    return keys16 != nullptr ? keys16[a] < keys16[b] : members[a].key < members[b].key;
  };
  constexpr size_t kInsertionSortMax = 16;
  if (n <= kInsertionSortMax) {
    for (size_t i = 1; i < n; ++i) {
      for (size_t j = i; j > 0 && less(j, j - 1); --j) {
        std::swap(members[j], members[j - 1]);
        if (keys16 != nullptr) keys16[j].swap(keys16[j - 1]);
      }
    }
    return;
  }
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), less);
  std::vector<Member> sorted(n);
  std::vector<std::u16string> sorted16(keys16 != nullptr ? n : 0);
  for (size_t i = 0; i < n; ++i) {
    sorted[i] = members[order[i]];
    if (keys16 != nullptr) sorted16[i] = std::move(keys16[order[i]]);
  }
  std::copy(sorted.begin(), sorted.end(), members);
  if (keys16 != nullptr) std::move(sorted16.begin(), sorted16.end(), keys16);
}

// Appends the canonical JSON of sorted members; of equal keys only the last is written. `keys16`
// as for SortMembers (keys that differ in bytes may be equal in UTF-16, when ill-formed UTF-8
// became U+FFFD). `plain_keys`: every key is printable ASCII without '"' or '\\', written as is.
void AppendSorted(const Member* members, size_t n, const std::u16string* keys16, bool plain_keys,
                  std::string* out) {
  out->push_back('{');
  bool first = true;
  for (size_t i = 0; i < n; ++i) {
    if (i + 1 < n && (keys16 != nullptr ? keys16[i + 1] == keys16[i] : members[i + 1].key == members[i].key))
      continue;
    if (!first) out->push_back(',');
    first = false;
    if (plain_keys) {
      out->push_back('"');
      out->append(members[i].key);
      out->append("\":");
    } else {
      AppendJcsString(members[i].key, out);
      out->push_back(':');
    }
    if (members[i].arr == nullptr) {
      AppendJcsString(members[i].str, out);
    } else {
      out->push_back('[');
      for (size_t j = 0; j < members[i].arr->size(); ++j) {
        if (j > 0) out->push_back(',');
        AppendJcsString((*members[i].arr)[j], out);
      }
      out->push_back(']');
    }
  }
  out->push_back('}');
}

// "<type>--" + the UUIDv5 of the canonical JSON of the typed helpers' string members, empty
// values dropped as in DeterministicId. The keys are the helpers' literal property names
// (lower-case letters and '_'), which need no escaping.
std::string TypedId(std::string_view type, std::initializer_list<Member> given) {
  constexpr size_t kMax = 8;
  Member members[kMax];
  size_t n = 0;
  for (const Member& m : given) {
    if (!m.str.empty() && n < kMax) members[n++] = m;
  }
  SortMembers(members, n, nullptr);
  // The canonical JSON is hashed and dropped: the thread's buffer is reused from id to id.
  thread_local std::string json;
  json.clear();
  AppendSorted(members, n, nullptr, /*plain_keys=*/true, &json);
  std::string id;
  id.reserve(type.size() + 38);
  id.append(type);
  id.append("--");
  AppendUuidV5(OasisNamespace(), json, &id);
  return id;
}

}  // namespace

std::string CanonicalJson(const StringProperties& strings, const ArrayProperties& arrays) {
  std::vector<Member> members;
  members.reserve(strings.size() + arrays.size());
  bool ascii = true;
  for (const auto& [k, v] : strings) {
    members.push_back({k, v, nullptr});
    ascii = ascii && IsAscii(k);
  }
  for (const auto& [k, v] : arrays) {
    members.push_back({k, {}, &v});
    ascii = ascii && IsAscii(k);
  }
  std::vector<std::u16string> keys16;
  if (!ascii) {
    keys16.reserve(members.size());
    for (const Member& m : members) keys16.push_back(ToUtf16(m.key));
  }
  SortMembers(members.data(), members.size(), ascii ? nullptr : keys16.data());
  std::string out;
  AppendSorted(members.data(), members.size(), ascii ? nullptr : keys16.data(), /*plain_keys=*/false, &out);
  return out;
}

std::string NormalizeName(std::string_view name) {
  // ASCII names (nearly all) need no decoding: trim the ASCII white space JavaScript trims and
  // lower-case A-Z.
  if (IsAscii(name)) {
    auto space = [](char ch) { return ch == ' ' || (ch >= 0x09 && ch <= 0x0D); };
    size_t begin = 0, end = name.size();
    while (begin < end && space(name[begin])) ++begin;
    while (end > begin && space(name[end - 1])) --end;
    return utf8::AsciiLower(name.substr(begin, end - begin));
  }
  std::u32string cps;
  cps.reserve(name.size());
  for (size_t pos = 0; pos < name.size();) cps.push_back(utf8::Decode(name, &pos));
  size_t begin = 0, end = cps.size();
  while (begin < end && IsJsWhiteSpace(cps[begin])) ++begin;
  while (end > begin && IsJsWhiteSpace(cps[end - 1])) --end;
  std::string out;
  out.reserve(name.size());
  for (size_t i = begin; i < end; ++i) {
    char32_t c = cps[i];
    if (c == 0x130) {  // capital I with dot above: "i" + combining dot above
      out.push_back('i');
      utf8::Append(0x307, &out);
      continue;
    }
    if (c == 0x3A3) {  // capital sigma: final form after a letter and not before one
      bool after_letter = i > begin && IsCased(cps[i - 1]);
      bool before_letter = i + 1 < end && IsCased(cps[i + 1]);
      utf8::Append(after_letter && !before_letter ? char32_t{0x3C2} : char32_t{0x3C3}, &out);
      continue;
    }
    utf8::Append(LowerSimple(c), &out);
  }
  return out;
}

std::string DeterministicId(std::string_view type, const StringProperties& props) {
  StringProperties kept;
  kept.reserve(props.size());
  for (const auto& p : props) {
    if (!p.second.empty()) kept.push_back(p);
  }
  std::string id(type);
  id += "--";
  AppendUuidV5(OasisNamespace(), CanonicalJson(kept), &id);
  return id;
}

std::string ThreatActorId(std::string_view name) {
  return TypedId("threat-actor", {{"name", NormalizeName(name)}, {"opencti_type", "Threat-Actor-Group"}});
}

std::string IntrusionSetId(std::string_view name) {
  return TypedId("intrusion-set", {{"name", NormalizeName(name)}});
}

std::string IdentityId(std::string_view name, std::string_view identity_class) {
  return TypedId("identity",
                 {{"name", NormalizeName(name)}, {"identity_class", NormalizeName(identity_class)}});
}

std::string LocationId(std::string_view name, std::string_view x_opencti_location_type) {
  return TypedId("location",
                 {{"name", NormalizeName(name)}, {"x_opencti_location_type", x_opencti_location_type}});
}

std::string RelationshipId(std::string_view relationship_type, std::string_view source_ref,
                           std::string_view target_ref, std::string_view start_time,
                           std::string_view stop_time) {
  auto normalized = [](std::string_view t) {
    if (t.empty()) return std::string();
    std::string n = NormalizeTimestamp(t);
    return n.empty() ? std::string(t) : n;
  };
  return TypedId("relationship", {{"relationship_type", relationship_type},
                                  {"source_ref", source_ref},
                                  {"target_ref", target_ref},
                                  {"start_time", normalized(start_time)},
                                  {"stop_time", normalized(stop_time)}});
}

std::string ReportId(std::string_view name, std::string_view published) {
  std::string when = NormalizeTimestamp(published);
  if (when.empty()) when = std::string(published);
  return TypedId("report", {{"name", NormalizeName(name)}, {"published", when}});
}

}  // namespace prose2stix::stix
