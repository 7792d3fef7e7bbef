// The pipeline runs the stages in order and owns nothing but the options and the validator.
// Each document is analysed independently; the bundle builder then merges the documents' objects
// by deterministic id. The bundle is serialised, validated against the bundled schemas and the
// spec's rules, and returned only when it has no error: an invalid bundle is a bug in prose2stix,
// reported with the object and the rule that failed, and never written.
#include "prose2stix/convert/pipeline.h"

#include <fmt/format.h>

#include "prose2stix/convert/bundle_builder.h"
#include "prose2stix/extract/entity_extractor.h"
#include "prose2stix/extract/relation_extractor.h"
#include "prose2stix/ingest/reader.h"
#include "prose2stix/stix/json_writer.h"
#include "prose2stix/text/normalize.h"
#include "prose2stix/text/sentence_splitter.h"
#include "prose2stix/text/tokenizer.h"
#include "prose2stix/util/sha256.h"
#include "prose2stix/validate/validator.h"

namespace prose2stix::convert {

Converter::Converter(const ConvertOptions& options) : options_(options) {}
Converter::~Converter() = default;

Result<std::unique_ptr<Converter>> Converter::Create(const ConvertOptions& options) {
  std::unique_ptr<Converter> c(new Converter(options));
  // Fail early on bad options (TLP, timestamps); what they give every bundle is derived once.
  Result<BundleDefaults> defaults = BundleDefaults::Create(c->options_);
  if (!defaults.ok()) return defaults.status();
  c->defaults_ = std::make_unique<BundleDefaults>(std::move(*defaults));
  if (options.validate) {
    validate::ValidatorOptions vo;
    // Only errors stop a bundle. Two SHOULD checks fire on every object by design and would only
    // build warnings to throw away: 103 (ids are UUIDv5, the deterministic scheme OpenCTI uses)
    // and 401 (the x_opencti_* properties OpenCTI reads).
    vo.disable = {103, 401};
    Result<std::unique_ptr<validate::Validator>> v = validate::Validator::Create(vo);
    if (!v.ok()) return v.status();
    c->validator_ = std::move(*v);
  }
  return c;
}

extract::Analysis Converter::Analyze(std::string_view text) const {
  extract::Analysis a;
  text::NormalizedText normalized = text::Normalize(text);
  a.text = std::move(normalized.text);
  a.input_anchors = std::move(normalized.anchors);
  a.sentences = text::SplitSentences(a.text);
  a.tokens = text::TokenizeSentences(a.text, a.sentences);
  extract::ExtractOptions eo;
  eo.use_tagger = options_.use_tagger;
  extract::ExtractEntities(&a, eo);
  extract::ExtractRelations(&a);
  return a;
}

std::string Converter::ToJson(const stix::Bundle& bundle, bool pretty) { return stix::WriteBundle(bundle, pretty); }

Result<Conversion> Converter::Convert(std::string_view bytes, std::string_view name) const {
  if (bytes.size() > options_.max_input_bytes) {
    return Status::TooLarge(fmt::format("input is {} bytes, over the limit of {}", bytes.size(), options_.max_input_bytes),
                            name);
  }
  ingest::ReadOptions ro;
  ro.format = options_.input_format;
  Result<std::vector<ingest::Document>> docs = ingest::ReadDocuments(bytes, name, ro);
  if (!docs.ok()) return docs.status();
  std::string sha = Sha256Hex(bytes);
  for (ingest::Document& d : *docs) {
    if (d.sha256.empty()) d.sha256 = sha;
    if (d.name.empty()) d.name = std::string(name);
  }
  return ConvertDocuments(std::move(*docs));
}

Result<Conversion> Converter::ConvertDocuments(std::vector<ingest::Document> documents) const {
  if (documents.empty()) return Status::InvalidInput("no document with text found");
  BundleBuilder builder(*defaults_);
  Conversion out;
  out.documents.reserve(documents.size());
  for (ingest::Document& d : documents) {
    if (d.sha256.empty()) d.sha256 = Sha256Hex(d.text);
    DocumentAnalysis da;
    da.analysis = Analyze(d.text);
    da.document = std::move(d);
    builder.Add(da.document, da.analysis);
    out.documents.push_back(std::move(da));
  }
  out.bundle = std::move(builder).Build();
  out.objects = out.bundle.objects.size();
  out.json = stix::WriteBundle(out.bundle, false);
  if (validator_) {
    std::string_view name = out.documents.front().document.name;
    validate::ValidationReport report = validator_->ValidateString(out.json, name);
    if (!report.valid()) {
      const validate::Diagnostic* first = nullptr;
      for (const validate::Diagnostic& d : report.diagnostics) {
        if (d.severity == validate::Severity::kError) {
          first = &d;
          break;
        }
      }
      std::string detail = first ? fmt::format("{} at {} [{}]: {}", first->object_id, first->pointer, first->code,
                                               first->message)
                                 : std::string("no detail");
      return Status::Internal("the generated bundle failed validation, so it was not written (a bug in prose2stix)",
                              detail);
    }
  }
  return out;
}

std::string Explain(const Conversion& c) {
  std::string out;
  for (const DocumentAnalysis& da : c.documents) {
    const extract::Analysis& a = da.analysis;
    out += fmt::format("# {} ({}, {} sentences)\n", da.document.name, da.document.format, a.sentences.size());
    if (!da.document.title.empty()) out += fmt::format("title: {}\n", da.document.title);
    if (!da.document.published.empty()) out += fmt::format("published: {}\n", da.document.published);
    // Offsets are bytes of the input. PDF text has no byte positions in the file: there they are
    // offsets of the extracted text, with the page the paragraph starts on.
    bool pdf = da.document.format == "pdf";
    auto source = [&](size_t offset) {
      size_t in_doc = text::MapToInput(a.input_anchors, offset);
      return pdf ? in_doc : da.document.SourceOffset(in_doc);
    };
    auto page = [&](size_t offset) {
      const ingest::OffsetAnchor* an = da.document.AnchorAt(text::MapToInput(a.input_anchors, offset));
      return fmt::format(" p.{}", (an != nullptr ? an->source_offset : 0) + 1);
    };
    out += pdf ? "\n## mentions (offsets in the text extracted from the PDF, and its page)\n"
               : "\n## mentions (byte offsets in the input)\n";
    for (const extract::Mention& m : a.mentions) {
      const extract::Entity& e = a.entities[static_cast<size_t>(m.entity)];
      out += fmt::format("{:>7}-{:<7}{} {:<13} {:<32} -> {}  [{}{}{}]\n", source(m.begin), source(m.end),
                         pdf ? page(m.begin) : "", extract::EntityTypeName(m.type),
                         fmt::format("\"{}\"", m.surface), e.name, m.rule, m.demonym ? ", demonym" : "",
                         m.metonymy ? ", metonymy" : "");
    }
    out += "\n## entities\n";
    for (const extract::Entity& e : a.entities) {
      out += fmt::format("{:<13} {}", extract::EntityTypeName(e.type), e.name);
      if (!e.aliases.empty()) out += fmt::format("  aliases: {}", fmt::join(e.aliases, ", "));
      if (!e.country.empty()) out += fmt::format("  country: {}", e.country);
      if (!e.sector.empty()) out += fmt::format("  sector: {}", e.sector);
      if (!e.threat_actor_types.empty()) out += fmt::format("  types: {}", fmt::join(e.threat_actor_types, ", "));
      if (!e.roles.empty()) out += fmt::format("  roles: {}", fmt::join(e.roles, "; "));
      out += fmt::format("  ({} mentions, {})\n", e.mentions.size(), e.rule);
    }
    out += "\n## relations\n";
    for (const extract::Relation& r : a.relations) {
      const auto& s = a.sentences[r.sentence];
      out += fmt::format("{} --{}--> {}  confidence {:.2f}  [{}]\n    \"{}\"\n", a.entities[static_cast<size_t>(r.source)].name,
                         r.type, a.entities[static_cast<size_t>(r.target)].name, r.confidence, r.cue,
                         std::string_view(a.text).substr(s.begin, s.end - s.begin));
    }
    out += "\n";
  }
  return out;
}

}  // namespace prose2stix::convert
