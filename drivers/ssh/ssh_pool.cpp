#include "drivers/ssh/ssh_pool.hpp"

#include <poll.h>

#include <algorithm>
#include <optional>
#include <set>

#include "drivers/ssh/ssh_connection.hpp"
#include "drivers/ssh/ssh_exec.hpp"
#include "drivers/ssh/ssh_shell.hpp"

namespace skiff::drivers {

using Clock = std::chrono::steady_clock;

// A pooled connection and the pool's bookkeeping about it.
struct SshPool::Connection {
  Connection(const SshTarget& target, HostKeyVerifier& verifier, Clock::time_point now)
      : link(target, verifier, now), last_used(now) {}
  SshConnection link;
  std::unique_ptr<SshShell> shell;  // opened by the first command that can use it
  bool busy = false;
  bool reused = false;  // has finished a command before
  Clock::time_point last_used;
};

// One item of a batch on its way through connect and exec.
struct SshPool::Job {
  enum class Phase { kQueued, kConnecting, kRunning, kDone };
  const HostCommand* item = nullptr;
  Phase phase = Phase::kQueued;
  Connection* conn = nullptr;
  // The command runs on exactly one of these once the connection is ready.
  std::unique_ptr<SshExec> exec;  // a channel of its own
  SshShell* shell = nullptr;      // the connection's long-lived shell
  bool retried = false;
  bool dirty = true;  // step at the next turn of the loop
  size_t first_fd = 0, fd_count = 0;
};

// The poll loop of one run_all call.
class SshPool::Loop {
 public:
  Loop(SshPool& pool, const std::vector<HostCommand>& batch) : pool_(pool), results_(batch.size()) {
    jobs_.resize(batch.size());
    for (size_t i = 0; i < batch.size(); ++i) {
      jobs_[i].item = &batch[i];
      if (!pool_.has_host(batch[i].host)) {
        finish(i, make_error(ErrorCode::kNotFound, "unknown host '" + batch[i].host + "'"));
      }
    }
  }

  std::vector<Result<CommandResult>> run() {
    while (remaining_ > 0) {
      auto now = Clock::now();
      start_queued(now);
      freed_ = false;
      for (size_t i = 0; i < jobs_.size(); ++i) {
        if (jobs_[i].dirty && active(jobs_[i])) step(i, now);
      }
      // A finished job frees its host and a slot: start the next ones now.
      if (remaining_ > 0 && !freed_) wait();
    }
    std::vector<Result<CommandResult>> out;
    out.reserve(results_.size());
    for (auto& r : results_) out.push_back(std::move(*r));
    return out;
  }

 private:
  static Clock::time_point command_deadline(const Job& job) {
    if (job.shell) return job.shell->deadline();
    if (job.exec) return job.exec->deadline();
    return Clock::time_point::max();
  }

  static bool active(const Job& job) { return job.phase == Job::Phase::kConnecting || job.phase == Job::Phase::kRunning; }

  void finish(size_t i, Result<CommandResult> result) {
    freed_ = true;
    results_[i] = std::move(result);
    jobs_[i].phase = Job::Phase::kDone;
    --remaining_;
  }

  // Starts queued jobs while connections are available, keeping each
  // host's commands in batch order.
  void start_queued(Clock::time_point now) {
    for (size_t i = 0; i < jobs_.size(); ++i) {
      Job& job = jobs_[i];
      if (job.phase != Job::Phase::kQueued) continue;
      if (busy_hosts_.count(job.item->host)) continue;
      Connection* conn = pool_.acquire(job.item->host, now);
      if (!conn) return;  // no slot: wait for a job to finish
      busy_hosts_.insert(job.item->host);
      job.conn = conn;
      job.phase = Job::Phase::kConnecting;
      job.dirty = true;
    }
  }

  void step(size_t i, Clock::time_point now) {
    Job& job = jobs_[i];
    job.dirty = false;
    SessionState s = job.conn->link.step(now);
    if (s == SessionState::kFailed) {
      // "ssh root@10.0.0.5:22: connect: connection refused"
      const SshTarget& target = pool_.targets_.at(job.item->host);
      std::string where =
          "ssh " + (target.user.empty() ? "" : target.user + "@") + target.address + ":" + std::to_string(target.port);
      if (target.proxy_jump) where += " via " + target.proxy_jump->address;
      return fail_job(i, job.conn->link.error().wrap(where), now);
    }
    if (s != SessionState::kReady) return;
    if (job.phase == Job::Phase::kConnecting) {
      const Command& command = job.item->command;
      if (pool_.options_.persistent_shell && SshShell::can_run(command)) {
        Result<std::string> token = random_shell_token();
        if (!token.ok()) return fail_job(i, token.error(), now);
        if (!job.conn->shell) job.conn->shell = std::make_unique<SshShell>(job.conn->link.session());
        job.shell = job.conn->shell.get();
        job.shell->begin(command, *token, now);
      } else {
        job.exec = std::make_unique<SshExec>(job.conn->link.session(), command, now);
      }
      job.phase = Job::Phase::kRunning;
    }
    ExecState e = job.shell ? job.shell->step(now) : job.exec->step(now);
    if (e == ExecState::kDone) {
      job.conn->busy = false;
      job.conn->reused = true;
      job.conn->last_used = now;
      busy_hosts_.erase(job.item->host);
      finish(i, job.shell ? job.shell->take_result() : job.exec->take_result());
      job.shell = nullptr;
      job.exec.reset();
    } else if (e == ExecState::kFailed) {
      Error error = job.shell ? job.shell->error() : job.exec->error();
      job.conn->link.fail(error);
      fail_job(i, error, now);
    }
    // Leaves the connection idle in the pool for the next batch.
  }

  // A reused connection may have died while idle (host restarted, NAT
  // forgot it); if the command was not sent yet, one fresh connection is
  // tried before giving up.
  // `error` is taken by value: it often lives in the connection dropped here.
  void fail_job(size_t i, Error error, Clock::time_point now) {
    Job& job = jobs_[i];
    bool sent = (job.exec && job.exec->started()) || (job.shell && job.shell->started());
    bool retry = job.conn->reused && !job.retried && !sent && error.code != ErrorCode::kTimeout;
    job.exec.reset();
    job.shell = nullptr;
    pool_.drop(job.item->host);
    busy_hosts_.erase(job.item->host);
    job.conn = nullptr;
    if (retry) {
      freed_ = true;
      job.retried = true;
      job.phase = Job::Phase::kQueued;
      return;
    }
    finish(i, error);
  }

  // Sleeps until a socket moves or the earliest deadline passes, then
  // marks the jobs that need a step.
  void wait() {
    fds_.clear();
    auto deadline = Clock::time_point::max();
    for (Job& job : jobs_) {
      job.fd_count = 0;
      if (!active(job)) continue;
      job.first_fd = fds_.size();
      job.conn->link.poll_fds(fds_, job.shell ? job.shell->poll_events() : job.exec ? job.exec->poll_events() : 0);
      job.fd_count = fds_.size() - job.first_fd;
      deadline = std::min({deadline, job.conn->link.deadline(), command_deadline(job)});
    }
    int wait_ms = -1;
    if (deadline != Clock::time_point::max()) {
      auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
      wait_ms = static_cast<int>(std::clamp<long long>(left, 0, 60'000));
    }
    if (fds_.empty() && wait_ms < 0) return;  // queued jobs only: the loop starts them
    // A long quiet command still sends SSH keepalives (libssh2 sends one
    // only once its interval has passed): a host that vanished then fails
    // the command through TCP_USER_TIMEOUT (tcp_connect.cpp) rather than
    // hanging until the kernel gives up.
    if (!fds_.empty()) wait_ms = wait_ms < 0 ? 5'000 : std::min(wait_ms, 5'000);
    ::poll(fds_.data(), fds_.size(), wait_ms);
    auto now = Clock::now();
    for (Job& job : jobs_) {
      if (!active(job)) continue;
      if (job.conn->link.state() == SessionState::kReady) job.conn->link.session().keepalive();
      bool moved = false;
      for (size_t k = 0; k < job.fd_count; ++k) moved |= fds_[job.first_fd + k].revents != 0;
      bool late = now >= job.conn->link.deadline() || now >= command_deadline(job);
      job.dirty = moved || late || job.fd_count == 0;
    }
  }

  SshPool& pool_;
  std::vector<Job> jobs_;
  std::vector<std::optional<Result<CommandResult>>> results_;
  size_t remaining_ = results_.size();
  std::set<std::string> busy_hosts_;
  std::vector<pollfd> fds_;
  bool freed_ = false;
};

SshPool::SshPool(SshPoolOptions options) : options_(options) {
  if (options_.parallelism == 0) options_.parallelism = 1;
}

SshPool::~SshPool() = default;

void SshPool::add_host(SshTarget target) {
  connections_.erase(target.name);
  std::string name = target.name;
  targets_[name] = std::move(target);
}

void SshPool::drop(const std::string& host) { connections_.erase(host); }

void SshPool::close_all() {
  for (auto it = connections_.begin(); it != connections_.end();) {
    it = it->second->busy ? std::next(it) : connections_.erase(it);
  }
}

// The host's idle connection, or a new one if the bound allows (closing the
// least recently used idle connection if it must); null when every slot is
// busy.
SshPool::Connection* SshPool::acquire(const std::string& host, Clock::time_point now) {
  auto it = connections_.find(host);
  if (it != connections_.end()) {
    if (it->second->busy) return nullptr;
    it->second->busy = true;
    return it->second.get();
  }
  if (connections_.size() >= options_.parallelism) {
    auto victim = connections_.end();
    for (auto c = connections_.begin(); c != connections_.end(); ++c) {
      if (!c->second->busy && (victim == connections_.end() || c->second->last_used < victim->second->last_used)) {
        victim = c;
      }
    }
    if (victim == connections_.end()) return nullptr;
    connections_.erase(victim);
  }
  auto conn = std::make_unique<Connection>(targets_.at(host), verifier_, now);
  conn->busy = true;
  return connections_.emplace(host, std::move(conn)).first->second.get();
}

std::vector<Result<CommandResult>> SshPool::run_all(const std::vector<HostCommand>& batch) { return Loop(*this, batch).run(); }

namespace {

class PooledTransport : public Transport {
 public:
  PooledTransport(SshPool& pool, std::string host) : pool_(pool), host_(std::move(host)) {}

  Result<CommandResult> run(const Command& command) override {
    return std::move(pool_.run_all({HostCommand{host_, command}}).front());
  }
  Status put_file(const FileSpec& file) override { return put_file_status(file, run(put_file_command(file))); }

 private:
  SshPool& pool_;
  std::string host_;
};

}  // namespace

std::unique_ptr<Transport> SshPool::transport(const std::string& host) { return std::make_unique<PooledTransport>(*this, host); }

}  // namespace skiff::drivers
