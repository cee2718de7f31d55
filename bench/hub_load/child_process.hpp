// ChildProcess: one server the load program starts (sluice-devchain, sluiced), with its output in a log file,
// stopped by its own pid (SIGTERM, then SIGKILL after a grace period) when the object goes, so a failed run
// leaves nothing behind. cpu_ticks() reads its user + system time from /proc/<pid>/stat: all its threads,
// which is what "CPU per payment" adds up.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace sluice::bench {

class ChildProcess {
  public:
    // fork + execv; throws std::runtime_error when the program cannot be started.
    ChildProcess(const std::filesystem::path& program, const std::vector<std::string>& args,
                 const std::filesystem::path& log_file);
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const noexcept { return pid_; }
    const std::filesystem::path& log_file() const noexcept { return log_; }
    // utime + stime in clock ticks (sysconf(_SC_CLK_TCK) a second); 0 once it has exited.
    unsigned long long cpu_ticks() const;
    // SIGTERM, wait up to `grace`, then SIGKILL; returns the exit status (waitpid's), -1 if it was killed.
    int stop(std::chrono::milliseconds grace = std::chrono::seconds(15));

  private:
    pid_t pid_ = -1;
    std::filesystem::path log_;
};

// The first line of `file` that contains `marker`, waiting up to `timeout` for it to appear.
std::string wait_for_line(const std::filesystem::path& file, const std::string& marker,
                          std::chrono::milliseconds timeout);
// The content of `file` once it exists and is not empty, waiting up to `timeout`.
std::string wait_for_file(const std::filesystem::path& file, std::chrono::milliseconds timeout);

}  // namespace sluice::bench
