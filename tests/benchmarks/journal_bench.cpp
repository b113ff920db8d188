// journal_bench — what the native-call journal (core/journal.h, issue 10) costs a hex-view edit. A
// program, not a timed test: it prints `name value unit` lines, medians, and asserts nothing about
// speed. ctest runs it with --quick only to check that it still runs.
//
//   journal_bench [--quick] [--runs N]
//
// Figures, measured side by side in one run (the runs rotate off, on, faults over the same view, the
// first of each triple turning, so that drift and cache state hit all three alike; every page of the
// view is touched before, so that no mode takes first-touch page faults the others do not):
//   edit_us               HexView::editBytes of one byte at a random offset of a 64 MiB posix: mapping
//                         (the lock, the store, the unlock, the undo command), journal off: nobody
//                         listens, each wrapped call costs one relaxed atomic load
//   edit_us_journal       the same with a listener that keeps every row raw, as the GUI's dock does
//                         (the core's whole cost of recording: clocks, raw values, the move into the
//                         listener's vector; rows are formatted only when shown, which this listener
//                         never does). One listener serves every run of its mode and keeps its vector's
//                         memory between them, as the dock's pending queue has grown after its first
//                         batches: the median is the steady state, not the first-touch page faults of
//                         a new vector
//   journal_overhead_pct  (edit_us_journal / edit_us - 1) × 100, from the two medians (goal ≤ 3 %)
//   edit_us_journal_faults  the same with a listener that also asks for page faults per action (a
//                         getrusage(RUSAGE_THREAD) pair per action; the dock's "Page faults" box, --trace)
//   journal_faults_overhead_pct  (edit_us_journal_faults / edit_us - 1) × 100
//   edit_us_journal_counting  the same with a listener that only counts the rows (keeps none): the
//                         recording alone, without the copy a keeping listener makes and the memory it grows
//   journal_record_overhead_pct  (edit_us_journal_counting / edit_us - 1) × 100
//   decode_ns_per_row     formatting one kept row as strace's line afterwards (what showing it costs)
//   rows_per_edit         journal rows per edit while on (lock, store, unlock and what they bring)
//   lock_pair_ns_raw      an OFD lock and unlock (two fcntl) made directly, and
//   lock_pair_ns_off      the same through the journal's wrappers with nobody listening (one relaxed
//                         atomic load each), alternated in one run; journal_off_overhead_pct compares them:
//                         the cost of the journal when nobody listens
#include "benchsupport.h"
#include "core/address.h"
#include "core/journal.h"
#include "core/mapping.h"
#include "core/posix/syscalls.h" // internal: the wrappers themselves, for the nobody-listens figure
#include "widgets/hexview.h"
#include "widgets/mappingbytesource.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QUndoStack>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <random>
#include <string>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>

using namespace shmscope;
using shmscope::bench::median;
using shmscope::bench::print;

namespace {

constexpr quint64 kMiB = quint64(1) << 20;

// Keeps every row, as the GUI's dock does (NativeCallsModel's listener: an action's rows at its end,
// under one lock, moved into a vector; the Qt model on top works on the GUI thread later). Thread-safe: the view's
// change scanner records its calls from its own thread.
class KeepingListener : public journal::Listener
{
public:
    explicit KeepingListener(bool countFaults)
        : m_countFaults(countFaults)
    { }
    void callRecorded(journal::Call&& call) override { callsRecorded(std::span<journal::Call>(&call, 1)); }
    void callsRecorded(std::span<journal::Call> calls) override
    {
        std::lock_guard lock(mutex);
        if (keep) {
            for (journal::Call& call : calls)
                rows.push_back(std::move(call));
        } else {
            counted += calls.size();
        }
    }
    bool takesCallsAtActionEnd() const override { return true; }
    bool countsPageFaults() const override { return m_countFaults; }
    std::mutex mutex;
    std::vector<journal::Call> rows;
    bool keep = true;
    std::size_t counted = 0;

private:
    bool m_countFaults;
};

} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    bool quick = false;
    int runs = 15;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--quick") == 0) {
            quick = true;
            runs = 3;
        } else if (std::strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
            runs = std::max(1, std::atoi(argv[++i]));
        } else {
            std::fprintf(stderr, "usage: journal_bench [--quick] [--runs N]\n");
            return 2;
        }
    }

    Address address;
    address.kind = Kind::Posix;
    address.name = "/shmscope-test-" + std::to_string(::getpid()) + "-bench-journal";
    CreateOptions create;
    create.size = 64 * kMiB;
    Result<Created> created = createMapping(address, create, Access::ReadWrite);
    if (!created) {
        std::fprintf(stderr, "journal_bench: %s\n", created.error().message().c_str());
        return 1;
    }
    int status = 0;
    {
        // Every page touched once before the runs: else the first run of each seed took the first-touch
        // page faults of its offsets and the others did not (a bias of several µs per edit).
        const char zero = 0;
        for (quint64 offset = 0; offset < 64 * kMiB; offset += 4096) {
            if (!created->mapping->write(offset, &zero, 1))
                status = 1;
        }
        MappingByteSource source(std::move(created->mapping));
        HexView view;
        view.resize(1280, 800);
        view.setSource(&source);
        const int count = quick ? 500 : 5000;
        std::vector<double> off;
        std::vector<double> on;
        std::vector<double> withFaults;
        std::vector<double> countingUs;
        std::vector<double> decodeNs;
        double rowsPerEdit = 0;
        // One listener per mode for all runs, as the dock keeps one: its vector's memory is touched by
        // its first run and reused by the others (the median is the steady state).
        KeepingListener keeping(false);
        KeepingListener faulting(true);
        KeepingListener counting(false);
        counting.keep = false;
        keeping.rows.reserve(std::size_t(count) * 4);
        faulting.rows.reserve(std::size_t(count) * 4);
        KeepingListener* listeners[] = { nullptr, &keeping, &faulting, &counting };
        for (int r = 0; r < 4 * runs; ++r) {
            // 0 off, 1 on, 2 on with page faults, 3 on without keeping rows; which of them comes first
            // turns from round to round.
            const int mode = (r + r / 4) % 4;
            KeepingListener* const listener = listeners[mode];
            if (listener) {
                listener->rows.clear(); // keeps its capacity: what the last run of this mode touched
                listener->counted = 0;
                journal::addListener(listener);
            }
            std::mt19937_64 rng(quint64(r / 4) + 1);
            QElapsedTimer timer;
            timer.start();
            for (int i = 0; i < count; ++i) {
                const quint64 offset = rng() % (64 * kMiB);
                if (!view.editBytes(offset, QByteArray(1, char(rng()))))
                    status = 1;
            }
            std::vector<double>* samples[] = { &off, &on, &withFaults, &countingUs };
            samples[mode]->push_back(double(timer.nsecsElapsed()) / 1e3 / count);
            if (listener)
                journal::removeListener(listener);
            if (mode == 3 && listener->counted == 0) {
                std::fprintf(stderr, "journal_bench: the journal recorded nothing while on\n");
                status = 1;
            }
            if (listener && listener->keep) {
                QElapsedTimer decodeTimer;
                decodeTimer.start();
                std::size_t length = 0;
                for (const journal::Call& call : listener->rows)
                    length += call.straceLine().size();
                decodeNs.push_back(double(decodeTimer.nsecsElapsed())
                                   / double(std::max<std::size_t>(1, listener->rows.size())));
                if (length == 0)
                    status = 1;
                std::size_t editRows = 0;
                for (const journal::Call& call : listener->rows)
                    editRows += call.actionId != 0 ? 1 : 0;
                rowsPerEdit = double(editRows) / count;
                if (listener->rows.empty()) {
                    std::fprintf(stderr, "journal_bench: the journal recorded nothing while on\n");
                    status = 1;
                }
            }
            QCoreApplication::processEvents(); // untimed: repaints and queued work
            view.undoStack()->clear();
        }
        const double editOff = median(off);
        const double editOn = median(on);
        print("edit_us", editOff, "us");
        print("edit_us_journal", editOn, "us");
        print("journal_overhead_pct", (editOn / editOff - 1.0) * 100.0, "%");
        print("edit_us_journal_faults", median(withFaults), "us");
        print("journal_faults_overhead_pct", (median(withFaults) / editOff - 1.0) * 100.0, "%");
        print("edit_us_journal_counting", median(countingUs), "us");
        print("journal_record_overhead_pct", (median(countingUs) / editOff - 1.0) * 100.0, "%");
        print("decode_ns_per_row", median(decodeNs), "ns");
        print("rows_per_edit", rowsPerEdit, "rows");
    }
    {
        // The nobody-listens path against the plain system call, alternated run by run.
        const int fd = ::shm_open((address.name + "-lock").c_str(), O_RDWR | O_CREAT | O_EXCL, 0600);
        if (fd < 0) {
            std::fprintf(stderr, "journal_bench: cannot create the lock object\n");
            status = 1;
        } else {
            ::shm_unlink((address.name + "-lock").c_str());
            struct flock take = {};
            take.l_type = F_WRLCK;
            take.l_whence = SEEK_SET;
            take.l_start = 0x7ffffffffffffffe;
            take.l_len = 1;
            struct flock give = take;
            give.l_type = F_UNLCK;
            const int pairs = quick ? 20000 : 200000;
            std::vector<double> raw;
            std::vector<double> wrapped;
            for (int r = 0; r < 2 * runs; ++r) {
                const bool viaWrapper = r % 2 == 1;
                const auto start = std::chrono::steady_clock::now();
                for (int i = 0; i < pairs; ++i) {
                    if (viaWrapper) {
                        detail::sys::fcntlLock(fd, F_OFD_SETLK, &take);
                        detail::sys::fcntlLock(fd, F_OFD_SETLK, &give);
                    } else {
                        ::fcntl(fd, F_OFD_SETLK, &take);
                        ::fcntl(fd, F_OFD_SETLK, &give);
                    }
                }
                const double ns
                    = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count()
                    / pairs;
                (viaWrapper ? wrapped : raw).push_back(ns);
            }
            ::close(fd);
            print("lock_pair_ns_raw", median(raw), "ns");
            print("lock_pair_ns_off", median(wrapped), "ns");
            print("journal_off_overhead_pct", (median(wrapped) / median(raw) - 1.0) * 100.0, "%");
        }
    }
    if (!removeObject(address)) {
        std::fprintf(stderr, "journal_bench: could not remove %s\n", address.name.c_str());
        status = 1;
    }
    return status;
}
