// hexview_bench — figures of the hex view over real mappings (issue 3, "Benchmark"). A program, not a
// timed test: it prints one line per figure, `name value unit`, each the median of several runs, and
// asserts nothing about speed. ctest runs it with --quick only to check that it still runs.
//
//   hexview_bench [--quick] [--runs N]
//
// Figures:
//   paint_page_ms_1280x800  full synchronous repaint (QWidget::repaint) of a 1280x800 viewport showing a
//                           1 MiB posix: mapping through MappingByteSource, offscreen platform
//   paint_page_ms_with_overlay  the same repaint with field colours (HexView::setFieldOverlay): the page
//                           covered by 4-byte fields, each its own translucent colour, from a TestFieldOverlay
//                           (sorted vector, binary search); runs alternate with paint_page_ms_1280x800's
//   overlay_paint_ratio     the median over those pairs of runs of with_overlay / without (issue 11's goal:
//                           <= 1.3); neighbouring runs see the same load of a shared machine
//   paint_page_ms_64g       the same at the last page of a 64 GiB sparse file: mapping (/var/tmp)
//   paint_page_ms_dpr2      the same as the first, rendered into a device-pixel-ratio-2 image
//   scroll_pages_per_s      1,000 successive page moves (scrollToRow) over the 1 MiB mapping, each repainted
//   live_cycle_ms           pollNow() + the dirty repaint it causes, on a full page that another thread
//                           (its own view of the object) keeps rewriting, 10% of the page's bytes a pass
//   edit_us, undo_us        10,000 single-byte edits (HexView::editBytes) scattered over a 64 MiB posix:
//                           mapping, then 10,000 undos; every byte is verified restored (else exit 1)
//   attach_ms_64g           attachMapping + MappingByteSource + setSource + Ctrl+End + first paint, 64 GiB
//   rss_mib_1m, rss_mib_64g resident set of this process while it shows the 1 MiB and then the 64 GiB mapping
//   scan_gb_per_s           one pass of the changes overview's scan (ChangeScanner::hashBlocks: the source's data
//                           extents, then MappingByteSource::hash per block = Mapping::hash, XXH3 in place over
//                           the view under the SIGBUS guard, no copy) over a 256 MiB posix: mapping (all data:
//                           made with posix_fallocate), 64 KiB blocks; GB (1e9 bytes) of the mapping a second
//   memcmp_gb_per_s         in the same run: memcmp of two 256 MiB heap copies of the same bytes, 64 KiB at a
//                           time (the cost of the "compare with a previous copy" design), GB of one side a second
#include "benchsupport.h"
#include "core/address.h"
#include "core/mapping.h"
#include "tests/widgets/testfieldoverlay.h"
#include "widgets/changescanner.h"
#include "widgets/hexview.h"
#include "widgets/mappingbytesource.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QImage>
#include <QPainter>
#include <QScrollBar>
#include <QTest>
#include <QUndoStack>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace shmscope;
using shmscope::bench::median;
using shmscope::bench::print;

namespace {

constexpr quint64 kMiB = quint64(1) << 20;
constexpr quint64 k64GiB = quint64(64) << 30;
constexpr size_t kCompareChunk = size_t(64) << 10; // memcmp_gb_per_s compares 64 KiB at a time

struct Options {
    bool quick = false;
    int runs = 7;
};

// Resident set size of this process in MiB (/proc/self/statm, field 2, pages).
double rssMiB()
{
    FILE* f = std::fopen("/proc/self/statm", "r");
    if (!f)
        return -1;
    unsigned long size = 0;
    unsigned long resident = 0;
    const int got = std::fscanf(f, "%lu %lu", &size, &resident);
    std::fclose(f);
    return got == 2 ? double(resident) * double(sysconf(_SC_PAGESIZE)) / double(kMiB) : -1;
}

// Bytes that look like real data: a mix of zeros, printable text and binary, the same every run.
QByteArray samplePattern(qsizetype length)
{
    QByteArray bytes(length, '\0');
    std::mt19937 rng(20261123);
    for (qsizetype i = 0; i < length; ++i) {
        const unsigned r = rng();
        const unsigned kind = r % 4;
        bytes[i] = kind == 0 ? '\0' : kind == 1 ? char(0x20 + (r >> 8) % 95) : char(r >> 16);
    }
    return bytes;
}

// Milliseconds per call of `body`, the median over `runs` runs of `perRun` calls.
double medianMs(int runs, int perRun, const std::function<void()>& body)
{
    std::vector<double> samples;
    for (int r = 0; r < runs; ++r) {
        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i < perRun; ++i)
            body();
        samples.push_back(double(timer.nsecsElapsed()) / 1e6 / perRun);
    }
    return median(samples);
}

// Every object the benchmark makes, removed at exit: also after attachOrDie's std::exit.
std::vector<Address>& benchObjects()
{
    static std::vector<Address> objects;
    return objects;
}

void removeBenchObjects()
{
    for (const Address& address : benchObjects())
        (void)removeObject(address);
}

// `address`, to be removed at exit.
Address removedAtExit(Kind kind, std::string name)
{
    Address address;
    address.kind = kind;
    address.name = std::move(name);
    benchObjects().push_back(address);
    return address;
}

std::unique_ptr<Mapping> attachOrDie(const Address& address, Access access)
{
    Result<std::unique_ptr<Mapping>> attached = attachMapping(address, access);
    if (!attached) {
        std::fprintf(stderr, "hexview_bench: %s\n", attached.error().message().c_str());
        std::exit(1);
    }
    return std::move(*attached);
}

} // namespace

int main(int argc, char** argv)
{
    // Offscreen unless the caller chose a platform: the figures are about our painting, not a display.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);

    Options options;
    const QStringList args = app.arguments();
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--quick")) {
            options.quick = true;
            options.runs = 3;
        } else if (args[i] == QLatin1String("--runs") && i + 1 < args.size()) {
            options.runs = std::max(1, args[++i].toInt());
        } else {
            std::fprintf(stderr, "usage: hexview_bench [--quick] [--runs N]\n");
            return 2;
        }
    }
    const int paintsPerRun = options.quick ? 5 : 200;
    const int scrollMoves = options.quick ? 50 : 1000;
    const int liveCycles = options.quick ? 10 : 300;

    // The test suite's prefix (tests/core/testsupport.h), so that a leftover is found.
    const std::string tag = "shmscope-test-" + std::to_string(QCoreApplication::applicationPid()) + "-bench";
    benchObjects(); // made before the handler is registered, so that it outlives the handler
    std::atexit(removeBenchObjects);
    const Address smallAddress = removedAtExit(Kind::Posix, "/" + tag + "-1");
    const Address bigAddress = removedAtExit(Kind::File, "/var/tmp/" + tag + "-64g.dat");

    int status = 0;
    {
        // ---- 1 MiB posix: mapping ------------------------------------------------------------------
        CreateOptions create;
        create.size = kMiB;
        Result<Created> created = createMapping(smallAddress, create, Access::ReadWrite);
        if (!created) {
            std::fprintf(stderr, "hexview_bench: %s\n", created.error().message().c_str());
            return 1;
        }
        MappingByteSource small(std::move(created->mapping));
        const QByteArray pattern = samplePattern(qsizetype(kMiB));
        if (!small.write(0, pattern)) {
            std::fprintf(stderr, "hexview_bench: %s\n", qPrintable(small.errorString()));
            status = 1;
        }

        HexView view;
        view.setPollInterval(0); // only the benchmark reads
        view.setScanPaused(true); // the changes overview's worker would compete for the CPU
        view.setSource(&small);
        view.show();
        view.resize(view.size() + QSize(1280, 800) - view.viewport()->size()); // viewport exactly 1280x800
        if (!QTest::qWaitForWindowExposed(&view))
            std::fprintf(stderr, "hexview_bench: the window was not exposed\n");
        view.setFocus();
        QCoreApplication::processEvents();
        view.setCursorOffset(0x123);
        QWidget* viewport = view.viewport();
        std::fprintf(stderr, "# viewport %dx%d, %d rows, Qt %s, platform %s\n", viewport->width(), viewport->height(),
                     view.visibleRowCount(), qVersion(), qPrintable(QGuiApplication::platformName()));

        {
            // The page without and with field colours, in alternating runs of the same run (so that both see
            // the same machine load): 4-byte fields over the whole object, each its own colour, found by
            // binary search in a sorted vector as a provider over a decoded layout would.
            TestFieldOverlay overlay;
            std::vector<FieldSpan> spans = TestFieldOverlay::tiles(0, 4, size_t(kMiB / 4), { QColor() });
            for (size_t i = 0; i < spans.size(); ++i)
                spans[i].colour = QColor::fromHsvF(float(std::fmod(double(i) * 0.618034, 1.0)), 0.6F, 0.95F, 0.3F);
            overlay.setSpans(std::move(spans));
            std::vector<double> plain;
            std::vector<double> coloured;
            std::vector<double> ratios; // of each pair of neighbouring runs
            viewport->repaint(); // warm caches
            // Short alternating runs (a tenth of the others', ten times as many): the load of a shared
            // machine changes over seconds, and both figures must see the same.
            const int paintsPerPair = std::max(1, paintsPerRun / 10);
            for (int r = 0; r < options.runs * 10; ++r) {
                view.setFieldOverlay(nullptr);
                plain.push_back(medianMs(1, paintsPerPair, [&] { viewport->repaint(); }));
                view.setFieldOverlay(&overlay);
                coloured.push_back(medianMs(1, paintsPerPair, [&] { viewport->repaint(); }));
                ratios.push_back(plain.back() > 0 ? coloured.back() / plain.back() : 0);
            }
            view.setFieldOverlay(nullptr);
            const double plainMs = median(plain);
            const double colouredMs = median(coloured);
            print("paint_page_ms_1280x800", plainMs, "ms");
            print("paint_page_ms_with_overlay", colouredMs, "ms");
            print("overlay_paint_ratio", median(ratios), "x");
        }

        {
            QImage image(viewport->size() * 2, QImage::Format_ARGB32_Premultiplied);
            image.setDevicePixelRatio(2);
            viewport->render(&image);
            print("paint_page_ms_dpr2", medianMs(options.runs, paintsPerRun, [&] { viewport->render(&image); }), "ms");
        }

        {
            const quint64 page = quint64(std::max(1, view.visibleRowCount() - 1));
            std::vector<double> rates;
            for (int r = 0; r < options.runs; ++r) {
                view.scrollToRow(0);
                QElapsedTimer timer;
                timer.start();
                for (int i = 0; i < scrollMoves; ++i) {
                    view.scrollToRow(view.firstVisibleRow() + page);
                    viewport->repaint();
                }
                rates.push_back(scrollMoves / (double(timer.nsecsElapsed()) / 1e9));
            }
            print("scroll_pages_per_s", median(rates), "pages/s");
        }

        {
            // The writer has a view of its own (as another process would) and rewrites 10% of the bytes
            // of the visible page each pass, at random places, with new values.
            view.scrollToRow(0);
            view.setHighlightDuration(1000);
            QCoreApplication::processEvents();
            const quint64 pageBytes = quint64(view.visibleRowCount()) * HexView::kBytesPerRow;
            std::unique_ptr<Mapping> writerView = attachOrDie(smallAddress, Access::ReadWrite);
            std::atomic<bool> stop { false };
            std::atomic<int> passes { 0 };
            std::atomic<bool> writeFailed { false };
            std::thread writer([&] {
                std::mt19937 rng(7);
                std::vector<quint64> offsets(pageBytes / 10);
                while (!stop.load()) {
                    for (quint64& o : offsets)
                        o = rng() % pageBytes;
                    for (quint64 o : offsets) {
                        const char value = char(rng());
                        if (!writerView->write(o, &value, 1))
                            writeFailed.store(true);
                    }
                    passes.fetch_add(1);
                    std::this_thread::sleep_for(std::chrono::microseconds(200));
                }
            });
            // Each measured cycle starts after at least one more full pass of the writer (the wait is not
            // timed), so every poll has about 10% of the page to find; the writer keeps writing meanwhile.
            std::vector<double> samples;
            for (int r = 0; r < options.runs; ++r) {
                qint64 elapsed = 0;
                for (int i = 0; i < liveCycles; ++i) {
                    const int seen = passes.load();
                    while (passes.load() == seen)
                        std::this_thread::yield();
                    QElapsedTimer timer;
                    timer.start();
                    view.pollNow();
                    QCoreApplication::processEvents(); // the UpdateRequest: paints the dirty rows
                    elapsed += timer.nsecsElapsed();
                }
                samples.push_back(double(elapsed) / 1e6 / liveCycles);
            }
            stop.store(true);
            writer.join();
            if (writeFailed.load()) {
                std::fprintf(stderr, "hexview_bench: the writer thread could not write\n");
                status = 1;
            }
            print("live_cycle_ms", median(samples), "ms");
            if (view.highlightCount() == 0) {
                std::fprintf(stderr, "hexview_bench: the live cycle saw no change\n");
                status = 1;
            }
        }

        view.setHighlightDuration(1);
        QTest::qWait(20);
        QCoreApplication::processEvents();
        const double rssSmall = rssMiB();

        // ---- 64 GiB sparse file: mapping -----------------------------------------------------------
        {
            const int fd = ::open(bigAddress.name.c_str(), O_RDWR | O_CREAT | O_EXCL, 0600);
            if (fd < 0 || ::ftruncate(fd, off_t(k64GiB)) != 0) {
                std::fprintf(stderr, "hexview_bench: cannot create the sparse file %s: %s\n", bigAddress.name.c_str(),
                             std::strerror(errno));
                if (fd >= 0)
                    ::close(fd);
                ::unlink(bigAddress.name.c_str());
                if (!removeObject(smallAddress))
                    std::fprintf(stderr, "hexview_bench: could not remove %s\n", smallAddress.name.c_str());
                return 1;
            }
            ::close(fd);
        }
        std::vector<double> attachSamples;
        std::unique_ptr<MappingByteSource> big;
        for (int r = 0; r < options.runs; ++r) {
            view.setSource(nullptr);
            big.reset();
            QElapsedTimer timer;
            timer.start();
            big = std::make_unique<MappingByteSource>(attachOrDie(bigAddress, Access::ReadWrite));
            view.setSource(big.get());
            view.setCursorOffset(big->size() - 1); // where Ctrl+End goes
            viewport->repaint();
            attachSamples.push_back(double(timer.nsecsElapsed()) / 1e6);
        }
        print("attach_ms_64g", median(attachSamples), "ms");

        // The last page holds the same bytes as the first page of the 1 MiB case, so both paint the same.
        const quint64 tailLength = quint64(view.visibleRowCount() + 8) * HexView::kBytesPerRow;
        if (!big->write(k64GiB - tailLength, pattern.left(qsizetype(tailLength)))) {
            std::fprintf(stderr, "hexview_bench: %s\n", qPrintable(big->errorString()));
            status = 1;
        }
        view.setCursorOffset(k64GiB - tailLength + 0x123);
        view.setCursorOffset(k64GiB - 1);
        view.scrollToRow(view.rowCount()); // clamps to the last page
        viewport->repaint();
        print("paint_page_ms_64g", medianMs(options.runs, paintsPerRun, [&] { viewport->repaint(); }), "ms");

        QCoreApplication::processEvents();
        print("rss_mib_1m", rssSmall, "MiB");
        print("rss_mib_64g", rssMiB(), "MiB");

        // ---- edits and undos over 64 MiB --------------------------------------------------------------
        {
            const Address editAddress = removedAtExit(Kind::Posix, "/" + tag + "-edit");
            CreateOptions editCreate;
            editCreate.size = 64 * kMiB;
            Result<Created> editCreated = createMapping(editAddress, editCreate, Access::ReadWrite);
            if (!editCreated) {
                std::fprintf(stderr, "hexview_bench: %s\n", editCreated.error().message().c_str());
                return 1;
            }
            MappingByteSource edits(std::move(editCreated->mapping));
            const QByteArray original = samplePattern(qsizetype(64 * kMiB));
            if (!edits.write(0, original))
                status = 1;
            view.setSource(&edits);
            const int count = options.quick ? 500 : 10000;
            std::vector<double> editSamples;
            std::vector<double> undoSamples;
            for (int r = 0; r < options.runs; ++r) {
                std::mt19937_64 rng(quint64(r) + 1);
                QElapsedTimer timer;
                timer.start();
                for (int i = 0; i < count; ++i) {
                    const quint64 offset = rng() % (64 * kMiB);
                    if (!view.editBytes(offset, QByteArray(1, char(rng()))))
                        status = 1;
                }
                editSamples.push_back(double(timer.nsecsElapsed()) / 1e3 / count);
                QCoreApplication::processEvents(); // repaint what the edits changed, untimed
                timer.restart();
                for (int i = 0; i < count; ++i)
                    view.undoStack()->undo();
                undoSamples.push_back(double(timer.nsecsElapsed()) / 1e3 / count);
                QCoreApplication::processEvents();
                QByteArray now(original.size(), '\0');
                if (view.undoStack()->index() != 0 || !edits.read(0, now.data(), now.size()) || now != original) {
                    std::fprintf(stderr, "hexview_bench: undo did not restore every byte\n");
                    status = 1;
                }
                view.undoStack()->clear();
            }
            print("edit_us", median(editSamples), "us");
            print("undo_us", median(undoSamples), "us");
            if (!removeObject(editAddress))
                std::fprintf(stderr, "hexview_bench: could not remove %s\n", editAddress.name.c_str());
        }

        // ---- scan vs memcmp over a 256 MiB posix: mapping -----------------------------------------
        {
            const Address scanAddress = removedAtExit(Kind::Posix, "/" + tag + "-scan");
            const quint64 scanSize = (options.quick ? 16 : 256) * kMiB;
            CreateOptions scanCreate;
            scanCreate.size = scanSize;
            Result<Created> scanCreated = createMapping(scanAddress, scanCreate, Access::ReadWrite);
            if (!scanCreated) {
                std::fprintf(stderr, "hexview_bench: %s\n", scanCreated.error().message().c_str());
                return 1;
            }
            MappingByteSource scanned(std::move(scanCreated->mapping));
            const QByteArray block = samplePattern(qsizetype(kMiB));
            for (quint64 offset = 0; offset < scanSize; offset += kMiB) {
                if (!scanned.write(offset, block))
                    status = 1;
            }
            // Two heap copies of the same bytes for memcmp (equal, so memcmp reads every byte).
            std::vector<char> copyA(static_cast<size_t>(scanSize));
            if (!scanned.read(0, copyA.data(), qsizetype(scanSize)))
                status = 1;
            std::vector<char> copyB(copyA);
            const quint64 blockSize = ChangeScanner::blockSizeFor(scanSize);
            std::vector<double> scanRates;
            std::vector<double> memcmpRates;
            volatile int sink = 0;
            for (int r = 0; r < options.runs; ++r) {
                QElapsedTimer timer;
                timer.start();
                const std::vector<quint64> hashes = ChangeScanner::hashBlocks(scanned, scanSize, blockSize);
                scanRates.push_back(double(scanSize) / double(timer.nsecsElapsed()));
                if (hashes.size() != size_t(scanSize / blockSize))
                    status = 1;
                timer.restart();
                int differ = 0;
                for (size_t offset = 0; offset < copyA.size(); offset += kCompareChunk)
                    differ |= std::memcmp(copyA.data() + offset, copyB.data() + offset, kCompareChunk);
                memcmpRates.push_back(double(scanSize) / double(timer.nsecsElapsed()));
                sink = sink + differ;
            }
            print("scan_gb_per_s", median(scanRates), "GB/s");
            print("memcmp_gb_per_s", median(memcmpRates), "GB/s");
            if (!removeObject(scanAddress))
                std::fprintf(stderr, "hexview_bench: could not remove %s\n", scanAddress.name.c_str());
        }

        view.setSource(nullptr);
    }
    if (!removeObject(smallAddress) || !removeObject(bigAddress))
        std::fprintf(stderr, "hexview_bench: could not remove a benchmark object\n");
    return status;
}
