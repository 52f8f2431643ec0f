// Internals shared by the files of plan_render: colouring and the job block.
#pragma once

#include <string>
#include <string_view>

#include "reconciler/plan/plan.hpp"
#include "reconciler/plan/plan_render.hpp"

namespace skiff::reconciler::render {

enum class Paint { kNone, kBold, kGreen, kRed, kYellow, kCyan, kBoldGreen, kBoldYellow };

// Wraps text in ANSI escapes, or returns it unchanged under Color::kNever.
class Painter {
 public:
  explicit Painter(Color color) : color_(color) {}

  std::string operator()(std::string_view text, Paint paint) const;
  // A change symbol ("+", "-", "~", "-/+", ">") in its colour; " " stays plain.
  std::string symbol(std::string_view symbol) const;

 private:
  Color color_;
};

// "+", "-", "~" or " " for an added, deleted, edited or unchanged thing.
std::string_view diff_symbol(DiffType type);

// Appends the lines of one job: its header, note, field diff nested under
// its task groups and tasks, and its next periodic launch.
void render_job(const JobPlan& job, const Painter& paint, std::string& out);

}  // namespace skiff::reconciler::render
