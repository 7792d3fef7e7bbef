// Measures the gazetteer: time to build it from the embedded tables, and Find() throughput over
// the given text files (or directories of them), repeated until at least 64 MiB were scanned.
//
//   gazetteer_bench [--dump] PATH...
//
// --dump prints every match as "file<TAB>begin<TAB>end<TAB>kind<TAB>canonical<TAB>surface<TAB>
// ambiguous" instead, for inspecting precision on a corpus.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "bench_clock.h"
#include "prose2stix/extract/gazetteer.h"
#include "prose2stix/util/file.h"

namespace {

using Clock = std::chrono::steady_clock;

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// CPU time of this process in milliseconds: the machine may be shared, so wall time overstates.
double CpuMs() { return prose2stix::bench::ProcessCpuSeconds() * 1e3; }

}  // namespace

int main(int argc, char** argv) {
  using prose2stix::extract::EntryKindName;
  using prose2stix::extract::Gazetteer;
  bool dump = false;
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--dump") {
      dump = true;
    } else {
      paths.push_back(arg);
    }
  }
  std::vector<std::pair<std::string, std::string>> docs;
  for (const std::string& p : paths) {
    std::vector<std::string> files;
    if (std::filesystem::is_directory(p)) {
      for (const auto& e : std::filesystem::recursive_directory_iterator(p)) {
        if (e.is_regular_file()) files.push_back(e.path().string());
      }
    } else {
      files.push_back(p);
    }
    std::sort(files.begin(), files.end());
    for (const std::string& f : files) {
      auto text = prose2stix::ReadFile(f);
      if (!text.ok()) {
        std::fprintf(stderr, "%s\n", text.status().ToString().c_str());
        return 1;
      }
      docs.emplace_back(f, std::move(*text));
    }
  }

  const auto t0 = Clock::now();
  const double c0 = CpuMs();
  const Gazetteer& g = Gazetteer::Default();
  const double build_cpu_ms = CpuMs() - c0;
  const double build_ms = Ms(Clock::now() - t0);
  if (dump) {
    for (const auto& [name, text] : docs) {
      for (const auto& m : g.Find(text)) {
        std::string surface = text.substr(m.begin, m.end - m.begin);
        std::replace_if(surface.begin(), surface.end(), [](char ch) { return ch == '\n' || ch == '\t' || ch == '\r'; }, ' ');
        std::printf("%s\t%zu\t%zu\t%s\t%.*s\t%s\t%d\n", name.c_str(), m.begin, m.end,
                    std::string(EntryKindName(m.entry->kind)).c_str(),
                    static_cast<int>(m.entry->canonical.size()), m.entry->canonical.data(), surface.c_str(),
                    m.ambiguous ? 1 : 0);
      }
    }
    return 0;
  }
  size_t bytes = 0;
  for (const auto& d : docs) bytes += d.second.size();
  std::printf("gazetteer: %zu entries, %zu surfaces, built in %.2f ms (%.2f ms CPU)\n", g.size(),
              g.surface_count(), build_ms, build_cpu_ms);
  if (bytes == 0) return 0;
  size_t scanned = 0, matches = 0;
  const auto t1 = Clock::now();
  const double c1 = CpuMs();
  while (scanned < (64u << 20)) {
    for (const auto& d : docs) matches += g.Find(d.second).size();
    scanned += bytes;
  }
  const double ms = Ms(Clock::now() - t1);
  const double cpu_ms = CpuMs() - c1;
  std::printf("Find: %zu bytes in %zu documents, %.1f MB/s (%.1f MB/s of CPU time), %.1f matches per KB\n",
              bytes, docs.size(), static_cast<double>(scanned) / 1e6 / (ms / 1e3),
              static_cast<double>(scanned) / 1e6 / (cpu_ms / 1e3),
              static_cast<double>(matches) * 1024.0 / static_cast<double>(scanned));
  return 0;
}
