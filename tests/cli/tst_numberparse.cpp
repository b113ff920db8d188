// Unit test of the size / offset / mode parsers the CLI (and the GUI's dialogs) use.
#include "app/shared/numberparse.h"

#include <QTest>
#include <cstdint>
#include <limits>

using namespace shmscope;

class TestNumberParse : public QObject
{
    Q_OBJECT

private slots:
    void parseSize_data();
    void parseSize();
    void parseSizeRejects_data();
    void parseSizeRejects();
    void parseOffset_data();
    void parseOffset();
    void parseOffsetRejects_data();
    void parseOffsetRejects();
    void parseMode_data();
    void parseMode();
    void parseModeRejects_data();
    void parseModeRejects();
    void formatModeRoundTrips();
};

void TestNumberParse::parseSize_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<quint64>("expected");

    QTest::newRow("decimal") << QStringLiteral("4096") << quint64(4096);
    QTest::newRow("zero") << QStringLiteral("0") << quint64(0);
    QTest::newRow("leading zeros are decimal") << QStringLiteral("0010") << quint64(10);
    QTest::newRow("hex") << QStringLiteral("0x1000") << quint64(4096);
    QTest::newRow("hex upper") << QStringLiteral("0XFF") << quint64(255);
    QTest::newRow("K") << QStringLiteral("64K") << quint64(64 * 1024);
    QTest::newRow("k lower") << QStringLiteral("64k") << quint64(64 * 1024);
    QTest::newRow("KiB") << QStringLiteral("64KiB") << quint64(64 * 1024);
    QTest::newRow("kib lower") << QStringLiteral("64kib") << quint64(64 * 1024);
    QTest::newRow("space before unit (formatBytes output)") << QStringLiteral("64 KiB") << quint64(64 * 1024);
    QTest::newRow("M") << QStringLiteral("2M") << quint64(2) * 1024 * 1024;
    QTest::newRow("MiB") << QStringLiteral("3MiB") << quint64(3) * 1024 * 1024;
    QTest::newRow("G") << QStringLiteral("1G") << (quint64(1) << 30);
    QTest::newRow("GiB") << QStringLiteral("8 GiB") << (quint64(8) << 30);
    QTest::newRow("bytes unit") << QStringLiteral("512B") << quint64(512);
    QTest::newRow("surrounding whitespace") << QStringLiteral("  12K\t") << quint64(12 * 1024);
    QTest::newRow("max") << QStringLiteral("18446744073709551615") << std::numeric_limits<quint64>::max();
    QTest::newRow("max hex") << QStringLiteral("0xffffffffffffffff") << std::numeric_limits<quint64>::max();
    QTest::newRow("largest G") << QStringLiteral("17179869183G") << quint64(17179869183ull) * (1ull << 30);
}

void TestNumberParse::parseSize()
{
    QFETCH(QString, text);
    QFETCH(quint64, expected);
    QString error;
    const std::optional<std::uint64_t> value = shmscope::parseSize(text, &error);
    QVERIFY2(value.has_value(), qPrintable(error));
    QCOMPARE(quint64(*value), expected);
    QVERIFY(error.isEmpty());
}

void TestNumberParse::parseSizeRejects_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expectedInMessage");

    QTest::newRow("empty") << QString() << QStringLiteral("empty");
    QTest::newRow("blank") << QStringLiteral("   ") << QStringLiteral("empty");
    QTest::newRow("unknown unit") << QStringLiteral("12Q") << QStringLiteral("'12Q'");
    QTest::newRow("unknown unit named") << QStringLiteral("12Q") << QStringLiteral("unknown unit 'Q'");
    QTest::newRow("decimal KB is ambiguous") << QStringLiteral("64KB") << QStringLiteral("'64KB'");
    QTest::newRow("T is not a unit") << QStringLiteral("1T") << QStringLiteral("'1T'");
    QTest::newRow("letters") << QStringLiteral("abc") << QStringLiteral("not a number");
    QTest::newRow("negative") << QStringLiteral("-1") << QStringLiteral("'-1'");
    QTest::newRow("plus sign") << QStringLiteral("+1") << QStringLiteral("'+1'");
    QTest::newRow("fraction") << QStringLiteral("1.5M") << QStringLiteral("'1.5M'");
    QTest::newRow("bare 0x") << QStringLiteral("0x") << QStringLiteral("not a number");
    QTest::newRow("bad hex digit") << QStringLiteral("0x12g") << QStringLiteral("'0x12g'");
    QTest::newRow("hex with unit") << QStringLiteral("0x10K") << QStringLiteral("takes no unit");
    QTest::newRow("two spaces") << QStringLiteral("64  K") << QStringLiteral("'64  K'");
    QTest::newRow("max + 1") << QStringLiteral("18446744073709551616") << QStringLiteral("too large");
    QTest::newRow("huge hex") << QStringLiteral("0x10000000000000000") << QStringLiteral("too large");
    QTest::newRow("unit overflow") << QStringLiteral("17179869184G") << QStringLiteral("too large");
    QTest::newRow("unit overflow K") << QStringLiteral("18014398509481984K") << QStringLiteral("too large");
}

void TestNumberParse::parseSizeRejects()
{
    QFETCH(QString, text);
    QFETCH(QString, expectedInMessage);
    QString error;
    QVERIFY(!shmscope::parseSize(text, &error).has_value());
    QVERIFY2(error.contains(expectedInMessage), qPrintable(error));
    QVERIFY2(error.startsWith(QLatin1String("invalid size")), qPrintable(error));
    // Without an error pointer the parser still rejects (and does not crash).
    QVERIFY(!shmscope::parseSize(text).has_value());
}

void TestNumberParse::parseOffset_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<quint64>("expected");

    QTest::newRow("zero") << QStringLiteral("0") << quint64(0);
    QTest::newRow("decimal") << QStringLiteral("16") << quint64(16);
    QTest::newRow("hex") << QStringLiteral("0x10") << quint64(16);
    QTest::newRow("hex mixed case") << QStringLiteral("0xAbC") << quint64(0xabc);
    QTest::newRow("whitespace") << QStringLiteral(" 7 ") << quint64(7);
    QTest::newRow("max") << QStringLiteral("0xffffffffffffffff") << std::numeric_limits<quint64>::max();
}

void TestNumberParse::parseOffset()
{
    QFETCH(QString, text);
    QFETCH(quint64, expected);
    QString error;
    const std::optional<std::uint64_t> value = shmscope::parseOffset(text, &error);
    QVERIFY2(value.has_value(), qPrintable(error));
    QCOMPARE(quint64(*value), expected);
}

void TestNumberParse::parseOffsetRejects_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expectedInMessage");

    QTest::newRow("empty") << QString() << QStringLiteral("invalid offset ''");
    QTest::newRow("unit") << QStringLiteral("4K") << QStringLiteral("'4K'");
    QTest::newRow("negative") << QStringLiteral("-16") << QStringLiteral("'-16'");
    QTest::newRow("garbage") << QStringLiteral("ten") << QStringLiteral("'ten'");
    QTest::newRow("hex without 0x") << QStringLiteral("ff") << QStringLiteral("'ff'");
    QTest::newRow("trailing garbage") << QStringLiteral("0x10zz") << QStringLiteral("'0x10zz'");
    QTest::newRow("overflow") << QStringLiteral("99999999999999999999") << QStringLiteral("too large");
}

void TestNumberParse::parseOffsetRejects()
{
    QFETCH(QString, text);
    QFETCH(QString, expectedInMessage);
    QString error;
    QVERIFY(!shmscope::parseOffset(text, &error).has_value());
    QVERIFY2(error.contains(expectedInMessage), qPrintable(error));
}

void TestNumberParse::parseMode_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<quint32>("expected");

    QTest::newRow("leading zero") << QStringLiteral("0640") << quint32(0640);
    QTest::newRow("no leading zero") << QStringLiteral("640") << quint32(0640);
    QTest::newRow("0o prefix") << QStringLiteral("0o600") << quint32(0600);
    QTest::newRow("all") << QStringLiteral("777") << quint32(0777);
    QTest::newRow("none") << QStringLiteral("000") << quint32(0);
    QTest::newRow("single digit") << QStringLiteral("4") << quint32(04);
}

void TestNumberParse::parseMode()
{
    QFETCH(QString, text);
    QFETCH(quint32, expected);
    QString error;
    const std::optional<std::uint32_t> value = shmscope::parseMode(text, &error);
    QVERIFY2(value.has_value(), qPrintable(error));
    QCOMPARE(quint32(*value), expected);
}

void TestNumberParse::parseModeRejects_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expectedInMessage");

    QTest::newRow("empty") << QString() << QStringLiteral("invalid mode ''");
    QTest::newRow("digit 8") << QStringLiteral("0680") << QStringLiteral("'0680'");
    QTest::newRow("letters") << QStringLiteral("rw-r-----") << QStringLiteral("'rw-r-----'");
    QTest::newRow("setuid bits") << QStringLiteral("4755") << QStringLiteral("0777");
    QTest::newRow("too long") << QStringLiteral("077777777777") << QStringLiteral("0777");
    QTest::newRow("hex") << QStringLiteral("0x1ff") << QStringLiteral("'0x1ff'");
    QTest::newRow("bare 0o") << QStringLiteral("0o") << QStringLiteral("'0o'");
}

void TestNumberParse::parseModeRejects()
{
    QFETCH(QString, text);
    QFETCH(QString, expectedInMessage);
    QString error;
    QVERIFY(!shmscope::parseMode(text, &error).has_value());
    QVERIFY2(error.contains(expectedInMessage), qPrintable(error));
}

void TestNumberParse::formatModeRoundTrips()
{
    QCOMPARE(formatMode(0600), QStringLiteral("0600"));
    QCOMPARE(formatMode(0), QStringLiteral("0000"));
    for (std::uint32_t mode = 0; mode <= 0777; ++mode)
        QCOMPARE(shmscope::parseMode(formatMode(mode)).value_or(01000), mode);
}

QTEST_GUILESS_MAIN(TestNumberParse)
#include "tst_numberparse.moc"
