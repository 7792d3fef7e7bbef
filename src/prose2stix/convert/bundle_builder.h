// BundleBuilder: turns analysed documents into one STIX 2.1 bundle.
//
// Entities become threat-actor (or intrusion-set), identity and location objects with the
// OpenCTI-compatible deterministic ids, so the same entity from two documents has one id;
// relations become relationship objects whose description is the supporting sentence(s), typed
// only as the STIX spec recommends for the source and target types (else related-to); each
// document becomes one report whose object_refs list everything else in the bundle.
#ifndef PROSE2STIX_CONVERT_BUNDLE_BUILDER_H_
#define PROSE2STIX_CONVERT_BUNDLE_BUILDER_H_

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "prose2stix/convert/options.h"
#include "prose2stix/extract/mention.h"
#include "prose2stix/ingest/document.h"
#include "prose2stix/stix/object.h"
#include "prose2stix/util/status.h"

namespace prose2stix::convert {

class BundleBuilder {
 public:
  // `options` must outlive the builder. Fails when the TLP level or fixed time is invalid.
  static Result<BundleBuilder> Create(const ConvertOptions& options);

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
  explicit BundleBuilder(const ConvertOptions& options) : options_(&options) {}
  stix::Common MakeCommon(std::string id) const;
  // Both return the position in objects_ of the object added or merged into.
  size_t EntityObject(const extract::Entity& e);
  size_t AddObject(stix::Object object);

  const ConvertOptions* options_;
  std::string now_;
  stix::MarkingDefinition marking_;
  stix::Identity author_;
  std::vector<stix::Object> objects_;       // entities and relationships, in first-seen order
  std::unordered_map<std::string, size_t> index_;  // id -> position in objects_
  std::vector<stix::Report> reports_;
};

}  // namespace prose2stix::convert

#endif  // PROSE2STIX_CONVERT_BUNDLE_BUILDER_H_
