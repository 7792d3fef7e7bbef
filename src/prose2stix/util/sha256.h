// SHA-256 (FIPS 180-4): content hashes for inputs (external_references hashes, cache keys).
//
//   Sha256Hasher h;
//   h.Update(part1);
//   h.Update(part2);
//   std::string hex = Sha256Hasher::ToHex(h.Finish());
//
// The compression function runs on the x86 SHA extensions when the CPU has them (checked once, at
// run time), else in portable code; both give the same digests.
//
// A Sha256Hasher is not thread-safe; use one per thread. The free functions are thread-safe.
#ifndef PROSE2STIX_UTIL_SHA256_H_
#define PROSE2STIX_UTIL_SHA256_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "prose2stix/util/md_blocks.h"

namespace prose2stix {

namespace sha256_internal {
// FIPS 180-4's 64 round constants, shared by the portable and the SHA-extension code (16-byte
// aligned for vector loads).
extern const uint32_t kRound[64];
}  // namespace sha256_internal

class Sha256Hasher {
 public:
  static constexpr size_t kDigestSize = 32;

  // The code that compresses blocks. kBest is the SHA extensions where available, else portable.
  enum class Engine : uint8_t { kBest, kPortable, kShaExtensions };
  // True when `engine` can run on this CPU (kBest and kPortable always can).
  static bool Available(Engine engine);

  // An engine that is not Available() falls back to the portable code.
  explicit Sha256Hasher(Engine engine = Engine::kBest);

  // Starts a new message.
  void Reset();
  // Appends `data` to the message.
  void Update(std::string_view data);
  // Pads the message and returns the digest; the hasher is Reset() afterwards.
  std::array<uint8_t, kDigestSize> Finish();

  // Lowercase hexadecimal rendering of a digest.
  static std::string ToHex(const std::array<uint8_t, kDigestSize>& digest);

 private:
  // Compresses `count` consecutive 64-byte blocks into h_.
  void Blocks(const uint8_t* blocks, size_t count);

  bool sha_extensions_ = false;
  std::array<uint32_t, 8> h_{};
  md_blocks::Buffer buffer_;
};

// One-shot SHA-256 of `data`.
std::array<uint8_t, 32> Sha256(std::string_view data);
// Lowercase hexadecimal SHA-256 of `data` (64 characters).
std::string Sha256Hex(std::string_view data);

}  // namespace prose2stix

#endif  // PROSE2STIX_UTIL_SHA256_H_
