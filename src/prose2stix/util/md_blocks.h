// The message handling SHA-1 and SHA-256 share (FIPS 180-4 sections 5.1.1 and 5.2.1): bytes are
// gathered into 64-byte blocks, and the message is padded with 0x80, zeros and its bit length
// as a big-endian 64-bit number. Each hasher brings only its compression function.
#ifndef PROSE2STIX_UTIL_MD_BLOCKS_H_
#define PROSE2STIX_UTIL_MD_BLOCKS_H_

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace prose2stix::md_blocks {

// A partly filled block and the message length so far.
struct Buffer {
  std::array<uint8_t, 64> bytes{};
  size_t buffered = 0;
  uint64_t length = 0;  // bytes
};

// Appends `data`, calling blocks(const uint8_t* p, size_t count) for every whole block.
template <typename BlocksFn>
void Update(Buffer* b, std::string_view data, BlocksFn&& blocks) {
  const auto* p = reinterpret_cast<const uint8_t*>(data.data());
  size_t n = data.size();
  b->length += n;
  if (b->buffered > 0) {
    size_t take = std::min(n, b->bytes.size() - b->buffered);
    std::memcpy(b->bytes.data() + b->buffered, p, take);
    b->buffered += take;
    p += take;
    n -= take;
    if (b->buffered < b->bytes.size()) return;
    blocks(b->bytes.data(), size_t{1});
    b->buffered = 0;
  }
  if (n >= 64) {
    blocks(p, n / 64);
    p += n / 64 * 64;
    n %= 64;
  }
  if (n > 0) {
    std::memcpy(b->bytes.data(), p, n);
    b->buffered = n;
  }
}

// Pads the message and compresses the last block(s); `b` is spent afterwards.
template <typename BlocksFn>
void Pad(Buffer* b, BlocksFn&& blocks) {
  uint64_t bit_length = b->length * 8;
  b->bytes[b->buffered++] = 0x80;
  if (b->buffered > 56) {
    std::memset(b->bytes.data() + b->buffered, 0, 64 - b->buffered);
    blocks(b->bytes.data(), size_t{1});
    b->buffered = 0;
  }
  std::memset(b->bytes.data() + b->buffered, 0, 56 - b->buffered);
  for (size_t i = 0; i < 8; ++i) b->bytes[56 + i] = static_cast<uint8_t>(bit_length >> (56 - 8 * i));
  blocks(b->bytes.data(), size_t{1});
}

// The state words as big-endian bytes: the digest.
template <size_t N>
std::array<uint8_t, 4 * N> BigEndian(const std::array<uint32_t, N>& h) {
  std::array<uint8_t, 4 * N> out{};
  for (size_t i = 0; i < N; ++i) {
    out[4 * i] = static_cast<uint8_t>(h[i] >> 24);
    out[4 * i + 1] = static_cast<uint8_t>(h[i] >> 16);
    out[4 * i + 2] = static_cast<uint8_t>(h[i] >> 8);
    out[4 * i + 3] = static_cast<uint8_t>(h[i]);
  }
  return out;
}

}  // namespace prose2stix::md_blocks

#endif  // PROSE2STIX_UTIL_MD_BLOCKS_H_
