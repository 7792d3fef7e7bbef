// Linear probing from the slot the hash's low bits pick. Each slot has a 16-bit tag from the
// hash's high bits, kept apart from the slots, so a probe reads 2 bytes and compares words only
// when the tags agree (a slot keeps its word's first 8 bytes as an integer: most words compare in
// one instruction); with the table at most a quarter full, a word that is not in it usually
// meets an empty tag at once. The hash reads the word 8 bytes at a
// time (the tail in 4-, 2- and 1-byte loads, never past the end) and mixes each chunk with a
// multiplication; tokens of prose are short, so most take one or two chunks. Lookups are inline in
// the header.
#include "prose2stix/extract/word_table.h"

#include <algorithm>
#include <cstring>
#include <vector>

namespace prose2stix::extract {

WordTable::WordTable(std::span<const Entry> entries) {
  size_t capacity = 16;
  while (capacity < 4 * entries.size()) capacity *= 2;
  tags_.assign(capacity, 0);
  slots_.resize(capacity);
  const size_t mask = capacity - 1;
  for (const auto& [word, classes] : entries) {
    if (word.empty()) continue;
    const uint64_t h = HashChunks(word);
    const uint16_t tag = Tag(h);
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      Slot& s = slots_[i];
      if (tags_[i] == 0) {
        tags_[i] = tag;
        s.head = LoadChunk(word.data(), std::min<size_t>(8, word.size()));
        s.data = word.data();
        s.size = static_cast<uint32_t>(word.size());
        s.mask = classes;
        ++size_;
        if (word.size() > max_size_) max_size_ = word.size();
        break;
      }
      if (tags_[i] == tag && std::string_view(s.data, s.size) == word) {
        s.mask |= classes;
        break;
      }
    }
  }
}

WordTable WordTable::Of(std::span<const std::string_view> words) {
  std::vector<Entry> entries;
  entries.reserve(words.size());
  for (std::string_view w : words) entries.emplace_back(w, 1u);
  return WordTable(entries);
}

}  // namespace prose2stix::extract
