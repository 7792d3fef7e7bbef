#include "cli/commands.h"

namespace prose2stix::cli {

// Placeholder until the validate command lands.
int RunValidate(int, char**, int, std::ostream&, std::ostream& err) {
  err << "prose2stix validate: not built yet\n";
  return 2;
}

}  // namespace prose2stix::cli
