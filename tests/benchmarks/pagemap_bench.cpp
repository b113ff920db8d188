// pagemap_bench — figures of the page map (issue 10). A program, not a timed test: it prints one line
// per figure, `name value unit`, each the median of several runs, and asserts nothing about speed.
// ctest runs it with --quick only to check that it still runs.
//
//   pagemap_bench [--quick] [--runs N]
//
// Figures:
//   pagemap_visible_ms       the page strip of a 1280x800 window (strip beside a hex view): one refresh
//                            (this view's pages in the strip's window, the other view's pages in it, the
//                            whole-view summary) and a synchronous repaint; a 64 MiB posix: object with
//                            every 3rd page written and a copy-on-write view of it in the same process
//   pagemap_64g_ms           summarisePages() of a shared view of a 64 GiB sparse posix: object with 1% of
//                            its pages written, spread evenly (every 100th page; --quick: every 10,000th),
//                            as the core does it: PAGEMAP_SCAN (Linux 6.7+; "unsupported" otherwise) on
//                            min(hardware threads, 4) threads
// and, measured side by side with it (each round runs every alternative once, in an order that rotates
// from round to round; medians over the rounds; the CPU time of each, all threads, goes to stderr):
//   pagemap_64g_scan_Nt_ms   the scan on N = 1, 2, 4 threads (disjoint runs of whole page tables)
//   pagemap_64g_scan_file_1t_ms, _scan_file_ms
//                            the scan of the same view described as private ("rw-p"), which asks for
//                            PAGE_IS_FILE: a struct page lookup per present page. What a copy-on-write
//                            view costs, and (one thread) what every view cost before
//   pagemap_64g_read_ms      the pagemap reads (the path of Linux < 6.7, Debian 12's 6.1), threads as the
//                            core chooses; pagemap_64g_read_Nt_ms on N = 1, 2, 4 threads
//   pagemap_64g_rawread_16ki_ms, _rawread_64ki_ms, _rawread_1mi_ms
//                            the kernel's share of the reads: pread of the range in chunks of 16 Ki, 64 Ki
//                            (the core's) or 1 Mi entries, one thread, counting bit 63 only
//   pagemap_64g_smaps_ms     the view's Rss in /proc/self/smaps (present pages of the whole VMA; no
//                            soft-dirty count, no sub-range), which walks the same page tables
//   pagemap_64g_scan_speedup read / scan (the core's choices)
//   pagemap_64g_seekdata_ms  not used by the core, and timed on its own (slow): the object's data extents
//                            (lseek SEEK_DATA/SEEK_HOLE on the tmpfs object: a hole cannot be present in a
//                            shared view), then the pagemap entries of each extent only
//   pagemap_64g_clustered_*  the same with the 1% written as runs of 64 pages (one run every 6,400)
//   views_scan_ms            findObjectViews(): every /proc/PID/maps of the machine read once
// Each alternative's count of present pages is checked against the pages written before it is timed.
// The load average before and after goes to stderr. The sparse object is removed when the bench ends or
// is interrupted (SIGINT, SIGTERM, SIGHUP, SIGQUIT). Figures and what they mean: core/README.md ("The
// page map's whole-object summary").
#include "benchsupport.h"
#include "core/mapping.h"
#include "core/pagemap.h"
#include "widgets/hexview.h"
#include "widgets/mappingbytesource.h"
#include "widgets/pagemapmodel.h"
#include "widgets/pagestrip.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QHBoxLayout>
#include <QTest>
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <functional>
#include <memory>
#include <string>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>
#include <vector>

using namespace shmscope;
using shmscope::bench::median;
using shmscope::bench::print;

namespace {

constexpr quint64 kGiB = quint64(1) << 30;

double timeMs(int runs, const std::function<void()>& body)
{
    std::vector<double> samples;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer timer;
        timer.start();
        body();
        samples.push_back(double(timer.nsecsElapsed()) / 1e6);
    }
    return median(samples);
}

std::string objectName(const char* tag)
{
    return "/shmscope-test-" + std::to_string(::getpid()) + "-bench-" + tag;
}

// The 64 GiB object in /dev/shm is removed when the bench is interrupted too (Ctrl+C, kill, a closed
// terminal): the handler unlinks its path (unlink is async-signal-safe) and exits. Armed only while an
// object this bench made exists (MadeObject), so it never unlinks anything else.
char g_removeOnSignal[128];
volatile std::sig_atomic_t g_armed = 0;

extern "C" void removeAndExit(int signal)
{
    if (g_armed)
        ::unlink(g_removeOnSignal);
    ::_exit(128 + signal);
}

// An object this bench has just made (exclusively: O_EXCL, or createMapping's exclusive create):
// removed at the end of the scope, or by the signal handler while it exists.
class MadeObject
{
public:
    explicit MadeObject(Address address)
        : m_address(std::move(address))
    {
        static const bool installed = [] {
            for (int signal : { SIGINT, SIGTERM, SIGHUP, SIGQUIT })
                std::signal(signal, removeAndExit);
            return true;
        }();
        (void)installed;
        g_armed = 0;
        std::snprintf(g_removeOnSignal, sizeof g_removeOnSignal, "/dev/shm%s", m_address.name.c_str());
        g_armed = 1;
    }
    ~MadeObject()
    {
        g_armed = 0;
        (void)removeObject(m_address);
    }
    MadeObject(const MadeObject&) = delete;
    MadeObject& operator=(const MadeObject&) = delete;

private:
    Address m_address;
};

// This process's CPU time so far (user + system, all threads) in ms.
double cpuMs()
{
    rusage usage {};
    ::getrusage(RUSAGE_SELF, &usage);
    const auto ms = [](const timeval& t) { return double(t.tv_sec) * 1e3 + double(t.tv_usec) / 1e3; };
    return ms(usage.ru_utime) + ms(usage.ru_stime);
}

void printLoad(const char* when)
{
    char load[128] = {};
    if (std::FILE* file = std::fopen("/proc/loadavg", "re")) {
        if (!std::fgets(load, sizeof load, file))
            load[0] = 0;
        std::fclose(file);
    }
    load[std::strcspn(load, "\n")] = 0;
    std::fprintf(stderr, "# load average %s: %s\n", when, load);
}

// The machine's busy CPU time so far in ms, all processes (the first line of /proc/stat: user, nice,
// system, irq, softirq, steal; idle and iowait left out), to tell how much of the machine others used.
double machineBusyMs()
{
    unsigned long long user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
    if (std::FILE* file = std::fopen("/proc/stat", "re")) {
        if (std::fscanf(file, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &user, &nice, &system, &idle, &iowait,
                        &irq, &softirq, &steal)
            != 8)
            user = nice = system = irq = softirq = steal = 0;
        std::fclose(file);
    }
    return double(user + nice + system + irq + softirq + steal) * 1e3 / double(::sysconf(_SC_CLK_TCK));
}

// One way to count the present pages of the 64 GiB view, with its samples.
struct Alternative {
    std::string name;
    std::function<quint64()> run; // returns the present pages it counted
    std::vector<double> wallMs;
    std::vector<double> cpuMs;
};

// Runs every alternative once per round, `rounds` times, starting each round one alternative further
// on, so that a change of the machine's load during the run falls on all of them alike.
void timeSideBySide(int rounds, std::vector<Alternative>& alternatives)
{
    for (int round = 0; round < rounds; ++round) {
        for (std::size_t i = 0; i < alternatives.size(); ++i) {
            Alternative& alternative = alternatives[(i + std::size_t(round)) % alternatives.size()];
            QElapsedTimer timer;
            const double cpuBefore = cpuMs();
            timer.start();
            (void)alternative.run();
            alternative.wallMs.push_back(double(timer.nsecsElapsed()) / 1e6);
            alternative.cpuMs.push_back(cpuMs() - cpuBefore);
        }
    }
}

} // namespace

int main(int argc, char* argv[])
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
            std::fprintf(stderr, "usage: pagemap_bench [--quick] [--runs N]\n");
            return 2;
        }
    }
    const quint64 page = quint64(::sysconf(_SC_PAGESIZE));

    // ---- the strip of a 1280x800 window --------------------------------------------------------------
    {
        const Address address { Kind::Posix, objectName("strip"), 0 };
        Result<Created> created = createMapping(address, CreateOptions { 64 << 20, 0600, true });
        if (!created) {
            std::fprintf(stderr, "pagemap_bench: %s\n", created.error().message().c_str());
            return 1;
        }
        const MadeObject made(address);
        Result<std::unique_ptr<Mapping>> cow = attachMapping(address, Access::CopyOnWrite);
        if (!cow) {
            std::fprintf(stderr, "pagemap_bench: %s\n", cow.error().message().c_str());
            return 1;
        }
        MappingByteSource source(std::move(created->mapping));
        for (quint64 offset = 0; offset < source.size(); offset += 3 * page)
            source.write(offset, QByteArray("w"));
        for (quint64 offset = 0; offset < source.size(); offset += 7 * page)
            (void)(*cow)->write(offset, "c", 1);
        QWidget window;
        auto* layout = new QHBoxLayout(&window);
        auto* strip = new PageStrip;
        auto* hex = new HexView;
        layout->addWidget(strip);
        layout->addWidget(hex, 1);
        hex->setSource(&source);
        strip->setHexView(hex);
        strip->setSource(&source);
        window.resize(1280, 800);
        window.show();
        if (!QTest::qWaitForWindowExposed(&window)) {
            std::fprintf(stderr, "pagemap_bench: the window was not exposed\n");
            return 1;
        }
        strip->model()->refresh(true);
        std::fprintf(stderr, "# strip %dx%d: %zu pages exact, %zu other view(s)\n", strip->width(), strip->height(),
                     strip->model()->pages().pages.size(), strip->model()->peers().size());
        print("pagemap_visible_ms",
              timeMs(runs,
                     [&] {
                         strip->refreshNow();
                         strip->repaint();
                     }),
              "ms");
    }

    // ---- 64 GiB sparse, 1% written ---------------------------------------------------------------------
    // Spread evenly (one page in every 100: every page table of the object exists, so the kernel walks all
    // 16.7 million entries whatever the interface) and clustered (runs of 64 pages, one run in every 6,400
    // pages: the walk skips the empty page tables). --quick: a hundredth of that.
    printLoad("before the 64 GiB figures");
    const auto run64 = [&](const char* tag, quint64 runPages, quint64 stride) -> bool {
        const std::string name = objectName(tag);
        // Made by hand: createMapping() reserves the whole size (posix_fallocate), which a sparse object
        // must not.
        const int fd = ::shm_open(name.c_str(), O_RDWR | O_CREAT | O_EXCL, 0600);
        if (fd < 0) {
            std::fprintf(stderr, "pagemap_bench: cannot make the sparse object %s\n", name.c_str());
            return false;
        }
        const Address address { Kind::Posix, name, 0 };
        const MadeObject made(address); // ours: O_EXCL made it
        const bool sized = ::ftruncate(fd, off_t(64 * kGiB)) == 0;
        ::close(fd);
        if (!sized) {
            std::fprintf(stderr, "pagemap_bench: cannot size the sparse object %s\n", name.c_str());
            return false;
        }
        Result<std::unique_ptr<Mapping>> mapping = attachMapping(address, Access::ReadWrite);
        if (!mapping) {
            std::fprintf(stderr, "pagemap_bench: %s\n", mapping.error().message().c_str());
            return false;
        }
        const quint64 size = (*mapping)->size();
        quint64 written = 0;
        for (quint64 offset = 0; offset < size; offset += stride * page) {
            for (quint64 i = 0; i < runPages && offset + i * page < size; ++i, ++written)
                (void)(*mapping)->write(offset + i * page, "x", 1);
        }
        std::fprintf(stderr, "# 64 GiB %s: %llu pages written (%.3f%%)\n", tag,
                     static_cast<unsigned long long>(written), 100.0 * double(written) / double(size / page));
        const std::string prefix = std::string("pagemap_64g") + (std::strcmp(tag, "even") == 0 ? "" : "_clustered");
        const int object = ::shm_open(name.c_str(), O_RDONLY, 0);
        const int pagemap = ::open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
        Result<ProcessView> view = ownView(**mapping);
        if (object < 0 || pagemap < 0 || !view) {
            std::fprintf(stderr, "pagemap_bench: cannot open %s again, /proc/self/pagemap, or find its view\n",
                         name.c_str());
            return false;
        }
        struct Close {
            int a;
            int b;
            ~Close()
            {
                ::close(a);
                ::close(b);
            }
        } closeBoth { object, pagemap };

        // The alternatives, each returning the present pages it counted, timed side by side: one round
        // runs each once (in an order that rotates from round to round), the medians are over rounds.
        std::vector<Alternative> alternatives;
        const auto add = [&](std::string name, std::function<quint64()> run) {
            alternatives.push_back(Alternative { std::move(name), std::move(run), {}, {} });
        };
        const auto summary = [&](ScanMethod method, unsigned threads, const ProcessView* as = nullptr) {
            return [&, method, threads, as]() -> quint64 {
                Result<PageSummary> counted = as ? summarisePages(*as, 0, size, method, threads)
                                                 : summarisePages(**mapping, 0, size, method, threads);
                return counted ? counted->present : 0;
            };
        };
        const bool scan = pageMapFeatures().pagemapScan;
        if (scan) {
            add(prefix + "_ms", summary(ScanMethod::Scan, 0));
            for (unsigned threads : { 1u, 2u, 4u })
                add(prefix + "_scan_" + std::to_string(threads) + "t_ms", summary(ScanMethod::Scan, threads));
        } else {
            std::printf("%s_ms unsupported (no PAGEMAP_SCAN: Linux 6.7+)\n", prefix.c_str());
        }
        // The same view described as private ("rw-p"): the scan then asks for PAGE_IS_FILE, a struct
        // page lookup per present page — what a copy-on-write view costs, and what every view cost
        // before (one thread).
        ProcessView asPrivate = *view;
        asPrivate.perms = "rw-p";
        if (scan) {
            add(prefix + "_scan_file_1t_ms", summary(ScanMethod::Scan, 1, &asPrivate));
            add(prefix + "_scan_file_ms", summary(ScanMethod::Scan, 0, &asPrivate));
        }
        add(prefix + "_read_ms", summary(ScanMethod::Read, 0));
        for (unsigned threads : { 1u, 2u, 4u })
            add(prefix + "_read_" + std::to_string(threads) + "t_ms", summary(ScanMethod::Read, threads));
        // The kernel's share of the reads: pread of the whole range in chunks of 16 Ki entries (128 KiB),
        // 64 Ki (the core's) or 1 Mi (8 MiB), one thread, counting bit 63 only.
        const auto rawRead = [&, size](std::size_t chunk) {
            return [&, size, chunk]() -> quint64 {
                std::vector<quint64> entries(chunk);
                quint64 present = 0;
                const quint64 first = view->start / page;
                for (quint64 at = 0; at < size / page;) {
                    const quint64 n = std::min<quint64>(chunk, size / page - at);
                    if (::pread(pagemap, entries.data(), n * 8, off_t((first + at) * 8)) != ssize_t(n * 8))
                        return 0;
                    for (quint64 i = 0; i < n; ++i)
                        present += entries[i] >> 63;
                    at += n;
                }
                return present;
            };
        };
        add(prefix + "_rawread_16ki_ms", rawRead(16 * 1024));
        add(prefix + "_rawread_64ki_ms", rawRead(64 * 1024));
        add(prefix + "_rawread_1mi_ms", rawRead(1024 * 1024));
        // The view's Rss in /proc/self/smaps (present pages of the whole VMA; no soft-dirty count, no
        // sub-range), which walks the same page tables.
        add(prefix + "_smaps_ms", [&]() -> quint64 {
            std::FILE* file = std::fopen("/proc/self/smaps", "re");
            char line[512];
            char head[32];
            std::snprintf(head, sizeof head, "%llx-", static_cast<unsigned long long>(view->start));
            bool inView = false;
            quint64 rssKiB = 0;
            while (file && std::fgets(line, sizeof line, file)) {
                if (!inView) {
                    inView = std::strncmp(line, head, std::strlen(head)) == 0;
                } else if (std::strncmp(line, "Rss:", 4) == 0) {
                    rssKiB = std::strtoull(line + 4, nullptr, 10);
                    break;
                }
            }
            if (file)
                std::fclose(file);
            return rssKiB * 1024 / page;
        });
        for (Alternative& alternative : alternatives) {
            const quint64 counted = alternative.run();
            if (counted != written) {
                std::fprintf(stderr, "pagemap_bench: %s counted %llu present pages, not %llu\n",
                             alternative.name.c_str(), static_cast<unsigned long long>(counted),
                             static_cast<unsigned long long>(written));
                return false;
            }
        }
        QElapsedTimer section;
        section.start();
        const double busyBefore = machineBusyMs();
        const double ownBefore = cpuMs();
        timeSideBySide(runs, alternatives);
        const double sectionMs = double(section.nsecsElapsed()) / 1e6;
        std::fprintf(stderr, "# %s: while timed, other processes used %.0f %% of one core, this one %.0f %%\n", tag,
                     100.0 * (machineBusyMs() - busyBefore - (cpuMs() - ownBefore)) / sectionMs,
                     100.0 * (cpuMs() - ownBefore) / sectionMs);
        for (const Alternative& alternative : alternatives)
            print(alternative.name.c_str(), median(alternative.wallMs), "ms");
        for (const Alternative& alternative : alternatives)
            std::fprintf(stderr, "# %s: median CPU time %.1f ms (user + system, all threads)\n",
                         alternative.name.c_str(), median(alternative.cpuMs));
        const auto medianOf = [&](const std::string& name) {
            const auto found = std::find_if(alternatives.begin(), alternatives.end(),
                                            [&](const Alternative& a) { return a.name == name; });
            return found == alternatives.end() ? 0.0 : median(found->wallMs);
        };
        if (scan)
            print((prefix + "_scan_speedup").c_str(), medianOf(prefix + "_read_ms") / medianOf(prefix + "_ms"), "x");

        // Not used by the core: the object's data extents (lseek SEEK_DATA/SEEK_HOLE on the tmpfs object:
        // a hole cannot be present in a shared view), then the pagemap entries of each extent only,
        // read through one descriptor (what Linux < 6.7 could do instead of reading every entry). Exact
        // for a shared view of a tmpfs object only (a private copy can outlive its page, a file's hole
        // can be mapped); two lseek per extent, each a walk of shmem's page cache. Timed on its own,
        // max(1, runs / 5) times (the even spread takes seconds).
        const auto byExtents = [&] {
            std::vector<quint64> entries(64 * 1024);
            quint64 present = 0;
            for (off_t at = 0;;) {
                const off_t data = ::lseek(object, at, SEEK_DATA);
                if (data < 0)
                    break; // ENXIO: no data after `at`
                const off_t hole = ::lseek(object, data, SEEK_HOLE);
                const quint64 first = (view->start + quint64(data)) / page;
                const quint64 pages = quint64(hole - data) / page;
                for (quint64 done = 0; done < pages;) {
                    const quint64 n = std::min<quint64>(entries.size(), pages - done);
                    if (::pread(pagemap, entries.data(), n * 8, off_t((first + done) * 8)) != ssize_t(n * 8))
                        return quint64(0);
                    for (quint64 i = 0; i < n; ++i)
                        present += entries[i] >> 63;
                    done += n;
                }
                at = hole;
            }
            return present;
        };
        if (const quint64 extentsCount = byExtents(); extentsCount != written)
            std::fprintf(stderr, "# %s: extents counted %llu (written %llu)\n", tag,
                         static_cast<unsigned long long>(extentsCount), static_cast<unsigned long long>(written));
        print((prefix + "_seekdata_ms").c_str(), timeMs(std::max(1, runs / 5), [&] { (void)byExtents(); }), "ms");
        if (std::strcmp(tag, "even") == 0)
            print("views_scan_ms", timeMs(runs, [&] { (void)findObjectViews(**mapping); }), "ms");
        return true;
    };
    if (!run64("even", 1, quick ? 10000 : 100) || !run64("clustered", 64, quick ? 640000 : 6400))
        return 1;
    printLoad("after the 64 GiB figures");
    return 0;
}
