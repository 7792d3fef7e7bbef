#include "prose2stix/extract/tagger.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <functional>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace prose2stix::extract {
namespace {

std::vector<std::string> Split(std::string_view s) {
  std::vector<std::string> out;
  std::istringstream in{std::string(s)};
  std::string w;
  while (in >> w) out.push_back(w);
  return out;
}

std::vector<std::string_view> Views(const std::vector<std::string>& v) {
  return std::vector<std::string_view>(v.begin(), v.end());
}

// A sentence from "word/TAG" items: "APT28/B-GROUP hit/O Kyiv/B-LOC".
TrainingSentence Labelled(std::string_view text) {
  TrainingSentence s;
  for (const std::string& item : Split(text)) {
    size_t slash = item.rfind('/');
    REQUIRE(slash != std::string::npos);
    std::string tag = item.substr(slash + 1);
    s.words.push_back(item.substr(0, slash));
    uint8_t t = kTagOutside;
    if (tag != "O") {
      EntityLabel l = ParseEntityLabel(tag.substr(2));
      REQUIRE(l != EntityLabel::kNone);
      t = tag[0] == 'B' ? BeginTag(l) : InsideTag(l);
    }
    s.tags.push_back(t);
  }
  return s;
}

std::vector<TrainingSentence> TinyCorpus() {
  return {
      Labelled("Fancy/B-GROUP Bear/I-GROUP attacked/O banks/B-SECTOR in/O Germany/B-LOC ./O"),
      Labelled("APT28/B-GROUP targeted/O the/O Ministry/B-ORG of/I-ORG Defence/I-ORG in/O France/B-LOC ./O"),
      Labelled("Analysts/O at/O Mandiant/B-ORG tracked/O APT41/B-GROUP in/O Japan/B-LOC ./O"),
      Labelled("Lazarus/B-GROUP Group/I-GROUP stole/O funds/O from/O exchanges/O in/O Korea/B-LOC ./O"),
      Labelled("The/O energy/B-SECTOR sector/O in/O Poland/B-LOC was/O hit/O by/O Sandworm/B-GROUP ./O"),
      Labelled("Microsoft/B-ORG and/O Google/B-ORG shared/O indicators/O ./O"),
  };
}

Lexicon TinyLexicon() {
  Lexicon lex;
  int country = lex.AddClass("country");
  int actor = lex.AddClass("actor");
  for (const char* c : {"Germany", "France", "Japan", "South Korea", "Poland"}) REQUIRE(lex.Add(c, country));
  for (const char* a : {"Fancy Bear", "APT28", "Lazarus Group"}) REQUIRE(lex.Add(a, actor));
  return lex;
}

std::unique_ptr<Tagger> TrainTiny(int epochs = 8, bool with_lexicon = true) {
  std::vector<TrainingSentence> corpus = TinyCorpus();
  TrainerOptions options;
  options.epochs = epochs;
  options.min_feature_count = 1;
  if (with_lexicon) options.lexicon = TinyLexicon();
  auto model = TrainTagger(corpus, {}, options);
  REQUIRE_MESSAGE(model.ok(), model.status().ToString());
  return std::move(*model);
}

std::string Describe(const std::vector<TaggedSpan>& spans, const std::vector<std::string>& words) {
  std::string out;
  for (const TaggedSpan& s : spans) {
    out += std::string(EntityLabelName(s.label)) + "[";
    for (size_t i = s.first_token; i < s.last_token && i < words.size(); ++i) {
      out += (i > s.first_token ? " " : "") + words[i];
    }
    out += "] ";
  }
  return out;
}

// Whether some span has `label` and covers token `token`.
bool Covers(const std::vector<TaggedSpan>& spans, EntityLabel label, size_t token) {
  return std::any_of(spans.begin(), spans.end(), [&](const TaggedSpan& s) {
    return s.label == label && s.first_token <= token && token < s.last_token;
  });
}

}  // namespace

TEST_CASE("BIO tags map to labels and back") {
  CHECK(BeginTag(EntityLabel::kGroup) == 1);
  CHECK(InsideTag(EntityLabel::kSector) == 8);
  for (int l = 1; l < kNumEntityLabels; ++l) {
    auto label = static_cast<EntityLabel>(l);
    CHECK(TagLabel(BeginTag(label)) == label);
    CHECK(TagLabel(InsideTag(label)) == label);
    CHECK(IsBeginTag(BeginTag(label)));
    CHECK_FALSE(IsBeginTag(InsideTag(label)));
    CHECK(ParseEntityLabel(EntityLabelName(label)) == label);
  }
  CHECK(TagName(0) == "O");
  CHECK(TagName(BeginTag(EntityLabel::kOrg)) == "B-ORG");
  CHECK(TagName(InsideTag(EntityLabel::kLoc)) == "I-LOC");
  CHECK(ParseEntityLabel("MALWARE") == EntityLabel::kNone);
  CHECK(TransitionAllowed(BeginTag(EntityLabel::kOrg), InsideTag(EntityLabel::kOrg)));
  CHECK(TransitionAllowed(InsideTag(EntityLabel::kOrg), InsideTag(EntityLabel::kOrg)));
  CHECK_FALSE(TransitionAllowed(BeginTag(EntityLabel::kLoc), InsideTag(EntityLabel::kOrg)));
  CHECK_FALSE(TransitionAllowed(kTagOutside, InsideTag(EntityLabel::kOrg)));
  CHECK_FALSE(TransitionAllowed(kNumTags, InsideTag(EntityLabel::kGroup)));  // sentence start
  CHECK(TransitionAllowed(kNumTags, BeginTag(EntityLabel::kGroup)));
}

TEST_CASE("SpansFromTags groups B-X I-X runs") {
  const uint8_t bg = BeginTag(EntityLabel::kGroup), ig = InsideTag(EntityLabel::kGroup);
  const uint8_t bo = BeginTag(EntityLabel::kOrg), io = InsideTag(EntityLabel::kOrg);
  struct Case {
    std::vector<uint8_t> tags;
    std::vector<TaggedSpan> want;
  };
  const Case cases[] = {
      {{}, {}},
      {{0, 0, 0}, {}},
      {{bg}, {{0, 1, EntityLabel::kGroup, 0}}},
      {{bg, ig, 0, bo, io, io}, {{0, 2, EntityLabel::kGroup, 0}, {3, 6, EntityLabel::kOrg, 0}}},
      {{bg, bg}, {{0, 1, EntityLabel::kGroup, 0}, {1, 2, EntityLabel::kGroup, 0}}},
      {{0, io, io}, {{1, 3, EntityLabel::kOrg, 0}}},                               // stray I starts a span
      {{bg, io}, {{0, 1, EntityLabel::kGroup, 0}, {1, 2, EntityLabel::kOrg, 0}}},  // label change splits
  };
  for (const Case& c : cases) {
    std::string in;
    for (uint8_t t : c.tags) in += TagName(t) + " ";
    CHECK_MESSAGE(SpansFromTags(c.tags) == c.want, "tags: " << in);
  }
}

TEST_CASE("FeatureExtractor is deterministic and names match keys") {
  std::vector<std::string> words = Split("The Ministry of Foreign Affairs was targeted by APT28 .");
  auto views = Views(words);
  FeatureExtractor a, b;
  std::vector<std::vector<std::string>> names;
  a.Extract(views, {}, nullptr, &names);
  b.Extract(views);
  REQUIRE(a.size() == words.size());
  REQUIRE(b.size() == words.size());
  for (size_t i = 0; i < words.size(); ++i) {
    auto fa = a.Features(i);
    auto fb = b.Features(i);
    CHECK_MESSAGE(std::vector<uint64_t>(fa.begin(), fa.end()) == std::vector<uint64_t>(fb.begin(), fb.end()),
                  "token " << words[i]);
    CHECK(names[i].size() == fa.size());
    CHECK(std::find(fa.begin(), fa.end(), uint64_t{0}) == fa.end());
  }
  // Re-extracting with the same object after another sentence gives the same keys again.
  std::vector<std::string> other = Split("Something else entirely");
  auto other_views = Views(other);
  a.Extract(other_views);
  a.Extract(views);
  for (size_t i = 0; i < words.size(); ++i) {
    auto fa = a.Features(i);
    auto fb = b.Features(i);
    CHECK(std::equal(fa.begin(), fa.end(), fb.begin(), fb.end()));
  }
  const auto& apt = names[8];
  auto has = [&](const std::vector<std::string>& v, const std::string& n) {
    return std::find(v.begin(), v.end(), n) != v.end();
  };
  CHECK(has(apt, "w=apt28"));
  CHECK(has(apt, "shape=XXXdd"));
  CHECK(has(apt, "sshape=Xd"));
  CHECK(has(apt, "pre3=apt"));
  CHECK(has(apt, "suf2=28"));
  CHECK(has(apt, "allcaps"));
  CHECK(has(apt, "digit"));
  CHECK(has(apt, "w-1=by"));
  CHECK(has(apt, "w+1=."));
  CHECK(has(apt, "w+2=</s>"));
  CHECK(has(apt, "w-1,w=by|apt28"));
  CHECK_FALSE(has(apt, "first"));
  CHECK(has(names[0], "first"));
  CHECK(has(names[0], "first+initcap"));
  CHECK(has(names[0], "w-2=<s>"));
  CHECK(has(names[1], "shape=Xxxxx"));  // runs capped at four
}

TEST_CASE("FeatureExtractor adds caller extras for the token and its neighbours") {
  std::vector<std::string> words = Split("targeted by Sandworm today");
  auto views = Views(words);
  std::vector<std::string_view> extra = {"", "", "GAZ=actor  GAZ=russia", ""};
  FeatureExtractor fx;
  std::vector<std::vector<std::string>> plain, with;
  fx.Extract(views, {}, nullptr, &plain);
  fx.Extract(views, extra, nullptr, &with);
  auto has = [](const std::vector<std::string>& v, const std::string& n) {
    return std::find(v.begin(), v.end(), n) != v.end();
  };
  CHECK(has(with[2], "x=GAZ=actor"));
  CHECK(has(with[2], "x=GAZ=russia"));
  CHECK(has(with[1], "x+1=GAZ=actor"));
  CHECK(has(with[3], "x-1=GAZ=russia"));
  CHECK(with[2].size() == plain[2].size() + 2);
  CHECK(with[0].size() == plain[0].size());
  // Extras of the wrong length are ignored rather than read out of bounds.
  std::vector<std::string_view> short_extra = {"GAZ=actor"};
  std::vector<std::vector<std::string>> ignored;
  fx.Extract(views, short_extra, nullptr, &ignored);
  CHECK(ignored == plain);
}

TEST_CASE("Lexicon phrases mark the tokens they cover") {
  Lexicon lex = TinyLexicon();
  CHECK(lex.classes() == std::vector<std::string>{"country", "actor"});
  CHECK(lex.size() == 8);
  CHECK(lex.AddClass("country") == 0);
  CHECK_FALSE(lex.Add("Spain", 7));          // no such class
  CHECK_FALSE(lex.Add("   ", 0));            // no tokens
  CHECK_FALSE(lex.Add("a b c d e f g", 0));  // longer than kMaxTokens
  CHECK(lex.AddClass("") == -1);
  for (char c = 'a'; c < 'k'; ++c) lex.AddClass(std::string(3, c));
  CHECK(lex.classes().size() == Lexicon::kMaxClasses);

  lex = TinyLexicon();
  std::vector<std::string> words = Split("Banks in SOUTH korea and south Africa were hit by Fancy Bear .");
  auto views = Views(words);
  FeatureExtractor fx;
  std::vector<std::vector<std::string>> names;
  fx.Extract(views, {}, &lex, &names);
  auto has = [&](size_t i, const std::string& n) {
    return std::find(names[i].begin(), names[i].end(), n) != names[i].end();
  };
  CHECK(has(2, "lexB=country"));        // SOUTH
  CHECK(has(3, "lexI=country"));        // korea
  CHECK(has(1, "lex+1=country"));       // in
  CHECK(has(4, "lex-1=country"));       // and
  CHECK_FALSE(has(5, "lexB=country"));  // "south" alone is only a prefix
  CHECK_FALSE(has(6, "lexI=country"));
  CHECK(has(10, "lexB=actor"));
  CHECK(has(11, "lexI=actor"));
  CHECK_FALSE(has(11, "lexB=country"));
  for (size_t i = 0; i < words.size(); ++i) CHECK(fx.Features(i).size() == names[i].size());
}

TEST_CASE("FeatureExtractor survives odd input") {
  std::string huge(100000, 'A');
  std::string binary("\x00\xff\xfe\x80\xc3", 5);
  std::vector<std::string_view> words = {"", huge, binary, "\xc3\xa9t\xc3\xa9", "-", "U.S."};
  FeatureExtractor fx;
  std::vector<std::vector<std::string>> names;
  fx.Extract(words, {}, nullptr, &names);
  REQUIRE(fx.size() == words.size());
  for (size_t i = 0; i < words.size(); ++i) CHECK(fx.Features(i).size() == names[i].size());
  fx.Extract({});
  CHECK(fx.size() == 0);
}

TEST_CASE("TrainTagger rejects inconsistent sentences") {
  TrainingSentence bad;
  bad.words = {"a", "b"};
  bad.tags = {0};
  std::vector<TrainingSentence> data = {bad};
  auto r = TrainTagger(data, {}, TrainerOptions());
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Status::Code::kInvalidArgument);
  CHECK(r.status().context() == "training sentence 0");

  bad.tags = {0, 42};
  data = {bad};
  r = TrainTagger(data, {}, TrainerOptions());
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message().find("tag out of range") != std::string::npos);

  bad.tags = {0, 0};
  bad.extra = {"x"};
  data = {bad};
  r = TrainTagger(data, {}, TrainerOptions());
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message().find("extras") != std::string::npos);
}

TEST_CASE("A tiny trained model round-trips exactly through Serialize and Load") {
  std::unique_ptr<Tagger> model = TrainTiny();
  REQUIRE(model->num_features() > 0);
  std::string bytes = model->Serialize();
  auto loaded = Tagger::Load(bytes);
  REQUIRE_MESSAGE(loaded.ok(), loaded.status().ToString());
  CHECK((*loaded)->num_features() == model->num_features());
  CHECK((*loaded)->Serialize() == bytes);
  CHECK((*loaded)->lexicon().classes() == model->lexicon().classes());
  CHECK((*loaded)->lexicon().size() == model->lexicon().size());

  const char* sentences[] = {
      "Fancy Bear attacked banks in Germany .",
      "APT41 targeted the Ministry of Defence in Japan .",
      "Nothing to see here",
      "Google and Mandiant tracked Sandworm in Poland .",
  };
  for (const char* s : sentences) {
    std::vector<std::string> words = Split(s);
    auto views = Views(words);
    CHECK_MESSAGE(model->Tag(views) == (*loaded)->Tag(views), s);
    CHECK_MESSAGE(model->TagSequence(views) == (*loaded)->TagSequence(views), s);
  }

  // The tiny model has learnt its own training data.
  for (const TrainingSentence& s : TinyCorpus()) {
    auto views = Views(s.words);
    std::vector<uint8_t> got = model->TagSequence(views);
    std::string want_text, got_text;
    for (size_t i = 0; i < got.size(); ++i) {
      want_text += TagName(s.tags[i]) + " ";
      got_text += TagName(got[i]) + " ";
    }
    CHECK_MESSAGE(got == s.tags, s.words[0] << "...: want " << want_text << " got " << got_text);
  }
}

TEST_CASE("The CRF trainer learns the tiny corpus too") {
  std::vector<TrainingSentence> corpus = TinyCorpus();
  TrainerOptions options;
  options.algorithm = TrainingAlgorithm::kCrf;
  options.epochs = 30;
  options.crf_learning_rate = 0.5;
  options.min_feature_count = 1;
  options.lexicon = TinyLexicon();
  auto model = TrainTagger(corpus, {}, options);
  REQUIRE_MESSAGE(model.ok(), model.status().ToString());
  for (const TrainingSentence& s : corpus) {
    auto views = Views(s.words);
    CHECK_MESSAGE((*model)->TagSequence(views) == s.tags, s.words[0]);
  }
  auto again = TrainTagger(corpus, {}, options);
  REQUIRE(again.ok());
  CHECK((*again)->Serialize() == (*model)->Serialize());
  auto loaded = Tagger::Load((*model)->Serialize());
  REQUIRE(loaded.ok());
  CHECK((*loaded)->Serialize() == (*model)->Serialize());
}

TEST_CASE("Training is deterministic") { CHECK(TrainTiny(4)->Serialize() == TrainTiny(4)->Serialize()); }

TEST_CASE("Load rejects damaged models with a clear status") {
  std::string bytes = TrainTiny(3, /*with_lexicon=*/false)->Serialize();
  REQUIRE(bytes.size() > 500);

  auto expect_invalid = [](std::string_view data, const std::string& what, const std::string& fragment) {
    auto r = Tagger::Load(data);
    REQUIRE_MESSAGE(!r.ok(), what);
    CHECK_MESSAGE(r.status().code() == Status::Code::kInvalidInput, what);
    CHECK_MESSAGE(r.status().message().find(fragment) != std::string::npos,
                  what << ": " << r.status().ToString());
    CHECK_MESSAGE(r.status().context().find("byte offset") != std::string::npos, what);
  };

  expect_invalid("", "empty", "bad magic");
  expect_invalid("P2STAGG", "short magic", "bad magic");
  expect_invalid("{\"not\": \"a model\"}", "json", "bad magic");
  // Every truncation fails, none crashes.
  for (size_t len = 0; len < bytes.size(); ++len) {
    auto r = Tagger::Load(std::string_view(bytes).substr(0, len));
    CHECK_MESSAGE(!r.ok(), "prefix of " << len << " bytes loaded");
  }
  expect_invalid(std::string_view(bytes).substr(0, 30), "header cut", "truncated");
  expect_invalid(std::string_view(bytes).substr(0, bytes.size() - 30), "body cut", "truncated");
  expect_invalid(bytes + "xy", "trailing bytes", "trailing");
  // Every single-byte change is caught (by a field check or the checksum).
  for (size_t i = 0; i < bytes.size(); i += (i < 460 ? 1 : 7)) {
    std::string damaged = bytes;
    damaged[i] = static_cast<char>(damaged[i] ^ 0x5a);
    auto r = Tagger::Load(damaged);
    CHECK_MESSAGE(!r.ok(), "byte " << i << " changed, still loaded");
  }
  std::string damaged = bytes;
  damaged[bytes.size() / 2] = static_cast<char>(damaged[bytes.size() / 2] ^ 1);
  expect_invalid(damaged, "bit flip", "checksum");
  damaged = bytes;
  damaged[8] = 9;  // format version
  expect_invalid(damaged, "format version", "unsupported format version 9");
  damaged = bytes;
  damaged[12] = 77;  // feature version
  expect_invalid(damaged, "feature version", "feature version 77");
  // A huge feature count is rejected before any allocation.
  damaged = bytes;
  // Without a lexicon the feature count follows the header (36 bytes), transitions (400) and
  // two zero lexicon counts (8).
  damaged[444] = damaged[445] = damaged[446] = damaged[447] = '\xff';
  expect_invalid(damaged, "huge count", "truncated");
  damaged = bytes;
  damaged[436] = 100;  // lexicon class count
  expect_invalid(damaged, "class count", "too many lexicon classes");

  // A model with a lexicon: every single-byte change is caught too.
  std::string with_lex = TrainTiny(3)->Serialize();
  for (size_t i = 0; i < with_lex.size(); i += 3) {
    std::string d = with_lex;
    d[i] = static_cast<char>(d[i] ^ 0x21);
    CHECK_MESSAGE(!Tagger::Load(d).ok(), "byte " << i << " changed, still loaded");
  }
  for (size_t len = 0; len < with_lex.size(); len += 5) {
    CHECK_MESSAGE(!Tagger::Load(std::string_view(with_lex).substr(0, len)).ok(), "prefix " << len);
  }
}

namespace {
// Re-seals a model whose bytes a test has changed: recomputes the trailing FNV-1a checksum.
std::string Reseal(std::string bytes) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i + 4 < bytes.size(); ++i) {
    h ^= static_cast<unsigned char>(bytes[i]);
    h *= 16777619u;
  }
  for (int k = 0; k < 4; ++k)
    bytes[bytes.size() - 4 + static_cast<size_t>(k)] = static_cast<char>((h >> (8 * k)) & 0xFF);
  return bytes;
}
void PutU32At(std::string* b, size_t at, uint32_t v) {
  for (int k = 0; k < 4; ++k) (*b)[at + static_cast<size_t>(k)] = static_cast<char>((v >> (8 * k)) & 0xFF);
}
}  // namespace

TEST_CASE("Load checks every field even when the checksum matches") {
  const std::string plain = TrainTiny(3, /*with_lexicon=*/false)->Serialize();
  REQUIRE(Tagger::Load(Reseal(plain)).ok());  // Reseal itself changes nothing
  const std::string lex = TrainTiny(3)->Serialize();
  REQUIRE(Tagger::Load(Reseal(lex)).ok());

  struct Case {
    const char* what;
    std::function<void(std::string*)> damage;
    const char* fragment;
    bool with_lexicon;
  };
  const float nan = std::numeric_limits<float>::quiet_NaN();
  auto put_f32 = [](std::string* b, size_t at, float f) {
    uint32_t v;
    std::memcpy(&v, &f, 4);
    PutU32At(b, at, v);
  };
  // Layout without a lexicon: header 36 bytes (scale at 20, calibration a 24, b 28, bias 32),
  // transitions 36..435, class count 436, entry count 440, feature count 444, keys from 448.
  // With the tiny lexicon ("country", "actor"): entry count at 454, entries (9 bytes) from 458.
  const Case cases[] = {
      {"tag count", [](std::string* b) { PutU32At(b, 16, 7); }, "expected 9 tags", false},
      {"NaN scale", [&](std::string* b) { put_f32(b, 20, nan); }, "weight scale", false},
      {"negative scale", [&](std::string* b) { put_f32(b, 20, -1.0f); }, "weight scale", false},
      {"zero calibration slope", [&](std::string* b) { put_f32(b, 24, 0.0f); }, "calibration", false},
      {"infinite bias", [&](std::string* b) { put_f32(b, 32, std::numeric_limits<float>::infinity()); },
       "bias", false},
      {"NaN transition", [&](std::string* b) { put_f32(b, 100, nan); }, "transition", false},
      {"feature count too small",
       [](std::string* b) {
         uint32_t n = 0;
         for (int k = 0; k < 4; ++k)
           n |= uint32_t{static_cast<unsigned char>((*b)[444 + static_cast<size_t>(k)])} << (8 * k);
         PutU32At(b, 444, n - 1);
       },
       "trailing", false},
      {"keys out of order",
       [](std::string* b) {
         std::string first = b->substr(448, 8), second = b->substr(456, 8);
         b->replace(448, 8, second);
         b->replace(456, 8, first);
       },
       "strictly increasing", false},
      {"zero key", [](std::string* b) { b->replace(448, 8, std::string(8, '\0')); }, "strictly increasing",
       false},
      {"empty class name", [](std::string* b) { (*b)[440] = 0; }, "class name", true},
      {"duplicate class",
       [](std::string* b) {
         b->replace(440, 14,
                    "\x06"
                    "actorz"
                    "\x06"
                    "actorz");
       },
       "duplicate lexicon class", true},
      {"undefined lexicon class", [](std::string* b) { (*b)[458 + 8] = 0x40; }, "undefined classes", true},
      {"lexicon entry count", [](std::string* b) { PutU32At(b, 454, 0xFFFFFFF0u); }, "lexicon entries", true},
  };
  for (const Case& c : cases) {
    std::string bytes = c.with_lexicon ? lex : plain;
    c.damage(&bytes);
    auto r = Tagger::Load(Reseal(bytes));
    REQUIRE_MESSAGE(!r.ok(), c.what);
    CHECK_MESSAGE(r.status().code() == Status::Code::kInvalidInput, c.what);
    CHECK_MESSAGE(r.status().message().find(c.fragment) != std::string::npos,
                  c.what << ": " << r.status().ToString());
  }
}

TEST_CASE("Random damage behind a valid checksum never crashes Load or Tag") {
  const std::string good = TrainTiny(3)->Serialize();
  std::mt19937 rng(12345);
  std::vector<std::string> words = Split("Fancy Bear attacked banks in South Korea and Germany .");
  auto views = Views(words);
  int loaded = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string bytes = good;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < edits; ++k) {
      size_t at = rng() % (bytes.size() - 4);
      switch (rng() % 3) {
        case 0:
          bytes[at] = static_cast<char>(rng());
          break;  // overwrite a byte
        case 1:
          bytes.erase(at, 1 + rng() % 8);
          break;  // cut
        default:
          bytes.insert(at, std::string(1 + rng() % 8, static_cast<char>(rng())));
          break;  // insert
      }
    }
    auto r = Tagger::Load(Reseal(bytes));
    if (!r.ok()) {
      CHECK(r.status().code() == Status::Code::kInvalidInput);
      continue;
    }
    ++loaded;
    for (const TaggedSpan& sp : (*r)->Tag(views)) {
      CHECK(sp.first_token < sp.last_token);
      CHECK(sp.last_token <= views.size());
      CHECK(sp.confidence >= 0.0f);
      CHECK(sp.confidence <= 1.0f);
    }
  }
  MESSAGE(loaded << " of 3000 damaged models loaded (weights changed in range)");
}

TEST_CASE("Tagging is total: empty, odd and long sentences") {
  std::unique_ptr<Tagger> model = TrainTiny(3);
  CHECK(model->Tag({}).empty());
  CHECK(model->TagSequence({}).empty());
  std::string binary("\x00\xff\x80", 3);
  std::vector<std::string_view> odd = {binary, "", "\xe2\x80\x94", "APT28"};
  for (const TaggedSpan& s : model->Tag(odd)) {
    CHECK(s.first_token < s.last_token);
    CHECK(s.last_token <= odd.size());
  }
  // Longer than Tagger::kMaxChunkWords: tagged in chunks, offsets still refer to the whole.
  std::vector<std::string_view> many;
  for (int i = 0; i < 1000; ++i) {
    for (std::string_view w : {"Fancy", "Bear", "attacked", "banks", "in", "Germany", "."}) many.push_back(w);
  }
  std::vector<TaggedSpan> spans = model->Tag(many);
  std::vector<uint8_t> tags = model->TagSequence(many);
  REQUIRE(tags.size() == many.size());
  std::vector<TaggedSpan> from_tags = SpansFromTags(tags);
  REQUIRE(spans.size() == from_tags.size());
  for (size_t k = 0; k < spans.size(); ++k) {
    CHECK(spans[k].first_token == from_tags[k].first_token);
    CHECK(spans[k].last_token == from_tags[k].last_token);
    CHECK(spans[k].label == from_tags[k].label);
    CHECK(spans[k].last_token <= many.size());
    CHECK(spans[k].confidence >= 0.0f);
    CHECK(spans[k].confidence <= 1.0f);
  }
  // A span far into the sentence: the model finds Germany there as at the start.
  CHECK(Covers(spans, EntityLabel::kLoc, 7 * 900 + 5));
}

TEST_CASE("The embedded model loads and finds obvious entities") {
  const Tagger* tagger = Tagger::Default();
  REQUIRE(tagger != nullptr);
  CHECK(tagger == Tagger::Default());
  CHECK(tagger->num_features() > 1000);

  struct Case {
    const char* sentence;
    EntityLabel label;
    const char* word;  // a word some span of `label` must cover
  };
  const Case cases[] = {
      {"The Ministry of Foreign Affairs of Ukraine was targeted by APT28 .", EntityLabel::kOrg, "Ministry"},
      {"The Ministry of Foreign Affairs of Ukraine was targeted by APT28 .", EntityLabel::kGroup, "APT28"},
      {"Researchers at Microsoft attributed the intrusion to APT29 .", EntityLabel::kOrg, "Microsoft"},
      {"Researchers at Microsoft attributed the intrusion to APT29 .", EntityLabel::kGroup, "APT29"},
      {"The group has been active in Germany and France since 2019 .", EntityLabel::kLoc, "Germany"},
      {"The group has been active in Germany and France since 2019 .", EntityLabel::kLoc, "France"},
      {"Lazarus Group continued to target cryptocurrency exchanges .", EntityLabel::kGroup, "Lazarus"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> words = Split(c.sentence);
    auto views = Views(words);
    std::vector<TaggedSpan> spans = tagger->Tag(views);
    size_t token = static_cast<size_t>(std::find(words.begin(), words.end(), c.word) - words.begin());
    REQUIRE(token < words.size());
    CHECK_MESSAGE(Covers(spans, c.label, token), c.sentence << " -> " << Describe(spans, words) << "; want "
                                                            << EntityLabelName(c.label) << " over "
                                                            << c.word);
    for (const TaggedSpan& s : spans) {
      CHECK(s.confidence >= 0.0f);
      CHECK(s.confidence <= 1.0f);
    }
  }
  // A sentence with nothing to find stays empty.
  std::vector<std::string> plain = Split("The malware copies itself to the temporary folder and exits .");
  auto plain_views = Views(plain);
  CHECK_MESSAGE(tagger->Tag(plain_views).empty(), Describe(tagger->Tag(plain_views), plain));
}

// Sentences that exercise the word cache: words repeated within and across sentences, new words,
// words longer than a cache entry holds, odd bytes, case variants of one word, sentences of one to
// three tokens (where the padding reaches every token), lexicon phrases, and one sentence longer
// than Tagger::kMaxChunkWords.
std::vector<std::vector<std::string>> CacheTestSentences() {
  std::vector<std::vector<std::string>> out;
  for (const char* s : {
           "The Ministry of Foreign Affairs of Ukraine was targeted by APT28 .",
           "Researchers at Microsoft attributed the intrusion to APT29 .",
           "Fancy Bear attacked banks in Germany and South Korea .",
           "fancy bear attacked BANKS in germany and south korea .",
           "APT28",
           "Lazarus Group",
           "in Poland .",
       }) {
    out.push_back(Split(s));
  }
  out.push_back({""});
  out.push_back({"", "\xc3\xa9t\xc3\xa9", std::string("\x00\xff", 2)});
  const std::vector<std::string> vocab = Split(
      "the The THE of in and . , - ( ) APT28 apt28 Sandworm Microsoft Google Germany Japan South Korea "
      "Fancy Bear banks energy sector ministries Storm-0558 UNC3886 CVE-2024-1234 2019 3.5 U.S. "
      "exactly16bytes!! seventeen-bytes!! a-much-longer-token-than-sixteen-bytes "
      "https://example.com/path/to/some/file.exe Pr\xc3\xa9sident \xe2\x80\x94 targeted attributed "
      "https://example.com/a/path/longer/than/sixty-four/bytes/Which/Has/Many/Shapes/file.exe "
      "intrusion Ministry Defence Lazarus Group x X Xx xX");
  std::mt19937 rng(20240520);
  for (int k = 0; k < 400; ++k) {
    std::vector<std::string> words(1 + rng() % 30);
    for (std::string& w : words) w = vocab[rng() % vocab.size()];
    out.push_back(std::move(words));
  }
  std::vector<std::string> long_sentence;
  for (size_t i = 0; i < Tagger::kMaxChunkWords + 300; ++i)
    long_sentence.push_back(vocab[rng() % vocab.size()]);
  out.push_back(std::move(long_sentence));
  return out;
}

struct TagOutputs {
  std::vector<std::vector<TaggedSpan>> spans;
  std::vector<std::vector<uint8_t>> tags;
  bool operator==(const TagOutputs&) const = default;
};

// Per-word extras for every third sentence k.
std::vector<std::string_view> ExtrasFor(size_t k, size_t words) {
  std::vector<std::string_view> extra;
  if (k % 3 == 0) {
    for (size_t i = 0; i < words; ++i) extra.push_back(i % 2 == 0 ? "GAZ=actor" : "");
  }
  return extra;
}

// Tags every sentence with `model`.
TagOutputs TagEach(const Tagger& model, const std::vector<std::vector<std::string>>& sentences) {
  TagOutputs out;
  for (size_t k = 0; k < sentences.size(); ++k) {
    auto views = Views(sentences[k]);
    auto extra = ExtrasFor(k, views.size());
    out.spans.push_back(model.Tag(views, extra));
    out.tags.push_back(model.TagSequence(views, extra));
  }
  return out;
}

TEST_CASE("The word cache changes nothing: cold, warm, and across models") {
  const Tagger* big = Tagger::Default();
  REQUIRE(big != nullptr);
  std::unique_ptr<Tagger> tiny = TrainTiny(4);
  const auto sentences = CacheTestSentences();

  // The reference: features extracted and looked up one by one.
  Tagger::UseWordCache(false);
  const TagOutputs want_big = TagEach(*big, sentences);
  const TagOutputs want_tiny = TagEach(*tiny, sentences);
  Tagger::UseWordCache(true);
  size_t spans = 0;
  for (const auto& s : want_big.spans) spans += s.size();
  CHECK(spans > 50);  // the comparison covers real spans and their confidences

  // A new thread starts with an empty cache; the second pass finds most words in it; tagging
  // with another model in between must not reuse the first model's entries.
  std::thread([&] {
    CHECK(TagEach(*big, sentences) == want_big);
    CHECK(TagEach(*big, sentences) == want_big);
    CHECK(TagEach(*tiny, sentences) == want_tiny);
    CHECK(TagEach(*big, sentences) == want_big);
    for (size_t k = 0; k < sentences.size(); ++k) {
      auto views = Views(sentences[k]);
      const Tagger& model = k % 2 == 0 ? *big : *tiny;
      const TagOutputs& want = k % 2 == 0 ? want_big : want_tiny;
      CHECK(model.TagSequence(views, ExtrasFor(k, views.size())) == want.tags[k]);
      CHECK(model.Tag(views, ExtrasFor(k, views.size())) == want.spans[k]);
    }
  }).join();
  // And on this thread, where the uncached passes ran.
  CHECK(TagEach(*tiny, sentences) == want_tiny);
  CHECK(TagEach(*big, sentences) == want_big);
}

TEST_CASE("The word cache changes nothing when more words pass through it than it holds") {
  // Far more distinct words than the cache's entries (a few sets' worth of words share each set),
  // so that entries are replaced, in sentences that mix them with frequent words kept in the cache:
  // the second pass finds some words and misses the others.
  const Tagger* tagger = Tagger::Default();
  REQUIRE(tagger != nullptr);
  const std::vector<std::string> frequent = Split("the of in and . , APT28 Microsoft Germany targeted banks");
  std::mt19937 rng(7);
  std::vector<std::vector<std::string>> sentences;
  for (int k = 0; k < 3000; ++k) {
    std::vector<std::string> words;
    for (size_t i = 0, n = 3 + rng() % 20; i < n; ++i) {
      if (rng() % 3 == 0) {
        words.push_back(frequent[rng() % frequent.size()]);
      } else {
        // 1..16 bytes, so that every such word fits a cache entry; capitalised now and then.
        std::string w = (rng() % 4 == 0 ? "Grp" : "w") + std::to_string(rng() % 40000);
        w.resize(std::min<size_t>(w.size(), 16));
        words.push_back(std::move(w));
      }
    }
    sentences.push_back(std::move(words));
  }
  std::vector<std::vector<uint8_t>> want_tags;
  std::vector<std::vector<TaggedSpan>> want_spans;
  size_t spans = 0;
  std::thread([&] {
    Tagger::UseWordCache(false);
    for (const auto& s : sentences) {
      want_tags.push_back(tagger->TagSequence(Views(s)));
      want_spans.push_back(tagger->Tag(Views(s)));
      spans += want_spans.back().size();
    }
  }).join();
  CHECK(spans > 100);  // the confidences compared below depend on every emission score
  std::thread([&] {
    for (int pass = 0; pass < 2; ++pass) {
      size_t mismatches = 0;
      for (size_t k = 0; k < sentences.size(); ++k) {
        if (tagger->TagSequence(Views(sentences[k])) != want_tags[k]) ++mismatches;
        if (tagger->Tag(Views(sentences[k])) != want_spans[k]) ++mismatches;
      }
      CHECK_MESSAGE(mismatches == 0, "pass " << pass);
    }
  }).join();
}

TEST_CASE("Tag may run on many threads at once") {
  const Tagger* tagger = Tagger::Default();
  REQUIRE(tagger != nullptr);
  const std::vector<std::string> sentences = {
      "APT29 targeted the Ministry of Defence in Poland .",
      "Researchers at Google tracked the group across Europe .",
      "Banks in Brazil were hit again .",
  };
  std::vector<std::vector<TaggedSpan>> want;
  for (const std::string& s : sentences) {
    std::vector<std::string> words = Split(s);
    want.push_back(tagger->Tag(Views(words)));
  }
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 200; ++round) {
        size_t k = static_cast<size_t>(t + round) % sentences.size();
        std::vector<std::string> words = Split(sentences[k]);
        if (tagger->Tag(Views(words)) != want[k]) ++mismatches;
      }
    });
  }
  for (std::thread& th : threads) th.join();
  CHECK(mismatches.load() == 0);
}

}  // namespace prose2stix::extract
