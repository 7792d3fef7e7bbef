// UUID generation and checks. Version 4: 128 bits from a per-thread mt19937_64 seeded from
// std::random_device (several draws through a seed_seq), then the version and variant bits are
// forced. Version 5: RFC 4122 section 4.3 with SHA-1 from util/sha1.h.
#include "prose2stix/stix/uuid.h"

#include <random>

#include "prose2stix/util/sha1.h"

namespace prose2stix::stix {

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsDashPosition(size_t i) { return i == 8 || i == 13 || i == 18 || i == 23; }

std::mt19937_64& ThreadGenerator() {
  thread_local std::mt19937_64 generator = [] {
    std::random_device rd;
    std::seed_seq seq{rd(), rd(), rd(), rd(), rd(), rd(), rd(), rd()};
    return std::mt19937_64(seq);
  }();
  return generator;
}

void SetVersionAndVariant(UuidBytes* b, uint8_t version) {
  (*b)[6] = static_cast<uint8_t>(((*b)[6] & 0x0F) | (version << 4));
  (*b)[8] = static_cast<uint8_t>(((*b)[8] & 0x3F) | 0x80);
}

}  // namespace

std::optional<UuidBytes> ParseUuid(std::string_view s) {
  if (s.size() != 36) return std::nullopt;
  UuidBytes out{};
  size_t n = 0;
  for (size_t i = 0; i < s.size();) {
    if (IsDashPosition(i)) {
      if (s[i] != '-') return std::nullopt;
      ++i;
      continue;
    }
    int hi = HexValue(s[i]), lo = HexValue(s[i + 1]);
    if (hi < 0 || lo < 0 || IsDashPosition(i + 1)) return std::nullopt;
    out[n++] = static_cast<uint8_t>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

namespace {

// Appends bytes as lowercase 8-4-4-4-12.
void AppendFormatted(const UuidBytes& bytes, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  char text[36];
  size_t n = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text[n++] = '-';
    text[n++] = kHex[bytes[i] >> 4];
    text[n++] = kHex[bytes[i] & 0xF];
  }
  out->append(text, sizeof(text));
}

}  // namespace

std::string FormatUuid(const UuidBytes& bytes) {
  std::string out;
  AppendFormatted(bytes, &out);
  return out;
}

std::string UuidV4() {
  std::mt19937_64& gen = ThreadGenerator();
  uint64_t hi = gen(), lo = gen();
  UuidBytes b{};
  for (size_t i = 0; i < 8; ++i) {
    b[i] = static_cast<uint8_t>(hi >> (56 - 8 * i));
    b[8 + i] = static_cast<uint8_t>(lo >> (56 - 8 * i));
  }
  SetVersionAndVariant(&b, 4);
  return FormatUuid(b);
}

std::string UuidV5(std::string_view namespace_uuid, std::string_view name) {
  std::optional<UuidBytes> ns = ParseUuid(namespace_uuid);
  if (!ns) return "";
  std::string out;
  AppendUuidV5(*ns, name, &out);
  return out;
}

void AppendUuidV5(const UuidBytes& namespace_bytes, std::string_view name, std::string* out) {
  Sha1Hasher h;
  h.Update(std::string_view(reinterpret_cast<const char*>(namespace_bytes.data()), namespace_bytes.size()));
  h.Update(name);
  std::array<uint8_t, 20> digest = h.Finish();
  UuidBytes b{};
  for (size_t i = 0; i < b.size(); ++i) b[i] = digest[i];
  SetVersionAndVariant(&b, 5);
  AppendFormatted(b, out);
}

bool IsValidUuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (IsDashPosition(i)) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  char version = s[14];
  if (version < '1' || version > '8') return false;
  char variant = s[19];
  return variant == '8' || variant == '9' || variant == 'a' || variant == 'b';
}

int UuidVersion(std::string_view s) { return IsValidUuid(s) ? s[14] - '0' : -1; }

}  // namespace prose2stix::stix
