// WordTable: a fixed set of words, each with a 32-bit mask of the word lists it belongs to, in
// an open-addressing hash table. It answers "which lists hold this exact byte string" with one
// hash and, for almost every word of prose (which is in no list), one probe.
//
//   WordTable t({{"group", kGroupNoun}, {"Group", kDesignator}, {"apt", kGroupNoun | kThreat}});
//   t.Find("apt");    // kGroupNoun | kThreat
//   t.Find("Apt");    // 0: lookups are exact; case rules belong to the caller
//
// The table copies nothing: the words must outlive it (string literals, static tables). It is
// immutable after construction, so const methods may be called from any number of threads.
#ifndef PROSE2STIX_EXTRACT_WORD_TABLE_H_
#define PROSE2STIX_EXTRACT_WORD_TABLE_H_

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

namespace prose2stix::extract {

class WordTable {
 public:
  using Entry = std::pair<std::string_view, uint32_t>;

  // A word listed more than once gets the union of its masks; empty words are ignored.
  explicit WordTable(std::span<const Entry> entries);
  WordTable(std::initializer_list<Entry> entries)
      : WordTable(std::span<const Entry>(entries.begin(), entries.size())) {}

  // The mask of `word` (byte for byte), or 0 when the table does not hold it.
  uint32_t Find(std::string_view word) const {
    if (word.size() > max_size_ || word.empty()) return 0;
    return FindHashed(word, Hash(word));
  }

  // Number of distinct words.
  size_t size() const { return size_; }
  // Length of the longest word: nothing longer is in the table.
  size_t max_size() const { return max_size_; }

  // The hash Find() uses (FNV-1a, 32 bits), exposed so a caller that builds a key byte by byte
  // (say, lower-casing it) can hash it in the same pass: HashStep from kHashSeed, then
  // FindHashed().
  static constexpr uint32_t kHashSeed = 2166136261u;
  static constexpr uint32_t HashStep(uint32_t h, unsigned char byte) { return (h ^ byte) * 16777619u; }
  static uint32_t Hash(std::string_view word) {
    uint32_t h = kHashSeed;
    for (char c : word) h = HashStep(h, static_cast<unsigned char>(c));
    return h;
  }
  // Find() for a word whose Hash() is known. `word` may be of any length.
  uint32_t FindHashed(std::string_view word, uint32_t hash) const;

 private:
  struct Slot {
    const char* data = nullptr;  // nullptr: empty slot
    uint32_t size = 0;
    uint32_t hash = 0;
    uint32_t mask = 0;
  };

  std::vector<Slot> slots_;  // a power of two, at most a quarter full
  size_t size_ = 0;
  size_t max_size_ = 0;
};

}  // namespace prose2stix::extract

#endif  // PROSE2STIX_EXTRACT_WORD_TABLE_H_
