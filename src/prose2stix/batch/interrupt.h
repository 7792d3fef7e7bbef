// Graceful interruption of a batch job: SIGINT and SIGTERM are counted instead of killing the
// process, so the job can stop taking new work, let the documents in flight finish, clean up and
// report. The first signal asks for a graceful stop; the second asks to abandon the work in
// flight (the driver removes its temporary files and exits); a third, should the driver not
// respond, exits at once from the handler.
//
//   InterruptScope scope;                  // handlers installed
//   while (...) { if (scope.signals() > 0) break; ... }
//   return scope.signals() ? scope.ExitCode() : 0;    // 128 + signal number
//
// Only one InterruptScope may be alive at a time (the handlers and counters are process-wide).
// Its methods may be called from any thread.
#ifndef PROSE2STIX_BATCH_INTERRUPT_H_
#define PROSE2STIX_BATCH_INTERRUPT_H_

#include <signal.h>

namespace prose2stix::batch {

class InterruptScope {
 public:
  // Installs the handlers (without SA_RESTART, so blocking reads return EINTR) and zeroes the
  // counter. The previous handlers come back when the scope ends.
  InterruptScope();
  ~InterruptScope();
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;

  // Signals received since the scope began.
  int signals() const;
  // The last signal received (SIGINT, SIGTERM), 0 when none.
  int last_signal() const;
  // The conventional exit status after a signal: 128 + its number (130 for SIGINT).
  int ExitCode() const;

 private:
  struct sigaction old_int_ {}, old_term_ {};
};

}  // namespace prose2stix::batch

#endif  // PROSE2STIX_BATCH_INTERRUPT_H_
