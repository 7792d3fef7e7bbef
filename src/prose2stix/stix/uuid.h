// RFC 4122 UUIDs as STIX identifiers use them: lowercase hexadecimal, 8-4-4-4-12.
//
// UuidV4() is random (for objects with no natural key: bundles, reports without a date);
// UuidV5() is name-based (SHA-1) and gives the deterministic ids of identifier.h.
// All functions are thread-safe.
#ifndef PROSE2STIX_STIX_UUID_H_
#define PROSE2STIX_STIX_UUID_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace prose2stix::stix {

// The 16 bytes of a UUID in network order.
using UuidBytes = std::array<uint8_t, 16>;

// A random (version 4) UUID in lowercase 8-4-4-4-12 form. Each thread draws from its own
// generator, seeded from std::random_device.
std::string UuidV4();

// The name-based SHA-1 (version 5) UUID of `name` in the namespace `namespace_uuid` (RFC 4122
// section 4.3): SHA-1 over the 16 namespace bytes followed by the bytes of `name`, version and
// variant bits set. `namespace_uuid` may use either case; returns "" when it is not a UUID in
// 8-4-4-4-12 form.
std::string UuidV5(std::string_view namespace_uuid, std::string_view name);
// The same with the namespace already parsed (ParseUuid), appending the 36 characters to `out`:
// for callers that derive many ids in one namespace.
void AppendUuidV5(const UuidBytes& namespace_bytes, std::string_view name, std::string* out);

// True when `s` is a lowercase 8-4-4-4-12 UUID with the RFC 4122 variant (10xx in the clock-seq
// high nibble) and a version from 1 to 8; what STIX 2.1 requires of the part after "--".
bool IsValidUuid(std::string_view s);

// The version nibble (1..8) of a valid UUID, or -1 when !IsValidUuid(s).
int UuidVersion(std::string_view s);

// Parses 8-4-4-4-12 hexadecimal of either case (no variant or version check).
std::optional<UuidBytes> ParseUuid(std::string_view s);
// Renders bytes as lowercase 8-4-4-4-12.
std::string FormatUuid(const UuidBytes& bytes);

}  // namespace prose2stix::stix

#endif  // PROSE2STIX_STIX_UUID_H_
