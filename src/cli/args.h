// A small declarative command-line parser shared by every subcommand.
//
//   ArgParser p("prose2stix validate", "Check STIX 2.1 bundles.", "PATH...");
//   bool strict = false;
//   p.Flag("strict", 0, "treat warnings as errors", &strict);
//   std::string format = "text";
//   p.Option("format", 0, "FMT", "text or json", &format);
//   if (int rc = p.Parse(argc, argv, out, err); rc >= 0) return rc;   // --help or a usage error
//
// Long options take "--name VALUE" or "--name=VALUE"; a short alias "-x VALUE" when given.
// "--" ends options; a lone "-" is a positional (standard input).
#ifndef PROSE2STIX_CLI_ARGS_H_
#define PROSE2STIX_CLI_ARGS_H_

#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace prose2stix::cli {

class ArgParser {
 public:
  ArgParser(std::string program, std::string summary, std::string positional_help);

  // A boolean switch; sets *out to true when present.
  void Flag(const std::string& name, char short_name, const std::string& help, bool* out);
  // An option with a value; the last occurrence wins.
  void Option(const std::string& name, char short_name, const std::string& metavar,
              const std::string& help, std::string* out);
  // An option that may repeat; every value is appended.
  void Multi(const std::string& name, char short_name, const std::string& metavar,
             const std::string& help, std::vector<std::string>* out);
  // An option whose value is checked by `apply`, which returns an error message or "".
  void Custom(const std::string& name, char short_name, const std::string& metavar,
              const std::string& help, std::function<std::string(const std::string&)> apply);

  // Parses argv[first..argc). Returns -1 to go on, 0 after printing --help to `out`, or 2 after
  // printing a usage error to `err`.
  int Parse(int argc, char** argv, int first, std::ostream& out, std::ostream& err);

  const std::vector<std::string>& positional() const { return positional_; }
  void PrintHelp(std::ostream& out) const;

 private:
  struct Spec {
    std::string name;
    char short_name;
    std::string metavar;  // empty for flags
    std::string help;
    std::function<std::string(const std::string&)> apply;  // value options
    bool* flag = nullptr;                                   // switches
  };
  const Spec* FindLong(const std::string& name) const;
  const Spec* FindShort(char c) const;

  std::string program_, summary_, positional_help_;
  std::vector<Spec> specs_;
  std::vector<std::string> positional_;
};

// Parses a non-negative integer in [lo, hi]; returns false on junk or overflow.
bool ParseInt(const std::string& s, long lo, long hi, long* out);

}  // namespace prose2stix::cli

#endif  // PROSE2STIX_CLI_ARGS_H_
