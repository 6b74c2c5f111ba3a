// SPDX-License-Identifier: GPL-2.0
#include "verdict.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <string_view>

#include "console.h"
#include "initramfs.h"
#include "ktap.h"
#include "logscan.h"

namespace solcompat::vmrun {

namespace {

constexpr std::size_t quoted_lines = 20;

struct StepLine {
  int rc = 0;
  std::string subject{}; // for "boot": the release the guest reported
  std::size_t line = 0;
  std::optional<double> time{};
};

// The step lines /init printed, keyed by case name: "boot", "insmod x.ko", "run 1",
// "rmmod x.ko", "done". The first line for a step counts.
std::map<std::string, StepLine, std::less<>> read_steps(const std::vector<std::string> &lines) {
  std::map<std::string, StepLine, std::less<>> steps;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const ConsoleLine cl = parse_console_line(lines[i]);
    if (!cl.text.starts_with(step_marker))
      continue;
    const std::string_view rest = cl.text.substr(step_marker.size());
    StepLine step{.line = i, .time = cl.time};
    if (rest.starts_with("boot ok")) {
      const std::string_view release = rest.substr(7);
      step.subject = release.substr(std::min(release.find_first_not_of(' '), release.size()));
      steps.try_emplace("boot", std::move(step));
    } else if (rest == "done") {
      steps.try_emplace("done", std::move(step));
    } else if (const std::size_t rc = rest.rfind(" rc="); rc != std::string_view::npos) {
      const std::string_view number = rest.substr(rc + 4);
      const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), step.rc);
      if (ec == std::errc() && end == number.data() + number.size())
        steps.try_emplace(std::string(rest.substr(0, rc)), std::move(step));
    }
  }
  return steps;
}

std::string last_lines(const std::vector<std::string> &lines, std::size_t end) {
  const std::size_t first = end > quoted_lines ? end - quoted_lines : 0;
  return join_lines(lines, first, end - first);
}

std::string first_line(std::string_view text) {
  return std::string(text.substr(0, text.find('\n')));
}

std::string qemu_exit(const VmOutcome &outcome) {
  std::string text = outcome.term_signal != 0
                         ? "QEMU was killed by signal " + std::to_string(outcome.term_signal)
                         : "QEMU exited with status " + std::to_string(outcome.exit_code);
  if (!outcome.qemu_stderr.empty())
    text += ": " + first_line(outcome.qemu_stderr);
  return text;
}

// "<what>: <console line without its time prefix>", or just <what> without a line.
std::string with_quote(std::string what, std::string_view line) {
  const std::string_view text = parse_console_line(line).text;
  return text.empty() ? what : what + ": " + std::string(text);
}

// Why the guest stopped before /init finished, for the first step that never reported.
std::string why_stopped(const VmOutcome &outcome, const std::vector<std::string> &lines,
                        int timeout_s) {
  if (!outcome.started)
    return "QEMU did not start: " + outcome.start_error;
  if (outcome.timed_out)
    return "timeout after " + std::to_string(timeout_s) + " s";
  if (const auto hits = scan_for_failures(lines); !hits.empty())
    return "the kernel crashed: " + std::string(parse_console_line(lines[hits[0].line]).text);
  if (outcome.term_signal != 0 || outcome.exit_code != 0)
    return qemu_exit(outcome);
  return "the guest stopped without an error on the console";
}

class Judge {
public:
  Judge(const RunPlan &plan, const std::vector<std::string> &lines, const VmOutcome &outcome)
      : plan_(plan), lines_(lines), outcome_(outcome), steps_(read_steps(lines)) {}

  std::vector<TestCase> run();

private:
  // Looks up the step line of `c`; if there is none, fails `c` as the step where the guest
  // stopped, or skips it when an earlier step already was.
  const StepLine *expect(TestCase &c);
  // The console lines printed during a step: after the previous step line, up to its own.
  std::vector<std::string> window(const StepLine &step) const;
  struct Quote {
    std::string lines;
    std::string headline; // the line that goes into the one-line message
  };
  Quote module_quote(const StepLine &step, const std::string &module) const;

  const RunPlan &plan_;
  const std::vector<std::string> &lines_;
  const VmOutcome &outcome_;
  const std::map<std::string, StepLine, std::less<>> steps_;
  std::string stopped_at_; // the step that failed for never reporting
  std::optional<double> previous_time_;
  std::size_t previous_line_ = 0;
};

const StepLine *Judge::expect(TestCase &c) {
  if (const auto it = steps_.find(c.name); it != steps_.end()) {
    const StepLine &step = it->second;
    if (step.time && previous_time_)
      c.seconds = *step.time - *previous_time_;
    return &step;
  }
  if (!stopped_at_.empty()) {
    c.status = Status::skipped;
    c.message = "not reached: the guest stopped at " + stopped_at_;
  } else {
    c.status = Status::failed;
    c.message = c.name + ": no result, " + why_stopped(outcome_, lines_, plan_.timeout_s);
    c.details = last_lines(lines_, lines_.size());
    // QEMU's own complaint, if it ended with one, explains more than the console does.
    std::string_view err;
    if (!outcome_.timed_out)
      err = outcome_.qemu_stderr;
    while (err.ends_with('\n'))
      err.remove_suffix(1);
    if (!err.empty())
      c.details = "QEMU stderr:\n" + std::string(err) +
                  (c.details.empty() ? "" : "\n--- console:\n" + c.details);
    stopped_at_ = c.name;
  }
  return nullptr;
}

std::vector<std::string> Judge::window(const StepLine &step) const {
  if (step.line < previous_line_) // step lines out of order: a command echoed one
    return {};
  return {lines_.begin() + static_cast<std::ptrdiff_t>(previous_line_),
          lines_.begin() + static_cast<std::ptrdiff_t>(step.line)};
}

Judge::Quote Judge::module_quote(const StepLine &step, const std::string &module) const {
  // The kernel names a module by its file name without ".ko", with '-' turned into '_'.
  std::string kernel_name = module.ends_with(".ko") ? module.substr(0, module.size() - 3) : module;
  const std::string file_stem = kernel_name;
  std::ranges::replace(kernel_name, '-', '_');
  std::vector<std::string> mentions;
  for (const std::string &line : window(step)) {
    if (line.find(kernel_name) != std::string::npos || line.find(file_stem) != std::string::npos)
      mentions.push_back(line);
  }
  // The first mention usually says what went wrong; without any, the last line before the
  // step's result is the closest thing.
  if (mentions.empty() && step.line > 0)
    return {last_lines(lines_, step.line), lines_[step.line - 1]};
  if (mentions.empty())
    return {};
  return {join_lines(mentions, 0, quoted_lines), mentions.front()};
}

std::vector<TestCase> Judge::run() {
  std::vector<TestCase> cases;
  const auto advance = [&](const StepLine &step) {
    previous_time_ = step.time;
    previous_line_ = step.line + 1;
  };

  TestCase boot{.name = "boot"};
  if (const StepLine *step = expect(boot)) {
    boot.seconds = step->time;
    if (step->subject != plan_.release) {
      boot.status = Status::failed;
      boot.message = "booted kernel reports release '" + step->subject + "', not --release " +
                     plan_.release + " (wrong --kernel?)";
    }
    advance(*step);
  } else {
    boot.message = "kernel did not boot (no 'SOLCOMPAT-VM: boot ok' on the console): " +
                   why_stopped(outcome_, lines_, plan_.timeout_s);
    stopped_at_ = "boot";
  }
  cases.push_back(std::move(boot));

  std::string failed_insmod;
  std::vector<std::string> loaded;
  for (const std::string &m : plan_.modules) {
    TestCase c{.name = "insmod " + m};
    if (!failed_insmod.empty()) {
      c.status = Status::skipped;
      c.message = "not run: insmod " + failed_insmod + " failed";
    } else if (const StepLine *step = expect(c)) {
      if (step->rc == 0) {
        loaded.push_back(m);
      } else {
        c.status = Status::failed;
        const Quote quote = module_quote(*step, m);
        c.details = quote.lines;
        c.message = with_quote("insmod " + m + " failed (rc=" + std::to_string(step->rc) + ")",
                               quote.headline);
        failed_insmod = m;
      }
      advance(*step);
    }
    cases.push_back(std::move(c));
  }

  for (std::size_t n = 1; n <= plan_.runs.size(); ++n) {
    TestCase c{.name = "run " + std::to_string(n)};
    if (!failed_insmod.empty()) {
      c.status = Status::skipped;
      c.message = "not run: insmod " + failed_insmod + " failed";
    } else if (const StepLine *step = expect(c)) {
      if (step->rc != 0) {
        c.status = Status::failed;
        c.message = "run " + std::to_string(n) + " failed (rc=" + std::to_string(step->rc) +
                    "): " + plan_.runs[n - 1];
        const std::vector<std::string> output = window(*step);
        c.details = last_lines(output, output.size());
      }
      advance(*step);
    }
    cases.push_back(std::move(c));
  }

  for (auto m = plan_.modules.rbegin(); m != plan_.modules.rend(); ++m) {
    TestCase c{.name = "rmmod " + *m};
    if (std::ranges::find(loaded, *m) == loaded.end()) {
      c.status = Status::skipped;
      c.message = "not loaded";
    } else if (const StepLine *step = expect(c)) {
      if (step->rc != 0) {
        c.status = Status::failed;
        const Quote quote = module_quote(*step, *m);
        c.details = quote.lines;
        c.message = with_quote("rmmod " + *m + " failed (rc=" + std::to_string(step->rc) + ")",
                               quote.headline);
      }
      advance(*step);
    }
    cases.push_back(std::move(c));
  }

  TestCase shutdown{.name = "shutdown"};
  const bool done = steps_.contains("done");
  if (!done) {
    shutdown.status = Status::failed;
    shutdown.message = "shutdown: the guest did not finish (no 'SOLCOMPAT-VM: done'): " +
                       why_stopped(outcome_, lines_, plan_.timeout_s);
    if (stopped_at_.empty()) // otherwise the step that stopped already quotes the end
      shutdown.details = last_lines(lines_, lines_.size());
  } else if (outcome_.timed_out) {
    shutdown.status = Status::failed;
    shutdown.message = "shutdown: the guest finished but did not power off: timeout after " +
                       std::to_string(plan_.timeout_s) + " s";
    shutdown.details = last_lines(lines_, lines_.size());
  } else if (outcome_.exit_code != 0) { // also when a signal ended QEMU
    shutdown.status = Status::failed;
    shutdown.message = "shutdown: " + qemu_exit(outcome_);
    shutdown.details = outcome_.qemu_stderr;
  }
  cases.push_back(std::move(shutdown));

  cases.push_back(check_clean_log(lines_));
  std::ranges::move(parse_ktap(lines_), std::back_inserter(cases));
  return cases;
}

// Does an oops's "Code:" line show the faulting instruction (the byte in <>) right after a
// cmpxchg16b: REX.W, 0f c7, a ModRM byte whose reg field is 1, then at most one more
// instruction's worth of bytes (a short jcc)?
bool faults_after_cmpxchg16b(std::string_view code) {
  const std::size_t mark = code.find('<');
  if (mark == std::string_view::npos)
    return false;
  std::vector<unsigned> bytes;
  for (std::size_t i = code.find("Code:") + 5; i + 1 < mark;) {
    while (i < mark && code[i] == ' ')
      ++i;
    unsigned b = 0;
    const auto [end, ec] = std::from_chars(code.data() + i, code.data() + mark, b, 16);
    if (ec != std::errc() || end - (code.data() + i) != 2)
      return false;
    bytes.push_back(b);
    i = static_cast<std::size_t>(end - code.data());
  }
  const std::size_t n = bytes.size();
  for (std::size_t k = n >= 6 ? n - 6 : 0; k + 4 <= n; ++k)
    if ((bytes[k] & 0xf8) == 0x48 && bytes[k + 1] == 0x0f && bytes[k + 2] == 0xc7 &&
        ((bytes[k + 3] >> 3) & 7) == 1)
      return true;
  return false;
}

} // namespace

std::string reboot_reason(const std::vector<std::string> &lines, const VmOutcome &outcome) {
  if (!outcome.started || outcome.timed_out)
    return "";
  bool booted = false;
  std::string rip;
  for (const std::string &line : lines) {
    const std::string_view text = parse_console_line(line).text;
    if (text.starts_with(step_marker) && text.substr(step_marker.size()).starts_with("boot ok"))
      booted = true;
    if (text.starts_with("RIP: ") && rip.empty()) {
      rip = std::string(text.substr(5)); // "0010:func+0x1/0x2 [module]"
      rip.erase(0, rip.find(':') + 1);
    }
    // The first oops's Code: line; a fault inside a module ("[name]" on its RIP) is not
    // the emulator's.
    if (text.starts_with("Code: ") && !rip.empty()) {
      if (rip.find('[') == std::string::npos && faults_after_cmpxchg16b(text))
        return "the kernel faulted right after a cmpxchg16b at " + rip +
               " (QEMU's TCG fault; nothing under test uses cmpxchg16b)";
      break;
    }
  }
  if (!booted)
    return "the kernel ended before /init ran (nothing under test had run)";
  return "";
}

std::vector<TestCase> judge(const RunPlan &plan, const std::vector<std::string> &lines,
                            const VmOutcome &outcome) {
  return Judge(plan, lines, outcome).run();
}

} // namespace solcompat::vmrun
