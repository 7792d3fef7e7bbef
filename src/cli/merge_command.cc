#include "cli/commands.h"

namespace prose2stix::cli {

// Placeholder until the merge command lands.
int RunMerge(int, char**, int, std::ostream&, std::ostream& err) {
  err << "prose2stix merge: not built yet\n";
  return 2;
}

}  // namespace prose2stix::cli
