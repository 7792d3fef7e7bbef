#include <string>

#include "cli/commands.h"

namespace prose2stix::cli {

namespace {

void PrintUsage(std::ostream& out) {
  out << "Usage: prose2stix COMMAND [OPTIONS] ...\n\n"
         "Turns prose threat advisories and news reports into STIX 2.1 bundles, and validates\n"
         "STIX 2.1 bundles written by anyone.\n\n"
         "Commands:\n"
         "  convert    text, Markdown, HTML, PDF, RSS/Atom or NDJSON -> validated STIX 2.1 bundle(s)\n"
         "  validate   check STIX 2.1 bundles against the bundled schemas and the spec's rules\n"
         "  merge      merge bundles into one, deduplicating objects by id\n\n"
         "Options:\n"
         "  -h, --help     show this help and exit\n"
         "  --version      print the version and exit\n\n"
         "Run 'prose2stix COMMAND --help' for a command's options.\n";
}

}  // namespace

int Run(int argc, char** argv, std::ostream& out, std::ostream& err) {
  if (argc < 2) {
    PrintUsage(err);
    return 2;
  }
  std::string cmd = argv[1];
  if (cmd == "-h" || cmd == "--help" || cmd == "help") {
    PrintUsage(out);
    return 0;
  }
  if (cmd == "--version" || cmd == "version") {
    out << "prose2stix " << PROSE2STIX_VERSION << "\n";
    return 0;
  }
  if (cmd == "validate") return RunValidate(argc, argv, 2, out, err);
  if (cmd == "convert") return RunConvert(argc, argv, 2, out, err);
  if (cmd == "merge") return RunMerge(argc, argv, 2, out, err);
  err << "prose2stix: unknown command '" << cmd << "' (see prose2stix --help)\n";
  return 2;
}

}  // namespace prose2stix::cli
