#include "cli/commands.h"

namespace prose2stix::cli {

// Placeholder until the convert command lands.
int RunConvert(int, char**, int, std::ostream&, std::ostream& err) {
  err << "prose2stix convert: not built yet\n";
  return 2;
}

}  // namespace prose2stix::cli
