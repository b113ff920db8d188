// structurepanel_bench — figures of the Structure panel's model and overlay (issue 11, "Benchmark"). A
// program, not a timed test: one line per figure, `name value unit`, each the median of several runs; it
// asserts nothing about speed. ctest runs it with --quick only to check that it still runs.
//
//   structurepanel_bench [--quick] [--runs N]
//
// The bytes: a 64 MiB MemoryByteSource holding a count (100,000) and 100,000 12-byte records (u4, s4, f4:
// a lazy array), shown in a 1280x800 QTreeView with the array expanded and scrolled to its middle.
// Figures:
//   structure_poll_ms          StructureModel::refresh() when nothing changed: what every poll of the panel
//                              costs (one decode, the comparison with the rows that exist)
//   structure_refresh_1byte_ms the same after one byte of a record on screen changed (its row's dataChanged)
//   overlay_page_us            StructureOverlay::spansIn() for the bytes of one 1280x800 hex page (48 rows of
//                              16 bytes) inside the array: what the hex view asks at every paint
//   overlay_page_nodes         the nodes the decoded tree holds after those calls (lazy: about one element)
#include "benchsupport.h"
#include "structures/decoder.h"
#include "structures/schema.h"
#include "widgets/memorybytesource.h"
#include "widgets/structuremodel.h"
#include "widgets/structureoverlay.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QTest>
#include <QTreeView>
#include <QtEndian>
#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

using namespace shmscope;
using shmscope::bench::median;
using shmscope::bench::print;

namespace {

// Microseconds per call of `body`: the median over `runs` runs of `perRun` calls.
double medianUs(int runs, int perRun, const std::function<void()>& body)
{
    std::vector<double> samples;
    for (int r = 0; r < runs; ++r) {
        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i < perRun; ++i)
            body();
        samples.push_back(double(timer.nsecsElapsed()) / 1e3 / perRun);
    }
    return median(samples);
}

} // namespace

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    int runs = 9;
    bool quick = false;
    const QStringList args = app.arguments();
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--quick")) {
            quick = true;
            runs = 3;
        } else if (args[i] == QLatin1String("--runs") && i + 1 < args.size()) {
            runs = std::max(1, args[++i].toInt());
        } else {
            std::fprintf(stderr, "usage: structurepanel_bench [--quick] [--runs N]\n");
            return 2;
        }
    }
    const int perRun = quick ? 3 : 50;

    constexpr quint32 kRecords = 100000;
    MemoryByteSource source(quint64(64) << 20);
    {
        QByteArray head(4 + 12 * kRecords, '\0');
        qToLittleEndian(kRecords, head.data());
        for (quint32 i = 0; i < kRecords; ++i)
            qToLittleEndian(i, head.data() + 4 + 12 * i);
        source.write(0, head);
    }
    const structures::LoadResult loaded
        = structures::loadLayout("meta: {id: recs, endian: le}\nseq:\n  - {id: n, type: u4}\n"
                                 "  - {id: items, type: rec, repeat: expr, repeat-expr: n}\n"
                                 "types:\n  rec:\n    seq:\n      - {id: a, type: u4}\n      - {id: b, type: s4}\n"
                                 "      - {id: c, type: f4}\n",
                                 "bench.ksy");
    if (!loaded) {
        std::fprintf(stderr, "structurepanel_bench: %s\n", loaded.error->text().c_str());
        return 1;
    }
    StructureModel model;
    model.setPollInterval(0); // only the benchmark refreshes
    model.setSource(&source);
    model.setLayout(loaded.schema);
    StructureOverlay overlay(&model);
    QTreeView view;
    view.setUniformRowHeights(true);
    view.setModel(&model);
    view.resize(1280, 800);
    view.show();
    if (!QTest::qWaitForWindowExposed(&view))
        std::fprintf(stderr, "structurepanel_bench: the window was not exposed\n");
    const QModelIndex items = model.indexForPath(QStringLiteral("items"));
    view.expand(items);
    const QModelIndex middle = model.index(50000, 0, items);
    view.expand(middle);
    view.scrollTo(middle, QAbstractItemView::PositionAtTop);
    QCoreApplication::processEvents();
    std::fprintf(stderr, "# %zu nodes decoded after showing the middle of the array\n", model.tree()->nodeCount());

    print("structure_poll_ms", medianUs(runs, perRun, [&] { model.refresh(); }) / 1000, "ms");
    quint32 value = 0;
    print("structure_refresh_1byte_ms",
          medianUs(runs, perRun,
                   [&] {
                       char b[4];
                       qToLittleEndian(++value, b);
                       source.write(4 + 12 * 50000 + 4, QByteArray(b, 1)); // one byte of items[50000].b
                       model.refresh();
                       QCoreApplication::processEvents(); // the view repaints the changed row
                   })
              / 1000,
          "ms");
    std::vector<FieldSpan> spans;
    const quint64 page = 4 + 12 * 50000;
    print("overlay_page_us",
          medianUs(runs, perRun * 20,
                   [&] {
                       spans.clear();
                       overlay.spansIn(page, page + 48 * 16, spans);
                   }),
          "us");
    print("overlay_page_nodes", double(model.tree()->nodeCount()), "nodes");
    if (spans.size() != 3 * 64) {
        std::fprintf(stderr, "structurepanel_bench: %zu spans on the page, 192 expected\n", spans.size());
        return 1;
    }
    return 0;
}
