// Paragraph blocks and the boilerplate cleaner shared by every reader.
//
// Readers turn their input into Blocks (one paragraph, heading, list item or table row each, with
// anchors back into the input); CleanBlocks() keeps only the article body; AssembleText() joins the
// survivors into Document::text and Document::source_map. The cleaner is a fixed sequence of
// general, table-driven rules (documented in boilerplate.cc); it never looks for any particular
// site's words. Everything here is pure and thread-safe.
#ifndef PROSE2STIX_INGEST_BOILERPLATE_H_
#define PROSE2STIX_INGEST_BOILERPLATE_H_

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "prose2stix/ingest/document.h"

namespace prose2stix::ingest {

enum class BlockKind {
  kParagraph,     // running text (or a line of plain text whose role is unknown)
  kHeading,       // <h1>-<h6>, Markdown '#'
  kListItem,      // <li>, Markdown '-', '1.'
  kPreformatted,  // a line of <pre> text
  kTableRow,      // cells of one table row, joined with "; "
};

// The anchors of one block: a short sequence (most blocks have one or two anchors), held inline up
// to kInline entries and on the heap beyond, so that a typical block costs no allocation for them.
class AnchorList {
 public:
  static constexpr size_t kInline = 2;

  AnchorList() = default;
  AnchorList(const AnchorList&) = default;
  AnchorList& operator=(const AnchorList&) = default;
  // A moved-from list is empty.
  AnchorList(AnchorList&& other) noexcept { *this = std::move(other); }
  AnchorList& operator=(AnchorList&& other) noexcept {
    if (this != &other) {
      size_ = other.size_;
      std::copy(other.inline_, other.inline_ + kInline, inline_);
      heap_ = std::move(other.heap_);
      other.size_ = 0;
      other.heap_.clear();
    }
    return *this;
  }

  const OffsetAnchor* begin() const { return size_ <= kInline ? inline_ : heap_.data(); }
  const OffsetAnchor* end() const { return begin() + size_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const OffsetAnchor& operator[](size_t i) const { return begin()[i]; }
  const OffsetAnchor& back() const { return begin()[size_ - 1]; }

  void push_back(const OffsetAnchor& a) {
    if (size_ < kInline) {
      inline_[size_] = a;
    } else {
      if (size_ == kInline) heap_.assign(inline_, inline_ + kInline);  // spill
      heap_.push_back(a);
    }
    ++size_;
  }
  // Keeps the first `n` anchors, or appends default anchors up to `n`.
  void resize(size_t n) {
    if (n <= kInline) {
      if (size_ > kInline) std::copy(heap_.begin(), heap_.begin() + static_cast<std::ptrdiff_t>(n), inline_);
      for (size_t i = std::min(size_, n); i < n; ++i) inline_[i] = OffsetAnchor{};
      heap_.clear();
    } else {
      if (size_ <= kInline) heap_.assign(inline_, inline_ + size_);
      heap_.resize(n);
    }
    size_ = n;
  }
  void clear() {
    size_ = 0;
    heap_.clear();  // keeps its capacity for the next spill
  }

 private:
  size_t size_ = 0;
  OffsetAnchor inline_[kInline];  // entries [0, size_) when size_ <= kInline
  std::vector<OffsetAnchor> heap_;  // all entries when size_ > kInline, else empty
};

struct Block {
  std::string text;  // one paragraph on one line: whitespace collapsed, no '\n', not empty
  BlockKind kind = BlockKind::kParagraph;
  // Anchors with text_offset relative to `text` and source_offset in the input; at least one.
  AnchorList anchors;
  size_t link_chars = 0;  // bytes of `text` that came from link text (HTML), for link density
};

// Builds one Block from pieces of input text, collapsing whitespace runs (including newlines) into
// one space and recording an anchor wherever text and source offsets stop advancing together.
class BlockBuilder {
 public:
  // Appends `piece`, whose first byte is input[source_offset]. Contiguous pieces share an anchor.
  void Append(std::string_view piece, size_t source_offset, bool is_link = false);
  // Appends `sep` (e.g. "; " between table cells) unless the block is empty; it takes no anchor.
  void AppendSeparator(std::string_view sep);
  // Appends one space unless the block is empty or already ends with one.
  void AppendSpace();
  bool empty() const { return block_.text.empty(); }
  // Returns the block (trailing space trimmed) and resets the builder; empty text when nothing
  // but whitespace was appended.
  Block Take(BlockKind kind);

 private:
  Block block_;
  size_t next_source_ = static_cast<size_t>(-1);     // source offset that continues the last anchor
  size_t pending_source_ = static_cast<size_t>(-1);  // source of the pending space, if known
  bool pending_space_ = false;
};

// What one paragraph looks like on its own, before its neighbours are considered.
enum class UnitClass {
  kBody,       // a sentence or more of running text
  kHeadline,   // short, no final punctuation: a title or section heading, or a widget label
  kWidget,     // prices, percentages, lone numbers, rows of UI words ("Share", "Tweet", "Print")
  kDateLine,   // a date stamp with at most a few words around it ("June 2, 2020", "Agbi2026/01/15")
  kPromo,      // a short call to action: newsletter pitches, "subscribe", "follow us"
  kIndicator,  // contains an IP address, domain, URL, hash or CVE id: never dropped as junk
};
UnitClass ClassifyUnit(std::string_view text);
std::string_view UnitClassName(UnitClass c);

// Trailer markers: paragraphs that end the article ("You may also like", "Disclaimer: ...") or
// are dropped on their own ("Read more: ...", "Share this"), matched case-insensitively.
enum class MarkerAction { kNone, kEndArticle, kDrop };
MarkerAction MatchMarker(std::string_view text);

// Counts of dropped blocks per rule, for tests and diagnostics.
struct CleanReport {
  size_t duplicates = 0;
  size_t teasers = 0;
  size_t markers = 0;
  size_t after_end = 0;
  size_t widgets = 0;
  size_t promos = 0;
  size_t link_lists = 0;
  size_t orphan_headlines = 0;
};

// Keeps the article body of `blocks` (in order). See boilerplate.cc for the rules.
std::vector<Block> CleanBlocks(std::vector<Block> blocks, CleanReport* report = nullptr);

// Replaces doc->text with the blocks joined by "\n\n" and doc->source_map with their anchors.
void AssembleText(const std::vector<Block>& blocks, Document* doc);

// True when the text's first non-space byte is an ASCII lowercase letter.
bool StartsLowercase(std::string_view text);

// A headline: short (<= 20 words, <= 160 bytes) and not ending in sentence punctuation.
bool LooksLikeHeadline(std::string_view text);

}  // namespace prose2stix::ingest

#endif  // PROSE2STIX_INGEST_BOILERPLATE_H_
