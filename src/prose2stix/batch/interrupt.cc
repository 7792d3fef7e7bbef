// The handler only touches lock-free atomics and, on the third signal, calls _exit: both are
// async-signal-safe. Everything else (stopping workers, removing temporary files, the summary)
// happens in the driver's own loop, which polls signals() every few hundred milliseconds.
#include "prose2stix/batch/interrupt.h"

#include <unistd.h>

#include <atomic>
#include <cstring>

namespace prose2stix::batch {

namespace {

std::atomic<int> g_signals{0};
std::atomic<int> g_last{0};
static_assert(std::atomic<int>::is_always_lock_free, "signal handlers need lock-free atomics");

extern "C" void OnSignal(int sig) {
  g_last.store(sig, std::memory_order_relaxed);
  int n = g_signals.fetch_add(1, std::memory_order_relaxed) + 1;
  if (n >= 3) {
    static const char kMsg[] = "prose2stix: interrupted three times, exiting now\n";
    ssize_t ignored = ::write(STDERR_FILENO, kMsg, sizeof kMsg - 1);
    (void)ignored;
    _exit(128 + sig);
  }
}

}  // namespace

InterruptScope::InterruptScope() {
  g_signals.store(0);
  g_last.store(0);
  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: a blocked read returns EINTR
  sigaction(SIGINT, &sa, &old_int_);
  sigaction(SIGTERM, &sa, &old_term_);
}

InterruptScope::~InterruptScope() {
  sigaction(SIGINT, &old_int_, nullptr);
  sigaction(SIGTERM, &old_term_, nullptr);
}

int InterruptScope::signals() const { return g_signals.load(std::memory_order_relaxed); }

int InterruptScope::last_signal() const { return g_last.load(std::memory_order_relaxed); }

int InterruptScope::ExitCode() const {
  int sig = last_signal();
  return 128 + (sig == 0 ? SIGINT : sig);
}

}  // namespace prose2stix::batch
