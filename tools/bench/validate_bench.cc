// Benchmark of the STIX validator against bare RapidJSON parsing of the same bytes.
//
//   validate_bench [PATH] [--iterations N]      default PATH ../shared/data/attack/enterprise-attack.json
//   validate_bench --make-big OUT.json MB       writes a synthetic bundle of about MB megabytes,
//                                               then validates it streaming and reports peak RSS
//
// Each measurement runs in a child process (fork) so that its peak RSS (ru_maxrss from wait4) is
// its own. Figures: MB/s = 10^6 bytes per second of CPU time (user + system, getrusage), best of N
// iterations; wall time is shown too but means little on a shared, oversubscribed machine.
#include <rapidjson/document.h>
#include <rapidjson/reader.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>

#include "prose2stix/util/file.h"
#include "prose2stix/validate/validator.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Measure {
  double seconds = 0;  // CPU time of the best iteration
  double wall = 0;     // wall time of that iteration
  long max_rss_kb = 0;
  bool ok = false;
};

double CpuSeconds() {
  struct rusage u {};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// Runs `body` `iterations` times in a child process; the child writes its best time to a pipe.
Measure InChild(int iterations, const std::function<bool()>& body) {
  int fds[2];
  if (pipe(fds) != 0) return {};
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    double best = 1e30, best_wall = 0;
    bool ok = true;
    for (int i = 0; i < iterations; ++i) {
      auto t0 = Clock::now();
      double c0 = CpuSeconds();
      ok = body() && ok;
      double cpu = CpuSeconds() - c0;
      if (cpu < best) {
        best = cpu;
        best_wall = std::chrono::duration<double>(Clock::now() - t0).count();
      }
    }
    double msg[3] = {best, ok ? 1.0 : 0.0, best_wall};
    if (write(fds[1], msg, sizeof(msg)) != static_cast<ssize_t>(sizeof(msg))) _exit(1);
    _exit(0);
  }
  close(fds[1]);
  double msg[3] = {0, 0, 0};
  ssize_t got = read(fds[0], msg, sizeof(msg));
  close(fds[0]);
  int status = 0;
  struct rusage usage {};
  wait4(pid, &status, 0, &usage);
  Measure m;
  m.seconds = msg[0];
  m.wall = msg[2];
  m.ok = got == static_cast<ssize_t>(sizeof(msg)) && msg[1] != 0.0;
  m.max_rss_kb = usage.ru_maxrss;
  return m;
}

void Print(const char* what, size_t bytes, const Measure& m, double baseline_seconds = 0) {
  std::printf("  %-36s %7.1f MB/s  cpu %6.3f s  wall %6.3f s  peak RSS %7.1f MB", what,
              static_cast<double>(bytes) / m.seconds / 1e6, m.seconds, m.wall,
              static_cast<double>(m.max_rss_kb) / 1024.0);
  if (baseline_seconds > 0) std::printf("  %.2fx DOM parse", m.seconds / baseline_seconds);
  if (!m.ok) std::printf("  [FAILED]");
  std::printf("\n");
}

// A synthetic bundle of realistic objects (identities, malware, indicators, relationships), each
// with a unique id, written without holding the bundle in memory.
bool MakeBig(const std::string& path, long megabytes) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return false;
  const uint64_t target = static_cast<uint64_t>(megabytes) * 1000000;
  uint64_t written = 0;
  auto put = [&](const std::string& s) {
    std::fwrite(s.data(), 1, s.size(), f);
    written += s.size();
  };
  put("{\"type\": \"bundle\", \"id\": \"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d\", \"objects\": [\n");
  const std::string desc(600, 'x');
  char buf[2048];
  for (uint64_t i = 0; written < target; ++i) {
    const char* common =
        "\"spec_version\": \"2.1\", \"created\": \"2020-01-01T00:00:00.000Z\", "
        "\"modified\": \"2020-01-02T00:00:00.000Z\"";
    unsigned hi = static_cast<unsigned>(i >> 32), lo = static_cast<unsigned>(i);
    switch (i % 4) {
      case 0:
        std::snprintf(
            buf, sizeof(buf),
            "%s{\"type\": \"identity\", \"id\": \"identity--%08x-0000-4000-8000-%012x\", %s, \"name\": "
            "\"Org %u\", \"identity_class\": \"organization\", \"sectors\": [\"technology\"], "
            "\"description\": \"%s\"}",
            i ? ",\n" : "", lo, hi, common, lo, desc.c_str());
        break;
      case 1:
        std::snprintf(
            buf, sizeof(buf),
            ",\n{\"type\": \"malware\", \"id\": \"malware--%08x-0000-4000-8000-%012x\", %s, \"name\": "
            "\"Mal %u\", \"is_family\": true, \"malware_types\": [\"backdoor\"], \"kill_chain_phases\": "
            "[{\"kill_chain_name\": \"mitre-attack\", \"phase_name\": \"execution\"}], "
            "\"external_references\": "
            "[{\"source_name\": \"vendor\", \"url\": \"https://example.com/%u\"}], \"description\": \"%s\"}",
            lo, hi, common, lo, lo, desc.c_str());
        break;
      case 2:
        std::snprintf(
            buf, sizeof(buf),
            ",\n{\"type\": \"indicator\", \"id\": \"indicator--%08x-0000-4000-8000-%012x\", %s, \"pattern\": "
            "\"[ipv4-addr:value = '198.51.%u.%u'] OR [file:hashes.'SHA-256' = "
            "'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']\", \"pattern_type\": "
            "\"stix\", \"valid_from\": \"2020-01-01T00:00:00Z\", \"indicator_types\": "
            "[\"malicious-activity\"]}",
            lo, hi, common, (lo >> 8) & 255, lo & 255);
        break;
      default:
        std::snprintf(
            buf, sizeof(buf),
            ",\n{\"type\": \"relationship\", \"id\": \"relationship--%08x-0000-4000-8000-%012x\", %s, "
            "\"relationship_type\": \"indicates\", \"source_ref\": \"indicator--%08x-0000-4000-8000-%012x\", "
            "\"target_ref\": \"malware--%08x-0000-4000-8000-%012x\"}",
            lo, hi, common, lo - 1, hi, lo - 2, hi);
    }
    put(buf);
  }
  put("\n]}\n");
  return std::fclose(f) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string path = "../shared/data/attack/enterprise-attack.json";
  int iterations = 3;
  std::string big;
  long big_mb = 0;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--iterations" && i + 1 < argc) {
      iterations = std::atoi(argv[++i]);
    } else if (a == "--make-big" && i + 2 < argc) {
      big = argv[++i];
      big_mb = std::atol(argv[++i]);
    } else {
      path = a;
    }
  }
  auto validator = prose2stix::validate::Validator::Create({});
  if (!validator.ok()) {
    std::fprintf(stderr, "%s\n", validator.status().ToString().c_str());
    return 2;
  }
  const prose2stix::validate::Validator& v = **validator;

  if (!big.empty()) {
    auto t0 = Clock::now();
    if (!MakeBig(big, big_mb)) {
      std::fprintf(stderr, "cannot write %s\n", big.c_str());
      return 2;
    }
    FILE* f = std::fopen(big.c_str(), "rb");
    std::fseek(f, 0, SEEK_END);
    size_t bytes = static_cast<size_t>(std::ftell(f));
    std::fclose(f);
    std::printf("%s: %zu bytes written in %.1f s\n", big.c_str(), bytes,
                std::chrono::duration<double>(Clock::now() - t0).count());
    size_t objects = 0, diagnostics = 0;
    Measure m = InChild(1, [&] {
      auto r = v.ValidateFile(big);
      objects = r.objects;
      diagnostics = r.diagnostics.size();
      if (!r.valid() || r.diagnostics.size() > 0) {
        for (size_t i = 0; i < r.diagnostics.size() && i < 5; ++i) {
          std::fprintf(stderr, "%s %s\n", r.diagnostics[i].pointer.c_str(), r.diagnostics[i].message.c_str());
        }
      }
      return r.valid();
    });
    Print("validate file (streaming)", bytes, m);
    return m.ok ? 0 : 1;
  }

  // Streaming file validation first, before this process holds the text, so that its peak RSS
  // is the validator's own.
  Measure file = InChild(iterations, [&] { return v.ValidateFile(path).valid(); });

  auto data = prose2stix::ReadFile(path, uint64_t{4} << 30);
  if (!data.ok()) {
    std::fprintf(stderr, "%s\n", data.status().ToString().c_str());
    return 2;
  }
  const std::string& text = *data;
  std::printf("%s: %zu bytes, best of %d\n", path.c_str(), text.size(), iterations);

  Measure dom = InChild(iterations, [&] {
    rapidjson::Document d;
    d.Parse(text.c_str(), text.size());
    return !d.HasParseError();
  });
  Print("RapidJSON Document::Parse (DOM)", text.size(), dom);
  Measure sax = InChild(iterations, [&] {
    rapidjson::Reader reader;
    rapidjson::BaseReaderHandler<> handler;
    rapidjson::StringStream ss(text.c_str());
    return !reader.Parse(ss, handler).IsError();
  });
  Print("RapidJSON Reader, null handler", text.size(), sax);
  Measure str = InChild(iterations, [&] { return v.ValidateString(text, path).valid(); });
  Print("Validator::ValidateString", text.size(), str, dom.seconds);
  Print("Validator::ValidateFile (streaming)", text.size(), file, dom.seconds);
  return dom.ok && sax.ok && str.ok && file.ok ? 0 : 1;
}
