// Unicode normalisation for the text stage: folds the typographic variety of real advisories
// (curly quotes, exotic spaces and dashes, ligatures, fullwidth forms, zero-width characters,
// CRLF line ends, invalid UTF-8) into the plain forms the splitter, tokenizer and extractors
// expect, and keeps a compact offset map back to the input.
//
// What changes (everything else is copied byte for byte):
//   U+2018 U+2019 U+201A U+201B U+2032 U+02BC, and ` or U+00B4 between letters   -> '
//   U+201C U+201D U+201E U+201F U+00AB U+00BB U+2033, and `` before a letter    -> "
//   U+00A0 U+1680 U+2000..U+200A U+202F U+205F U+3000, tab                      -> ' '
//   U+2010..U+2015 U+2212 U+FE58 U+FE63 U+2E3A U+2E3B                            -> -
//       (an em dash U+2014/U+2015/U+2E3A/U+2E3B glued to words gets spaces around it so it
//        stays a standalone "-" and does not turn "attack—which" into one hyphenated word)
//   U+2026 -> "..."          U+FB00..U+FB06 ligatures -> ff fi fl ffi ffl st st
//   U+FF01..U+FF5E fullwidth ASCII -> ASCII
//   U+200B..U+200F U+202A..U+202E U+2060 U+2066..U+2069 U+FEFF U+00AD -> removed
//   CRLF, CR, U+0085, U+2028, VT -> LF;  U+2029 and form feed -> "\n\n" (paragraph break)
//   other C0/C1 control characters and NUL -> ' '
//   ill-formed UTF-8 -> U+FFFD (one per bad byte, as utf8::Decode does)
// Line breaks and blank lines are kept as they are; runs of spaces are not collapsed, so offsets
// stay easy to reason about.
//
// Normalize runs in one linear pass (ASCII runs are copied in bulk). It is pure and
// thread-safe; NormalizedText owns its text, so views into it live as long as the value.
#ifndef PROSE2STIX_TEXT_NORMALIZE_H_
#define PROSE2STIX_TEXT_NORMALIZE_H_

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace prose2stix::text {

struct NormalizedText {
  // The normalised text: well-formed UTF-8.
  std::string text;

  // (normalised offset, input offset) pairs, sorted by both members, starting with (0, 0). After
  // an anchor the texts advance together byte for byte up to the next replacement; an anchor is
  // recorded right after every replacement that changed the length difference (replacements that
  // keep it, such as U+2026 -> "...", need none), so a few anchors map a whole text.
  std::vector<std::pair<size_t, size_t>> anchors;

  // Maps a byte offset of `text` (0..text.size()) to the input byte offset it came from. An
  // offset at the start of a replacement maps to the start of the input sequence it replaced
  // (past any removed characters just before it); an offset inside a replacement maps into,
  // never beyond, that input sequence; text.size() maps to the input's size. Larger offsets are
  // treated as text.size(). O(log anchors).
  size_t ToInput(size_t offset) const;
};

// NormalizedText::ToInput on a bare anchor list (as Normalize made it), for callers that keep the
// anchors without the text: maps `offset` of a normalised text to the input offset.
size_t MapToInput(std::span<const std::pair<size_t, size_t>> anchors, size_t offset);

// Normalises `utf8` (which may hold ill-formed sequences) as described above.
NormalizedText Normalize(std::string_view utf8);

}  // namespace prose2stix::text

#endif  // PROSE2STIX_TEXT_NORMALIZE_H_
