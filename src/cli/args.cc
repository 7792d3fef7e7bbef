#include "cli/args.h"

#include <charconv>
#include <iomanip>

namespace prose2stix::cli {

ArgParser::ArgParser(std::string program, std::string summary, std::string positional_help)
    : program_(std::move(program)), summary_(std::move(summary)), positional_help_(std::move(positional_help)) {}

void ArgParser::Flag(const std::string& name, char short_name, const std::string& help, bool* out) {
  specs_.push_back(Spec{name, short_name, "", help, nullptr, out});
}

void ArgParser::Option(const std::string& name, char short_name, const std::string& metavar,
                       const std::string& help, std::string* out) {
  Custom(name, short_name, metavar, help, [out](const std::string& v) {
    *out = v;
    return std::string();
  });
}

void ArgParser::Multi(const std::string& name, char short_name, const std::string& metavar,
                      const std::string& help, std::vector<std::string>* out) {
  Custom(name, short_name, metavar, help, [out](const std::string& v) {
    out->push_back(v);
    return std::string();
  });
}

void ArgParser::Custom(const std::string& name, char short_name, const std::string& metavar,
                       const std::string& help, std::function<std::string(const std::string&)> apply) {
  specs_.push_back(Spec{name, short_name, metavar, help, std::move(apply), nullptr});
}

const ArgParser::Spec* ArgParser::FindLong(const std::string& name) const {
  for (const Spec& s : specs_)
    if (s.name == name) return &s;
  return nullptr;
}

const ArgParser::Spec* ArgParser::FindShort(char c) const {
  for (const Spec& s : specs_)
    if (c != 0 && s.short_name == c) return &s;
  return nullptr;
}

void ArgParser::PrintHelp(std::ostream& out) const {
  out << "Usage: " << program_ << " [OPTIONS] " << positional_help_ << "\n\n" << summary_ << "\n\nOptions:\n";
  for (const Spec& s : specs_) {
    std::string left = "  ";
    left += s.short_name ? std::string("-") + s.short_name + ", " : std::string("    ");
    left += "--" + s.name;
    if (!s.metavar.empty()) left += " " + s.metavar;
    out << std::left << std::setw(30) << left;
    if (left.size() >= 30) out << "\n" << std::string(30, ' ');
    out << s.help << "\n";
  }
  out << std::left << std::setw(30) << "  -h, --help" << "show this help and exit\n";
}

int ArgParser::Parse(int argc, char** argv, int first, std::ostream& out, std::ostream& err) {
  bool options_done = false;
  for (int i = first; i < argc; ++i) {
    std::string a = argv[i];
    if (options_done || a == "-" || a.empty() || a[0] != '-') {
      positional_.push_back(a);
      continue;
    }
    if (a == "--") {
      options_done = true;
      continue;
    }
    if (a == "-h" || a == "--help") {
      PrintHelp(out);
      return 0;
    }
    const Spec* spec = nullptr;
    std::string value;
    bool has_value = false;
    std::string shown = a;
    if (a.rfind("--", 0) == 0) {
      std::string name = a.substr(2);
      size_t eq = name.find('=');
      if (eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
        has_value = true;
        shown = "--" + name;
      }
      spec = FindLong(name);
    } else if (a.size() == 2) {
      spec = FindShort(a[1]);
    }
    if (spec == nullptr) {
      err << program_ << ": unknown option '" << shown << "' (see --help)\n";
      return 2;
    }
    if (spec->flag != nullptr) {
      if (has_value) {
        err << program_ << ": option '" << shown << "' takes no value\n";
        return 2;
      }
      *spec->flag = true;
      continue;
    }
    if (!has_value) {
      if (i + 1 >= argc) {
        err << program_ << ": option '" << shown << "' needs a value (" << spec->metavar << ")\n";
        return 2;
      }
      value = argv[++i];
    }
    std::string problem = spec->apply(value);
    if (!problem.empty()) {
      err << program_ << ": bad value '" << value << "' for " << shown << ": " << problem << "\n";
      return 2;
    }
  }
  return -1;
}

bool ParseInt(const std::string& s, long lo, long hi, long* out) {
  long v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v < lo || v > hi) return false;
  *out = v;
  return true;
}

}  // namespace prose2stix::cli
