// Bundle merging on RapidJSON values. Each input is parsed into its own document (after a
// linear pre-scan that bounds nesting, so that the recursive parts of RapidJSON - deep copy and
// Accept - cannot exhaust the stack), checked whole, and only then copied object by object into
// the merger's document, whose one memory-pool allocator owns every merged value. Merged
// objects sit in a JSON array in first-appearance order, found through two hash indexes: by id,
// and for relationships by (relationship_type, source_ref, target_ref). Merging two versions
// computes the united properties from both, then moves the winning version into place and
// overwrites those properties on it. Values replaced in place stay in the pool until the merger
// dies; that costs memory only for inputs that repeat objects, which is bounded by input size.
#include "prose2stix/stix/merge.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "prose2stix/stix/identifier.h"
#include "prose2stix/stix/timestamp.h"
#include "prose2stix/stix/uuid.h"

namespace prose2stix::stix {

namespace {

using rapidjson::Value;
using Allocator = rapidjson::Document::AllocatorType;

// String-list properties united (sorted, unique) across versions of an entity.
constexpr const char* kUnitedLists[] = {"aliases", "x_opencti_aliases", "roles", "sectors",
                                        "threat_actor_types", "goals"};

std::string_view View(const Value& v) { return std::string_view(v.GetString(), v.GetStringLength()); }

const Value* Member(const Value& obj, const char* key) {
  auto it = obj.FindMember(key);
  return it == obj.MemberEnd() ? nullptr : &it->value;
}

std::string StringMember(const Value& obj, const char* key) {
  const Value* v = Member(obj, key);
  return v != nullptr && v->IsString() ? std::string(View(*v)) : std::string();
}

std::vector<std::string> StringList(const Value& obj, const char* key) {
  std::vector<std::string> out;
  const Value* v = Member(obj, key);
  if (v == nullptr || !v->IsArray()) return out;
  for (const Value& e : v->GetArray()) {
    if (e.IsString()) out.emplace_back(View(e));
  }
  return out;
}

Value MakeString(std::string_view s, Allocator& a) {
  return Value(s.data(), static_cast<rapidjson::SizeType>(s.size()), a);
}

Value MakeList(const std::vector<std::string>& items, Allocator& a) {
  Value arr(rapidjson::kArrayType);
  arr.Reserve(static_cast<rapidjson::SizeType>(items.size()), a);
  for (const std::string& s : items) arr.PushBack(MakeString(s, a), a);
  return arr;
}

void SetMember(Value& obj, const char* key, Value&& value, Allocator& a) {
  auto it = obj.FindMember(key);
  if (it != obj.MemberEnd()) {
    it->value = value;
  } else {
    obj.AddMember(rapidjson::StringRef(key), value, a);
  }
}

// The normalized timestamp of obj[key], or "" when absent or unparsable.
std::string TimeOf(const Value& obj, const char* key) { return NormalizeTimestamp(StringMember(obj, key)); }

// The version stamp used to pick the newest version: modified, else created.
std::string VersionOf(const Value& obj) {
  std::string m = TimeOf(obj, "modified");
  return m.empty() ? TimeOf(obj, "created") : m;
}

// Chooses between a[key] and b[key]: the earliest (or latest) parsable timestamp, else whichever
// is present (a first). Returns nullptr when neither has the property.
const Value* PickTime(const Value& a, const Value& b, const char* key, bool earliest) {
  const Value* va = Member(a, key);
  const Value* vb = Member(b, key);
  if (va == nullptr) return vb;
  if (vb == nullptr) return va;
  std::string ta = TimeOf(a, key), tb = TimeOf(b, key);
  if (ta.empty()) return tb.empty() ? va : vb;
  if (tb.empty()) return va;
  if (earliest) return tb < ta ? vb : va;
  return tb > ta ? vb : va;
}

// Order-preserving union of two string lists.
std::vector<std::string> UnionInOrder(std::vector<std::string> a, const std::vector<std::string>& b) {
  std::unordered_set<std::string> seen(a.begin(), a.end());
  for (const std::string& s : b) {
    if (seen.insert(s).second) a.push_back(s);
  }
  return a;
}

std::vector<std::string> SplitLines(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find('\n', start);
    if (end == std::string::npos) end = s.size();
    std::string line = s.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) out.push_back(std::move(line));
    start = end + 1;
  }
  return out;
}

std::string ExternalReferenceKey(const Value& ref) {
  return StringMember(ref, "source_name") + '\x1f' + StringMember(ref, "url") + '\x1f' +
         StringMember(ref, "external_id");
}

// The first place where nesting exceeds `max_depth`, or npos.
size_t TooDeepAt(std::string_view json, int max_depth) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < json.size(); ++i) {
    char c = json[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > max_depth) return i;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return std::string_view::npos;
}

std::string Place(std::string_view json, size_t offset) {
  size_t line = 1, column = 1;
  for (size_t i = 0; i < offset && i < json.size(); ++i) {
    if (json[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "byte offset " + std::to_string(offset) + " (line " + std::to_string(line) + ", column " +
         std::to_string(column) + ")";
}

}  // namespace

struct BundleMerger::Impl {
  rapidjson::Document doc;  // an array of the merged objects
  std::unordered_map<std::string, size_t> by_id;
  std::unordered_map<std::string, size_t> by_triple;
  std::unordered_map<std::string, std::string> aliases;  // merged-away id -> kept id

  Impl() { doc.SetArray(); }

  static std::string TripleOf(const Value& obj) {
    const Value* t = Member(obj, "relationship_type");
    const Value* s = Member(obj, "source_ref");
    const Value* d = Member(obj, "target_ref");
    if (t == nullptr || s == nullptr || d == nullptr || !t->IsString() || !s->IsString() || !d->IsString()) {
      return "";
    }
    std::string key(View(*t));
    key += '\x1f';
    key += View(*s);
    key += '\x1f';
    key += View(*d);
    return key;
  }

  void Insert(Value&& v) {
    Allocator& a = doc.GetAllocator();
    std::string id = StringMember(v, "id");
    bool is_relationship = StringMember(v, "type") == "relationship";
    std::string triple = is_relationship ? TripleOf(v) : "";
    size_t index = doc.Size();
    bool found = false;
    if (auto it = by_id.find(id); it != by_id.end()) {
      index = it->second;
      found = true;
    } else if (!triple.empty()) {
      if (auto jt = by_triple.find(triple); jt != by_triple.end()) {
        index = jt->second;
        found = true;
      }
    }
    if (!found) {
      doc.PushBack(v, a);
      by_id.emplace(id, index);
      if (!triple.empty()) by_triple.emplace(triple, index);
      return;
    }
    Value& cur = doc[static_cast<rapidjson::SizeType>(index)];
    std::string kept_id = StringMember(cur, "id");
    if (id != kept_id) {
      aliases.emplace(id, kept_id);
      by_id.emplace(id, index);
    }
    MergeInto(cur, v, kept_id);
  }

  // Merges `inc` (seen later) into `cur` (seen first); see merge.h for the rules.
  void MergeInto(Value& cur, Value& inc, const std::string& kept_id) {
    Allocator& a = doc.GetAllocator();
    std::string type = StringMember(cur, "type");
    if (type == "marking-definition") return;
    bool newer = VersionOf(inc) > VersionOf(cur);

    // Everything computed from both versions before one of them is moved.
    std::vector<std::pair<const char*, Value>> updates;
    auto put = [&updates](const char* key, Value&& v) { updates.emplace_back(key, std::move(v)); };

    if (type != "relationship" && type != "report") {
      for (const char* key : kUnitedLists) {
        if (Member(cur, key) == nullptr && Member(inc, key) == nullptr) continue;
        std::vector<std::string> all = StringList(cur, key);
        std::vector<std::string> more = StringList(inc, key);
        all.insert(all.end(), more.begin(), more.end());
        std::sort(all.begin(), all.end());
        all.erase(std::unique(all.begin(), all.end()), all.end());
        put(key, MakeList(all, a));
      }
    }
    struct TimeRule {
      const char* key;
      bool earliest;
    };
    static constexpr TimeRule kTimeRules[] = {
        {"created", true}, {"first_seen", true}, {"last_seen", false}, {"start_time", true}, {"stop_time", false}};
    for (const TimeRule& rule : kTimeRules) {
      if (const Value* v = PickTime(cur, inc, rule.key, rule.earliest)) put(rule.key, Value(*v, a));
    }
    if (Member(cur, "external_references") != nullptr || Member(inc, "external_references") != nullptr) {
      Value refs(rapidjson::kArrayType);
      std::unordered_set<std::string> seen;
      for (const Value* side : {&cur, &inc}) {
        const Value* list = Member(*side, "external_references");
        if (list == nullptr || !list->IsArray()) continue;
        for (const Value& r : list->GetArray()) {
          if (!r.IsObject() || seen.insert(ExternalReferenceKey(r)).second) refs.PushBack(Value(r, a), a);
        }
      }
      put("external_references", std::move(refs));
    }
    if (Member(cur, "object_marking_refs") != nullptr || Member(inc, "object_marking_refs") != nullptr) {
      put("object_marking_refs",
          MakeList(UnionInOrder(StringList(cur, "object_marking_refs"), StringList(inc, "object_marking_refs")), a));
    }
    if (type == "relationship") {
      // The identifying triple is immutable: a later version under the same id cannot move the
      // relationship onto another triple (which could then duplicate another relationship).
      for (const char* key : {"relationship_type", "source_ref", "target_ref"}) {
        if (const Value* v = Member(cur, key)) put(key, Value(*v, a));
      }
      std::vector<std::string> lines =
          UnionInOrder(SplitLines(StringMember(cur, "description")), SplitLines(StringMember(inc, "description")));
      if (!lines.empty()) {
        std::string joined;
        for (const std::string& l : lines) {
          if (!joined.empty()) joined += '\n';
          joined += l;
        }
        put("description", MakeString(joined, a));
      }
      const Value* ca = Member(cur, "confidence");
      const Value* cb = Member(inc, "confidence");
      if (ca != nullptr && cb != nullptr && ca->IsInt() && cb->IsInt()) {
        put("confidence", Value(std::max(ca->GetInt(), cb->GetInt())));
      } else if (ca != nullptr || cb != nullptr) {
        put("confidence", Value(ca != nullptr ? *ca : *cb, a));
      }
    }
    if (type == "report" && (Member(cur, "object_refs") != nullptr || Member(inc, "object_refs") != nullptr)) {
      put("object_refs", MakeList(UnionInOrder(StringList(cur, "object_refs"), StringList(inc, "object_refs")), a));
    }

    if (newer) cur = inc;  // moves: the older version stays unreferenced in the pool
    SetMember(cur, "id", MakeString(kept_id, a), a);
    for (auto& [key, value] : updates) SetMember(cur, key, std::move(value), a);
  }

  // Rewrites references to merged-away relationship ids (top-level *_ref / *_refs).
  void ResolveAliases() {
    if (aliases.empty()) return;
    Allocator& a = doc.GetAllocator();
    for (Value& obj : doc.GetArray()) {
      for (auto& m : obj.GetObject()) {
        std::string_view key = View(m.name);
        bool single = key.size() > 4 && key.substr(key.size() - 4) == "_ref";
        bool list = key.size() > 5 && key.substr(key.size() - 5) == "_refs";
        if (single && m.value.IsString()) {
          if (auto it = aliases.find(std::string(View(m.value))); it != aliases.end()) {
            m.value = MakeString(it->second, a);
          }
        } else if (list && m.value.IsArray()) {
          bool changed = false;
          std::vector<std::string> refs;
          for (const Value& e : m.value.GetArray()) {
            if (!e.IsString()) {
              refs.clear();
              changed = false;
              break;
            }
            std::string r(View(e));
            if (auto it = aliases.find(r); it != aliases.end()) {
              r = it->second;
              changed = true;
            }
            refs.push_back(std::move(r));
          }
          if (changed) m.value = MakeList(UnionInOrder({}, refs), a);
        }
      }
    }
  }
};

BundleMerger::BundleMerger() : impl_(std::make_unique<Impl>()) {}
BundleMerger::~BundleMerger() = default;

size_t BundleMerger::objects() const { return impl_->doc.Size(); }

Status BundleMerger::Add(std::string_view json, std::string_view name) {
  std::string subject(name.empty() ? "<input>" : name);
  if (size_t at = TooDeepAt(json, kMaxDepth); at != std::string_view::npos) {
    return Status::InvalidInput("JSON nested deeper than " + std::to_string(kMaxDepth) + " levels",
                                subject + ": " + Place(json, at));
  }
  rapidjson::Document in;
  in.Parse<rapidjson::kParseValidateEncodingFlag>(json.data(), json.size());
  if (in.HasParseError()) {
    return Status::InvalidInput(std::string("malformed JSON: ") + rapidjson::GetParseError_En(in.GetParseError()),
                                subject + ": " + Place(json, in.GetErrorOffset()));
  }
  // Collect the objects with their JSON pointers, checking all before keeping any.
  std::vector<std::pair<const Value*, std::string>> found;
  auto collect = [&found](const Value& arr, const std::string& prefix) {
    for (rapidjson::SizeType i = 0; i < arr.Size(); ++i) found.emplace_back(&arr[i], prefix + "/" + std::to_string(i));
  };
  if (in.IsArray()) {
    collect(in, "");
  } else if (in.IsObject()) {
    const Value* type = Member(in, "type");
    if (type != nullptr && type->IsString() && View(*type) == "bundle") {
      const Value* objs = Member(in, "objects");
      if (objs != nullptr) {
        if (!objs->IsArray()) return Status::InvalidInput("bundle \"objects\" is not an array", subject + ": /objects");
        collect(*objs, "/objects");
      }
    } else {
      found.emplace_back(&in, "");
    }
  } else {
    return Status::InvalidInput("not a STIX bundle, object or array of objects", subject + ": top level");
  }
  for (const auto& [obj, pointer] : found) {
    std::string where = subject + ": " + (pointer.empty() ? std::string("top level") : pointer);
    if (!obj->IsObject()) return Status::InvalidInput("not a JSON object", where);
    for (const char* key : {"type", "id"}) {
      const Value* v = Member(*obj, key);
      if (v == nullptr || !v->IsString() || v->GetStringLength() == 0) {
        return Status::InvalidInput(std::string("object has no string \"") + key + "\"", where);
      }
    }
  }
  Allocator& a = impl_->doc.GetAllocator();
  for (const auto& entry : found) impl_->Insert(Value(*entry.first, a));
  return Status::Ok();
}

std::string BundleMerger::Finish(bool pretty, std::string_view bundle_id) {
  impl_->ResolveAliases();
  std::string id;
  if (bundle_id.empty()) {
    std::vector<std::string> ids;
    ids.reserve(impl_->doc.Size());
    for (const Value& obj : impl_->doc.GetArray()) ids.push_back(StringMember(obj, "id"));
    std::sort(ids.begin(), ids.end());
    std::string joined;
    for (const std::string& s : ids) {
      joined += s;
      joined += '\n';
    }
    id = "bundle--" + UuidV5(kOasisNamespace, joined);
  } else if (bundle_id.rfind("bundle--", 0) == 0) {
    id = std::string(bundle_id);
  } else {
    id = "bundle--" + std::string(bundle_id);
  }
  rapidjson::StringBuffer sb;
  auto write = [this, &id](auto& w) {
    w.StartObject();
    w.Key("type");
    w.String("bundle");
    w.Key("id");
    w.String(id.data(), static_cast<rapidjson::SizeType>(id.size()));
    if (!impl_->doc.Empty()) {
      w.Key("objects");
      impl_->doc.Accept(w);
    }
    w.EndObject();
  };
  if (pretty) {
    rapidjson::PrettyWriter<rapidjson::StringBuffer> w(sb);
    w.SetIndent(' ', 2);
    write(w);
  } else {
    rapidjson::Writer<rapidjson::StringBuffer> w(sb);
    write(w);
  }
  return std::string(sb.GetString(), sb.GetSize());
}

}  // namespace prose2stix::stix
