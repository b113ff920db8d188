// journalfloor_bench — how far the native-call journal (core/journal.h, issue 10) is from the least any
// recorder could cost an edit on this machine. A program, not a timed test: it prints `name value
// unit` lines, medians, and asserts nothing about speed. ctest runs it with --quick only to check that
// it still runs. Linux on x86-64 only (RDTSC, OFD locks).
//
//   journalfloor_bench [--quick] [--runs N]
//
// An edit's native work without the hex view: an OFD lock (fcntl F_OFD_SETLK), a one-byte store into a
// 4 KiB shared view, the unlock. Three modes, measured side by side (each round runs all three, in an
// order that turns from round to round; 20,000 edits per run; overheads are paired per round, then the
// median over the rounds):
//   floor_edit_ns         the edit with nothing recorded
//   journal_extra_ns      what the core's journal adds to it: the same calls through the core's
//                         wrappers (core/posix/syscalls.h, journal::recordStore) inside a
//                         journal::Action, with a listener that takes each action's rows at its end and
//                         counts them (the recording and the hand-over, without the dock's model)
//   minimal_extra_ns      what a minimal recorder adds: an action number and two TSC readings, per call
//                         two TSC readings, a global sequence number and one 64-byte record of raw
//                         values (no arguments decoded or packed, no strings) in a per-thread array,
//                         copied at the action's end into a ring under a shared lock and a mutex, and
//                         read back from the ring every 10 edits on the same thread, untimed (as the
//                         dock's model takes its rows on the GUI thread, where edits are made). Not
//                         ShmScope's code: the floor that any design keeping exact per-call durations
//                         and one process-wide order would pay here, with the real system calls between
//                         the readings
//   journal_extra_pct, minimal_extra_pct  the same as a percentage of floor_edit_ns
// A hex-view edit (journal_bench's edit_us) is the same native work plus ~3 µs of the view's own: set
// these nanoseconds against it to see what a goal in percent of edit_us allows.
#include "benchsupport.h"
#include "core/journal.h"
#include "core/journalrecord.h"
#include "core/posix/syscalls.h"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>
#include <x86intrin.h>

using namespace shmscope;
using shmscope::bench::median;
using shmscope::bench::print;

namespace {

// Counts the rows, taking them at each action's end (as the dock's model does, without keeping them).
class CountingListener : public journal::Listener
{
public:
    void callRecorded(journal::Call&& call) override { callsRecorded(std::span<journal::Call>(&call, 1)); }
    void callsRecorded(std::span<journal::Call> calls) override
    {
        std::lock_guard lock(m_mutex);
        rows += calls.size();
    }
    bool takesCallsAtActionEnd() const override { return true; }
    std::size_t rows = 0;

private:
    std::mutex m_mutex;
};

std::string renderLabel(const char* what, std::uint64_t a, std::uint64_t)
{
    return std::string(what) + " " + std::to_string(a);
}

// The minimal recorder.
struct alignas(64) Record {
    std::uint64_t seq;
    std::uint64_t startTicks;
    std::uint32_t durationTicks;
    std::uint32_t thread;
    std::uint64_t action;
    const void* site; // what call it was (a static descriptor)
    std::uint64_t raw[3];
};
static_assert(sizeof(Record) == 64);

struct MinimalRecorder {
    std::atomic<std::uint64_t> nextSeq { 1 };
    std::atomic<std::uint64_t> nextAction { 1 };
    Record pending[16] = {};
    unsigned count = 0;
    std::shared_mutex listeners;
    std::mutex ringMutex;
    std::vector<Record> ring = std::vector<Record>(std::size_t(1) << 16);
    std::size_t ringAt = 0;
    std::uint64_t lastActionTicks = 0;
    std::size_t readAt = 0;
    std::uint64_t readSum = 0;

    Record& add(std::uint64_t action, const void* site, std::uint64_t startTicks, std::uint64_t endTicks)
    {
        Record& record = pending[count++];
        record.seq = nextSeq.fetch_add(1, std::memory_order_relaxed);
        record.startTicks = startTicks;
        record.durationTicks = static_cast<std::uint32_t>(endTicks - startTicks);
        record.thread = 1;
        record.action = action;
        record.site = site;
        return record;
    }
    int lock(std::uint64_t action, int fd, struct flock* lock)
    {
        static const char site = 0;
        const std::uint64_t start = __rdtsc();
        const int result = ::fcntl(fd, F_OFD_SETLK, lock);
        const std::uint64_t end = __rdtsc();
        const int error = errno;
        Record& record = add(action, &site, start, end);
        record.raw[0] = static_cast<std::uint64_t>(fd);
        record.raw[1] = static_cast<std::uint64_t>(lock->l_type) | static_cast<std::uint64_t>(lock->l_start) << 8;
        record.raw[2] = static_cast<std::uint32_t>(result) | static_cast<std::uint64_t>(error) << 32;
        errno = error;
        return result;
    }
    void store(std::uint64_t action, const char* base, std::uint64_t offset)
    {
        static const char site = 0;
        const std::uint64_t now = __rdtsc();
        Record& record = add(action, &site, now, now);
        record.raw[0] = reinterpret_cast<std::uintptr_t>(base);
        record.raw[1] = offset;
        record.raw[2] = static_cast<unsigned char>(base[offset]);
    }
    void endAction(std::uint64_t durationTicks)
    {
        lastActionTicks = durationTicks;
        std::shared_lock shared(listeners);
        std::lock_guard lock(ringMutex);
        for (unsigned i = 0; i < count; ++i) {
            ring[ringAt] = pending[i];
            ringAt = (ringAt + 1) & (ring.size() - 1);
        }
        count = 0;
    }
    // What a keeping listener's owner does later: reads the records added since it last looked.
    void readNew()
    {
        std::lock_guard lock(ringMutex);
        for (; readAt != ringAt; readAt = (readAt + 1) & (ring.size() - 1))
            readSum += ring[readAt].seq + ring[readAt].raw[2];
    }
};

} // namespace

int main(int argc, char** argv)
{
    int runs = 21;
    int edits = 20000;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--quick") == 0) {
            runs = 3;
            edits = 2000;
        } else if (std::strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
            runs = std::max(1, std::atoi(argv[++i]));
        } else {
            std::fprintf(stderr, "usage: journalfloor_bench [--quick] [--runs N]\n");
            return 2;
        }
    }
    const std::string name = "/shmscope-test-" + std::to_string(::getpid()) + "-bench-journalfloor";
    const int fd = ::shm_open(name.c_str(), O_RDWR | O_CREAT | O_EXCL, 0600);
    if (fd < 0) {
        std::fprintf(stderr, "journalfloor_bench: cannot create %s: %s\n", name.c_str(), std::strerror(errno));
        return 1;
    }
    ::shm_unlink(name.c_str());
    constexpr std::uint64_t kViewSize = 4096;
    if (::ftruncate(fd, kViewSize) != 0) {
        std::fprintf(stderr, "journalfloor_bench: ftruncate: %s\n", std::strerror(errno));
        return 1;
    }
    void* mapped = ::mmap(nullptr, kViewSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (mapped == MAP_FAILED) {
        std::fprintf(stderr, "journalfloor_bench: mmap: %s\n", std::strerror(errno));
        return 1;
    }
    char* view = static_cast<char*>(mapped);
    struct flock take = {};
    take.l_type = F_WRLCK;
    take.l_whence = SEEK_SET;
    take.l_len = 1;
    struct flock give = take;
    give.l_type = F_UNLCK;

    int status = 0;
    MinimalRecorder minimal;
    std::vector<double> plain;
    std::vector<double> journalExtra;
    std::vector<double> minimalExtra;
    std::vector<double> journalPct;
    std::vector<double> minimalPct;
    for (int round = 0; round < runs; ++round) {
        double ns[3] = {};
        for (int k = 0; k < 3; ++k) {
            const int mode = (k + round) % 3; // 0 nothing recorded, 1 the core's journal, 2 the minimal recorder
            CountingListener counting;
            if (mode == 1)
                journal::addListener(&counting);
            std::chrono::nanoseconds total {};
            for (int i = 0; i < edits; ++i) {
                const std::uint64_t offset = static_cast<std::uint64_t>(i) % kViewSize;
                const auto start = std::chrono::steady_clock::now();
                if (mode == 0) {
                    ::fcntl(fd, F_OFD_SETLK, &take);
                    view[offset] = static_cast<char>(i);
                    ::fcntl(fd, F_OFD_SETLK, &give);
                } else if (mode == 1) {
                    const journal::Action action(&renderLabel, "edit", offset, 1);
                    detail::sys::fcntlLock(fd, F_OFD_SETLK, &take);
                    view[offset] = static_cast<char>(i);
                    journal::recordStore(view, offset, view + offset, 1);
                    detail::sys::fcntlLock(fd, F_OFD_SETLK, &give);
                } else {
                    const std::uint64_t action = minimal.nextAction.fetch_add(1, std::memory_order_relaxed);
                    const std::uint64_t began = __rdtsc();
                    minimal.lock(action, fd, &take);
                    view[offset] = static_cast<char>(i);
                    minimal.store(action, view, offset);
                    minimal.lock(action, fd, &give);
                    const std::uint64_t ended = __rdtsc();
                    minimal.endAction(ended - began);
                }
                total += std::chrono::steady_clock::now() - start;
                if (mode == 2 && i % 10 == 9)
                    minimal.readNew();
            }
            ns[mode] = std::chrono::duration<double, std::nano>(total).count() / edits;
            if (mode == 1) {
                journal::removeListener(&counting);
                if (counting.rows != static_cast<std::size_t>(edits) * 3) {
                    std::fprintf(stderr, "journalfloor_bench: the journal recorded %zu rows, not %d\n", counting.rows,
                                 edits * 3);
                    status = 1;
                }
            }
        }
        plain.push_back(ns[0]);
        journalExtra.push_back(ns[1] - ns[0]);
        minimalExtra.push_back(ns[2] - ns[0]);
        journalPct.push_back((ns[1] / ns[0] - 1.0) * 100.0);
        minimalPct.push_back((ns[2] / ns[0] - 1.0) * 100.0);
    }
    ::munmap(mapped, kViewSize);
    ::close(fd);
    print("floor_edit_ns", median(plain), "ns");
    print("journal_extra_ns", median(journalExtra), "ns");
    print("minimal_extra_ns", median(minimalExtra), "ns");
    print("journal_extra_pct", median(journalPct), "%");
    print("minimal_extra_pct", median(minimalPct), "%");
    return status;
}
