// Tests of the data inspector: values of known bytes in both byte orders, parsing, editing through the
// hex view (undoable), live updates, and the model's consistency (QAbstractItemModelTester).
#include "widgets/datainspector.h"
#include "widgets/hexview.h"
#include "widgets/memorybytesource.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QUndoStack>

using namespace shmscope;
using Row = DataInspectorModel::Row;

class TestDataInspector : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void formatValue_data();
    void formatValue();
    void parseValue_data();
    void parseValue();
    void parseRejects_data();
    void parseRejects();
    void roundTrip();
    void modelFollowsCursorAndChanges();
    void editWritesAndUndoes();
    void editRefusedChangesNothing();
    void nearTheEnd();
    void panelShowsValues();
};

namespace {
QString text(const DataInspectorModel& model, Row row, bool littleEndian)
{
    return model
        .data(model.index(row,
                          littleEndian ? DataInspectorModel::LittleEndianColumn : DataInspectorModel::BigEndianColumn))
        .toString();
}
} // namespace

void TestDataInspector::formatValue_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<Row>("row");
    QTest::addColumn<QString>("little");
    QTest::addColumn<QString>("big");
    const QByteArray b("\x01\x02\x03\x04\x05\x06\x07\x88", 8);
    const QByteArray ff(8, '\xff');
    QTest::newRow("int8") << QByteArray("\x80", 1) << DataInspectorModel::Int8 << QStringLiteral("-128")
                          << QStringLiteral("-128");
    QTest::newRow("uint8") << QByteArray("\x80", 1) << DataInspectorModel::UInt8 << QStringLiteral("128")
                           << QStringLiteral("128");
    QTest::newRow("int16") << b << DataInspectorModel::Int16 << QStringLiteral("513") << QStringLiteral("258");
    QTest::newRow("uint16 ff") << ff << DataInspectorModel::UInt16 << QStringLiteral("65535")
                               << QStringLiteral("65535");
    QTest::newRow("int16 -1") << ff << DataInspectorModel::Int16 << QStringLiteral("-1") << QStringLiteral("-1");
    QTest::newRow("int32") << b << DataInspectorModel::Int32 << QStringLiteral("67305985")
                           << QStringLiteral("16909060");
    QTest::newRow("uint32") << QByteArray("\x00\x00\x00\x80", 4) << DataInspectorModel::UInt32
                            << QStringLiteral("2147483648") << QStringLiteral("128");
    QTest::newRow("int32 min") << QByteArray("\x00\x00\x00\x80", 4) << DataInspectorModel::Int32
                               << QStringLiteral("-2147483648") << QStringLiteral("128");
    QTest::newRow("int64") << b << DataInspectorModel::Int64 << QStringLiteral("-8644934341102468607")
                           << QStringLiteral("72623859790382984");
    QTest::newRow("uint64") << b << DataInspectorModel::UInt64 << QStringLiteral("9801809732607083009")
                            << QStringLiteral("72623859790382984");
    QTest::newRow("uint64 max") << ff << DataInspectorModel::UInt64 << QStringLiteral("18446744073709551615")
                                << QStringLiteral("18446744073709551615");
    QTest::newRow("float32 1.0") << QByteArray("\x00\x00\x80\x3f", 4) << DataInspectorModel::Float32
                                 << QStringLiteral("1") << QStringLiteral("4.6006e-41");
    QTest::newRow("float32 0.1") << QByteArray("\xcd\xcc\xcc\x3d", 4) << DataInspectorModel::Float32
                                 << QStringLiteral("0.1") << QStringLiteral("-4.2949213e+08");
    QTest::newRow("float64 1.5") << QByteArray("\x00\x00\x00\x00\x00\x00\xf8\x3f", 8) << DataInspectorModel::Float64
                                 << QStringLiteral("1.5") << QStringLiteral("3.13984e-319");
    QTest::newRow("float64 -2") << QByteArray("\xc0\x00\x00\x00\x00\x00\x00\x00", 8) << DataInspectorModel::Float64
                                << QStringLiteral("9.5e-322") << QStringLiteral("-2");
    QTest::newRow("utf8 ascii") << QByteArray("A") << DataInspectorModel::Utf8Char << QStringLiteral("A  U+0041")
                                << QStringLiteral("A  U+0041");
    QTest::newRow("utf8 euro") << QByteArray("\xe2\x82\xac!") << DataInspectorModel::Utf8Char
                               << QString::fromUtf8("€  U+20AC") << QString::fromUtf8("€  U+20AC");
    QTest::newRow("utf8 control") << QByteArray("\x01", 1) << DataInspectorModel::Utf8Char << QStringLiteral("U+0001")
                                  << QStringLiteral("U+0001");
    QTest::newRow("utf16 A") << QByteArray("A\0", 2) << DataInspectorModel::Utf16Char << QStringLiteral("A  U+0041")
                             << QString(QChar(0x4100)) + QStringLiteral("  U+4100");
    QTest::newRow("utf16 pair") << QByteArray("\x3d\xd8\x00\xde", 4) << DataInspectorModel::Utf16Char
                                << QString::fromUtf8("😀  U+1F600")
                                << QString(QChar(0x3dd8)) + QStringLiteral("  U+3DD8");
    QTest::newRow("binary") << QByteArray("\xa5", 1) << DataInspectorModel::Binary << QStringLiteral("10100101")
                            << QStringLiteral("10100101");
}

void TestDataInspector::formatValue()
{
    QFETCH(QByteArray, bytes);
    QFETCH(Row, row);
    QFETCH(QString, little);
    QFETCH(QString, big);
    QCOMPARE(DataInspectorModel::formatValue(row, bytes, true).value_or(QStringLiteral("<none>")), little);
    QCOMPARE(DataInspectorModel::formatValue(row, bytes, false).value_or(QStringLiteral("<none>")), big);
}

void TestDataInspector::parseValue_data()
{
    QTest::addColumn<Row>("row");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("little");
    QTest::addColumn<QByteArray>("big");
    QTest::newRow("int8 -1") << DataInspectorModel::Int8 << QStringLiteral("-1") << QByteArray("\xff")
                             << QByteArray("\xff");
    QTest::newRow("int8 min") << DataInspectorModel::Int8 << QStringLiteral("-128") << QByteArray("\x80")
                              << QByteArray("\x80");
    QTest::newRow("uint16 hex") << DataInspectorModel::UInt16 << QStringLiteral("0x1234") << QByteArray("\x34\x12")
                                << QByteArray("\x12\x34");
    QTest::newRow("int32 -2") << DataInspectorModel::Int32 << QStringLiteral(" -2 ") << QByteArray("\xfe\xff\xff\xff")
                              << QByteArray("\xff\xff\xff\xfe");
    QTest::newRow("int64 min") << DataInspectorModel::Int64 << QStringLiteral("-9223372036854775808")
                               << QByteArray("\0\0\0\0\0\0\0\x80", 8) << QByteArray("\x80\0\0\0\0\0\0\0", 8);
    QTest::newRow("uint64 max") << DataInspectorModel::UInt64 << QStringLiteral("18446744073709551615")
                                << QByteArray(8, '\xff') << QByteArray(8, '\xff');
    QTest::newRow("float32 1") << DataInspectorModel::Float32 << QStringLiteral("1")
                               << QByteArray("\x00\x00\x80\x3f", 4) << QByteArray("\x3f\x80\x00\x00", 4);
    QTest::newRow("float64 1.5") << DataInspectorModel::Float64 << QStringLiteral("1.5")
                                 << QByteArray("\0\0\0\0\0\0\xf8\x3f", 8) << QByteArray("\x3f\xf8\0\0\0\0\0\0", 8);
    QTest::newRow("utf8 euro") << DataInspectorModel::Utf8Char << QString::fromUtf8("€") << QByteArray("\xe2\x82\xac")
                               << QByteArray("\xe2\x82\xac");
    QTest::newRow("utf16 pair") << DataInspectorModel::Utf16Char << QString::fromUtf8("😀")
                                << QByteArray("\x3d\xd8\x00\xde", 4) << QByteArray("\xd8\x3d\xde\x00", 4);
    QTest::newRow("binary") << DataInspectorModel::Binary << QStringLiteral("1010 0101") << QByteArray("\xa5")
                            << QByteArray("\xa5");
}

void TestDataInspector::parseValue()
{
    QFETCH(Row, row);
    QFETCH(QString, text);
    QFETCH(QByteArray, little);
    QFETCH(QByteArray, big);
    QString error;
    const auto le = DataInspectorModel::parseValue(row, text, true, &error);
    QVERIFY2(le, qPrintable(error));
    QCOMPARE(*le, little);
    const auto be = DataInspectorModel::parseValue(row, text, false, &error);
    QVERIFY2(be, qPrintable(error));
    QCOMPARE(*be, big);
}

void TestDataInspector::parseRejects_data()
{
    QTest::addColumn<Row>("row");
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << DataInspectorModel::Int8 << QString();
    QTest::newRow("int8 too big") << DataInspectorModel::Int8 << QStringLiteral("128");
    QTest::newRow("int8 too small") << DataInspectorModel::Int8 << QStringLiteral("-129");
    QTest::newRow("uint8 negative") << DataInspectorModel::UInt8 << QStringLiteral("-1");
    QTest::newRow("uint16 too big") << DataInspectorModel::UInt16 << QStringLiteral("0x10000");
    QTest::newRow("uint64 overflow") << DataInspectorModel::UInt64 << QStringLiteral("18446744073709551616");
    QTest::newRow("double sign") << DataInspectorModel::Int32 << QStringLiteral("--1");
    QTest::newRow("not a number") << DataInspectorModel::Int32 << QStringLiteral("12abc");
    QTest::newRow("float32 overflow") << DataInspectorModel::Float32 << QStringLiteral("1e39");
    QTest::newRow("float text") << DataInspectorModel::Float64 << QStringLiteral("one");
    QTest::newRow("two chars") << DataInspectorModel::Utf8Char << QStringLiteral("ab");
    QTest::newRow("binary 9 digits") << DataInspectorModel::Binary << QStringLiteral("101010101");
    QTest::newRow("binary digit 2") << DataInspectorModel::Binary << QStringLiteral("102");
}

void TestDataInspector::parseRejects()
{
    QFETCH(Row, row);
    QFETCH(QString, text);
    QString error;
    QVERIFY(!DataInspectorModel::parseValue(row, text, true, &error));
    QVERIFY2(error.startsWith(QLatin1String("data inspector: ")), qPrintable(error));
}

void TestDataInspector::roundTrip()
{
    // What is shown parses back to the same bytes, for every row, in both byte orders.
    const QByteArray samples[] = { QByteArray("\x12\x34\x56\x78\x9a\xbc\xde\xf0", 8),
                                   QByteArray("\xcd\xcc\xcc\x3d\x00\x00\xf8\x3f", 8), QByteArray("A\0B\0C\0D\0", 8) };
    for (const QByteArray& sample : samples) {
        for (int r = 0; r < DataInspectorModel::RowCount; ++r) {
            const auto row = Row(r);
            if (row == DataInspectorModel::Utf8Char || row == DataInspectorModel::Utf16Char)
                continue; // shown with their code point; edited as the character (tested below)
            for (bool littleEndian : { true, false }) {
                const auto shown = DataInspectorModel::formatValue(row, sample, littleEndian);
                QVERIFY(shown);
                const auto bytes = DataInspectorModel::parseValue(row, *shown, littleEndian);
                QVERIFY2(bytes, qPrintable(*shown));
                QCOMPARE(*bytes, sample.left(DataInspectorModel::byteCount(row)));
            }
        }
    }
}

void TestDataInspector::modelFollowsCursorAndChanges()
{
    MemoryByteSource source(QByteArray("\x01\x00\x00\x00\x02\x00\x00\x00\xff\xff", 10));
    HexView view;
    view.setSource(&source);
    DataInspectorModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setHexView(&view);
    QCOMPARE(model.rowCount(), int(DataInspectorModel::RowCount));
    QCOMPARE(model.columnCount(), int(DataInspectorModel::ColumnCount));
    QCOMPARE(text(model, DataInspectorModel::UInt32, true), QStringLiteral("1"));
    QCOMPARE(text(model, DataInspectorModel::UInt32, false), QStringLiteral("16777216"));

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    view.setCursorOffset(4);
    QCOMPARE(model.offset(), quint64(4));
    QCOMPARE(text(model, DataInspectorModel::UInt32, true), QStringLiteral("2"));
    QVERIFY(!changed.isEmpty());

    // A write through the source (anyone in this process) updates at once.
    changed.clear();
    source.write(5, QByteArray("\x01", 1));
    QCOMPARE(text(model, DataInspectorModel::UInt32, true), QStringLiteral("258"));
    QCOMPARE(changed.size(), 1);
    // A write elsewhere does not re-announce anything.
    source.write(0, QByteArray("\x07", 1));
    QCOMPARE(changed.size(), 1);
    // A silent outside change is seen at the next refresh().
    source.modifyExternally(4, QByteArray("\x09", 1));
    model.refresh();
    QCOMPARE(text(model, DataInspectorModel::UInt8, true), QStringLiteral("9"));
    QCOMPARE(changed.size(), 2);
    model.refresh(); // nothing changed: no signal
    QCOMPARE(changed.size(), 2);

    QCOMPARE(model.data(model.index(DataInspectorModel::Int8, DataInspectorModel::TypeColumn)).toString(),
             QStringLiteral("int8"));
    QVERIFY(model.flags(model.index(DataInspectorModel::Int8, DataInspectorModel::LittleEndianColumn))
            & Qt::ItemIsEditable);
    QVERIFY(!(model.flags(model.index(DataInspectorModel::Int8, DataInspectorModel::TypeColumn)) & Qt::ItemIsEditable));
    source.setWritable(false);
    QVERIFY(!(model.flags(model.index(DataInspectorModel::Int8, DataInspectorModel::LittleEndianColumn))
              & Qt::ItemIsEditable));

    view.setSource(nullptr);
    model.refresh();
    QCOMPARE(text(model, DataInspectorModel::UInt8, true), QString());
}

void TestDataInspector::editWritesAndUndoes()
{
    MemoryByteSource source(QByteArray(16, '\0'));
    HexView view;
    view.setSource(&source);
    view.setCursorOffset(4);
    DataInspectorModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setHexView(&view);

    QVERIFY(model.setData(model.index(DataInspectorModel::UInt32, DataInspectorModel::BigEndianColumn),
                          QStringLiteral("0xdeadbeef")));
    QCOMPARE(source.peek(0, 16), QByteArray("\0\0\0\0\xde\xad\xbe\xef\0\0\0\0\0\0\0\0", 16));
    QCOMPARE(text(model, DataInspectorModel::UInt32, false), QStringLiteral("3735928559"));
    QCOMPARE(view.cursorOffset(), quint64(4)); // editing does not move the cursor

    QVERIFY(model.setData(model.index(DataInspectorModel::Float32, DataInspectorModel::LittleEndianColumn),
                          QStringLiteral("1")));
    QCOMPARE(source.peek(4, 4), QByteArray("\x00\x00\x80\x3f", 4));
    QVERIFY(model.setData(model.index(DataInspectorModel::Utf16Char, DataInspectorModel::LittleEndianColumn),
                          QStringLiteral("Z")));
    QCOMPARE(source.peek(4, 4), QByteArray("Z\0\x80\x3f", 4));
    QCOMPARE(
        model.data(model.index(DataInspectorModel::Utf16Char, DataInspectorModel::LittleEndianColumn), Qt::EditRole)
            .toString(),
        QStringLiteral("Z"));

    QCOMPARE(view.undoStack()->count(), 3);
    view.undoStack()->undo();
    QCOMPARE(source.peek(4, 4), QByteArray("\x00\x00\x80\x3f", 4));
    QCOMPARE(text(model, DataInspectorModel::Float32, true), QStringLiteral("1")); // the model followed the undo
    view.undoStack()->undo();
    view.undoStack()->undo();
    QCOMPARE(source.peek(0, 16), QByteArray(16, '\0'));
    view.undoStack()->redo();
    QCOMPARE(source.peek(4, 4), QByteArray("\xde\xad\xbe\xef", 4));
}

void TestDataInspector::editRefusedChangesNothing()
{
    MemoryByteSource source(QByteArray(8, '\x11'));
    HexView view;
    view.setSource(&source);
    DataInspectorModel model;
    model.setHexView(&view);
    QSignalSpy failed(&model, &DataInspectorModel::editFailed);
    QSignalSpy refused(&view, &HexView::editRefused);

    QVERIFY(!model.setData(model.index(DataInspectorModel::Int8, DataInspectorModel::LittleEndianColumn),
                           QStringLiteral("300")));
    QCOMPARE(failed.size(), 1);
    source.setWritable(false);
    QVERIFY(!model.setData(model.index(DataInspectorModel::Int8, DataInspectorModel::LittleEndianColumn),
                           QStringLiteral("3")));
    QCOMPARE(refused.size(), 1);
    QCOMPARE(source.peek(0, 8), QByteArray(8, '\x11'));
    QCOMPARE(view.undoStack()->count(), 0);
}

void TestDataInspector::nearTheEnd()
{
    MemoryByteSource source(QByteArray("\x01\x02\x03", 3));
    HexView view;
    view.setSource(&source);
    view.setCursorOffset(1);
    DataInspectorModel model;
    model.setHexView(&view);
    QCOMPARE(model.bytes(), QByteArray("\x02\x03", 2));
    QCOMPARE(text(model, DataInspectorModel::UInt16, true), QStringLiteral("770"));
    QCOMPARE(text(model, DataInspectorModel::UInt32, true), QString()); // not enough bytes
    QVERIFY(
        !model.data(model.index(DataInspectorModel::UInt32, DataInspectorModel::LittleEndianColumn), Qt::ToolTipRole)
             .toString()
             .isEmpty());
    QSignalSpy failed(&model, &DataInspectorModel::editFailed);
    QVERIFY(!model.setData(model.index(DataInspectorModel::UInt32, DataInspectorModel::LittleEndianColumn),
                           QStringLiteral("1")));
    QCOMPARE(failed.size(), 1);
    QCOMPARE(source.peek(0, 3), QByteArray("\x01\x02\x03", 3));
}

void TestDataInspector::panelShowsValues()
{
    MemoryByteSource source(QByteArray("\x2a\x00", 2));
    HexView view;
    view.setSource(&source);
    DataInspector panel;
    panel.setHexView(&view);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    const QModelIndex index = panel.model()->index(DataInspectorModel::UInt8, DataInspectorModel::LittleEndianColumn);
    QCOMPARE(panel.tableView()->model()->data(index).toString(), QStringLiteral("42"));
    // The visible panel polls: a silent outside change shows up.
    source.modifyExternally(0, QByteArray("\x2b", 1));
    QTRY_COMPARE_WITH_TIMEOUT(panel.tableView()->model()->data(index).toString(), QStringLiteral("43"), 5000);
}

QTEST_MAIN(TestDataInspector)
#include "tst_datainspector.moc"
