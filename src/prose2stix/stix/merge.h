// Merging STIX 2.1 bundles from any producer into one, deduplicating objects.
//
//   BundleMerger merger;
//   for (const auto& [name, json] : inputs) {
//     if (Status s = merger.Add(json, name); !s.ok()) return s;   // names the input
//   }
//   std::string bundle = merger.Finish(/*pretty=*/true);
//
// Rules, applied as objects arrive (so the result does not depend on how inputs are grouped):
//  - Objects are the same when their ids are equal; relationships are also the same when their
//    (relationship_type, source_ref, target_ref) are equal, whatever their ids. A relationship
//    merged under another id leaves an alias: every "*_ref" / "*_refs" value naming the dropped
//    id (e.g. a report's object_refs) is rewritten to the kept id when the bundle is written.
//  - For the same object the version with the newest `modified` (else `created`) wins whole; on
//    a tie the one seen first stays. Then, whichever won:
//      * aliases, x_opencti_aliases, roles, sectors, threat_actor_types, goals (any type but
//        relationship, report, marking-definition) are united, sorted and unique;
//      * first_seen / start_time take the earliest value, last_seen / stop_time the latest;
//      * `created` takes the earliest value (the object existed since then);
//      * external_references are united by (source_name, url, external_id), first seen first;
//      * object_marking_refs are united (keeping every marking is the cautious choice);
//      * relationships keep the relationship_type, source_ref and target_ref first seen, and
//        gather their descriptions (evidence sentences): the lines of both,
//        unique, first seen first, joined with "\n"; confidence is the maximum;
//      * reports unite object_refs (first seen first); one report per id;
//      * marking definitions are immutable: the first one stays.
//  - Output order is the order of first appearance. The bundle id is the one given to Finish,
//    or "bundle--" + uuid5 over the sorted ids of the merged objects.
// An input may be a bundle, a single STIX object, or a JSON array of objects. Every object must
// be a JSON object with string "type" and "id". A malformed input is rejected whole (nothing of
// it is kept) with a Status naming it and the place: byte offset, line and column for JSON
// syntax errors, a JSON pointer for structural ones. Nesting deeper than kMaxDepth is refused.
//
// A BundleMerger is not thread-safe; Add() calls must be serialized (the batch mode feeds it
// from one thread). Memory: all merged objects are held in one RapidJSON document.
#ifndef PROSE2STIX_STIX_MERGE_H_
#define PROSE2STIX_STIX_MERGE_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "prose2stix/util/status.h"

namespace prose2stix::stix {

class BundleMerger {
 public:
  // Deepest array/object nesting accepted in an input.
  static constexpr int kMaxDepth = 128;

  BundleMerger();
  ~BundleMerger();
  BundleMerger(const BundleMerger&) = delete;
  BundleMerger& operator=(const BundleMerger&) = delete;

  // Merges the objects of `json`; `name` (a file name, "-" for stdin) is used in errors.
  Status Add(std::string_view json, std::string_view name);

  // The number of distinct objects merged so far.
  size_t objects() const;

  // The merged bundle (two-space indentation when `pretty`, else one line). `bundle_id` may be
  // "bundle--<uuid>" or a bare UUID; empty derives it from the object ids. The merger can keep
  // accepting inputs afterwards.
  std::string Finish(bool pretty, std::string_view bundle_id = "");

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace prose2stix::stix

#endif  // PROSE2STIX_STIX_MERGE_H_
