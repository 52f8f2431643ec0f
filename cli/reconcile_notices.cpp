#include "cli/reconcile_notices.hpp"

#include "cli/commands.hpp"
#include "drivers/http/curl_notifier.hpp"

namespace skiff::cli {

Result<std::unique_ptr<ReconcileNotices>> ReconcileNotices::create(const ReconcileSettings& settings, const WatchSettings& watch,
                                                                   drivers::ProblemSink on_problem) {
  const std::string source = reconcile_source(settings);
  if (watch.notify_urls.empty() && watch.commit_status.empty())
    return std::unique_ptr<ReconcileNotices>(new ReconcileNotices(nullptr, source));
  drivers::CurlNotifierOptions options;
  Result<drivers::NotifyFormat> format = drivers::parse_notify_format(watch.notify_format);
  if (!format.ok()) return format.error().wrap("--notify-format");
  for (const std::string& url : watch.notify_urls) options.webhooks.push_back(drivers::WebhookTarget{url, *format});
  options.on_problem = std::move(on_problem);
  options.user_agent = "skiff/" + version_text();
  if (!watch.commit_status.empty()) {
    Result<drivers::Forge> forge = drivers::parse_forge(watch.commit_status);
    if (!forge.ok()) return forge.error().wrap("--commit-status");
    Result<drivers::CommitStatusTarget> target =
        drivers::commit_status_target(*forge, settings.repo, watch.commit_status_token, watch.commit_status_api);
    if (!target.ok()) return target.error().wrap("--commit-status");
    options.commit_status = std::move(*target);
  }
  Result<std::unique_ptr<drivers::Notifier>> notifier = drivers::make_curl_notifier(std::move(options));
  if (!notifier.ok()) return notifier.error();
  return std::unique_ptr<ReconcileNotices>(new ReconcileNotices(std::move(*notifier), source));
}

void ReconcileNotices::send(drivers::ReconcileEventKind kind, const std::string& commit, const std::string& message,
                            int64_t now_unix, nlohmann::json details) {
  if (!notifier_) return;
  notifier_->notify(drivers::ReconcileEvent{kind, commit, source_, message, now_unix, std::move(details)});
}

void ReconcileNotices::applying(const drivers::GitCommit& commit, int64_t now_unix) {
  send(drivers::ReconcileEventKind::kStarted, commit.id, "applying commit " + commit.id.substr(0, 12) + ": " + commit.summary,
       now_unix);
}

void ReconcileNotices::cycle_done(const CycleReport& report, int64_t now_unix) {
  const std::string& commit = report.head.id;
  if (report.result != CycleResult::kSuspended) suspension_told_ = false;
  if (report.result != CycleResult::kFailed) failure_told_.clear();
  switch (report.result) {
    case CycleResult::kApplied:
      if (!report.drift_commit)
        send(drivers::ReconcileEventKind::kApplied, commit, "applied commit " + commit.substr(0, 12) + ": " + report.head.summary,
             now_unix, {{"author", report.head.author}});
      break;
    case CycleResult::kFailed: {
      const std::string error = report.error.empty() ? report.attempted_error : report.error;
      if (failure_told_ == commit + "\n" + error) break;
      failure_told_ = commit + "\n" + error;
      send(drivers::ReconcileEventKind::kFailed, commit, error, now_unix, {{"applied_commit", report.applied_commit}});
      break;
    }
    case CycleResult::kSuspended:
      if (!suspension_told_)
        send(drivers::ReconcileEventKind::kSuspended, commit,
             "reconcile is suspended: commit " + commit.substr(0, 12) + " is not applied", now_unix);
      suspension_told_ = true;
      break;
    case CycleResult::kNoChanges:
    case CycleResult::kSkipped:
    case CycleResult::kInterrupted: break;
  }
  if (report.drift_corrected)
    send(drivers::ReconcileEventKind::kDriftCorrected, commit, std::to_string(report.drift.size()) + " drift correction(s)",
         now_unix, {{"corrections", report.drift}});
}

void ReconcileNotices::shutdown(std::chrono::milliseconds deadline) {
  if (notifier_) notifier_->shutdown(deadline);
}

}  // namespace skiff::cli
