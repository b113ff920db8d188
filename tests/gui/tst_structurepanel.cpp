// The Structure panel (issue 11): the tree model under QAbstractItemModelTester over every built-in
// layout and a lazy 100,000-element array; a live tree of seed 003's areas written by a separate
// Python process (tests/helpers/shmpeer.py) in a real main window over a real POSIX object, with
// expansion and selection kept; edits through the tree that land in the object, undo, and refuse bad
// input; a .ksy file reloaded when an editor replaces it; selection sync both ways; the overlay's spans.
#include "app/gui/mainwindow.h"
#include "app/gui/openrequest.h"
#include "app/gui/structurepanel.h"
#include "core/mapping.h"
#include "pythonpeer.h"
#include "structures/builtinlayouts.h"
#include "widgets/hexview.h"
#include "widgets/memorybytesource.h"
#include "widgets/structuredelegate.h"
#include "widgets/structuremodel.h"
#include "widgets/structureoverlay.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QLineEdit>
#include <QProcess>
#include <QScopeGuard>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <QUndoStack>
#include <QtEndian>

using namespace shmscope;

namespace {

using Peer = test::PythonPeer;

// Little-endian int32s as bytes.
QByteArray ints(std::initializer_list<qint32> values)
{
    QByteArray out;
    for (qint32 v : values) {
        char b[4];
        qToLittleEndian(v, b);
        out.append(b, 4);
    }
    return out;
}

// Seed 003's areas: area 1 (count + 1, values), area 2 (count, values), the two window handles.
QByteArray zzjAreas(const QList<qint32>& area1, const QList<qint32>& area2, quint32 server, quint32 client)
{
    QByteArray out = ints({ qint32(area1.size() + 1) });
    for (qint32 v : area1)
        out += ints({ v });
    out += ints({ qint32(area2.size()) });
    for (qint32 v : area2)
        out += ints({ v });
    out += ints({ qint32(server), qint32(client) });
    return out;
}

std::shared_ptr<const structures::Schema> layoutFromText(const char* text)
{
    const structures::LoadResult loaded = structures::loadLayout(text, "test.ksy");
    if (!loaded)
        qWarning() << QString::fromStdString(loaded.error->text());
    return loaded.schema;
}

// A count and that many u4s (lazy: fixed-size elements).
const char kBigArray[] = R"(meta:
  id: big
  endian: le
seq:
  - id: n
    type: u4
  - id: items
    type: u4
    repeat: expr
    repeat-expr: n
)";

QString valueAt(StructureModel* model, const QString& path)
{
    const QModelIndex index = model->indexForPath(path);
    return index.isValid() ? index.siblingAtColumn(StructureModel::ValueColumn).data().toString() : QString();
}

} // namespace

class TestStructurePanel : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanup();
    void cleanupTestCase();
    void modelPassesTheTesterOnEveryBuiltinLayout();
    void lazyArrayMakesRowsOnDemand();
    void overlaySpansOfFieldsAndLazyElements();
    void liveTreeFollowsAnotherProcess();
    void editThroughTheTreeIsUndoableAndChecked();
    void enumAndFloatEditors();
    void selectionSyncsBothWays();
    void ksyFileIsReloadedWhenReplaced();
    void parameterIsReadFromAnotherMapping();

private:
    bool open(MainWindow& window, quint64 size);

    QTemporaryDir m_runtime;
    Address m_address;
};

void TestStructurePanel::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_runtime.isValid());
    qputenv("XDG_RUNTIME_DIR", QFile::encodeName(m_runtime.path()));
    QCoreApplication::setOrganizationName(QStringLiteral("shmscope-tests"));
    QCoreApplication::setApplicationName(
        QStringLiteral("tst_structurepanel_%1").arg(QCoreApplication::applicationPid()));
    m_address = Address { Kind::Posix,
                          "/shmscope-test-" + std::to_string(QCoreApplication::applicationPid()) + "-structure", 0 };
}

void TestStructurePanel::cleanup()
{
    (void)removeObject(m_address);
    QSettings().remove(QStringLiteral("structure"));
}

void TestStructurePanel::cleanupTestCase()
{
    QFile::remove(QSettings().fileName());
}

bool TestStructurePanel::open(MainWindow& window, quint64 size)
{
    OpenRequest request;
    request.address = m_address;
    request.create = true;
    request.options.size = size;
    QString error;
    if (!window.openMapping(request, &error)) {
        qWarning() << error;
        return false;
    }
    return true;
}

void TestStructurePanel::modelPassesTheTesterOnEveryBuiltinLayout()
{
    // Bytes of each kind: zeros, seed 003's areas, random.
    QByteArray random(8192, '\0');
    quint32 seed = 3;
    for (char& c : random) {
        seed = seed * 1664525u + 1013904223u;
        c = char(seed >> 24);
    }
    QByteArray zzj = zzjAreas({ 1, 2, 3 }, { 7, 8 }, 0x000a0b2c, 0x00030f1e);
    zzj.resize(4096, '\0');
    for (const QByteArray& bytes : { QByteArray(8192, '\0'), zzj, random }) {
        for (const structures::BuiltinLayout& b : structures::builtinLayouts()) {
            MemoryByteSource source(bytes);
            StructureModel model;
            // Random counts make arrays of up to 2^20 rows; the tester walks every row at every change.
            model.setMaxArrayRows(512);
            QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
            model.setSource(&source);
            model.setLayout(layoutFromText(b.text.c_str()));
            QVERIFY2(model.rowCount() == 1, b.name.c_str());
            // Every row made, a refresh after a change of the bytes, another base offset.
            QTreeView view;
            view.setModel(&model);
            view.expandAll();
            source.write(4, QByteArray("\x05\x00\x00\x00", 4));
            model.refresh();
            model.setBaseOffset(8);
            view.expandAll();
            if (QTest::currentTestFailed())
                return;
        }
    }
    // The values of seed 003's areas as the tree shows them: handles in hex.
    MemoryByteSource source(zzj);
    StructureModel model;
    model.setSource(&source);
    model.setLayout(layoutFromText(structures::findBuiltinLayout("zzj_areas")->text.c_str()));
    QCOMPARE(valueAt(&model, QStringLiteral("area1.count_plus_one")), QStringLiteral("4"));
    QCOMPARE(valueAt(&model, QStringLiteral("area1.values[2]")), QStringLiteral("3"));
    QCOMPARE(valueAt(&model, QStringLiteral("area2.values[1]")), QStringLiteral("8"));
    QCOMPARE(valueAt(&model, QStringLiteral("hwnd_server")), QStringLiteral("0x000a0b2c"));
    // ... and edited as shown (an editor in decimal for a value shown in hex would confuse)
    QCOMPARE(model.indexForPath(QStringLiteral("hwnd_server"))
                 .siblingAtColumn(StructureModel::ValueColumn)
                 .data(Qt::EditRole),
             QVariant(QStringLiteral("0x000a0b2c")));
    QCOMPARE(model.indexForPath(QStringLiteral("area2.values[1]")).siblingAtColumn(StructureModel::OffsetColumn).data(),
             QVariant(QStringLiteral("0x18")));
    QVERIFY(model.error().isEmpty());

    // A layout that reads past the end: the partial tree and the error at its node, no crash.
    MemoryByteSource shortSource(zzj.left(10));
    StructureModel partial;
    QAbstractItemModelTester tester(&partial, QAbstractItemModelTester::FailureReportingMode::QtTest);
    partial.setSource(&shortSource);
    partial.setLayout(layoutFromText(structures::findBuiltinLayout("zzj_areas")->text.c_str()));
    QVERIFY(!partial.error().isEmpty());
    QCOMPARE(valueAt(&partial, QStringLiteral("area1.values[0]")), QStringLiteral("1"));
    QVERIFY(partial.indexForPath(QStringLiteral("area1.values[1]")).data(StructureModel::ErrorRole).toBool());
}

void TestStructurePanel::lazyArrayMakesRowsOnDemand()
{
    constexpr quint32 kCount = 100000;
    QByteArray bytes(4 + 4 * kCount, '\0');
    qToLittleEndian(kCount, bytes.data());
    for (quint32 i = 0; i < kCount; ++i)
        qToLittleEndian(i * 3, bytes.data() + 4 + 4 * i);
    MemoryByteSource source(bytes);

    // A view: every element has a row, only those on screen are decoded.
    {
        StructureModel model;
        model.setSource(&source);
        model.setLayout(layoutFromText(kBigArray));
        QTreeView view;
        view.setUniformRowHeights(true);
        view.setModel(&model);
        view.resize(600, 400);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const QModelIndex items = model.indexForPath(QStringLiteral("items"));
        QVERIFY(items.isValid());
        view.expand(items);
        view.scrollTo(model.index(50000, 0, items));
        QCoreApplication::processEvents();
        QCOMPARE(model.rowCount(items), int(kCount));
        QCOMPARE(items.siblingAtColumn(StructureModel::ValueColumn).data().toString(),
                 QStringLiteral("100000 element(s)"));
        QVERIFY2(model.tree()->nodeCount() < 200, qPrintable(QString::number(model.tree()->nodeCount())));
        // An element far away is reached by path, decoded alone.
        const QModelIndex far = model.indexForPath(QStringLiteral("items[76543]"));
        QVERIFY(far.isValid());
        QCOMPARE(far.siblingAtColumn(StructureModel::ValueColumn).data().toString(), QString::number(76543 * 3));
        QCOMPARE(far.siblingAtColumn(StructureModel::OffsetColumn).data().toString(),
                 QStringLiteral("0x%1").arg(4 + 4 * 76543, 0, 16));
        QVERIFY2(model.tree()->nodeCount() < 200, qPrintable(QString::number(model.tree()->nodeCount())));
        // The innermost field under an offset.
        QCOMPARE(model.indexForOffset(4 + 4 * 99999 + 2).data(StructureModel::PathRole).toString(),
                 QStringLiteral("items[99999]"));
    }

    // The tester walks all 100,000 rows (and their refresh after a change).
    StructureModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSource(&source);
    model.setLayout(layoutFromText(kBigArray));
    const QModelIndex items = model.indexForPath(QStringLiteral("items"));
    QCOMPARE(model.rowCount(items), int(kCount));
    // A change of one element updates that row only.
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    char b[4];
    qToLittleEndian(quint32(7), b);
    QCOMPARE(valueAt(&model, QStringLiteral("items[5]")), QStringLiteral("15")); // its row is made
    QVERIFY(source.write(4 + 4 * 5, QByteArray(b, 4)));
    model.refresh();
    QCOMPARE(reset.count(), 0);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.first().first().value<QModelIndex>().data(StructureModel::PathRole).toString(),
             QStringLiteral("items[5]"));
    QCOMPARE(valueAt(&model, QStringLiteral("items[5]")), QStringLiteral("7"));
    // A shorter array: rows removed at the end, no reset.
    qToLittleEndian(quint32(1000), b);
    source.write(0, QByteArray(b, 4));
    model.refresh();
    QCOMPARE(reset.count(), 0);
    QCOMPARE(model.rowCount(items), 1000);
}

void TestStructurePanel::overlaySpansOfFieldsAndLazyElements()
{
    QByteArray zzj = zzjAreas({ 1, 2, 3 }, { 7, 8 }, 0x000a0b2c, 0x00030f1e);
    zzj.resize(64, '\0');
    MemoryByteSource source(zzj);
    StructureModel model;
    StructureOverlay overlay(&model);
    QSignalSpy spans(&overlay, &FieldOverlay::spansChanged);
    model.setSource(&source);
    model.setLayout(layoutFromText(structures::findBuiltinLayout("zzj_areas")->text.c_str()));
    QVERIFY(!spans.isEmpty());
    QCOMPARE(spans.last().at(1).toULongLong(), 0u); // everything: a new layout

    std::vector<FieldSpan> out;
    overlay.spansIn(0, 64, out);
    // count_plus_one, 3 values, count, 2 values, 2 handles: 9 fields of 4 bytes, back to back.
    QCOMPARE(out.size(), std::size_t(9));
    for (std::size_t i = 0; i < out.size(); ++i) {
        QCOMPARE(out[i].offset, quint64(4 * i));
        QCOMPARE(out[i].length, quint64(4));
        QVERIFY(out[i].colour.alpha() < 255);
        if (i > 0)
            QVERIFY2(out[i].colour != out[i - 1].colour, qPrintable(QString::number(i)));
    }
    // Only the fields that intersect the range asked for; `out` is appended to.
    out.assign(1, FieldSpan { 1000, 1, Qt::red });
    overlay.spansIn(6, 13, out);
    QCOMPARE(out.size(), std::size_t(4));
    QCOMPARE(out[1].offset, quint64(4));
    QCOMPARE(out[3].offset, quint64(12));
    // A value that changes: spansChanged() for its bytes.
    spans.clear();
    source.write(28, ints({ 0x1234 })); // hwnd_server
    model.refresh();
    QCOMPARE(spans.count(), 1);
    QCOMPARE(spans.first().at(0).toULongLong(), 28u);
    QCOMPARE(spans.first().at(1).toULongLong(), 4u);
    // Area 1 one value shorter: area 2 starts at its old third value (3), so it has 3 values up to 28,
    // where the handles stay: the fields from 0 to 28 changed.
    spans.clear();
    source.write(0, ints({ 3 }));
    model.refresh();
    QCOMPARE(spans.count(), 1);
    QCOMPARE(spans.first().at(0).toULongLong(), 0u);
    QCOMPARE(spans.first().at(1).toULongLong(), 28u);
    out.clear();
    overlay.spansIn(0, 64, out);
    QCOMPARE(out.size(), std::size_t(9));
    QCOMPARE(out.back().offset, quint64(32));

    // A lazy 100,000-element array: the spans of a page come from arithmetic, one element decoded.
    constexpr quint32 kCount = 100000;
    QByteArray big(4 + 4 * kCount, '\0');
    qToLittleEndian(kCount, big.data());
    MemoryByteSource bigSource(big);
    StructureModel bigModel;
    StructureOverlay bigOverlay(&bigModel);
    bigModel.setSource(&bigSource);
    bigModel.setLayout(layoutFromText(kBigArray));
    const std::size_t nodesBefore = bigModel.tree()->nodeCount();
    out.clear();
    bigOverlay.spansIn(200000, 200000 + 512, out);
    QCOMPARE(out.size(), std::size_t(128));
    QCOMPARE(out.front().offset, quint64(200000));
    QCOMPARE(out.back().offset, quint64(200000 + 508));
    for (std::size_t i = 1; i < out.size(); ++i)
        QVERIFY(out[i].colour != out[i - 1].colour && out[i].offset == out[i - 1].offset + 4);
    QVERIFY2(bigModel.tree()->nodeCount() <= nodesBefore + 2,
             qPrintable(QString::number(bigModel.tree()->nodeCount())));
}

void TestStructurePanel::liveTreeFollowsAnotherProcess()
{
    MainWindow window;
    QVERIFY(open(window, 4096));
    StructurePanel* panel = window.structurePanel();
    QVERIFY(panel->useBuiltinLayout(QStringLiteral("zzj_areas")));
    window.resize(1280, 800);
    window.show();
    window.structureDock()->raise();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    StructureModel* model = panel->model();
    QTreeView* tree = panel->treeView();
    const int poll = window.hexView()->pollInterval();
    QVERIFY(poll > 0 && model->pollInterval() == poll);

    Peer peer(QString::fromStdString(m_address.name.substr(1)));
    QCOMPARE(peer.ask("write 0 " + zzjAreas({ 10, 20, 30 }, { 7, 8 }, 0x000a0b2c, 0x00030f1e).toHex()),
             QByteArray("ok"));
    // Within the poll period (plus the time of the decode and of this process being scheduled).
    QTRY_COMPARE_WITH_TIMEOUT(valueAt(model, QStringLiteral("area1.values[1]")), QStringLiteral("20"), 20 * poll);
    QCOMPARE(valueAt(model, QStringLiteral("hwnd_client")), QStringLiteral("0x00030f1e"));
    const QModelIndex values = model->indexForPath(QStringLiteral("area1.values"));
    tree->expand(values);
    const QModelIndex selected = model->indexForPath(QStringLiteral("area1.values[1]"));
    tree->setCurrentIndex(selected);
    QSignalSpy reset(model, &QAbstractItemModel::modelReset);

    // The other process changes a value: the row changes, the rest stays.
    QCOMPARE(peer.ask("write 8 " + ints({ 2222 }).toHex()), QByteArray("ok"));
    QTRY_COMPARE_WITH_TIMEOUT(valueAt(model, QStringLiteral("area1.values[1]")), QStringLiteral("2222"), 20 * poll);
    QCOMPARE(reset.count(), 0);
    QVERIFY(tree->isExpanded(model->indexForPath(QStringLiteral("area1.values"))));
    QCOMPARE(tree->currentIndex().data(StructureModel::PathRole).toString(), QStringLiteral("area1.values[1]"));

    // It writes a longer area 1 (4 values; area 2 moves): rows are added, expansion and selection stay.
    QCOMPARE(peer.ask("write 0 " + zzjAreas({ 11, 21, 31, 41 }, { 9 }, 0x000a0b2c, 0x00030f1e).toHex()),
             QByteArray("ok"));
    QTRY_COMPARE_WITH_TIMEOUT(valueAt(model, QStringLiteral("area1.values[3]")), QStringLiteral("41"), 20 * poll);
    QCOMPARE(model->rowCount(model->indexForPath(QStringLiteral("area1.values"))), 4);
    QCOMPARE(valueAt(model, QStringLiteral("area2.count")), QStringLiteral("1"));
    QVERIFY(tree->isExpanded(model->indexForPath(QStringLiteral("area1.values"))));
    QCOMPARE(tree->currentIndex().data(StructureModel::PathRole).toString(), QStringLiteral("area1.values[1]"));
    QCOMPARE(valueAt(model, QStringLiteral("area1.values[1]")), QStringLiteral("21"));
    QVERIFY(panel->errorText().isEmpty());

    // View ▸ Poll Rate changes the tree's period too (20 Hz: 50 ms; off: the tree stops polling).
    window.hexView()->setPollRate(20);
    QCOMPARE(model->pollInterval(), 50);
    window.hexView()->setPollRate(0);
    QCOMPARE(model->pollInterval(), 0);
}

void TestStructurePanel::editThroughTheTreeIsUndoableAndChecked()
{
    MainWindow window;
    QVERIFY(open(window, 4096));
    StructurePanel* panel = window.structurePanel();
    HexView* hex = window.hexView();
    QVERIFY(hex->editBytes(0, zzjAreas({ 10, 20, 30 }, { 7, 8 }, 0x000a0b2c, 0x00030f1e)));
    hex->undoStack()->clear();
    QVERIFY(panel->useBuiltinLayout(QStringLiteral("zzj_areas")));
    StructureModel* model = panel->model();
    Result<std::unique_ptr<Mapping>> mapping = attachMapping(m_address, Access::ReadOnly);
    QVERIFY(mapping.ok());
    auto int32At = [&](quint64 offset) {
        char b[4] = {};
        (void)(*mapping)->read(offset, b, 4);
        return qFromLittleEndian<qint32>(b);
    };

    const QModelIndex value
        = model->indexForPath(QStringLiteral("area1.values[2]")).siblingAtColumn(StructureModel::ValueColumn);
    QVERIFY(model->flags(value) & Qt::ItemIsEditable);
    QCOMPARE(value.data(Qt::EditRole).toString(), QStringLiteral("30"));
    QVERIFY(model->setData(value, QStringLiteral("-123456")));
    // In the object (another attachment sees it), on the hex view's undo stack.
    QCOMPARE(int32At(12), -123456);
    QCOMPARE(valueAt(model, QStringLiteral("area1.values[2]")), QStringLiteral("-123456"));
    QCOMPARE(hex->undoStack()->count(), 1);
    hex->undoStack()->undo();
    QCOMPARE(int32At(12), 30);
    QTRY_COMPARE(valueAt(model, QStringLiteral("area1.values[2]")), QStringLiteral("30"));

    // Out of range for an s4, not a number: refused with one line, nothing written.
    QSignalSpy refused(model, &StructureModel::editRefused);
    for (const QString& bad : { QStringLiteral("2147483648"), QStringLiteral("twelve") }) {
        refused.clear();
        QVERIFY(!model->setData(
            model->indexForPath(QStringLiteral("area1.values[2]")).siblingAtColumn(StructureModel::ValueColumn), bad));
        QCOMPARE(refused.count(), 1);
        const QString message = refused.first().first().toString();
        QVERIFY2(message.startsWith(QStringLiteral("Edit area1.values[2]: ")) && !message.contains(QLatin1Char('\n')),
                 qPrintable(message));
        QCOMPARE(panel->errorText(), message);
        QCOMPARE(int32At(12), 30);
    }
    QCOMPARE(hex->undoStack()->count(), 1); // the undone edit only
    // A handle is edited in hex; a count value instance (no bytes of its own) is not editable.
    QVERIFY(
        model->setData(model->indexForPath(QStringLiteral("hwnd_server")).siblingAtColumn(StructureModel::ValueColumn),
                       QStringLiteral("0x00C0FFEE")));
    QCOMPARE(int32At(28), 0x00c0ffee);
    QVERIFY(
        !(model->flags(model->indexForPath(QStringLiteral("area1.count")).siblingAtColumn(StructureModel::ValueColumn))
          & Qt::ItemIsEditable));
}

// The editors: a list of labels for an enum (and true/false for b1), a line edit for a float; what they
// give is checked and written through the model's writer.
void TestStructurePanel::enumAndFloatEditors()
{
    const char ksy[] = R"(meta:
  id: editors
  endian: le
seq:
  - id: state
    type: u1
    enum: state
  - id: flag
    type: b1
  - id: ratio
    type: f4
    doc: A float after the bit field (realigned to a byte).
enums:
  state:
    0: idle
    1: busy
    7: gone
)";
    char bytes[6] = { 1, 0, 0, 0, 0, 0 };
    MemoryByteSource source(QByteArray(bytes, 6));
    StructureModel model;
    model.setSource(&source);
    model.setLayout(layoutFromText(ksy));
    int writes = 0;
    model.setWriter([&](quint64 offset, const QByteArray& patch, QString*) {
        ++writes;
        return source.write(offset, patch);
    });
    QCOMPARE(valueAt(&model, QStringLiteral("state")), QStringLiteral("busy (1)"));
    QTreeView view;
    view.setModel(&model);
    StructureDelegate delegate;
    const QModelIndex state = model.indexForPath(QStringLiteral("state")).siblingAtColumn(StructureModel::ValueColumn);
    std::unique_ptr<QWidget> editor(delegate.createEditor(view.viewport(), QStyleOptionViewItem(), state));
    auto* combo = qobject_cast<QComboBox*>(editor.get());
    QVERIFY(combo);
    QCOMPARE(combo->count(), 3);
    QCOMPARE(combo->itemText(2), QStringLiteral("gone"));
    delegate.setEditorData(combo, state);
    QCOMPARE(combo->currentText(), QStringLiteral("busy"));
    combo->setCurrentIndex(2);
    delegate.setModelData(combo, &model, state);
    char now[6];
    QVERIFY(source.read(0, now, 6));
    QCOMPARE(int(now[0]), 7);
    QCOMPARE(valueAt(&model, QStringLiteral("state")), QStringLiteral("gone (7)"));

    const QModelIndex flag = model.indexForPath(QStringLiteral("flag")).siblingAtColumn(StructureModel::ValueColumn);
    editor.reset(delegate.createEditor(view.viewport(), QStyleOptionViewItem(), flag));
    QVERIFY(qobject_cast<QComboBox*>(editor.get()));
    QCOMPARE(qobject_cast<QComboBox*>(editor.get())->count(), 2);

    const QModelIndex ratio = model.indexForPath(QStringLiteral("ratio")).siblingAtColumn(StructureModel::ValueColumn);
    editor.reset(delegate.createEditor(view.viewport(), QStyleOptionViewItem(), ratio));
    auto* line = qobject_cast<QLineEdit*>(editor.get());
    QVERIFY(line);
    line->setText(QStringLiteral("-2.5"));
    delegate.setModelData(line, &model, ratio);
    QCOMPARE(valueAt(&model, QStringLiteral("ratio")), QStringLiteral("-2.5"));
    // Out of f4's range: refused, nothing written.
    QSignalSpy refused(&model, &StructureModel::editRefused);
    const int before = writes;
    line->setText(QStringLiteral("1e39"));
    delegate.setModelData(line, &model, ratio);
    QCOMPARE(refused.count(), 1);
    QCOMPARE(writes, before);
    QCOMPARE(valueAt(&model, QStringLiteral("ratio")), QStringLiteral("-2.5"));
}

void TestStructurePanel::selectionSyncsBothWays()
{
    MainWindow window;
    QVERIFY(open(window, 4096));
    StructurePanel* panel = window.structurePanel();
    HexView* hex = window.hexView();
    QVERIFY(hex->editBytes(0, zzjAreas({ 10, 20, 30 }, { 7, 8 }, 0x000a0b2c, 0x00030f1e)));
    QVERIFY(panel->useBuiltinLayout(QStringLiteral("zzj_areas")));
    window.show();
    window.structureDock()->raise();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    StructureModel* model = panel->model();
    QTreeView* tree = panel->treeView();

    // The hex cursor → the innermost field under it, its parents expanded; the hex selection stays.
    hex->setCursorOffset(0x1a); // area2.values[1] is 0x18..0x1b
    QCOMPARE(tree->currentIndex().data(StructureModel::PathRole).toString(), QStringLiteral("area2.values[1]"));
    QVERIFY(tree->isExpanded(model->indexForPath(QStringLiteral("area2.values"))));
    QVERIFY(tree->isExpanded(model->indexForPath(QStringLiteral("area2"))));
    QCOMPARE(hex->cursorOffset(), quint64(0x1a));
    QCOMPARE(model->indexForOffset(0x1f).data(StructureModel::PathRole).toString(), QStringLiteral("hwnd_server"));
    QVERIFY(!hex->hasSelection());

    // A row → its bytes selected in the hex view; the tree does not jump to the innermost field.
    tree->setCurrentIndex(model->indexForPath(QStringLiteral("area1")));
    QVERIFY(hex->hasSelection());
    QCOMPARE(hex->selectionStart(), quint64(0));
    QCOMPARE(hex->selectionLength(), quint64(16));
    QCOMPARE(tree->currentIndex().data(StructureModel::PathRole).toString(), QStringLiteral("area1"));
    tree->setCurrentIndex(model->indexForPath(QStringLiteral("hwnd_client")));
    QCOMPARE(hex->selectionStart(), quint64(0x20));
    QCOMPARE(hex->selectionLength(), quint64(4));
    // A value instance has no bytes: the selection stays.
    tree->setCurrentIndex(model->indexForPath(QStringLiteral("area1.count")));
    QCOMPARE(hex->selectionStart(), quint64(0x20));
    // Past the layout's fields: nothing under the cursor, the tree keeps its row.
    hex->setCursorOffset(0x800);
    QCOMPARE(tree->currentIndex().data(StructureModel::PathRole).toString(), QStringLiteral("area1.count"));
}

void TestStructurePanel::ksyFileIsReloadedWhenReplaced()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("mine.ksy"));
    auto writeFile = [](const QString& file, const QByteArray& text) {
        QFile f(file);
        return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(text) == text.size();
    };
    const QByteArray first = "meta:\n  id: mine\n  endian: le\nseq:\n  - id: first\n    type: u4\n";
    QVERIFY(writeFile(path, first));

    MainWindow window;
    QVERIFY(open(window, 4096));
    QVERIFY(window.hexView()->editBytes(0, ints({ 0x01020304, 5 })));
    StructurePanel* panel = window.structurePanel();
    StructureModel* model = panel->model();
    QVERIFY(panel->useLayoutFile(path));
    QCOMPARE(valueAt(model, QStringLiteral("first")), QString::number(0x01020304));
    QVERIFY(QSettings().value(QStringLiteral("structure/recentLayouts")).toStringList().contains(path));
    const QModelIndex root = model->index(0, 0);
    panel->treeView()->setCurrentIndex(model->indexForPath(QStringLiteral("first")));

    // Saved in place: the new fields show.
    QVERIFY(writeFile(path, first + "  - id: second\n    type: u2\n"));
    QTRY_VERIFY_WITH_TIMEOUT(model->indexForPath(QStringLiteral("second")).isValid(), 10000);
    QCOMPARE(valueAt(model, QStringLiteral("second")), QStringLiteral("5"));
    QVERIFY(panel->treeView()->isExpanded(model->index(0, 0)));
    QCOMPARE(panel->treeView()->currentIndex().data(StructureModel::PathRole).toString(), QStringLiteral("first"));
    Q_UNUSED(root);

    // Saved the way many editors do: a new file renamed over the old one.
    const QString temp = dir.filePath(QStringLiteral(".mine.ksy.swp"));
    QVERIFY(writeFile(temp, first + "  - id: renamed\n    type: u1\n"));
    QVERIFY(::rename(QFile::encodeName(temp).constData(), QFile::encodeName(path).constData()) == 0);
    QTRY_VERIFY_WITH_TIMEOUT(model->indexForPath(QStringLiteral("renamed")).isValid(), 10000);
    QCOMPARE(valueAt(model, QStringLiteral("renamed")), QStringLiteral("5"));

    // A broken save: the error line names the file and the line; the last good layout stays.
    QVERIFY(writeFile(path, first + "  - id: bad\n    type: u4\n    process: zlib\n"));
    QTRY_VERIFY_WITH_TIMEOUT(panel->errorText().contains(QStringLiteral("process")), 10000);
    QVERIFY2(panel->errorText().contains(QStringLiteral("mine.ksy:")), qPrintable(panel->errorText()));
    QVERIFY(model->indexForPath(QStringLiteral("renamed")).isValid());
    // And a good one again.
    QVERIFY(writeFile(path, first));
    QTRY_VERIFY_WITH_TIMEOUT(!model->indexForPath(QStringLiteral("renamed")).isValid(), 10000);
    QVERIFY(panel->errorText().isEmpty());
}

// Seed 001's convention (-shm-param): a root parameter read from a companion mapping sizes a field. The
// companion here is an object of the suite's own (a bare name would take the kind of the object decoded).
void TestStructurePanel::parameterIsReadFromAnotherMapping()
{
    const Address companion { Kind::Posix, m_address.name + "-size", 0 };
    CreateOptions options;
    options.size = 4;
    Result<Created> created = createMapping(companion, options);
    QVERIFY2(created, created ? "" : created.error().message().c_str());
    auto removeCompanion = qScopeGuard([&companion] { (void)removeObject(companion); });
    const std::uint32_t declared = 12;
    QVERIFY(created->mapping->write(0, &declared, sizeof declared));

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("sized.ksy"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("meta:\n  id: sized\n  endian: le\nparams:\n  - id: region_size\n    type: u4\n"
               "    -shm-param:\n      mapping: posix:"
               + QByteArray::fromStdString(companion.name)
               + "\n      offset: 0\n      type: u4le\nseq:\n  - id: data\n    size: region_size\n");
    file.close();

    MainWindow window;
    QVERIFY(open(window, 4096));
    StructurePanel* panel = window.structurePanel();
    QVERIFY2(panel->useLayoutFile(path), qPrintable(panel->errorText()));
    StructureModel* model = panel->model();
    const QModelIndex data = model->indexForPath(QStringLiteral("data"));
    QVERIFY(data.isValid());
    QCOMPARE(data.siblingAtColumn(StructureModel::SizeColumn).data().toULongLong(), quint64(declared));
    QVERIFY(panel->errorText().isEmpty());

    // Without the companion: a clear error naming it, no tree pretending to know the size.
    removeCompanion.dismiss();
    QVERIFY(removeObject(companion));
    QVERIFY(panel->useLayoutFile(path) || !panel->errorText().isEmpty());
    QVERIFY2(panel->errorText().contains(QString::fromStdString(companion.name)), qPrintable(panel->errorText()));
}

QTEST_MAIN(TestStructurePanel)
#include "tst_structurepanel.moc"
