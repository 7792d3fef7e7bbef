// The walk follows the object's structure the way CheckObject() reads it: from the root of a type
// schema through "properties" (object members) and "items" (array elements), resolving $refs on
// the way by copying their targets into the lean document. It never enters combinators
// (allOf/anyOf/oneOf/not), patternProperties, additionalProperties or dependencies, whose
// subschemas apply to members by rules the semantic checks do not mirror.
//
// Where the walk is tells what CheckObject() has verified about the value there:
//  - a top-level member: its name is the property (id, timestamps, references with the object
//    type as owner); inside the top-level "extensions", each extension's members have the
//    extension name as owner (semantic_checks.cc, CheckReferences);
//  - deeper members: only references, with the owner inherited; the walk stops at a reference
//    property (a *_ref string, or the string items of a *_refs array), as the semantic walk does,
//    and does not enter observed-data's embedded "objects", which the semantic checks read with
//    other rules.
#include "prose2stix/validate/lean_schemas.h"

#include <rapidjson/pointer.h>

#include <algorithm>

#include "prose2stix/validate/semantic_checks.h"
#include "prose2stix/validate/vocabularies.h"

namespace prose2stix::validate {

namespace {

using rapidjson::Value;

// The schemas' UUID pattern (RFC 4122 versions 1-5, variant 10xx), as ParseIdentifier() checks it.
constexpr std::string_view kUuidSuffix =
    "--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$";
// The type part of the generic identifier pattern: any type name.
constexpr std::string_view kAnyType = "[a-z0-9]+(-[a-z0-9]+)*";
// common.json's timestamp and timestamp_ms: ParseTimestamp() accepts nothing the first rejects.
constexpr std::string_view kTimestamp =
    "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]+)?Z$";
constexpr std::string_view kTimestampMs =
    "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)\\.[0-9]{3}[0-9]*Z$";
// What remains of timestamp_ms for a string ParseTimestamp() accepted (so "YYYY-MM-DDTHH:MM:SS"
// then an optional fraction then "Z"): at least three digits after the seconds.
constexpr std::string_view kMillisecondsOnly = "^.{19}\\.[0-9]{3}";

constexpr int kMaxDepth = 64;
constexpr int kMaxRefHops = 32;

std::string_view View(const Value& v) { return std::string_view(v.GetString(), v.GetStringLength()); }

Value* Member(Value& object, std::string_view name) {
  if (!object.IsObject()) return nullptr;
  for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
    if (View(it->name) == name) return &it->value;
  }
  return nullptr;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool IsTypeName(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

// The types an identifier pattern admits: sets *any for the generic pattern, else fills *types.
// False when `p` is not an identifier pattern.
bool IdentifierPatternTypes(std::string_view p, bool* any, std::vector<std::string_view>* types) {
  *any = false;
  types->clear();
  if (p.empty() || p[0] != '^' || !EndsWith(p, kUuidSuffix)) return false;
  std::string_view part = p.substr(1, p.size() - 1 - kUuidSuffix.size());
  if (part == kAnyType) {
    *any = true;
    return true;
  }
  if (part.size() >= 2 && part.front() == '(' && part.back() == ')') part = part.substr(1, part.size() - 2);
  for (size_t b = 0;;) {
    size_t e = part.find('|', b);
    std::string_view name = part.substr(b, e == std::string_view::npos ? std::string_view::npos : e - b);
    if (!IsTypeName(name)) return false;
    types->push_back(name);
    if (e == std::string_view::npos) break;
    b = e + 1;
  }
  return true;
}

// Reads a pattern "^[<class>]+$" whose class lists printable ASCII characters and ranges (a-z),
// with no escapes or negation, into `allowed`. False for any other pattern. '-' is literal first
// or last in the class, as in RapidJSON's regex engine.
bool ParseCharClassPattern(std::string_view p, std::bitset<128>* allowed) {
  if (p.size() < 5 || p.substr(0, 2) != "^[" || p.substr(p.size() - 3) != "]+$") return false;
  std::string_view cls = p.substr(2, p.size() - 5);
  if (cls.empty() || cls[0] == '^') return false;
  allowed->reset();
  for (size_t i = 0; i < cls.size(); ++i) {
    char c = cls[i];
    if (c < 0x21 || c > 0x7E || c == '\\' || c == '[' || c == ']') return false;
    if (i + 2 < cls.size() && cls[i + 1] == '-') {
      char hi = cls[i + 2];
      if (hi < c || hi > 0x7E || hi == '\\' || hi == '[' || hi == ']') return false;
      for (int x = c; x <= hi; ++x) allowed->set(static_cast<size_t>(x));
      i += 2;
    } else {
      allowed->set(static_cast<size_t>(static_cast<unsigned char>(c)));
    }
  }
  return true;
}

// Does every identifier CheckObject() lets through for `targets` (ReferenceTargets()) match `p`?
bool PatternAdmitsTargets(std::string_view p, std::string_view targets) {
  bool any = false;
  std::vector<std::string_view> types;
  if (targets.empty() || !IdentifierPatternTypes(p, &any, &types)) return false;
  if (any) return true;  // a parsed identifier always matches the generic pattern
  if (targets[0] == '@') return false;  // a class of types: only the generic pattern covers it
  for (size_t b = 0; b < targets.size();) {
    size_t e = std::min(targets.find(' ', b), targets.size());
    if (std::find(types.begin(), types.end(), targets.substr(b, e - b)) == types.end()) return false;
    b = e + 1;
  }
  return true;
}

class Leaner {
 public:
  // With `caller_checks`, millisecond patterns and required-only anyOfs are dropped and listed there.
  Leaner(std::span<const SchemaFile> files, const SchemaFile& file, rapidjson::Document* doc,
         std::vector<std::string>* changes, CallerChecks* caller_checks)
      : files_(files), file_(file), doc_(*doc), changes_(changes), caller_(caller_checks) {}

  // Walks the type schema; returns the number of patterns dropped or relaxed.
  int Run() {
    Value* props = Member(doc_, "properties");
    if (props == nullptr || !props->IsObject()) return 0;
    for (auto it = props->MemberBegin(); it != props->MemberEnd(); ++it) {
      Where w;
      w.owner = file_.type;
      w.prop = View(it->name);
      w.top = true;
      std::string at = "/properties";
      AppendPointer(&at, w.prop);
      Visit(it->value, w, at, 0);
    }
    DropRequiredAnyOf(doc_, true, "", "");
    return changed_;
  }

 private:
  struct Where {
    std::string_view owner;  // object type, or extension name
    std::string_view prop;   // the member name the value at this node belongs to
    bool top = false;        // a member of the object itself
    bool item = false;       // an element of the array `prop`
    bool top_item = false;   // an element of the top-level array `prop`
  };

  // Replaces `node` (a {"$ref": ...} schema) by a copy of its target, with the copy's
  // file-relative $refs made absolute. False when the target cannot be found.
  bool Inline(Value& node) {
    Value* ref = Member(node, "$ref");
    if (ref == nullptr || !ref->IsString()) return false;
    std::string_view text = View(*ref);
    size_t hash = text.find('#');
    std::string_view file = text.substr(0, hash);
    std::string_view pointer = hash == std::string_view::npos ? std::string_view() : text.substr(hash + 1);
    // Relative $refs in the lean document were made absolute when copied, except the type file's own.
    if (file.empty()) file = file_.name;
    const SchemaFile* target_file = nullptr;
    for (const SchemaFile& f : files_) {
      if (f.name == file) target_file = &f;
    }
    if (target_file == nullptr) return false;
    rapidjson::Pointer p(pointer.data(), pointer.size());
    const Value* target = p.IsValid() ? p.Get(*target_file->root) : nullptr;
    if (target == nullptr || !target->IsObject()) return false;
    Value copy(*target, doc_.GetAllocator());
    if (target_file->name != file_.name) Absolutize(copy, target_file->name, 0);
    node = std::move(copy);
    return true;
  }

  // Prefixes every "#..." $ref under `v` with `file`.
  void Absolutize(Value& v, std::string_view file, int depth) {
    if (depth > kMaxDepth) return;
    if (v.IsObject()) {
      for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
        if (View(it->name) == "$ref" && it->value.IsString() && it->value.GetStringLength() > 0 &&
            it->value.GetString()[0] == '#') {
          std::string absolute = std::string(file) + std::string(View(it->value));
          it->value.SetString(absolute.data(), static_cast<rapidjson::SizeType>(absolute.size()),
                              doc_.GetAllocator());
        } else {
          Absolutize(it->value, file, depth + 1);
        }
      }
    } else if (v.IsArray()) {
      for (auto& e : v.GetArray()) Absolutize(e, file, depth + 1);
    }
  }

  void Visit(Value& node, const Where& w, const std::string& at, int depth) {
    if (depth > kMaxDepth || !node.IsObject()) return;
    if (Member(node, "$ref") == nullptr) {
      Walk(node, w, at, depth);
      return;
    }
    // A $ref is replaced by a copy of its target only when something under it changes, so the
    // lean documents share what they do not change (compiling them costs less).
    Value original(node, doc_.GetAllocator());
    const int before = changed_;
    for (int hops = 0; Member(node, "$ref") != nullptr; ++hops) {
      if (hops == kMaxRefHops || !Inline(node)) {
        node = std::move(original);
        return;
      }
    }
    Walk(node, w, at, depth);
    if (changed_ == before) node = std::move(original);
  }

  // Visit() of a node that is not a $ref.
  void Walk(Value& node, const Where& w, const std::string& at, int depth) {
    Apply(node, w, at);
    const bool ref_name = EndsWith(w.prop, "_ref") || EndsWith(w.prop, "_refs");
    if (ref_name) {
      // The semantic walk checks a reference's string, or each string item of a *_refs array,
      // and goes no deeper.
      if (!w.item && EndsWith(w.prop, "_refs")) {
        if (Value* items = Member(node, "items"); items != nullptr && items->IsObject()) {
          Where iw = w;
          iw.top = false;
          iw.item = true;
          Visit(*items, iw, at + "/items", depth + 1);
        }
      }
      return;
    }
    if (w.top && w.prop == "objects" && file_.type == "observed-data") return;
    if (Value* props = Member(node, "properties"); props != nullptr && props->IsObject()) {
      for (auto it = props->MemberBegin(); it != props->MemberEnd(); ++it) {
        Where cw;
        cw.prop = View(it->name);
        cw.owner = (w.top && w.prop == "extensions") ? cw.prop : w.owner;
        std::string child = at + "/properties";
        AppendPointer(&child, cw.prop);
        Visit(it->value, cw, child, depth + 1);
      }
    }
    if (Value* items = Member(node, "items"); items != nullptr && items->IsObject()) {
      Where iw = w;
      iw.top = false;
      iw.item = true;
      iw.top_item = w.top && !w.item;
      Visit(*items, iw, at + "/items", depth + 1);
    }
    if (w.top_item) DropRequiredAnyOf(node, false, w.prop, at);
  }

  // With caller checks, drops an anyOf of `node` whose branches only list required properties and
  // records it for the caller; `node` is the type schema's root, or the items of the top-level
  // array `prop`.
  void DropRequiredAnyOf(Value& node, bool root, std::string_view prop, const std::string& at) {
    if (caller_ == nullptr) return;
    Value* any = Member(node, "anyOf");
    if (any == nullptr || !any->IsArray() || any->Empty()) return;
    CallerChecks::RequiredAnyOf rule;
    rule.root = root;
    rule.prop = std::string(prop);
    for (const Value& branch : any->GetArray()) {
      if (!branch.IsObject() || branch.MemberCount() != 1) return;
      const auto required = branch.MemberBegin();
      if (View(required->name) != "required" || !required->value.IsArray()) return;
      std::vector<std::string> names;
      for (const Value& name : required->value.GetArray()) {
        if (!name.IsString()) return;
        names.emplace_back(View(name));
      }
      rule.branches.push_back(std::move(names));
    }
    caller_->required_any_of.push_back(std::move(rule));
    node.EraseMember("anyOf");
    Note(at + "/anyOf", "dropped", "anyOf of required properties");
  }

  // Drops or relaxes the pattern of `node` when CheckObject() covers the value there.
  void Apply(Value& node, const Where& w, const std::string& at) {
    Value* pattern = Member(node, "pattern");
    if (pattern == nullptr || !pattern->IsString()) return;
    const std::string_view p = View(*pattern);
    bool drop = false;
    if (w.top && !w.item && w.prop == "id") {
      bool any = false;
      std::vector<std::string_view> types;
      drop = IdentifierPatternTypes(p, &any, &types) &&
             (any || std::find(types.begin(), types.end(), file_.type) != types.end());
    } else if (w.top && !w.item && IsTimestampProperty(file_.type, w.prop)) {
      if (p == kTimestampMs) {
        Note(at, "relaxed", p);
        if (caller_ != nullptr) {
          std::vector<std::string>& props = caller_->millisecond_props;
          if (std::find(props.begin(), props.end(), w.prop) == props.end()) props.emplace_back(w.prop);
          node.EraseMember("pattern");
          return;
        }
        pattern->SetString(rapidjson::StringRef(kMillisecondsOnly.data(),
                                                static_cast<rapidjson::SizeType>(kMillisecondsOnly.size())));
        return;
      }
      drop = p == kTimestamp;
    } else if ((EndsWith(w.prop, "_ref") && !w.item) || (EndsWith(w.prop, "_refs") && w.item)) {
      drop = PatternAdmitsTargets(p, ReferenceTargets(w.owner, w.prop));
    } else if (w.top && !w.item && caller_ != nullptr) {
      CallerChecks::CharClass rule;
      if (ParseCharClassPattern(p, &rule.allowed)) {
        rule.prop = std::string(w.prop);
        caller_->char_class_props.push_back(std::move(rule));
        drop = true;
      }
    }
    if (drop) {
      Note(at, "dropped", p);
      node.EraseMember("pattern");
    }
  }

  void Note(const std::string& at, std::string_view what, std::string_view p) {
    ++changed_;
    if (changes_ != nullptr) {
      changes_->push_back(std::string(file_.name) + ": " + at + ": " + std::string(what) + " " + std::string(p));
    }
  }

  std::span<const SchemaFile> files_;
  const SchemaFile& file_;
  rapidjson::Document& doc_;
  std::vector<std::string>* changes_;
  CallerChecks* caller_;
  int changed_ = 0;
};

}  // namespace

std::unique_ptr<rapidjson::Document> LeanSchema(std::span<const SchemaFile> files, size_t index,
                                                std::vector<std::string>* changes, CallerChecks* caller_checks) {
  const SchemaFile& f = files[index];
  // A bundle inside a bundle always has a semantic error (003): its schema is never used lean.
  if (f.type.empty() || f.type == "bundle" || f.root == nullptr || !f.root->IsObject()) return nullptr;
  auto doc = std::make_unique<rapidjson::Document>();
  doc->CopyFrom(*f.root, doc->GetAllocator());
  if (Leaner(files, f, doc.get(), changes, caller_checks).Run() == 0) return nullptr;
  return doc;
}

std::vector<std::unique_ptr<rapidjson::Document>> LeanSchemas(std::span<const SchemaFile> files,
                                                              std::vector<std::string>* changes,
                                                              std::vector<CallerChecks>* caller_checks) {
  std::vector<std::unique_ptr<rapidjson::Document>> out(files.size());
  if (caller_checks != nullptr) caller_checks->assign(files.size(), {});
  for (size_t i = 0; i < files.size(); ++i) {
    out[i] = LeanSchema(files, i, changes, caller_checks != nullptr ? &(*caller_checks)[i] : nullptr);
  }
  return out;
}

bool CallerChecksHold(const rapidjson::Value& object, const CallerChecks& checks) {
  // Runs on every object the gate validates lean: names are compared in place (SameName).
  if (!object.IsObject()) return true;
  auto has = [](const Value& v, std::string_view name) {
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
      if (SameName(View(it->name), name)) return true;
    }
    return false;
  };
  auto has_all = [&](const Value& v, const std::vector<std::string>& names) {
    for (const std::string& name : names) {
      if (!has(v, name)) return false;
    }
    return true;
  };
  auto any_branch = [&](const Value& v, const CallerChecks::RequiredAnyOf& rule) {
    if (!v.IsObject()) return true;
    for (const std::vector<std::string>& branch : rule.branches) {
      if (has_all(v, branch)) return true;
    }
    return false;
  };
  for (const CallerChecks::RequiredAnyOf& rule : checks.required_any_of) {
    if (rule.root) {
      if (!any_branch(object, rule)) return false;
      continue;
    }
    for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
      if (!it->value.IsArray() || !SameName(View(it->name), rule.prop)) continue;
      for (const Value& item : it->value.GetArray()) {
        if (!any_branch(item, rule)) return false;
      }
    }
  }
  for (const CallerChecks::CharClass& rule : checks.char_class_props) {
    for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
      if (!it->value.IsString() || !SameName(View(it->name), rule.prop)) continue;
      const std::string_view value = View(it->value);
      if (value.empty()) return false;
      for (char c : value) {
        const auto u = static_cast<unsigned char>(c);
        if (u >= 128 || !rule.allowed[u]) return false;
      }
    }
  }
  if (!checks.millisecond_props.empty()) {
    for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
      if (!it->value.IsString()) continue;
      const std::vector<std::string>& props = checks.millisecond_props;
      const std::string_view name = View(it->name);
      if (std::none_of(props.begin(), props.end(), [&](const std::string& p) { return SameName(p, name); }))
        continue;
      if (!HasMillisecondFraction(View(it->value))) return false;
    }
  }
  return true;
}

bool HasMillisecondFraction(std::string_view timestamp) {
  // Equivalent to kMillisecondsOnly on a parsed timestamp, whose first 19 characters are ASCII.
  auto digit = [&](size_t i) { return timestamp[i] >= '0' && timestamp[i] <= '9'; };
  return timestamp.size() >= 23 && timestamp[19] == '.' && digit(20) && digit(21) && digit(22);
}

}  // namespace prose2stix::validate
