#pragma once

#include "core/journal.h"

#include <cstdint>

namespace shmscope {

/// `shmscope-cli --trace`: prints the native-call journal (core/journal.h) to stderr while it lives,
/// one line per call in strace's format (each row decoded as it is printed) (`[pid TID] HH:MM:SS.uuuuuu openat(...) = 3
/// <0.000012>`), framed by a line per user action: `--- action 1: create posix:/demo --size 64K ---` before its calls
/// and `+++ action 1: 7 calls, +3 minor faults +++` after them. Lines are written whole with one
/// write(2) each, so they do not interleave with other output mid-line.
class TraceListener : public journal::Listener
{
public:
    /// Starts listening (journal::addListener).
    TraceListener();
    /// Stops listening.
    ~TraceListener() override;
    TraceListener(const TraceListener&) = delete;
    TraceListener& operator=(const TraceListener&) = delete;

    void actionBegan(const journal::ActionInfo& action) override;
    void callRecorded(journal::Call&& call) override;
    void actionEnded(const journal::ActionInfo& action) override;
    /// True: the `+++` line says each action's page faults (a one-shot CLI run does not mind the
    /// getrusage pair per action).
    bool countsPageFaults() const override { return true; }

private:
    std::uint64_t m_calls = 0;
};

} // namespace shmscope
