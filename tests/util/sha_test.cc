#include <doctest/doctest.h>

#include <random>
#include <string>

#include "prose2stix/util/sha1.h"
#include "prose2stix/util/sha256.h"

namespace prose2stix {

namespace {

std::string Hex(const std::array<uint8_t, 20>& d) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (uint8_t b : d) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0xF]);
  }
  return out;
}

struct ShaCase {
  std::string message;
  const char* sha1;
  const char* sha256;
};

// FIPS 180-4 / NIST CSRC example vectors, plus the padding edges at 55, 56 and 64 bytes.
const ShaCase kShaCases[] = {
    {"abc", "a9993e364706816aba3e25717850c26c9cd0d89d",
     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    {"", "da39a3ee5e6b4b0d3255bfef95601890afd80709",
     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "84983e441c3bd26ebaae4aa1f95129e5e54670f1",
     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    {std::string(1000000, 'a'), "34aa973cd4c4daa4f61eeb2bdbad27316534016f",
     "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
    {std::string(55, 'a'), "c1c8bbdc22796e28c0e15163d20899b65621d65a",
     "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
    {std::string(56, 'a'), "c2db330f6083854c99d4b5bfb6e8f29f201be699",
     "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
    {std::string(64, 'a'), "0098ba824b5c16427bd7a1122a5a442a25ec644d",
     "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
};

}  // namespace

TEST_CASE("SHA-1 and SHA-256 match the NIST vectors") {
  for (const ShaCase& c : kShaCases) {
    std::string label = c.message.size() > 60 ? std::to_string(c.message.size()) + " bytes" : c.message;
    CHECK_MESSAGE(Sha1Hex(c.message) == c.sha1, "SHA-1 of '" << label << "'");
    CHECK_MESSAGE(Hex(Sha1(c.message)) == c.sha1, "SHA-1 of '" << label << "'");
    CHECK_MESSAGE(Sha256Hex(c.message) == c.sha256, "SHA-256 of '" << label << "'");
  }
}

TEST_CASE("SHA streaming gives the one-shot digest whatever the chunking") {
  for (const ShaCase& c : kShaCases) {
    for (size_t chunk : {size_t{1}, size_t{3}, size_t{63}, size_t{64}, size_t{65}, size_t{4096}}) {
      if (c.message.size() > 100000 && chunk < 63) continue;
      Sha1Hasher h1;
      Sha256Hasher h256;
      for (size_t i = 0; i < c.message.size(); i += chunk) {
        std::string_view part = std::string_view(c.message).substr(i, chunk);
        h1.Update(part);
        h256.Update(part);
      }
      CHECK_MESSAGE(Hex(h1.Finish()) == c.sha1, "chunk " << chunk << " size " << c.message.size());
      CHECK_MESSAGE(Sha256Hasher::ToHex(h256.Finish()) == c.sha256, "chunk " << chunk);
    }
  }
  // Finish() resets: the hasher is reusable.
  Sha256Hasher h;
  h.Update("junk");
  (void)h.Finish();
  h.Update("abc");
  CHECK(Sha256Hasher::ToHex(h.Finish()) == kShaCases[0].sha256);
}

namespace {

// Every engine the CPU can run, so both the portable and the SHA extension code are checked
// against the vectors (on a CPU without the extensions, only the portable one).
struct Engines {
  Sha1Hasher::Engine sha1;
  Sha256Hasher::Engine sha256;
  const char* name;
};
const Engines kEngines[] = {
    {Sha1Hasher::Engine::kPortable, Sha256Hasher::Engine::kPortable, "portable"},
    {Sha1Hasher::Engine::kShaExtensions, Sha256Hasher::Engine::kShaExtensions, "sha-extensions"},
    {Sha1Hasher::Engine::kBest, Sha256Hasher::Engine::kBest, "best"},
};

}  // namespace

TEST_CASE("SHA-1 and SHA-256 engines match the NIST vectors whatever the chunking") {
  CHECK(Sha1Hasher::Available(Sha1Hasher::Engine::kPortable));
  CHECK(Sha256Hasher::Available(Sha256Hasher::Engine::kPortable));
  CHECK(Sha1Hasher::Available(Sha1Hasher::Engine::kShaExtensions) ==
        Sha256Hasher::Available(Sha256Hasher::Engine::kShaExtensions));
  for (const Engines& engine : kEngines) {
    if (!Sha256Hasher::Available(engine.sha256)) {
      MESSAGE("engine " << engine.name << " not available on this CPU");
      continue;
    }
    for (const ShaCase& c : kShaCases) {
      for (size_t chunk : {size_t{1}, size_t{64}, size_t{100}, size_t{1} << 20}) {
        if (c.message.size() > 100000 && chunk < 64) continue;
        Sha1Hasher h1(engine.sha1);
        Sha256Hasher h256(engine.sha256);
        for (size_t i = 0; i < c.message.size(); i += chunk) {
          std::string_view part = std::string_view(c.message).substr(i, chunk);
          h1.Update(part);
          h256.Update(part);
        }
        CHECK_MESSAGE(Hex(h1.Finish()) == c.sha1, engine.name << " chunk " << chunk << " size " << c.message.size());
        CHECK_MESSAGE(Sha256Hasher::ToHex(h256.Finish()) == c.sha256,
                      engine.name << " chunk " << chunk << " size " << c.message.size());
      }
    }
  }
}

TEST_CASE("SHA engines agree on random messages of every length around the block edges") {
  if (!Sha256Hasher::Available(Sha256Hasher::Engine::kShaExtensions)) {
    MESSAGE("no SHA extensions on this CPU: nothing to compare");
    return;
  }
  std::mt19937 gen(20250101);
  std::uniform_int_distribution<int> byte(0, 255);
  std::string message;
  for (size_t len = 0; len <= 300; ++len) {
    message.resize(len);
    for (char& ch : message) ch = static_cast<char>(byte(gen));
    Sha1Hasher p1(Sha1Hasher::Engine::kPortable), x1(Sha1Hasher::Engine::kShaExtensions);
    Sha256Hasher p256(Sha256Hasher::Engine::kPortable), x256(Sha256Hasher::Engine::kShaExtensions);
    p1.Update(message);
    x1.Update(message);
    p256.Update(message);
    x256.Update(message);
    CHECK_MESSAGE(Hex(p1.Finish()) == Hex(x1.Finish()), "SHA-1 length " << len);
    CHECK_MESSAGE(Sha256Hasher::ToHex(p256.Finish()) == Sha256Hasher::ToHex(x256.Finish()), "SHA-256 length " << len);
  }
}

}  // namespace prose2stix
