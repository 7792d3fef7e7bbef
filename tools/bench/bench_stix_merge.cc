// Throughput of the stix/ core: deterministic ids, the JSON writer, and BundleMerger on
// synthetic bundles whose entities overlap (every bundle names actors and victims drawn from a
// shared pool, as a batch of advisories about the same campaigns does).
//
//   bench_stix_merge [BUNDLES [OBJECTS_PER_BUNDLE]]     (defaults 200 and 500)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "prose2stix/stix/identifier.h"
#include "prose2stix/stix/json_writer.h"
#include "prose2stix/stix/merge.h"
#include "prose2stix/stix/object.h"

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

prose2stix::stix::Bundle MakeBundle(int b, int n) {
  using namespace prose2stix::stix;
  Bundle bundle;
  bundle.id = "bundle--00000000-0000-4000-8000-" + std::to_string(100000000000 + b);
  std::string t = "2021-01-01T00:00:00.000Z";
  t[9] = static_cast<char>('0' + b % 10);
  for (int i = 0; i < n / 3; ++i) {
    int actor = (b * 7 + i * 13) % 2000, victim = (b * 11 + i * 17) % 5000;
    IntrusionSet is;
    is.name = "Group " + std::to_string(actor);
    is.common.id = IntrusionSetId(is.name);
    is.common.created = is.common.modified = t;
    is.aliases = {"Alias " + std::to_string(b % 5), "Alias " + std::to_string(actor)};
    Identity id;
    id.name = "Victim " + std::to_string(victim);
    id.identity_class = "organization";
    id.common.id = IdentityId(id.name, id.identity_class);
    id.common.created = id.common.modified = t;
    Relationship rel;
    rel.relationship_type = "targets";
    rel.source_ref = is.common.id;
    rel.target_ref = id.common.id;
    rel.common.id = RelationshipId(rel.relationship_type, rel.source_ref, rel.target_ref);
    rel.common.created = rel.common.modified = t;
    rel.description = "Bundle " + std::to_string(b) + " says " + is.name + " attacked " + id.name + ".";
    bundle.objects.push_back(std::move(is));
    bundle.objects.push_back(std::move(id));
    bundle.objects.push_back(std::move(rel));
  }
  return bundle;
}

}  // namespace

int main(int argc, char** argv) {
  int bundles = argc > 1 ? std::atoi(argv[1]) : 200;
  int per = argc > 2 ? std::atoi(argv[2]) : 500;

  auto start = Clock::now();
  size_t sink = 0;
  const int kIds = 200000;
  for (int i = 0; i < kIds; ++i) sink += prose2stix::stix::ThreatActorId("Actor " + std::to_string(i)).size();
  std::printf("ids:    %.0f ThreatActorId/s\n", kIds / Seconds(start));

  std::vector<std::string> inputs;
  size_t bytes = 0, objects = 0;
  start = Clock::now();
  for (int b = 0; b < bundles; ++b) {
    prose2stix::stix::Bundle bundle = MakeBundle(b, per);
    objects += bundle.objects.size();
    inputs.push_back(prose2stix::stix::WriteBundle(bundle, b % 2 == 0));
    bytes += inputs.back().size();
  }
  double build_write = Seconds(start);
  std::printf("write:  %zu objects, %.1f MB in %.2f s (build + ids + write: %.0f objects/s)\n", objects,
              static_cast<double>(bytes) / 1e6, build_write, static_cast<double>(objects) / build_write);

  start = Clock::now();
  prose2stix::stix::BundleMerger merger;
  for (size_t i = 0; i < inputs.size(); ++i) {
    prose2stix::Status s = merger.Add(inputs[i], "bundle " + std::to_string(i));
    if (!s.ok()) {
      std::fprintf(stderr, "%s\n", s.ToString().c_str());
      return 1;
    }
  }
  double add = Seconds(start);
  start = Clock::now();
  std::string out = merger.Finish(false);
  double finish = Seconds(start);
  std::printf("merge:  %zu -> %zu objects; Add %.2f s (%.1f MB/s), Finish %.2f s, output %.1f MB\n", objects,
              merger.objects(), add, static_cast<double>(bytes) / 1e6 / add, finish,
              static_cast<double>(out.size()) / 1e6);
  return sink == 0 ? 1 : 0;
}
