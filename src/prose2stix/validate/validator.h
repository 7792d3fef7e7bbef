// The STIX 2.1 validator: checks bundles, single objects or arrays of objects against the
// bundled JSON schemas and the spec's MUST (errors) and SHOULD (warnings) rules.
//
//   ValidatorOptions options;
//   options.enforce_refs = true;
//   auto validator = Validator::Create(options);
//   if (!validator.ok()) return validator.status();
//   ValidationReport report = (*validator)->ValidateFile("bundle.json");
//   if (!report.valid()) ...
//
// Input is parsed as a stream: each element of the top-level "objects" array is built as a small
// DOM, checked, and freed, so memory does not grow with the size of the bundle (only with the
// largest object, the diagnostics, 8 bytes per object for duplicate-id detection, and with
// enforce_refs the references that point forward). Malformed input is reported, never crashes:
// the parse error (with line, column and byte offset) comes after the diagnostics of the objects
// before it. Check codes are listed in validate/diagnostic.h.
//
// Thread safety: a Validator is immutable after Create(); its const methods may be called from
// many threads at once. Each thread that validates keeps its run buffers for its next run (about
// 260 KB, plus the copy of its last ValidateString input when under 4 MB), so that validating
// many small documents does not allocate them each time.
#ifndef PROSE2STIX_VALIDATE_VALIDATOR_H_
#define PROSE2STIX_VALIDATE_VALIDATOR_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "prose2stix/util/result.h"
#include "prose2stix/validate/diagnostic.h"

namespace prose2stix::validate {

// Containers nested deeper than this are a parse error (001).
inline constexpr int kMaxNestingDepth = 512;

struct ValidatorOptions {
  // Warnings (SHOULD checks) become errors.
  bool strict = false;
  // Every referenced id must be an object of the same document (020).
  bool enforce_refs = false;
  // SHOULD checks to run (only these) or to skip, as codes (213) or groups (1 = every 1xx check,
  // 2 = 2xx, 210 = every vocabulary check), as in the OASIS stix2-validator.
  std::vector<int> enable, disable;
  // Directory of JSON schemas (<type>.json); empty: the schemas compiled into the library.
  std::string schema_dir;
};

// Receives each diagnostic as soon as the object it concerns has been checked, in document
// order. Called on the validating thread.
using DiagnosticSink = std::function<void(const Diagnostic&)>;

class Validator {
 public:
  // Fails when the schemas cannot be loaded or a check code in enable/disable is unknown.
  static Result<std::unique_ptr<Validator>> Create(const ValidatorOptions& options);
  ~Validator();
  Validator(const Validator&) = delete;
  Validator& operator=(const Validator&) = delete;

  // Validates a document held in memory; `name` labels the report. `json` is only read during
  // the call.
  ValidationReport ValidateString(std::string_view json, std::string_view name) const;
  // Validates the file at `path` ("-": standard input) as a stream, without loading it: a regular
  // file is memory-mapped and the pages behind the parser are released as it goes; standard input
  // and pipes are read through a fixed buffer. Resident memory stays in the tens of megabytes
  // whatever the size (a 1 GB bundle validates in about 32 MB). A file that cannot be opened or
  // read gives a report with read_error set and one 001 diagnostic saying why. As with any
  // mapped file, truncating the file while it is being validated may stop the process (SIGBUS).
  ValidationReport ValidateFile(const std::string& path) const;

  // The same, handing each diagnostic to `sink` instead of keeping it in the report (whose
  // diagnostics stay empty; streamed_errors and streamed_warnings count them), so that memory does
  // not grow with the number of diagnostics either.
  ValidationReport ValidateString(std::string_view json, std::string_view name,
                                  const DiagnosticSink& sink) const;
  ValidationReport ValidateFile(const std::string& path, const DiagnosticSink& sink) const;

 private:
  struct Impl;
  explicit Validator(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace prose2stix::validate

#endif  // PROSE2STIX_VALIDATE_VALIDATOR_H_
