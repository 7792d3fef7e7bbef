#include <exception>
#include <iostream>

#include "cli/commands.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  try {
    return prose2stix::cli::Run(argc, argv, std::cout, std::cerr);
  } catch (const std::exception& e) {  // last resort: the library itself does not throw
    std::cerr << "prose2stix: internal error: " << e.what() << "\n";
    return 1;
  }
}
