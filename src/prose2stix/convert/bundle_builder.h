// BundleBuilder: turns analysed documents into one STIX 2.1 bundle.
//
// Entities become threat-actor (or intrusion-set), identity and location objects with the
// OpenCTI-compatible deterministic ids, so the same entity from two documents has one id;
// relations become relationship objects whose description is the supporting sentence(s), typed
// only as the STIX spec recommends for the source and target types (else related-to); each
// document becomes one report whose object_refs list everything else in the bundle.
//
// BundleDefaults holds what depends only on the options (the TLP marking, the author's id, the
// normalised --fixed-time and --published); a Converter derives it once and starts a builder from
// it for every conversion, so that a conversion does not check the options and hash the author's
// name again.
#ifndef PROSE2STIX_CONVERT_BUNDLE_BUILDER_H_
#define PROSE2STIX_CONVERT_BUNDLE_BUILDER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "prose2stix/convert/options.h"
#include "prose2stix/extract/mention.h"
#include "prose2stix/ingest/document.h"
#include "prose2stix/stix/object.h"
#include "prose2stix/util/status.h"

namespace prose2stix::convert {

// The option-derived parts of every bundle. Immutable after Create; safe to share between threads.
// `options` must outlive it.
struct BundleDefaults {
  // Fails when the TLP level, the fixed time or the publication date is invalid, or the author
  // name is empty.
  static Result<BundleDefaults> Create(const ConvertOptions& options);

  const ConvertOptions* options = nullptr;
  stix::MarkingDefinition marking;
  std::string author_id;  // identity--… of options->author
  std::string fixed_now;  // normalised --fixed-time; empty: read the clock per conversion
  std::string published;  // normalised --published; empty when not given
};

class BundleBuilder {
 public:
  // `options` must outlive the builder. Fails when the TLP level or fixed time is invalid.
  static Result<BundleBuilder> Create(const ConvertOptions& options);
  // A builder for one conversion from checked defaults (which, with their options, must outlive
  // it): created/modified are `defaults.fixed_now`, else the clock read now.
  explicit BundleBuilder(const BundleDefaults& defaults);
  // A builder that owns its defaults (what Create(options) returns).
  explicit BundleBuilder(BundleDefaults&& defaults);
  // Movable: owned defaults live on the heap, so defaults_ stays valid when the builder moves.
  BundleBuilder(BundleBuilder&&) noexcept = default;
  BundleBuilder& operator=(BundleBuilder&&) noexcept = default;
  BundleBuilder(const BundleBuilder&) = delete;
  BundleBuilder& operator=(const BundleBuilder&) = delete;
  ~BundleBuilder() = default;

  // Adds one document's entities, relations and report. Objects already present (same id) are
  // merged: aliases and roles united, the earliest first_seen kept, evidence sentences gathered.
  void Add(const ingest::Document& document, const extract::Analysis& analysis);

  // The bundle so far: marking, author, entities, relationships, reports. Its id is derived from
  // the object ids, so equal content gives an equal bundle.
  stix::Bundle Build() const&;
  // The same, moving the objects out (no copies); the builder is left with no documents.
  stix::Bundle Build() &&;

  const std::string& timestamp() const { return now_; }

 private:
  // Positions in objects_ by object id: open addressing over (hash, position) slots. The ids are
  // read from objects_ when probing, so no key is copied.
  class IdIndex {
   public:
    // The position of the object whose id is `id`, or kAbsent.
    static constexpr size_t kAbsent = SIZE_MAX;
    size_t Find(std::string_view id, uint64_t hash, const std::vector<stix::Object>& objects) const;
    // Records that objects[pos] has an id (not yet in the index) of hash `hash`.
    void Insert(uint64_t hash, size_t pos);
    void Clear();

   private:
    struct Slot {
      uint64_t hash = 0;
      size_t pos = kAbsent;
    };
    std::vector<Slot> slots_;  // size a power of two (or zero); at most half full
    size_t used_ = 0;
  };

  void Init();
  const ConvertOptions& options() const { return *defaults_->options; }
  // The author identity (created and modified now_).
  stix::Identity Author() const;
  // Sets the properties every object of the builder shares (id given; created, modified,
  // created_by_ref, the marking) in `*c`.
  void FillCommon(stix::Common* c, std::string id) const;
  // The position in objects_ of the entity's object, added or merged into.
  size_t EntityObject(const extract::Entity& e);
  // Merges `object` into objects_[at], which has the same id.
  void MergeInto(size_t at, const stix::Object& object);

  std::unique_ptr<const BundleDefaults> owned_;  // when constructed from options alone
  const BundleDefaults* defaults_;               // owned_ or the caller's
  std::string now_;
  // Slots 0 and 1 hold the marking and the author, written there by Build(); then entities and
  // relationships in first-seen order.
  std::vector<stix::Object> objects_;
  IdIndex index_;  // entities and relationships (not the marking or the author)
  std::vector<stix::Report> reports_;
};

}  // namespace prose2stix::convert

#endif  // PROSE2STIX_CONVERT_BUNDLE_BUILDER_H_
