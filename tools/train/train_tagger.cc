// train_tagger: trains the named-entity tagger (prose2stix/extract/tagger.h) on AnnoCTR BIO files
// and writes the model that the library embeds (src/prose2stix/data/tagger.model).
//
//   train_tagger --train ner_bio_train.bio --dev ner_bio_dev.bio --out src/prose2stix/data/tagger.model
//                [--gazetteers ../shared/data/gazetteers] [--epochs 15] [--seed N] [--min-count 2]
//                [--max-features 150000] [--column 6] [--errors dev-errors.txt]
//
// Input: one token per line, tab-separated label layers after it; blank lines end sentences and
// "<DOCSTART>" lines end reports. Labels are read from one column (default 6, AnnoCTR's merged
// layer); GROUP, ORG, LOC and SECTOR are kept and everything else becomes O; an I-X that does not
// continue an X becomes B-X. Tokens are trimmed of (no-break) spaces and whitespace-only tokens
// dropped, as the runtime tokenizer never yields them. After each epoch the averaged model is scored on dev
// (per-label precision/recall/F1, exact span match and token level); the epoch with the best span micro-F1 is
// kept, its entity bias and confidence calibration are fitted on dev, and it is written. With --gazetteers,
// the model's lexicon (countries, capitals, regions, sectors, threat actors) is built from the MISP galaxy
// and Microsoft naming files there. Finally the tagging speed of the written model on the dev text is
// measured. The same inputs give the same model bytes.
#include <fmt/core.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <functional>
#include <iostream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "cli/args.h"
#include "prose2stix/extract/tagger.h"
#include "prose2stix/util/file.h"

namespace {

using prose2stix::Result;
using prose2stix::Status;
using prose2stix::extract::BeginTag;
using prose2stix::extract::EntityLabel;
using prose2stix::extract::InsideTag;
using prose2stix::extract::kNumEntityLabels;
using prose2stix::extract::TaggedSpan;
using prose2stix::extract::Tagger;
using prose2stix::extract::TagLabel;
using prose2stix::extract::TrainingSentence;

std::vector<std::string_view> SplitTabs(std::string_view line) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t tab = line.find('\t', start);
    if (tab == std::string_view::npos) {
      out.push_back(line.substr(start));
      return out;
    }
    out.push_back(line.substr(start, tab - start));
    start = tab + 1;
  }
}

// Maps one BIO label ("B-ORG", "I-MALWARE", "O") to a tagger tag given the previous tag.
uint8_t MapLabel(std::string_view label, uint8_t prev) {
  if (label.size() < 3 || (label[0] != 'B' && label[0] != 'I') || label[1] != '-') return 0;
  EntityLabel l = prose2stix::extract::ParseEntityLabel(label.substr(2));
  if (l == EntityLabel::kNone) return 0;
  if (label[0] == 'I' && TagLabel(prev) == l) return InsideTag(l);
  return BeginTag(l);
}

// Trims whitespace that a tokenizer would never leave inside a token: ASCII spaces, NO-BREAK SPACE,
// the U+2000..U+200B spaces and the BOM (AnnoCTR has tokens made of them, or ending in them).
std::string_view TrimSpaces(std::string_view t) {
  auto space_at_start = [](std::string_view s) -> size_t {
    if (!s.empty() && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r')) return 1;
    if (s.substr(0, 2) == "\xc2\xa0") return 2;
    if (s.size() >= 3 && s.substr(0, 2) == "\xe2\x80" && static_cast<unsigned char>(s[2]) <= 0x8b) return 3;
    if (s.substr(0, 3) == "\xef\xbb\xbf") return 3;
    return 0;
  };
  auto space_at_end = [](std::string_view s) -> size_t {
    if (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) return 1;
    if (s.size() >= 2 && s.substr(s.size() - 2) == "\xc2\xa0") return 2;
    if (s.size() >= 3 && s.substr(s.size() - 3, 2) == "\xe2\x80" &&
        static_cast<unsigned char>(s.back()) <= 0x8b) {
      return 3;
    }
    if (s.size() >= 3 && s.substr(s.size() - 3) == "\xef\xbb\xbf") return 3;
    return 0;
  };
  while (size_t k = space_at_start(t)) t.remove_prefix(k);
  while (size_t k = space_at_end(t)) t.remove_suffix(k);
  return t;
}

Result<std::vector<TrainingSentence>> ReadBio(const std::string& path, size_t column) {
  Result<std::string> text = prose2stix::ReadFile(path);
  if (!text.ok()) return text.status();
  std::vector<TrainingSentence> out;
  TrainingSentence cur;
  auto flush = [&] {
    if (!cur.words.empty()) out.push_back(std::move(cur));
    cur = TrainingSentence();
  };
  std::string_view rest = *text;
  size_t line_no = 0;
  while (!rest.empty()) {
    size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) {
      flush();
      continue;
    }
    std::vector<std::string_view> cols = SplitTabs(line);
    if (cols[0] == "<DOCSTART>") {
      flush();
      continue;
    }
    if (cols.size() <= column) {
      return Status::InvalidInput("line has no label column " + std::to_string(column),
                                  path + ":" + std::to_string(line_no));
    }
    std::string_view word = TrimSpaces(cols[0]);
    if (word.empty()) continue;  // a whitespace "token": the runtime tokenizer has none
    uint8_t prev = cur.tags.empty() ? 0 : cur.tags.back();
    cur.words.emplace_back(word);
    cur.tags.push_back(MapLabel(cols[column], prev));
  }
  flush();
  return out;
}

struct Counts {
  size_t tp = 0, fp = 0, fn = 0;
  double P() const { return tp + fp ? static_cast<double>(tp) / static_cast<double>(tp + fp) : 0; }
  double R() const { return tp + fn ? static_cast<double>(tp) / static_cast<double>(tp + fn) : 0; }
  double F() const { return P() + R() > 0 ? 2 * P() * R() / (P() + R()) : 0; }
};

struct Evaluation {
  Counts span[kNumEntityLabels];   // index 0 = micro average
  Counts token[kNumEntityLabels];  // index 0 = micro average
};

Evaluation Evaluate(const Tagger& model, const std::vector<TrainingSentence>& data) {
  Evaluation ev;
  for (const TrainingSentence& s : data) {
    std::vector<std::string_view> words(s.words.begin(), s.words.end());
    std::vector<uint8_t> pred = model.TagSequence(words);
    std::vector<TaggedSpan> got = prose2stix::extract::SpansFromTags(pred);
    std::vector<TaggedSpan> gold = prose2stix::extract::SpansFromTags(s.tags);
    auto same = [](const TaggedSpan& a, const TaggedSpan& b) {
      return a.first_token == b.first_token && a.last_token == b.last_token && a.label == b.label;
    };
    for (const TaggedSpan& g : got) {
      bool hit = std::any_of(gold.begin(), gold.end(), [&](const TaggedSpan& x) { return same(x, g); });
      Counts& c = ev.span[static_cast<int>(g.label)];
      (hit ? c.tp : c.fp)++;
      (hit ? ev.span[0].tp : ev.span[0].fp)++;
    }
    for (const TaggedSpan& g : gold) {
      bool hit = std::any_of(got.begin(), got.end(), [&](const TaggedSpan& x) { return same(x, g); });
      if (!hit) {
        ev.span[static_cast<int>(g.label)].fn++;
        ev.span[0].fn++;
      }
    }
    for (size_t i = 0; i < pred.size(); ++i) {
      int p = static_cast<int>(TagLabel(pred[i]));
      int g = static_cast<int>(TagLabel(s.tags[i]));
      if (p != 0 && p == g) {
        ev.token[p].tp++;
        ev.token[0].tp++;
      } else {
        if (p != 0) {
          ev.token[p].fp++;
          ev.token[0].fp++;
        }
        if (g != 0) {
          ev.token[g].fn++;
          ev.token[0].fn++;
        }
      }
    }
  }
  return ev;
}

void PrintEvaluation(const Evaluation& ev) {
  fmt::print("  {:<7} {:>24}   {:>24}\n", "", "span P / R / F1 (n gold)", "token P / R / F1");
  for (int l = 1; l <= kNumEntityLabels; ++l) {
    int k = l % kNumEntityLabels;  // labels first, micro average (0) last
    std::string_view name =
        k == 0 ? "micro" : prose2stix::extract::EntityLabelName(static_cast<EntityLabel>(k));
    const Counts& s = ev.span[k];
    const Counts& t = ev.token[k];
    fmt::print("  {:<7} {:5.1f} {:5.1f} {:5.1f} ({:4})   {:5.1f} {:5.1f} {:5.1f}\n", name, 100 * s.P(),
               100 * s.R(), 100 * s.F(), s.tp + s.fn, 100 * t.P(), 100 * t.R(), 100 * t.F());
  }
}

// Adds one gazetteer file's names to `lex`. `pick` is called with each entry object and returns
// (phrase, class) pairs to add.
using Picker =
    std::function<void(const rapidjson::Value& entry, std::vector<std::pair<std::string, std::string>>*)>;

Status AddGazetteer(const std::string& path, const Picker& pick, bool values_key,
                    prose2stix::extract::Lexicon* lex, size_t* added) {
  Result<std::string> text = prose2stix::ReadFile(path);
  if (!text.ok()) return text.status();
  rapidjson::Document doc;
  doc.Parse(text->c_str(), text->size());
  if (doc.HasParseError()) return Status::InvalidInput("not JSON", path);
  const rapidjson::Value* list = &doc;
  if (values_key) {
    if (!doc.IsObject() || !doc.HasMember("values")) return Status::InvalidInput("no \"values\" array", path);
    list = &doc["values"];
  }
  if (!list->IsArray()) return Status::InvalidInput("expected an array of entries", path);
  std::vector<std::pair<std::string, std::string>> phrases;
  for (const auto& entry : list->GetArray()) {
    if (entry.IsObject()) pick(entry, &phrases);
  }
  for (const auto& [phrase, cls] : phrases) {
    if (phrase.size() < 3) continue;  // "US", "IT": too ambiguous as words
    if (lex->Add(phrase, lex->AddClass(cls))) ++*added;
  }
  return Status::Ok();
}

std::string Str(const rapidjson::Value& obj, const char* key) {
  if (!obj.IsObject() || !obj.HasMember(key) || !obj[key].IsString()) return "";
  return std::string(obj[key].GetString(), obj[key].GetStringLength());
}

std::vector<std::string> StrList(const rapidjson::Value& obj, const char* key) {
  std::vector<std::string> out;
  if (!obj.IsObject() || !obj.HasMember(key) || !obj[key].IsArray()) return out;
  for (const auto& v : obj[key].GetArray()) {
    if (v.IsString()) out.emplace_back(v.GetString(), v.GetStringLength());
  }
  return out;
}

// Splits `s` on `sep`, trimming spaces.
std::vector<std::string> SplitOn(const std::string& s, std::string_view sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(sep, start);
    if (end == std::string::npos) end = s.size();
    std::string part = s.substr(start, end - start);
    while (!part.empty() && part.front() == ' ') part.erase(part.begin());
    while (!part.empty() && part.back() == ' ') part.pop_back();
    if (!part.empty()) out.push_back(part);
    start = end + sep.size();
  }
  return out;
}

// The lexicon of the model: countries, capitals, regions, sectors and threat-actor names from
// the MISP galaxy and Microsoft naming files in `dir` (see ../shared/data/README.md).
Result<prose2stix::extract::Lexicon> BuildLexicon(const std::string& dir) {
  prose2stix::extract::Lexicon lex;
  for (const char* c : {"country", "city", "region", "sector", "actor"}) lex.AddClass(c);
  size_t added = 0;
  using Out = std::vector<std::pair<std::string, std::string>>;
  Status st = AddGazetteer(
      dir + "/misp-galaxy-country.json",
      [](const rapidjson::Value& e, Out* out) {
        out->emplace_back(Str(e, "value"), "country");
        out->emplace_back(Str(e, "description"), "country");
        if (e.HasMember("meta")) out->emplace_back(Str(e["meta"], "Capital"), "city");
      },
      true, &lex, &added);
  if (st.ok()) {
    st = AddGazetteer(
        dir + "/misp-galaxy-region.json",
        [](const rapidjson::Value& e, Out* out) {
          std::string v = Str(e, "value");
          size_t dash = v.find(" - ");
          out->emplace_back(dash == std::string::npos ? v : v.substr(dash + 3), "region");
        },
        true, &lex, &added);
  }
  if (st.ok()) {
    st = AddGazetteer(
        dir + "/misp-galaxy-sector.json",
        [](const rapidjson::Value& e, Out* out) {
          std::vector<std::string> names = SplitOn(Str(e, "value"), " - ");
          if (e.HasMember("meta")) {
            for (const std::string& syn : StrList(e["meta"], "synonyms")) names.push_back(syn);
          }
          for (const std::string& whole : names) {
            for (const std::string& n : SplitOn(whole, ", ")) {
              if (n == "Unknown" || n == "Other") continue;
              out->emplace_back(n, "sector");
              if (n.find(' ') == std::string::npos && n.back() != 's') out->emplace_back(n + "s", "sector");
            }
          }
        },
        true, &lex, &added);
  }
  if (st.ok()) {
    st = AddGazetteer(
        dir + "/misp-galaxy-threat-actor.json",
        [](const rapidjson::Value& e, Out* out) {
          out->emplace_back(Str(e, "value"), "actor");
          if (e.HasMember("meta")) {
            for (const std::string& syn : StrList(e["meta"], "synonyms")) out->emplace_back(syn, "actor");
          }
        },
        true, &lex, &added);
  }
  if (st.ok()) {
    st = AddGazetteer(
        dir + "/microsoft-threat-actor-naming.json",
        [](const rapidjson::Value& e, Out* out) {
          out->emplace_back(Str(e, "Threat actor name"), "actor");
          for (const std::string& n : SplitOn(Str(e, "Other names"), ",")) out->emplace_back(n, "actor");
        },
        false, &lex, &added);
  }
  if (!st.ok()) return st;
  fmt::print("lexicon: {} phrases added, {} distinct\n", added, lex.size());
  return lex;
}

// Prints, per confidence band, how many predicted spans fall in it and how many are exactly right.
void PrintCalibration(const Tagger& model, const std::vector<TrainingSentence>& data) {
  constexpr double kEdges[] = {0.0, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 1.01};
  constexpr size_t kBands = std::size(kEdges) - 1;
  size_t total[kBands] = {}, right[kBands] = {};
  for (const TrainingSentence& s : data) {
    std::vector<std::string_view> words(s.words.begin(), s.words.end());
    std::vector<TaggedSpan> gold = prose2stix::extract::SpansFromTags(s.tags);
    for (const TaggedSpan& g : model.Tag(words)) {
      size_t b = 0;
      while (b + 1 < kBands && g.confidence >= kEdges[b + 1]) ++b;
      ++total[b];
      right[b] += static_cast<size_t>(std::any_of(gold.begin(), gold.end(), [&](const TaggedSpan& x) {
        return x.first_token == g.first_token && x.last_token == g.last_token && x.label == g.label;
      }));
    }
  }
  fmt::print("confidence calibration on dev (spans: right / predicted):\n");
  for (size_t b = 0; b < kBands; ++b) {
    fmt::print("  [{:.2f}, {:.2f}): {:4} / {:4}{}\n", kEdges[b], std::min(kEdges[b + 1], 1.0), right[b],
               total[b],
               total[b] ? fmt::format("  = {:.0f}%",
                                      100.0 * static_cast<double>(right[b]) / static_cast<double>(total[b]))
                        : "");
  }
}

// Writes each dev sentence the model gets wrong, one "word gold pred" line per token.
std::string ErrorReport(const Tagger& model, const std::vector<TrainingSentence>& data) {
  std::string out;
  for (const TrainingSentence& s : data) {
    std::vector<std::string_view> words(s.words.begin(), s.words.end());
    std::vector<uint8_t> pred = model.TagSequence(words);
    if (pred == s.tags) continue;
    for (size_t i = 0; i < pred.size(); ++i) {
      out += fmt::format("{}\t{}\t{}{}\n", s.words[i], prose2stix::extract::TagName(s.tags[i]),
                         prose2stix::extract::TagName(pred[i]), pred[i] != s.tags[i] ? "\t<<<" : "");
    }
    out += "\n";
  }
  return out;
}

double MeasureSpeed(const Tagger& model, const std::vector<TrainingSentence>& data) {
  std::vector<std::vector<std::string_view>> sentences;
  size_t bytes = 0;
  for (const TrainingSentence& s : data) {
    sentences.emplace_back(s.words.begin(), s.words.end());
    for (const std::string& w : s.words) bytes += w.size() + 1;  // + the separating space
  }
  // CPU time of this process: the machine may be shared.
  size_t total = 0, spans = 0;
  const std::clock_t start = std::clock();
  double seconds = 0;
  do {
    for (const auto& words : sentences) spans += model.Tag(words).size();
    total += bytes;
    seconds = static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
  } while (seconds < 2.0);
  fmt::print("speed: {:.1f} MB/s of token text, CPU time ({} spans/pass)\n",
             static_cast<double>(total) / 1e6 / seconds, spans * bytes / std::max<size_t>(total, 1));
  return static_cast<double>(total) / 1e6 / seconds;
}

}  // namespace

int main(int argc, char** argv) {
  prose2stix::cli::ArgParser p("train_tagger", "Train the named-entity tagger on BIO files.", "");
  std::string train_path, dev_path, out_path, errors_path, gazetteer_dir, algorithm = "perceptron", crf_lr,
                                                                          crf_l2, word_dropout;
  long epochs = 15, column = 6, min_count = 2, max_features = 150000, seed = 20240520;
  p.Option("train", 0, "PATH", "training BIO file (required)", &train_path);
  p.Option("dev", 0, "PATH", "dev BIO file for per-epoch scores, model selection and calibration", &dev_path);
  p.Option("out", 0, "PATH", "where to write the model (required)", &out_path);
  p.Option("gazetteers", 0, "DIR", "MISP galaxy / Microsoft naming JSON files for the lexicon features",
           &gazetteer_dir);
  p.Option("algorithm", 0, "NAME", "perceptron (default) or crf", &algorithm);
  p.Option("crf-lr", 0, "X", "CRF initial learning rate (default 0.1)", &crf_lr);
  p.Option("crf-l2", 0, "X", "CRF L2 coefficient (default 1.0)", &crf_l2);
  p.Option("word-dropout", 0, "P",
           "probability of hiding a token's identity features in a training step (default 0.2)",
           &word_dropout);
  p.Option("errors", 0, "PATH", "write the dev sentences the final model gets wrong to PATH", &errors_path);
  auto int_option = [&](const char* name, const char* help, long lo, long hi, long* out) {
    p.Custom(name, 0, "N", help, [=](const std::string& v) -> std::string {
      return prose2stix::cli::ParseInt(v, lo, hi, out) ? ""
                                                       : std::string("bad value for --") + name + ": " + v;
    });
  };
  int_option("epochs", "training epochs (default 15)", 1, 1000, &epochs);
  int_option("column", "label column, 0 = token (default 6, AnnoCTR's merged layer)", 1, 100, &column);
  int_option("min-count", "drop features seen fewer times (default 2)", 1, 1000000, &min_count);
  int_option("max-features", "keep at most N features (default 150000)", 1, 100000000, &max_features);
  int_option("seed", "shuffle seed (default 20240520)", 0, 2147483647, &seed);
  if (int rc = p.Parse(argc, argv, 1, std::cout, std::cerr); rc >= 0) return rc;
  if (train_path.empty() || out_path.empty()) {
    std::cerr << "train_tagger: --train and --out are required\n";
    return 2;
  }

  auto train = ReadBio(train_path, static_cast<size_t>(column));
  if (!train.ok()) {
    std::cerr << "train_tagger: " << train.status().ToString() << "\n";
    return 1;
  }
  std::vector<TrainingSentence> dev;
  if (!dev_path.empty()) {
    auto d = ReadBio(dev_path, static_cast<size_t>(column));
    if (!d.ok()) {
      std::cerr << "train_tagger: " << d.status().ToString() << "\n";
      return 1;
    }
    dev = std::move(*d);
  }
  fmt::print("train: {} sentences, dev: {} sentences\n", train->size(), dev.size());

  prose2stix::extract::TrainerOptions options;
  options.epochs = static_cast<int>(epochs);
  options.seed = static_cast<uint64_t>(seed);
  options.min_feature_count = static_cast<uint32_t>(min_count);
  options.max_features = static_cast<size_t>(max_features);
  if (algorithm == "crf") {
    options.algorithm = prose2stix::extract::TrainingAlgorithm::kCrf;
  } else if (algorithm != "perceptron") {
    std::cerr << "train_tagger: --algorithm must be perceptron or crf\n";
    return 2;
  }
  if (!crf_lr.empty()) options.crf_learning_rate = std::stod(crf_lr);
  if (!word_dropout.empty()) options.word_dropout = std::stod(word_dropout);
  if (!crf_l2.empty()) options.crf_l2 = std::stod(crf_l2);
  if (!gazetteer_dir.empty()) {
    auto lex = BuildLexicon(gazetteer_dir);
    if (!lex.ok()) {
      std::cerr << "train_tagger: " << lex.status().ToString() << "\n";
      return 1;
    }
    options.lexicon = std::move(*lex);
  }
  auto on_epoch = [&](int epoch, size_t mistakes, const Tagger& model) -> double {
    fmt::print("epoch {}: {} of {} training sentences wrong, {} features\n", epoch, mistakes, train->size(),
               model.num_features());
    if (dev.empty()) return -1;
    Evaluation ev = Evaluate(model, dev);
    PrintEvaluation(ev);
    std::fflush(stdout);
    return ev.span[0].F();
  };
  auto model = prose2stix::extract::TrainTagger(*train, dev, options, on_epoch);
  if (!model.ok()) {
    std::cerr << "train_tagger: " << model.status().ToString() << "\n";
    return 1;
  }
  std::string bytes = (*model)->Serialize();
  if (Status st = prose2stix::WriteFileAtomic(out_path, bytes); !st.ok()) {
    std::cerr << "train_tagger: " << st.ToString() << "\n";
    return 1;
  }
  // Reload what was written: the numbers below are those of the shipped bytes.
  auto reloaded = Tagger::Load(bytes);
  if (!reloaded.ok()) {
    std::cerr << "train_tagger: written model does not load: " << reloaded.status().ToString() << "\n";
    return 1;
  }
  fmt::print("wrote {} ({} bytes, {} features)\n", out_path, bytes.size(), (*reloaded)->num_features());
  if (!dev.empty()) {
    fmt::print("selected model on dev:\n");
    PrintEvaluation(Evaluate(**reloaded, dev));
    PrintCalibration(**reloaded, dev);
    MeasureSpeed(**reloaded, dev);
    if (!errors_path.empty()) {
      if (Status st = prose2stix::WriteFileAtomic(errors_path, ErrorReport(**reloaded, dev)); !st.ok()) {
        std::cerr << "train_tagger: " << st.ToString() << "\n";
        return 1;
      }
    }
  }
  return 0;
}
