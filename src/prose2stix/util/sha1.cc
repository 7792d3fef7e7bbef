// SHA-1 per FIPS 180-4 section 6.1: the message is buffered into 64-byte blocks, each block is
// expanded into an 80-word schedule and folded into the five-word state; Finish() appends the
// 0x80 byte, zero padding and the 64-bit big-endian bit length.
#include "prose2stix/util/sha1.h"

#include <algorithm>
#include <cstring>

#include "prose2stix/util/sha_x86.h"

namespace prose2stix {

namespace {

constexpr uint32_t Rotl(uint32_t x, int n) {
  return (x << n) | (x >> (32 - n));
}

uint32_t LoadBe32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

// The portable compression function of one block.
void Compress(uint32_t* state, const uint8_t* block) {
  uint32_t w[80];
  for (int t = 0; t < 16; ++t) w[t] = LoadBe32(block + 4 * t);
  for (int t = 16; t < 80; ++t) w[t] = Rotl(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
  uint32_t a = state[0], b = state[1], c = state[2], d = state[3], e = state[4];
  for (int t = 0; t < 80; ++t) {
    uint32_t f, k;
    if (t < 20) {
      f = (b & c) | (~b & d);
      k = 0x5A827999u;
    } else if (t < 40) {
      f = b ^ c ^ d;
      k = 0x6ED9EBA1u;
    } else if (t < 60) {
      f = (b & c) | (b & d) | (c & d);
      k = 0x8F1BBCDCu;
    } else {
      f = b ^ c ^ d;
      k = 0xCA62C1D6u;
    }
    uint32_t temp = Rotl(a, 5) + f + e + k + w[t];
    e = d;
    d = c;
    c = Rotl(b, 30);
    b = a;
    a = temp;
  }
  state[0] += a;
  state[1] += b;
  state[2] += c;
  state[3] += d;
  state[4] += e;
}

}  // namespace

void Sha1Hasher::Reset() {
  h_ = {0x67452301u, 0xEFCDAB89u, 0x98BADCFEu, 0x10325476u, 0xC3D2E1F0u};
  buffer_ = md_blocks::Buffer();
}

bool Sha1Hasher::Available(Engine engine) {
  return engine != Engine::kShaExtensions || sha_x86::HasShaExtensions();
}

Sha1Hasher::Sha1Hasher(Engine engine)
    : sha_extensions_(engine != Engine::kPortable && sha_x86::HasShaExtensions()) {
  Reset();
}

void Sha1Hasher::Blocks(const uint8_t* blocks, size_t count) {
  if (sha_extensions_) {
    sha_x86::Sha1Blocks(h_.data(), blocks, count);
    return;
  }
  for (size_t i = 0; i < count; ++i) Compress(h_.data(), blocks + 64 * i);
}

void Sha1Hasher::Update(std::string_view data) {
  md_blocks::Update(&buffer_, data, [this](const uint8_t* p, size_t n) { Blocks(p, n); });
}

std::array<uint8_t, Sha1Hasher::kDigestSize> Sha1Hasher::Finish() {
  md_blocks::Pad(&buffer_, [this](const uint8_t* p, size_t n) { Blocks(p, n); });
  std::array<uint8_t, kDigestSize> out = md_blocks::BigEndian(h_);
  Reset();
  return out;
}

std::array<uint8_t, 20> Sha1(std::string_view data) {
  Sha1Hasher h;
  h.Update(data);
  return h.Finish();
}

std::string Sha1Hex(std::string_view data) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::array<uint8_t, 20> d = Sha1(data);
  std::string out;
  out.reserve(40);
  for (uint8_t b : d) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0xF]);
  }
  return out;
}

}  // namespace prose2stix
