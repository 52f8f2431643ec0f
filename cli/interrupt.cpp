#include "cli/interrupt.hpp"

#include <unistd.h>

#include <csignal>
#include <cstring>

namespace skiff::cli {

namespace {

volatile std::sig_atomic_t caught = 0;
volatile std::sig_atomic_t wake_fd = -1;
int depth = 0;  // scopes open, on the one thread that opens them
struct sigaction previous_int, previous_term;

// Only async-signal-safe calls here: write and _exit.
void say(const char* text) {
  ssize_t ignored = ::write(STDERR_FILENO, text, std::strlen(text));
  (void)ignored;
}

void on_signal(int signal) {
  if (wake_fd >= 0) {
    const char byte = 's';
    ssize_t ignored = ::write(wake_fd, &byte, 1);
    (void)ignored;
  }
  if (caught != 0) {
    say("\nskiff: interrupted again: stopping at once; the state may lag behind the hosts (the next apply converges)\n");
    ::_exit(128 + signal);
  }
  caught = signal;
  say("\nskiff: interrupted: finishing the step in flight, then stopping (again to stop at once)\n");
}

}  // namespace

InterruptScope::InterruptScope() {
  if (depth++ > 0) return;
  caught = 0;
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  ::sigaction(SIGINT, &action, &previous_int);
  ::sigaction(SIGTERM, &action, &previous_term);
}

InterruptScope::~InterruptScope() {
  if (--depth > 0) return;
  ::sigaction(SIGINT, &previous_int, nullptr);
  ::sigaction(SIGTERM, &previous_term, nullptr);
}

int InterruptScope::signal_caught() { return caught; }

void InterruptScope::wake(int fd) { wake_fd = fd; }

const char* InterruptScope::signal_name(int signal) { return signal == SIGTERM ? "SIGTERM" : "SIGINT"; }

}  // namespace skiff::cli
