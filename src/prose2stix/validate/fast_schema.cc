// FastSchema compiles a schema tree into a vector of nodes, one per distinct schema object
// (a $ref is replaced by the node of its target, so shared definitions are compiled once and
// cycles close on themselves), then checks a DOM value by walking node and value together.
//
// The keywords follow RapidJSON 1.1.0 (include/rapidjson/schema.h), not only the draft, so that
// "conforms" here always means "RapidJSON accepts": a name listed in "required" is a property of
// the object even when "properties" does not name it (additionalProperties false then lets it
// through, as RapidJSON does); "integer" admits numbers not parsed as doubles and "number" admits
// all; minLength and maxLength count code points; minProperties counts every member, duplicates
// included. A schema with a keyword outside the implemented set is compiled as "unsupported" and
// makes every value it applies to unsure.
#include "prose2stix/validate/fast_schema.h"

#include <cstring>

namespace prose2stix::validate {

namespace {

using rapidjson::SizeType;
using rapidjson::Value;

constexpr int32_t kInProgress = -3;  // a $ref being resolved (a cycle of bare $refs)

std::string_view View(const Value& v) { return std::string_view(v.GetString(), v.GetStringLength()); }

// The slot of a property name in a node's table: its length and three of its bytes (schema
// property names differ there; the table compares names in full). Not validate::NameHash, which
// reads every byte.
uint32_t PropSlotHash(const char* s, uint32_t n) {
  uint32_t h = n * 0x9E3779B1u;
  if (n > 0) {
    h ^= static_cast<uint32_t>(static_cast<unsigned char>(s[0])) * 0x85EBCA6Bu;
    h ^= static_cast<uint32_t>(static_cast<unsigned char>(s[n - 1])) * 0xC2B2AE35u;
    h ^= static_cast<uint32_t>(static_cast<unsigned char>(s[n / 2])) * 0x27D4EB2Fu;
  }
  return h ^ (h >> 15);
}

// Code points of well-formed UTF-8 text: the bytes that do not continue a sequence.
size_t CodePoints(const char* s, size_t n) {
  size_t count = 0;
  for (size_t i = 0; i < n; ++i) count += (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
  return count;
}

bool SmallUint(const Value& v, uint32_t* out) {
  if (!v.IsUint()) return false;
  *out = v.GetUint();
  return true;
}

// Parses the patterns FastSchema implements: "^[" class "]" count "$", where class is printable
// ASCII characters and ranges a-z (no escapes, no negation, no '-' outside a range) and count is
// "+", "*", "{n}" or "{n,m}".
bool ParseClassPattern(std::string_view p, std::bitset<128>* allowed, uint32_t* min, uint32_t* max) {
  if (p.size() < 5 || p.substr(0, 2) != "^[" || p.back() != '$') return false;
  size_t i = 2;
  allowed->reset();
  bool any = false;
  while (i < p.size() && p[i] != ']') {
    const char c = p[i];
    if (c < 0x20 || c > 0x7E || c == '\\' || c == '^' || c == '-' || c == '[') return false;
    if (i + 2 < p.size() && p[i + 1] == '-' && p[i + 2] != ']') {
      const char hi = p[i + 2];
      if (hi < c || hi > 0x7E || hi == '\\' || hi == '[') return false;
      for (int k = c; k <= hi; ++k) allowed->set(static_cast<size_t>(k));
      i += 3;
    } else {
      allowed->set(static_cast<size_t>(c));
      i += 1;
    }
    any = true;
  }
  if (!any || i >= p.size()) return false;
  std::string_view count = p.substr(i + 1, p.size() - i - 2);  // between ']' and '$'
  if (count == "+") {
    *min = 1, *max = UINT32_MAX;
    return true;
  }
  if (count == "*") {
    *min = 0, *max = UINT32_MAX;
    return true;
  }
  if (count.size() < 3 || count.front() != '{' || count.back() != '}') return false;
  count = count.substr(1, count.size() - 2);
  auto number = [](std::string_view digits, uint32_t* out) {
    if (digits.empty() || digits.size() > 6) return false;
    uint32_t v = 0;
    for (char d : digits) {
      if (d < '0' || d > '9') return false;
      v = v * 10 + static_cast<uint32_t>(d - '0');
    }
    *out = v;
    return true;
  };
  size_t comma = count.find(',');
  if (comma == std::string_view::npos) {
    if (!number(count, min)) return false;
    *max = *min;
    return true;
  }
  return number(count.substr(0, comma), min) && number(count.substr(comma + 1), max) && *min <= *max;
}

}  // namespace

class FastSchema::Compiler {
 public:
  Compiler(FastSchema* out, const Resolver& resolve) : out_(*out), resolve_(resolve) {}

  // The node for schema `v` of file `file`: kAny for a schema without constraints.
  int32_t Schema(int file, const Value& v) {
    auto memo = memo_.find(&v);
    if (memo != memo_.end()) return memo->second == kInProgress ? Unsupported() : memo->second;
    if (!v.IsObject()) return Unsupported();
    if (auto ref = v.FindMember("$ref"); ref != v.MemberEnd()) {
      // The loader rejects keywords beside $ref; RapidJSON ignores them anyway.
      if (!ref->value.IsString()) return Unsupported();
      auto [target_file, target] = resolve_(file, View(ref->value));
      if (target == nullptr) return Unsupported();
      memo_[&v] = kInProgress;
      int32_t node = Schema(target_file, *target);
      memo_[&v] = node;
      return node;
    }
    const auto index = static_cast<int32_t>(out_.nodes_.size());
    out_.nodes_.emplace_back();
    memo_[&v] = index;
    bool constrained = false;
    const Value* required = nullptr;
    const Value* dependencies = nullptr;
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
      std::string_view key = View(it->name);
      const Value& val = it->value;
      if (key == "$schema" || key == "title" || key == "description" || key == "default" ||
          key == "definitions" || key == "$comment" || key == "examples") {
        continue;
      }
      constrained = true;
      bool ok = true;
      if (key == "type") {
        ok = Types(val, &At(index).types);
      } else if (key == "enum") {
        ok = val.IsArray();
        for (SizeType i = 0; ok && i < val.Size(); ++i) {
          // RapidJSON compares strings with NUL characters as U+0001 (see SchemaStore): left to it.
          ok = val[i].IsString() && View(val[i]).find('\0') == std::string_view::npos;
          if (ok) At(index).enum_strings.emplace_back(View(val[i]));
        }
        At(index).has_enum = true;
      } else if (key == "properties") {
        ok = val.IsObject() && val.MemberCount() <= kMaxProps;
        for (auto p = val.MemberBegin(); ok && p != val.MemberEnd(); ++p) {
          int32_t schema = Schema(file, p->value);
          At(index).props.push_back(Prop{std::string(View(p->name)), schema});
        }
      } else if (key == "additionalProperties") {
        if (val.IsBool()) {
          At(index).additional = val.GetBool() ? kAny : kNone;
        } else {
          int32_t schema = Schema(file, val);
          At(index).additional = schema;
        }
      } else if (key == "required") {
        ok = val.IsArray();
        for (SizeType i = 0; ok && i < val.Size(); ++i) ok = val[i].IsString();
        required = &val;
      } else if (key == "minProperties") {
        ok = SmallUint(val, &At(index).min_props);
      } else if (key == "maxProperties") {
        ok = SmallUint(val, &At(index).max_props);
      } else if (key == "minItems") {
        ok = SmallUint(val, &At(index).min_items);
      } else if (key == "maxItems") {
        ok = SmallUint(val, &At(index).max_items);
      } else if (key == "minLength") {
        ok = SmallUint(val, &At(index).min_length);
      } else if (key == "maxLength") {
        ok = SmallUint(val, &At(index).max_length);
      } else if (key == "items") {
        ok = val.IsObject();  // a tuple of schemas is not implemented
        if (ok) {
          int32_t schema = Schema(file, val);
          At(index).items = schema;
        }
      } else if (key == "minimum" || key == "maximum") {
        ok = val.IsInt64();
        if (ok && key == "minimum") {
          At(index).has_minimum = true;
          At(index).minimum = val.GetInt64();
        } else if (ok) {
          At(index).has_maximum = true;
          At(index).maximum = val.GetInt64();
        }
      } else if (key == "pattern") {
        Node& n = At(index);
        ok = val.IsString() && ParseClassPattern(View(val), &n.pattern_class, &n.pattern_min, &n.pattern_max);
        n.has_pattern = true;
      } else if (key == "dependencies") {
        ok = val.IsObject();
        for (auto d = val.MemberBegin(); ok && d != val.MemberEnd(); ++d) {
          ok = d->value.IsArray();  // the schema form is not implemented
          for (SizeType i = 0; ok && i < d->value.Size(); ++i) ok = d->value[i].IsString();
        }
        dependencies = &val;
      } else if (key == "allOf" || key == "anyOf") {
        ok = val.IsArray() && !val.Empty();
        for (SizeType i = 0; ok && i < val.Size(); ++i) {
          int32_t schema = Schema(file, val[i]);
          (key == "allOf" ? At(index).all_of : At(index).any_of).push_back(schema);
        }
      } else {
        ok = false;  // pattern, patternProperties, oneOf, not, dependencies, uniqueItems, id, ...
      }
      if (!ok) At(index).unsupported = true;
    }
    if (!At(index).unsupported) {
      // RapidJSON makes every name in required and dependencies a property (with an empty schema
      // if "properties" does not list it).
      Node& n = At(index);
      auto prop_of = [&n](std::string_view name) {
        uint32_t prop = 0;
        while (prop < n.props.size() && n.props[prop].name != name) ++prop;
        if (prop == n.props.size()) n.props.push_back(Prop{std::string(name), kAny});
        return prop;
      };
      for (SizeType i = 0; required != nullptr && i < required->Size(); ++i) {
        n.required.push_back(prop_of(View((*required)[i])));
      }
      for (auto d = dependencies != nullptr ? dependencies->MemberBegin() : Value::ConstMemberIterator();
           dependencies != nullptr && d != dependencies->MemberEnd(); ++d) {
        std::pair<uint32_t, std::vector<uint32_t>> dep{prop_of(View(d->name)), {}};
        for (SizeType i = 0; i < d->value.Size(); ++i) dep.second.push_back(prop_of(View(d->value[i])));
        n.dependencies.push_back(std::move(dep));
      }
      if (n.props.size() > kMaxProps) n.unsupported = true;
    }
    // A schema without constraints accepts everything; the node stays (others may point at it)
    // but callers compiled from now on skip it.
    if (!constrained) {
      memo_[&v] = kAny;
      return kAny;
    }
    return index;
  }

 private:
  Node& At(int32_t index) { return out_.nodes_[static_cast<size_t>(index)]; }

  int32_t Unsupported() {
    const auto index = static_cast<int32_t>(out_.nodes_.size());
    out_.nodes_.emplace_back();
    out_.nodes_.back().unsupported = true;
    return index;
  }

  static bool Types(const Value& v, uint8_t* bits) {
    auto one = [](std::string_view t, uint8_t* b) {
      if (t == "null") {
        *b |= kNull;
      } else if (t == "boolean") {
        *b |= kBool;
      } else if (t == "object") {
        *b |= kObject;
      } else if (t == "array") {
        *b |= kArray;
      } else if (t == "string") {
        *b |= kString;
      } else if (t == "integer") {
        *b |= kInteger;
      } else if (t == "number") {
        *b |= kNumber | kInteger;
      } else {
        return false;
      }
      return true;
    };
    *bits = 0;
    if (v.IsString()) return one(View(v), bits);
    if (!v.IsArray()) return false;
    for (SizeType i = 0; i < v.Size(); ++i) {
      if (!v[i].IsString() || !one(View(v[i]), bits)) return false;
    }
    return true;
  }

 public:
  // Called once every node is made (the names no longer move).
  static void BuildTable(Node* n) {
    if (n->props.empty()) return;
    size_t size = 8;
    while (size < n->props.size() * 2) size *= 2;
    n->prop_table.assign(size, Slot{});
    for (size_t i = 0; i < n->props.size(); ++i) {
      const std::string& name = n->props[i].name;
      size_t slot = PropSlotHash(name.data(), static_cast<uint32_t>(name.size())) & (size - 1);
      while (n->prop_table[slot].prop >= 0) slot = (slot + 1) & (size - 1);
      n->prop_table[slot] = Slot{name.data(), static_cast<uint32_t>(name.size()), static_cast<int32_t>(i)};
    }
  }

 private:
  FastSchema& out_;
  const Resolver& resolve_;
  std::unordered_map<const Value*, int32_t> memo_;
};

FastSchema FastSchema::Compile(int file, const Value& root, const Resolver& resolve) {
  FastSchema out;
  Compiler compiler(&out, resolve);
  out.root_ = compiler.Schema(file, root);
  for (Node& n : out.nodes_) Compiler::BuildTable(&n);
  return out;
}

bool FastSchema::Conforms(const Value& value) const { return Check(root_, value, 0); }

bool FastSchema::AddCallerChecks(const CallerChecks& checks) {
  if (!usable() || root_ < 0) return false;
  const Node& root = nodes_[static_cast<size_t>(root_)];
  auto prop_of = [&](std::string_view name) {
    return FindProp(root, name.data(), static_cast<uint32_t>(name.size()));
  };
  std::vector<RootRule> rules(root.props.size());
  std::vector<std::bitset<128>> classes;
  std::vector<std::vector<std::vector<std::string>>> items;
  std::vector<std::vector<uint32_t>> any_of;
  for (const std::string& name : checks.millisecond_props) {
    const int32_t p = prop_of(name);
    if (p < 0) return false;
    rules[static_cast<size_t>(p)].millisecond = true;
  }
  for (const CallerChecks::CharClass& rule : checks.char_class_props) {
    const int32_t p = prop_of(rule.prop);
    if (p < 0 || rules[static_cast<size_t>(p)].char_class >= 0) return false;
    rules[static_cast<size_t>(p)].char_class = static_cast<int16_t>(classes.size());
    classes.push_back(rule.allowed);
  }
  for (const CallerChecks::RequiredAnyOf& rule : checks.required_any_of) {
    if (rule.root) {
      if (!any_of.empty()) return false;  // one root rule at most
      for (const std::vector<std::string>& branch : rule.branches) {
        any_of.emplace_back();
        for (const std::string& name : branch) {
          const int32_t p = prop_of(name);
          if (p < 0) return false;
          any_of.back().push_back(static_cast<uint32_t>(p));
        }
      }
      if (any_of.empty()) return false;
    } else {
      const int32_t p = prop_of(rule.prop);
      if (p < 0 || rules[static_cast<size_t>(p)].items_any_of >= 0) return false;
      rules[static_cast<size_t>(p)].items_any_of = static_cast<int16_t>(items.size());
      items.push_back(rule.branches);
    }
  }
  for (RootRule& r : rules) r.active = r.millisecond || r.char_class >= 0 || r.items_any_of >= 0;
  root_rules_ = std::move(rules);
  char_classes_ = std::move(classes);
  items_any_of_ = std::move(items);
  root_any_of_ = std::move(any_of);
  return true;
}

// The same tests as CallerChecksHold() makes on one member of the root object.
bool FastSchema::CheckRootRule(const RootRule& rule, const Value& value) const {
  if (rule.millisecond && value.IsString() && !HasMillisecondFraction(View(value))) return false;
  if (rule.char_class >= 0 && value.IsString()) {
    const std::bitset<128>& allowed = char_classes_[static_cast<size_t>(rule.char_class)];
    const SizeType n = value.GetStringLength();
    if (n == 0) return false;
    const auto* u = reinterpret_cast<const unsigned char*>(value.GetString());
    for (SizeType i = 0; i < n; ++i) {
      if (u[i] >= 128 || !allowed.test(u[i])) return false;
    }
  }
  if (rule.items_any_of >= 0 && value.IsArray()) {
    const auto& branches = items_any_of_[static_cast<size_t>(rule.items_any_of)];
    for (const Value& item : value.GetArray()) {
      if (!item.IsObject()) continue;
      bool any = false;
      for (const std::vector<std::string>& branch : branches) {
        bool all = true;
        for (const std::string& name : branch) {
          bool has = false;
          for (auto m = item.MemberBegin(); m != item.MemberEnd() && !has; ++m) {
            has = m->name.GetStringLength() == name.size() &&
                  std::memcmp(m->name.GetString(), name.data(), name.size()) == 0;
          }
          if (!has) {
            all = false;
            break;
          }
        }
        if (all) {
          any = true;
          break;
        }
      }
      if (!any) return false;
    }
  }
  return true;
}

int32_t FastSchema::FindProp(const Node& n, const char* name, uint32_t length) const {
  if (n.prop_table.empty()) return -1;
  const size_t mask = n.prop_table.size() - 1;
  for (size_t slot = PropSlotHash(name, length) & mask;; slot = (slot + 1) & mask) {
    const Slot& s = n.prop_table[slot];
    if (s.prop < 0) return -1;
    if (s.length == length && std::memcmp(s.name, name, length) == 0) return s.prop;
  }
}

bool FastSchema::Check(int32_t node, const Value& value, int depth) const {
  if (node == kAny) return true;
  if (node < 0 || depth > kMaxDepth) return false;
  const Node& n = nodes_[static_cast<size_t>(node)];
  if (n.unsupported) return false;
  uint8_t bit = 0;
  switch (value.GetType()) {
    case rapidjson::kNullType:
      bit = kNull;
      break;
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      bit = kBool;
      break;
    case rapidjson::kObjectType:
      bit = kObject;
      break;
    case rapidjson::kArrayType:
      bit = kArray;
      break;
    case rapidjson::kStringType:
      bit = kString;
      break;
    case rapidjson::kNumberType:
      bit = value.IsDouble() ? kNumber : kInteger;
      break;
  }
  if ((n.types & bit) == 0) return false;
  if (n.has_enum) {
    if (bit != kString) return false;
    std::string_view s = View(value);
    bool found = false;
    for (const std::string& e : n.enum_strings) {
      if (e == s) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  switch (bit) {
    case kObject:
      if (!CheckObject(n, value, depth)) return false;
      if (depth == 0 && !root_any_of_.empty()) {
        // A root rule of the caller checks: the value has every property of some branch. (The
        // member walk above has passed; presence is looked up again, cheaply, as it is rare.)
        bool any = false;
        for (const std::vector<uint32_t>& branch : root_any_of_) {
          bool all = true;
          for (uint32_t p : branch) {
            const std::string& name = n.props[p].name;
            bool has = false;
            for (auto m = value.MemberBegin(); m != value.MemberEnd() && !has; ++m) {
              has = m->name.GetStringLength() == name.size() &&
                    std::memcmp(m->name.GetString(), name.data(), name.size()) == 0;
            }
            all = all && has;
          }
          any = any || all;
        }
        if (!any) return false;
      }
      break;
    case kArray: {
      const SizeType size = value.Size();
      if (size < n.min_items || size > n.max_items) return false;
      if (n.items != kAny) {
        for (SizeType i = 0; i < size; ++i) {
          if (!Check(n.items, value[i], depth + 1)) return false;
        }
      }
      break;
    }
    case kString:
      if (n.has_pattern) {
        const SizeType bytes = value.GetStringLength();
        if (bytes < n.pattern_min || bytes > n.pattern_max) return false;
        const auto* u = reinterpret_cast<const unsigned char*>(value.GetString());
        for (SizeType i = 0; i < bytes; ++i) {
          if (u[i] >= 128 || !n.pattern_class.test(u[i])) return false;
        }
      }
      if (n.min_length != 0 || n.max_length != UINT32_MAX) {
        const size_t bytes = value.GetStringLength();
        // A code point takes one to four bytes.
        if (bytes < n.min_length) return false;
        if (bytes > n.max_length || bytes / 4 < n.min_length) {
          const size_t points = CodePoints(value.GetString(), bytes);
          if (points < n.min_length || points > n.max_length) return false;
        }
      }
      break;
    case kInteger:
      if (n.has_minimum || n.has_maximum) {
        if (!value.IsInt64()) return false;  // above INT64_MAX: left to RapidJSON
        const int64_t i = value.GetInt64();
        if ((n.has_minimum && i < n.minimum) || (n.has_maximum && i > n.maximum)) return false;
      }
      break;
    case kNumber:
      if (n.has_minimum || n.has_maximum) return false;  // doubles against bounds: left to RapidJSON
      break;
    default:
      break;
  }
  for (int32_t s : n.all_of) {
    if (!Check(s, value, depth + 1)) return false;
  }
  if (!n.any_of.empty()) {
    bool any = false;
    for (int32_t s : n.any_of) {
      if (Check(s, value, depth + 1)) {
        any = true;
        break;
      }
    }
    if (!any) return false;
  }
  return true;
}

bool FastSchema::CheckObject(const Node& n, const Value& value, int depth) const {
  const SizeType count = value.MemberCount();
  if (count < n.min_props || count > n.max_props) return false;
  if (n.props.empty() && n.additional == kAny) return true;
  std::bitset<kMaxProps> seen;
  for (auto it = value.MemberBegin(); it != value.MemberEnd(); ++it) {
    const int32_t prop = FindProp(n, it->name.GetString(), it->name.GetStringLength());
    int32_t schema = n.additional;
    if (prop >= 0) {
      seen.set(static_cast<size_t>(prop));
      schema = n.props[static_cast<size_t>(prop)].schema;
      if (depth == 0 && !root_rules_.empty() && root_rules_[static_cast<size_t>(prop)].active &&
          !CheckRootRule(root_rules_[static_cast<size_t>(prop)], it->value)) {
        return false;
      }
    }
    if (!Check(schema, it->value, depth + 1)) return false;
  }
  for (uint32_t r : n.required) {
    if (!seen.test(r)) return false;
  }
  for (const auto& [prop, needs] : n.dependencies) {
    if (!seen.test(prop)) continue;
    for (uint32_t need : needs) {
      if (!seen.test(need)) return false;
    }
  }
  return true;
}

}  // namespace prose2stix::validate
