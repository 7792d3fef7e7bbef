// prose2stix convert: flags -> ConvertOptions, then one conversion (this file) or a batch job
// (batch options, several inputs or a directory: see batch_command.cc).
#include <unistd.h>

#include <iostream>
#include <string>
#include <vector>

#include "cli/args.h"
#include "cli/commands.h"
#include "prose2stix/convert/pipeline.h"
#include "prose2stix/util/file.h"

namespace prose2stix::cli {

int RunConvert(int argc, char** argv, int first, std::ostream& out, std::ostream& err) {
  convert::ConvertOptions opt;
  std::string output, format_name = "auto";
  bool pretty = false, compact = false, explain = false, no_tagger = false;
  ArgParser p("prose2stix convert",
              "Converts threat advisories and news (text, Markdown, HTML, PDF, RSS/Atom, NDJSON) into a\n"
              "STIX 2.1 bundle, validated before it is written. INPUT may be '-' for standard input.\n"
              "Exit status: 0 converted, 1 an input could not be converted, 2 usage error.",
              "INPUT");
  p.Option("output", 'o', "FILE", "write the bundle to FILE (atomically) instead of standard output", &output);
  p.Flag("pretty", 0, "indent the JSON (default when writing to a terminal)", &pretty);
  p.Flag("compact", 0, "one-line JSON", &compact);
  p.Option("input-format", 0, "FMT", "auto (default), text, markdown, html, xhtml, pdf, rss, atom, ndjson",
           &format_name);
  p.Option("author", 0, "NAME", "producer identity for created_by_ref (default: prose2stix)", &opt.author);
  p.Option("tlp", 0, "LEVEL", "TLP marking: clear (default), green, amber, amber+strict, red", &opt.tlp);
  p.Custom("confidence", 0, "N", "confidence 0-100 of the report and entities; caps relationships",
           [&](const std::string& v) {
             long n = 0;
             if (!ParseInt(v, 0, 100, &n)) return std::string("must be an integer from 0 to 100");
             opt.confidence = static_cast<int>(n);
             return std::string();
           });
  p.Flag("intrusion-sets", 0, "name groups as intrusion-set objects (ATT&CK/OpenCTI style)", &opt.intrusion_sets);
  p.Option("fixed-time", 0, "T", "use timestamp T for created/modified: byte-for-byte reproducible output",
           &opt.fixed_time);
  p.Option("published", 0, "DATE", "publication date of every report (default: the document's own date)",
           &opt.published);
  p.Flag("explain", 0, "print each mention, entity and relation with the rule and evidence behind it", &explain);
  p.Flag("no-tagger", 0, "rules and gazetteers only, without the statistical tagger", &no_tagger);
  if (int rc = p.Parse(argc, argv, first, out, err); rc >= 0) return rc;
  const std::vector<std::string>& inputs = p.positional();
  if (inputs.empty()) {
    err << "prose2stix convert: no INPUT given (see --help)\n";
    return 2;
  }
  if (inputs.size() > 1) {
    err << "prose2stix convert: one INPUT at a time\n";
    return 2;
  }
  if (!ingest::ParseFormat(format_name, &opt.input_format)) {
    err << "prose2stix convert: unknown --input-format '" << format_name << "'\n";
    return 2;
  }
  opt.use_tagger = !no_tagger;
  if (!pretty && !compact) pretty = output.empty() && isatty(STDOUT_FILENO);

  Result<std::unique_ptr<convert::Converter>> conv = convert::Converter::Create(opt);
  if (!conv.ok()) {
    err << "prose2stix convert: " << conv.status().ToString() << "\n";
    return 2;
  }
  const std::string& input = inputs.front();
  Result<std::string> bytes = ReadFile(input, opt.max_input_bytes);
  if (!bytes.ok()) {
    err << "prose2stix convert: " << bytes.status().ToString() << "\n";
    return 1;
  }
  Result<convert::Conversion> result = (*conv)->Convert(*bytes, input == "-" ? "<stdin>" : input);
  if (!result.ok()) {
    Status st = result.status();
    err << "prose2stix convert: " << input << ": " << st.ToString() << "\n";
    return 1;
  }
  std::string json = pretty ? convert::Converter::ToJson(result->bundle, true) : result->json;
  json += "\n";
  if (explain) {
    (output.empty() ? err : out) << convert::Explain(*result);
  }
  if (output.empty()) {
    out << json;
    out.flush();
    return out.good() ? 0 : 1;
  }
  Status st = WriteFileAtomic(output, json);
  if (!st.ok()) {
    err << "prose2stix convert: " << st.ToString() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace prose2stix::cli
