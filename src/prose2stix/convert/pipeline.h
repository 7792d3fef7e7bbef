// The converter: bytes -> Documents -> normalised text, sentences, tokens -> mentions, entities,
// relations -> STIX bundle -> validated JSON. The only code that sees every stage.
//
//   auto conv = Converter::Create(options);           // loads tables and schemas once
//   Result<Conversion> r = (*conv)->Convert(bytes, "advisory.pdf");
//   if (r.ok()) Write(r->json);
//
// A Converter is immutable after Create and safe to use from many threads at once.
#ifndef PROSE2STIX_CONVERT_PIPELINE_H_
#define PROSE2STIX_CONVERT_PIPELINE_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "prose2stix/convert/options.h"
#include "prose2stix/extract/mention.h"
#include "prose2stix/ingest/document.h"
#include "prose2stix/stix/object.h"
#include "prose2stix/util/result.h"

namespace prose2stix::validate {
class Validator;
}

namespace prose2stix::convert {

struct BundleDefaults;

// One document's way through the pipeline, kept for --explain and for tests.
struct DocumentAnalysis {
  ingest::Document document;
  extract::Analysis analysis;
};

struct Conversion {
  std::vector<DocumentAnalysis> documents;  // one per article (feeds and NDJSON give several)
  stix::Bundle bundle;                      // all documents' objects, one report per document
  std::string json;                         // the validated bundle, compact
  size_t objects = 0;                       // objects in the bundle
};

class Converter {
 public:
  static Result<std::unique_ptr<Converter>> Create(const ConvertOptions& options);
  ~Converter();
  Converter(const Converter&) = delete;
  Converter& operator=(const Converter&) = delete;

  // Reads `bytes` (named `name` in errors and in the report's external reference), converts every
  // document in it, and returns one validated bundle. Fails when the input cannot be read, holds
  // no text, or (a bug) the bundle does not validate: the error names the object and the rule.
  Result<Conversion> Convert(std::string_view bytes, std::string_view name) const;

  // Converts documents already read (NDJSON lines, tests).
  Result<Conversion> ConvertDocuments(std::vector<ingest::Document> documents) const;

  // Analyses one document's text (normalise, split, tokenise, extract entities and relations).
  extract::Analysis Analyze(std::string_view text) const;

  // Renders a bundle as JSON, pretty (2-space indent) or compact.
  static std::string ToJson(const stix::Bundle& bundle, bool pretty);

  const ConvertOptions& options() const { return options_; }

 private:
  explicit Converter(const ConvertOptions& options);
  ConvertOptions options_;
  std::unique_ptr<BundleDefaults> defaults_;  // derived from options_ once
  std::unique_ptr<validate::Validator> validator_;
};

// A human-readable account of what was found and why: each mention (text, offsets, type, rule)
// and each relation with its evidence sentence.
std::string Explain(const Conversion& conversion);

}  // namespace prose2stix::convert

#endif  // PROSE2STIX_CONVERT_PIPELINE_H_
