// prose2stix merge: unites STIX 2.1 bundles (from prose2stix or anyone else) into one bundle,
// deduplicating objects with stix::BundleMerger. Inputs are files, directories (their *.json
// files, recursively, in sorted order) or "-" for standard input; the result goes to standard
// output or, with -o, atomically to a file.
#include <string>
#include <vector>

#include "cli/args.h"
#include "cli/commands.h"
#include "prose2stix/stix/merge.h"
#include "prose2stix/stix/uuid.h"
#include "prose2stix/util/file.h"

namespace prose2stix::cli {

int RunMerge(int argc, char** argv, int first, std::ostream& out, std::ostream& err) {
  ArgParser parser("prose2stix merge",
                   "Merge STIX 2.1 bundles into one. Objects with the same id are merged (newest\n"
                   "'modified' wins; aliases, roles, sectors and goals are united; first_seen is the\n"
                   "earliest, last_seen the latest); relationships with the same type, source and\n"
                   "target are merged and their evidence descriptions gathered. Inputs may be\n"
                   "bundles, single objects or arrays of objects; directories are searched for\n"
                   "*.json files; '-' reads standard input.",
                   "INPUT...");
  bool pretty = false, compact = false;
  std::string output = "-", bundle_id;
  parser.Flag("pretty", 0, "indent the output by two spaces (the default)", &pretty);
  parser.Flag("compact", 0, "write the bundle on one line", &compact);
  parser.Option("output", 'o', "FILE", "write to FILE atomically instead of standard output", &output);
  parser.Option("id", 0, "BUNDLE_ID", "the merged bundle's id (default: derived from the object ids)", &bundle_id);
  if (int rc = parser.Parse(argc, argv, first, out, err); rc >= 0) return rc;
  if (pretty && compact) {
    err << "prose2stix merge: --pretty and --compact exclude each other\n";
    return 2;
  }
  if (parser.positional().empty()) {
    err << "prose2stix merge: no input given (see --help)\n";
    return 2;
  }
  if (!bundle_id.empty()) {
    std::string uuid = bundle_id.rfind("bundle--", 0) == 0 ? bundle_id.substr(8) : bundle_id;
    if (!stix::IsValidUuid(uuid)) {
      err << "prose2stix merge: bad value '" << bundle_id << "' for --id: not a bundle--<uuid> id\n";
      return 2;
    }
  }
  Result<std::vector<std::string>> paths = ExpandPaths(parser.positional(), {".json"});
  if (!paths.ok()) {
    err << "prose2stix merge: " << paths.status().ToString() << "\n";
    return 2;
  }
  stix::BundleMerger merger;
  for (const std::string& path : *paths) {
    Result<std::string> data = ReadFile(path);
    if (!data.ok()) {
      err << "prose2stix merge: " << data.status().ToString() << "\n";
      return 2;
    }
    if (Status s = merger.Add(*data, path == "-" ? "<stdin>" : path); !s.ok()) {
      err << "prose2stix merge: " << s.ToString() << "\n";
      return 1;
    }
  }
  std::string bundle = merger.Finish(!compact, bundle_id);
  bundle.push_back('\n');
  if (output == "-") {
    out << bundle;
    out.flush();
    if (!out) {
      err << "prose2stix merge: cannot write standard output\n";
      return 2;
    }
  } else if (Status s = WriteFileAtomic(output, bundle); !s.ok()) {
    err << "prose2stix merge: " << s.ToString() << "\n";
    return 2;
  }
  err << "prose2stix merge: " << merger.objects() << " objects from " << paths->size() << " input"
      << (paths->size() == 1 ? "" : "s") << (output == "-" ? "" : " written to " + output) << "\n";
  return 0;
}

}  // namespace prose2stix::cli
