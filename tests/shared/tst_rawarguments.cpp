// Command-line arguments as bytes (app/shared/rawarguments.h): every byte string survives the trip
// through QString and QCommandLineParser, and well-formed UTF-8 reads as the usual text.
#include "app/shared/rawarguments.h"

#include <QCommandLineParser>
#include <QTest>
#include <vector>

using namespace shmscope;

namespace {

QByteArray roundTrip(const QByteArray& raw)
{
    const char* argv[] = { raw.constData() };
    return argumentBytes(argumentsFromArgv(1, argv).first());
}

} // namespace

class TestRawArguments : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void wellFormedUtf8IsOrdinaryText()
    {
        const QByteArray text("posix:/caf\xc3\xa9-\xe5\x85\xb1\xe4\xba\xab-\xf0\x9f\x98\x80-\xef\xbf\xbd");
        const char* argv[] = { "shmscope-cli", text.constData() };
        const QStringList arguments = argumentsFromArgv(2, argv);
        QCOMPARE(arguments, (QStringList { QStringLiteral("shmscope-cli"), QString::fromUtf8(text) }));
        QCOMPARE(argumentBytes(arguments.at(1)), text);
    }

    void bytesThatAreNotUtf8AreKept()
    {
        const QByteArray raw("obj\xff");
        const char* argv[] = { raw.constData() };
        const QString argument = argumentsFromArgv(1, argv).first();
        QCOMPARE(argument.size(), 4);
        QCOMPARE(argument.at(3).unicode(), char16_t(0xdcff));
        QCOMPARE(argumentBytes(argument), raw);
        // Not the character U+FFFD that QCoreApplication::arguments() would have made of it.
        QVERIFY(argumentBytes(argument) != QByteArray("obj\xef\xbf\xbd"));
    }

    void everyByteAndPairOfBytesRoundTrips()
    {
        for (int first = 1; first < 256; ++first) {
            const QByteArray one(1, char(first));
            QCOMPARE(roundTrip(one), one);
            for (int second = 1; second < 256; ++second) {
                const QByteArray two = one + char(second);
                if (roundTrip(two) != two)
                    QFAIL(qPrintable(
                        QStringLiteral("%1 came back as %2")
                            .arg(QString::fromLatin1(two.toHex()), QString::fromLatin1(roundTrip(two).toHex()))));
            }
        }
    }

    void mixedSequencesRoundTrip()
    {
        // Ill-formed pieces next to well-formed ones, including a character outside the BMP whose
        // low surrogate lies in the range used for escaped bytes (U+10080 = D800 DC80).
        const std::vector<QByteArray> pieces { QByteArray("\xf0\x90\x82\x80"), QByteArray("\xff"),
                                               QByteArray("\xed\xa0\x80"),     QByteArray("\xc3"),
                                               QByteArray("\xc3\xa9"),         QByteArray("a"),
                                               QByteArray("\xe2\x82"),         QByteArray("\x80") };
        for (const QByteArray& a : pieces) {
            for (const QByteArray& b : pieces) {
                for (const QByteArray& c : pieces) {
                    const QByteArray raw = a + b + c;
                    QCOMPARE(roundTrip(raw), raw);
                }
            }
        }
    }

    void survivesQCommandLineParser()
    {
        const QByteArray name("posix:/a\xff\n\x1b[31m");
        const char* argv[] = { "shmscope-cli", "--size", "4K", name.constData() };
        QCommandLineParser parser;
        parser.addOption(QCommandLineOption(QStringLiteral("size"), QString(), QStringLiteral("N")));
        QVERIFY(parser.parse(argumentsFromArgv(4, argv)));
        QCOMPARE(parser.positionalArguments().size(), 1);
        QCOMPARE(argumentBytes(parser.positionalArguments().first()), name);
    }
};

QTEST_GUILESS_MAIN(TestRawArguments)
#include "tst_rawarguments.moc"
