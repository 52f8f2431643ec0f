// What the reconcile loop tells others about its cycles (--notify URL,
// --notify-format, --commit-status): an event per commit applied, per
// failure (once per commit and error, not every retry), per drift
// corrected, and once when it finds itself suspended; and the commit's
// status on the git host (pending while a new commit is applied, then
// success or failure). Sent by a drivers::Notifier, which never holds up
// the loop.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "cli/reconcile_cycle.hpp"
#include "cli/reconcile_loop.hpp"
#include "drivers/http/delivery_worker.hpp"
#include "drivers/notifier.hpp"

namespace skiff::cli {

class ReconcileNotices {
 public:
  // Fails for a --notify URL or --commit-status that cannot be used (the
  // message names the flag, never a token). `on_problem` hears, from the
  // sender's threads, of what could not be delivered.
  static Result<std::unique_ptr<ReconcileNotices>> create(const ReconcileSettings& settings, const WatchSettings& watch,
                                                          drivers::ProblemSink on_problem);

  // A new commit is being applied (the commit status goes pending).
  void applying(const drivers::GitCommit& commit, int64_t now_unix);
  void cycle_done(const CycleReport& report, int64_t now_unix);
  // Sends what is queued within `deadline`.
  void shutdown(std::chrono::milliseconds deadline);

 private:
  ReconcileNotices(std::unique_ptr<drivers::Notifier> notifier, std::string source)
      : notifier_(std::move(notifier)), source_(std::move(source)) {}
  void send(drivers::ReconcileEventKind kind, const std::string& commit, const std::string& message, int64_t now_unix,
            nlohmann::json details = nlohmann::json::object());

  std::unique_ptr<drivers::Notifier> notifier_;  // null: nothing was asked for
  std::string source_;                           // without credentials
  std::string failure_told_;                     // commit and error of the last failure sent
  bool suspension_told_ = false;
};

}  // namespace skiff::cli
