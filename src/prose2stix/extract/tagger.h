// Named-entity sequence tagger: GROUP (threat actor), ORG, LOC and SECTOR spans in one sentence.
//
// A linear model over sparse hashed features with first-order BIO tag transitions, decoded
// exactly by Viterbi, trained as an averaged structured perceptron (or a linear-chain CRF) by
// TrainTagger below, driven by tools/train/train_tagger.cc on AnnoCTR. The shipped weights are
// the embedded data file "tagger.model" (src/prose2stix/data/), derived from AnnoCTR and licensed
// CC BY-SA 4.0 (src/prose2stix/data/LICENSE-tagger.md). The model also carries a Lexicon of
// country, capital, region, sector and threat-actor names (from the MISP galaxies).
//
// Features come from ONE function, FeatureExtractor::Extract, which both training and tagging
// call, so the two can never disagree. Callers may add their own per-token feature strings
// (`extra`, e.g. gazetteer hits); they only carry weight when the model was trained with the same
// extras (the shipped model was trained without any).
//
// Tokens: the model was trained on AnnoCTR's tokens (punctuation split off, "U.S" "." split);
// the project's tokenizer is close to that. Words are compared case-folded for ASCII only.
// Accuracy on AnnoCTR dev, exact spans (train_tagger prints it; LICENSE-tagger.md has the
// command): F1 about 0.94 GROUP, 0.69 ORG, 0.76 LOC, 0.42 SECTOR, 0.72 overall, precision well
// above recall. Confidence is calibrated on dev: spans above a threshold (e.g. 0.8) are right
// about that often.
//
// Thread safety: a Tagger is immutable after Load; Tag() may be called from many threads at once.
// FeatureExtractor holds scratch buffers: one per thread.
#ifndef PROSE2STIX_EXTRACT_TAGGER_H_
#define PROSE2STIX_EXTRACT_TAGGER_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "prose2stix/util/result.h"
#include "prose2stix/util/status.h"

namespace prose2stix::extract {

enum class EntityLabel : uint8_t { kNone, kGroup, kOrg, kLoc, kSector };
inline constexpr int kNumEntityLabels = 5;  // including kNone

// "O", "GROUP", "ORG", "LOC", "SECTOR".
std::string_view EntityLabelName(EntityLabel label);
// The inverse of EntityLabelName for the four entity types; kNone for anything else.
EntityLabel ParseEntityLabel(std::string_view name);

// BIO tags as small integers: 0 is O, 2k-1 is B-<label k>, 2k is I-<label k> (k = 1..4 in
// EntityLabel order), so there are kNumTags = 9 tags.
inline constexpr int kNumTags = 9;
inline constexpr uint8_t kTagOutside = 0;
inline constexpr uint8_t BeginTag(EntityLabel l) { return static_cast<uint8_t>(2 * static_cast<int>(l) - 1); }
inline constexpr uint8_t InsideTag(EntityLabel l) { return static_cast<uint8_t>(2 * static_cast<int>(l)); }
inline constexpr EntityLabel TagLabel(uint8_t tag) {
  return tag == 0 || tag >= kNumTags ? EntityLabel::kNone : static_cast<EntityLabel>((tag + 1) / 2);
}
inline constexpr bool IsBeginTag(uint8_t tag) { return tag != 0 && tag < kNumTags && tag % 2 == 1; }
// "O", "B-ORG", "I-LOC", ...
std::string TagName(uint8_t tag);
// Whether `tag` may follow `prev` in a well-formed BIO sequence (an I-X only after B-X or I-X);
// prev = kNumTags stands for the sentence start.
bool TransitionAllowed(int prev, int tag);

struct TaggedSpan {
  size_t first_token = 0;  // tokens [first_token, last_token): inclusive-exclusive
  size_t last_token = 0;
  EntityLabel label = EntityLabel::kNone;
  float confidence = 0;  // calibrated from the Viterbi margin: 0..1, ~ P(span exactly right)
  bool operator==(const TaggedSpan&) const = default;
};

// The spans of a tag sequence: a span starts at a B-X (or at an I-X that does not continue an X,
// which the decoder never produces) and runs over the following I-X. Confidence is left at 0.
std::vector<TaggedSpan> SpansFromTags(std::span<const uint8_t> tags);

// Word lists that the feature function consults: phrases of 1..kMaxTokens tokens, compared
// token by token with ASCII case folded, each with a set of named classes ("country", "actor").
// A model stores the lexicon it was trained with and tags with it.
class Lexicon {
 public:
  static constexpr size_t kMaxClasses = 7;
  static constexpr size_t kMaxTokens = 6;

  // Returns the index of class `name`, adding it when new; -1 when kMaxClasses are taken or the
  // name is empty or longer than 255 bytes.
  int AddClass(std::string_view name);
  // Adds `phrase` (split on ASCII whitespace) to class `class_index`. Returns false, adding
  // nothing, for an unknown class or a phrase of zero or more than kMaxTokens tokens.
  bool Add(std::string_view phrase, int class_index);

  const std::vector<std::string>& classes() const { return classes_; }
  size_t size() const { return phrases_; }  // distinct phrases
  bool empty() const { return phrases_ == 0; }

 private:
  friend class FeatureExtractor;
  friend class Tagger;
  friend class TaggerBuilder;
  static constexpr uint8_t kPrefixBit = 0x80;  // some longer phrase starts with this one

  // Class bits of the token sequence with this hash (plus kPrefixBit); 0 when absent.
  uint8_t Lookup(uint64_t key) const;
  // Fetches the slot where Lookup(key) starts into the CPU cache.
  void Prefetch(uint64_t key) const;
  void Insert(uint64_t key, uint8_t bits);

  std::vector<std::string> classes_;
  std::vector<uint64_t> class_hash_;
  std::vector<uint64_t> keys_;  // open addressing, power-of-two size, 0 = empty
  std::vector<uint8_t> bits_;
  size_t used_ = 0;     // occupied slots (phrases and prefixes)
  size_t phrases_ = 0;  // slots with class bits
};

// Computes the feature keys of every token of one sentence. Keys are 64-bit hashes of
// (template, value) pairs, never 0. Templates: lowercased word; word shape ("Xxxx", "XXdd") and
// its collapsed form ("Xx", "Xd"); byte prefixes and suffixes of length 1-4; capitalised,
// all-caps, has-digit, has-hyphen, has-dot flags; length bucket; sentence-initial (alone and with
// capitalisation); title-case sentence with capitalised word; the lowercased words and collapsed
// shapes at -2, -1, +1, +2; word bigrams (-1,0) and (0,+1); shape bigrams; lexicon classes of
// the phrases the token begins or continues, and of its neighbours; and each `extra` string of
// the token and its neighbours.
class FeatureExtractor {
 public:
  // Version of the feature function; a model trained with another version is rejected by Load.
  static constexpr uint32_t kVersion = 2;

  // `extra` is empty or has one entry per word; an entry holds zero or more feature strings
  // separated by spaces ("GAZ=actor GAZ=country"); at most 16 per token are used. `lexicon` may
  // be null. The views need only live during the call. When `names` is not null it receives one
  // readable name per key, in the same order, for debugging and tests ("w=apt28",
  // "sshape-1=Xx"); that is slower.
  void Extract(std::span<const std::string_view> words, std::span<const std::string_view> extra = {},
               const Lexicon* lexicon = nullptr, std::vector<std::vector<std::string>>* names = nullptr);

  size_t size() const { return offsets_.empty() ? 0 : offsets_.size() - 1; }
  // The keys of token `i` (i < size()), valid until the next Extract.
  std::span<const uint64_t> Features(size_t i) const {
    return std::span<const uint64_t>(keys_.data() + offsets_[i], offsets_[i + 1] - offsets_[i]);
  }

 private:
  friend class Tagger;
  friend class TaggerBuilder;
  class Emitter;

  // The steps of Extract. The tagger's word cache (Tagger::CachedEmissions) runs AnalyseWord and
  // AddWordFeatures / AddNeighbour only for words it has not seen (and for their text part only
  // when it knows their shape class), and AddNeighbourFeatures not at all; instead of
  // AnalyseSentence and AddBigramFeatures it runs AnalyseTitleCase and AnalyseLexicon and takes
  // the bigram keys from PairKey (the shape bigrams' only when its cache misses them).
  // Sizes the per-token arrays for n tokens and clears the keys.
  void Begin(size_t n);
  // Token i alone: its lowercased text, shapes, their hashes and its flags.
  void AnalyseWord(size_t i, std::string_view word);
  // The lexicon classes of the one-word phrase with this word hash (and whether longer phrases
  // start with it): the first step of the lexicon match at a token, which depends on its word only.
  static uint8_t LexiconStart(uint64_t word_hash, const Lexicon* lexicon);
  static void PrefetchLexiconStart(uint64_t word_hash, const Lexicon* lexicon);
  // Needs every token's hashes, flags and LexiconStart: title case, bigrams and the lexicon
  // phrases.
  void AnalyseSentence(std::span<const std::string_view> words, const Lexicon* lexicon);
  // Its steps: title case; the word and shape bigram hashes (Pair() of the two tokens'
  // hashes); the lexicon phrases, whose two-word lookups PrefetchLexicon fetches into the CPU
  // cache first (they are cache misses, which then overlap).
  void AnalyseTitleCase(std::span<const std::string_view> words);
  void PrefetchLexicon(const Lexicon* lexicon) const;
  void AnalyseLexicon(const Lexicon* lexicon);
  // The features of a word alone come in two parts: those of its (lowercased) text, and those
  // of its shape class (shape, collapsed shape, flags, length bucket).
  static constexpr unsigned kIdentityPart = 1, kShapePart = 2, kBothParts = 3;
  // Token i's features, in Extract's order: those of the word alone (bias, word, shapes,
  // prefixes, suffixes, flags, length; of `parts` only); of its position (sentence start, title
  // case); of the words and shapes of its neighbours; of its context (bigrams, lexicon classes,
  // extras).
  void AddWordFeatures(Emitter& e, size_t i, size_t word_bytes, unsigned parts = kBothParts) const;
  void AddPositionFeatures(Emitter& e, size_t i) const;
  void AddNeighbourFeatures(Emitter& e, size_t i) const;
  // The two features token i gets from its neighbour at offset index k (-2, -1, +1, +2) whose
  // lowercased word and collapsed shape have these hashes (those of "<s>" or "</s>" beyond the
  // sentence): the word's (identity part) and the collapsed shape's (shape part).
  void AddNeighbour(Emitter& e, size_t i, uint32_t k, uint64_t word_hash, uint64_t short_shape_hash,
                    unsigned parts = kBothParts) const;
  // Token i's context features: its bigrams, then its lexicon classes and extras.
  void AddContextFeatures(Emitter& e, size_t i, std::span<const std::string_view> extra,
                          const Lexicon* lexicon) const;
  void AddBigramFeatures(Emitter& e, size_t i) const;
  void AddLexiconExtraFeatures(Emitter& e, size_t i, std::span<const std::string_view> extra,
                               const Lexicon* lexicon) const;
  // Whether AddLexiconExtraFeatures may emit anything for token i (false: it emits nothing).
  bool HasLexiconExtraFeatures(size_t i, std::span<const std::string_view> extra) const;
  // Pair k (word_pair_[k] or shape_pair_[k], of tokens k-1 and k) gives one feature to each of
  // its tokens, keyed by the pair's hash alone: the one of token k (`of_second`: w-1,w or
  // sshape-1,sshape) and the one of token k-1 (w,w+1 or sshape,sshape+1). The key of either, as
  // AddBigramFeatures emits it.
  enum class PairKind { kWords, kShapes };
  static uint64_t PairKey(PairKind kind, bool of_second, uint64_t pair_hash);
  // The word hash, collapsed-shape hash and name of the token at i + off, or of the padding.
  uint64_t WordAt(size_t i, int off) const;
  uint64_t ShapeAt(size_t i, int off) const;
  std::string NameAt(const std::vector<std::string>& v, size_t i, int off) const;

  std::vector<uint64_t> keys_;
  std::vector<uint8_t> templates_;  // template id of each key (training's word dropout)
  std::vector<uint32_t> offsets_;
  // Per-token scratch of the current sentence of n_ tokens.
  size_t n_ = 0;
  bool title_case_ = false;
  std::vector<uint64_t> word_hash_, shape_hash_, short_shape_hash_;
  std::vector<uint8_t> flags_, lex_start_, lex_begin_, lex_inside_;
  // Pair k: the word (collapsed-shape) bigram of tokens k-1 and k, padding included (n_ + 1).
  std::vector<uint64_t> word_pair_, shape_pair_;
  std::vector<std::string> lower_, shape_, short_shape_;
  // Whether AnalyseWord fills shape_ and short_shape_ (only feature names read them); Begin
  // clears it.
  bool keep_shapes_ = false;
};

class Tagger {
 public:
  // The embedded model (data file "tagger.model"), loaded once on first use, thread-safe.
  // nullptr when the build has no model or it does not load.
  static const Tagger* Default();

  // Parses a model written by Serialize(). Rejects wrong magic or version, truncation, trailing
  // bytes, a checksum mismatch and out-of-range values with an InvalidInput status naming the
  // byte offset; never reads out of bounds whatever the bytes. The bytes are copied.
  static Result<std::unique_ptr<Tagger>> Load(std::string_view model_bytes);

  // Sentences longer than this are tagged as independent chunks of this many words.
  static constexpr size_t kMaxChunkWords = 1024;

  // Tags one sentence. `words` are the token texts; `extra` is empty or one entry per word (see
  // FeatureExtractor::Extract). Returns the spans in order. Linear in the number of words;
  // memory is bounded by kMaxChunkWords.
  std::vector<TaggedSpan> Tag(std::span<const std::string_view> words,
                              std::span<const std::string_view> extra = {}) const;

  // The best BIO tag sequence (one tag per word), as Tag() decodes it.
  std::vector<uint8_t> TagSequence(std::span<const std::string_view> words,
                                   std::span<const std::string_view> extra = {}) const;

  // The model in the binary format Load() reads; Load(Serialize()) tags identically.
  std::string Serialize() const;

  size_t num_features() const { return num_features_; }
  const Lexicon& lexicon() const { return lexicon_; }

  // Tag() and TagSequence() keep, per thread, the part of the emission scores that depends on a
  // word alone (its own features, and those it gives its neighbours) for the words seen lately,
  // and that of the collapsed-shape bigrams: caches of at most 2 MiB per thread, whatever the
  // text, allocated on first use. Results are identical with and without them; this turns them
  // off or on for the calling thread (tests, benchmarks).
  static void UseWordCache(bool enabled);

  Tagger(const Tagger&) = delete;
  Tagger& operator=(const Tagger&) = delete;
  ~Tagger();

 private:
  friend class TaggerBuilder;
  // A feature and its weights: two to a cache line.
  struct alignas(32) Entry {
    uint64_t key;
    int16_t weights[kNumTags];
  };
  static constexpr int kTransSize = kNumTags + 1;  // row kNumTags = start, column kNumTags = end

  struct Scratch;  // per-thread buffers and word cache

  Tagger() = default;
  static Scratch& ThreadScratch();
  // The weight row of feature `key`, or null. Find probes the key's home group and FindAfter
  // the groups after that full group.
  const int16_t* Find(uint64_t key) const;
  const int16_t* FindAfter(uint64_t key, size_t full_group) const;
  // Adds the weight rows of `keys` to acc[0..kNumTags).
  void AddWeights(std::span<const uint64_t> keys, int32_t* acc) const;
  // Emission scores (n x kNumTags) from the summed int16 weights of each token.
  void Scores(const int32_t* acc, size_t n, std::vector<float>* scores) const;
  // Emission scores (n x kNumTags) of the sentence whose features `fx` holds.
  void Emissions(const FeatureExtractor& fx, std::vector<float>* scores) const;
  // The same scores for `words`, into s.em, with the word-level part from the thread's cache.
  void CachedEmissions(std::span<const std::string_view> words, std::span<const std::string_view> extra,
                       Scratch& s) const;
  // Adds the weight row of each of `keys` (if any) to dst[j][0..kNumTags), fetching ahead.
  void AddAll(std::span<const uint64_t> keys, int32_t* const* dst) const;
  // s.em for one chunk: CachedEmissions, or Extract and Emissions when the cache is off.
  void ChunkEmissions(std::span<const std::string_view> words, std::span<const std::string_view> extra,
                      Scratch& s) const;
  float Confidence(float margin) const;
  // Tag() with each span's raw Viterbi margin instead of its confidence (left 0).
  void TagWithMargins(std::span<const std::string_view> words, std::span<const std::string_view> extra,
                      std::vector<TaggedSpan>* spans, std::vector<float>* margins) const;

  // 16-bit fingerprints of the keys of eight consecutive slots (0 = empty): one SSE2 compare.
  struct alignas(16) Group {
    uint16_t fingerprint[8];
  };

  // Feature table: open addressing over groups of eight slots, probed group by group from the
  // key's home group; a key's fingerprints are compared first (so that the many lookups of
  // features the model does not have touch one small array), then the full key in the entry.
  std::vector<Group> groups_;   // power-of-two size
  std::vector<Entry> entries_;  // by slot: 8 * group + lane
  uint64_t group_mask_ = 0;
  size_t num_features_ = 0;
  float scale_ = 1;                                     // emission score = scale_ * sum of int16 weights
  float calib_a_ = 1, calib_b_ = 0;                     // confidence = sigmoid(calib_a_ * margin + calib_b_)
  float entity_bias_ = 0;                               // added to the emission score of every tag but O
  std::array<float, kTransSize * kTransSize> trans_{};  // trans_[prev * kTransSize + tag]
  Lexicon lexicon_;
  uint64_t id_ = 0;  // unique among the models of this process: keys the word caches
  // Summed weights of the neighbour features that the padding before (after) the sentence gives
  // at each neighbour offset: kNumTags per offset.
  std::array<int32_t, 4 * kNumTags> pad_before_{}, pad_after_{};
};

// One labelled sentence for training or evaluation.
struct TrainingSentence {
  std::vector<std::string> words;
  std::vector<std::string> extra;  // empty, or one entry per word
  std::vector<uint8_t> tags;       // one BIO tag per word
};

enum class TrainingAlgorithm {
  kAveragedPerceptron,  // Collins' structured perceptron, weights averaged over all steps
  kCrf,                 // linear-chain CRF: SGD on the log-likelihood with L2 regularisation
};

struct TrainerOptions {
  TrainingAlgorithm algorithm = TrainingAlgorithm::kAveragedPerceptron;
  // CRF only: initial learning rate (decaying as lr / (1 + epoch)) and L2 coefficient.
  double crf_learning_rate = 0.1;
  double crf_l2 = 1.0;
  // Passes over the training data.
  int epochs = 15;
  // Seed of the per-epoch shuffle; the same data, options and seed give the same model bytes.
  uint64_t seed = 20240520;
  // Features seen fewer times than this in the training data are dropped before training.
  uint32_t min_feature_count = 2;
  // After training, keep at most this many features (those with the largest weights); features
  // whose quantised weights are all zero are always dropped.
  size_t max_features = 150000;
  // Probability, per token and training step, of hiding the token's identity features (word,
  // prefixes, suffixes, word bigrams), so that the model learns to use shape, context and lexicon.
  double word_dropout = 0.2;
  // Word lists for the lexicon features; stored in the model.
  Lexicon lexicon;
  // With dev data: choose a constant added to the scores of entity tags (trading precision for
  // recall) that maximises dev span F1.
  bool tune_entity_bias = true;
};

// Called after each epoch with the averaged, quantised model of that epoch (as it would be
// shipped); returns a score to maximise (e.g. dev F1) or a negative number when there is none.
// The epoch with the best score is kept; without scores, the last epoch is kept.
using EpochCallback = std::function<double(int epoch, size_t mistakes, const Tagger& model)>;

// Trains a model. When `dev` is not empty the entity bias (see TrainerOptions) and the confidence calibration
// (a logistic fit of span correctness on the Viterbi margin) is fitted on it; otherwise a default calibration
// is used. Fails with InvalidArgument when a sentence's tags or extras do not match its words or a tag is out
// of range.
Result<std::unique_ptr<Tagger>> TrainTagger(std::span<const TrainingSentence> train,
                                            std::span<const TrainingSentence> dev,
                                            const TrainerOptions& options,
                                            const EpochCallback& on_epoch = {});

}  // namespace prose2stix::extract

#endif  // PROSE2STIX_EXTRACT_TAGGER_H_
