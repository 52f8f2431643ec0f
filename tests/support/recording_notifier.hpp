// RecordingNotifier: the Notifier fake for tests of the reconcile loop. It
// keeps every event it is handed, in order, and sends nothing.
// Thread-safe, as Notifier promises.
#pragma once

#include <mutex>
#include <vector>

#include "drivers/notifier.hpp"

namespace skiff::testing {

class RecordingNotifier : public drivers::Notifier {
 public:
  void notify(const drivers::ReconcileEvent& event) override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!shut_) events_.push_back(event);
  }

  drivers::NotifierStats shutdown(std::chrono::milliseconds /*deadline*/) override {
    std::lock_guard<std::mutex> lock(mutex_);
    shut_ = true;
    return counts();
  }

  drivers::NotifierStats stats() const override {
    std::lock_guard<std::mutex> lock(mutex_);
    return counts();
  }

  std::vector<drivers::ReconcileEvent> events() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return events_;
  }
  bool shut_down() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return shut_;
  }

 private:
  drivers::NotifierStats counts() const { return {.delivered = events_.size()}; }

  mutable std::mutex mutex_;
  std::vector<drivers::ReconcileEvent> events_;
  bool shut_ = false;
};

}  // namespace skiff::testing
