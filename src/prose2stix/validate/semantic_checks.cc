// Semantic checks run on one object's DOM after it is parsed. Each rule family is a function
// over the object that reports through the Reporter; table-driven rules (reference targets,
// vocabularies, known properties, timestamp properties) are static arrays, indexed once by
// property or type name (hash maps, or buckets by name length) so that a member costs one lookup.
// The converter validates every bundle it writes, so the per-member work is kept small: names are
// compared in place (SameName) rather than through memcmp calls, and identifiers, the most
// frequent values, are scanned sixteen bytes at a time with SSE2 (with a scalar fallback).
// Nothing here uses regular expressions: every format is a hand-written scanner, linear in its
// input.
#include "prose2stix/validate/semantic_checks.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <string>
#include <unordered_map>
#include <unordered_set>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "prose2stix/validate/pattern.h"
#include "prose2stix/validate/sco_catalog.h"
#include "prose2stix/validate/vocabularies.h"

namespace prose2stix::validate {

namespace {

using Value = rapidjson::Value;
using SV = std::string_view;

SV Str(const Value& v) { return SV(v.GetString(), v.GetStringLength()); }

struct NameEqual {
  bool operator()(SV a, SV b) const { return SameName(a, b); }
};
// Hash sets and maps keyed by names.
using NameSet = std::unordered_set<SV, NameHash, NameEqual>;
template <typename T>
using NameMap = std::unordered_map<SV, T, NameHash, NameEqual>;

const Value* Find(const Value& obj, SV name) {
  for (auto it = obj.MemberBegin(); it != obj.MemberEnd(); ++it) {
    if (SameName(Str(it->name), name)) return &it->value;
  }
  return nullptr;
}

SV FindString(const Value& obj, SV name) {
  const Value* v = Find(obj, name);
  return v != nullptr && v->IsString() ? Str(*v) : SV();
}

bool EndsWith(SV s, SV suffix) {
  return s.size() >= suffix.size() && SameName(s.substr(s.size() - suffix.size()), suffix);
}
bool StartsWith(SV s, SV prefix) {
  return s.size() >= prefix.size() && SameName(s.substr(0, prefix.size()), prefix);
}

// True when `word` is one of the space-separated words of `list`.
bool InWordList(SV list, SV word) {
  size_t pos = 0;
  while (pos < list.size()) {
    size_t end = list.find(' ', pos);
    if (end == SV::npos) end = list.size();
    if (SameName(list.substr(pos, end - pos), word)) return true;
    pos = end + 1;
  }
  return false;
}

std::string Quote(SV s) {
  constexpr size_t kMax = 80;
  std::string out = "'";
  if (s.size() > kMax) {
    out.append(s.substr(0, kMax));
    out += "...' (" + std::to_string(s.size()) + " characters)";
    return out;
  }
  out.append(s);
  out += "'";
  return out;
}

SV KindName(const Value& v) {
  switch (v.GetType()) {
    case rapidjson::kNullType:
      return "null";
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      return "a boolean";
    case rapidjson::kObjectType:
      return "an object";
    case rapidjson::kArrayType:
      return "an array";
    case rapidjson::kStringType:
      return "a string";
    case rapidjson::kNumberType:
      return "a number";
  }
  return "a value";
}

std::string Join(SV base, SV token) {
  std::string p(base);
  AppendPointer(&p, token);
  return p;
}
std::string Join(SV base, size_t index) {
  std::string p(base);
  p += '/';
  p += std::to_string(index);
  return p;
}

// A JSON pointer under construction, turned into a string only when a diagnostic needs it.
class LazyPath {
 public:
  explicit LazyPath(SV base) : base_(base) {}
  void Push(SV key) { Add(Seg{key.data(), key.size(), kKey}); }
  void Push(size_t index) { Add(Seg{nullptr, 0, index}); }
  void Pop() {
    if (size_ > kInline) overflow_.pop_back();
    --size_;
  }
  std::string Str() const {
    std::string p(base_);
    for (size_t i = 0; i < size_; ++i) {
      const Seg& s = i < kInline ? inline_[i] : overflow_[i - kInline];
      if (s.index == kKey) {
        AppendPointer(&p, SV(s.key, s.key_size));
      } else {
        p += '/';
        p += std::to_string(s.index);
      }
    }
    return p;
  }

 private:
  static constexpr size_t kKey = ~size_t{0};
  static constexpr size_t kInline = 24;
  // Trivial (no member initialisers), so that the inline array costs nothing to construct.
  struct Seg {
    const char* key;
    size_t key_size;
    size_t index;
  };
  void Add(Seg s) {
    if (size_ < kInline) {
      inline_[size_] = s;
    } else {
      overflow_.push_back(s);
    }
    ++size_;
  }
  SV base_;
  Seg inline_[kInline];
  size_t size_ = 0;
  std::vector<Seg> overflow_;  // segments past kInline (deep custom properties)
};

// Lowercase letters, digits and single hyphens: the open-vocabulary and kill-chain format.
bool IsLowerHyphenated(SV s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

constexpr bool IsHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

#if defined(__SSE2__)
// Bit i set when byte i of `v` is a hex digit of either case, bit 16 + i when it is '-'. Bytes
// >= 0x80 compare as negative and are neither.
inline uint32_t HexDashBits(__m128i v) {
  const __m128i digit =
      _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)), _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
  const __m128i lower = _mm_or_si128(v, _mm_set1_epi8(0x20));
  const __m128i alpha = _mm_and_si128(_mm_cmpgt_epi8(lower, _mm_set1_epi8('a' - 1)),
                                      _mm_cmplt_epi8(lower, _mm_set1_epi8('f' + 1)));
  const __m128i dash = _mm_cmpeq_epi8(v, _mm_set1_epi8('-'));
  return static_cast<uint32_t>(_mm_movemask_epi8(_mm_or_si128(digit, alpha))) |
         (static_cast<uint32_t>(_mm_movemask_epi8(dash)) << 16);
}
#endif

// True when `uuid` (36 bytes) is 8-4-4-4-12 hex digits of either case.
bool IsUuidShape(SV uuid) {
#if defined(__SSE2__)
  // Bytes 0-15, 16-31 and 20-35 (overlapping), each compared with the bits its dashes at 8, 13,
  // 18 and 23 call for: a dash where one belongs, a hex digit everywhere else.
  const auto* p = reinterpret_cast<const __m128i*>(uuid.data());
  const auto* tail = reinterpret_cast<const __m128i*>(uuid.data() + 20);
  constexpr uint32_t kFirst = (0x2100u << 16) | (0xFFFFu & ~0x2100u);   // dashes at 8, 13
  constexpr uint32_t kSecond = (0x0084u << 16) | (0xFFFFu & ~0x0084u);  // dashes at 18, 23
  constexpr uint32_t kTail = (0x0008u << 16) | (0xFFFFu & ~0x0008u);    // the dash at 23
  return HexDashBits(_mm_loadu_si128(p)) == kFirst && HexDashBits(_mm_loadu_si128(p + 1)) == kSecond &&
         HexDashBits(_mm_loadu_si128(tail)) == kTail;
#else
  // Byte classes: 1 hex digit, 2 dash, 0 anything else.
  static constexpr auto kClass = [] {
    std::array<uint8_t, 256> table{};
    for (int ch = 0; ch < 256; ++ch) table[static_cast<size_t>(ch)] = IsHex(static_cast<char>(ch)) ? 1 : 0;
    table['-'] = 2;
    return table;
  }();
  static constexpr auto kWant = [] {
    std::array<uint8_t, 36> want{};
    for (size_t i = 0; i < 36; ++i) want[i] = i == 8 || i == 13 || i == 18 || i == 23 ? 2 : 1;
    return want;
  }();
  unsigned bad = 0;
  for (size_t i = 0; i < 36; ++i) bad |= kClass[static_cast<unsigned char>(uuid[i])] ^ kWant[i];
  return bad == 0;
#endif
}

// Where the first "--" of `id` starts, when `id` starts with a lowercase letter and every byte
// before that "--" is a-z, 0-9 or '-'; npos otherwise. With SSE2, sixteen bytes at a time: the
// bytes that are allowed and the dashes followed by a dash, as bit masks.
size_t FastTypeEnd(SV id) {
  if (id.empty() || id[0] < 'a' || id[0] > 'z') return SV::npos;
  size_t i = 1;
#if defined(__SSE2__)
  for (size_t off = 0; off + 17 <= id.size(); off += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(id.data() + off));
    const __m128i next = _mm_loadu_si128(reinterpret_cast<const __m128i*>(id.data() + off + 1));
    const __m128i dash = _mm_cmpeq_epi8(v, _mm_set1_epi8('-'));
    const __m128i lower =
        _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('a' - 1)), _mm_cmplt_epi8(v, _mm_set1_epi8('z' + 1)));
    const __m128i digit =
        _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)), _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
    const auto allowed =
        static_cast<uint32_t>(_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(lower, digit), dash)));
    const auto pairs = static_cast<uint32_t>(
        _mm_movemask_epi8(_mm_and_si128(dash, _mm_cmpeq_epi8(next, _mm_set1_epi8('-')))));
    if (pairs != 0) {
      const auto k = static_cast<unsigned>(__builtin_ctz(pairs));
      const uint32_t before = (uint32_t{1} << k) - 1;
      return (allowed & before) == before ? off + k : SV::npos;
    }
    if (allowed != 0xFFFF) return SV::npos;
    i = off + 16;
  }
#endif
  for (; i < id.size(); ++i) {
    const char ch = id[i];
    if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) continue;
    if (ch != '-') return SV::npos;
    if (i + 1 < id.size() && id[i + 1] == '-') return i;  // "--": the type ends here
  }
  return SV::npos;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

// ---- per-object context ---------------------------------------------------------------------

// Members most checks look at, found in one pass over the object: the first "type" and "id" (as
// Find() would), the last of the others.
struct Members {
  const Value* type = nullptr;
  const Value* id = nullptr;
  const Value* spec_version = nullptr;
  const Value* modified = nullptr;
  const Value* external_references = nullptr;
  const Value* hashes = nullptr;
  const Value* extensions = nullptr;
  const Value* kill_chain_phases = nullptr;
  const Value* granular_markings = nullptr;

  void Index(const Value& obj) {
    for (auto it = obj.MemberBegin(); it != obj.MemberEnd(); ++it) {
      SV name = Str(it->name);
      const Value* v = &it->value;
      switch (name.size()) {
        case 2:
          if (id == nullptr && name == "id") id = v;
          break;
        case 4:
          if (type == nullptr && name == "type") type = v;
          break;
        case 6:
          if (name == "hashes") hashes = v;
          break;
        case 8:
          if (name == "modified") modified = v;
          break;
        case 10:
          if (name == "extensions") extensions = v;
          break;
        case 12:
          if (name == "spec_version") spec_version = v;
          break;
        case 17:
          if (name == "kill_chain_phases") kill_chain_phases = v;
          if (name == "granular_markings") granular_markings = v;
          break;
        case 19:
          if (name == "external_references") external_references = v;
          break;
        default:
          break;
      }
    }
  }
};

struct Ctx {
  const Value& obj;
  SV type;
  SV id;
  ObjectCategory category;
  SV pointer;
  DocumentState* state;
  Reporter* r;
  const Members& m;

  std::string At(SV prop) const { return Join(pointer, prop); }
  void Add(int code, std::string p, std::string message) const {
    r->Add(code, id, std::move(p), std::move(message));
  }
};

// ---- timestamps -----------------------------------------------------------------------------

struct Stamp {
  int64_t seconds = 0;
  uint32_t nanos = 0;
  bool operator<(const Stamp& o) const {
    return seconds < o.seconds || (seconds == o.seconds && nanos < o.nanos);
  }
};

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// Top-level properties holding timestamps: "*" for every type, else the types listed.
struct StampRule {
  SV prop;
  SV types;
};
constexpr StampRule kStampProps[] = {
    {"created", "*"},
    {"modified", "*"},
    {"first_seen", "*"},
    {"last_seen", "*"},
    {"valid_from", "*"},
    {"valid_until", "*"},
    {"first_observed", "*"},
    {"last_observed", "*"},
    {"published", "*"},
    {"start_time", "*"},
    {"stop_time", "*"},
    {"submitted", "*"},
    {"analysis_started", "*"},
    {"analysis_ended", "*"},
    {"object_modified", "*"},
    {"ctime", "file directory"},
    {"mtime", "file directory"},
    {"atime", "file directory"},
    {"date", "email-message"},
    {"start", "network-traffic"},
    {"end", "network-traffic"},
    {"created_time", "process"},
    {"modified_time", "windows-registry-key"},
    {"account_created", "user-account"},
    {"account_expires", "user-account"},
    {"credential_last_changed", "user-account"},
    {"account_first_login", "user-account"},
    {"account_last_login", "user-account"},
    {"validity_not_before", "x509-certificate"},
    {"validity_not_after", "x509-certificate"},
};

bool IsStampProp(SV type, SV prop) {
  // The rules grouped by the length of their property name, built once: a member name is compared
  // only with the few names of its length. Before that, a table of the lengths the names starting
  // with each letter have turns away most other names (type, id, name, *_ref ...) at once.
  constexpr size_t kMaxLen = 24;
  static const auto* const by_length = [] {
    auto* out = new std::array<std::vector<const StampRule*>, kMaxLen>();
    for (const StampRule& rule : kStampProps) (*out)[rule.prop.size()].push_back(&rule);
    return out;
  }();
  static constexpr auto kLengthsByFirst = [] {
    std::array<uint32_t, 256> table{};
    for (const StampRule& rule : kStampProps) {
      table[static_cast<unsigned char>(rule.prop[0])] |= uint32_t{1} << rule.prop.size();
    }
    return table;
  }();
  static_assert(kMaxLen <= 32);
  if (prop.empty() || prop.size() >= kMaxLen ||
      (kLengthsByFirst[static_cast<unsigned char>(prop[0])] >> prop.size() & 1) == 0) {
    return false;
  }
  for (const StampRule* rule : (*by_length)[prop.size()]) {
    if (SameName(rule->prop, prop)) return rule->types == "*" || InWordList(rule->types, type);
  }
  return false;
}

void CheckTimestamps(const Ctx& c) {
  // Well-formed timestamps seen, for the ordering rules below.
  struct Seen {
    SV prop, text;
    Stamp stamp;
  };
  Seen seen[16];
  size_t n_seen = 0;
  for (auto it = c.obj.MemberBegin(); it != c.obj.MemberEnd(); ++it) {
    if (!it->value.IsString()) continue;
    SV prop = Str(it->name);
    if (!IsStampProp(c.type, prop)) continue;
    std::string why;
    Stamp st;
    if (!ParseTimestamp(Str(it->value), &st.seconds, &st.nanos, &why)) {
      c.Add(13, c.At(prop),
            std::string(prop) + " " + Quote(Str(it->value)) + " is not a STIX timestamp: " + why);
    } else if (n_seen < 16) {
      seen[n_seen++] = Seen{prop, Str(it->value), st};
    }
  }
  if (n_seen < 2) return;
  auto get = [&](SV prop) -> const Seen* {
    for (size_t i = 0; i < n_seen; ++i) {
      if (SameName(seen[i].prop, prop)) return &seen[i];
    }
    return nullptr;
  };
  // Pairs that must be ordered: (earlier, later, strictly later?, types it applies to).
  struct Order {
    SV first, second;
    bool strict;
    SV types;
  };
  static constexpr Order kOrders[] = {
      {"created", "modified", false, "*"},
      {"first_seen", "last_seen", false, "*"},
      {"first_observed", "last_observed", false, "*"},
      {"valid_from", "valid_until", true, "indicator"},
      {"start_time", "stop_time", true, "relationship"},
      {"analysis_started", "analysis_ended", false, "malware-analysis"},
  };
  for (const Order& o : kOrders) {
    const Seen* a = get(o.first);
    const Seen* b = a != nullptr ? get(o.second) : nullptr;
    if (b == nullptr || (o.types != "*" && !InWordList(o.types, c.type))) continue;
    bool bad = o.strict ? !(a->stamp < b->stamp) : (b->stamp < a->stamp);
    if (bad) {
      c.Add(13, c.At(o.second),
            std::string(o.second) + " (" + std::string(b->text) + ") must be " +
                (o.strict ? "later than " : "no earlier than ") + std::string(o.first) + " (" +
                std::string(a->text) + ")");
    }
  }
}

// ---- references -----------------------------------------------------------------------------

// Allowed target types of a reference property. `owner` is the object type, or the extension
// name for properties inside an extension; "*" matches every owner. `targets` lists types or
// the classes @any, @sdo (SDO or custom), @sco, @sdo-sco (SDO, SCO or custom), @sco-sro.
struct RefRule {
  SV owner, prop, targets;
};
constexpr RefRule kRefRules[] = {
    {"*", "created_by_ref", "identity"},
    {"*", "object_marking_refs", "marking-definition"},
    {"*", "marking_ref", "marking-definition"},
    {"relationship", "source_ref", "@sdo-sco"},
    {"relationship", "target_ref", "@sdo-sco"},
    {"sighting", "sighting_of_ref", "@sdo"},
    {"sighting", "observed_data_refs", "observed-data"},
    {"sighting", "where_sighted_refs", "identity location"},
    {"observed-data", "object_refs", "@sco-sro"},
    {"report", "object_refs", "@any"},
    {"grouping", "object_refs", "@any"},
    {"note", "object_refs", "@any"},
    {"opinion", "object_refs", "@any"},
    {"language-content", "object_ref", "@any"},
    {"malware", "operating_system_refs", "software"},
    {"malware", "sample_refs", "file artifact"},
    {"malware-analysis", "host_vm_ref", "software"},
    {"malware-analysis", "operating_system_ref", "software"},
    {"malware-analysis", "installed_software_refs", "software"},
    {"malware-analysis", "analysis_sco_refs", "@sco"},
    {"malware-analysis", "sample_ref", "file artifact network-traffic"},
    {"directory", "contains_refs", "file directory"},
    {"domain-name", "resolves_to_refs", "ipv4-addr ipv6-addr domain-name"},
    {"email-addr", "belongs_to_ref", "user-account"},
    {"email-message", "from_ref", "email-addr"},
    {"email-message", "sender_ref", "email-addr"},
    {"email-message", "to_refs", "email-addr"},
    {"email-message", "cc_refs", "email-addr"},
    {"email-message", "bcc_refs", "email-addr"},
    {"email-message", "raw_email_ref", "artifact"},
    {"email-message", "body_raw_ref", "artifact file"},
    {"file", "parent_directory_ref", "directory"},
    {"file", "contains_refs", "@sco"},
    {"file", "content_ref", "artifact"},
    {"ipv4-addr", "resolves_to_refs", "mac-addr"},
    {"ipv4-addr", "belongs_to_refs", "autonomous-system"},
    {"ipv6-addr", "resolves_to_refs", "mac-addr"},
    {"ipv6-addr", "belongs_to_refs", "autonomous-system"},
    {"network-traffic", "src_ref", "ipv4-addr ipv6-addr mac-addr domain-name"},
    {"network-traffic", "dst_ref", "ipv4-addr ipv6-addr mac-addr domain-name"},
    {"network-traffic", "src_payload_ref", "artifact"},
    {"network-traffic", "dst_payload_ref", "artifact"},
    {"network-traffic", "encapsulates_refs", "network-traffic"},
    {"network-traffic", "encapsulated_by_ref", "network-traffic"},
    {"process", "opened_connection_refs", "network-traffic"},
    {"process", "creator_user_ref", "user-account"},
    {"process", "image_ref", "file"},
    {"process", "parent_ref", "process"},
    {"process", "child_refs", "process"},
    {"windows-registry-key", "creator_user_ref", "user-account"},
    {"archive-ext", "contains_refs", "file directory"},
    {"windows-service-ext", "service_dll_refs", "file"},
    {"http-request-ext", "message_body_data_ref", "artifact"},
};

const RefRule* FindRefRule(SV owner, SV prop) {
  // Rules grouped by property name, built once.
  static const NameMap<std::vector<const RefRule*>> by_prop = [] {
    NameMap<std::vector<const RefRule*>> out;
    for (const RefRule& rule : kRefRules) out[rule.prop].push_back(&rule);
    return out;
  }();
  auto it = by_prop.find(prop);
  if (it == by_prop.end()) return nullptr;
  for (const RefRule* rule : it->second) {
    if (rule->owner == "*" || SameName(rule->owner, owner)) return rule;
  }
  return nullptr;
}

bool TargetAllowed(SV targets, SV type) {
  if (targets.empty() || targets[0] != '@') return InWordList(targets, type);
  if (targets == "@any") return true;
  ObjectCategory cat = CategoryOf(type);
  if (targets == "@sdo") return cat == ObjectCategory::kSdo || cat == ObjectCategory::kUnknown;
  if (targets == "@sco") return cat == ObjectCategory::kSco;
  if (targets == "@sdo-sco") {
    return cat == ObjectCategory::kSdo || cat == ObjectCategory::kSco || cat == ObjectCategory::kUnknown;
  }
  if (targets == "@sco-sro") return cat == ObjectCategory::kSco || cat == ObjectCategory::kSro;
  return InWordList(targets, type);
}

std::string DescribeTargets(SV targets) {
  if (targets == "@sdo") return "a STIX Domain Object";
  if (targets == "@sco") return "a STIX Cyber-observable Object";
  if (targets == "@sdo-sco") return "an SDO or SCO (not a relationship, sighting, marking or bundle)";
  if (targets == "@sco-sro") return "an SCO or SRO";
  std::string out;
  size_t pos = 0;
  while (pos < targets.size()) {
    size_t end = targets.find(' ', pos);
    if (end == SV::npos) end = targets.size();
    if (!out.empty()) out += end == targets.size() ? " or " : ", ";
    out.append(targets.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

// Checks one global reference value (an identifier).
// Properties the spec defines are held to the identifier syntax (error); custom properties that
// merely end in _ref(s) get a warning, and an empty string (a common "none") passes.
// `rule` is FindRefRule(owner, prop) for the object or extension `owner` holding `prop`.
void CheckRef(const Ctx& c, SV prop, const RefRule* rule, const Value& v, const LazyPath& path) {
  if (!v.IsString()) return;  // the schema reports non-strings
  SV ref = Str(v);
  SV target_type;
  int version = 0;
  std::string why;
  if (!ParseIdentifier(ref, &target_type, &version, &why)) {
    if (rule != nullptr) {
      c.Add(15, path.Str(), std::string(prop) + " value " + Quote(ref) + " is not a STIX identifier: " + why);
    } else if (!ref.empty()) {
      c.r->Add(Severity::kWarning, 15, c.id, path.Str(),
               "custom reference property " + std::string(prop) + " value " + Quote(ref) +
                   " is not a STIX identifier: " + why);
    }
    return;
  }
  if (rule != nullptr) {
    if (!TargetAllowed(rule->targets, target_type)) {
      c.Add(14, path.Str(),
            std::string(prop) + " must point at " + DescribeTargets(rule->targets) + ", not at a " +
                std::string(target_type) + " (" + std::string(ref) + ")");
    }
  }
  if (c.state->IsUnresolved(ref)) c.state->AddReference(ref, c.id, path.Str());
}

void CheckRefMember(const Ctx& c, SV owner, SV name, const Value& v, LazyPath* path) {
  const RefRule* rule = FindRefRule(owner, name);
  if (EndsWith(name, "_ref")) {
    CheckRef(c, name, rule, v, *path);
  } else if (v.IsArray()) {
    for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
      path->Push(i);
      CheckRef(c, name, rule, v[i], *path);
      path->Pop();
    }
  }
}

bool IsRefName(SV name) { return EndsWith(name, "_ref") || EndsWith(name, "_refs"); }

// Walks `v` (a member value of owner `owner`) and checks every *_ref(s) property found.
void WalkRefs(const Ctx& c, SV owner, const Value& v, LazyPath* path, int depth) {
  if (depth > 600) return;  // the parser caps nesting at 512
  if (v.IsObject()) {
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
      if (!it->value.IsObject() && !it->value.IsArray() && !it->value.IsString()) continue;
      SV name = Str(it->name);
      path->Push(name);
      if (IsRefName(name)) {
        CheckRefMember(c, owner, name, it->value, path);
      } else if (!it->value.IsString()) {
        WalkRefs(c, owner, it->value, path, depth + 1);
      }
      path->Pop();
    }
  } else if (v.IsArray()) {
    for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
      if (!v[i].IsObject() && !v[i].IsArray()) continue;
      path->Push(i);
      WalkRefs(c, owner, v[i], path, depth + 1);
      path->Pop();
    }
  }
}

void CheckReferences(const Ctx& c) {
  LazyPath path(c.pointer);
  for (auto it = c.obj.MemberBegin(); it != c.obj.MemberEnd(); ++it) {
    if (!it->value.IsObject() && !it->value.IsArray() && !it->value.IsString()) continue;
    SV name = Str(it->name);
    // Embedded observations use local keys, checked by CheckObservation.
    if (c.type == "observed-data" && name == "objects") continue;
    path.Push(name);
    if (IsRefName(name)) {
      CheckRefMember(c, c.type, name, it->value, &path);
    } else if (name == "extensions" && it->value.IsObject()) {
      for (auto ext = it->value.MemberBegin(); ext != it->value.MemberEnd(); ++ext) {
        path.Push(Str(ext->name));
        WalkRefs(c, Str(ext->name), ext->value, &path, 1);
        path.Pop();
      }
    } else if (!it->value.IsString()) {
      WalkRefs(c, c.type, it->value, &path, 1);
    }
    path.Pop();
  }
}

// ---- relationships and sightings --------------------------------------------------------------

SV RefType(SV ref) {
  size_t sep = ref.find("--");
  return sep == SV::npos ? SV() : ref.substr(0, sep);
}

void CheckRelationship(const Ctx& c) {
  SV rel = FindString(c.obj, "relationship_type");
  SV source = FindString(c.obj, "source_ref");
  SV target = FindString(c.obj, "target_ref");
  if (rel.empty() || !c.r->Enabled(202)) return;
  SV st = RefType(source), tt = RefType(target);
  if (st.empty() || tt.empty()) return;
  // Custom types have no entry in the spec's table; only STIX-defined pairs are judged.
  if (CategoryOf(st) == ObjectCategory::kUnknown || CategoryOf(tt) == ObjectCategory::kUnknown) return;
  if (IsRecommendedRelationship(st, rel, tt)) return;
  std::string listed = RecommendedRelationships(st, tt);
  c.Add(202, c.At("relationship_type"),
        "relationship type " + Quote(rel) + " from " + std::string(st) + " to " + std::string(tt) +
            " is not one the spec defines; " +
            (listed.empty()
                 ? std::string("it lists none for this pair besides related-to, derived-from, duplicate-of")
                 : "it lists " + listed + " (and related-to, derived-from, duplicate-of)"));
}

// ---- vocabularies ---------------------------------------------------------------------------

struct VocabRule {
  SV type, prop;
  Vocabulary vocabulary;
  int code;
};
constexpr VocabRule kVocabRules[] = {
    {"threat-actor", "threat_actor_types", Vocabulary::kThreatActorType, 219},
    {"threat-actor", "roles", Vocabulary::kThreatActorRole, 220},
    {"threat-actor", "sophistication", Vocabulary::kThreatActorSophistication, 221},
    {"threat-actor", "resource_level", Vocabulary::kAttackResourceLevel, 212},
    {"threat-actor", "primary_motivation", Vocabulary::kAttackMotivation, 211},
    {"threat-actor", "secondary_motivations", Vocabulary::kAttackMotivation, 211},
    {"threat-actor", "personal_motivations", Vocabulary::kAttackMotivation, 211},
    {"intrusion-set", "resource_level", Vocabulary::kAttackResourceLevel, 212},
    {"intrusion-set", "primary_motivation", Vocabulary::kAttackMotivation, 211},
    {"intrusion-set", "secondary_motivations", Vocabulary::kAttackMotivation, 211},
    {"identity", "identity_class", Vocabulary::kIdentityClass, 213},
    {"identity", "sectors", Vocabulary::kIndustrySector, 215},
    {"indicator", "indicator_types", Vocabulary::kIndicatorType, 214},
    {"indicator", "pattern_type", Vocabulary::kPatternType, 245},
    {"malware", "malware_types", Vocabulary::kMalwareType, 216},
    {"malware", "implementation_languages", Vocabulary::kImplementationLanguage, 226},
    {"malware", "capabilities", Vocabulary::kMalwareCapabilities, 228},
    {"malware", "architecture_execution_envs", Vocabulary::kProcessorArchitecture, 230},
    {"malware-analysis", "result", Vocabulary::kMalwareResult, 231},
    {"report", "report_types", Vocabulary::kReportType, 218},
    {"tool", "tool_types", Vocabulary::kToolType, 222},
    {"infrastructure", "infrastructure_types", Vocabulary::kInfrastructureType, 227},
    {"grouping", "context", Vocabulary::kGroupingContext, 225},
    {"location", "region", Vocabulary::kRegion, 223},
    {"user-account", "account_type", Vocabulary::kAccountType, 244},
    {"artifact", "encryption_algorithm", Vocabulary::kEncryptionAlgorithm, 242},
    {"windows-pebinary-ext", "pe_type", Vocabulary::kWindowsPebinaryType, 243},
};

// `v` is the value of rule.prop at `base`, or its element `index` when index != npos.
void CheckVocabValue(const Ctx& c, const VocabRule& rule, const Value& v, SV base, size_t index) {
  if (!v.IsString()) return;
  SV value = Str(v);
  if (InVocabulary(rule.vocabulary, value)) return;
  std::string ptr = Join(base, rule.prop);  // built only for a diagnostic
  if (index != SV::npos) ptr = Join(ptr, index);
  bool lower_hyphen_vocab = rule.vocabulary != Vocabulary::kEncryptionAlgorithm &&
                            rule.vocabulary != Vocabulary::kImplementationLanguage;
  if (lower_hyphen_vocab && c.r->Enabled(111) && !IsLowerHyphenated(value)) {
    c.Add(111, ptr,
          std::string(rule.prop) + " value " + Quote(value) +
              " should be lowercase letters, digits and hyphens (open vocabulary format)");
  }
  if (c.r->Enabled(rule.code)) {
    c.Add(rule.code, ptr,
          std::string(rule.prop) + " value " + Quote(value) + " is not in " +
              std::string(VocabularyName(rule.vocabulary)));
  }
}

// The vocabulary rules of an object type or extension, in table order.
const std::vector<const VocabRule*>* VocabRulesOf(SV owner) {
  static const auto* const by_owner = [] {
    auto* out = new NameMap<std::vector<const VocabRule*>>();
    for (const VocabRule& rule : kVocabRules) (*out)[rule.type].push_back(&rule);
    return out;
  }();
  auto it = by_owner->find(owner);
  return it == by_owner->end() ? nullptr : &it->second;
}

void CheckVocabProps(const Ctx& c, const Value& obj, SV owner, SV base) {
  const std::vector<const VocabRule*>* rules = VocabRulesOf(owner);
  if (rules == nullptr) return;
  for (const VocabRule* rule_ptr : *rules) {
    const VocabRule& rule = *rule_ptr;
    const Value* v = Find(obj, rule.prop);
    if (v == nullptr) continue;
    if (v->IsArray()) {
      for (rapidjson::SizeType i = 0; i < v->Size(); ++i) CheckVocabValue(c, rule, (*v)[i], base, i);
    } else {
      CheckVocabValue(c, rule, *v, base, SV::npos);
    }
  }
}

void CheckHashes(const Ctx& c, const Value& hashes, const std::string& ptr) {
  if (!hashes.IsObject() || !c.r->Enabled(241)) return;
  for (auto it = hashes.MemberBegin(); it != hashes.MemberEnd(); ++it) {
    SV algo = Str(it->name);
    if (InVocabulary(Vocabulary::kHashAlgorithm, algo) || StartsWith(algo, "x_")) continue;
    std::string hint;
    if (algo == "SHA256" || algo == "sha256" || algo == "sha-256") hint = " (did you mean SHA-256?)";
    if (algo == "SHA1" || algo == "sha1" || algo == "sha-1") hint = " (did you mean SHA-1?)";
    if (algo == "md5") hint = " (did you mean MD5?)";
    if (algo == "SHA512" || algo == "sha512") hint = " (did you mean SHA-512?)";
    c.Add(241, Join(ptr, algo),
          "hash algorithm " + Quote(algo) +
              " is not in hash-algorithm-ov; custom names should start with x_" + hint);
  }
}

void CheckAllHashes(const Ctx& c) {
  if (const Value* ext = c.m.external_references; ext != nullptr && ext->IsArray()) {
    for (rapidjson::SizeType i = 0; i < ext->Size(); ++i) {
      if (!(*ext)[i].IsObject()) continue;
      if (const Value* h = Find((*ext)[i], "hashes")) {
        CheckHashes(c, *h, Join(Join(c.At("external_references"), i), "hashes"));
      }
    }
  }
  if (const Value* h = c.m.hashes) CheckHashes(c, *h, c.At("hashes"));
  const Value* exts = c.m.extensions;
  if (exts == nullptr || !exts->IsObject()) return;
  std::string eptr = c.At("extensions");
  if (const Value* pe = Find(*exts, "windows-pebinary-ext"); pe != nullptr && pe->IsObject()) {
    std::string pptr = Join(eptr, "windows-pebinary-ext");
    if (const Value* fh = Find(*pe, "file_header_hashes"))
      CheckHashes(c, *fh, Join(pptr, "file_header_hashes"));
    if (const Value* secs = Find(*pe, "sections"); secs != nullptr && secs->IsArray()) {
      for (rapidjson::SizeType i = 0; i < secs->Size(); ++i) {
        if (!(*secs)[i].IsObject()) continue;
        if (const Value* h = Find((*secs)[i], "hashes")) {
          CheckHashes(c, *h, Join(Join(Join(pptr, "sections"), i), "hashes"));
        }
      }
    }
    CheckVocabProps(c, *pe, "windows-pebinary-ext", pptr);
  }
  if (const Value* ntfs = Find(*exts, "ntfs-ext"); ntfs != nullptr && ntfs->IsObject()) {
    if (const Value* ads = Find(*ntfs, "alternate_data_streams"); ads != nullptr && ads->IsArray()) {
      for (rapidjson::SizeType i = 0; i < ads->Size(); ++i) {
        if (!(*ads)[i].IsObject()) continue;
        if (const Value* h = Find((*ads)[i], "hashes")) {
          CheckHashes(c, *h, Join(Join(Join(Join(eptr, "ntfs-ext"), "alternate_data_streams"), i), "hashes"));
        }
      }
    }
  }
}

void CheckLocation(const Ctx& c) {
  const Value* country = Find(c.obj, "country");
  if (country == nullptr || !country->IsString() || !c.r->Enabled(277)) return;
  SV code = Str(*country);
  if (IsCountryCode(code)) return;
  std::string hint;
  if (code.size() == 2 &&
      IsCountryCode(std::string{static_cast<char>(code[0] & ~0x20), static_cast<char>(code[1] & ~0x20)})) {
    hint = " (codes are upper case)";
  }
  c.Add(277, c.At("country"), "country " + Quote(code) + " is not an ISO 3166-1 alpha-2 code" + hint);
}

void CheckKillChains(const Ctx& c) {
  const Value* phases = c.m.kill_chain_phases;
  if (phases == nullptr || !phases->IsArray() || !c.r->Enabled(121)) return;
  for (rapidjson::SizeType i = 0; i < phases->Size(); ++i) {
    const Value& p = (*phases)[i];
    if (!p.IsObject()) continue;
    for (SV key : {SV("kill_chain_name"), SV("phase_name")}) {
      SV value = FindString(p, key);
      if (value.empty() || IsLowerHyphenated(value)) continue;
      c.Add(121, Join(Join(c.At("kill_chain_phases"), i), key),
            std::string(key) + " " + Quote(value) + " should be lowercase letters, digits and hyphens");
    }
  }
}

// ---- granular markings ----------------------------------------------------------------------

// Resolves a selector such as "external_references.[0].source_name" in `obj`. On failure sets
// *why.
bool ResolveSelector(const Value& obj, SV selector, std::string* why) {
  const Value* cur = &obj;
  size_t pos = 0;
  if (selector.empty()) {
    *why = "the selector is empty";
    return false;
  }
  while (pos <= selector.size()) {
    size_t end = selector.find('.', pos);
    if (end == SV::npos) end = selector.size();
    SV token = selector.substr(pos, end - pos);
    if (token.empty()) {
      *why = "it has an empty step";
      return false;
    }
    if (token.front() == '[') {
      if (token.size() < 3 || token.back() != ']') {
        *why = "step " + Quote(token) + " is not a list index like [0]";
        return false;
      }
      uint64_t index = 0;
      for (char ch : token.substr(1, token.size() - 2)) {
        if (ch < '0' || ch > '9' || index > 1000000000) {
          *why = "step " + Quote(token) + " is not a list index like [0]";
          return false;
        }
        index = index * 10 + static_cast<uint64_t>(ch - '0');
      }
      if (!cur->IsArray()) {
        *why = "step " + Quote(token) + " indexes something that is not a list";
        return false;
      }
      if (index >= cur->Size()) {
        *why =
            "index " + std::to_string(index) + " is past the end of a list of " + std::to_string(cur->Size());
        return false;
      }
      cur = &(*cur)[static_cast<rapidjson::SizeType>(index)];
    } else {
      if (!cur->IsObject()) {
        *why = "step " + Quote(token) + " names a property of something that is not an object";
        return false;
      }
      const Value* next = Find(*cur, token);
      if (next == nullptr) {
        *why = "there is no property " + Quote(token);
        return false;
      }
      cur = next;
    }
    pos = end + 1;
  }
  return true;
}

void CheckGranularMarkings(const Ctx& c) {
  const Value* gms = c.m.granular_markings;
  if (gms == nullptr || !gms->IsArray()) return;
  std::string base = c.At("granular_markings");
  for (rapidjson::SizeType i = 0; i < gms->Size(); ++i) {
    const Value& gm = (*gms)[i];
    if (!gm.IsObject()) continue;
    std::string gptr = Join(base, i);
    bool has_ref = Find(gm, "marking_ref") != nullptr, has_lang = Find(gm, "lang") != nullptr;
    if (has_ref == has_lang) {
      c.Add(16, gptr,
            has_ref ? "a granular marking must have marking_ref or lang, not both"
                    : "a granular marking must have marking_ref or lang");
    }
    const Value* selectors = Find(gm, "selectors");
    if (selectors == nullptr || !selectors->IsArray()) continue;
    for (rapidjson::SizeType k = 0; k < selectors->Size(); ++k) {
      const Value& s = (*selectors)[k];
      if (!s.IsString()) continue;
      std::string why;
      if (!ResolveSelector(c.obj, Str(s), &why)) {
        c.Add(16, Join(Join(gptr, "selectors"), k),
              "selector " + Quote(Str(s)) + " does not resolve in this object: " + why);
      }
    }
  }
}

// ---- indicators -----------------------------------------------------------------------------

void CheckIndicator(const Ctx& c) {
  SV pattern_type = FindString(c.obj, "pattern_type");
  const Value* pattern = Find(c.obj, "pattern");
  if (pattern_type != "stix" || pattern == nullptr || !pattern->IsString()) return;
  for (const PatternIssue& issue : CheckPattern(Str(*pattern))) {
    c.r->Add(issue.error ? Severity::kError : Severity::kWarning, 18, c.id, c.At("pattern"),
             "STIX pattern: " + issue.message);
  }
}

// ---- marking definitions -----------------------------------------------------------------------

void CheckMarkingDefinition(const Ctx& c) {
  const Value* dt = Find(c.obj, "definition_type");
  if (dt == nullptr || !dt->IsString() || !c.r->Enabled(201)) return;
  SV kind = Str(*dt);
  if (kind != "tlp" && kind != "statement") {
    c.Add(201, c.At("definition_type"),
          "definition_type " + Quote(kind) + " is neither \"statement\" nor \"tlp\"");
    return;
  }
  if (kind != "tlp") return;
  // The four TLP 1.0 marking definitions the spec predefines (section 7.2.1.4).
  static constexpr std::pair<SV, SV> kTlp[] = {
      {"white", "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"},
      {"green", "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"},
      {"amber", "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"},
      {"red", "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"},
  };
  const Value* def = Find(c.obj, "definition");
  SV level = def != nullptr && def->IsObject() ? FindString(*def, "tlp") : SV();
  for (const auto& [name, id] : kTlp) {
    if (name != level) continue;
    if (c.id != id) {
      c.Add(201, c.At("id"),
            "a TLP:" + std::string(level) + " marking should be the spec's predefined object " +
                std::string(id));
    }
    return;
  }
  c.Add(201, c.At("definition"), "TLP level " + Quote(level) + " is not white, green, amber or red");
}

// ---- observed-data ----------------------------------------------------------------------------

// Checks refs inside an embedded (STIX 2.0 style) observation: each *_ref(s) names a key of the
// same `objects` dictionary, whose object has a type the reference allows.
void WalkLocalRefs(const Ctx& c, const Value& objects, SV owner, const Value& v, std::string* ptr,
                   int depth) {
  if (depth > 600 || !v.IsObject()) return;
  for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
    SV name = Str(it->name);
    size_t len = ptr->size();
    AppendPointer(ptr, name);
    auto check = [&](const Value& ref, const std::string& p) {
      if (!ref.IsString()) return;
      SV key = Str(ref);
      const Value* target = Find(objects, key);
      if (target == nullptr) {
        c.Add(
            19, p,
            std::string(name) + " " + Quote(key) + " does not name an object of this observation's objects");
        return;
      }
      SV ttype = target->IsObject() ? FindString(*target, "type") : SV();
      if (const RefRule* rule = FindRefRule(owner, name);
          rule != nullptr && !ttype.empty() && !TargetAllowed(rule->targets, ttype)) {
        c.Add(14, p,
              std::string(name) + " must point at " + DescribeTargets(rule->targets) + ", not at a " +
                  std::string(ttype) + " (object " + Quote(key) + ")");
      }
    };
    if (EndsWith(name, "_ref")) {
      check(it->value, *ptr);
    } else if (EndsWith(name, "_refs") && it->value.IsArray()) {
      for (rapidjson::SizeType i = 0; i < it->value.Size(); ++i) check(it->value[i], Join(*ptr, i));
    } else if (name == "extensions" && it->value.IsObject()) {
      for (auto ext = it->value.MemberBegin(); ext != it->value.MemberEnd(); ++ext) {
        size_t elen = ptr->size();
        AppendPointer(ptr, Str(ext->name));
        WalkLocalRefs(c, objects, Str(ext->name), ext->value, ptr, depth + 1);
        ptr->resize(elen);
      }
    } else if (it->value.IsObject()) {
      WalkLocalRefs(c, objects, owner, it->value, ptr, depth + 1);
    } else if (it->value.IsArray()) {
      for (rapidjson::SizeType i = 0; i < it->value.Size(); ++i) {
        size_t alen = ptr->size();
        *ptr += '/';
        *ptr += std::to_string(i);
        WalkLocalRefs(c, objects, owner, it->value[i], ptr, depth + 1);
        ptr->resize(alen);
      }
    }
    ptr->resize(len);
  }
}

void CheckObservation(const Ctx& c) {
  const Value* objects = Find(c.obj, "objects");
  const Value* refs = Find(c.obj, "object_refs");
  if (objects != nullptr && refs != nullptr) {
    c.Add(19, c.pointer.empty() ? std::string() : std::string(c.pointer),
          "observed-data must have either objects or object_refs, not both");
  }
  if (objects == nullptr) return;
  std::string optr = c.At("objects");
  if (c.r->Enabled(304)) {
    c.Add(304, optr, "observed-data objects is deprecated in STIX 2.1; use object_refs to top-level SCOs");
  }
  if (!objects->IsObject()) return;
  for (auto it = objects->MemberBegin(); it != objects->MemberEnd(); ++it) {
    std::string p = Join(optr, Str(it->name));
    if (!it->value.IsObject()) {
      c.Add(19, p,
            "embedded observable " + Quote(Str(it->name)) + " is " + std::string(KindName(it->value)) +
                ", not an object");
      continue;
    }
    SV etype = FindString(it->value, "type");
    if (etype.empty()) {
      c.Add(19, p, "embedded observable " + Quote(Str(it->name)) + " has no type");
      continue;
    }
    WalkLocalRefs(c, *objects, etype, it->value, &p, 1);
  }
}

// ---- custom names and extensions ------------------------------------------------------------

constexpr SV kCommonProps =
    "type spec_version id created_by_ref created modified revoked labels confidence lang external_references "
    "object_marking_refs granular_markings extensions";
constexpr SV kScoCommonProps =
    "type spec_version id object_marking_refs granular_markings defanged extensions";

struct TypeProps {
  SV type, props;
};
constexpr TypeProps kTypeProps[] = {
    {"attack-pattern", "name description aliases kill_chain_phases"},
    {"campaign", "name description aliases first_seen last_seen objective"},
    {"course-of-action", "name description action"},
    {"grouping", "name description context object_refs"},
    {"identity", "name description roles identity_class sectors contact_information"},
    {"incident", "name description kill_chain_phases"},
    {"indicator",
     "name description indicator_types pattern pattern_type pattern_version valid_from valid_until "
     "kill_chain_phases"},
    {"infrastructure",
     "name description infrastructure_types aliases kill_chain_phases first_seen last_seen"},
    {"intrusion-set",
     "name description aliases first_seen last_seen goals resource_level primary_motivation "
     "secondary_motivations"},
    {"location",
     "name description latitude longitude precision region country administrative_area city street_address "
     "postal_code"},
    {"malware",
     "name description malware_types is_family aliases kill_chain_phases first_seen last_seen "
     "operating_system_refs architecture_execution_envs implementation_languages capabilities sample_refs"},
    {"malware-analysis",
     "product version host_vm_ref operating_system_ref installed_software_refs configuration_version modules "
     "analysis_engine_version analysis_definition_version submitted analysis_started analysis_ended "
     "result_name result analysis_sco_refs sample_ref"},
    {"note", "abstract content authors object_refs"},
    {"observed-data", "first_observed last_observed number_observed objects object_refs"},
    {"opinion", "explanation authors opinion object_refs"},
    {"report", "name description report_types published object_refs"},
    {"threat-actor",
     "name description threat_actor_types aliases first_seen last_seen roles goals sophistication "
     "resource_level primary_motivation secondary_motivations personal_motivations"},
    {"tool", "name description tool_types aliases kill_chain_phases tool_version"},
    {"vulnerability", "name description"},
    {"relationship", "relationship_type description source_ref target_ref start_time stop_time"},
    {"sighting",
     "description first_seen last_seen count sighting_of_ref observed_data_refs where_sighted_refs summary"},
    {"marking-definition", "name definition_type definition"},
    {"language-content", "object_ref object_modified contents"},
    {"extension-definition", "name description schema version extension_types extension_properties"},
};

// Property names per type (from kTypeProps) with the common ones, as hash sets built once, so
// that a member name is looked up once.
struct PropertyIndex {
  NameMap<NameSet> by_type;
};

void AddWords(SV list, NameSet* out) {
  size_t pos = 0;
  while (pos < list.size()) {
    size_t end = list.find(' ', pos);
    if (end == SV::npos) end = list.size();
    out->insert(list.substr(pos, end - pos));
    pos = end + 1;
  }
}

const PropertyIndex& Properties() {
  static const PropertyIndex index = [] {
    PropertyIndex out;
    for (const TypeProps& tp : kTypeProps) {
      NameSet& names = out.by_type[tp.type];
      AddWords(kCommonProps, &names);
      AddWords(tp.props, &names);
    }
    return out;
  }();
  return index;
}

bool IsCustomPropertyName(SV name) {
  if (name.size() < 3 || name.size() > 250) return false;
  for (char ch : name) {
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_')) return false;
  }
  return true;
}

// The extension types declared by the object's extension-definition entries.
bool HasExtensionType(const Value& obj, SV extension_type) {
  const Value* exts = Find(obj, "extensions");
  if (exts == nullptr || !exts->IsObject()) return false;
  for (auto it = exts->MemberBegin(); it != exts->MemberEnd(); ++it) {
    if (it->value.IsObject() && FindString(it->value, "extension_type") == extension_type) return true;
  }
  return false;
}

void CheckExtensions(const Ctx& c) {
  const Value* exts = c.m.extensions;
  if (exts == nullptr || !exts->IsObject() || !c.r->Enabled(402)) return;
  for (auto it = exts->MemberBegin(); it != exts->MemberEnd(); ++it) {
    SV key = Str(it->name);
    if (StartsWith(key, "extension-definition--")) {
      SV t;
      int version;
      std::string why;
      if (!ParseIdentifier(key, &t, &version, &why)) {
        c.Add(402, Join(c.At("extensions"), key),
              "extension key " + Quote(key) + " is not a valid identifier: " + why);
      }
      continue;
    }
    if (c.category == ObjectCategory::kSco && IsPredefinedExtension(key)) continue;
    c.Add(402, Join(c.At("extensions"), key),
          "extension key " + Quote(key) +
              " is neither an extension-definition id nor a predefined extension; custom extensions of "
              "STIX 2.0 style are deprecated");
  }
}

bool IsKnownScoProperty(const ScoType& sco, SV name) { return FindScoProperty(sco, name) != nullptr; }

void CheckCustomProperties(const Ctx& c) {
  const PropertyIndex& index = Properties();
  const NameSet* own = nullptr;
  const ScoType* sco = nullptr;
  if (c.category == ObjectCategory::kSco) {
    sco = FindScoType(c.type);
    if (sco == nullptr) return;
  } else {
    auto it = index.by_type.find(c.type);
    if (it == index.by_type.end()) return;  // custom objects: no property catalogue
    own = &it->second;
  }
  constexpr size_t kListed = 4;
  SV custom[kListed];
  size_t n_custom = 0;
  for (auto it = c.obj.MemberBegin(); it != c.obj.MemberEnd(); ++it) {
    SV name = Str(it->name);
    if (sco != nullptr ? IsKnownScoProperty(*sco, name) : own->count(name) != 0) {
      continue;
    }
    if (n_custom < kListed) custom[n_custom] = name;
    ++n_custom;
    if (!IsCustomPropertyName(name)) {
      if (c.r->Enabled(102)) {
        c.Add(102, c.At(name),
              "custom property name " + Quote(name) +
                  " must use only a-z, 0-9 and '_' and be 3 to 250 characters long");
      }
    } else if (!StartsWith(name, "x_") && c.r->Enabled(101)) {
      c.Add(101, c.At(name),
            "property " + Quote(name) + " is not defined for " + std::string(c.type) +
                "; custom property names should start with x_ (or is it misspelled?)");
    }
  }
  if (n_custom != 0 && c.r->Enabled(401) && !HasExtensionType(c.obj, "toplevel-property-extension")) {
    std::string msg =
        std::to_string(n_custom) + (n_custom == 1 ? " custom property (" : " custom properties (");
    for (size_t i = 0; i < n_custom && i < kListed; ++i) {
      if (i != 0) msg += ", ";
      msg.append(custom[i]);
    }
    if (n_custom > kListed) msg += " and " + std::to_string(n_custom - kListed) + " more";
    msg += ") at the top level without an extension-definition declaring a toplevel-property-extension";
    c.Add(401, c.At(custom[0]), std::move(msg));
  }
}

void CheckCustomType(const Ctx& c) {
  if (HasExtensionType(c.obj, "new-sdo") || HasExtensionType(c.obj, "new-sco") ||
      HasExtensionType(c.obj, "new-sro")) {
    return;
  }
  if (!StartsWith(c.type, "x-") && c.r->Enabled(101)) {
    c.Add(101, c.At("type"),
          "type " + Quote(c.type) +
              " is not a STIX 2.1 type; custom object types should start with x- (or define them with an "
              "extension-definition of extension_type new-sdo/new-sco/new-sro)");
  }
}

// Required properties of objects the schemas do not cover (custom objects).
void CheckRequired(const Ctx& c) {
  SV required = c.category == ObjectCategory::kSco ? SV("type id")
                : c.type == "marking-definition"   ? SV("type spec_version id created")
                                                   : SV("type spec_version id created modified");
  size_t pos = 0;
  while (pos < required.size()) {
    size_t end = required.find(' ', pos);
    if (end == SV::npos) end = required.size();
    SV prop = required.substr(pos, end - pos);
    if (Find(c.obj, prop) == nullptr) {
      c.Add(17, std::string(c.pointer), "required property " + Quote(prop) + " is missing");
    }
    pos = end + 1;
  }
}

}  // namespace

// ---- public ---------------------------------------------------------------------------------

CheckFilter::CheckFilter() { enabled_.set(); }

Result<CheckFilter> CheckFilter::Make(const std::vector<int>& enable, const std::vector<int>& disable) {
  auto matches = [](int selector, int code) {
    if (selector >= 1 && selector <= 9) return code / 100 == selector;
    if (selector == 210) return code > 210 && code < 270;
    return selector == code;
  };
  auto check_known = [&](int selector) -> Status {
    if (selector >= 1 && selector <= 9) return Status::Ok();
    if (selector == 210) return Status::Ok();
    const CheckInfo* info = FindCheck(selector);
    if (info == nullptr) return Status::InvalidArgument("unknown check code", std::to_string(selector));
    if (info->severity == Severity::kError) {
      return Status::InvalidArgument("MUST checks always run and cannot be enabled or disabled",
                                     FormatCode(selector));
    }
    return Status::Ok();
  };
  for (int s : enable) PROSE2STIX_RETURN_IF_ERROR(check_known(s));
  for (int s : disable) PROSE2STIX_RETURN_IF_ERROR(check_known(s));
  CheckFilter f;
  for (const CheckInfo& info : AllChecks()) {
    if (info.severity == Severity::kError) continue;
    bool on;
    if (!enable.empty()) {
      on = std::any_of(enable.begin(), enable.end(), [&](int s) { return matches(s, info.code); });
    } else {
      on = std::none_of(disable.begin(), disable.end(), [&](int s) { return matches(s, info.code); });
    }
    f.enabled_[static_cast<size_t>(info.code)] = on;
  }
  return f;
}

void Reporter::Add(int code, std::string_view object_id, std::string pointer, std::string message) {
  Add(code < 100 ? Severity::kError : Severity::kWarning, code, object_id, std::move(pointer),
      std::move(message));
}

void Reporter::Add(Severity severity, int code, std::string_view object_id, std::string pointer,
                   std::string message) {
  if (!filter_->Enabled(code)) return;
  if (strict_) severity = Severity::kError;
  out_->push_back(Diagnostic{severity, code, std::string(object_id), std::move(pointer), std::move(message)});
}

bool Reporter::HasErrorAt(std::string_view pointer, size_t since) const {
  for (size_t i = since; i < out_->size(); ++i) {
    const Diagnostic& d = (*out_)[i];
    if (d.severity == Severity::kError && d.pointer == pointer) return true;
  }
  return false;
}

bool Reporter::HasErrorSince(size_t since) const {
  for (size_t i = since; i < out_->size(); ++i) {
    if ((*out_)[i].severity == Severity::kError) return true;
  }
  return false;
}

bool IsTimestampProperty(std::string_view type, std::string_view prop) { return IsStampProp(type, prop); }

std::string_view ReferenceTargets(std::string_view owner, std::string_view prop) {
  const RefRule* rule = FindRefRule(owner, prop);
  return rule == nullptr ? std::string_view() : rule->targets;
}

namespace {
// A 64-bit hash that reads eight bytes per step (ids are about 50 bytes; byte-wise FNV-1a cost
// a multiply per byte): each word is mixed in with a multiply and a fold of the high half.
// The length of `a` is mixed in before `b`, so ("ab", "c") and ("a", "bc") differ.
uint64_t Mix(uint64_t h, uint64_t w) {
  h = (h ^ w) * 0x9E3779B97F4A7C15ull;
  return h ^ (h >> 29);
}
uint64_t HashBytes(uint64_t h, std::string_view s) {
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    h = Mix(h, w);
  }
  uint64_t tail = 0;
  if (i < s.size()) std::memcpy(&tail, s.data() + i, s.size() - i);
  return Mix(Mix(h, tail), s.size());
}
uint64_t Hash(std::string_view a, std::string_view b = {}) {
  uint64_t h = HashBytes(0x243F6A8885A308D3ull, a);
  if (!b.empty()) h = HashBytes(h, b);
  // MurmurHash3's finaliser, so that every input bit reaches the low bits the table indexes by.
  h = (h ^ (h >> 33)) * 0xFF51AFD7ED558CCDull;
  h = (h ^ (h >> 33)) * 0xC4CEB9FE1A85EC53ull;
  return h ^ (h >> 33);
}
}  // namespace

bool DocumentState::HashSet::Insert(uint64_t h) {
  if (h == 0) h = 1;
  if ((size_ + 1) * 4 > slots_.size() * 3) {  // grow past 75% load
    std::vector<uint64_t> old = std::move(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, 0);
    size_ = 0;
    for (uint64_t v : old) {
      if (v != 0) Insert(v);
    }
  }
  size_t mask = slots_.size() - 1;
  for (size_t i = static_cast<size_t>(h ^ (h >> 29)) & mask;; i = (i + 1) & mask) {
    if (slots_[i] == h) return false;
    if (slots_[i] == 0) {
      slots_[i] = h;
      ++size_;
      return true;
    }
  }
}

bool DocumentState::HashSet::Contains(uint64_t h) const {
  if (h == 0) h = 1;
  if (slots_.empty()) return false;
  size_t mask = slots_.size() - 1;
  for (size_t i = static_cast<size_t>(h ^ (h >> 29)) & mask;; i = (i + 1) & mask) {
    if (slots_[i] == h) return true;
    if (slots_[i] == 0) return false;
  }
}

bool DocumentState::AddObject(std::string_view id, std::string_view modified) {
  if (enforce_refs_) ids_.Insert(Hash(id));
  return versions_.Insert(Hash(id, modified));
}

bool DocumentState::IsUnresolved(std::string_view ref) const {
  return enforce_refs_ && !ids_.Contains(Hash(ref));
}

void DocumentState::AddReference(std::string_view ref, std::string_view object_id, std::string_view pointer) {
  if (!IsUnresolved(ref)) return;
  pending_.push_back(Pending{std::string(ref), std::string(object_id), std::string(pointer)});
}

void DocumentState::Finish(Reporter* reporter) {
  for (const Pending& p : pending_) {
    if (ids_.Contains(Hash(p.ref))) continue;
    reporter->Add(20, p.object_id, p.pointer, "referenced object " + p.ref + " is not in the bundle");
  }
  pending_.clear();
}

void AppendPointer(std::string* pointer, std::string_view token) {
  pointer->push_back('/');
  for (char ch : token) {
    if (ch == '~') {
      pointer->append("~0");
    } else if (ch == '/') {
      pointer->append("~1");
    } else {
      pointer->push_back(ch);
    }
  }
}

bool ParseTimestamp(std::string_view t, int64_t* seconds, uint32_t* nanos, std::string* why) {
  auto fail = [&](const char* msg) {
    if (why != nullptr) *why = msg;
    return false;
  };
  auto digits = [&](size_t pos, size_t n, int* out) {
    if (pos + n > t.size()) return false;
    int v = 0;
    for (size_t i = pos; i < pos + n; ++i) {
      if (t[i] < '0' || t[i] > '9') return false;
      v = v * 10 + (t[i] - '0');
    }
    *out = v;
    return true;
  };
  int year, month, day, hour, minute, second;
  if (t.size() < 20) return fail("expected YYYY-MM-DDTHH:MM:SS[.s]Z");
  if (!digits(0, 4, &year) || t[4] != '-' || !digits(5, 2, &month) || t[7] != '-' || !digits(8, 2, &day)) {
    return fail("the date is not YYYY-MM-DD");
  }
  if (t[10] != 'T') return fail("the date and time must be separated by an upper-case T");
  if (!digits(11, 2, &hour) || t[13] != ':' || !digits(14, 2, &minute) || t[16] != ':' ||
      !digits(17, 2, &second)) {
    return fail("the time is not HH:MM:SS");
  }
  size_t pos = 19;
  uint32_t frac = 0;
  if (t[pos] == '.') {
    ++pos;
    size_t start = pos;
    while (pos < t.size() && t[pos] >= '0' && t[pos] <= '9') {
      if (pos - start < 9) frac = frac * 10 + static_cast<uint32_t>(t[pos] - '0');
      ++pos;
    }
    if (pos == start) return fail("a decimal point must be followed by digits");
    for (size_t k = pos - start; k < 9; ++k) frac *= 10;
  }
  if (pos >= t.size() || t[pos] != 'Z') return fail("STIX timestamps must be in UTC and end with Z");
  if (pos + 1 != t.size()) return fail("unexpected characters after Z");
  if (month < 1 || month > 12) return fail("the month is not 01-12");
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  int month_days = kDays[month - 1] + (month == 2 && leap ? 1 : 0);
  if (day < 1 || day > month_days) return fail("the day does not exist in that month");
  if (hour > 23) return fail("the hour is not 00-23");
  if (minute > 59) return fail("the minute is not 00-59");
  if (second > 60) return fail("the second is not 00-60");
  if (seconds != nullptr) {
    *seconds = DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  }
  if (nanos != nullptr) *nanos = frac;
  return true;
}

bool CheckTypeName(std::string_view type, std::string* why) {
  auto fail = [&](std::string msg) {
    if (why != nullptr) *why = std::move(msg);
    return false;
  };
  if (type.size() < 3) return fail("it is shorter than 3 characters");
  if (type.size() > 250)
    return fail("it is " + std::to_string(type.size()) + " characters long; at most 250 are allowed");
  if (!(type[0] >= 'a' && type[0] <= 'z')) return fail("it must start with a lowercase letter");
  char prev = 0;
  for (size_t i = 0; i < type.size(); ++i) {
    char ch = type[i];
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-')) {
      return fail("character " + std::to_string(i + 1) + " is not a-z, 0-9 or '-'");
    }
    if (ch == '-' && prev == '-')
      return fail("it contains \"--\", which separates type and UUID in identifiers");
    prev = ch;
  }
  return true;
}

bool ParseIdentifier(std::string_view id, std::string_view* type, int* uuid_version, std::string* why) {
  auto fail = [&](std::string msg) {
    if (why != nullptr) *why = std::move(msg);
    return false;
  };
  // Fast path: a well-formed type (a lowercase letter, then a-z, 0-9 and single hyphens, 3 to 250
  // characters) directly followed by "--". Anything else takes the general path below, whose
  // messages say what is wrong.
  size_t sep = FastTypeEnd(id);
  const bool fast = sep != SV::npos && sep >= 3 && sep <= 250;
  if (!fast) {
    sep = 0;
    while (sep + 1 < id.size() && !(id[sep] == '-' && id[sep + 1] == '-')) ++sep;
    if (sep + 1 >= id.size()) return fail("expected <type>--<UUID>");
    std::string type_why;
    if (!CheckTypeName(id.substr(0, sep), &type_why)) return fail("its type part is malformed: " + type_why);
  }
  std::string_view t = id.substr(0, sep), uuid = id.substr(sep + 2);
  if (uuid.size() != 36) return fail("the UUID part must be 36 characters (8-4-4-4-12 hex digits)");
  // 8-4-4-4-12: every byte is looked up in a table of its class (hex digit, dash, other) and
  // compared with the class its position needs; the mismatches are OR-ed without a branch per
  // byte, since nearly every identifier passes.
  if (!IsUuidShape(uuid)) return fail("the UUID part is not 8-4-4-4-12 hex digits");
  int version = HexValue(uuid[14]);
  if (version < 1 || version > 5) {
    return fail("the UUID version digit is " + std::string(1, uuid[14]) + "; RFC 4122 defines versions 1-5");
  }
  char variant = uuid[19];
  if (!(variant == '8' || variant == '9' || variant == 'a' || variant == 'b' || variant == 'A' ||
        variant == 'B')) {
    return fail("the UUID variant digit is " + std::string(1, variant) +
                "; RFC 4122 UUIDs have 8, 9, a or b there");
  }
  if (type != nullptr) *type = t;
  if (uuid_version != nullptr) *uuid_version = version;
  return true;
}

void CheckObject(const rapidjson::Value& object, std::string_view pointer, bool has_schema,
                 DocumentState* state, Reporter* reporter) {
  if (!object.IsObject()) {
    reporter->Add(2, "", std::string(pointer),
                  "expected a STIX object (a JSON object), found " + std::string(KindName(object)));
    return;
  }
  Members members;
  members.Index(object);
  const Value* type_v = members.type;
  const Value* id_v = members.id;
  SV id = id_v != nullptr && id_v->IsString() ? Str(*id_v) : SV();
  if (type_v == nullptr || !type_v->IsString()) {
    reporter->Add(11, id, type_v == nullptr ? std::string(pointer) : Join(pointer, "type"),
                  type_v == nullptr ? "the object has no type property"
                                    : "type must be a string, not " + std::string(KindName(*type_v)));
    return;
  }
  SV type = Str(*type_v);
  std::string why;
  if (!CheckTypeName(type, &why)) {
    reporter->Add(11, id, Join(pointer, "type"), "type " + Quote(type) + " is malformed: " + why);
    return;
  }
  Ctx c{object, type, id, CategoryOf(type), pointer, state, reporter, members};
  if (c.category == ObjectCategory::kBundle) {
    c.Add(3, std::string(pointer), "a bundle cannot contain another bundle");
    return;
  }

  // Identifier.
  if (id_v == nullptr) {
    c.Add(12, std::string(pointer), "the object has no id");
  } else if (!id_v->IsString()) {
    c.Add(12, c.At("id"), "id must be a string, not " + std::string(KindName(*id_v)));
  } else {
    SV prefix;
    int version = 0;
    if (!ParseIdentifier(id, &prefix, &version, &why)) {
      c.Add(12, c.At("id"), "id " + Quote(id) + " is not a STIX identifier: " + why);
    } else if (prefix != type) {
      c.Add(12, c.At("id"),
            "id prefix '" + std::string(prefix) + "' does not match the object's type '" + std::string(type) +
                "'");
    } else if (reporter->Enabled(103)) {
      if (c.category == ObjectCategory::kSco && version != 5) {
        c.Add(103, c.At("id"),
              "SCO ids should use a UUIDv5 derived from the id-contributing properties; this is v" +
                  std::to_string(version));
      } else if (c.category != ObjectCategory::kSco && c.category != ObjectCategory::kUnknown &&
                 version != 4) {
        c.Add(103, c.At("id"),
              std::string(type) + " ids should use a random UUIDv4; this is v" + std::to_string(version));
      }
    }
    SV modified = members.modified != nullptr && members.modified->IsString() ? Str(*members.modified) : SV();
    if (!state->AddObject(id, modified) && reporter->Enabled(203)) {
      c.Add(203, c.At("id"),
            modified.empty() ? "another object in this bundle has the same id"
                             : "another object in this bundle has the same id and modified (" +
                                   std::string(modified) + ")");
    }
  }

  // spec_version.
  if (const Value* sv = members.spec_version; sv != nullptr && sv->IsString() && Str(*sv) != "2.1") {
    c.Add(21, c.At("spec_version"),
          "spec_version " + Quote(Str(*sv)) + " is not \"2.1\"" +
              (Str(*sv) == "2.0" ? "; this is STIX 2.0 content" : std::string()));
  }
  if (!has_schema) CheckRequired(c);

  CheckTimestamps(c);
  CheckReferences(c);
  CheckGranularMarkings(c);
  CheckExtensions(c);
  CheckKillChains(c);
  CheckAllHashes(c);
  CheckVocabProps(c, object, type, pointer);

  if (type == "relationship") CheckRelationship(c);
  if (type == "indicator") CheckIndicator(c);
  if (type == "observed-data") CheckObservation(c);
  if (type == "location") CheckLocation(c);
  if (type == "marking-definition") CheckMarkingDefinition(c);

  if (c.category == ObjectCategory::kUnknown) {
    CheckCustomType(c);
  } else {
    CheckCustomProperties(c);
  }
}

}  // namespace prose2stix::validate
