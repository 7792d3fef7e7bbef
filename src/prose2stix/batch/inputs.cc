// Inputs are collected with std::filesystem, one directory level at a time (entries sorted by
// name, then files and subdirectories visited in that order), so that a directory that cannot be
// listed becomes one failing input rather than the end of the walk. Relative names use '/'
// whatever the platform, and output-name clashes are settled after collection, when every name is
// known.
#include "prose2stix/batch/inputs.h"

#include <fnmatch.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <system_error>
#include <unordered_set>

#include "prose2stix/util/file.h"
#include "prose2stix/util/sha1.h"

namespace prose2stix::batch {

namespace fs = std::filesystem;

namespace {

std::string BaseName(std::string_view rel) {
  size_t slash = rel.rfind('/');
  return std::string(slash == std::string_view::npos ? rel : rel.substr(slash + 1));
}

std::string AbsoluteKey(const std::string& path) {
  std::error_code ec;
  fs::path abs = fs::absolute(path, ec);
  if (ec) abs = path;
  return abs.lexically_normal().generic_string();
}

// Output-relative name of a file named explicitly.
std::string ExplicitRel(const std::string& path) {
  fs::path p = fs::path(path).lexically_normal();
  std::string s = p.generic_string();
  if (p.is_absolute() || s.empty() || s == "." || s.rfind("..", 0) == 0) {
    std::string base = p.filename().generic_string();
    return base.empty() || base == "." || base == ".." ? std::string("input") : base;
  }
  return s;
}

bool IsUnder(const std::string& key, const std::string& dir_key) {
  if (dir_key.empty()) return false;
  if (key == dir_key) return true;
  std::string prefix = dir_key;
  if (prefix.back() != '/') prefix += '/';
  return key.rfind(prefix, 0) == 0;
}

class Collector {
 public:
  explicit Collector(const InputOptions& o) : options_(o) {
    if (!o.skip_dir.empty()) skip_key_ = AbsoluteKey(o.skip_dir);
  }

  void AddExplicit(const std::string& path, bool from_list) {
    std::error_code ec;
    fs::file_status st = fs::status(path, ec);
    InputFile in;
    in.path = path;
    if (ec || !fs::exists(st)) {
      fs::file_status lst = fs::symlink_status(path, ec);
      in.error = !ec && fs::is_symlink(lst) ? "dangling symbolic link" : "no such file or directory";
    } else if (fs::is_directory(st)) {
      if (!from_list) {
        Walk(path, "");
        return;
      }
      in.error = "is a directory (a list names files)";
    } else if (!fs::is_regular_file(st)) {
      in.error = "not a regular file";
    } else {
      in.size = fs::file_size(path, ec);
      if (ec) in.size = 0;
    }
    Keep(std::move(in), ExplicitRel(path));
  }

  std::vector<InputFile> inputs;
  std::vector<std::string> rels;

 private:
  void Keep(InputFile in, std::string rel) {
    if (!seen_.insert(AbsoluteKey(in.path)).second) return;
    inputs.push_back(std::move(in));
    rels.push_back(std::move(rel));
  }

  // Walks `dir` (whose path relative to the walked root is `rel_dir`, "" for the root).
  void Walk(const std::string& dir, const std::string& rel_dir) {
    if (!skip_key_.empty() && IsUnder(AbsoluteKey(dir), skip_key_)) return;
    std::error_code ec;
    fs::directory_iterator it(dir, ec), end;
    std::vector<fs::directory_entry> entries;
    for (; !ec && it != end; it.increment(ec)) entries.push_back(*it);
    if (ec) {
      InputFile in;
      in.path = dir;
      in.error = "cannot list directory: " + ec.message();
      Keep(std::move(in), rel_dir.empty() ? ExplicitRel(dir) : rel_dir);
      return;
    }
    std::sort(entries.begin(), entries.end(), [](const fs::directory_entry& a, const fs::directory_entry& b) {
      return a.path().filename().native() < b.path().filename().native();
    });
    for (const fs::directory_entry& e : entries) {
      std::string name = e.path().filename().string();
      if (name.empty() || name[0] == '.') continue;
      std::string rel = rel_dir.empty() ? name : rel_dir + "/" + name;
      std::error_code ec2;
      bool is_link = e.is_symlink(ec2);  // from the directory listing: no system call
      InputFile in;
      in.path = e.path().string();
      // One stat(2) (following links) gives both the kind and the size.
      struct stat st {};
      bool found = ::stat(in.path.c_str(), &st) == 0;
      if (found && S_ISDIR(st.st_mode)) {
        if (is_link || MatchesAnyGlob(options_.exclude, rel)) continue;
        Walk(in.path, rel);
        continue;
      }
      if (found && S_ISREG(st.st_mode)) {
        in.size = static_cast<uint64_t>(st.st_size);
      } else if (is_link && !found) {
        in.error = "dangling symbolic link";
      } else {
        continue;  // FIFO, socket, device
      }
      if (!options_.include.empty() && !MatchesAnyGlob(options_.include, rel)) continue;
      if (MatchesAnyGlob(options_.exclude, rel)) continue;
      if (!skip_key_.empty() && IsUnder(AbsoluteKey(in.path), skip_key_)) continue;
      Keep(std::move(in), rel);
    }
  }

  const InputOptions& options_;
  std::string skip_key_;
  std::unordered_set<std::string> seen_;
};

}  // namespace

bool MatchesAnyGlob(const std::vector<std::string>& globs, std::string_view rel_path) {
  if (globs.empty()) return false;
  std::string rel(rel_path), base = BaseName(rel_path);
  for (const std::string& g : globs) {
    if (fnmatch(g.c_str(), rel.c_str(), 0) == 0 || fnmatch(g.c_str(), base.c_str(), 0) == 0) return true;
  }
  return false;
}

void AssignOutputNames(const std::vector<std::string>& rels, std::vector<InputFile>* inputs) {
  std::map<std::string, std::vector<size_t>> by_name;
  for (size_t i = 0; i < inputs->size(); ++i) by_name[rels[i] + ".json"].push_back(i);
  std::set<std::string> taken;
  for (const auto& [name, members] : by_name) {
    if (members.size() == 1) taken.insert(name);
  }
  for (const auto& [name, members] : by_name) {
    if (members.size() == 1) {
      (*inputs)[members[0]].output = name;
      continue;
    }
    for (size_t i : members) {
      InputFile& in = (*inputs)[i];
      const std::string& rel = rels[i];
      size_t slash = rel.rfind('/');
      std::string dir = slash == std::string::npos ? "" : rel.substr(0, slash + 1);
      std::string base = slash == std::string::npos ? rel : rel.substr(slash + 1);
      std::string hash = Sha1Hex(AbsoluteKey(in.path));
      std::string candidate;
      for (size_t len = 8; len <= hash.size(); len += 8) {
        candidate = dir + hash.substr(0, len) + "-" + base + ".json";
        if (!taken.count(candidate)) break;
      }
      // Only identical absolute paths could still clash, and those were merged when collected.
      taken.insert(candidate);
      in.output = candidate;
    }
  }
}

Result<std::vector<InputFile>> CollectInputs(const InputOptions& options) {
  Collector c(options);
  for (const std::string& p : options.paths) c.AddExplicit(p, false);
  for (const std::string& list : options.files_from) {
    Result<std::string> text = ReadFile(list);
    if (!text.ok()) return text.status().WithContext("--files-from");
    std::string_view rest = *text;
    while (!rest.empty()) {
      size_t nl = rest.find('\n');
      std::string_view line = rest.substr(0, nl);
      rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
      c.AddExplicit(std::string(line), true);
    }
  }
  AssignOutputNames(c.rels, &c.inputs);
  return std::move(c.inputs);
}

}  // namespace prose2stix::batch
