// The SHA extensions keep the working variables in two 128-bit registers and do several rounds
// per instruction:
//
//  SHA-256: sha256rnds2 does two rounds on the state split as ABEF and CDGH (A in the highest
//  lane), taking W[t] + K[t] for both rounds from the low half of its third operand; sha256msg1
//  and sha256msg2 compute four schedule words at a time (the sigma-0 part, then the W[t-7] sum
//  and the sigma-1 part). So each group of four rounds is: form the group's schedule words, add
//  the four round constants, two sha256rnds2.
//
//  SHA-1: sha1rnds4 does four rounds on ABCD (A in the highest lane) with the round function and
//  constant of its immediate (0..3 for rounds 0-19, 20-39, 40-59, 60-79); E is carried as the
//  highest lane of the message operand, which sha1nexte forms from the ABCD of four rounds before
//  (E of round t+4 is A of round t rotated by 30). sha1msg1 and sha1msg2 extend the schedule.
//
// Message words are big-endian: a byte shuffle turns each loaded block into native words.
#include "prose2stix/util/sha_x86.h"

#include "prose2stix/util/sha256.h"

#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#define PROSE2STIX_SHA_X86 1
#include <cpuid.h>
#include <immintrin.h>
#else
#define PROSE2STIX_SHA_X86 0
#include <cstdlib>
#endif

namespace prose2stix::sha_x86 {

#if PROSE2STIX_SHA_X86

namespace {

#define PROSE2STIX_SHA_TARGET __attribute__((target("sha,ssse3,sse4.1")))



bool DetectShaExtensions() {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (__get_cpuid(1, &eax, &ebx, &ecx, &edx) == 0) return false;
  const bool ssse3 = (ecx & (1u << 9)) != 0;
  const bool sse41 = (ecx & (1u << 19)) != 0;
  if (__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) == 0) return false;
  const bool sha = (ebx & (1u << 29)) != 0;
  return ssse3 && sse41 && sha;
}

}  // namespace

bool HasShaExtensions() {
  static const bool kHas = DetectShaExtensions();
  return kHas;
}

PROSE2STIX_SHA_TARGET void Sha256Blocks(uint32_t state[8], const uint8_t* blocks, size_t count) {
  // Big-endian words: reverse the bytes within each 32-bit lane.
  const __m128i byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
  // h0..h3 = A B C D and h4..h7 = E F G H, lowest lane first, into ABEF and CDGH.
  __m128i abcd = _mm_loadu_si128(reinterpret_cast<const __m128i*>(state));
  __m128i efgh = _mm_loadu_si128(reinterpret_cast<const __m128i*>(state + 4));
  abcd = _mm_shuffle_epi32(abcd, 0xB1);  // lanes B A D C
  efgh = _mm_shuffle_epi32(efgh, 0x1B);  // lanes H G F E
  __m128i abef = _mm_alignr_epi8(abcd, efgh, 8);  // lanes F E B A
  __m128i cdgh = _mm_blend_epi16(efgh, abcd, 0xF0);  // lanes H G D C

  for (size_t b = 0; b < count; ++b, blocks += 64) {
    const __m128i abef_in = abef, cdgh_in = cdgh;
    __m128i w[4];  // the schedule words of the last four groups, w[g % 4] for group g
    for (int i = 0; i < 4; ++i) {
      w[i] = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(blocks + 16 * i)), byte_swap);
    }
    for (int g = 0; g < 16; ++g) {
      if (g >= 4) {
        // W[t..t+3] from W[t-16..t-13] (w[g%4]), W[t-12..t-9], W[t-8..t-5] and W[t-4..t-1].
        const __m128i& w16 = w[g % 4];
        const __m128i& w12 = w[(g + 1) % 4];
        const __m128i& w8 = w[(g + 2) % 4];
        const __m128i& w4 = w[(g + 3) % 4];
        __m128i x = _mm_sha256msg1_epu32(w16, w12);      // W[t-16] + sigma0(W[t-15])
        x = _mm_add_epi32(x, _mm_alignr_epi8(w4, w8, 4));  // + W[t-7]
        w[g % 4] = _mm_sha256msg2_epu32(x, w4);           // + sigma1(W[t-2])
      }
      const __m128i wk =
          _mm_add_epi32(w[g % 4], _mm_load_si128(reinterpret_cast<const __m128i*>(sha256_internal::kRound + 4 * g)));
      cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);  // rounds 4g, 4g+1: the new ABEF
      abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(wk, 0x0E));  // rounds 4g+2, 4g+3
    }
    abef = _mm_add_epi32(abef, abef_in);
    cdgh = _mm_add_epi32(cdgh, cdgh_in);
  }

  // Back to A B C D / E F G H.
  const __m128i feba = _mm_shuffle_epi32(abef, 0x1B);  // lanes A B E F
  const __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);  // lanes G H C D
  abcd = _mm_blend_epi16(feba, dchg, 0xF0);
  efgh = _mm_alignr_epi8(dchg, feba, 8);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state), abcd);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state + 4), efgh);
}

PROSE2STIX_SHA_TARGET void Sha1Blocks(uint32_t state[5], const uint8_t* blocks, size_t count) {
  // Big-endian words, first word in the highest lane: reverse all sixteen bytes.
  const __m128i byte_swap = _mm_set_epi64x(0x0001020304050607LL, 0x08090a0b0c0d0e0fLL);
  __m128i abcd = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(state)), 0x1B);
  __m128i e = _mm_set_epi32(static_cast<int>(state[4]), 0, 0, 0);

  for (size_t b = 0; b < count; ++b, blocks += 64) {
    const __m128i abcd_in = abcd, e_in = e;
    __m128i w[4];  // the schedule words of the last four groups, w[g % 4] for group g
    for (int i = 0; i < 4; ++i) {
      w[i] = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(blocks + 16 * i)), byte_swap);
    }
    __m128i prev_abcd = abcd;  // ABCD four rounds back, whose A gives the next E
    for (int g = 0; g < 20; ++g) {
      if (g >= 4) {
        // W[t..t+3] = rotl1(W[t-3] ^ W[t-8] ^ W[t-14] ^ W[t-16]).
        __m128i x = _mm_sha1msg1_epu32(w[g % 4], w[(g + 1) % 4]);  // W[t-16] ^ W[t-14]
        x = _mm_xor_si128(x, w[(g + 2) % 4]);                      // ^ W[t-8]
        w[g % 4] = _mm_sha1msg2_epu32(x, w[(g + 3) % 4]);          // ^ W[t-3], rotate
      }
      const __m128i msg_e = g == 0 ? _mm_add_epi32(e, w[0]) : _mm_sha1nexte_epu32(prev_abcd, w[g % 4]);
      prev_abcd = abcd;
      switch (g / 5) {  // the round function and constant: an immediate operand
        case 0: abcd = _mm_sha1rnds4_epu32(abcd, msg_e, 0); break;
        case 1: abcd = _mm_sha1rnds4_epu32(abcd, msg_e, 1); break;
        case 2: abcd = _mm_sha1rnds4_epu32(abcd, msg_e, 2); break;
        default: abcd = _mm_sha1rnds4_epu32(abcd, msg_e, 3); break;
      }
    }
    e = _mm_sha1nexte_epu32(prev_abcd, e_in);  // E after round 79, plus the E the block began with
    abcd = _mm_add_epi32(abcd, abcd_in);
  }

  _mm_storeu_si128(reinterpret_cast<__m128i*>(state), _mm_shuffle_epi32(abcd, 0x1B));
  state[4] = static_cast<uint32_t>(_mm_extract_epi32(e, 3));
}

#undef PROSE2STIX_SHA_TARGET

#else  // no x86 SHA extension code in this build

bool HasShaExtensions() { return false; }
void Sha256Blocks(uint32_t*, const uint8_t*, size_t) { std::abort(); }
void Sha1Blocks(uint32_t*, const uint8_t*, size_t) { std::abort(); }

#endif

}  // namespace prose2stix::sha_x86
