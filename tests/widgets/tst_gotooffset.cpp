// Tests of parseGoToOffset(): absolute and relative offsets, and every rejection.
#include "widgets/gotooffset.h"

#include <QTest>

using namespace shmscope;

class TestGoToOffset : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void accepts_data();
    void accepts();
    void rejects_data();
    void rejects();
};

void TestGoToOffset::accepts_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<quint64>("cursor");
    QTest::addColumn<quint64>("size");
    QTest::addColumn<quint64>("expected");
    const quint64 big = quint64(64) << 30;
    QTest::newRow("decimal") << QStringLiteral("4096") << quint64(0) << quint64(8192) << quint64(4096);
    QTest::newRow("hex") << QStringLiteral("0x1000") << quint64(5) << quint64(8192) << quint64(4096);
    QTest::newRow("hex upper") << QStringLiteral("0X1fF") << quint64(5) << quint64(8192) << quint64(511);
    QTest::newRow("spaces") << QStringLiteral("  12 ") << quint64(0) << quint64(100) << quint64(12);
    QTest::newRow("zero") << QStringLiteral("0") << quint64(50) << quint64(100) << quint64(0);
    QTest::newRow("last byte") << QStringLiteral("99") << quint64(0) << quint64(100) << quint64(99);
    QTest::newRow("plus") << QStringLiteral("+16") << quint64(100) << quint64(200) << quint64(116);
    QTest::newRow("plus hex") << QStringLiteral("+0x10") << quint64(100) << quint64(200) << quint64(116);
    QTest::newRow("minus") << QStringLiteral("-16") << quint64(100) << quint64(200) << quint64(84);
    QTest::newRow("minus to zero") << QStringLiteral("- 100") << quint64(100) << quint64(200) << quint64(0);
    QTest::newRow("plus zero") << QStringLiteral("+0") << quint64(7) << quint64(200) << quint64(7);
    QTest::newRow("64 GiB end") << QStringLiteral("0xfffffffff") << quint64(0) << big << big - 1;
    QTest::newRow("64 GiB relative") << QStringLiteral("+0x800000000") << quint64(1) << big << quint64(0x800000001);
}

void TestGoToOffset::accepts()
{
    QFETCH(QString, text);
    QFETCH(quint64, cursor);
    QFETCH(quint64, size);
    QFETCH(quint64, expected);
    QString error;
    const auto offset = parseGoToOffset(text, cursor, size, &error);
    QVERIFY2(offset, qPrintable(error));
    QCOMPARE(*offset, expected);
}

void TestGoToOffset::rejects_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<quint64>("cursor");
    QTest::addColumn<quint64>("size");
    QTest::newRow("empty") << QString() << quint64(0) << quint64(100);
    QTest::newRow("blank") << QStringLiteral("  ") << quint64(0) << quint64(100);
    QTest::newRow("sign only") << QStringLiteral("+") << quint64(0) << quint64(100);
    QTest::newRow("0x only") << QStringLiteral("0x") << quint64(0) << quint64(100);
    QTest::newRow("double sign") << QStringLiteral("+-5") << quint64(10) << quint64(100);
    QTest::newRow("letters") << QStringLiteral("12ab") << quint64(0) << quint64(100);
    QTest::newRow("unit") << QStringLiteral("4K") << quint64(0) << quint64(100000);
    QTest::newRow("inner space") << QStringLiteral("1 2") << quint64(0) << quint64(100);
    QTest::newRow("overflow") << QStringLiteral("18446744073709551616") << quint64(0) << ~quint64(0);
    QTest::newRow("past end") << QStringLiteral("100") << quint64(0) << quint64(100);
    QTest::newRow("relative past end") << QStringLiteral("+50") << quint64(50) << quint64(100);
    QTest::newRow("relative overflow") << QStringLiteral("+0xffffffffffffffff") << quint64(2) << ~quint64(0);
    QTest::newRow("before start") << QStringLiteral("-11") << quint64(10) << quint64(100);
    QTest::newRow("empty source") << QStringLiteral("0") << quint64(0) << quint64(0);
}

void TestGoToOffset::rejects()
{
    QFETCH(QString, text);
    QFETCH(quint64, cursor);
    QFETCH(quint64, size);
    QString error;
    QVERIFY(!parseGoToOffset(text, cursor, size, &error));
    QVERIFY2(error.startsWith(QLatin1String("go to offset: ")), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestGoToOffset)
#include "tst_gotooffset.moc"
