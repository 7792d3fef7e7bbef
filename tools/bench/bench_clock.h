// CPU clocks for the benchmarks: on a shared machine the wall clock also counts the time other
// processes ran, while CPU time measures the work done.
#ifndef PROSE2STIX_TOOLS_BENCH_BENCH_CLOCK_H_
#define PROSE2STIX_TOOLS_BENCH_BENCH_CLOCK_H_

#include <time.h>

namespace prose2stix::bench {

inline double ClockSeconds(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// CPU seconds of the calling thread.
inline double ThreadCpuSeconds() { return ClockSeconds(CLOCK_THREAD_CPUTIME_ID); }

// CPU seconds of the whole process.
inline double ProcessCpuSeconds() { return ClockSeconds(CLOCK_PROCESS_CPUTIME_ID); }

}  // namespace prose2stix::bench

#endif  // PROSE2STIX_TOOLS_BENCH_BENCH_CLOCK_H_
