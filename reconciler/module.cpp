// The reconciler module (scheduler, diff, plan, executor, watcher) arrives
// with the scheduler and apply issues; this keeps the library target valid.
namespace skiff::reconciler {}
