// WordTable: a fixed set of words, each with a 64-bit mask of the word lists it belongs to, in
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

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "prose2stix/util/hash.h"

namespace prose2stix::extract {

class WordTable {
 public:
  using Mask = uint64_t;
  using Entry = std::pair<std::string_view, Mask>;

  // A word listed more than once gets the union of its masks; empty words are ignored.
  explicit WordTable(std::span<const Entry> entries);
  WordTable(std::initializer_list<Entry> entries)
      : WordTable(std::span<const Entry>(entries.begin(), entries.size())) {}

  // A plain word set: every word of `words` with mask 1 (see Contains()).
  static WordTable Of(std::span<const std::string_view> words);

  // The mask of `word` (byte for byte), or 0 when the table does not hold it.
  Mask Find(std::string_view word) const {
    if (word.empty() || word.size() > max_size_) return 0;
    return FindHashed(word, HashChunks(word), LoadChunk(word.data(), std::min<size_t>(8, word.size())));
  }

  // The table holds `word` (byte for byte).
  bool Contains(std::string_view word) const { return Find(word) != 0; }

  // Number of distinct words.
  size_t size() const { return size_; }
  // Length of the longest word: nothing longer is in the table.
  size_t max_size() const { return max_size_; }

  // Find() for a non-empty word whose HashChunks() and first LoadChunk() (`head`, of its first
  // min(8, size) bytes; util/hash.h) are known; `word` may be of any length.
  Mask FindHashed(std::string_view word, uint64_t hash, uint64_t head) const {
    const size_t mask = tags_.size() - 1;
    const uint16_t tag = Tag(hash);
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
      if (tags_[i] == 0) return 0;
      if (tags_[i] != tag) continue;
      const Slot& s = slots_[i];
      // Words of up to 8 bytes compare as one integer, without reading their text.
      if (s.size == word.size() && s.head == head &&
          (word.size() <= 8 || std::memcmp(s.data + 8, word.data() + 8, word.size() - 8) == 0))
        return s.mask;
    }
  }

 private:
  struct Slot {
    uint64_t head = 0;  // LoadChunk() of the word's first min(8, size) bytes
    const char* data = nullptr;
    Mask mask = 0;
    uint32_t size = 0;
  };
  // The top 16 bits of a hash, never 0 (0 marks an empty slot).
  static uint16_t Tag(uint64_t hash) { return static_cast<uint16_t>((hash >> 48) | 1u); }

  // Open addressing over two parallel arrays, a power of two long and at most a quarter full:
  // the probes read the small tags (most end at an empty one), a slot only when its tag matches.
  std::vector<uint16_t> tags_;
  std::vector<Slot> slots_;
  size_t size_ = 0;
  size_t max_size_ = 0;
};

}  // namespace prose2stix::extract

#endif  // PROSE2STIX_EXTRACT_WORD_TABLE_H_
