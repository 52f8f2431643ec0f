// The built skiff binary running in the background, as a long-running
// `skiff reconcile --watch` runs under systemd: its output goes to a log
// file the test reads as it grows; it is signalled and waited for by its
// PID, and stopped (SIGTERM, then SIGKILL) when the test ends however it
// ends.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <thread>

namespace skiff::testing {

class BackgroundSkiff {
 public:
  // Starts `skiff ARGS` (ARGS shell-quoted where needed) in `dir`, stdout
  // and stderr into `log`.
  BackgroundSkiff(const std::string& dir, const std::string& args, std::string log) : log_(std::move(log)) {
    const std::string command = "cd '" + dir + "' && exec " + SKIFF_BINARY + " " + args + " >'" + log_ + "' 2>&1";
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }
  ~BackgroundSkiff() {
    if (exited_) return;
    ::kill(pid_, SIGTERM);
    if (wait_exit(std::chrono::seconds(20))) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  BackgroundSkiff(const BackgroundSkiff&) = delete;
  BackgroundSkiff& operator=(const BackgroundSkiff&) = delete;

  pid_t pid() const { return pid_; }
  void signal(int signal) const { ::kill(pid_, signal); }

  std::string log() const {
    std::ifstream in(log_);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  // Whether `found` holds for the log within `limit`, looking every 50 ms.
  bool await(const std::function<bool(const std::string&)>& found, std::chrono::milliseconds limit) const {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      if (found(log())) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return found(log());
  }
  bool await_text(const std::string& text, std::chrono::milliseconds limit) const {
    return await([&text](const std::string& log) { return log.find(text) != std::string::npos; }, limit);
  }

  // The exit code once it exited within `limit`.
  std::optional<int> wait_exit(std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
      int status = 0;
      const pid_t done = ::waitpid(pid_, &status, WNOHANG);
      if (done == pid_) {
        exited_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

 private:
  std::string log_;
  pid_t pid_ = -1;
  bool exited_ = false;
};

// How many times `text` occurs in `log`.
inline size_t occurrences(const std::string& log, const std::string& text) {
  size_t n = 0;
  for (size_t at = log.find(text); at != std::string::npos; at = log.find(text, at + text.size())) ++n;
  return n;
}

}  // namespace skiff::testing
