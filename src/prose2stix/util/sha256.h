// SHA-256 (FIPS 180-4): content hashes for inputs (external_references hashes, cache keys).
//
//   Sha256Hasher h;
//   h.Update(part1);
//   h.Update(part2);
//   std::string hex = Sha256Hasher::ToHex(h.Finish());
//
// A Sha256Hasher is not thread-safe; use one per thread. The free functions are thread-safe.
#ifndef PROSE2STIX_UTIL_SHA256_H_
#define PROSE2STIX_UTIL_SHA256_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace prose2stix {

class Sha256Hasher {
 public:
  static constexpr size_t kDigestSize = 32;

  Sha256Hasher() { Reset(); }

  // Starts a new message.
  void Reset();
  // Appends `data` to the message.
  void Update(std::string_view data);
  // Pads the message and returns the digest; the hasher is Reset() afterwards.
  std::array<uint8_t, kDigestSize> Finish();

  // Lowercase hexadecimal rendering of a digest.
  static std::string ToHex(const std::array<uint8_t, kDigestSize>& digest);

 private:
  void Compress(const uint8_t* block);

  std::array<uint32_t, 8> h_{};
  std::array<uint8_t, 64> buffer_{};
  size_t buffered_ = 0;
  uint64_t length_ = 0;  // message length in bytes
};

// One-shot SHA-256 of `data`.
std::array<uint8_t, 32> Sha256(std::string_view data);
// Lowercase hexadecimal SHA-256 of `data` (64 characters).
std::string Sha256Hex(std::string_view data);

}  // namespace prose2stix

#endif  // PROSE2STIX_UTIL_SHA256_H_
