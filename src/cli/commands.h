// The subcommands of the prose2stix tool. Each takes the full argv with argv[first] being the
// first argument after the subcommand name, writes results to `out` and messages to `err`, and
// returns the process exit code: 0 success, 1 invalid input or failed conversion, 2 usage error
// or unreadable input.
#ifndef PROSE2STIX_CLI_COMMANDS_H_
#define PROSE2STIX_CLI_COMMANDS_H_

#include <ostream>

namespace prose2stix::cli {

int RunValidate(int argc, char** argv, int first, std::ostream& out, std::ostream& err);
int RunConvert(int argc, char** argv, int first, std::ostream& out, std::ostream& err);
int RunMerge(int argc, char** argv, int first, std::ostream& out, std::ostream& err);

// Dispatches argv[1] to a subcommand; handles --help and --version.
int Run(int argc, char** argv, std::ostream& out, std::ostream& err);

}  // namespace prose2stix::cli

#endif  // PROSE2STIX_CLI_COMMANDS_H_
