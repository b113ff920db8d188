// The GUI's command line: `shmscope [ADDRESS] [--create --size N] [--read-only] [--copy-on-write]`.
#include "app/gui/openrequest.h"
#include "app/shared/rawarguments.h"

#include <QTest>

using namespace shmscope;

class TestOpenRequest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void noArgumentsOpensTheDemo()
    {
        QString error;
        const auto request = parseGuiArguments({ QStringLiteral("shmscope") }, &error);
        QVERIFY2(request, qPrintable(error));
        QCOMPARE(toString(request->address), std::string("posix:/shmscope-demo"));
        QVERIFY(request->create);
        QCOMPARE(request->options.size, quint64(64 * 1024));
        QCOMPARE(request->access, Access::ReadWrite);
    }

    void valid_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("address");
        QTest::addColumn<bool>("create");
        QTest::addColumn<quint64>("size");
        QTest::addColumn<uint>("mode");
        QTest::addColumn<int>("access");

        const int rw = int(Access::ReadWrite), ro = int(Access::ReadOnly), cow = int(Access::CopyOnWrite);
        QTest::newRow("attach by bare name")
            << QStringList { QStringLiteral("demo") } << "posix:/demo" << false << quint64(0) << 0600u << rw;
        QTest::newRow("read-only sysv key")
            << QStringList { QStringLiteral("sysv:0x2a"), QStringLiteral("--read-only") } << "sysv:0x0000002a" << false
            << quint64(0) << 0600u << ro;
        QTest::newRow("copy-on-write file")
            << QStringList { QStringLiteral("file:/tmp/zj.dat"), QStringLiteral("--copy-on-write") }
            << "file:/tmp/zj.dat" << false << quint64(0) << 0600u << cow;
        QTest::newRow("create with suffix and mode")
            << QStringList { QStringLiteral("posix:/x"), QStringLiteral("--create"), QStringLiteral("--size"),
                             QStringLiteral("1M"),       QStringLiteral("--mode"),   QStringLiteral("0640") }
            << "posix:/x" << true << quint64(1024 * 1024) << 0640u << rw;
    }
    void valid()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, address);
        QFETCH(bool, create);
        QFETCH(quint64, size);
        QFETCH(uint, mode);
        QFETCH(int, access);
        arguments.prepend(QStringLiteral("shmscope"));
        QString error;
        const auto request = parseGuiArguments(arguments, &error);
        QVERIFY2(request, qPrintable(error));
        QCOMPARE(QString::fromStdString(toString(request->address)), address);
        QCOMPARE(request->create, create);
        if (create) {
            QCOMPARE(request->options.size, size);
            QCOMPARE(request->options.mode, mode);
        }
        QCOMPARE(int(request->access), access);
    }

    void invalid_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("expected"); // a fragment of the error message

        QTest::newRow("unknown option") << QStringList { QStringLiteral("--bogus") } << "bogus";
        QTest::newRow("bad address") << QStringList { QStringLiteral("nosuchkind:x") } << "nosuchkind";
        QTest::newRow("create without size")
            << QStringList { QStringLiteral("posix:/x"), QStringLiteral("--create") } << "--size";
        QTest::newRow("bad size") << QStringList { QStringLiteral("posix:/x"), QStringLiteral("--create"),
                                                   QStringLiteral("--size"), QStringLiteral("12Q") }
                                  << "12Q";
        QTest::newRow("both accesses") << QStringList { QStringLiteral("posix:/x"), QStringLiteral("--read-only"),
                                                        QStringLiteral("--copy-on-write") }
                                       << "exclude";
        QTest::newRow("two addresses") << QStringList { QStringLiteral("a"), QStringLiteral("b") } << "too many";
    }
    void invalid()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, expected);
        arguments.prepend(QStringLiteral("shmscope"));
        QString error;
        QVERIFY(!parseGuiArguments(arguments, &error));
        QVERIFY2(error.contains(expected), qPrintable(error));
    }

    // Names are bytes: an ADDRESS that is not UTF-8 reaches the core as it was in argv (not as
    // U+FFFD), and the escaped form that the GUI and the CLI print names the same object.
    void addressKeepsItsBytes()
    {
        for (const QByteArray& address : { QByteArray("posix:/obj\xff"), QByteArray("posix:/obj\\xff") }) {
            const char* argv[] = { "shmscope", address.constData(), "--read-only" };
            QString error;
            const auto request = parseGuiArguments(argumentsFromArgv(3, argv), &error);
            QVERIFY2(request, qPrintable(error));
            QCOMPARE(request->address.name, std::string("/obj\xff"));
            QCOMPARE(toString(request->address), std::string("posix:/obj\\xff"));
        }
    }

    void helpIsReported()
    {
        QString error;
        bool help = false;
        QVERIFY(!parseGuiArguments({ QStringLiteral("shmscope"), QStringLiteral("--help") }, &error, &help));
        QVERIFY(help);
        QVERIFY(guiHelpText().contains(QStringLiteral("--copy-on-write")));
    }
};

QTEST_GUILESS_MAIN(TestOpenRequest)
#include "tst_openrequest.moc"
