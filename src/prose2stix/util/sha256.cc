// SHA-256 per FIPS 180-4 section 6.2: 64-byte blocks, a 64-word message schedule, the eight-word
// state updated with the round constants (the first 32 bits of the fractional parts of the cube
// roots of the first 64 primes); Finish() pads as for SHA-1.
#include "prose2stix/util/sha256.h"

#include <algorithm>
#include <cstring>

#include "prose2stix/util/sha_x86.h"

namespace prose2stix {

namespace sha256_internal {
alignas(16) const uint32_t kRound[64] = {
    0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u, 0x923f82a4u, 0xab1c5ed5u,
    0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u, 0xc19bf174u,
    0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau,
    0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u, 0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u,
    0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu, 0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u,
    0xa2bfe8a1u, 0xa81a664bu, 0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u,
    0x19a4c116u, 0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
    0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u, 0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u,
};
}  // namespace sha256_internal

namespace {



constexpr uint32_t Rotr(uint32_t x, int n) {
  return (x >> n) | (x << (32 - n));
}

uint32_t LoadBe32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

// The portable compression function of one block.
void Compress(uint32_t* state, const uint8_t* block) {
  uint32_t w[64];
  for (int t = 0; t < 16; ++t) w[t] = LoadBe32(block + 4 * t);
  for (int t = 16; t < 64; ++t) {
    uint32_t s0 = Rotr(w[t - 15], 7) ^ Rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
    uint32_t s1 = Rotr(w[t - 2], 17) ^ Rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
    w[t] = w[t - 16] + s0 + w[t - 7] + s1;
  }
  uint32_t a = state[0], b = state[1], c = state[2], d = state[3], e = state[4], f = state[5], g = state[6],
           h = state[7];
  for (int t = 0; t < 64; ++t) {
    uint32_t big_s1 = Rotr(e, 6) ^ Rotr(e, 11) ^ Rotr(e, 25);
    uint32_t ch = (e & f) ^ (~e & g);
    uint32_t t1 = h + big_s1 + ch + sha256_internal::kRound[t] + w[t];
    uint32_t big_s0 = Rotr(a, 2) ^ Rotr(a, 13) ^ Rotr(a, 22);
    uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
    uint32_t t2 = big_s0 + maj;
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  state[0] += a;
  state[1] += b;
  state[2] += c;
  state[3] += d;
  state[4] += e;
  state[5] += f;
  state[6] += g;
  state[7] += h;
}

}  // namespace

bool Sha256Hasher::Available(Engine engine) {
  return engine != Engine::kShaExtensions || sha_x86::HasShaExtensions();
}

Sha256Hasher::Sha256Hasher(Engine engine)
    : sha_extensions_(engine != Engine::kPortable && sha_x86::HasShaExtensions()) {
  Reset();
}

void Sha256Hasher::Reset() {
  h_ = {0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au,
        0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u};
  buffer_ = md_blocks::Buffer();
}

void Sha256Hasher::Blocks(const uint8_t* blocks, size_t count) {
  if (sha_extensions_) {
    sha_x86::Sha256Blocks(h_.data(), blocks, count);
    return;
  }
  for (size_t i = 0; i < count; ++i) Compress(h_.data(), blocks + 64 * i);
}

void Sha256Hasher::Update(std::string_view data) {
  md_blocks::Update(&buffer_, data, [this](const uint8_t* p, size_t n) { Blocks(p, n); });
}

std::array<uint8_t, Sha256Hasher::kDigestSize> Sha256Hasher::Finish() {
  md_blocks::Pad(&buffer_, [this](const uint8_t* p, size_t n) { Blocks(p, n); });
  std::array<uint8_t, kDigestSize> out = md_blocks::BigEndian(h_);
  Reset();
  return out;
}

std::string Sha256Hasher::ToHex(const std::array<uint8_t, kDigestSize>& digest) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * kDigestSize);
  for (uint8_t b : digest) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0xF]);
  }
  return out;
}

std::array<uint8_t, 32> Sha256(std::string_view data) {
  Sha256Hasher h;
  h.Update(data);
  return h.Finish();
}

std::string Sha256Hex(std::string_view data) { return Sha256Hasher::ToHex(Sha256(data)); }

}  // namespace prose2stix
