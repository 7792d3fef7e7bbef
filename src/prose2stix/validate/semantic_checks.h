// The STIX 2.1 rules a JSON schema cannot state: identifier syntax and UUIDs, calendar-valid
// timestamps and their order, the types that *_ref(s) properties may point at, granular-marking
// selectors, STIX patterns, observed-data embedded references, open vocabularies, recommended
// relationship types, custom-name conventions, and the cross-object rules of a bundle (duplicate
// ids, references that must resolve).
//
// Usage, per document:
//   CheckFilter filter = *CheckFilter::Make(enable, disable);
//   std::vector<Diagnostic> out;
//   Reporter reporter(&filter, strict, &out);
//   DocumentState state(enforce_refs);
//   for each object: CheckObject(object, "/objects/3", has_schema, &state, &reporter);
//   state.Finish(&reporter);
// A CheckFilter is immutable and may be shared by threads; Reporter and DocumentState belong to
// one document (one thread).
#ifndef PROSE2STIX_VALIDATE_SEMANTIC_CHECKS_H_
#define PROSE2STIX_VALIDATE_SEMANTIC_CHECKS_H_

#include <rapidjson/document.h>

#include <bitset>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "prose2stix/util/result.h"
#include "prose2stix/validate/diagnostic.h"

namespace prose2stix::validate {

// Which SHOULD checks run, from stix2-validator style enable/disable lists: a code (213), a
// group (1 = every 1xx check, 2 = 2xx, 3 = 3xx, 4 = 4xx) or 210 (every vocabulary check).
// With an enable list only the listed checks run (enabling wins over disabling); otherwise every
// check runs except the disabled ones. MUST checks (codes below 100) always run.
class CheckFilter {
 public:
  CheckFilter();  // everything enabled
  // Fails with kInvalidArgument naming an unknown code, or a MUST code (which cannot be toggled).
  static Result<CheckFilter> Make(const std::vector<int>& enable, const std::vector<int>& disable);
  bool Enabled(int code) const { return code >= 0 && code < 1000 && enabled_[static_cast<size_t>(code)]; }

 private:
  std::bitset<1000> enabled_;
};

// Collects diagnostics, dropping disabled checks and turning warnings into errors when strict.
class Reporter {
 public:
  Reporter(const CheckFilter* filter, bool strict, std::vector<Diagnostic>* out)
      : filter_(filter), strict_(strict), out_(out) {}

  bool Enabled(int code) const { return filter_->Enabled(code); }
  // Adds a diagnostic with the code's default severity (error below 100, warning above).
  void Add(int code, std::string_view object_id, std::string pointer, std::string message);
  // Adds a diagnostic with an explicit severity (a pattern warning under a MUST code).
  void Add(Severity severity, int code, std::string_view object_id, std::string pointer, std::string message);
  // True when an error was added at exactly `pointer` since diagnostic index `since`.
  bool HasErrorAt(std::string_view pointer, size_t since) const;
  // True when any error was added since diagnostic index `since`.
  bool HasErrorSince(size_t since) const;
  size_t size() const { return out_->size(); }

 private:
  const CheckFilter* filter_;
  bool strict_;
  std::vector<Diagnostic>* out_;
};

// Cross-object state of one document: (id, modified) pairs seen, for duplicate-ids (203), and,
// with enforce_refs, the ids seen and the references still unresolved. Memory is 11 to 21 bytes
// per object (64-bit hashes in an open-addressing table at most 75% full), plus the references
// that point forward to objects not seen yet.
class DocumentState {
 public:
  explicit DocumentState(bool enforce_refs) : enforce_refs_(enforce_refs) {}

  bool enforce_refs() const { return enforce_refs_; }
  // Records an object; returns false when the same (id, modified) was recorded before.
  bool AddObject(std::string_view id, std::string_view modified);
  // True with enforce_refs when no object with id `ref` has been recorded yet.
  bool IsUnresolved(std::string_view ref) const;
  // Records a reference made by `object_id` at `pointer`, to be resolved by later objects (only
  // with enforce_refs).
  void AddReference(std::string_view ref, std::string_view object_id, std::string_view pointer);
  // Reports references to ids that never appeared (020).
  void Finish(Reporter* reporter);

 private:
  struct Pending {
    std::string ref, object_id, pointer;
  };
  // An open-addressing set of 64-bit hashes (0 marks an empty slot).
  class HashSet {
   public:
    bool Insert(uint64_t h);  // false when present
    bool Contains(uint64_t h) const;

   private:
    std::vector<uint64_t> slots_;
    size_t size_ = 0;
  };
  bool enforce_refs_;
  HashSet versions_;  // hash of id + modified
  HashSet ids_;       // hash of id (enforce_refs only)
  std::vector<Pending> pending_;
};

// Runs every semantic check on `object`, a member of the document at JSON pointer `pointer`
// ("" for a lone object, "/objects/3" in a bundle). `object` need not be an object: anything
// else is reported (002). `has_schema` says whether a JSON schema covers the object's type; when
// none does, the required common properties are checked here (017).
void CheckObject(const rapidjson::Value& object, std::string_view pointer, bool has_schema,
                 DocumentState* state, Reporter* reporter);

// Building blocks, exposed for tests.
// Appends "/" + `token` escaped per RFC 6901 ("~" -> "~0", "/" -> "~1").
void AppendPointer(std::string* pointer, std::string_view token);
// True for a STIX 2.1 timestamp "YYYY-MM-DDTHH:MM:SS[.fraction]Z" naming a real calendar time.
// On failure *why (when given) says what is wrong.
bool ParseTimestamp(std::string_view text, int64_t* seconds, uint32_t* nanos, std::string* why);
// Checks "<type>--<uuid>": on success sets *type and *uuid_version; on failure *why says why.
bool ParseIdentifier(std::string_view id, std::string_view* type, int* uuid_version, std::string* why);
// Checks a type name: a-z, 0-9 and '-', 3 to 250 characters, starting with a letter, no "--".
// Linear in the length. On failure *why says why.
bool CheckTypeName(std::string_view type, std::string* why);
// True when CheckObject() parses the top-level property `prop` of a `type` object as a timestamp
// (an error, 013, when it is a string ParseTimestamp() rejects).
bool IsTimestampProperty(std::string_view type, std::string_view prop);
// The targets CheckObject() allows for the reference property `prop` of `owner` (the object type,
// or the extension name inside "extensions"): type names separated by spaces, or a class (@any,
// @sdo, @sco, @sdo-sco, @sco-sro); "" when `prop` is not a reference property the spec defines
// (then a malformed value is only a warning).
std::string_view ReferenceTargets(std::string_view owner, std::string_view prop);

}  // namespace prose2stix::validate

#endif  // PROSE2STIX_VALIDATE_SEMANTIC_CHECKS_H_
