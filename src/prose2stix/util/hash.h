// A fast hash of short byte strings for the project's open-addressing tables (word lists, repeat
// sets): the length, then the bytes as 8-byte chunks (the last one zero-padded), each mixed in with
// one multiply. Not for keys an attacker chooses to insert: the tables that use it hold fixed word
// lists, or are rebuilt per document and compare keys in full.
//
// The steps are exposed so that a caller transforming a word chunk by chunk (lower-casing it, say)
// can hash it in the same pass: HashStart(size), then HashChunk() with each LoadChunk() in order
// gives HashChunks().
#ifndef PROSE2STIX_UTIL_HASH_H_
#define PROSE2STIX_UTIL_HASH_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace prose2stix {

inline uint64_t HashChunk(uint64_t h, uint64_t chunk) {
  h = (h ^ chunk) * 0x9E3779B97F4A7C15ull;
  return h ^ (h >> 29);
}

inline uint64_t HashStart(size_t size) { return HashChunk(0x243F6A8885A308D3ull, size); }

// The `n` (1 to 8) bytes at `p` as one chunk, read without touching any byte past them.
inline uint64_t LoadChunk(const char* p, size_t n) {
  uint64_t x = 0;
  if (n == 8) {
    std::memcpy(&x, p, 8);
    return x;
  }
  int shift = 0;
  if (n & 4) {
    uint32_t v;
    std::memcpy(&v, p, 4);
    x = v;
    p += 4;
    shift = 32;
  }
  if (n & 2) {
    uint16_t v;
    std::memcpy(&v, p, 2);
    x |= uint64_t{v} << shift;
    p += 2;
    shift += 16;
  }
  if (n & 1) x |= uint64_t{static_cast<unsigned char>(*p)} << shift;
  return x;
}

inline uint64_t HashChunks(std::string_view s) {
  uint64_t h = HashStart(s.size());
  for (size_t i = 0; i < s.size(); i += 8) h = HashChunk(h, LoadChunk(s.data() + i, std::min<size_t>(8, s.size() - i)));
  return h;
}

}  // namespace prose2stix

#endif  // PROSE2STIX_UTIL_HASH_H_
