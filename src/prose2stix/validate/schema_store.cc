// SchemaStore: loads the draft-04 schema files, proves RapidJSON will enforce every keyword in them,
// compiles them per thread, and turns RapidJSON's terse failure (a keyword and a document pointer)
// into a sentence a person can act on.
//
// Loading runs in three steps. (1) Each file is parsed and walked as a draft-04 schema by
// CheckSchema(): the walker knows which members hold sub-schemas (properties, items, allOf, ...) and
// which hold data (enum, required), rejects keywords RapidJSON 1.1.0 skips without a word (const,
// if/then/else, $defs, contains, propertyNames, format, ...), compiles every pattern with RapidJSON's
// own regex engine (a Thompson NFA without \d, \w or look-around; a pattern it cannot compile would be
// dropped, accepting everything), and resolves every $ref against the loaded files. (2) The files are
// compiled into rapidjson::SchemaDocuments; cross-file $refs reach RefProvider, which must cope with
// RapidJSON 1.1.0 handing it the file name one character short (Tencent/rapidjson#726: it passes the
// length up to the '#' minus one), so a name matches exactly or as a one-character-longer prefix; since
// all names end in ".json" this is unambiguous. A request the provider cannot satisfy fails the load.
// (3) The compiled set is kept for the loading thread; other threads compile their own on first use,
// because the compiled regexes keep mutable match state (see the header).
//
// Validate() first asks the document's FastSchema (fast_schema.h), compiled per thread from the
// same sources on first use, whether the object certainly conforms; it usually does, and then
// RapidJSON is not run at all. Otherwise it feeds the value to a SchemaValidator with an explicit stack
// instead of Value::Accept's recursion, so nesting depth cannot exhaust the C++ stack. The validator's state
// (its stacks, the per-object property flags, enum hashers, and the sub-validators of allOf/anyOf/oneOf/not)
// lives in a per-thread memory pool that is emptied after each object, so validating an object costs no heap
// allocation once the pool has grown to the largest object's needs. On failure, Describe() walks the schema
// source along the failing document pointer (following $refs across files and into allOf/anyOf/oneOf
// branches) to find the sub-schema that failed and uses its "description", which the schema files phrase to
// complete "'<property>' must be ...".
#include "prose2stix/validate/schema_store.h"

#include <rapidjson/error/en.h>
#include <rapidjson/internal/regex.h>
#include <rapidjson/pointer.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <functional>
#include <set>
#include <string>
#include <utility>

#include "prose2stix/util/embedded.h"
#include "prose2stix/util/file.h"
#include "prose2stix/util/status.h"
#include "prose2stix/validate/fast_schema.h"
#include "prose2stix/validate/lean_schemas.h"

namespace prose2stix::validate {

namespace {

using rapidjson::SizeType;
using rapidjson::Value;

constexpr std::string_view kDraft04 = "http://json-schema.org/draft-04/schema#";
// Bounds the $ref chains Describe() follows (cycles are rejected at load, this is a second guard).
constexpr int kMaxRefHops = 32;

std::atomic<uint64_t> g_next_serial{1};

std::string_view View(const Value& v) { return std::string_view(v.GetString(), v.GetStringLength()); }

const Value* Member(const Value& object, std::string_view name) {
  if (!object.IsObject()) return nullptr;
  auto it = object.FindMember(Value(rapidjson::StringRef(name.data(), static_cast<SizeType>(name.size()))));
  return it == object.MemberEnd() ? nullptr : &it->value;
}

// Escapes one JSON pointer token (RFC 6901: '~' -> "~0", '/' -> "~1").
std::string EscapeToken(std::string_view token) {
  std::string out;
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

// "line L, column C" of a byte offset, counting columns in bytes from 1.
std::string LineColumn(std::string_view text, size_t offset) {
  size_t line = 1, column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

std::string Quote(std::string_view s) { return "'" + std::string(s) + "'"; }

std::string JsonText(const Value& v) {
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> writer(sb);
  v.Accept(writer);
  return std::string(sb.GetString(), sb.GetSize());
}

// ---- Load-time schema checks -----------------------------------------------------------------------

// Draft-04 keywords RapidJSON 1.1.0 enforces, and annotations it may ignore harmlessly.
const std::set<std::string_view>& EnforcedKeywords() {
  static const auto* const kSet = new std::set<std::string_view>{
      "type",          "enum",          "allOf",         "anyOf",         "oneOf",
      "not",           "properties",    "patternProperties", "additionalProperties", "required",
      "dependencies",  "minProperties", "maxProperties", "items",         "additionalItems",
      "minItems",      "maxItems",      "uniqueItems",   "minLength",     "maxLength",
      "pattern",       "minimum",       "maximum",       "exclusiveMinimum", "exclusiveMaximum",
      "multipleOf",    "$ref",          "definitions"};
  return *kSet;
}
const std::set<std::string_view>& AnnotationKeywords() {
  static const auto* const kSet = new std::set<std::string_view>{
      "$schema", "id", "title", "description", "default", "$comment", "examples"};
  return *kSet;
}

// Checks that `p` is in the regex subset RapidJSON 1.1.0 parses soundly, before it is handed to
// rapidjson::internal::Regex: that parser only asserts (a no-op under NDEBUG, then reads past its
// stacks) on inputs such as "()", "a(|b)", "{3}" or "(ab" instead of rejecting them. Grammar:
//   pattern := '^'? alternation '$'?     alternation := sequence ('|' sequence)*   sequence := piece+
//   piece := atom quantifier?            quantifier := '*' | '+' | '?' | '{' n (',' m?)? '}'
//   atom := '(' alternation ')' | '[' '^'? class-item+ ']' | '.' | '\' escape | literal
// with 1 <= m, n <= m and m, n <= kMaxRepeat (a{n} is compiled by copying `a` n times).
class PatternSyntax {
 public:
  explicit PatternSyntax(std::string_view p) : p_(p) {}

  // Returns an empty string when the pattern is well formed, else what is wrong.
  std::string Check() {
    if (Peek() == '^') ++i_;
    std::string err = Alternation(0);
    if (!err.empty()) return err;
    if (Peek() == '$') ++i_;
    if (i_ != p_.size()) return "unexpected '" + std::string(1, p_[i_]) + "' at offset " + std::to_string(i_);
    return "";
  }

 private:
  static constexpr unsigned kMaxRepeat = 1000;
  static constexpr int kMaxDepth = 64;

  char Peek() const { return i_ < p_.size() ? p_[i_] : '\0'; }
  bool AtEnd() const { return i_ >= p_.size(); }

  static bool Escapable(char c) { return std::string_view("^$|()?*+.[]{}\\fnrtv").find(c) != std::string_view::npos; }

  std::string Alternation(int depth) {
    if (depth > kMaxDepth) return "groups nested too deeply";
    for (;;) {
      size_t start = i_;
      while (!AtEnd() && Peek() != '|' && Peek() != ')' && !(Peek() == '$' && i_ + 1 == p_.size())) {
        std::string err = Piece(depth);
        if (!err.empty()) return err;
      }
      if (i_ == start) return "empty alternative at offset " + std::to_string(i_);
      if (Peek() != '|') return "";
      ++i_;
    }
  }

  std::string Piece(int depth) {
    char c = p_[i_];
    if (c == '(') {
      ++i_;
      std::string err = Alternation(depth + 1);
      if (!err.empty()) return err;
      if (Peek() != ')') return "unbalanced '(' before offset " + std::to_string(i_);
      ++i_;
    } else if (c == '[') {
      ++i_;
      if (Peek() == '^') ++i_;
      size_t items = 0;
      while (!AtEnd() && Peek() != ']') {
        if (Peek() == '\\') {
          ++i_;
          if (AtEnd() || (!Escapable(Peek()) && Peek() != 'b')) return "unsupported escape in class at offset " + std::to_string(i_);
        }
        ++i_;
        ++items;
      }
      if (AtEnd()) return "unterminated '['";
      if (items == 0) return "empty character class at offset " + std::to_string(i_);
      ++i_;
    } else if (c == '\\') {
      ++i_;
      if (AtEnd() || !Escapable(Peek())) {
        return "unsupported escape at offset " + std::to_string(i_ - 1) +
               " (no \\d, \\w, \\s, \\-; use classes like [0-9])";
      }
      ++i_;
    } else if (c == '*' || c == '+' || c == '?' || c == '{') {
      return "quantifier without an atom at offset " + std::to_string(i_);
    } else if (c == '^' || c == '$') {
      return "anchor inside the pattern at offset " + std::to_string(i_);
    } else {
      ++i_;  // '.', or a literal (UTF-8 continuation bytes are literals too)
    }
    if (Peek() == '*' || Peek() == '+' || Peek() == '?') {
      ++i_;
    } else if (Peek() == '{') {
      ++i_;
      unsigned n = 0, m = 0;
      if (!Number(&n)) return "bad repetition at offset " + std::to_string(i_);
      m = n;
      if (Peek() == ',') {
        ++i_;
        m = kMaxRepeat;
        if (Peek() != '}' && !Number(&m)) return "bad repetition at offset " + std::to_string(i_);
      }
      if (Peek() != '}' || m == 0 || m < n) return "bad repetition at offset " + std::to_string(i_);
      ++i_;
    }
    if (Peek() == '*' || Peek() == '+' || Peek() == '?' || Peek() == '{') {
      return "repeated quantifier at offset " + std::to_string(i_);
    }
    return "";
  }

  bool Number(unsigned* out) {
    size_t start = i_;
    unsigned v = 0;
    while (Peek() >= '0' && Peek() <= '9') {
      v = v * 10 + static_cast<unsigned>(Peek() - '0');
      if (v > kMaxRepeat) return false;
      ++i_;
    }
    *out = v;
    return i_ > start;
  }

  std::string_view p_;
  size_t i_ = 0;
};

class SchemaChecker {
 public:
  // `sources` maps file names to parsed documents; `file` is the one being checked, `display` the name
  // errors give it.
  SchemaChecker(const std::vector<std::pair<std::string_view, const Value*>>& sources, std::string_view file,
                std::string display)
      : sources_(sources), file_(file), display_(std::move(display)) {}

  Status Check(const Value& root) {
    if (!root.IsObject()) return Fail("", "a schema file must hold a JSON object");
    if (const Value* s = Member(root, "$schema")) {
      if (!s->IsString() || View(*s) != kDraft04) {
        return Fail("/$schema", "only draft-04 schemas are supported ($schema must be \"" +
                                    std::string(kDraft04) + "\")");
      }
    }
    return Schema(root, "");
  }

 private:
  Status Fail(const std::string& pointer, const std::string& msg) const {
    return Status::InvalidInput(msg, display_ + ": " + (pointer.empty() ? "/" : pointer));
  }

  Status SchemaMap(const Value& v, const std::string& at, bool keys_are_patterns) {
    if (!v.IsObject()) return Fail(at, "must be an object of schemas");
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
      std::string sub = at + "/" + EscapeToken(View(it->name));
      if (keys_are_patterns) PROSE2STIX_RETURN_IF_ERROR(Pattern(it->name, sub));
      PROSE2STIX_RETURN_IF_ERROR(Schema(it->value, sub));
    }
    return Status::Ok();
  }

  Status SchemaArray(const Value& v, const std::string& at) {
    if (!v.IsArray() || v.Empty()) return Fail(at, "must be a non-empty array of schemas");
    for (SizeType i = 0; i < v.Size(); ++i) {
      PROSE2STIX_RETURN_IF_ERROR(Schema(v[i], at + "/" + std::to_string(i)));
    }
    return Status::Ok();
  }

  Status Pattern(const Value& v, const std::string& at) const {
    if (!v.IsString()) return Fail(at, "a pattern must be a string");
    if (std::memchr(v.GetString(), 0, v.GetStringLength()) != nullptr) return Fail(at, "a pattern must not hold NUL");
    std::string syntax = PatternSyntax(View(v)).Check();
    if (!syntax.empty()) {
      return Fail(at, "pattern \"" + std::string(View(v)) + "\" is not supported by RapidJSON 1.1.0's regex engine: " +
                          syntax);
    }
    rapidjson::internal::Regex regex(v.GetString());
    if (!regex.IsValid()) {
      return Fail(at, "pattern \"" + std::string(View(v)) + "\" is not supported by RapidJSON 1.1.0's regex engine: "
                          "it does not compile");
    }
    return Status::Ok();
  }

  Status StringArray(const Value& v, const std::string& at, bool non_empty) const {
    if (!v.IsArray() || (non_empty && v.Empty())) return Fail(at, "must be a non-empty array of strings");
    for (SizeType i = 0; i < v.Size(); ++i) {
      if (!v[i].IsString()) return Fail(at + "/" + std::to_string(i), "must be a string");
    }
    return Status::Ok();
  }

  Status Ref(const Value& v, const std::string& at) const {
    if (!v.IsString()) return Fail(at, "$ref must be a string");
    std::string_view ref = View(v);
    size_t hash = ref.find('#');
    std::string_view file = ref.substr(0, hash);
    std::string_view pointer = hash == std::string_view::npos ? std::string_view() : ref.substr(hash + 1);
    const Value* target_doc = nullptr;
    std::string_view target_file = file.empty() ? file_ : file;
    for (const auto& [name, doc] : sources_) {
      if (name == target_file) target_doc = doc;
    }
    if (target_doc == nullptr) {
      return Fail(at, "$ref \"" + std::string(ref) + "\" names no loaded schema file");
    }
    rapidjson::Pointer p(pointer.data(), pointer.size());
    if (!p.IsValid()) return Fail(at, "$ref \"" + std::string(ref) + "\" has an invalid JSON pointer");
    const Value* target = p.Get(*target_doc);
    if (target == nullptr || !target->IsObject()) {
      return Fail(at, "$ref \"" + std::string(ref) + "\" does not resolve to a schema");
    }
    return Status::Ok();
  }

  Status Schema(const Value& v, const std::string& at) {
    if (!v.IsObject()) return Fail(at, "a schema must be a JSON object (draft-04 has no boolean schemas)");
    if (const Value* ref = Member(v, "$ref")) {
      PROSE2STIX_RETURN_IF_ERROR(Ref(*ref, at + "/$ref"));
      for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
        std::string_view key = View(it->name);
        if (key != "$ref" && !AnnotationKeywords().count(key)) {
          return Fail(at + "/" + EscapeToken(key),
                      "keyword '" + std::string(key) + "' beside $ref would be ignored by RapidJSON");
        }
      }
      return Status::Ok();
    }
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
      std::string_view key = View(it->name);
      const Value& val = it->value;
      std::string sub = at + "/" + EscapeToken(key);
      if (AnnotationKeywords().count(key)) continue;
      if (!EnforcedKeywords().count(key)) {
        return Fail(sub, "keyword '" + std::string(key) +
                             "' is not enforced by RapidJSON 1.1.0 (draft-04 keywords only; use enum with "
                             "one value for const, definitions for $defs)");
      }
      if (key == "definitions" || key == "properties") {
        PROSE2STIX_RETURN_IF_ERROR(SchemaMap(val, sub, false));
      } else if (key == "patternProperties") {
        PROSE2STIX_RETURN_IF_ERROR(SchemaMap(val, sub, true));
      } else if (key == "allOf" || key == "anyOf" || key == "oneOf") {
        PROSE2STIX_RETURN_IF_ERROR(SchemaArray(val, sub));
      } else if (key == "not") {
        PROSE2STIX_RETURN_IF_ERROR(Schema(val, sub));
      } else if (key == "items") {
        if (val.IsArray()) {
          PROSE2STIX_RETURN_IF_ERROR(SchemaArray(val, sub));
        } else {
          PROSE2STIX_RETURN_IF_ERROR(Schema(val, sub));
        }
      } else if (key == "additionalItems" || key == "additionalProperties") {
        if (!val.IsBool()) PROSE2STIX_RETURN_IF_ERROR(Schema(val, sub));
      } else if (key == "dependencies") {
        if (!val.IsObject()) return Fail(sub, "must be an object");
        for (auto d = val.MemberBegin(); d != val.MemberEnd(); ++d) {
          std::string dsub = sub + "/" + EscapeToken(View(d->name));
          if (d->value.IsArray()) {
            PROSE2STIX_RETURN_IF_ERROR(StringArray(d->value, dsub, true));
          } else {
            PROSE2STIX_RETURN_IF_ERROR(Schema(d->value, dsub));
          }
        }
      } else if (key == "required") {
        PROSE2STIX_RETURN_IF_ERROR(StringArray(val, sub, true));
      } else if (key == "enum") {
        if (!val.IsArray() || val.Empty()) return Fail(sub, "must be a non-empty array");
      } else if (key == "type") {
        static const std::set<std::string_view> kTypes = {"null",   "boolean", "object", "array",
                                                          "string", "number",  "integer"};
        bool ok = val.IsString() && kTypes.count(View(val));
        if (val.IsArray()) {
          ok = !val.Empty();
          for (SizeType i = 0; i < val.Size(); ++i) ok = ok && val[i].IsString() && kTypes.count(View(val[i]));
        }
        if (!ok) return Fail(sub, "must be a JSON Schema type name or a non-empty array of them");
      } else if (key == "pattern") {
        PROSE2STIX_RETURN_IF_ERROR(Pattern(val, sub));
      } else if (key == "exclusiveMinimum" || key == "exclusiveMaximum" || key == "uniqueItems") {
        if (!val.IsBool()) return Fail(sub, "must be a boolean in draft-04");
      } else if (key == "minimum" || key == "maximum" || key == "multipleOf") {
        if (!val.IsNumber()) return Fail(sub, "must be a number");
      } else {  // minLength, maxLength, minItems, maxItems, minProperties, maxProperties
        if (!val.IsUint()) return Fail(sub, "must be a non-negative integer");
      }
    }
    return Status::Ok();
  }

  const std::vector<std::pair<std::string_view, const Value*>>& sources_;
  std::string_view file_;
  std::string display_;
};

// Emits SAX events for `root` into `handler` with an explicit stack (no recursion on depth). Strings
// holding a NUL byte are passed with each NUL replaced by U+0001, because RapidJSON's regex reads a
// string up to its first NUL and would otherwise match only the part before it; `may_hold_nul`
// false skips looking for them.
template <typename Handler>
bool Emit(const Value& root, Handler& handler, std::vector<std::pair<const Value*, SizeType>>& stack,
          std::string& scratch, bool may_hold_nul) {
  stack.clear();
  auto open = [&](const Value& v) -> bool {
    switch (v.GetType()) {
      case rapidjson::kNullType: return handler.Null();
      case rapidjson::kFalseType: return handler.Bool(false);
      case rapidjson::kTrueType: return handler.Bool(true);
      case rapidjson::kStringType: {
        const char* s = v.GetString();
        SizeType n = v.GetStringLength();
        if (may_hold_nul && std::memchr(s, 0, n) != nullptr) {
          scratch.assign(s, n);
          std::replace(scratch.begin(), scratch.end(), '\0', '\x01');
          return handler.String(scratch.c_str(), n, true);
        }
        return handler.String(s, n, false);
      }
      case rapidjson::kNumberType:
        if (v.IsDouble()) return handler.Double(v.GetDouble());
        if (v.IsInt()) return handler.Int(v.GetInt());
        if (v.IsUint()) return handler.Uint(v.GetUint());
        if (v.IsInt64()) return handler.Int64(v.GetInt64());
        return handler.Uint64(v.GetUint64());
      case rapidjson::kObjectType:
        if (!handler.StartObject()) return false;
        stack.emplace_back(&v, 0);
        return true;
      case rapidjson::kArrayType:
        if (!handler.StartArray()) return false;
        stack.emplace_back(&v, 0);
        return true;
    }
    return false;
  };
  if (!open(root)) return false;
  while (!stack.empty()) {
    const Value& v = *stack.back().first;
    SizeType i = stack.back().second++;
    if (v.IsObject()) {
      if (i == v.MemberCount()) {
        stack.pop_back();
        if (!handler.EndObject(i)) return false;
        continue;
      }
      const auto& member = *(v.MemberBegin() + i);
      if (!handler.Key(member.name.GetString(), member.name.GetStringLength(), false)) return false;
      if (!open(member.value)) return false;
    } else {
      if (i == v.Size()) {
        stack.pop_back();
        if (!handler.EndArray(i)) return false;
        continue;
      }
      if (!open(v[i])) return false;
    }
  }
  return true;
}

}  // namespace

// ---- Per-thread compiled schemas ------------------------------------------------------------------

// A schema validator whose state comes from a memory pool (whose Free is a no-op).
using PooledValidator = rapidjson::GenericSchemaValidator<rapidjson::SchemaDocument,
                                                          rapidjson::BaseReaderHandler<rapidjson::UTF8<>, void>,
                                                          rapidjson::MemoryPoolAllocator<>>;

class SchemaStore::Compiled {
 public:
  std::vector<std::unique_ptr<rapidjson::SchemaDocument>> docs;  // parallel to sources_
  // Lean copies this thread knows are made (EnsureLean); with Checks::kLean only.
  std::vector<bool> lean_ready;
  // Validator state and walk state for Validate(); only the owning thread touches them.
  static constexpr size_t kPoolBuffer = size_t{64} << 10;
  std::unique_ptr<char[]> pool_buffer{new char[kPoolBuffer]};
  rapidjson::MemoryPoolAllocator<> pool{pool_buffer.get(), kPoolBuffer, kPoolBuffer};
  std::vector<std::pair<const Value*, SizeType>> stack;
  std::string scratch;
  // The FastSchema of each document, made by Fast() on first use; fast_tried marks those
  // attempted (null when it cannot help). fell_back is set when Doc() had to compile a lean
  // document from the full sources: the fast checks are then not used in this set.
  std::vector<std::unique_ptr<FastSchema>> fast;
  std::vector<bool> fast_tried;
  bool fell_back = false;
};

// Resolves cross-file $refs while one Compiled set is being built, compiling referenced files on
// demand. Records every request it cannot satisfy so that Compile() can fail instead of letting
// RapidJSON fall back to an always-valid schema.
class SchemaStore::RefProvider : public rapidjson::IRemoteSchemaDocumentProvider {
 public:
  RefProvider(const SchemaStore& store, Checks checks, Compiled& out)
      : store_(store), checks_(checks), out_(out), busy_(store.sources_.size()) {}

  const rapidjson::SchemaDocument* GetRemoteDocument(const char* uri, SizeType length) override {
    std::string_view asked(uri, length);
    int index = -1;
    for (size_t i = 0; i < store_.sources_.size(); ++i) {
      const std::string& name = store_.sources_[i].name;
      // Exact, or one character longer (RapidJSON 1.1.0 passes the name one character short).
      if (name == asked || (name.size() == asked.size() + 1 && std::string_view(name).substr(0, asked.size()) == asked)) {
        index = static_cast<int>(i);
        if (name == asked) break;
      }
    }
    if (index < 0) {
      failures_.push_back("no schema file matches \"" + std::string(asked) + "\"");
      return nullptr;
    }
    return Build(static_cast<size_t>(index));
  }

  const rapidjson::SchemaDocument* Build(size_t i) {
    if (out_.docs[i]) return out_.docs[i].get();
    if (busy_[i]) {
      failures_.push_back("circular $ref through " + store_.sources_[i].name);
      return nullptr;
    }
    busy_[i] = true;
    if (checks_ == Checks::kLean) store_.EnsureLean(i);
    const Source& source = store_.sources_[i];
    const rapidjson::Document& json = checks_ == Checks::kLean && source.lean ? *source.lean : source.json;
    out_.docs[i] = std::make_unique<rapidjson::SchemaDocument>(json, this);
    built_.push_back(i);
    busy_[i] = false;
    return out_.docs[i].get();
  }

  const std::vector<std::string>& failures() const { return failures_; }
  // The documents this provider compiled, in order.
  const std::vector<size_t>& built() const { return built_; }

 private:
  const SchemaStore& store_;
  Checks checks_;
  Compiled& out_;
  std::vector<bool> busy_;
  std::vector<std::string> failures_;
  std::vector<size_t> built_;
};

SchemaStore::SchemaStore() : serial_(g_next_serial.fetch_add(1)) {}
SchemaStore::~SchemaStore() = default;

Result<std::unique_ptr<SchemaStore::Compiled>> SchemaStore::Compile(Checks checks) const {
  auto compiled = std::make_unique<Compiled>();
  compiled->docs.resize(sources_.size());
  RefProvider provider(*this, checks, *compiled);
  for (size_t i = 0; i < sources_.size(); ++i) provider.Build(i);
  if (!provider.failures().empty()) {
    return Status::InvalidInput("cannot resolve cross-file $ref: " + provider.failures().front());
  }
  return compiled;
}

const SchemaStore::Compiled& SchemaStore::Local(Checks checks) const {
  struct Slot {
    uint64_t serial = 0;
    const Compiled* compiled = nullptr;
  };
  thread_local Slot slots[2];
  Slot& slot = slots[checks == Checks::kLean ? 1 : 0];
  if (slot.serial == serial_) return *slot.compiled;
  std::lock_guard<std::mutex> lock(mu_);
  std::unique_ptr<Compiled>& mine = (checks == Checks::kLean ? compiled_lean_ : compiled_)[std::this_thread::get_id()];
  if (!mine) {
    // Documents are compiled one by one on first use (Doc()), so a thread pays only for the
    // types it meets.
    mine = std::make_unique<Compiled>();
    mine->docs.resize(sources_.size());
    mine->lean_ready.resize(sources_.size());
  }
  slot.serial = serial_;
  slot.compiled = mine.get();
  return *mine;
}

const rapidjson::SchemaDocument& SchemaStore::Doc(const Compiled& compiled, Checks checks, size_t index) const {
  auto& local = const_cast<Compiled&>(compiled);  // per-thread state: only this thread touches it
  if (!local.docs[index]) {
    RefProvider provider(*this, checks, local);
    provider.Build(index);
    if (!provider.failures().empty()) {
      // The full schemas compiled at load time; the lean ones only drop keywords and copy $ref
      // targets, so they compile too. Should one not, the full one serves (same verdicts).
      for (size_t built : provider.built()) local.docs[built].reset();
      local.fell_back = true;
      RefProvider full(*this, Checks::kFull, local);
      full.Build(index);
    }
  }
  return *local.docs[index];
}

const FastSchema* SchemaStore::Fast(const Compiled& compiled, size_t index) const {
  auto& local = const_cast<Compiled&>(compiled);  // per-thread state: only this thread touches it
  if (local.fast_tried.empty()) {
    local.fast.resize(sources_.size());
    local.fast_tried.resize(sources_.size());
  }
  if (!local.fast_tried[index]) {
    local.fast_tried[index] = true;
    // The same documents RefProvider compiles for kLean: the lean copy of each file, if any.
    auto doc_of = [&](size_t i) -> const Value& {
      EnsureLean(i);
      return sources_[i].lean ? *sources_[i].lean : sources_[i].json;
    };
    FastSchema::Resolver resolve = [&](int file, std::string_view ref) -> std::pair<int, const Value*> {
      size_t hash = ref.find('#');
      std::string_view name = ref.substr(0, hash);
      std::string_view ptr = hash == std::string_view::npos ? std::string_view() : ref.substr(hash + 1);
      int target = name.empty() ? file : SourceIndex(name);
      if (target < 0) return {-1, nullptr};
      rapidjson::Pointer pointer(ptr.data(), ptr.size());
      if (!pointer.IsValid()) return {-1, nullptr};
      return {target, pointer.Get(doc_of(static_cast<size_t>(target)))};
    };
    auto fast =
        std::make_unique<FastSchema>(FastSchema::Compile(static_cast<int>(index), doc_of(index), resolve));
    // It must also test what the lean document leaves to its caller.
    if (fast->usable() && fast->AddCallerChecks(sources_[index].lean_checks)) local.fast[index] = std::move(fast);
  }
  return local.fell_back ? nullptr : local.fast[index].get();
}

void SchemaStore::EnsureLean(size_t index) const {
  std::lock_guard<std::mutex> lock(mu_);
  const Source& source = sources_[index];
  if (source.lean_made) return;
  std::vector<SchemaFile> files;
  files.reserve(sources_.size());
  for (const Source& s : sources_) files.push_back({s.name, s.type, &s.json});
  source.lean = LeanSchema(files, index, nullptr, &source.lean_checks);
  source.lean_made = true;
}

// ---- Loading -------------------------------------------------------------------------------------

Result<std::unique_ptr<SchemaStore>> SchemaStore::LoadEmbedded() {
  std::vector<std::pair<std::string, std::string_view>> files;
  for (const embedded::File& f : embedded::schemas()) files.emplace_back(std::string(f.name), f.data);
  return Load(files, "embedded:");
}

Result<std::unique_ptr<SchemaStore>> SchemaStore::LoadDirectory(const std::string& dir) {
  if (dir.empty() || dir == "-") return Status::InvalidArgument("schema directory must be a folder", dir);
  Result<std::vector<std::string>> paths = ExpandPaths({dir}, {".json"});
  if (!paths.ok()) return paths.status();
  std::vector<std::string> texts;
  std::vector<std::string> names;
  std::string prefix = dir;
  if (!prefix.empty() && prefix.back() != '/') prefix += '/';
  for (const std::string& path : *paths) {
    Result<std::string> text = ReadFile(path);
    if (!text.ok()) return text.status();
    texts.push_back(std::move(*text));
    names.push_back(path.rfind(prefix, 0) == 0 ? path.substr(prefix.size()) : path);
  }
  if (names.empty()) return Status::NotFound("no *.json schema files", dir);
  std::vector<std::pair<std::string, std::string_view>> files;
  for (size_t i = 0; i < names.size(); ++i) files.emplace_back(names[i], texts[i]);
  return Load(files, prefix);
}

Result<std::unique_ptr<SchemaStore>> SchemaStore::Load(
    const std::vector<std::pair<std::string, std::string_view>>& files, std::string_view origin) {
  auto display = [origin](const std::string& name) { return std::string(origin) + name; };
  std::unique_ptr<SchemaStore> store(new SchemaStore());
  for (const auto& [name, text] : files) {
    Source source;
    source.name = name;
    // Copy the text: the parsed document must not point into the caller's buffer.
    source.json.Parse(text.data(), text.size());
    if (source.json.HasParseError()) {
      size_t offset = source.json.GetErrorOffset();
      return Status::InvalidInput(std::string("malformed JSON: ") +
                                      rapidjson::GetParseError_En(source.json.GetParseError()),
                                  display(name) + ": byte " + std::to_string(offset) + " (" +
                                      LineColumn(text, offset) + ")");
    }
    if (!source.json.IsObject()) {
      return Status::InvalidInput("a schema file must hold a JSON object", display(name));
    }
    std::string_view base = name;
    bool top_level = base.find('/') == std::string_view::npos;
    if (top_level && Member(source.json, "properties") != nullptr && base.size() > 5 &&
        base.substr(base.size() - 5) == ".json") {
      source.type = std::string(base.substr(0, base.size() - 5));
    }
    store->sources_.push_back(std::move(source));
  }
  std::sort(store->sources_.begin(), store->sources_.end(),
            [](const Source& a, const Source& b) { return a.name < b.name; });
  for (size_t i = 1; i < store->sources_.size(); ++i) {
    if (store->sources_[i].name == store->sources_[i - 1].name) {
      return Status::InvalidInput("duplicate schema file", display(store->sources_[i].name));
    }
  }
  std::vector<std::pair<std::string_view, const Value*>> by_name;
  for (const Source& s : store->sources_) by_name.emplace_back(s.name, &s.json);
  for (size_t i = 0; i < store->sources_.size(); ++i) {
    const Source& s = store->sources_[i];
    PROSE2STIX_RETURN_IF_ERROR(SchemaChecker(by_name, s.name, display(s.name)).Check(s.json));
    if (!s.type.empty()) store->types_.emplace_back(s.type, static_cast<int>(i));
  }
  std::sort(store->types_.begin(), store->types_.end());
  for (const auto& [type, index] : store->types_) store->type_index_.emplace(type, index);
  // Compile once now: reports unresolvable refs at load time and serves the loading thread.
  Result<std::unique_ptr<Compiled>> compiled = store->Compile(Checks::kFull);
  if (!compiled.ok()) return compiled.status().WithContext(origin);
  store->compiled_[std::this_thread::get_id()] = std::move(*compiled);
  return store;
}

// ---- Lookup and validation -----------------------------------------------------------------------

int SchemaStore::SourceIndex(std::string_view name) const {
  auto it = std::lower_bound(sources_.begin(), sources_.end(), name,
                             [](const Source& s, std::string_view n) { return s.name < n; });
  if (it == sources_.end() || it->name != name) return -1;
  return static_cast<int>(it - sources_.begin());
}

int SchemaStore::TypeIndex(std::string_view type) const {
  auto it = type_index_.find(type);
  return it == type_index_.end() ? -1 : it->second;
}

const rapidjson::SchemaDocument* SchemaStore::ForType(std::string_view type) const {
  int index = TypeIndex(type);
  if (index < 0) return nullptr;
  return &Doc(Local(Checks::kFull), Checks::kFull, static_cast<size_t>(index));
}

std::vector<std::string> SchemaStore::Types() const {
  std::vector<std::string> out;
  for (const auto& t : types_) out.push_back(t.first);
  return out;
}

bool SchemaStore::Validate(const Value& object, std::string_view type, SchemaError* error, Checks checks,
                           bool may_hold_nul) const {
  int index = TypeIndex(type);
  if (index < 0) return true;
  const auto i = static_cast<size_t>(index);
  const Compiled* compiled = &Local(checks);
  // Most objects conform, and FastSchema proves that far more cheaply than RapidJSON's validator;
  // when it is unsure, RapidJSON gives the verdict and the error.
  if (checks == Checks::kLean) {
    auto& lean = const_cast<Compiled&>(*compiled);  // per-thread state: only this thread touches it
    if (!lean.lean_ready[i]) {
      EnsureLean(i);
      lean.lean_ready[i] = true;
    }
    // The lean FastSchema tests the caller checks too (FastSchema::AddCallerChecks).
    Doc(*compiled, checks, i);  // notes a lean document that would not compile (fell_back)
    if (const FastSchema* fast = Fast(*compiled, i); fast != nullptr && fast->Conforms(object)) return true;
    // The lean schemas leave a few checks to the caller (the millisecond precision of timestamps,
    // anyOfs of required properties); when one fails, the full schema gives the verdict and error.
    if (!CallerChecksHold(object, sources_[i].lean_checks)) {
      checks = Checks::kFull;
      compiled = &Local(checks);
    }
  }
  const rapidjson::SchemaDocument& doc = Doc(*compiled, checks, i);
  auto& local = const_cast<Compiled&>(*compiled);  // per-thread state: only this thread touches it
  bool valid = false;
  {
    PooledValidator validator(doc, &local.pool);
    valid = Emit(object, validator, local.stack, local.scratch, may_hold_nul) && validator.IsValid();
    if (!valid && error != nullptr) {
      rapidjson::StringBuffer sb;
      validator.GetInvalidDocumentPointer().Stringify(sb);
      const char* keyword = validator.GetInvalidSchemaKeyword();
      Describe(object, index, std::string(sb.GetString(), sb.GetSize()), keyword ? keyword : "", error);
    }
  }
  local.pool.Clear();  // the validator is gone: nothing points into the pool any more
  return valid;
}

// ---- Error descriptions ---------------------------------------------------------------------------

namespace {

struct Node {
  int source = -1;
  const Value* v = nullptr;
};

// Readable path of a pointer: "/external_references/0/source_name" -> "external_references[0].source_name".
std::string ReadablePath(const rapidjson::Pointer& p) {
  std::string out;
  for (size_t i = 0; i < p.GetTokenCount(); ++i) {
    const auto& t = p.GetTokens()[i];
    if (t.index != rapidjson::kPointerInvalidIndex) {
      out += "[" + std::to_string(t.index) + "]";
    } else {
      if (!out.empty()) out += '.';
      out.append(t.name, t.length);
    }
  }
  return out;
}

std::string TypePhrase(const Value* type) {
  auto one = [](std::string_view t) -> std::string {
    if (t == "object" || t == "array" || t == "integer") return "an " + std::string(t);
    return "a " + std::string(t);
  };
  if (type == nullptr) return "a valid value";
  if (type->IsString()) return one(View(*type));
  std::string out;
  if (type->IsArray()) {
    for (SizeType i = 0; i < type->Size(); ++i) {
      if (!(*type)[i].IsString()) continue;
      if (!out.empty()) out += " or ";
      out += one(View((*type)[i]));
    }
  }
  return out.empty() ? "a valid value" : out;
}

}  // namespace

void SchemaStore::Describe(const Value& object, int source, std::string pointer, std::string keyword,
                           SchemaError* error) const {
  // Follows $ref chains from `n` to the schema they name.
  auto resolve = [this](Node n) -> Node {
    for (int hops = 0; hops < kMaxRefHops && n.v != nullptr; ++hops) {
      const Value* ref = Member(*n.v, "$ref");
      if (ref == nullptr || !ref->IsString()) return n;
      std::string_view r = View(*ref);
      size_t hash = r.find('#');
      std::string_view file = r.substr(0, hash);
      std::string_view ptr = hash == std::string_view::npos ? std::string_view() : r.substr(hash + 1);
      if (!file.empty()) n.source = SourceIndex(file);
      if (n.source < 0) return Node{};
      n.v = rapidjson::Pointer(ptr.data(), ptr.size()).Get(sources_[static_cast<size_t>(n.source)].json);
    }
    return n;
  };
  // The sub-schema that applies to member or element `token` of a value described by `n`.
  std::function<Node(Node, const rapidjson::Pointer::Token&, int)> child =
      [&](Node n, const rapidjson::Pointer::Token& t, int depth) -> Node {
    n = resolve(n);
    if (n.v == nullptr || depth > 8) return Node{};
    std::string_view name(t.name, t.length);
    if (const Value* props = Member(*n.v, "properties")) {
      if (const Value* p = Member(*props, name)) return Node{n.source, p};
    }
    if (t.index != rapidjson::kPointerInvalidIndex) {
      if (const Value* items = Member(*n.v, "items"); items != nullptr && items->IsObject()) {
        return Node{n.source, items};
      }
    }
    for (const char* combinator : {"allOf", "anyOf", "oneOf"}) {
      const Value* branches = Member(*n.v, combinator);
      if (branches == nullptr || !branches->IsArray()) continue;
      for (SizeType i = 0; i < branches->Size(); ++i) {
        Node c = child(Node{n.source, &(*branches)[i]}, t, depth + 1);
        if (c.v != nullptr) return c;
      }
    }
    if (const Value* patterns = Member(*n.v, "patternProperties"); patterns != nullptr && patterns->IsObject()) {
      std::string key(name);  // the regex reads up to a NUL
      for (auto it = patterns->MemberBegin(); it != patterns->MemberEnd(); ++it) {
        rapidjson::internal::Regex regex(it->name.GetString());
        if (regex.IsValid() && regex.Search(key.c_str())) return Node{n.source, &it->value};
      }
    }
    if (const Value* extra = Member(*n.v, "additionalProperties"); extra != nullptr && extra->IsObject()) {
      return Node{n.source, extra};
    }
    return Node{};
  };
  auto description = [&](Node n) -> std::string {
    for (int i = 0; i < 2 && n.v != nullptr; ++i) {
      if (const Value* d = Member(*n.v, "description"); d != nullptr && d->IsString()) return std::string(View(*d));
      n = resolve(n);
    }
    return "";
  };

  rapidjson::Pointer doc_pointer(pointer.data(), pointer.size());
  Node node{source, &sources_[static_cast<size_t>(source)].json};
  for (size_t i = 0; i < doc_pointer.GetTokenCount() && node.v != nullptr; ++i) {
    node = child(node, doc_pointer.GetTokens()[i], 0);
  }
  Node schema = resolve(node);
  const Value* here = doc_pointer.Get(object);
  std::string path = ReadablePath(doc_pointer);
  std::string where = path.empty() ? "the object" : Quote(path);
  std::string desc = description(node);

  error->pointer = pointer;
  error->keyword = keyword;
  if (schema.v == nullptr) {
    error->message = where + " violates the schema keyword '" + keyword + "'";
    return;
  }
  const Value& s = *schema.v;
  std::string in = path.empty() ? "" : " in " + where;

  if (keyword == "required") {
    if (const Value* req = Member(s, "required"); req != nullptr && req->IsArray() && here != nullptr) {
      for (SizeType i = 0; i < req->Size(); ++i) {
        if (!(*req)[i].IsString() || Member(*here, View((*req)[i])) != nullptr) continue;
        error->pointer = pointer + "/" + EscapeToken(View((*req)[i]));
        error->message = "missing required property " + Quote(View((*req)[i])) + in;
        return;
      }
    }
    error->message = "a required property is missing" + in;
    return;
  }
  if (keyword == "dependencies") {
    if (const Value* deps = Member(s, "dependencies"); deps != nullptr && deps->IsObject() && here != nullptr) {
      for (auto d = deps->MemberBegin(); d != deps->MemberEnd(); ++d) {
        if (Member(*here, View(d->name)) == nullptr || !d->value.IsArray()) continue;
        std::string missing;
        for (SizeType i = 0; i < d->value.Size(); ++i) {
          if (!d->value[i].IsString() || Member(*here, View(d->value[i])) != nullptr) continue;
          missing += (missing.empty() ? "" : " and ") + Quote(View(d->value[i]));
        }
        if (missing.empty()) continue;
        error->pointer = pointer + "/" + EscapeToken(View(d->name));
        error->message = Quote(View(d->name)) + " requires " + missing + in;
        return;
      }
    }
  }
  bool combinator = keyword == "anyOf" || keyword == "oneOf" || keyword == "not" || keyword == "dependencies";
  if (path.empty() && combinator && !desc.empty()) {
    // Root descriptions of type schemas state the whole-object rule as a sentence.
    error->message = desc;
    return;
  }
  if (!path.empty() && !desc.empty()) {
    // Descriptions of properties and definitions complete "'<property>' must be ...".
    error->message = where + " must be " + desc;
    return;
  }
  auto number = [&](const char* name) -> std::string {
    const Value* v = Member(s, name);
    return v == nullptr ? "?" : JsonText(*v);
  };
  if (keyword == "type") {
    error->message = where + " must be " + TypePhrase(Member(s, "type"));
  } else if (keyword == "enum") {
    std::string values;
    if (const Value* e = Member(s, "enum"); e != nullptr && e->IsArray()) {
      for (SizeType i = 0; i < e->Size(); ++i) values += (i ? ", " : "") + JsonText((*e)[i]);
    }
    error->message = where + " must be one of: " + values;
  } else if (keyword == "pattern") {
    error->message = where + " must match the pattern " + number("pattern");
  } else if (keyword == "minLength") {
    error->message = where + " must have at least " + number("minLength") + " characters";
  } else if (keyword == "maxLength") {
    error->message = where + " must have at most " + number("maxLength") + " characters";
  } else if (keyword == "minItems") {
    error->message = where + " must have at least " + number("minItems") + " items";
  } else if (keyword == "maxItems") {
    error->message = where + " must have at most " + number("maxItems") + " items";
  } else if (keyword == "minProperties") {
    error->message = where + " must have at least " + number("minProperties") + " properties";
  } else if (keyword == "maxProperties") {
    error->message = where + " must have at most " + number("maxProperties") + " properties";
  } else if (keyword == "minimum") {
    error->message = where + " must be at least " + number("minimum");
  } else if (keyword == "maximum") {
    error->message = where + " must be at most " + number("maximum");
  } else if (keyword == "uniqueItems") {
    error->message = where + " must not repeat items";
  } else if (keyword == "additionalProperties") {
    error->message = where + " has a property its schema does not allow";
  } else {
    error->message = where + " does not satisfy the '" + keyword + "' rule of its schema";
  }
}

}  // namespace prose2stix::validate
