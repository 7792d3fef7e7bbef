// eval_annoctr: scores the extractor on AnnoCTR (text plus gold BIO labels) as bags of normalised
// names per document, for threat actors (GROUP), organisations (ORG), locations (LOC) and sectors
// (SECTOR): precision, recall and F1, micro-averaged over documents; prints the misses and false
// hits for study.
//
//   eval_annoctr [--annoctr DIR] [--split dev|train] [--show N] [--no-tagger] [--detail LABEL]
//                [--keep-misaligned]
//
// Names are normalised the same way on both sides: lower case, "the" and possessives dropped,
// punctuation folded; a name the gazetteer knows maps to its entry (so "Chinese" and "China" are
// one location, "Fancy Bear" and "APT28" one group), and compared without spaces ("Co.,Ltd."
// against AnnoCTR's "Co . , Ltd .").
//
// Gold data repairs, applied the same way to every report: a gold token that lost its first
// capital ("anada" where the text has "Canada") gets it back from the text, and a report whose
// labels are misaligned with its text (more than a tenth of its gold names do not occur there)
// is named on the output and left out of the scores (--keep-misaligned scores it anyway).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "prose2stix/convert/pipeline.h"
#include "prose2stix/extract/entity_extractor.h"
#include "prose2stix/extract/gazetteer.h"

namespace {

namespace fs = std::filesystem;
using prose2stix::extract::EntryKind;
using prose2stix::extract::Gazetteer;
using prose2stix::extract::NameKey;

const char* kLabels[] = {"GROUP", "ORG", "LOC", "SECTOR"};

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string Squeeze(std::string_view s) {
  std::string out;
  for (char c : s)
    if (!std::isspace(static_cast<unsigned char>(c))) out.push_back(c);
  return out;
}

std::string NormalizeSpaced(const std::string& label, const std::string& name) {
  const Gazetteer& gaz = Gazetteer::Default();
  // AnnoCTR tokenises "U.S." as "U.S ." and "China ’ s": undo the spaces before punctuation.
  std::string n;
  for (size_t i = 0; i < name.size(); ++i) {
    if (name[i] == ' ' && i + 1 < name.size() && (name[i + 1] == '.' || name[i + 1] == '\'' || name[i + 1] == '-'))
      continue;
    if (name[i] == ' ' && i > 0 && name[i - 1] == '-') continue;
    n.push_back(name[i]);
  }
  EntryKind kind = label == "GROUP" ? EntryKind::kThreatActor
                   : label == "ORG" ? EntryKind::kOrganization
                   : label == "SECTOR" ? EntryKind::kSector
                                      : EntryKind::kCountry;
  if (const auto* e = gaz.Lookup(kind, n)) return NameKey(kind == EntryKind::kSector ? e->code : e->canonical);
  if (label == "ORG") {
    // The state as an organisation: "Turkish government", "China's government", "Government of
    // China", "Iranian government-linked" are one name, "government of <country>".
    std::string lower = NameKey(n);
    std::string country;
    if (lower.rfind("government of ", 0) == 0) {
      country = n.substr(n.size() - (lower.size() - 14));
    } else {
      for (const char* tail : {" government linked", " government backed", " governments", " government", "s government",
                               " s government"}) {
        std::string t(tail);
        if (lower.size() > t.size() && lower.compare(lower.size() - t.size(), t.size(), t) == 0) {
          country = lower.substr(0, lower.size() - t.size());
          break;
        }
      }
    }
    if (!country.empty()) {
      if (const auto* c = gaz.Lookup(EntryKind::kCountry, country)) return "government of " + NameKey(c->canonical);
    }
  }
  if (label == "LOC") {
    if (const auto* r = gaz.Lookup(EntryKind::kRegion, n)) return NameKey(r->canonical);
  }
  // Sectors and places: the gazetteer entry named inside the span ("banking services",
  // "Chinese-linked", "Russian language"), on both sides alike.
  if (label == "SECTOR" || label == "LOC") {
    for (const auto& m : gaz.Find(n)) {
      if (label == "SECTOR" && m.entry->kind == EntryKind::kSector) return NameKey(m.entry->code);
      if (label == "LOC" && (m.entry->kind == EntryKind::kCountry || m.entry->kind == EntryKind::kRegion))
        return NameKey(m.entry->canonical);
    }
  }
  if (label == "SECTOR") {
    if (const auto* e = gaz.Lookup(EntryKind::kSector, n)) return NameKey(e->code);
  }
  std::string key = NameKey(n);
  if (label == "GROUP") {
    // "Winnti Group", "TrickBot gang", "APT1 group", "the Trickbot group’": the group noun and a
    // possessive are not part of the name.
    for (const char* tail : {"’", "'", " ’", " '"}) {
      std::string t(tail);
      if (key.size() > t.size() && key.compare(key.size() - t.size(), t.size(), t) == 0) key.erase(key.size() - t.size());
    }
    for (const char* tail : {" apt group", " threat group", " group", " gang", " team", " crew"}) {
      std::string t(tail);
      if (key.size() > t.size() && key.compare(key.size() - t.size(), t.size(), t) == 0) {
        key.erase(key.size() - t.size());
        if (const auto* e = gaz.Lookup(EntryKind::kThreatActor, key)) return NameKey(e->canonical);
        break;
      }
    }
  }
  if (label == "SECTOR") {
    for (const char* tail : {" sector", " sectors", " industry", " industries"}) {
      std::string t(tail);
      if (key.size() > t.size() && key.compare(key.size() - t.size(), t.size(), t) == 0) key.erase(key.size() - t.size());
    }
  }
  return key;
}

// The key without spaces, so that "Co.,Ltd." (one token here) and "Co . , Ltd ." (AnnoCTR's
// tokens) agree.
std::string Normalize(const std::string& label, const std::string& name) {
  std::string key = NormalizeSpaced(label, name);
  key.erase(std::remove(key.begin(), key.end(), ' '), key.end());
  return key;
}

struct GoldSpan {
  std::string label;
  std::vector<std::string> tokens;
};

struct GoldDoc {
  std::vector<std::string> tokens;
  std::vector<GoldSpan> spans;
};

bool IsWordByte(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// Some AnnoCTR BIO files lost the first letter of tokens ("anada", "hinese", "angzhou unxin ata")
// while the text keeps it. A token that never starts a word in the text but does follow one
// capital letter there that starts a word gets that letter back.
// Whether `token` occurs in `text` at the start of a word.
bool StartsAWord(const std::string& token, const std::string& text) {
  for (size_t pos = text.find(token); pos != std::string::npos; pos = text.find(token, pos + 1))
    if (pos == 0 || !IsWordByte(text[pos - 1])) return true;
  return false;
}

std::string RepairToken(const std::string& token, const std::string& text) {
  if (token.empty() || !IsWordByte(token[0])) return token;
  char restored = 0;
  for (size_t pos = text.find(token); pos != std::string::npos; pos = text.find(token, pos + 1)) {
    if (pos == 0 || !IsWordByte(text[pos - 1])) return token;  // the token does start a word
    if (restored == 0 && std::isupper(static_cast<unsigned char>(text[pos - 1])) &&
        (pos < 2 || !IsWordByte(text[pos - 2])))
      restored = text[pos - 1];
  }
  return restored != 0 ? std::string(1, restored) + token : token;
}

std::vector<GoldDoc> ReadBio(const std::string& path) {
  std::vector<GoldDoc> docs;
  std::ifstream in(path);
  std::string line, cur_label;
  std::vector<std::string> cur_tokens;
  auto flush = [&] {
    if (!cur_label.empty() && !docs.empty()) docs.back().spans.push_back({cur_label, cur_tokens});
    cur_label.clear();
    cur_tokens.clear();
  };
  while (std::getline(in, line)) {
    if (line.rfind("<DOCSTART>", 0) == 0) {
      flush();
      docs.emplace_back();
      continue;
    }
    if (line.empty()) {
      flush();
      continue;
    }
    std::vector<std::string> cols;
    std::stringstream ss(line);
    std::string col;
    while (std::getline(ss, col, '\t')) cols.push_back(col);
    if (cols.size() < 7 || docs.empty()) continue;
    docs.back().tokens.push_back(cols[0]);
    const std::string& tag = cols[6];
    std::string label = tag.size() > 2 ? tag.substr(2) : "";
    bool known = std::find(std::begin(kLabels), std::end(kLabels), label) != std::end(kLabels);
    if (tag[0] == 'B' || !known || label != cur_label) flush();
    if (known && (tag[0] == 'B' || tag[0] == 'I')) {
      if (cur_label.empty()) cur_label = label;
      cur_tokens.push_back(cols[0]);
    }
  }
  flush();
  return docs;
}

std::string PredictedLabel(prose2stix::extract::EntityType t) {
  using prose2stix::extract::EntityType;
  switch (t) {
    case EntityType::kThreatActor: return "GROUP";
    case EntityType::kOrganization: return "ORG";
    case EntityType::kCountry:
    case EntityType::kRegion:
    case EntityType::kCity: return "LOC";
    case EntityType::kSector: return "SECTOR";
    case EntityType::kPerson: return "";
  }
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir = "../shared/data/annoctr", split = "dev";
  size_t show = 15;
  bool tagger = true;
  std::string detail;  // a label whose per-document hits, misses and false hits are printed
  bool keep_misaligned = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--annoctr" && i + 1 < argc) dir = argv[++i];
    else if (a == "--split" && i + 1 < argc) split = argv[++i];
    else if (a == "--show" && i + 1 < argc) show = std::stoul(argv[++i]);
    else if (a == "--no-tagger") tagger = false;
    else if (a == "--detail" && i + 1 < argc) detail = argv[++i];
    else if (a == "--keep-misaligned") keep_misaligned = true;
    else {
      std::fprintf(stderr, "usage: eval_annoctr [--annoctr DIR] [--split dev|train] [--show N] [--no-tagger] [--detail LABEL] [--keep-misaligned]\n");
      return 2;
    }
  }
  std::vector<GoldDoc> gold = ReadBio(dir + "/ner_bio_" + split + ".bio");
  std::vector<std::pair<std::string, std::string>> texts;  // path, squeezed text
  for (const auto& e : fs::directory_iterator(dir + "/text/" + split)) texts.emplace_back(e.path().string(), "");
  std::sort(texts.begin(), texts.end());
  for (auto& [path, sq] : texts) sq = Squeeze(Slurp(path));
  if (gold.empty() || texts.empty()) {
    std::fprintf(stderr, "eval_annoctr: no data under %s\n", dir.c_str());
    return 2;
  }
  prose2stix::convert::ConvertOptions opt;
  opt.use_tagger = tagger;
  opt.validate = false;
  auto conv = prose2stix::convert::Converter::Create(opt);
  if (!conv.ok()) {
    std::fprintf(stderr, "%s\n", conv.status().ToString().c_str());
    return 1;
  }
  std::map<std::string, size_t> tp, fp, fn;
  std::map<std::string, std::map<std::string, int>> misses, false_hits;
  size_t matched = 0, bytes = 0;
  double seconds = 0;
  for (const GoldDoc& g : gold) {
    // Match the report to its text by content: its first tokens appear verbatim in it.
    std::string probe;
    for (size_t i = 0; i < g.tokens.size() && probe.size() < 120; ++i) probe += g.tokens[i];
    const std::string* path = nullptr;
    const std::string* squeezed = nullptr;
    for (const auto& [p, sq] : texts) {
      if (sq.find(probe) != std::string::npos) {
        path = &p;
        squeezed = &sq;
      }
    }
    if (path == nullptr) continue;
    ++matched;
    std::string text = Slurp(*path);
    std::map<std::string, std::set<std::string>> gold_names;
    size_t spans = 0, absent = 0;  // labelled spans, and those whose words do not occur in the text
    for (const GoldSpan& span : g.spans) {
      std::string name;
      bool aligned = true;
      for (const std::string& raw : span.tokens) {
        std::string t = Squeeze(raw);
        if (t.empty()) continue;
        if (!name.empty()) name += ' ';
        t = RepairToken(t, text);
        if (name.empty() && !StartsAWord(t, text)) aligned = false;
        name += t;
      }
      if (name.empty()) continue;
      ++spans;
      // "APT33 / Elfin", "Winnti Group (APT41)": one gold span naming two aliases.
      if (span.label == "GROUP") {
        size_t cut = name.find(" / ");
        size_t paren = name.find(" (");
        if (cut == std::string::npos && paren != std::string::npos && name.back() == ')') cut = paren;
        if (cut != std::string::npos) {
          std::string second = name.substr(cut + (name[cut + 1] == '/' ? 3 : 2));
          if (!second.empty() && second.back() == ')') second.pop_back();
          gold_names[span.label].insert(Normalize(span.label, second));
          name.erase(cut);
        }
      }
      if (!aligned || squeezed->find(Squeeze(name)) == std::string::npos) ++absent;
      gold_names[span.label].insert(Normalize(span.label, name));
    }
    // A report whose labels are shifted against its text (one AnnoCTR dev file loses letters
    // after CJK characters: "ept." "aw nforcement" with labels on the wrong words) cannot be
    // scored; it is named and left out.
    if (!keep_misaligned && spans >= 5 && absent * 10 > spans) {
      fmt::print("excluded {}: {} of {} gold names do not occur in the text (labels misaligned)\n",
                 fs::path(*path).filename().string(), absent, spans);
      --matched;
      continue;
    }
    bytes += text.size();
    auto t0 = std::chrono::steady_clock::now();
    // The whole path a user's file takes: format detection, reader, cleaning, extraction.
    auto conversion = (*conv)->Convert(text, fs::path(*path).filename().string());
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!conversion.ok() || conversion->documents.empty()) {
      fmt::print(stderr, "eval_annoctr: {}: {}\n", *path, conversion.status().ToString());
      continue;
    }
    const prose2stix::extract::Analysis& a = conversion->documents[0].analysis;
    std::map<std::string, std::set<std::string>> pred;
    std::map<std::string, std::string> why;  // normalised predicted name of `detail` -> rule and sentence
    for (const auto& m : a.mentions) {
      std::string label = PredictedLabel(m.type);
      if (label.empty()) continue;
      std::string key = Normalize(label, m.surface);
      pred[label].insert(key);
      if (label == detail && !why.count(key)) {
        const auto& sent = a.sentences[m.sentence];
        std::string_view st = std::string_view(a.text).substr(sent.begin, std::min<size_t>(sent.end - sent.begin, 160));
        why[key] = fmt::format("\"{}\" [{}] {}", m.surface, m.rule, st);
      }
    }
    if (!detail.empty()) {
      fmt::print("== {}\n", fs::path(*path).filename().string());
      for (const std::string& n : gold_names[detail])
        fmt::print("  {} {}\n", pred[detail].count(n) ? "hit " : "MISS", n);
      for (const auto& [n, w] : why)
        if (!gold_names[detail].count(n)) fmt::print("  FALSE {} <- {}\n", n, w);
    }
    for (const char* label : kLabels) {
      const auto& gs = gold_names[label];
      const auto& ps = pred[label];
      for (const std::string& n : ps) {
        if (gs.count(n)) ++tp[label];
        else {
          ++fp[label];
          ++false_hits[label][n];
        }
      }
      for (const std::string& n : gs) {
        if (!ps.count(n)) {
          ++fn[label];
          ++misses[label][n];
        }
      }
    }
  }
  fmt::print("AnnoCTR {}: {} of {} reports matched to texts, {:.1f} KB analysed at {:.1f} MB/s\n\n", split, matched,
             gold.size(), static_cast<double>(bytes) / 1024, static_cast<double>(bytes) / 1e6 / std::max(seconds, 1e-9));
  fmt::print("{:<8} {:>6} {:>6} {:>6}   {:>9} {:>6} {:>6}\n", "label", "P", "R", "F1", "TP", "FP", "FN");
  for (const char* label : kLabels) {
    double p = tp[label] + fp[label] ? static_cast<double>(tp[label]) / static_cast<double>(tp[label] + fp[label]) : 0;
    double r = tp[label] + fn[label] ? static_cast<double>(tp[label]) / static_cast<double>(tp[label] + fn[label]) : 0;
    double f = p + r > 0 ? 2 * p * r / (p + r) : 0;
    fmt::print("{:<8} {:>6.3f} {:>6.3f} {:>6.3f}   {:>9} {:>6} {:>6}\n", label, p, r, f, tp[label], fp[label], fn[label]);
  }
  auto top = [&](const std::map<std::string, int>& m) {
    std::vector<std::pair<int, std::string>> v;
    for (const auto& [k, c] : m) v.emplace_back(-c, k);
    std::sort(v.begin(), v.end());
    std::string out;
    for (size_t i = 0; i < v.size() && i < show; ++i) out += fmt::format("  {} ({})", v[i].second, -v[i].first);
    return out;
  };
  if (show > 0) {
    for (const char* label : kLabels) {
      fmt::print("\n{} misses:{}\n{} false hits:{}\n", label, top(misses[label]), label, top(false_hits[label]));
    }
  }
  return 0;
}
