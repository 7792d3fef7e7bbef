// SHA-1 and SHA-256 block compression with the x86 SHA extensions (the SHA-NI instructions),
// for Sha1Hasher and Sha256Hasher. The code is compiled into every x86-64 build through
// per-function target attributes, whatever -march says, so the hashers choose it at run time:
// call a block function only after HasShaExtensions() returned true.
//
// Both functions take the hash state as FIPS 180-4 names it (h0 first) and update it in place
// for `count` consecutive 64-byte blocks; they are thread-safe on distinct states.
#ifndef PROSE2STIX_UTIL_SHA_X86_H_
#define PROSE2STIX_UTIL_SHA_X86_H_

#include <cstddef>
#include <cstdint>

namespace prose2stix::sha_x86 {

// True when this build has the SHA extension code and the CPU runs it (SHA, SSSE3 and SSE4.1, as
// cpuid reports them). Computed once.
bool HasShaExtensions();

// SHA-256's compression function over `count` blocks; `state` holds h0..h7.
void Sha256Blocks(uint32_t state[8], const uint8_t* blocks, size_t count);

// SHA-1's compression function over `count` blocks; `state` holds h0..h4.
void Sha1Blocks(uint32_t state[5], const uint8_t* blocks, size_t count);

}  // namespace prose2stix::sha_x86

#endif  // PROSE2STIX_UTIL_SHA_X86_H_
