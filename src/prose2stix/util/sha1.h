// SHA-1 (FIPS 180-4), used for name-based (version 5) UUIDs. SHA-1 is not collision resistant;
// it is here only because RFC 4122 specifies it for UUIDv5. Never use it for integrity.
//
//   Sha1Hasher h;
//   h.Update("ab");
//   h.Update("c");
//   std::array<uint8_t, 20> digest = h.Finish();   // == Sha1("abc")
//
// The compression function runs on the x86 SHA extensions when the CPU has them (checked once, at
// run time), else in portable code; both give the same digests.
//
// A Sha1Hasher is not thread-safe; use one per thread. The free functions are thread-safe.
#ifndef PROSE2STIX_UTIL_SHA1_H_
#define PROSE2STIX_UTIL_SHA1_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "prose2stix/util/md_blocks.h"

namespace prose2stix {

class Sha1Hasher {
 public:
  static constexpr size_t kDigestSize = 20;

  // The code that compresses blocks. kBest is the SHA extensions where available, else portable.
  enum class Engine : uint8_t { kBest, kPortable, kShaExtensions };
  // True when `engine` can run on this CPU (kBest and kPortable always can).
  static bool Available(Engine engine);

  // An engine that is not Available() falls back to the portable code.
  explicit Sha1Hasher(Engine engine = Engine::kBest);

  // Starts a new message.
  void Reset();
  // Appends `data` to the message.
  void Update(std::string_view data);
  // Pads the message and returns the digest; the hasher is Reset() afterwards.
  std::array<uint8_t, kDigestSize> Finish();

 private:
  // Compresses `count` consecutive 64-byte blocks into h_.
  void Blocks(const uint8_t* blocks, size_t count);

  bool sha_extensions_ = false;
  std::array<uint32_t, 5> h_{};
  md_blocks::Buffer buffer_;
};

// One-shot SHA-1 of `data`.
std::array<uint8_t, 20> Sha1(std::string_view data);
// Lowercase hexadecimal SHA-1 of `data` (40 characters).
std::string Sha1Hex(std::string_view data);

}  // namespace prose2stix

#endif  // PROSE2STIX_UTIL_SHA1_H_
