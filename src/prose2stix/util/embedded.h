// Resources compiled into the library by tools/cmake/EmbedFiles.cmake.
//
// Every view points at read-only static storage that lives as long as the program; each blob is
// followed by a NUL byte (not counted in size()), so text can be handed to C parsers in place.
#ifndef PROSE2STIX_UTIL_EMBEDDED_H_
#define PROSE2STIX_UTIL_EMBEDDED_H_

#include <span>
#include <string_view>

namespace prose2stix::embedded {

struct File {
  std::string_view name;  // path relative to the embedded folder, e.g. "threat-actor.json"
  std::string_view data;  // the file's bytes
};

// schemas/stix2.1/*.json, sorted by name.
std::span<const File> schemas();
// src/prose2stix/data/*, sorted by name (gazetteers, tagger weights).
std::span<const File> data();

// Returns the file called `name` in `files`, or an empty view when there is none.
inline std::string_view Find(std::span<const File> files, std::string_view name) {
  for (const File& f : files) {
    if (f.name == name) return f.data;
  }
  return {};
}

}  // namespace prose2stix::embedded

#endif  // PROSE2STIX_UTIL_EMBEDDED_H_
