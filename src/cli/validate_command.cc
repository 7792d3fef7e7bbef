// `prose2stix validate`: validates files, directories (every *.json below them) and standard
// input, printing one line per diagnostic and a summary per input (or one JSON document).
// Exit status: 0 every input valid (warnings allowed), 1 some input invalid, 2 an input could not
// be read or the command line is wrong.
#include <rapidjson/ostreamwrapper.h>
#include <rapidjson/prettywriter.h>

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "cli/args.h"
#include "cli/commands.h"
#include "prose2stix/util/file.h"
#include "prose2stix/validate/diagnostic.h"
#include "prose2stix/validate/validator.h"

namespace prose2stix::cli {

namespace {

using validate::Diagnostic;
using validate::Severity;
using validate::ValidationReport;

// Parses "101,213" into codes, appending to *out; returns an error message or "".
std::string ParseCodes(const std::string& text, std::vector<int>* out) {
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find(',', pos);
    if (end == std::string::npos) end = text.size();
    std::string item = text.substr(pos, end - pos);
    while (!item.empty() && item.front() == ' ') item.erase(item.begin());
    while (!item.empty() && item.back() == ' ') item.pop_back();
    long code = 0;
    if (!ParseInt(item, 0, 999, &code)) return "expected comma-separated check codes such as 101,213";
    out->push_back(static_cast<int>(code));
    pos = end + 1;
  }
  return "";
}

void PrintChecks(std::ostream& out) {
  out << "Checks (MUST checks are errors and always run; SHOULD checks are warnings, codes as in the\n"
         "OASIS stix2-validator; --enable/--disable take codes or groups: 1 = all 1xx, 2 = all 2xx,\n"
         "3 = all 3xx, 4 = all 4xx, 210 = every vocabulary check):\n\n";
  for (const validate::CheckInfo& c : validate::AllChecks()) {
    std::string name(c.name);
    out << "  " << validate::FormatCode(c.code) << "  "
        << (c.severity == Severity::kError ? "MUST  " : "SHOULD") << "  " << name
        << std::string(name.size() < 28 ? 28 - name.size() : 1, ' ') << c.description << "\n";
  }
}

std::string FormatDiagnostic(const std::string& name, const Diagnostic& d) {
  std::string line = name + ": " + std::string(validate::SeverityName(d.severity)) + "[" +
                     validate::FormatCode(d.code) + "]";
  if (!d.object_id.empty()) line += " " + d.object_id;
  line += ": ";
  if (!d.pointer.empty()) line += d.pointer + ": ";
  line += d.message;
  return line;
}

std::string Summary(const ValidationReport& r) {
  std::string s = r.name + ": ";
  if (r.read_error) {
    s += "UNREADABLE";
  } else {
    s += r.valid() ? "valid" : "INVALID";
    if (r.parse_error) s += " (malformed JSON)";
  }
  s += " - " + std::to_string(r.objects) + (r.objects == 1 ? " object, " : " objects, ") +
       std::to_string(r.errors()) + (r.errors() == 1 ? " error, " : " errors, ") +
       std::to_string(r.warnings()) + (r.warnings() == 1 ? " warning" : " warnings");
  return s;
}

// Writes one JSON document incrementally: diagnostics are written as they are found, so memory
// does not grow with their number.
class JsonOutput {
 public:
  explicit JsonOutput(std::ostream& out) : os_(out), w_(os_) {
    w_.SetIndent(' ', 2);
    w_.StartObject();
    w_.Key("files");
    w_.StartArray();
  }
  void BeginFile(const std::string& name) {
    w_.StartObject();
    w_.Key("name");
    w_.String(name);
    w_.Key("diagnostics");
    w_.StartArray();
  }
  void Add(const Diagnostic& d) {
    w_.StartObject();
    w_.Key("severity");
    w_.String(std::string(validate::SeverityName(d.severity)));
    w_.Key("code");
    w_.Int(d.code);
    w_.Key("object_id");
    w_.String(d.object_id);
    w_.Key("pointer");
    w_.String(d.pointer);
    w_.Key("message");
    w_.String(d.message);
    w_.EndObject();
  }
  void EndFile(const ValidationReport& r) {
    w_.EndArray();
    w_.Key("valid");
    w_.Bool(r.valid());
    w_.Key("objects");
    w_.Uint64(r.objects);
    w_.Key("errors");
    w_.Uint64(r.errors());
    w_.Key("warnings");
    w_.Uint64(r.warnings());
    w_.Key("parse_error");
    w_.Bool(r.parse_error);
    w_.Key("read_error");
    w_.Bool(r.read_error);
    w_.EndObject();
  }
  void Finish(bool all_valid) {
    w_.EndArray();
    w_.Key("valid");
    w_.Bool(all_valid);
    w_.EndObject();
    os_.Flush();
  }

 private:
  rapidjson::OStreamWrapper os_;
  rapidjson::PrettyWriter<rapidjson::OStreamWrapper> w_;
};

}  // namespace

int RunValidate(int argc, char** argv, int first, std::ostream& out, std::ostream& err) {
  ArgParser p("prose2stix validate",
              "Check STIX 2.1 bundles, objects or arrays of objects against the STIX 2.1 JSON schemas and\n"
              "the specification's rules. MUST rules are errors; SHOULD rules are warnings. PATH may be\n"
              "a file, a directory (every *.json below it) or - for standard input.\n"
              "Exit status: 0 all valid (warnings allowed), 1 some input invalid, 2 unreadable input or\n"
              "usage error. See --list-checks for the check codes.",
              "PATH...");
  validate::ValidatorOptions options;
  bool quiet = false, list_checks = false;
  std::string format = "text";
  p.Flag("strict", 0, "treat warnings (SHOULD checks) as errors", &options.strict);
  p.Flag("enforce-refs", 0, "every referenced id must be an object of the same input", &options.enforce_refs);
  p.Custom("enable", 0, "CODES", "run only these SHOULD checks (comma-separated codes or groups; repeatable)",
           [&](const std::string& v) { return ParseCodes(v, &options.enable); });
  p.Custom("disable", 0, "CODES", "skip these SHOULD checks (comma-separated codes or groups; repeatable)",
           [&](const std::string& v) { return ParseCodes(v, &options.disable); });
  p.Option("schemas", 0, "DIR", "use the JSON schemas in DIR instead of the built-in ones",
           &options.schema_dir);
  p.Custom("format", 0, "FMT", "output format: text (default) or json", [&](const std::string& v) {
    if (v != "text" && v != "json") return std::string("expected text or json");
    format = v;
    return std::string();
  });
  p.Flag("quiet", 'q', "print only errors and the summaries", &quiet);
  p.Flag("list-checks", 0, "list the check codes and exit", &list_checks);
  if (int rc = p.Parse(argc, argv, first, out, err); rc >= 0) return rc;
  if (list_checks) {
    PrintChecks(out);
    return 0;
  }
  if (p.positional().empty()) {
    err << "prose2stix validate: no input (give files, directories or - for standard input; see --help)\n";
    return 2;
  }
  auto validator = validate::Validator::Create(options);
  if (!validator.ok()) {
    err << "prose2stix validate: " << validator.status().ToString() << "\n";
    return 2;
  }
  auto paths = ExpandPaths(p.positional(), {".json"});
  if (!paths.ok()) {
    err << "prose2stix validate: " << paths.status().ToString() << "\n";
    return 2;
  }
  if (paths->empty()) {
    err << "prose2stix validate: no .json files found\n";
    return 2;
  }

  bool any_invalid = false, any_unreadable = false;
  std::optional<JsonOutput> json;
  if (format == "json") json.emplace(out);
  for (const std::string& path : *paths) {
    if (json) json->BeginFile(path);
    ValidationReport r = (*validator)->ValidateFile(path, [&](const Diagnostic& d) {
      if (quiet && d.severity != Severity::kError) return;
      if (json) {
        json->Add(d);
      } else {
        out << FormatDiagnostic(path, d) << "\n";
      }
    });
    if (r.read_error) any_unreadable = true;
    if (!r.valid()) any_invalid = true;
    if (json) {
      json->EndFile(r);
    } else {
      out << Summary(r) << "\n";
    }
  }
  if (json) {
    json->Finish(!any_invalid);
    out << "\n";
  }
  out.flush();
  if (any_unreadable) return 2;
  return any_invalid ? 1 : 0;
}

}  // namespace prose2stix::cli
