// Method: a first-order linear-chain model over hashed sparse features, trained as an averaged
// structured perceptron (Collins 2002) and decoded by Viterbi with hard BIO constraints.
//
// Features. FeatureExtractor::Extract first computes, per token, the lowercased word, its shapes
// and flags and their 64-bit hashes (FNV-1a), then combines a template id with those hashes
// (splitmix64 finaliser) into feature keys; context, bigram and extra features reuse the
// per-token hashes, so each word is hashed once. Training and tagging both go through Extract's
// steps: tagging runs the word-level ones only for words its per-thread word cache does not hold
// (see "word cache" below), with identical scores.
//
// Model. Each kept feature has one int16 weight per BIO tag (9 tags) and a global float scale;
// tag transitions (with a start row and an end column) are floats. At load time features go into
// an open-addressing table probed by groups of eight 16-bit fingerprints (one SSE2 compare), with
// the full key and weights in a 32-byte entry beside it; the lookups of a sentence are issued
// together so that their cache misses overlap. Emission scores are exact int32 sums of int16
// weights, scaled once. The Viterbi forward pass uses AVX when the CPU has it
// (the same operations lane by lane, so the same bits), SSE2 otherwise.
//
// Decoding. Viterbi forward and backward passes give max-marginals: the best score of any
// sequence with tag y at token i. A span's margin is how much the best sequence beats the best
// sequence that labels the span differently (another tag on one of its tokens, or an I-X that
// extends it); a logistic fit on dev data maps the margin to a confidence. The backward pass
// runs only when there are spans, and only as far back as the first.
//
// File format (little-endian): "P2STAGGR", u32 format version, u32 feature version, u32 tags,
// f32 scale, f32 calibration a and b, f32 entity bias, f32 transitions[10*10]; the lexicon: u32 class count,
// each class name as u8 length + bytes, u32 entry count, entries (u64 phrase hash, u8 class bits) by
// increasing hash; u32 feature count n, u64 keys[n] (strictly increasing, non-zero),
// i16 weights[n*9]; and a u32 FNV-1a checksum of all previous bytes.
#include "prose2stix/extract/tagger.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <random>
#include <unordered_map>
#include <utility>

#include "prose2stix/util/embedded.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define PROSE2STIX_TAGGER_AVX 1  // Decode's forward pass has an AVX form, chosen at run time
#else
#define PROSE2STIX_TAGGER_AVX 0
#endif

namespace prose2stix::extract {

namespace {

constexpr std::string_view kMagic = "P2STAGGR";
constexpr uint32_t kFormatVersion = 2;
constexpr int kT = kNumTags;
constexpr int kTS = kNumTags + 1;
constexpr float kNegInf = -1e30f;
// Feature strings taken from one token's `extra` entry; more are ignored (bounds the work and
// keeps the int32 score sums far from overflow whatever the caller passes).
constexpr size_t kMaxExtraPerToken = 16;

// ---- hashing --------------------------------------------------------------------------------

constexpr uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
constexpr uint64_t kFnvPrime = 0x100000001b3ULL;

uint64_t HashBytes(std::string_view s) {
  uint64_t h = kFnvOffset;
  for (unsigned char c : s) {
    h ^= c;
    h *= kFnvPrime;
  }
  return h;
}

uint64_t Mix(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

uint64_t Pair(uint64_t a, uint64_t b) { return Mix(a + 0x632be59bd9b4e019ULL) ^ (b * 0x9e3779b97f4a7c15ULL); }

uint64_t Key(uint32_t tmpl, uint64_t h) {
  uint64_t k = Mix(h ^ (uint64_t{tmpl} * 0xd6e8feb86659fd93ULL + 0x2545f4914f6cdd1dULL));
  return k == 0 ? 1 : k;
}

uint32_t Fnv32(std::string_view s) {
  uint32_t h = 2166136261u;
  for (unsigned char c : s) {
    h ^= c;
    h *= 16777619u;
  }
  return h;
}

// ---- feature templates ----------------------------------------------------------------------

enum Template : uint32_t {
  kBias = 1,
  kWord,
  kShape,
  kShortShape,
  kInitCap,
  kAllCaps,
  kHasDigit,
  kHasHyphen,
  kHasDot,
  kLength,
  kSentStart,
  kSentStartCap,
  kTitleCap,
  kPrefix = 20,      // + length 1..4
  kSuffix = 30,      // + length 1..4
  kWordAt = 40,      // + offset index (-2,-1,+1,+2 -> 0,1,2,3)
  kShapeAt = 50,     // + offset index
  kBigramPrev = 60,  // words (-1, 0)
  kBigramNext,       // words (0, +1)
  kShapeBigramPrev,  // collapsed shapes (-1, 0)
  kShapeBigramNext,  // collapsed shapes (0, +1)
  kExtra = 70,
  kExtraPrev,
  kExtraNext,
  kLexBegin = 80,  // a lexicon phrase of the class starts here
  kLexInside,      // ... continues here
  kLexPrev,        // the previous token is in a phrase of the class
  kLexNext,        // the next token is
  kLexShape,       // the token is in a phrase of the class, with this collapsed shape
};

enum Flag : uint8_t {
  kFlagInitCap = 1,
  kFlagAllCaps = 2,
  kFlagDigit = 4,
  kFlagHyphen = 8,
  kFlagDot = 16,
  kFlagAlpha = 32,  // starts with an ASCII letter
};

bool IsUpper(unsigned char c) { return c >= 'A' && c <= 'Z'; }
bool IsLower(unsigned char c) { return c >= 'a' && c <= 'z'; }
bool IsDigit(unsigned char c) { return c >= '0' && c <= '9'; }
bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

char ShapeClass(unsigned char c) {
  if (IsUpper(c)) return 'X';
  if (IsLower(c)) return 'x';
  if (IsDigit(c)) return 'd';
  if (c >= 0x80) return 'u';
  return static_cast<char>(c);
}

// Lowercases ASCII letters of `word` into `lower`, computes its shape (runs capped at 4) and its
// collapsed shape (runs of one class written once) and the hashes of all three, and returns its
// flags. The shapes are written to `shape` and `short_shape` only when `keep_shapes` (they are
// only needed for feature names).
uint8_t Analyse(std::string_view word, std::string* lower, std::string* shape, std::string* short_shape,
                bool keep_shapes, uint64_t* lower_hash, uint64_t* shape_hash, uint64_t* short_shape_hash) {
  // Sized up front (and the shapes trimmed after): no per-character push_back.
  lower->resize(word.size());
  char* lw = lower->data();
  // Without keep_shapes the shapes go to a scratch buffer that is never read.
  char scratch[2][64];
  const bool to_strings = keep_shapes || word.size() > sizeof scratch[0];
  if (to_strings) {
    shape->resize(word.size());
    short_shape->resize(word.size());
  }
  char* sh = to_strings ? shape->data() : scratch[0];
  char* ss = to_strings ? short_shape->data() : scratch[1];
  size_t nl = 0, nsh = 0, nss = 0;
  uint64_t hl = kFnvOffset, hsh = kFnvOffset, hss = kFnvOffset;
  uint8_t flags = 0;
  bool any_letter = false, any_lower = false;
  char prev = 0;
  int run = 0;
  for (unsigned char c : word) {
    const auto low = static_cast<unsigned char>(IsUpper(c) ? c - 'A' + 'a' : c);
    lw[nl++] = static_cast<char>(low);
    hl = (hl ^ low) * kFnvPrime;
    if (IsUpper(c)) any_letter = true;
    if (IsLower(c)) any_letter = any_lower = true;
    if (IsDigit(c)) flags |= kFlagDigit;
    if (c == '-') flags |= kFlagHyphen;
    if (c == '.') flags |= kFlagDot;
    if (IsContinuation(c)) continue;
    char cls = ShapeClass(c);
    if (cls == prev) {
      ++run;
    } else {
      run = 1;
      prev = cls;
      ss[nss++] = cls;
      hss = (hss ^ static_cast<unsigned char>(cls)) * kFnvPrime;
    }
    if (run <= 4) {
      sh[nsh++] = cls;
      hsh = (hsh ^ static_cast<unsigned char>(cls)) * kFnvPrime;
    }
  }
  if (to_strings) {
    shape->resize(nsh);
    short_shape->resize(nss);
  }
  *lower_hash = hl;
  *shape_hash = hsh;
  *short_shape_hash = hss;
  if (!word.empty()) {
    auto first = static_cast<unsigned char>(word[0]);
    if (IsUpper(first)) flags |= kFlagInitCap;
    if (IsUpper(first) || IsLower(first)) flags |= kFlagAlpha;
  }
  if (any_letter && !any_lower) flags |= kFlagAllCaps;
  return flags;
}

int LengthBucket(size_t n) {
  if (n <= 4) return static_cast<int>(n);
  if (n <= 6) return 5;
  if (n <= 9) return 6;
  if (n <= 15) return 7;
  return 8;
}

// Splits an extra entry on spaces, calling fn for each non-empty item (at most kMaxExtraPerToken).
template <typename Fn>
void ForEachExtra(std::string_view entry, Fn&& fn) {
  size_t count = 0;
  size_t i = 0;
  while (i < entry.size() && count < kMaxExtraPerToken) {
    while (i < entry.size() && entry[i] == ' ') ++i;
    size_t j = i;
    while (j < entry.size() && entry[j] != ' ') ++j;
    if (j > i) {
      fn(entry.substr(i, j - i));
      ++count;
    }
    i = j;
  }
}

// An upper bound of the features of one token: 33 word, shape and context features, 5 per
// lexicon class, and 16 extras for the token and each neighbour.
constexpr size_t kMaxFeaturesPerToken = 33 + 5 * Lexicon::kMaxClasses + 3 * kMaxExtraPerToken;

// Whether a template describes the word itself (its identity), rather than its shape, context
// or lexicon classes: these are what word dropout hides during training.
bool IsIdentityTemplate(uint8_t t) {
  return t == kWord || (t > kPrefix && t <= kPrefix + 4) || (t > kSuffix && t <= kSuffix + 4) ||
         t == kBigramPrev || t == kBigramNext;
}

// The top 16 bits of a feature key, never 0 (0 marks an empty slot). The group is chosen by the
// low bits, so the two are independent.
uint16_t Fingerprint(uint64_t key) {
  auto fp = static_cast<uint16_t>(key >> 48);
  return fp == 0 ? 1 : fp;
}

// Bit 2l set when lane l of the eight fingerprints equals fp (lane = countr_zero / 2).
unsigned MatchLanes(const uint16_t (&lanes)[8], uint16_t fp) {
#if defined(__SSE2__)
  const __m128i v = _mm_load_si128(reinterpret_cast<const __m128i*>(lanes));
  const __m128i eq = _mm_cmpeq_epi16(v, _mm_set1_epi16(static_cast<short>(fp)));
  return static_cast<unsigned>(_mm_movemask_epi8(eq)) & 0x5555u;
#else
  unsigned out = 0;
  for (unsigned l = 0; l < 8; ++l) out |= (lanes[l] == fp ? 1u : 0u) << (2 * l);
  return out;
#endif
}

// The lane of the lowest match in a MatchLanes mask.
size_t FirstLane(unsigned match) { return static_cast<size_t>(std::countr_zero(match)) / 2; }

// acc[0..kT) += w[0..kT), widening: w[0..7] in one 16-byte load, then w[8].
inline void AddRow(const int16_t* w, int32_t* acc) {
#if defined(__SSE2__)
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(w));
  const __m128i lo = _mm_srai_epi32(_mm_unpacklo_epi16(v, v), 16);
  const __m128i hi = _mm_srai_epi32(_mm_unpackhi_epi16(v, v), 16);
  __m128i* a = reinterpret_cast<__m128i*>(acc);
  _mm_storeu_si128(a, _mm_add_epi32(_mm_loadu_si128(a), lo));
  _mm_storeu_si128(a + 1, _mm_add_epi32(_mm_loadu_si128(a + 1), hi));
  acc[8] += w[8];
#else
  for (size_t y = 0; y < kT; ++y) acc[y] += w[y];
#endif
}
inline void AddRow(const int32_t* w, int32_t* acc) {
#if defined(__SSE2__)
  __m128i* a = reinterpret_cast<__m128i*>(acc);
  const __m128i* v = reinterpret_cast<const __m128i*>(w);
  _mm_storeu_si128(a, _mm_add_epi32(_mm_loadu_si128(a), _mm_loadu_si128(v)));
  _mm_storeu_si128(a + 1, _mm_add_epi32(_mm_loadu_si128(a + 1), _mm_loadu_si128(v + 1)));
  acc[8] += w[8];
#else
  for (size_t y = 0; y < kT; ++y) acc[y] += w[y];
#endif
}

// Hash of a token sequence, chained over its tokens' lowercased-word hashes; never 0.
uint64_t PhraseStart(uint64_t word_hash) {
  uint64_t h = Mix(word_hash ^ 0x5851f42d4c957f2dULL);
  return h == 0 ? 1 : h;
}
uint64_t PhraseNext(uint64_t h, uint64_t word_hash) {
  uint64_t x = Pair(h, word_hash);
  return x == 0 ? 1 : x;
}

const uint64_t kPadBeforeHash = HashBytes("<s>");
const uint64_t kPadAfterHash = HashBytes("</s>");

// Distinguishes the models built in this process, for the per-thread word caches.
std::atomic<uint64_t> g_next_model_id{1};

// The neighbours whose word and collapsed shape are features of a token, by template offset
// (kWordAt + k, kShapeAt + k).
constexpr int kNeighbourOffsets[4] = {-2, -1, 1, 2};
constexpr const char* kNeighbourNames[4] = {"-2", "-1", "+1", "+2"};

// ---- Viterbi --------------------------------------------------------------------------------

struct AllowedTable {
  bool allowed[kTS][kT];
  constexpr AllowedTable() : allowed() {
    for (int p = 0; p < kTS; ++p) {
      for (int t = 0; t < kT; ++t) {
        // I-X (even, non-zero) only after B-X (t-1) or I-X (t).
        allowed[p][t] = (t == 0 || t % 2 == 1) || (p < kT && (p == t || p == t - 1));
      }
    }
  }
};
constexpr AllowedTable kAllowed;

// The transitions with -infinity where BIO forbids them (and in the padding lanes), by
// (previous, next) and by (next, previous): a maximum over all tags then equals the maximum over
// the allowed ones, so the loops over tags need no branches. Scores are finite, so -infinity
// never wins or ties.
constexpr size_t kLanes = 12;  // kT padded for SSE2
struct LaneTransitions {
  alignas(16) float fwd[kT][kLanes];
  alignas(16) float bwd[kT][kLanes];
  void Set(const float* trans) {
    constexpr float kForbidden = -std::numeric_limits<float>::infinity();
    for (size_t p = 0; p < kT; ++p) {
      for (size_t t = 0; t < kLanes; ++t) fwd[p][t] = bwd[p][t] = kForbidden;
    }
    for (size_t p = 0; p < kT; ++p) {
      for (size_t t = 0; t < kT; ++t) {
        if (kAllowed.allowed[p][t]) fwd[p][t] = bwd[t][p] = trans[p * kTS + t];
      }
    }
  }
};

struct DecodeScratch {
  std::vector<float> alpha, beta;
  // LaneTransitions of `source` (a copy of the transitions last decoded with).
  std::array<float, kTS * kTS> source{};
  bool valid = false;
  LaneTransitions lanes;
  const LaneTransitions& Lanes(const float* trans) {
    if (!valid || std::memcmp(source.data(), trans, sizeof source) != 0) {
      std::memcpy(source.data(), trans, sizeof source);
      lanes.Set(trans);
      valid = true;
    }
    return lanes;
  }
};

// Decodes the best tag sequence of `n` tokens with emission scores em[n*kT] and transitions
// trans[kTS*kTS] into tags[n] and returns its score; s->alpha keeps the forward scores.
//
// The forward pass keeps only the best scores; the backtrace then finds, for the tag chosen at
// each token, the first previous tag reaching that score, as a pass keeping back pointers for
// every tag would.
// The best score into tag 8 (I-SECTOR) from the previous token's scores: only tags 7 and 8
// (B- and I-SECTOR) may precede it. Shared by both vector forms of the forward pass.
inline float BestIntoLastTag(const float* prev, const LaneTransitions& lt) {
  float b8 = kNegInf;
  for (size_t p = 7; p < kT; ++p) {
    const float v = prev[p] + lt.fwd[p][8];
    b8 = v > b8 ? v : b8;
  }
  return b8;
}

// The forward pass of Decode over tokens 1..n-1: alpha[i*kT + t] = max over p of
// (alpha[(i-1)*kT + p] + fwd[p][t]) + em[i*kT + t], the maximum taken over p = 0..8 in order.
void Forward(const float* em, size_t n, const LaneTransitions& lt, float* alpha) {
  for (size_t i = 1; i < n; ++i) {
    const float* prev = alpha + (i - 1) * kT;
#if defined(__SSE2__)
    // _mm_max_ps(v, b) is v > b ? v : b, lane by lane. Tags 0-7 four at a time; tag 8 (I-SECTOR)
    // alone: only B-SECTOR (7) and I-SECTOR (8) may precede it, every other term is -infinity
    // and leaves the running maximum as it is, so the two steps below give the same value.
    static_assert(kT == 9 && InsideTag(EntityLabel::kSector) == 8 && BeginTag(EntityLabel::kSector) == 7);
    __m128 b0 = _mm_set1_ps(kNegInf), b1 = b0;
    for (size_t p = 0; p < kT; ++p) {
      const __m128 from = _mm_set1_ps(prev[p]);
      b0 = _mm_max_ps(_mm_add_ps(from, _mm_load_ps(&lt.fwd[p][0])), b0);
      b1 = _mm_max_ps(_mm_add_ps(from, _mm_load_ps(&lt.fwd[p][4])), b1);
    }
    const float b8 = BestIntoLastTag(prev, lt);
    // cur = best + em, lane by lane.
    float* cur = alpha + i * kT;
    const float* e = em + i * kT;
    _mm_storeu_ps(cur, _mm_add_ps(b0, _mm_loadu_ps(e)));
    _mm_storeu_ps(cur + 4, _mm_add_ps(b1, _mm_loadu_ps(e + 4)));
    cur[8] = b8 + e[8];
#else
    float best[kLanes];
    for (size_t t = 0; t < kLanes; ++t) best[t] = kNegInf;
    for (size_t p = 0; p < kT; ++p) {
      const float from = prev[p];
      for (size_t t = 0; t < kLanes; ++t) {
        const float v = from + lt.fwd[p][t];
        best[t] = v > best[t] ? v : best[t];
      }
    }
    float* cur = alpha + i * kT;
    for (size_t t = 0; t < kT; ++t) cur[t] = best[t] + em[i * kT + t];
#endif
  }
}

#if PROSE2STIX_TAGGER_AVX
// Forward with tags 0-7 in one 8-lane AVX register: the same additions and maxima, lane by lane
// and in the same order, so the same bits.
__attribute__((target("avx"))) void ForwardAvx(const float* em, size_t n, const LaneTransitions& lt,
                                               float* alpha) {
  for (size_t i = 1; i < n; ++i) {
    const float* prev = alpha + (i - 1) * kT;
    __m256 b = _mm256_set1_ps(kNegInf);
    for (size_t p = 0; p < kT; ++p) {
      b = _mm256_max_ps(_mm256_add_ps(_mm256_set1_ps(prev[p]), _mm256_loadu_ps(&lt.fwd[p][0])), b);
    }
    const float b8 = BestIntoLastTag(prev, lt);
    float* cur = alpha + i * kT;
    const float* e = em + i * kT;
    _mm256_storeu_ps(cur, _mm256_add_ps(b, _mm256_loadu_ps(e)));
    cur[8] = b8 + e[8];
  }
}

bool HasAvx() {
  static const bool kHas = __builtin_cpu_supports("avx") != 0;
  return kHas;
}
#endif

float Decode(const float* em, size_t n, const float* trans, uint8_t* tags, DecodeScratch* s) {
  if (n == 0) return 0;
  const LaneTransitions& lt = s->Lanes(trans);
  s->alpha.resize(n * kT + kLanes);  // room for the backtrace's padding lanes
  float* alpha = s->alpha.data();
  for (size_t t = 0; t < kT; ++t) alpha[t] = kAllowed.allowed[kT][t] ? trans[kT * kTS + t] + em[t] : kNegInf;
#if PROSE2STIX_TAGGER_AVX
  if (HasAvx()) {
    ForwardAvx(em, n, lt, alpha);
  } else
#endif
  {
    Forward(em, n, lt, alpha);
  }
  const float* last = alpha + (n - 1) * kT;
  float best = kNegInf;
  int arg = 0;
  for (int t = 0; t < kT; ++t) {
    float v = last[t] + trans[t * kTS + kT];
    if (v > best) {
      best = v;
      arg = t;
    }
  }
  tags[n - 1] = static_cast<uint8_t>(arg);
  for (size_t i = n - 1; i > 0; --i) {
    const float* prev = alpha + (i - 1) * kT;
    const size_t t = tags[i];
#if defined(__SSE2__)
    // The same sums prev[p] + trans(p, t) (bwd[t] holds column t of fwd), their maximum, and the
    // first lane that reaches it. Lanes 9-11 read the next row of alpha (or the row after the
    // last: alpha has room, see below) but add -infinity, so they never reach the maximum.
    const __m128 v0 = _mm_add_ps(_mm_loadu_ps(prev), _mm_load_ps(&lt.bwd[t][0]));
    const __m128 v1 = _mm_add_ps(_mm_loadu_ps(prev + 4), _mm_load_ps(&lt.bwd[t][4]));
    const __m128 v2 = _mm_add_ps(_mm_loadu_ps(prev + 8), _mm_load_ps(&lt.bwd[t][8]));
    __m128 m = _mm_max_ps(_mm_max_ps(v0, v1), v2);
    m = _mm_max_ps(m, _mm_shuffle_ps(m, m, _MM_SHUFFLE(1, 0, 3, 2)));
    m = _mm_max_ps(m, _mm_shuffle_ps(m, m, _MM_SHUFFLE(2, 3, 0, 1)));
    const auto lanes = static_cast<unsigned>(_mm_movemask_ps(_mm_cmpeq_ps(v0, m))) |
                       static_cast<unsigned>(_mm_movemask_ps(_mm_cmpeq_ps(v1, m))) << 4 |
                       static_cast<unsigned>(_mm_movemask_ps(_mm_cmpeq_ps(v2, m))) << 8;
    tags[i - 1] = static_cast<uint8_t>(std::countr_zero(lanes));
#else
    float b = kNegInf;
    uint8_t from = 0;
    for (size_t p = 0; p < kT; ++p) {
      const float v = prev[p] + lt.fwd[p][t];
      const bool better = v > b;
      b = better ? v : b;
      from = better ? static_cast<uint8_t>(p) : from;
    }
    tags[i - 1] = from;
#endif
  }
  return best;
}

// After Decode: the max-marginals (the best score of any sequence with tag y at token i) of the
// tokens from `first` on, into maxmarg[i*kT + y] (maxmarg has n*kT entries; those of earlier
// tokens are left as they are). A token's backward score depends only on the tokens after it.
void MaxMarginals(const float* em, size_t n, const float* trans, size_t first, DecodeScratch* s,
                  std::vector<float>* maxmarg) {
  maxmarg->resize(n * kT);
  if (first >= n) return;
  const LaneTransitions& lt = s->Lanes(trans);
  s->beta.resize(n * kT);
  float* beta = s->beta.data();
  for (size_t t = 0; t < kT; ++t) beta[(n - 1) * kT + t] = trans[t * kTS + kT];
  for (size_t i = n - 1; i > first; --i) {
    const float* next = beta + i * kT;
    const float* next_em = em + i * kT;
    alignas(16) float b[kLanes];
#if defined(__SSE2__)
    __m128 b0 = _mm_set1_ps(kNegInf), b1 = b0, b2 = b0;
    for (size_t t = 0; t < kT; ++t) {
      const __m128 e = _mm_set1_ps(next_em[t]), after = _mm_set1_ps(next[t]);
      b0 = _mm_max_ps(_mm_add_ps(_mm_add_ps(_mm_load_ps(&lt.bwd[t][0]), e), after), b0);
      b1 = _mm_max_ps(_mm_add_ps(_mm_add_ps(_mm_load_ps(&lt.bwd[t][4]), e), after), b1);
      b2 = _mm_max_ps(_mm_add_ps(_mm_add_ps(_mm_load_ps(&lt.bwd[t][8]), e), after), b2);
    }
    _mm_store_ps(&b[0], b0);
    _mm_store_ps(&b[4], b1);
    _mm_store_ps(&b[8], b2);
#else
    for (size_t p = 0; p < kLanes; ++p) b[p] = kNegInf;
    for (size_t t = 0; t < kT; ++t) {
      const float e = next_em[t], after = next[t];
      for (size_t p = 0; p < kLanes; ++p) {
        const float v = lt.bwd[t][p] + e + after;
        b[p] = v > b[p] ? v : b[p];
      }
    }
#endif
    std::memcpy(beta + (i - 1) * kT, b, kT * sizeof(float));
  }
  const float* alpha = s->alpha.data();
  for (size_t k = first * kT; k < n * kT; ++k) (*maxmarg)[k] = alpha[k] + beta[k];
}

// The margin of each span of `tags`: the best score minus the best score of a sequence that
// changes the span (any other tag on one of its tokens, or I-X on the token after it).
void SpanMargins(const std::vector<TaggedSpan>& spans, const uint8_t* tags, size_t n,
                 const std::vector<float>& maxmarg, float best, std::vector<float>* margins) {
  margins->clear();
  for (const TaggedSpan& sp : spans) {
    float alt = kNegInf;
    for (size_t i = sp.first_token; i < sp.last_token; ++i) {
      for (int t = 0; t < kT; ++t) {
        if (t != tags[i]) alt = std::max(alt, maxmarg[i * kT + t]);
      }
    }
    if (sp.last_token < n) alt = std::max(alt, maxmarg[sp.last_token * kT + InsideTag(sp.label)]);
    margins->push_back(std::max(0.0f, std::min(best - alt, 1e6f)));
  }
}

// ---- little-endian I/O ----------------------------------------------------------------------

void PutU32(std::string* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
void PutU64(std::string* out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
void PutF32(std::string* out, float f) {
  uint32_t v;
  std::memcpy(&v, &f, sizeof v);
  PutU32(out, v);
}
void PutI16(std::string* out, int16_t x) {
  auto v = static_cast<uint16_t>(x);
  out->push_back(static_cast<char>(v & 0xFF));
  out->push_back(static_cast<char>(v >> 8));
}

class ByteReader {
 public:
  explicit ByteReader(std::string_view data) : data_(data) {}
  size_t pos() const { return pos_; }
  size_t remaining() const { return data_.size() - pos_; }
  bool U32(uint32_t* v) {
    if (remaining() < 4) return false;
    *v = 0;
    for (int i = 0; i < 4; ++i)
      *v |= uint32_t{static_cast<unsigned char>(data_[pos_ + static_cast<size_t>(i)])} << (8 * i);
    pos_ += 4;
    return true;
  }
  bool U64(uint64_t* v) {
    if (remaining() < 8) return false;
    *v = 0;
    for (int i = 0; i < 8; ++i)
      *v |= uint64_t{static_cast<unsigned char>(data_[pos_ + static_cast<size_t>(i)])} << (8 * i);
    pos_ += 8;
    return true;
  }
  bool F32(float* f) {
    uint32_t v;
    if (!U32(&v)) return false;
    std::memcpy(f, &v, sizeof v);
    return true;
  }
  bool U8(uint8_t* v) {
    if (remaining() < 1) return false;
    *v = static_cast<uint8_t>(data_[pos_++]);
    return true;
  }
  bool Bytes(size_t n, std::string* out) {
    if (remaining() < n) return false;
    out->assign(data_.substr(pos_, n));
    pos_ += n;
    return true;
  }
  bool I16(int16_t* x) {
    if (remaining() < 2) return false;
    auto v = static_cast<uint16_t>(static_cast<unsigned char>(data_[pos_]) |
                                   (static_cast<unsigned char>(data_[pos_ + 1]) << 8));
    *x = static_cast<int16_t>(v);
    pos_ += 2;
    return true;
  }

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

Status Corrupt(std::string_view what, size_t offset) {
  return Status::InvalidInput("tagger model: " + std::string(what), "byte offset " + std::to_string(offset));
}

std::vector<std::string_view> Views(const std::vector<std::string>& v) {
  return std::vector<std::string_view>(v.begin(), v.end());
}

}  // namespace

// ---- labels -----------------------------------------------------------------------------------

std::string_view EntityLabelName(EntityLabel label) {
  switch (label) {
    case EntityLabel::kGroup:
      return "GROUP";
    case EntityLabel::kOrg:
      return "ORG";
    case EntityLabel::kLoc:
      return "LOC";
    case EntityLabel::kSector:
      return "SECTOR";
    case EntityLabel::kNone:
      break;
  }
  return "O";
}

EntityLabel ParseEntityLabel(std::string_view name) {
  if (name == "GROUP") return EntityLabel::kGroup;
  if (name == "ORG") return EntityLabel::kOrg;
  if (name == "LOC") return EntityLabel::kLoc;
  if (name == "SECTOR") return EntityLabel::kSector;
  return EntityLabel::kNone;
}

std::string TagName(uint8_t tag) {
  if (tag == 0 || tag >= kNumTags) return "O";
  return std::string(IsBeginTag(tag) ? "B-" : "I-") + std::string(EntityLabelName(TagLabel(tag)));
}

bool TransitionAllowed(int prev, int tag) {
  if (prev < 0 || prev > kT || tag < 0 || tag >= kT) return false;
  return kAllowed.allowed[prev][tag];
}

std::vector<TaggedSpan> SpansFromTags(std::span<const uint8_t> tags) {
  std::vector<TaggedSpan> spans;
  for (size_t i = 0; i < tags.size(); ++i) {
    EntityLabel label = TagLabel(tags[i]);
    if (label == EntityLabel::kNone) continue;
    bool continues =
        !IsBeginTag(tags[i]) && !spans.empty() && spans.back().last_token == i && spans.back().label == label;
    if (continues) {
      spans.back().last_token = i + 1;
    } else {
      spans.push_back(TaggedSpan{i, i + 1, label, 0.0f});
    }
  }
  return spans;
}

// ---- lexicon ----------------------------------------------------------------------------------

int Lexicon::AddClass(std::string_view name) {
  if (name.empty() || name.size() > 255) return -1;
  for (size_t i = 0; i < classes_.size(); ++i) {
    if (classes_[i] == name) return static_cast<int>(i);
  }
  if (classes_.size() >= kMaxClasses) return -1;
  classes_.emplace_back(name);
  class_hash_.push_back(HashBytes(name));
  return static_cast<int>(classes_.size() - 1);
}

bool Lexicon::Add(std::string_view phrase, int class_index) {
  if (class_index < 0 || static_cast<size_t>(class_index) >= classes_.size()) return false;
  uint64_t hashes[kMaxTokens];
  size_t count = 0;
  std::string token;
  size_t i = 0;
  auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  };
  while (i < phrase.size()) {
    while (i < phrase.size() && is_space(phrase[i])) ++i;
    if (i == phrase.size()) break;
    token.clear();
    while (i < phrase.size() && !is_space(phrase[i])) {
      auto c = static_cast<unsigned char>(phrase[i++]);
      token.push_back(IsUpper(c) ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c));
    }
    if (count == kMaxTokens) return false;
    hashes[count++] = HashBytes(token);
  }
  if (count == 0) return false;
  uint64_t h = PhraseStart(hashes[0]);
  for (size_t k = 1; k < count; ++k) {
    Insert(h, kPrefixBit);
    h = PhraseNext(h, hashes[k]);
  }
  Insert(h, static_cast<uint8_t>(1u << class_index));
  return true;
}

void Lexicon::Prefetch(uint64_t key) const {
  if (!keys_.empty()) __builtin_prefetch(&keys_[key & (keys_.size() - 1)]);
}

uint8_t Lexicon::Lookup(uint64_t key) const {
  if (keys_.empty()) return 0;
  const size_t mask = keys_.size() - 1;
  for (size_t i = key & mask;; i = (i + 1) & mask) {
    if (keys_[i] == key) return bits_[i];
    if (keys_[i] == 0) return 0;
  }
}

void Lexicon::Insert(uint64_t key, uint8_t bits) {
  if ((used_ + 1) * 2 > keys_.size()) {
    std::vector<uint64_t> old_keys = std::move(keys_);
    std::vector<uint8_t> old_bits = std::move(bits_);
    keys_.assign(std::max<size_t>(64, old_keys.size() * 2), 0);
    bits_.assign(keys_.size(), 0);
    const size_t mask = keys_.size() - 1;
    for (size_t k = 0; k < old_keys.size(); ++k) {
      if (old_keys[k] == 0) continue;
      size_t i = old_keys[k] & mask;
      while (keys_[i] != 0) i = (i + 1) & mask;
      keys_[i] = old_keys[k];
      bits_[i] = old_bits[k];
    }
  }
  const size_t mask = keys_.size() - 1;
  size_t i = key & mask;
  while (keys_[i] != 0 && keys_[i] != key) i = (i + 1) & mask;
  if (keys_[i] == 0) {
    keys_[i] = key;
    ++used_;
  }
  const bool had_class = (bits_[i] & ~kPrefixBit) != 0;
  bits_[i] = static_cast<uint8_t>(bits_[i] | bits);
  if (!had_class && (bits_[i] & ~kPrefixBit) != 0) ++phrases_;
}

// ---- features ---------------------------------------------------------------------------------

// Appends the feature keys (and, when asked, their names) of one token to buffers with room for
// `limit` keys (no reallocation in the loop).
class FeatureExtractor::Emitter {
 public:
  Emitter(uint64_t* keys, uint8_t* templates, size_t limit, std::vector<std::string>* names)
      : keys_(keys), templates_(templates), limit_(limit), names_(names) {}
  template <typename Describe>
  void Add(uint32_t tmpl, uint64_t value_hash, Describe&& describe) {
    if (count_ == limit_) return;  // cannot happen: kMaxFeaturesPerToken bounds every template
    keys_[count_] = Key(tmpl, value_hash);
    templates_[count_] = static_cast<uint8_t>(tmpl);
    ++count_;
    if (names_ != nullptr) names_->push_back(describe());
  }
  size_t count() const { return count_; }

 private:
  uint64_t* keys_;
  uint8_t* templates_;
  size_t limit_;
  size_t count_ = 0;
  std::vector<std::string>* names_;
};

void FeatureExtractor::Begin(size_t n) {
  // keys_ and templates_ are buffers: only their first offsets_.back() entries are meaningful.
  if (keys_.size() < n * kMaxFeaturesPerToken) {
    keys_.resize(n * kMaxFeaturesPerToken);
    templates_.resize(n * kMaxFeaturesPerToken);
  }
  offsets_.assign(1, 0);
  // The per-token arrays only grow: entries [0, n_) are the sentence's.
  if (word_hash_.size() < n + 1) {
    lower_.resize(n + 1);
    shape_.resize(n + 1);
    short_shape_.resize(n + 1);
    word_hash_.resize(n + 1);
    shape_hash_.resize(n + 1);
    short_shape_hash_.resize(n + 1);
    flags_.resize(n + 1);
    lex_start_.resize(n + 1);
    lex_begin_.resize(n + 1);
    lex_inside_.resize(n + 1);
    word_pair_.resize(n + 1);
    shape_pair_.resize(n + 1);
  }
  n_ = n;
  std::fill_n(lex_begin_.begin(), n, uint8_t{0});
  std::fill_n(lex_inside_.begin(), n, uint8_t{0});
  title_case_ = false;
  keep_shapes_ = false;
}

void FeatureExtractor::AnalyseWord(size_t i, std::string_view word) {
  flags_[i] = Analyse(word, &lower_[i], &shape_[i], &short_shape_[i], keep_shapes_, &word_hash_[i],
                      &shape_hash_[i], &short_shape_hash_[i]);
}

uint8_t FeatureExtractor::LexiconStart(uint64_t word_hash, const Lexicon* lexicon) {
  return lexicon != nullptr && !lexicon->empty() ? lexicon->Lookup(PhraseStart(word_hash)) : 0;
}

void FeatureExtractor::PrefetchLexiconStart(uint64_t word_hash, const Lexicon* lexicon) {
  if (lexicon != nullptr) lexicon->Prefetch(PhraseStart(word_hash));
}

void FeatureExtractor::AnalyseSentence(std::span<const std::string_view> words, const Lexicon* lexicon) {
  AnalyseTitleCase(words);
  // The bigrams: pair k joins tokens k-1 and k (or the padding).
  for (size_t k = 0; k <= n_; ++k) {
    word_pair_[k] = Pair(WordAt(k, -1), WordAt(k, 0));
    shape_pair_[k] = Pair(ShapeAt(k, -1), ShapeAt(k, 0));
  }
  PrefetchLexicon(lexicon);
  AnalyseLexicon(lexicon);
}


void FeatureExtractor::AnalyseTitleCase(std::span<const std::string_view> words) {
  const size_t n = n_;
  size_t alpha_words = 0, cap_words = 0;
  for (size_t i = 0; i < n; ++i) {
    if ((flags_[i] & kFlagAlpha) && words[i].size() >= 4) {
      ++alpha_words;
      if (flags_[i] & kFlagInitCap) ++cap_words;
    }
  }
  // A headline ("Iranian Hackers Target Israeli Shipping"): capitalisation says little there.
  title_case_ = alpha_words >= 3 && cap_words * 10 >= alpha_words * 7;
}

void FeatureExtractor::PrefetchLexicon(const Lexicon* lexicon) const {
  if (lexicon == nullptr || lexicon->empty()) return;
  for (size_t i = 0; i + 1 < n_; ++i) {
    if (lex_start_[i] & Lexicon::kPrefixBit)
      lexicon->Prefetch(PhraseNext(PhraseStart(word_hash_[i]), word_hash_[i + 1]));
  }
}

void FeatureExtractor::AnalyseLexicon(const Lexicon* lexicon) {
  const size_t n = n_;
  if (lexicon != nullptr && !lexicon->empty()) {
    for (size_t i = 0; i < n; ++i) {
      uint64_t h = 0;  // the phrase hash, computed only when a longer phrase may start here
      for (size_t len = 1; len <= Lexicon::kMaxTokens && i + len <= n; ++len) {
        if (len > 1) h = PhraseNext(len == 2 ? PhraseStart(word_hash_[i]) : h, word_hash_[i + len - 1]);
        const uint8_t bits = len == 1 ? lex_start_[i] : lexicon->Lookup(h);
        const auto classes = static_cast<uint8_t>(bits & ~Lexicon::kPrefixBit);
        if (classes != 0) {
          lex_begin_[i] |= classes;
          for (size_t k = i + 1; k < i + len; ++k) lex_inside_[k] |= classes;
        }
        if ((bits & Lexicon::kPrefixBit) == 0) break;
      }
    }
  }
}

uint64_t FeatureExtractor::WordAt(size_t i, int off) const {
  auto j = static_cast<std::ptrdiff_t>(i) + off;
  if (j < 0) return kPadBeforeHash;
  if (static_cast<size_t>(j) >= n_) return kPadAfterHash;
  return word_hash_[static_cast<size_t>(j)];
}

uint64_t FeatureExtractor::ShapeAt(size_t i, int off) const {
  auto j = static_cast<std::ptrdiff_t>(i) + off;
  if (j < 0) return kPadBeforeHash;
  if (static_cast<size_t>(j) >= n_) return kPadAfterHash;
  return short_shape_hash_[static_cast<size_t>(j)];
}

std::string FeatureExtractor::NameAt(const std::vector<std::string>& v, size_t i, int off) const {
  auto j = static_cast<std::ptrdiff_t>(i) + off;
  if (j < 0) return "<s>";
  if (static_cast<size_t>(j) >= n_) return "</s>";
  return v[static_cast<size_t>(j)];
}

void FeatureExtractor::AddWordFeatures(Emitter& e, size_t i, size_t word_bytes, unsigned parts) const {
  const std::string& lw = lower_[i];
  const uint8_t f = flags_[i];
  const bool identity = (parts & kIdentityPart) != 0, shape = (parts & kShapePart) != 0;
  if (shape) e.Add(kBias, 0, [] { return std::string("bias"); });
  if (identity) e.Add(kWord, word_hash_[i], [&] { return "w=" + lw; });
  if (shape) {
    e.Add(kShape, shape_hash_[i], [&] { return "shape=" + shape_[i]; });
    e.Add(kShortShape, short_shape_hash_[i], [&] { return "sshape=" + short_shape_[i]; });
  }
  if (identity) {
    // The hash of each prefix is the running hash of the word's first bytes.
    uint64_t prefix_hash = kFnvOffset;
    for (size_t k = 1; k <= 4 && k <= lw.size(); ++k) {
      prefix_hash = (prefix_hash ^ static_cast<unsigned char>(lw[k - 1])) * kFnvPrime;
      if (k < lw.size() && IsContinuation(static_cast<unsigned char>(lw[k]))) continue;
      e.Add(kPrefix + static_cast<uint32_t>(k), prefix_hash,
            [&] { return "pre" + std::to_string(k) + "=" + lw.substr(0, k); });
    }
    for (size_t k = 1; k <= 4 && k <= lw.size(); ++k) {
      if (IsContinuation(static_cast<unsigned char>(lw[lw.size() - k]))) continue;
      std::string_view s = std::string_view(lw).substr(lw.size() - k);
      e.Add(kSuffix + static_cast<uint32_t>(k), HashBytes(s),
            [&] { return "suf" + std::to_string(k) + "=" + std::string(s); });
    }
  }
  if (shape) {
    if (f & kFlagInitCap) e.Add(kInitCap, 0, [] { return std::string("initcap"); });
    if (f & kFlagAllCaps) e.Add(kAllCaps, 0, [] { return std::string("allcaps"); });
    if (f & kFlagDigit) e.Add(kHasDigit, 0, [] { return std::string("digit"); });
    if (f & kFlagHyphen) e.Add(kHasHyphen, 0, [] { return std::string("hyphen"); });
    if (f & kFlagDot) e.Add(kHasDot, 0, [] { return std::string("dot"); });
    const int len = LengthBucket(word_bytes);
    e.Add(kLength, static_cast<uint64_t>(len), [&] { return "len=" + std::to_string(len); });
  }
}

void FeatureExtractor::AddPositionFeatures(Emitter& e, size_t i) const {
  const uint8_t f = flags_[i];
  if (i == 0) {
    e.Add(kSentStart, 0, [] { return std::string("first"); });
    if (f & kFlagInitCap) e.Add(kSentStartCap, 0, [] { return std::string("first+initcap"); });
  }
  if (title_case_ && (f & kFlagInitCap)) e.Add(kTitleCap, 0, [] { return std::string("title+initcap"); });
}

void FeatureExtractor::AddNeighbour(Emitter& e, size_t i, uint32_t k, uint64_t word_hash,
                                    uint64_t short_shape_hash, unsigned parts) const {
  const int off = kNeighbourOffsets[k];
  if (parts & kIdentityPart) {
    e.Add(kWordAt + k, word_hash,
          [&] { return "w" + std::string(kNeighbourNames[k]) + "=" + NameAt(lower_, i, off); });
  }
  if (parts & kShapePart) {
    e.Add(kShapeAt + k, short_shape_hash,
          [&] { return "sshape" + std::string(kNeighbourNames[k]) + "=" + NameAt(short_shape_, i, off); });
  }
}

void FeatureExtractor::AddNeighbourFeatures(Emitter& e, size_t i) const {
  for (uint32_t k = 0; k < 4; ++k) {
    const int off = kNeighbourOffsets[k];
    AddNeighbour(e, i, k, WordAt(i, off), ShapeAt(i, off));
  }
}

void FeatureExtractor::AddContextFeatures(Emitter& e, size_t i, std::span<const std::string_view> extra,
                                          const Lexicon* lexicon) const {
  AddBigramFeatures(e, i);
  AddLexiconExtraFeatures(e, i, extra, lexicon);
}

void FeatureExtractor::AddBigramFeatures(Emitter& e, size_t i) const {
  e.Add(kBigramPrev, word_pair_[i], [&] { return "w-1,w=" + NameAt(lower_, i, -1) + "|" + lower_[i]; });
  e.Add(kBigramNext, word_pair_[i + 1], [&] { return "w,w+1=" + lower_[i] + "|" + NameAt(lower_, i, 1); });
  e.Add(kShapeBigramPrev, shape_pair_[i],
        [&] { return "sshape-1,sshape=" + NameAt(short_shape_, i, -1) + "|" + short_shape_[i]; });
  e.Add(kShapeBigramNext, shape_pair_[i + 1],
        [&] { return "sshape,sshape+1=" + short_shape_[i] + "|" + NameAt(short_shape_, i, 1); });
}

uint64_t FeatureExtractor::PairKey(PairKind kind, bool of_second, uint64_t pair_hash) {
  const uint32_t tmpl = kind == PairKind::kWords ? (of_second ? kBigramPrev : kBigramNext)
                                                 : (of_second ? kShapeBigramPrev : kShapeBigramNext);
  return Key(tmpl, pair_hash);
}

bool FeatureExtractor::HasLexiconExtraFeatures(size_t i, std::span<const std::string_view> extra) const {
  if (!extra.empty()) return true;
  unsigned bits = lex_begin_[i] | lex_inside_[i];
  if (i > 0) bits |= lex_begin_[i - 1] | lex_inside_[i - 1];
  if (i + 1 < n_) bits |= lex_begin_[i + 1] | lex_inside_[i + 1];
  return bits != 0;
}

void FeatureExtractor::AddLexiconExtraFeatures(Emitter& e, size_t i, std::span<const std::string_view> extra,
                                               const Lexicon* lexicon) const {
  const size_t n = n_;
  if (lexicon != nullptr && !lexicon->empty()) {
    const uint8_t prev = i > 0 ? lex_begin_[i - 1] | lex_inside_[i - 1] : 0;
    const uint8_t next = i + 1 < n ? lex_begin_[i + 1] | lex_inside_[i + 1] : 0;
    const uint8_t here = lex_begin_[i] | lex_inside_[i];
    if ((here | prev | next) != 0) {
      for (size_t c = 0; c < lexicon->classes_.size(); ++c) {
        const auto bit = static_cast<uint8_t>(1u << c);
        const uint64_t ch = lexicon->class_hash_[c];
        const std::string& cn = lexicon->classes_[c];
        if (lex_begin_[i] & bit) e.Add(kLexBegin, ch, [&] { return "lexB=" + cn; });
        if (lex_inside_[i] & bit) e.Add(kLexInside, ch, [&] { return "lexI=" + cn; });
        if (here & bit) {
          e.Add(kLexShape, Pair(ch, short_shape_hash_[i]),
                [&] { return "lex=" + cn + "&sshape=" + short_shape_[i]; });
        }
        if (prev & bit) e.Add(kLexPrev, ch, [&] { return "lex-1=" + cn; });
        if (next & bit) e.Add(kLexNext, ch, [&] { return "lex+1=" + cn; });
      }
    }
  }
  if (!extra.empty()) {
    ForEachExtra(extra[i], [&](std::string_view x) {
      e.Add(kExtra, HashBytes(x), [&] { return "x=" + std::string(x); });
    });
    if (i > 0) {
      ForEachExtra(extra[i - 1], [&](std::string_view x) {
        e.Add(kExtraPrev, HashBytes(x), [&] { return "x-1=" + std::string(x); });
      });
    }
    if (i + 1 < n) {
      ForEachExtra(extra[i + 1], [&](std::string_view x) {
        e.Add(kExtraNext, HashBytes(x), [&] { return "x+1=" + std::string(x); });
      });
    }
  }
}

void FeatureExtractor::Extract(std::span<const std::string_view> words,
                               std::span<const std::string_view> extra, const Lexicon* lexicon,
                               std::vector<std::vector<std::string>>* names) {
  const size_t n = words.size();
  if (extra.size() != n) extra = {};
  Begin(n);
  keep_shapes_ = names != nullptr;
  if (names != nullptr) names->assign(n, {});
  for (size_t i = 0; i < n; ++i) {
    AnalyseWord(i, words[i]);
    lex_start_[i] = LexiconStart(word_hash_[i], lexicon);
  }
  AnalyseSentence(words, lexicon);
  size_t count = 0;
  for (size_t i = 0; i < n; ++i) {
    Emitter e(keys_.data() + count, templates_.data() + count, kMaxFeaturesPerToken,
              names != nullptr ? &(*names)[i] : nullptr);
    AddWordFeatures(e, i, words[i].size());
    AddPositionFeatures(e, i);
    AddNeighbourFeatures(e, i);
    AddContextFeatures(e, i, extra, lexicon);
    count += e.count();
    offsets_.push_back(static_cast<uint32_t>(count));
  }
}

// ---- model ------------------------------------------------------------------------------------

// Builds Taggers from key/weight arrays: shared by Load and training.
class TaggerBuilder {
 public:
  // `weights` holds keys.size() * kNumTags values; keys are distinct and non-zero.
  static std::unique_ptr<Tagger> Build(const std::vector<uint64_t>& keys, const std::vector<int16_t>& weights,
                                       float scale, const std::array<float, kTS * kTS>& trans, float calib_a,
                                       float calib_b, Lexicon lexicon) {
    std::unique_ptr<Tagger> t(new Tagger());
    size_t groups = 2;
    while (groups * 8 < keys.size() * 2) groups *= 2;  // load factor at most 1/2
    t->groups_.assign(groups, Tagger::Group{});
    t->entries_.assign(groups * 8, Tagger::Entry{});
    t->group_mask_ = groups - 1;
    for (size_t k = 0; k < keys.size(); ++k) {
      // The first free slot from the key's home group on (a lookup stops at the first group
      // with a free slot: no slot is ever freed).
      size_t g = keys[k] & t->group_mask_;
      while (MatchLanes(t->groups_[g].fingerprint, 0) == 0) g = (g + 1) & t->group_mask_;
      const size_t lane = FirstLane(MatchLanes(t->groups_[g].fingerprint, 0));
      t->groups_[g].fingerprint[lane] = Fingerprint(keys[k]);
      Tagger::Entry& e = t->entries_[g * 8 + lane];
      e.key = keys[k];
      for (size_t y = 0; y < kT; ++y) e.weights[y] = weights[k * kT + y];
    }
    t->num_features_ = keys.size();
    t->scale_ = scale;
    t->trans_ = trans;
    t->calib_a_ = calib_a;
    t->calib_b_ = calib_b;
    t->lexicon_ = std::move(lexicon);
    t->id_ = g_next_model_id.fetch_add(1, std::memory_order_relaxed);
    // The neighbour features of the padding before and after the sentence (see CachedEmissions).
    FeatureExtractor fx;
    for (uint32_t k = 0; k < 4; ++k) {
      uint64_t pad_keys[2];
      uint8_t templates[2];
      FeatureExtractor::Emitter before(pad_keys, templates, 2, nullptr);
      fx.AddNeighbour(before, 0, k, kPadBeforeHash, kPadBeforeHash);
      t->AddWeights(pad_keys, &t->pad_before_[k * kT]);
      FeatureExtractor::Emitter after(pad_keys, templates, 2, nullptr);
      fx.AddNeighbour(after, 0, k, kPadAfterHash, kPadAfterHash);
      t->AddWeights(pad_keys, &t->pad_after_[k * kT]);
    }
    return t;
  }

  static void SetCalibration(Tagger* t, float a, float b) {
    t->calib_a_ = a;
    t->calib_b_ = b;
  }
  static void SetEntityBias(Tagger* t, float bias) { t->entity_bias_ = bias; }

  // The template ids of fx.Features(i).
  static std::span<const uint8_t> Templates(const FeatureExtractor& fx, size_t i) {
    return std::span<const uint8_t>(fx.templates_.data() + fx.offsets_[i],
                                    fx.offsets_[i + 1] - fx.offsets_[i]);
  }

  // The spread of emission scores on `data`: the median over tokens of max - min.
  static float EmissionSpread(const Tagger& t, std::span<const TrainingSentence> data) {
    FeatureExtractor fx;
    std::vector<float> em, spread;
    for (const TrainingSentence& s : data) {
      auto words = Views(s.words);
      auto extra = Views(s.extra);
      fx.Extract(words, extra, &t.lexicon_);
      t.Emissions(fx, &em);
      for (size_t i = 0; i < words.size(); ++i) {
        auto row = std::span<const float>(em).subspan(i * kT, kT);
        spread.push_back(*std::max_element(row.begin(), row.end()) -
                         *std::min_element(row.begin(), row.end()));
      }
    }
    if (spread.empty()) return 0;
    std::nth_element(spread.begin(), spread.begin() + static_cast<std::ptrdiff_t>(spread.size() / 2),
                     spread.end());
    return spread[spread.size() / 2];
  }

  // Tags and reports each span's raw margin (for calibration).
  static std::vector<TaggedSpan> TagWithMargins(const Tagger& t, std::span<const std::string_view> words,
                                                std::span<const std::string_view> extra,
                                                std::vector<float>* margins) {
    std::vector<TaggedSpan> spans;
    t.TagWithMargins(words, extra, &spans, margins);
    return spans;
  }
};

Tagger::~Tagger() = default;

inline const int16_t* Tagger::Find(uint64_t key) const {
  // At load factor 1/2 most lookups end in the key's home group: that one is probed here, inline
  // in the callers' loops.
  const size_t g = key & group_mask_;
  for (unsigned match = MatchLanes(groups_[g].fingerprint, Fingerprint(key)); match != 0;
       match &= match - 1) {
    const Entry& e = entries_[g * 8 + FirstLane(match)];
    if (e.key == key) return e.weights;
  }
  if (MatchLanes(groups_[g].fingerprint, 0) != 0) return nullptr;  // a free slot: the key is absent
  return FindAfter(key, g);
}

const int16_t* Tagger::FindAfter(uint64_t key, size_t full_group) const {
  const uint16_t fp = Fingerprint(key);
  for (size_t g = (full_group + 1) & group_mask_;; g = (g + 1) & group_mask_) {
    for (unsigned match = MatchLanes(groups_[g].fingerprint, fp); match != 0; match &= match - 1) {
      const Entry& e = entries_[g * 8 + FirstLane(match)];
      if (e.key == key) return e.weights;
    }
    if (MatchLanes(groups_[g].fingerprint, 0) != 0) return nullptr;
  }
}

void Tagger::AddWeights(std::span<const uint64_t> keys, int32_t* acc) const {
  for (uint64_t key : keys) {
    const int16_t* w = Find(key);
    if (w != nullptr) AddRow(w, acc);
  }
}

void Tagger::Scores(const int32_t* acc, size_t n, std::vector<float>* scores) const {
  scores->resize(n * kT);
  float* out = scores->data();
  for (size_t i = 0; i < n; ++i) {
    const int32_t* a = acc + i * kT;
    float* o = out + i * kT;
    o[0] = scale_ * static_cast<float>(a[0]);
#if defined(__SSE2__)
    // Tags 1..8, four at a time: the same multiply and add as below.
    const __m128 scale = _mm_set1_ps(scale_), bias = _mm_set1_ps(entity_bias_);
    for (size_t y = 1; y < kT; y += 4) {
      const __m128 v = _mm_cvtepi32_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(a + y)));
      _mm_storeu_ps(o + y, _mm_add_ps(_mm_mul_ps(scale, v), bias));
    }
#else
    for (size_t y = 1; y < kT; ++y) o[y] = scale_ * static_cast<float>(a[y]) + entity_bias_;
#endif
  }
}

float Tagger::Confidence(float margin) const {
  float z = calib_a_ * margin + calib_b_;
  if (z > 30) return 1.0f;
  if (z < -30) return 0.0f;
  return 1.0f / (1.0f + std::exp(-z));
}

// ---- word cache -------------------------------------------------------------------------------
//
// A token's emission score is the sum of the weight rows of its features. Most of them depend on
// its word alone (AddWordFeatures), and eight more (AddNeighbourFeatures) on the words next to it,
// each as a function of that word and its offset. Per word, the cache keeps the sum of the rows of
// its own features and, for each offset, of the features it gives the token at that distance;
// tagging a sentence then adds a few cached rows per token and looks up only the features of
// word bigrams and the rare ones of position, lexicon and extras. For a word it does not hold,
// the part of those features that depends on the word's shape class only
// (FeatureExtractor::kShapePart) comes from a second, smaller cache, and only the rest is looked
// up. The two features of a collapsed-shape bigram come from a third cache, keyed by the two
// shape hashes (few distinct bigrams occur; word bigrams are too many to cache). Sums of int16
// weights are exact in any order, so the scores are identical to Emissions' whatever the caches
// hold.
//
// Memory costs as much as instructions here: the caches (about 2 MiB) and the feature table do
// not fit a core's L2. A sentence's lookups therefore go in rounds whose misses overlap: the
// words of every token's set (one line each), then the rows of the words found (two lines each)
// and the shape classes of the others, then the lexicon phrases and shape-bigram slots, then the
// feature table.

namespace {

// The words of one set of the word cache (below), which identify its three entries: one cache
// line, so that telling a hit from a miss reads one line per token and the rows of a hit are
// fetched only then.
constexpr size_t kWays = 3;
struct alignas(64) CachedSet {
  uint64_t text[kWays][2];  // [way]: the word's bytes (WordCache::Text)
  uint8_t size[kWays];      // [way]: the word's size in bytes; kEmptyWord when the entry is empty
  uint8_t order[kWays];     // the ways from the one used last to the one used longest ago
  // Makes `way` the one used last.
  void Touch(uint8_t way) {
    size_t k = 0;
    while (order[k] != way) ++k;
    for (; k > 0; --k) order[k] = order[k - 1];
    order[0] = way;
  }
};
static_assert(sizeof(CachedSet) == 64);
constexpr uint8_t kEmptyWord = 0xFF;  // longer than any cached word

// A word's cached rows: two cache lines. The neighbour rows (sums of two weights) are stored as
// int16; words longer than WordCache::kMaxBytes, or whose neighbour sums do not fit int16, are not
// cached. (The own rows, sums of about fifteen weights, often do not fit int16.)
struct alignas(64) CachedWord {
  uint64_t word_hash;
  uint64_t short_shape_hash;
  uint8_t flags;
  uint8_t lex_start;  // FeatureExtractor::LexiconStart
  int32_t own[kT];    // the word's own features
  // [k]: the neighbour features it gives the token that has it at offset kNeighbourOffsets[k]
  // (the token -kNeighbourOffsets[k] from it).
  int16_t neighbour[4][kT];
};
static_assert(sizeof(CachedWord) == 128);

// The summed rows of the shape part of a word's features (FeatureExtractor::kShapePart): those of
// its shape class (shape, collapsed shape, flags, length bucket) alone. A word the cache does not
// hold takes them from here: few distinct classes occur. Two cache lines.
struct alignas(64) CachedShape {
  uint64_t shape_hash;
  uint64_t short_shape_hash;
  uint8_t flags;  // kEmptyShape when empty
  uint8_t length_bucket;
  int32_t own[kT];
  int16_t shape_at[4][kT];  // as CachedWord::neighbour
};
static_assert(sizeof(CachedShape) == 128);
constexpr uint8_t kEmptyShape = 0xFF;  // not a combination of Flag bits

// The weight rows of the two features of one collapsed-shape bigram, pair k of tokens k-1 and k
// (FeatureExtractor::PairKey). Both are keyed by the pair's hash, a function of
// the two tokens' hashes, which therefore identify the rows. Each row is one feature's weights
// (or zeros): exact as int16. One cache line.
struct alignas(64) CachedPair {
  uint64_t a, b;         // the hashes of tokens k-1 and k (or of the padding)
  uint32_t epoch;        // WordCache's epoch when filled; 0 = empty
  int16_t second[kT];    // the row of token k
  int16_t first[kT];     // the row of token k-1
};
static_assert(sizeof(CachedPair) == 64);

// A three-way set-associative cache of CachedWords, for one thread: a word may sit in any entry
// of its set; a new word replaces the one used longest ago. The words of each set are kept
// apart from the rows (CachedSet), so that a lookup first fetches one line per token, then the
// two of a hit's rows (Set, then Find and Prefetch, then Row). And direct-mapped caches of
// CachedShapes and CachedPairs.
class WordCache {
 public:
  static constexpr size_t kMaxBytes = sizeof(CachedSet::text[0]);
  static constexpr int kSetBits = 12;  // 4096 sets of 3 words: 1.5 MiB of rows, 256 KiB of words
  static constexpr uint32_t kNoEntry = ~uint32_t{0};
  static constexpr uint32_t kNoSet = ~uint32_t{0};
  static constexpr int kShapeBits = 10;  // 1024 shape classes: 128 KiB
  static constexpr int kShapePairBits = 10;  // 1024 shape bigrams: 64 KiB

  // Starts tagging with the model that has id `model`: entries filled for another model no
  // longer match.
  void Use(uint64_t model) {
    if (entries_.empty()) {
      entries_.resize(kWays << kSetBits);
      sets_.resize(size_t{1} << kSetBits);
      shapes_.resize(size_t{1} << kShapeBits);
      shape_pairs_.resize(size_t{1} << kShapePairBits);
    }
    if (model == model_) return;
    model_ = model;
    if (++epoch_ == 0) {
      for (CachedPair& e : shape_pairs_) e.epoch = 0;
      epoch_ = 1;
    }
    for (CachedSet& e : sets_) {
      for (uint8_t way = 0; way < kWays; ++way) {
        e.size[way] = kEmptyWord;
        e.order[way] = way;
      }
    }
    for (CachedShape& e : shapes_) e.flags = kEmptyShape;
  }

  // The slot of the shape bigram of tokens with shape hashes a and b: direct-mapped.
  CachedPair& PairSlot(uint64_t a, uint64_t b) {
    const uint64_t h = (a * 0x9e3779b97f4a7c15ULL) ^ (b * 0xc2b2ae3d27d4eb4fULL);
    return shape_pairs_[h >> (64 - kShapePairBits)];
  }
  bool Holds(const CachedPair& slot, uint64_t a, uint64_t b) const {
    return slot.epoch == epoch_ && slot.a == a && slot.b == b;
  }
  void StorePair(CachedPair& slot, uint64_t a, uint64_t b, const int32_t (&second)[kT],
                 const int32_t (&first)[kT]) const {
    slot.a = a;
    slot.b = b;
    slot.epoch = epoch_;
    for (size_t y = 0; y < kT; ++y) {
      slot.second[y] = static_cast<int16_t>(second[y]);
      slot.first[y] = static_cast<int16_t>(first[y]);
    }
  }

  // The bytes of `word` (at most kMaxBytes) as two integers which, with its size, identify it:
  // read as two overlapping 8-byte words (or 4-byte words, or single bytes when shorter), with no
  // copy through memory.
  static void Text(std::string_view word, uint64_t (&text)[2]) {
    const char* p = word.data();
    const size_t n = word.size();
    if (n >= 8) {
      std::memcpy(&text[0], p, 8);
      std::memcpy(&text[1], p + n - 8, 8);
    } else if (n >= 4) {
      uint32_t lo, hi;
      std::memcpy(&lo, p, 4);
      std::memcpy(&hi, p + n - 4, 4);
      text[0] = uint64_t{lo} | uint64_t{hi} << 32;
      text[1] = 0;
    } else if (n > 0) {
      text[0] = uint64_t{static_cast<unsigned char>(p[0])} |
                uint64_t{static_cast<unsigned char>(p[n / 2])} << 8 |
                uint64_t{static_cast<unsigned char>(p[n - 1])} << 16;
      text[1] = 0;
    } else {
      text[0] = text[1] = 0;
    }
  }

  // The set of the word with this Text(), whose words are fetched into the CPU cache.
  uint32_t Set(const uint64_t (&text)[2]) const {
    const uint64_t h = ((text[0] * 0x9e3779b97f4a7c15ULL) ^ text[1]) * 0xc2b2ae3d27d4eb4fULL;
    const auto set = static_cast<uint32_t>(h >> (64 - kSetBits));
    __builtin_prefetch(&sets_[set]);
    return set;
  }

  // The entry of `set` holding the word of this size and Text(), or kNoEntry.
  uint32_t Find(uint32_t set, size_t size, const uint64_t (&text)[2]) {
    CachedSet& words = sets_[set];
    for (uint8_t way = 0; way < kWays; ++way) {
      if (words.size[way] == size && words.text[way][0] == text[0] && words.text[way][1] == text[1]) {
        words.Touch(way);
        return static_cast<uint32_t>(kWays * set + way);
      }
    }
    return kNoEntry;
  }
  // Fetches the rows of an entry from Find into the CPU cache; Row reads them.
  void Prefetch(uint32_t entry) const {
    const char* bytes = reinterpret_cast<const char*>(&entries_[entry]);
    for (size_t line = 0; line < sizeof(CachedWord); line += 64) __builtin_prefetch(bytes + line);
  }
  const CachedWord& Row(uint32_t entry) const { return entries_[entry]; }

  // The slot of the shape class with these hashes, flags and length bucket, fetched into the
  // CPU cache; Holds tells whether it holds the class's rows.
  CachedShape& ShapeSlot(uint64_t shape_hash, uint64_t short_shape_hash, uint8_t flags,
                         uint8_t length_bucket) {
    const uint64_t h =
        (shape_hash ^ (short_shape_hash * 0x9e3779b97f4a7c15ULL) ^ (uint64_t{flags} << 8) ^ length_bucket) *
        0xc2b2ae3d27d4eb4fULL;
    CachedShape& e = shapes_[h >> (64 - kShapeBits)];
    __builtin_prefetch(&e);
    return e;
  }
  static bool Holds(const CachedShape& e, uint64_t shape_hash, uint64_t short_shape_hash, uint8_t flags,
                    uint8_t length_bucket) {
    return e.flags == flags && e.length_bucket == length_bucket && e.shape_hash == shape_hash &&
           e.short_shape_hash == short_shape_hash;
  }
  // Fills `slot` (from Shape()) with a class's rows (the neighbour rows are single weights).
  static void StoreShape(CachedShape& slot, uint64_t shape_hash, uint64_t short_shape_hash, uint8_t flags,
                         uint8_t length_bucket, const int32_t (&own)[kT], const int32_t (&shape_at)[4][kT]) {
    slot.shape_hash = shape_hash;
    slot.short_shape_hash = short_shape_hash;
    slot.flags = flags;
    slot.length_bucket = length_bucket;
    std::memcpy(slot.own, own, sizeof slot.own);
    for (size_t k = 0; k < 4; ++k) {
      for (size_t y = 0; y < kT; ++y) slot.shape_at[k][y] = static_cast<int16_t>(shape_at[k][y]);
    }
  }

  // Puts `word` into `set` (in place of the less recently used entry) with these hashes, flags
  // and rows, when they fit.
  void Store(uint32_t set, std::string_view word, uint64_t word_hash, uint64_t short_shape_hash,
             uint8_t flags, uint8_t lex_start, const int32_t (&own)[kT], const int32_t (&neighbour)[4][kT]) {
    // v fits int16 when v + 32768, as unsigned, is below 65536: one test for all 36 values.
    uint32_t out_of_range = 0;
    const int32_t* all = &neighbour[0][0];
    for (size_t k = 0; k < 4 * kT; ++k) out_of_range |= (static_cast<uint32_t>(all[k]) + 32768u) >> 16;
    if (out_of_range != 0) return;
    CachedSet& words = sets_[set];
    const uint8_t way = words.order[kWays - 1];
    words.Touch(way);
    Text(word, words.text[way]);
    words.size[way] = static_cast<uint8_t>(word.size());
    CachedWord& slot = entries_[kWays * set + way];
    slot.word_hash = word_hash;
    slot.short_shape_hash = short_shape_hash;
    slot.flags = flags;
    slot.lex_start = lex_start;
    std::memcpy(slot.own, own, sizeof slot.own);
    for (size_t k = 0; k < 4; ++k) {
      for (size_t y = 0; y < kT; ++y) slot.neighbour[k][y] = static_cast<int16_t>(neighbour[k][y]);
    }
  }

 private:
  std::vector<CachedSet> sets_;
  std::vector<CachedWord> entries_;  // set s: entries kWays * s + way
  std::vector<CachedShape> shapes_;
  std::vector<CachedPair> shape_pairs_;
  uint64_t model_ = 0;
  uint32_t epoch_ = 0;
};

// A word of the sentence that the cache did not hold: its features are looked up with the rest,
// into its rows (see CachedWord); those of its shape class too, when the cache does not have
// them either.
struct MissedWord {
  size_t token;
  int32_t own[kT];
  int32_t neighbour[4][kT];
  uint8_t length_bucket;
  CachedShape* shape;  // the slot of its shape class; null once its rows are taken from there
  int32_t shape_own[kT];
  int32_t shape_at[4][kT];
};

// A bigram of the sentence that the cache did not hold: its two features are looked up with the
// rest, into its rows (see CachedPair).
struct MissedPair {
  size_t k;             // pair k: tokens k-1 and k
  CachedPair* slot;     // to fill
  uint64_t a, b;        // the tokens' hashes
  int32_t second[kT];   // row of token k
  int32_t first[kT];    // row of token k-1
};

// Adds a word's own row to token i's scores and its neighbour rows to those of the tokens they
// belong to (n tokens, kT sums each).
template <typename Int>
void AddWordRows(const int32_t* own, const Int (&neighbour)[4][kT], size_t i, size_t n, int32_t* acc) {
  AddRow(own, acc + i * kT);
  if (i >= 2 && i + 2 < n) {  // all four neighbours inside the sentence
    for (size_t k = 0; k < 4; ++k) {
      AddRow(neighbour[k], acc + static_cast<size_t>(static_cast<std::ptrdiff_t>(i) - kNeighbourOffsets[k]) * kT);
    }
    return;
  }
  for (size_t k = 0; k < 4; ++k) {
    const auto t = static_cast<std::ptrdiff_t>(i) - kNeighbourOffsets[k];
    if (t < 0 || static_cast<size_t>(t) >= n) continue;
    AddRow(neighbour[k], acc + static_cast<size_t>(t) * kT);
  }
}

}  // namespace

struct Tagger::Scratch {
  FeatureExtractor fx;
  std::vector<float> em, maxmarg, margins, span_margins;
  std::vector<uint8_t> tags;
  DecodeScratch decode;
  // CachedEmissions
  WordCache cache;
  bool use_cache = true;
  std::vector<int32_t> acc;
  std::vector<uint32_t> sets;     // per token: its WordCache set, or kNoSet
  std::vector<uint32_t> entries;  // per token: its WordCache entry, or kNoEntry
  struct Text {
    uint64_t text[2];
  };
  std::vector<Text> texts;  // per token: WordCache::Text
  std::vector<MissedWord> missed;
  std::vector<MissedPair> missed_pairs;
  std::vector<CachedPair*> pair_slots;      // per pair k: its slot in the shape-bigram cache
  std::vector<uint64_t> word_at, shape_at;  // per token i at i + 1, the padding at 0 and n + 1
  std::vector<uint64_t> keys;
  std::vector<uint8_t> templates;
  std::vector<int32_t*> dst;  // per key: the row its weights add to
};

Tagger::Scratch& Tagger::ThreadScratch() {
  thread_local Scratch scratch;
  return scratch;
}

void Tagger::UseWordCache(bool enabled) { ThreadScratch().use_cache = enabled; }

void Tagger::Emissions(const FeatureExtractor& fx, std::vector<float>* scores) const {
  const size_t n = fx.size();
  // The probes are cache misses; issue them all before the first is needed.
  if (n > 0) {
    const auto all = std::span<const uint64_t>(fx.Features(0).data(),
                                               fx.Features(n - 1).data() + fx.Features(n - 1).size());
    for (uint64_t key : all) __builtin_prefetch(&groups_[key & group_mask_]);
  }
  std::vector<int32_t>& acc = ThreadScratch().acc;  // CachedEmissions' buffer: not in use now
  acc.assign(n * kT, 0);
  for (size_t i = 0; i < n; ++i) AddWeights(fx.Features(i), &acc[i * kT]);
  Scores(acc.data(), n, scores);
}

void Tagger::AddAll(std::span<const uint64_t> keys, int32_t* const* dst) const {
  // The lookups are cache misses as often as not: fetch each key's group a few keys ahead.
  constexpr size_t kAhead = 8;
  const size_t m = keys.size();
  for (size_t j = 0; j < m && j < kAhead; ++j) __builtin_prefetch(&groups_[keys[j] & group_mask_]);
  auto add = [&](size_t j) {
    const int16_t* w = Find(keys[j]);
    if (w != nullptr) AddRow(w, dst[j]);
  };
  size_t j = 0;
  for (; j + kAhead < m; ++j) {
    __builtin_prefetch(&groups_[keys[j + kAhead] & group_mask_]);
    add(j);
  }
  for (; j < m; ++j) add(j);
}

void Tagger::CachedEmissions(std::span<const std::string_view> words, std::span<const std::string_view> extra,
                             Scratch& s) const {
  const size_t n = words.size();
  if (extra.size() != n) extra = {};
  FeatureExtractor& fx = s.fx;
  fx.Begin(n);
  s.cache.Use(id_);
  if (s.acc.size() < n * kT) s.acc.resize(n * kT);
  int32_t* acc = s.acc.data();
  std::fill_n(acc, n * kT, 0);
  // The keys still to look up, each with the row its weights add to. Per token at most
  // kMaxFeaturesPerToken keys: its own, neighbour and context features.
  const size_t capacity = (n + 1) * kMaxFeaturesPerToken;
  if (s.keys.size() < capacity) {
    s.keys.resize(capacity);
    s.templates.resize(capacity);
    s.dst.resize(capacity);
  }
  size_t count = 0;
  auto emit = [&](auto&& add, int32_t* row) {
    FeatureExtractor::Emitter e(s.keys.data() + count, s.templates.data() + count,
                                std::min(kMaxFeaturesPerToken, capacity - count), nullptr);
    add(e);
    std::fill_n(s.dst.data() + count, e.count(), row);
    count += e.count();
  };

  // 1. The words of every token's cache set, fetched together.
  if (s.sets.size() < n) {
    s.sets.resize(n);
    s.entries.resize(n);
    s.texts.resize(n);
    s.missed.resize(n);  // no reallocation below: the queued keys point into it
  }
  for (size_t i = 0; i < n; ++i) {
    s.sets[i] = WordCache::kNoSet;
    if (words[i].size() > WordCache::kMaxBytes) continue;
    WordCache::Text(words[i], s.texts[i].text);
    s.sets[i] = s.cache.Set(s.texts[i].text);
  }
  // 2. The rows of the words the cache holds are fetched; the other words are analysed, and the
  // slots of their shape classes fetched.
  size_t missed = 0;
  for (size_t i = 0; i < n; ++i) {
    const uint32_t entry = s.sets[i] == WordCache::kNoSet
                               ? WordCache::kNoEntry
                               : s.cache.Find(s.sets[i], words[i].size(), s.texts[i].text);
    s.entries[i] = entry;
    if (entry != WordCache::kNoEntry) {
      s.cache.Prefetch(entry);
      continue;
    }
    fx.AnalyseWord(i, words[i]);
    FeatureExtractor::PrefetchLexiconStart(fx.word_hash_[i], &lexicon_);  // looked up in step 4
    MissedWord& m = s.missed[missed++];
    m.token = i;
    m.length_bucket = static_cast<uint8_t>(LengthBucket(words[i].size()));
    m.shape = &s.cache.ShapeSlot(fx.shape_hash_[i], fx.short_shape_hash_[i], fx.flags_[i], m.length_bucket);
  }
  // 3. Words in the cache give their rows; the features of the others are queued, those of their
  // shape class only when the shape cache does not hold its rows.
  for (size_t i = 0; i < n; ++i) {
    if (s.entries[i] == WordCache::kNoEntry) continue;
    const CachedWord& e = s.cache.Row(s.entries[i]);
    fx.word_hash_[i] = e.word_hash;
    fx.short_shape_hash_[i] = e.short_shape_hash;
    fx.flags_[i] = e.flags;
    fx.lex_start_[i] = e.lex_start;
    AddWordRows(e.own, e.neighbour, i, n, acc);
  }
  for (size_t j = 0; j < missed; ++j) {
    MissedWord& m = s.missed[j];
    const size_t i = m.token;
    if (WordCache::Holds(*m.shape, fx.shape_hash_[i], fx.short_shape_hash_[i], fx.flags_[i],
                         m.length_bucket)) {
      std::memcpy(m.own, m.shape->own, sizeof m.own);
      for (size_t k = 0; k < 4; ++k) {
        for (size_t y = 0; y < kT; ++y) m.neighbour[k][y] = m.shape->shape_at[k][y];
      }
      m.shape = nullptr;
    } else {
      std::memset(m.own, 0, sizeof m.own);
      std::memset(m.neighbour, 0, sizeof m.neighbour);
      std::memset(m.shape_own, 0, sizeof m.shape_own);
      std::memset(m.shape_at, 0, sizeof m.shape_at);
      emit([&](FeatureExtractor::Emitter& e) { fx.AddWordFeatures(e, i, words[i].size(), fx.kShapePart); },
           m.shape_own);
      for (uint32_t k = 0; k < 4; ++k) {
        emit(
            [&](FeatureExtractor::Emitter& e) {
              fx.AddNeighbour(e, i, k, fx.word_hash_[i], fx.short_shape_hash_[i], fx.kShapePart);
            },
            m.shape_at[k]);
      }
    }
    emit([&](FeatureExtractor::Emitter& e) { fx.AddWordFeatures(e, i, words[i].size(), fx.kIdentityPart); },
         m.own);
    for (uint32_t k = 0; k < 4; ++k) {
      emit(
          [&](FeatureExtractor::Emitter& e) {
            fx.AddNeighbour(e, i, k, fx.word_hash_[i], fx.short_shape_hash_[i], fx.kIdentityPart);
          },
          m.neighbour[k]);
    }
  }
  // 4. The features of position, bigrams, lexicon and extras. First the lexicon's two-word
  // phrases and the shape bigrams' cache slots are fetched, together.
  for (size_t k = 0; k < missed; ++k) {
    const size_t i = s.missed[k].token;
    fx.lex_start_[i] = FeatureExtractor::LexiconStart(fx.word_hash_[i], &lexicon_);
  }
  fx.PrefetchLexicon(&lexicon_);
  // The word and collapsed-shape hashes of the tokens with the padding around them: token i at
  // i + 1, so that pair k joins entries k and k + 1.
  if (s.pair_slots.size() < n + 2) {
    s.pair_slots.resize(n + 2);
    s.word_at.resize(n + 2);
    s.shape_at.resize(n + 2);
  }
  s.word_at[0] = fx.WordAt(0, -1);
  s.shape_at[0] = fx.ShapeAt(0, -1);
  std::copy_n(fx.word_hash_.begin(), n, s.word_at.begin() + 1);
  std::copy_n(fx.short_shape_hash_.begin(), n, s.shape_at.begin() + 1);
  s.word_at[n + 1] = fx.WordAt(n, 0);
  s.shape_at[n + 1] = fx.ShapeAt(n, 0);
  for (size_t k = 0; k <= n; ++k) {
    s.pair_slots[k] = &s.cache.PairSlot(s.shape_at[k], s.shape_at[k + 1]);
    __builtin_prefetch(s.pair_slots[k]);
  }
  fx.AnalyseTitleCase(words);
  fx.AnalyseLexicon(&lexicon_);
  // The bigram features. Word bigrams are too many to cache: their two keys are looked up with
  // the rest. The few shape bigrams come from a cache keyed by the two tokens' shape hashes, so
  // that only a missed pair's hash is computed.
  if (s.missed_pairs.size() < n + 1) s.missed_pairs.resize(n + 1);  // as s.missed
  size_t missed_pairs = 0;
  for (size_t k = 0; k <= n; ++k) {
    const uint64_t word_pair = Pair(s.word_at[k], s.word_at[k + 1]);
    if (k < n) {
      s.keys[count] = FeatureExtractor::PairKey(FeatureExtractor::PairKind::kWords, true, word_pair);
      s.dst[count++] = acc + k * kT;
    }
    if (k > 0) {
      s.keys[count] = FeatureExtractor::PairKey(FeatureExtractor::PairKind::kWords, false, word_pair);
      s.dst[count++] = acc + (k - 1) * kT;
    }
    const uint64_t a = s.shape_at[k], b = s.shape_at[k + 1];
    CachedPair& slot = *s.pair_slots[k];
    if (s.cache.Holds(slot, a, b)) {
      if (k < n) AddRow(slot.second, acc + k * kT);
      if (k > 0) AddRow(slot.first, acc + (k - 1) * kT);
      continue;
    }
    MissedPair& m = s.missed_pairs[missed_pairs++];
    m.k = k;
    m.slot = &slot;
    m.a = a;
    m.b = b;
    std::memset(m.second, 0, sizeof m.second);
    std::memset(m.first, 0, sizeof m.first);
    const uint64_t shape_pair = Pair(a, b);
    s.keys[count] = FeatureExtractor::PairKey(FeatureExtractor::PairKind::kShapes, true, shape_pair);
    s.dst[count++] = m.second;
    s.keys[count] = FeatureExtractor::PairKey(FeatureExtractor::PairKind::kShapes, false, shape_pair);
    s.dst[count++] = m.first;
  }
  // The rest, which few tokens have: position (the first token, title case) and lexicon classes
  // and extras.
  for (size_t i = 0; i < n; ++i) {
    if (i == 0 || fx.title_case_) {
      emit([&](FeatureExtractor::Emitter& e) { fx.AddPositionFeatures(e, i); }, acc + i * kT);
    }
    if (fx.HasLexiconExtraFeatures(i, extra)) {
      emit([&](FeatureExtractor::Emitter& e) { fx.AddLexiconExtraFeatures(e, i, extra, &lexicon_); },
           acc + i * kT);
    }
  }
  // 5. Their weights.
  AddAll(std::span<const uint64_t>(s.keys.data(), count), s.dst.data());
  // The missed bigrams' rows, which then go into the cache.
  for (size_t j = 0; j < missed_pairs; ++j) {
    MissedPair& m = s.missed_pairs[j];
    if (m.k < n) AddRow(m.second, acc + m.k * kT);
    if (m.k > 0) AddRow(m.first, acc + (m.k - 1) * kT);
    s.cache.StorePair(*m.slot, m.a, m.b, m.second, m.first);
  }
  // 6. The missed words' rows, which then go into the cache.
  for (size_t k = 0; k < missed; ++k) {
    MissedWord& m = s.missed[k];
    const size_t i = m.token;
    if (m.shape != nullptr) {
      WordCache::StoreShape(*m.shape, fx.shape_hash_[i], fx.short_shape_hash_[i], fx.flags_[i],
                            m.length_bucket, m.shape_own, m.shape_at);
      AddRow(m.shape_own, m.own);
      for (size_t j = 0; j < 4; ++j) AddRow(m.shape_at[j], m.neighbour[j]);
    }
    AddWordRows(m.own, m.neighbour, m.token, n, acc);
    if (s.sets[m.token] != WordCache::kNoSet) {
      s.cache.Store(s.sets[m.token], words[m.token], fx.word_hash_[m.token], fx.short_shape_hash_[m.token],
                    fx.flags_[m.token], fx.lex_start_[m.token], m.own, m.neighbour);
    }
  }
  // 7. What the padding beyond the sentence gives the tokens near its ends.
  for (size_t k = 0; k < 4; ++k) {
    const int off = kNeighbourOffsets[k];
    const auto reach = std::min(n, static_cast<size_t>(off < 0 ? -off : off));
    for (size_t j = 0; j < reach; ++j) {
      const size_t i = off < 0 ? j : n - 1 - j;
      AddRow(off < 0 ? &pad_before_[k * kT] : &pad_after_[k * kT], acc + i * kT);
    }
  }
  Scores(acc, n, &s.em);
}

void Tagger::ChunkEmissions(std::span<const std::string_view> words, std::span<const std::string_view> extra,
                            Scratch& s) const {
  if (s.use_cache) {
    CachedEmissions(words, extra, s);
  } else {
    s.fx.Extract(words, extra, &lexicon_);
    Emissions(s.fx, &s.em);
  }
}

std::vector<TaggedSpan> Tagger::Tag(std::span<const std::string_view> words,
                                    std::span<const std::string_view> extra) const {
  std::vector<TaggedSpan> spans;
  std::vector<float>& margins = ThreadScratch().span_margins;
  TagWithMargins(words, extra, &spans, &margins);
  for (size_t k = 0; k < spans.size(); ++k) spans[k].confidence = Confidence(margins[k]);
  return spans;
}

void Tagger::TagWithMargins(std::span<const std::string_view> words, std::span<const std::string_view> extra,
                            std::vector<TaggedSpan>* spans, std::vector<float>* margins) const {
  Scratch& s = ThreadScratch();
  spans->clear();
  margins->clear();
  const bool has_extra = extra.size() == words.size();
  // Long "sentences" (run-on text without sentence breaks) are tagged in independent chunks, so
  // memory stays bounded by the chunk size.
  for (size_t start = 0; start < words.size(); start += kMaxChunkWords) {
    const size_t n = std::min(kMaxChunkWords, words.size() - start);
    ChunkEmissions(words.subspan(start, n), has_extra ? extra.subspan(start, n) : extra.first(0), s);
    s.tags.resize(n);
    const float best = Decode(s.em.data(), n, trans_.data(), s.tags.data(), &s.decode);
    std::vector<TaggedSpan> chunk = SpansFromTags(s.tags);
    if (chunk.empty()) continue;
    // Margins need the max-marginals of the spans' tokens and those after them only.
    MaxMarginals(s.em.data(), n, trans_.data(), chunk.front().first_token, &s.decode, &s.maxmarg);
    SpanMargins(chunk, s.tags.data(), n, s.maxmarg, best, &s.margins);
    for (size_t k = 0; k < chunk.size(); ++k) {
      chunk[k].first_token += start;
      chunk[k].last_token += start;
      spans->push_back(chunk[k]);
      margins->push_back(s.margins[k]);
    }
  }
}

std::vector<uint8_t> Tagger::TagSequence(std::span<const std::string_view> words,
                                         std::span<const std::string_view> extra) const {
  Scratch& s = ThreadScratch();
  std::vector<uint8_t> tags(words.size());
  const bool has_extra = extra.size() == words.size();
  for (size_t start = 0; start < words.size(); start += kMaxChunkWords) {
    const size_t n = std::min(kMaxChunkWords, words.size() - start);
    ChunkEmissions(words.subspan(start, n), has_extra ? extra.subspan(start, n) : extra.first(0), s);
    Decode(s.em.data(), n, trans_.data(), tags.data() + start, &s.decode);
  }
  return tags;
}

std::string Tagger::Serialize() const {
  std::vector<const Entry*> rows;
  rows.reserve(num_features_);
  for (size_t i = 0; i < entries_.size(); ++i) {
    if (groups_[i / 8].fingerprint[i % 8] != 0) rows.push_back(&entries_[i]);
  }
  std::sort(rows.begin(), rows.end(), [](const Entry* a, const Entry* b) { return a->key < b->key; });
  std::vector<std::pair<uint64_t, uint8_t>> lex;
  for (size_t i = 0; i < lexicon_.keys_.size(); ++i) {
    if (lexicon_.keys_[i] != 0) lex.emplace_back(lexicon_.keys_[i], lexicon_.bits_[i]);
  }
  std::sort(lex.begin(), lex.end());
  std::string out;
  out.reserve(kMagic.size() + 32 + kTS * kTS * 4 + lex.size() * 9 + rows.size() * (8 + 2 * kT) + 64);
  out.append(kMagic);
  PutU32(&out, kFormatVersion);
  PutU32(&out, FeatureExtractor::kVersion);
  PutU32(&out, kT);
  PutF32(&out, scale_);
  PutF32(&out, calib_a_);
  PutF32(&out, calib_b_);
  PutF32(&out, entity_bias_);
  for (float f : trans_) PutF32(&out, f);
  PutU32(&out, static_cast<uint32_t>(lexicon_.classes_.size()));
  for (const std::string& c : lexicon_.classes_) {
    out.push_back(static_cast<char>(c.size()));
    out.append(c);
  }
  PutU32(&out, static_cast<uint32_t>(lex.size()));
  for (const auto& [key, bits] : lex) {
    PutU64(&out, key);
    out.push_back(static_cast<char>(bits));
  }
  PutU32(&out, static_cast<uint32_t>(rows.size()));
  for (const Entry* row : rows) PutU64(&out, row->key);
  for (const Entry* row : rows) {
    for (int16_t w : row->weights) PutI16(&out, w);
  }
  PutU32(&out, Fnv32(out));
  return out;
}

Result<std::unique_ptr<Tagger>> Tagger::Load(std::string_view bytes) {
  if (bytes.size() < kMagic.size() || bytes.substr(0, kMagic.size()) != kMagic) {
    return Corrupt("not a tagger model (bad magic)", 0);
  }
  ByteReader r(bytes.substr(kMagic.size()));
  auto at = [&] { return kMagic.size() + r.pos(); };
  uint32_t format = 0, feature_version = 0, tags = 0;
  if (!r.U32(&format)) return Corrupt("truncated header", at());
  if (format != kFormatVersion) {
    return Corrupt("unsupported format version " + std::to_string(format) + " (expected " +
                       std::to_string(kFormatVersion) + ")",
                   at() - 4);
  }
  if (!r.U32(&feature_version)) return Corrupt("truncated header", at());
  if (feature_version != FeatureExtractor::kVersion) {
    return Corrupt("model was trained with feature version " + std::to_string(feature_version) +
                       ", this build computes version " + std::to_string(FeatureExtractor::kVersion),
                   at() - 4);
  }
  if (!r.U32(&tags)) return Corrupt("truncated header", at());
  if (tags != kT)
    return Corrupt("expected " + std::to_string(kT) + " tags, found " + std::to_string(tags), at() - 4);
  float scale = 0, a = 0, b = 0, bias = 0;
  if (!r.F32(&scale) || !r.F32(&a) || !r.F32(&b) || !r.F32(&bias)) return Corrupt("truncated header", at());
  if (!std::isfinite(scale) || scale <= 0) return Corrupt("weight scale is not a positive number", at() - 12);
  if (!std::isfinite(a) || !std::isfinite(b) || a <= 0)
    return Corrupt("bad confidence calibration", at() - 12);
  if (!std::isfinite(bias)) return Corrupt("entity bias is not finite", at() - 4);
  std::array<float, kTS * kTS> trans{};
  for (float& f : trans) {
    if (!r.F32(&f)) return Corrupt("truncated transition table", at());
    if (!std::isfinite(f)) return Corrupt("transition weight is not finite", at() - 4);
  }

  // Lexicon: class names, then (key, bits) entries in increasing key order.
  Lexicon lexicon;
  uint32_t num_classes = 0;
  if (!r.U32(&num_classes)) return Corrupt("truncated lexicon", at());
  if (num_classes > Lexicon::kMaxClasses) {
    return Corrupt("too many lexicon classes: " + std::to_string(num_classes), at() - 4);
  }
  for (uint32_t c = 0; c < num_classes; ++c) {
    uint8_t len = 0;
    if (!r.U8(&len) || len == 0 || r.remaining() < len)
      return Corrupt("truncated or empty lexicon class name", at());
    std::string name;
    (void)r.Bytes(len, &name);
    if (lexicon.AddClass(name) != static_cast<int>(c))
      return Corrupt("duplicate lexicon class " + name, at() - len);
  }
  uint32_t num_entries = 0;
  if (!r.U32(&num_entries)) return Corrupt("truncated lexicon", at());
  if (r.remaining() / 9 < num_entries) {
    return Corrupt("truncated: " + std::to_string(num_entries) + " lexicon entries do not fit in the " +
                       std::to_string(r.remaining()) + " bytes left",
                   at());
  }
  const auto valid_bits = static_cast<uint8_t>(((1u << num_classes) - 1) | Lexicon::kPrefixBit);
  uint64_t prev_key = 0;
  for (uint32_t k = 0; k < num_entries; ++k) {
    uint64_t key = 0;
    uint8_t bits = 0;
    (void)r.U64(&key);
    (void)r.U8(&bits);
    if (key == 0 || key <= prev_key)
      return Corrupt("lexicon keys are not strictly increasing and non-zero", at() - 9);
    if (bits == 0 || (bits & ~valid_bits) != 0)
      return Corrupt("lexicon entry has undefined classes", at() - 1);
    lexicon.Insert(key, bits);
    prev_key = key;
  }

  // Features: keys, then weights, then the checksum. Sizes are checked before allocating.
  uint32_t n = 0;
  if (!r.U32(&n)) return Corrupt("truncated feature count", at());
  const size_t body = r.remaining();
  const size_t per_feature = 8 + 2 * kT;
  if (body < 4 || (body - 4) / per_feature < n) {
    return Corrupt("truncated: " + std::to_string(n) + " features need " +
                       std::to_string(uint64_t{n} * per_feature + 4) + " more bytes, " +
                       std::to_string(body) + " present",
                   at());
  }
  if (body != size_t{n} * per_feature + 4) {
    return Corrupt(std::to_string(body - size_t{n} * per_feature - 4) + " unexpected trailing bytes",
                   at() + size_t{n} * per_feature + 4);
  }
  uint32_t stored_sum = 0;
  {
    ByteReader tail(bytes.substr(bytes.size() - 4));
    (void)tail.U32(&stored_sum);
  }
  if (stored_sum != Fnv32(bytes.substr(0, bytes.size() - 4))) {
    return Corrupt("checksum mismatch (corrupted model)", bytes.size() - 4);
  }
  std::vector<uint64_t> keys(n);
  for (uint32_t k = 0; k < n; ++k) {
    (void)r.U64(&keys[k]);
    if (keys[k] == 0 || (k > 0 && keys[k] <= keys[k - 1])) {
      return Corrupt("feature keys are not strictly increasing and non-zero", at() - 8);
    }
  }
  std::vector<int16_t> weights(size_t{n} * kT);
  for (int16_t& w : weights) (void)r.I16(&w);
  auto t = TaggerBuilder::Build(keys, weights, scale, trans, a, b, std::move(lexicon));
  t->entity_bias_ = bias;
  return t;
}

const Tagger* Tagger::Default() {
  static const Tagger* const kDefault = []() -> const Tagger* {
    std::string_view bytes = embedded::Find(embedded::data(), "tagger.model");
    if (bytes.empty()) return nullptr;
    Result<std::unique_ptr<Tagger>> t = Load(bytes);
    if (!t.ok()) return nullptr;
    return std::move(*t).release();  // lives for the program
  }();
  return kDefault;
}

// ---- training -----------------------------------------------------------------------------------

namespace {

Status CheckSentences(std::span<const TrainingSentence> data, std::string_view which) {
  for (size_t k = 0; k < data.size(); ++k) {
    const TrainingSentence& s = data[k];
    std::string where = std::string(which) + " sentence " + std::to_string(k);
    if (s.tags.size() != s.words.size()) {
      return Status::InvalidArgument("tags and words differ in number", where);
    }
    if (!s.extra.empty() && s.extra.size() != s.words.size()) {
      return Status::InvalidArgument("extras and words differ in number", where);
    }
    for (uint8_t t : s.tags) {
      if (t >= kT) return Status::InvalidArgument("tag out of range: " + std::to_string(t), where);
    }
  }
  return Status::Ok();
}

// Fits confidence = sigmoid(a * margin + b) to (margin, correct) by maximum likelihood with a
// small ridge on a: Newton steps on standardised margins, halved until the loss decreases.
// Returns false when the fit is not increasing in the margin.
bool FitLogistic(const std::vector<float>& x, const std::vector<uint8_t>& y, float* a_out, float* b_out) {
  const size_t n = x.size();
  if (n == 0) return false;
  double mean = 0, var = 0, pos = 0;
  for (size_t i = 0; i < n; ++i) {
    mean += x[i];
    pos += y[i];
  }
  mean /= static_cast<double>(n);
  for (size_t i = 0; i < n; ++i) var += (x[i] - mean) * (x[i] - mean);
  const double sd = std::sqrt(var / static_cast<double>(n));
  if (!(sd > 0) || pos == 0 || pos == static_cast<double>(n)) return false;
  const double ridge = 1e-3;
  auto loss = [&](double a, double b) {
    double l = 0.5 * ridge * a * a;
    for (size_t i = 0; i < n; ++i) {
      double z = a * (x[i] - mean) / sd + b;
      // log(1 + e^-z) for y = 1, log(1 + e^z) for y = 0, computed stably.
      double m = y[i] ? -z : z;
      l += m > 0 ? m + std::log1p(std::exp(-m)) : std::log1p(std::exp(m));
    }
    return l;
  };
  double a = 0, b = std::log(pos / (static_cast<double>(n) - pos));
  double current = loss(a, b);
  for (int iter = 0; iter < 100; ++iter) {
    double ga = ridge * a, gb = 0, haa = ridge, hab = 0, hbb = 0;
    for (size_t i = 0; i < n; ++i) {
      double t = (x[i] - mean) / sd;
      double p = 1.0 / (1.0 + std::exp(-(a * t + b)));
      double d = p - y[i];
      double w = p * (1 - p);
      ga += d * t;
      gb += d;
      haa += w * t * t;
      hab += w * t;
      hbb += w;
    }
    double det = haa * hbb - hab * hab;
    if (!(det > 1e-12)) break;
    double da = (hbb * ga - hab * gb) / det;
    double db = (haa * gb - hab * ga) / det;
    double step = 1;
    double next = loss(a - da, b - db);
    while (!(next <= current) && step > 1e-6) {
      step *= 0.5;
      next = loss(a - step * da, b - step * db);
    }
    if (!(next <= current)) break;
    a -= step * da;
    b -= step * db;
    const bool done = current - next < 1e-10;
    current = next;
    if (done) break;
  }
  // Undo the standardisation: a * (x - mean) / sd + b.
  const double a_raw = a / sd, b_raw = b - a * mean / sd;
  if (!std::isfinite(a_raw) || !std::isfinite(b_raw) || a_raw <= 0) return false;
  *a_out = static_cast<float>(a_raw);
  *b_out = static_cast<float>(b_raw);
  return true;
}

struct CrfScratch {
  std::vector<double> alpha, beta;
  std::vector<double> node;  // n x kT marginals
  std::vector<double> edge;  // kTS x kTS expected transition counts (start row, end column)
};

double LogSumExp(const double* v, int n) {
  double m = -std::numeric_limits<double>::infinity();
  for (int i = 0; i < n; ++i) m = std::max(m, v[i]);
  if (!std::isfinite(m)) return m;
  double s = 0;
  for (int i = 0; i < n; ++i) s += std::exp(v[i] - m);
  return m + std::log(s);
}

// Forward-backward for the linear-chain CRF with the BIO constraints: node marginals and
// expected transition counts of a sentence with emissions em[n*kT] and transitions trans.
void CrfMarginals(const float* em, size_t n, const float* trans, CrfScratch* s) {
  const double ninf = -std::numeric_limits<double>::infinity();
  s->alpha.assign(n * kT, ninf);
  s->beta.assign(n * kT, ninf);
  s->node.assign(n * kT, 0.0);
  s->edge.assign(kTS * kTS, 0.0);
  double tmp[kTS];
  for (int t = 0; t < kT; ++t) {
    if (kAllowed.allowed[kT][t]) s->alpha[static_cast<size_t>(t)] = trans[kT * kTS + t] + em[t];
  }
  for (size_t i = 1; i < n; ++i) {
    for (int t = 0; t < kT; ++t) {
      for (int p = 0; p < kT; ++p) {
        tmp[p] = kAllowed.allowed[p][t] ? s->alpha[(i - 1) * kT + static_cast<size_t>(p)] + trans[p * kTS + t]
                                        : ninf;
      }
      s->alpha[i * kT + static_cast<size_t>(t)] = LogSumExp(tmp, kT) + em[i * kT + static_cast<size_t>(t)];
    }
  }
  for (int t = 0; t < kT; ++t) {
    s->beta[(n - 1) * kT + static_cast<size_t>(t)] = trans[t * kTS + kT];
    tmp[t] = s->alpha[(n - 1) * kT + static_cast<size_t>(t)] + trans[t * kTS + kT];
  }
  const double log_z = LogSumExp(tmp, kT);
  for (size_t i = n - 1; i > 0; --i) {
    for (int p = 0; p < kT; ++p) {
      for (int t = 0; t < kT; ++t) {
        tmp[t] = kAllowed.allowed[p][t] ? trans[p * kTS + t] + em[i * kT + static_cast<size_t>(t)] +
                                              s->beta[i * kT + static_cast<size_t>(t)]
                                        : ninf;
      }
      s->beta[(i - 1) * kT + static_cast<size_t>(p)] = LogSumExp(tmp, kT);
    }
  }
  for (size_t k = 0; k < n * kT; ++k) s->node[k] = std::exp(s->alpha[k] + s->beta[k] - log_z);
  for (int t = 0; t < kT; ++t) {
    s->edge[kT * kTS + t] += s->node[static_cast<size_t>(t)];
    s->edge[t * kTS + kT] += s->node[(n - 1) * kT + static_cast<size_t>(t)];
  }
  for (size_t i = 1; i < n; ++i) {
    for (int p = 0; p < kT; ++p) {
      for (int t = 0; t < kT; ++t) {
        if (!kAllowed.allowed[p][t]) continue;
        s->edge[static_cast<size_t>(p * kTS + t)] +=
            std::exp(s->alpha[(i - 1) * kT + static_cast<size_t>(p)] + trans[p * kTS + t] +
                     em[i * kT + static_cast<size_t>(t)] + s->beta[i * kT + static_cast<size_t>(t)] - log_z);
      }
    }
  }
}

// Exact-match span micro F1 of `model` on `data`.
double SpanMicroF1(const Tagger& model, std::span<const TrainingSentence> data) {
  size_t tp = 0, got_n = 0, gold_n = 0;
  for (const TrainingSentence& s : data) {
    auto words = Views(s.words);
    auto extra = Views(s.extra);
    std::vector<TaggedSpan> got = SpansFromTags(model.TagSequence(words, extra));
    std::vector<TaggedSpan> gold = SpansFromTags(s.tags);
    got_n += got.size();
    gold_n += gold.size();
    for (const TaggedSpan& g : got) {
      tp += static_cast<size_t>(std::count(gold.begin(), gold.end(), g));
    }
  }
  return got_n + gold_n == 0 ? 0.0 : 2.0 * static_cast<double>(tp) / static_cast<double>(got_n + gold_n);
}

}  // namespace

Result<std::unique_ptr<Tagger>> TrainTagger(std::span<const TrainingSentence> train,
                                            std::span<const TrainingSentence> dev,
                                            const TrainerOptions& options, const EpochCallback& on_epoch) {
  PROSE2STIX_RETURN_IF_ERROR(CheckSentences(train, "training"));
  PROSE2STIX_RETURN_IF_ERROR(CheckSentences(dev, "dev"));
  if (options.epochs < 1) return Status::InvalidArgument("epochs must be at least 1");

  // Count features, keep the frequent ones, numbered in key order (deterministic).
  FeatureExtractor fx;
  std::unordered_map<uint64_t, uint32_t> counts;
  for (const TrainingSentence& s : train) {
    auto words = Views(s.words);
    auto extra = Views(s.extra);
    fx.Extract(words, extra, &options.lexicon);
    for (size_t i = 0; i < fx.size(); ++i) {
      for (uint64_t k : fx.Features(i)) ++counts[k];
    }
  }
  std::vector<uint64_t> kept;
  for (const auto& [k, c] : counts) {
    if (c >= options.min_feature_count) kept.push_back(k);
  }
  std::sort(kept.begin(), kept.end());
  std::unordered_map<uint64_t, uint32_t> ids;
  ids.reserve(kept.size());
  for (size_t i = 0; i < kept.size(); ++i) ids.emplace(kept[i], static_cast<uint32_t>(i));
  counts.clear();

  struct Encoded {
    std::vector<uint32_t> ids;
    std::vector<uint8_t> identity;  // per id: an identity feature (see IsIdentityTemplate)
    std::vector<uint32_t> offsets;
  };
  std::vector<Encoded> enc(train.size());
  for (size_t k = 0; k < train.size(); ++k) {
    auto words = Views(train[k].words);
    auto extra = Views(train[k].extra);
    fx.Extract(words, extra, &options.lexicon);
    enc[k].offsets.push_back(0);
    for (size_t i = 0; i < fx.size(); ++i) {
      auto keys = fx.Features(i);
      auto templates = TaggerBuilder::Templates(fx, i);
      for (size_t f = 0; f < keys.size(); ++f) {
        auto it = ids.find(keys[f]);
        if (it == ids.end()) continue;
        enc[k].ids.push_back(it->second);
        enc[k].identity.push_back(IsIdentityTemplate(templates[f]) ? 1 : 0);
      }
      enc[k].offsets.push_back(static_cast<uint32_t>(enc[k].ids.size()));
    }
  }

  const size_t nf = kept.size();
  std::vector<double> w(nf * kT, 0.0), u(nf * kT, 0.0);
  std::vector<double> tw(kTS * kTS, 0.0), tu(kTS * kTS, 0.0);
  double c = 1;
  const bool crf = options.algorithm == TrainingAlgorithm::kCrf;
  double wscale = 1;  // CRF: the true weights are wscale * w (lazy L2 decay)

  // The model at the current step (perceptron: averaged), quantised.
  auto snapshot = [&]() -> std::unique_ptr<Tagger> {
    std::vector<double> avg(nf * kT);
    for (size_t i = 0; i < nf * kT; ++i) avg[i] = crf ? wscale * w[i] : w[i] - u[i] / c;
    std::vector<std::pair<double, uint32_t>> norm;  // (L1 norm, feature id)
    double max_abs = 0;
    for (size_t f = 0; f < nf; ++f) {
      double l1 = 0;
      for (int y = 0; y < kT; ++y) l1 += std::abs(avg[f * kT + static_cast<size_t>(y)]);
      if (l1 > 0) norm.emplace_back(l1, static_cast<uint32_t>(f));
    }
    if (norm.size() > options.max_features) {
      std::sort(norm.begin(), norm.end(), [](const auto& x, const auto& y) {
        return x.first != y.first ? x.first > y.first : x.second < y.second;
      });
      norm.resize(options.max_features);
      std::sort(norm.begin(), norm.end(), [](const auto& x, const auto& y) { return x.second < y.second; });
    }
    for (const auto& [l1, f] : norm) {
      for (int y = 0; y < kT; ++y)
        max_abs = std::max(max_abs, std::abs(avg[f * kT + static_cast<size_t>(y)]));
    }
    const double scale = max_abs > 0 ? max_abs / 32767.0 : 1.0;
    std::vector<uint64_t> keys;
    std::vector<int16_t> qw;
    for (const auto& [l1, f] : norm) {
      int16_t row[kT];
      bool any = false;
      for (int y = 0; y < kT; ++y) {
        double q = std::round(avg[f * kT + static_cast<size_t>(y)] / scale);
        row[y] = static_cast<int16_t>(std::clamp(q, -32767.0, 32767.0));
        any |= row[y] != 0;
      }
      if (!any) continue;
      keys.push_back(kept[f]);
      qw.insert(qw.end(), row, row + kT);
    }
    std::array<float, kTS * kTS> trans{};
    for (int p = 0; p < kTS; ++p) {
      for (int t = 0; t < kTS; ++t) {
        size_t k = static_cast<size_t>(p * kTS + t);
        bool used = t == kT ? p != kT : kAllowed.allowed[p][t];
        trans[k] = used ? static_cast<float>(crf ? tw[k] : tw[k] - tu[k] / c) : 0.0f;
      }
    }
    return TaggerBuilder::Build(keys, qw, static_cast<float>(scale), trans, 1.0f, 0.0f, options.lexicon);
  };

  std::vector<size_t> order(train.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::mt19937_64 rng(options.seed);
  std::vector<float> em;
  std::vector<float> trans_f(kTS * kTS);
  std::vector<uint8_t> pred;
  DecodeScratch scratch;
  CrfScratch crf_scratch;
  std::vector<uint8_t> active;
  std::mt19937_64 dropout_rng(options.seed ^ 0x9e3779b97f4a7c15ULL);
  std::unique_ptr<Tagger> best_model;
  double best_score = -std::numeric_limits<double>::infinity();

  auto update = [&](size_t k, double delta) {
    w[k] += delta;
    u[k] += c * delta;
  };
  auto update_trans = [&](size_t k, double delta) {
    tw[k] += delta;
    tu[k] += c * delta;
  };

  for (int epoch = 1; epoch <= options.epochs; ++epoch) {
    // Fisher-Yates with the raw generator: the same on every standard library.
    for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng() % i]);
    size_t mistakes = 0;
    for (size_t idx : order) {
      const Encoded& e = enc[idx];
      const std::vector<uint8_t>& gold = train[idx].tags;
      const size_t n = gold.size();
      if (n == 0) continue;
      // Word dropout: hide the identity features of some tokens, so that shape, context and
      // lexicon features learn to carry names the training data never shows.
      active.assign(e.ids.size(), 1);
      if (options.word_dropout > 0) {
        for (size_t i = 0; i < n; ++i) {
          if (static_cast<double>(dropout_rng() >> 11) * 0x1.0p-53 >= options.word_dropout) continue;
          for (uint32_t j = e.offsets[i]; j < e.offsets[i + 1]; ++j) active[j] = e.identity[j] ? 0 : 1;
        }
      }
      em.assign(n * kT, 0.0f);
      for (size_t i = 0; i < n; ++i) {
        for (uint32_t j = e.offsets[i]; j < e.offsets[i + 1]; ++j) {
          if (!active[j]) continue;
          const double* row = &w[size_t{e.ids[j]} * kT];
          for (int y = 0; y < kT; ++y) em[i * kT + static_cast<size_t>(y)] += static_cast<float>(row[y]);
        }
      }
      if (crf) {
        for (float& x : em) x = static_cast<float>(x * wscale);
      }
      for (size_t k = 0; k < trans_f.size(); ++k) trans_f[k] = static_cast<float>(tw[k]);
      pred.resize(n);
      Decode(em.data(), n, trans_f.data(), pred.data(), &scratch);
      if (crf) {
        if (pred != gold) ++mistakes;
        // Stochastic gradient step on the log-likelihood with L2 decay; learning rate
        // lr0 / (1 + t / N), t counting sentences.
        const double lr = options.crf_learning_rate / (1.0 + (c - 1) / static_cast<double>(train.size()));
        wscale *= 1.0 - lr * options.crf_l2 / static_cast<double>(train.size());
        if (wscale < 1e-9) {
          for (double& x : w) x *= wscale;
          wscale = 1;
        }
        CrfMarginals(em.data(), n, trans_f.data(), &crf_scratch);
        for (size_t i = 0; i < n; ++i) {
          for (int y = 0; y < kT; ++y) {
            const double g = (gold[i] == y ? 1.0 : 0.0) - crf_scratch.node[i * kT + static_cast<size_t>(y)];
            if (std::abs(g) < 1e-7) continue;
            const double step = lr * g / wscale;
            for (uint32_t j = e.offsets[i]; j < e.offsets[i + 1]; ++j) {
              if (active[j]) w[size_t{e.ids[j]} * kT + static_cast<size_t>(y)] += step;
            }
          }
        }
        for (size_t k = 0; k < tw.size(); ++k) tw[k] -= lr * crf_scratch.edge[k];  // expected counts
        tw[size_t{kT} * kTS + gold[0]] += lr;
        for (size_t i = 1; i < n; ++i) tw[size_t{gold[i - 1]} * kTS + gold[i]] += lr;
        tw[size_t{gold[n - 1]} * kTS + kT] += lr;
        c += 1;
        continue;
      }
      if (pred != gold) {
        ++mistakes;
        for (size_t i = 0; i < n; ++i) {
          if (pred[i] != gold[i]) {
            for (uint32_t j = e.offsets[i]; j < e.offsets[i + 1]; ++j) {
              if (!active[j]) continue;
              update(size_t{e.ids[j]} * kT + gold[i], 1.0);
              update(size_t{e.ids[j]} * kT + pred[i], -1.0);
            }
          }
          const size_t gp = i == 0 ? kT : gold[i - 1];
          const size_t pp = i == 0 ? kT : pred[i - 1];
          if (gp != pp || gold[i] != pred[i]) {
            update_trans(gp * kTS + gold[i], 1.0);
            update_trans(pp * kTS + pred[i], -1.0);
          }
        }
        if (gold[n - 1] != pred[n - 1]) {
          update_trans(size_t{gold[n - 1]} * kTS + kT, 1.0);
          update_trans(size_t{pred[n - 1]} * kTS + kT, -1.0);
        }
      }
      c += 1;
    }
    std::unique_ptr<Tagger> model = snapshot();
    double score = on_epoch ? on_epoch(epoch, mistakes, *model) : -1.0;
    if (score < 0) score = static_cast<double>(epoch) * 1e-9 - 1.0;  // no score: keep the latest
    if (score > best_score) {
      best_score = score;
      best_model = std::move(model);
    }
  }

  if (!dev.empty() && options.tune_entity_bias) {
    // Perceptron taggers favour precision; a constant added to the entity tags' scores trades
    // some of it for recall. Pick the constant that maximises dev F1 (the smallest on ties).
    const float spread = TaggerBuilder::EmissionSpread(*best_model, dev);
    float best_bias = 0;
    double best_f1 = SpanMicroF1(*best_model, dev);
    for (int k = 1; k <= 40 && spread > 0; ++k) {
      const float bias = spread * 0.005f * static_cast<float>(k);
      TaggerBuilder::SetEntityBias(best_model.get(), bias);
      const double f1 = SpanMicroF1(*best_model, dev);
      if (f1 > best_f1 + 1e-9) {
        best_f1 = f1;
        best_bias = bias;
      }
    }
    TaggerBuilder::SetEntityBias(best_model.get(), best_bias);
  }
  if (!dev.empty()) {
    std::vector<float> xs;
    std::vector<uint8_t> ys;
    std::vector<float> margins;
    for (const TrainingSentence& s : dev) {
      auto words = Views(s.words);
      auto extra = Views(s.extra);
      std::vector<TaggedSpan> got = TaggerBuilder::TagWithMargins(*best_model, words, extra, &margins);
      std::vector<TaggedSpan> gold = SpansFromTags(s.tags);
      for (size_t k = 0; k < got.size(); ++k) {
        xs.push_back(margins[k]);
        const TaggedSpan& g = got[k];
        bool hit = std::any_of(gold.begin(), gold.end(), [&](const TaggedSpan& x) {
          return x.first_token == g.first_token && x.last_token == g.last_token && x.label == g.label;
        });
        ys.push_back(hit ? 1 : 0);
      }
    }
    float a = 1, b = 0;
    if (xs.size() >= 10 && FitLogistic(xs, ys, &a, &b)) TaggerBuilder::SetCalibration(best_model.get(), a, b);
  }
  return best_model;
}

}  // namespace prose2stix::extract
