// journal_bench — what the native-call journal (core/journal.h, issue 10) costs a hex-view edit. A
// program, not a timed test: it prints `name value unit` lines, medians, and asserts nothing about
// speed. ctest runs it with --quick only to check that it still runs.
//
//   journal_bench [--quick] [--runs N]
//
// Figures, measured side by side in one run (the runs rotate off, dock, dock with faults, counting
// over the same view, the first of each round turning, so that drift and cache state hit all alike;
// every page of the view is touched before, so that no mode takes first-touch page faults the others
// do not). Each run makes its edits in groups of 10; only the groups are timed, and between them the
// event loop turns (untimed), as it does between a user's edits:
//   edit_us               HexView::editBytes of one byte at a random offset of a 64 MiB posix: mapping
//                         (the lock, the store, the unlock, the undo command), journal off: nobody
//                         listens, each wrapped call costs one relaxed atomic load
//   edit_us_journal       the same with the "Native calls" dock's model listening (NativeCallsModel,
//                         the GUI's own listener: it takes each action's rows at the action's end and
//                         keeps them raw; formatted only when shown). The core's whole cost of
//                         recording an edit: clocks, raw values, the hand-over to the model
//   journal_overhead_pct  (edit_us_journal / edit_us - 1) × 100 per round (the two runs of one round,
//                         made within a fraction of a second), the median over the rounds (goal ≤ 3 %).
//                         A ratio of the two medians moved by ±5 % from one invocation to the next on
//                         this shared machine, while the paired ratios hold still
//   dock_add_us           per edit, what the model then does on the GUI thread between the groups:
//                         adding the rows to its table (NativeCallsModel::flushPending; not in
//                         edit_us_journal, shown here so that nothing is hidden)
//   edit_us_journal_faults  the same as edit_us_journal with the dock's "Page faults" box on (a
//                         getrusage(RUSAGE_THREAD) pair per action; --trace asks for them too)
//   journal_faults_overhead_pct  (edit_us_journal_faults / edit_us - 1) × 100, paired the same way
//   edit_us_journal_counting  the same with a listener that only counts the rows (keeps none): the
//                         recording alone, without the hand-over
//   journal_record_overhead_pct  (edit_us_journal_counting / edit_us - 1) × 100, paired the same way
//   decode_ns_per_row     the dock's line of one kept row (LineRole: decoded the first time, as strace
//                         prints it): what showing a row costs
//   rows_per_edit         journal rows per edit while on (lock, store, unlock and what they bring)
//   lock_pair_ns_raw      an OFD lock and unlock (two fcntl) made directly, and
//   lock_pair_ns_off      the same through the journal's wrappers with nobody listening (one relaxed
//                         atomic load each), alternated in one run; journal_off_overhead_pct compares them
//                         pair by pair (median): the cost of the journal when nobody listens
#include "app/gui/nativecallsmodel.h"
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

// Counts the rows of user actions (keeps none), taking them at each action's end as the dock does.
class CountingListener : public journal::Listener
{
public:
    void callRecorded(journal::Call&& call) override { callsRecorded(std::span<journal::Call>(&call, 1)); }
    void callsRecorded(std::span<journal::Call> calls) override
    {
        std::lock_guard lock(m_mutex);
        for (const journal::Call& call : calls)
            editRows += call.actionId != 0 ? 1 : 0;
    }
    bool takesCallsAtActionEnd() const override { return true; }
    std::size_t editRows = 0;

private:
    std::mutex m_mutex;
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
        constexpr int kGroup = 10;
        std::vector<double> off;
        std::vector<double> on;
        std::vector<double> withFaults;
        std::vector<double> countingUs;
        std::vector<double> addUs;
        std::vector<double> decodeNs;
        double rowsPerEdit = 0;
        double round[4] = {};
        std::vector<double> onPct;
        std::vector<double> faultsPct;
        std::vector<double> countingPct;
        // One model for all runs, as the GUI has one: it keeps at most maxRows() rows, so after the
        // first runs its memory is reused (the median is the steady state).
        NativeCallsModel dock;
        for (int r = 0; r < 4 * runs; ++r) {
            // 0 off, 1 the dock, 2 the dock with page faults, 3 counting; which of them comes first
            // turns from round to round.
            const int mode = (r + r / 4) % 4;
            CountingListener counting;
            if (mode == 1 || mode == 2) {
                dock.setCountPageFaults(mode == 2);
                dock.setListening(true);
            } else if (mode == 3) {
                journal::addListener(&counting);
            }
            std::mt19937_64 rng(quint64(r / 4) + 1);
            QElapsedTimer timer;
            qint64 editNs = 0;
            qint64 addNs = 0;
            for (int i = 0; i < count; i += kGroup) {
                timer.start();
                for (int j = 0; j < kGroup; ++j) {
                    const quint64 offset = rng() % (64 * kMiB);
                    if (!view.editBytes(offset, QByteArray(1, char(rng()))))
                        status = 1;
                }
                editNs += timer.nsecsElapsed();
                timer.start();
                dock.flushPending(); // what the model's timer does while the event loop turns
                addNs += timer.nsecsElapsed();
                QCoreApplication::processEvents(); // untimed: repaints and queued work
            }
            std::vector<double>* samples[] = { &off, &on, &withFaults, &countingUs };
            samples[mode]->push_back(double(editNs) / 1e3 / count);
            round[mode] = double(editNs) / 1e3 / count;
            if (r % 4 == 3) {
                // The round is complete: each mode against the run without the journal next to it.
                onPct.push_back((round[1] / round[0] - 1.0) * 100.0);
                faultsPct.push_back((round[2] / round[0] - 1.0) * 100.0);
                countingPct.push_back((round[3] / round[0] - 1.0) * 100.0);
            }
            if (mode == 1 || mode == 2) {
                addUs.push_back(double(addNs) / 1e3 / count);
                dock.setListening(false);
                QElapsedTimer decodeTimer;
                decodeTimer.start();
                qint64 length = 0;
                int rows = 0;
                for (int row = std::max(0, dock.rowCount() - 3 * count); row < dock.rowCount(); ++row) {
                    const QModelIndex index = dock.index(row, 0);
                    if (index.data(NativeCallsModel::IsActionRole).toBool())
                        continue;
                    length += index.data(NativeCallsModel::LineRole).toString().size();
                    ++rows;
                }
                decodeNs.push_back(double(decodeTimer.nsecsElapsed()) / double(std::max(1, rows)));
                if (length == 0 || rows == 0) {
                    std::fprintf(stderr, "journal_bench: the dock showed nothing while on\n");
                    status = 1;
                }
            } else if (mode == 3) {
                journal::removeListener(&counting);
                rowsPerEdit = double(counting.editRows) / count;
                if (counting.editRows == 0) {
                    std::fprintf(stderr, "journal_bench: the journal recorded nothing while on\n");
                    status = 1;
                }
            }
            QCoreApplication::processEvents();
            view.undoStack()->clear();
        }
        const double editOff = median(off);
        const double editOn = median(on);
        print("edit_us", editOff, "us");
        print("edit_us_journal", editOn, "us");
        print("journal_overhead_pct", median(onPct), "%");
        print("dock_add_us", median(addUs), "us");
        print("edit_us_journal_faults", median(withFaults), "us");
        print("journal_faults_overhead_pct", median(faultsPct), "%");
        print("edit_us_journal_counting", median(countingUs), "us");
        print("journal_record_overhead_pct", median(countingPct), "%");
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
            std::vector<double> offPct; // each wrapped run against the raw run before it
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
                if (viaWrapper)
                    offPct.push_back((wrapped.back() / raw.back() - 1.0) * 100.0);
            }
            ::close(fd);
            print("lock_pair_ns_raw", median(raw), "ns");
            print("lock_pair_ns_off", median(wrapped), "ns");
            print("journal_off_overhead_pct", median(offPct), "%");
        }
    }
    if (!removeObject(address)) {
        std::fprintf(stderr, "journal_bench: could not remove %s\n", address.name.c_str());
        status = 1;
    }
    return status;
}
