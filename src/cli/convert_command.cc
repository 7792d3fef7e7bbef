// prose2stix convert: flags -> ConvertOptions, then either one conversion (one file or standard
// input, to standard output or -o) or a batch job (several inputs, a directory, a list, an NDJSON
// stream, --out-dir or --merge), which prose2stix/batch runs on a pool of threads.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <system_error>
#include <vector>

#include "cli/args.h"
#include "cli/commands.h"
#include "prose2stix/batch/inputs.h"
#include "prose2stix/batch/job.h"
#include "prose2stix/convert/pipeline.h"
#include "prose2stix/util/file.h"

namespace prose2stix::cli {

namespace {

// Settings of a batch job, as given on the command line.
struct BatchFlags {
  std::string out_dir, merge;
  std::vector<std::string> files_from, include, exclude;
  bool ndjson = false, unordered = false, skip_existing = false, quiet = false, no_sync = false;
  long jobs = 0;
  bool jobs_given = false;
};

bool WantsBatch(const BatchFlags& b, const std::vector<std::string>& inputs) {
  if (b.ndjson || !b.out_dir.empty() || !b.merge.empty() || !b.files_from.empty() || inputs.size() > 1) return true;
  if (inputs.size() == 1 && inputs[0] != "-") {
    std::error_code ec;
    return std::filesystem::is_directory(inputs[0], ec);
  }
  return false;
}

int RunBatch(const convert::ConvertOptions& opt, const BatchFlags& b, const std::vector<std::string>& inputs,
             bool pretty, bool compact, std::ostream& out, std::ostream& err) {
  const char* kP = "prose2stix convert: ";
  if (pretty && compact) {
    err << kP << "--pretty and --compact exclude each other\n";
    return 2;
  }
  if (b.skip_existing && b.out_dir.empty()) {
    err << kP << "--skip-existing needs --out-dir\n";
    return 2;
  }
  batch::JobOptions jo;
  jo.out_dir = b.out_dir;
  jo.merge_path = b.merge;
  jo.pretty = pretty;
  jo.skip_existing = b.skip_existing;
  jo.sync = !b.no_sync;
  jo.jobs = static_cast<unsigned>(b.jobs);
  jo.ordered = !b.unordered;
  jo.quiet = b.quiet;
  jo.progress = batch::Progress::ModeFor(STDERR_FILENO, b.quiet);
  if (!b.out_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(b.out_dir, ec);
    if (!std::filesystem::is_directory(b.out_dir)) {
      err << kP << "cannot create the output directory " << b.out_dir << (ec ? ": " + ec.message() : "") << "\n";
      return 2;
    }
  }
  if (!b.merge.empty() && b.merge != "-") {
    std::filesystem::path parent = std::filesystem::path(b.merge).parent_path();
    std::error_code ec;
    if (!parent.empty() && !std::filesystem::is_directory(parent, ec)) {
      err << kP << "the directory of --merge " << b.merge << " does not exist\n";
      return 2;
    }
  }

  Result<std::unique_ptr<convert::Converter>> conv = convert::Converter::Create(opt);
  if (!conv.ok()) {
    err << kP << conv.status().ToString() << "\n";
    return 2;
  }

  if (b.ndjson) {
    if (pretty && b.merge.empty()) {
      err << kP << "--ndjson writes one bundle per line: --pretty applies only to the --merge bundle\n";
      return 2;
    }
    if (!b.files_from.empty() || !b.include.empty() || !b.exclude.empty() || b.skip_existing) {
      err << kP << "--files-from, --include, --exclude and --skip-existing do not apply to --ndjson\n";
      return 2;
    }
    if (inputs.size() > 1) {
      err << kP << "--ndjson reads one stream (a file or '-')\n";
      return 2;
    }
    std::string path = inputs.empty() ? "-" : inputs[0];
    int fd = STDIN_FILENO;
    if (path != "-") {
      fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) {
        err << kP << "cannot open " << path << ": " << std::strerror(errno) << "\n";
        return 2;
      }
    }
    batch::JobSummary s = batch::RunNdjsonJob(**conv, fd, path == "-" ? "<stdin>" : path, jo, out, err);
    if (fd != STDIN_FILENO) ::close(fd);
    err << batch::FormatSummary(s, jo, /*list_failures=*/false);
    return s.ExitCode();
  }

  if (b.out_dir.empty() && b.merge.empty()) {
    err << kP << "several inputs (or a directory) need --out-dir DIR (one bundle per input) or --merge FILE\n"
        << "  (one bundle for all; --merge - writes it to standard output); see --help\n";
    return 2;
  }
  for (const std::string& in : inputs) {
    if (in == "-") {
      err << kP << "'-' (standard input) cannot be one of a batch's inputs; use --ndjson or --files-from -\n";
      return 2;
    }
  }
  if (!b.out_dir.empty()) {
    // Outputs are never collected as inputs; a walk that starts inside the output directory would
    // find nothing, so say why.
    namespace fs = std::filesystem;
    std::error_code ec;
    std::string out_key = fs::absolute(b.out_dir, ec).lexically_normal().generic_string();
    if (!out_key.empty() && out_key.back() != '/') out_key += '/';
    for (const std::string& in : inputs) {
      std::string key = fs::absolute(in, ec).lexically_normal().generic_string();
      if (!key.empty() && key.back() != '/') key += '/';
      if (fs::is_directory(in, ec) && key.rfind(out_key, 0) == 0) {
        err << kP << "the input directory " << in << " is inside the output directory " << b.out_dir << "\n";
        return 2;
      }
    }
  }
  batch::InputOptions io;
  io.paths = inputs;
  io.files_from = b.files_from;
  io.include = b.include;
  io.exclude = b.exclude;
  io.skip_dir = b.out_dir;
  Result<std::vector<batch::InputFile>> files = batch::CollectInputs(io);
  if (!files.ok()) {
    err << kP << files.status().ToString() << "\n";
    return 2;
  }
  if (files->empty()) {
    err << kP << "no inputs: nothing matched (see --include/--exclude; hidden files are skipped)\n";
    return 2;
  }
  batch::JobSummary s = batch::RunFileJob(**conv, *files, jo, out, err);
  err << batch::FormatSummary(s, jo);
  return s.ExitCode();
}

}  // namespace

int RunConvert(int argc, char** argv, int first, std::ostream& out, std::ostream& err) {
  convert::ConvertOptions opt;
  std::string output, format_name = "auto";
  bool pretty = false, compact = false, explain = false, no_tagger = false;
  ArgParser p("prose2stix convert",
              "Converts threat advisories and news (text, Markdown, HTML, PDF, RSS/Atom, NDJSON) into\n"
              "STIX 2.1 bundles, each validated before it is written.\n"
              "\n"
              "One INPUT (a file, or '-' for standard input): one bundle to standard output or -o FILE.\n"
              "\n"
              "Batch mode (several INPUTs, a directory, --files-from, --out-dir, --merge or --ndjson):\n"
              "  inputs are converted in parallel (--jobs) by one shared converter. Directories are\n"
              "  walked recursively (sorted; hidden files skipped; symlinked directories not followed);\n"
              "  --include/--exclude filter the files found there. Several inputs need --out-dir DIR,\n"
              "  --merge FILE (--merge - for standard output), or both.\n"
              "  --out-dir writes DIR/<path relative to the directory given>.json (a file named directly\n"
              "  keeps its relative path, or its base name when absolute); when two inputs would get the\n"
              "  same name, both get an 8-hex-digit prefix from a hash of their absolute path. Every\n"
              "  file is written atomically (temporary file + rename). Inputs that cannot be converted\n"
              "  (unreadable, corrupt, binary, empty, too large) are listed with the reason at the end\n"
              "  and in DIR/failures.ndjson ({\"input\",\"error\"} per line); the others still convert.\n"
              "  --merge deduplicates all bundles into one (see prose2stix merge), validated first.\n"
              "  Progress goes to standard error (one live line on a terminal, a line every 5 s else).\n"
              "  Ctrl-C (or SIGTERM) stops taking inputs, finishes those in flight and prints the\n"
              "  summary (exit 130; no merged bundle; resume with --skip-existing, which also merges\n"
              "  the outputs already there); a second Ctrl-C abandons the inputs in flight, deleting\n"
              "  their temporary files.\n"
              "NDJSON streams (--ndjson): INPUT (default '-') holds one JSON document per line,\n"
              "  {\"id\",\"text\" or \"html\",\"title\",\"published\",\"url\"}; standard output gets one bundle\n"
              "  per line, in input order (--unordered: as finished); the report in each bundle names\n"
              "  '<stream>#<id>'. A bad line writes nothing to standard output: its error goes to\n"
              "  standard error (and DIR/failures.ndjson with --out-dir, with \"line\"). Lines are read\n"
              "  as they come with a bounded number in flight: fit for a pipeline or a streaming map\n"
              "  step. With --merge FILE the merged bundle is written too; --merge - writes only it.\n"
              "\n"
              "Exit status: 0 all converted, 1 an input could not be converted (or an output not\n"
              "written), 2 usage error or nothing to run (no inputs, output directory not creatable),\n"
              "130 interrupted (143 for SIGTERM).",
              "INPUT...");
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
  BatchFlags b;
  p.Option("out-dir", 0, "DIR", "batch: write one bundle per input under DIR, and DIR/failures.ndjson", &b.out_dir);
  p.Option("merge", 0, "FILE", "batch: also write one merged, deduplicated bundle of the whole job ('-': stdout)",
           &b.merge);
  p.Custom("jobs", 'j', "N", "batch: worker threads (default: all cores)", [&](const std::string& v) {
    if (!ParseInt(v, 1, 1024, &b.jobs)) return std::string("must be an integer from 1 to 1024");
    b.jobs_given = true;
    return std::string();
  });
  p.Multi("include", 0, "GLOB", "batch: in directories, convert only files matching GLOB (repeatable)",
          &b.include);
  p.Multi("exclude", 0, "GLOB", "batch: skip files and directories matching GLOB (repeatable)", &b.exclude);
  p.Multi("files-from", 0, "FILE", "batch: also convert the files listed in FILE, one per line ('-': stdin)",
          &b.files_from);
  p.Flag("skip-existing", 0, "batch: skip inputs whose output in --out-dir exists (resume a job)",
         &b.skip_existing);
  p.Flag("ndjson", 0, "batch: INPUT (default stdin) is an NDJSON stream; one bundle per line to stdout",
         &b.ndjson);
  p.Flag("unordered", 0, "with --ndjson: write bundles as they are finished, not in input order", &b.unordered);
  p.Flag("no-sync", 0, "batch: do not fsync each output before renaming it (faster, less crash-safe)", &b.no_sync);
  p.Flag("quiet", 'q', "batch: no progress and no totals; failures are still reported", &b.quiet);
  if (int rc = p.Parse(argc, argv, first, out, err); rc >= 0) return rc;
  const std::vector<std::string>& inputs = p.positional();
  if (!ingest::ParseFormat(format_name, &opt.input_format)) {
    err << "prose2stix convert: unknown --input-format '" << format_name << "'\n";
    return 2;
  }
  opt.use_tagger = !no_tagger;
  if (WantsBatch(b, inputs)) {
    if (!output.empty()) {
      err << "prose2stix convert: -o/--output writes one input's bundle; in batch mode use --out-dir or --merge\n";
      return 2;
    }
    if (explain) {
      err << "prose2stix convert: --explain works on one input at a time\n";
      return 2;
    }
    if (inputs.empty() && b.files_from.empty() && !b.ndjson) {
      err << "prose2stix convert: no INPUT given (see --help)\n";
      return 2;
    }
    return RunBatch(opt, b, inputs, pretty, compact, out, err);
  }
  if (!b.include.empty() || !b.exclude.empty() || b.skip_existing || b.unordered) {
    err << "prose2stix convert: --include, --exclude, --skip-existing and --unordered need batch mode "
           "(--out-dir, --merge, --ndjson or a directory)\n";
    return 2;
  }
  if (inputs.empty()) {
    err << "prose2stix convert: no INPUT given (see --help)\n";
    return 2;
  }
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
