// The private runtime directory of the notification bus: where it is, that it is created 0700
// whatever the umask, and that an insecure one is refused instead of used.

#include "app/shared/runtimedir.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <sys/stat.h>
#include <unistd.h>

using namespace shmscope;

namespace {

mode_t modeOf(const QString& path)
{
    struct stat info = {};
    if (::lstat(QFile::encodeName(path).constData(), &info) != 0)
        return 0;
    return info.st_mode & 07777;
}

// Sets XDG_RUNTIME_DIR for one scope and restores the previous value.
class ScopedXdg
{
public:
    explicit ScopedXdg(const QByteArray& value, bool set = true)
        : m_had(qEnvironmentVariableIsSet("XDG_RUNTIME_DIR"))
        , m_old(qgetenv("XDG_RUNTIME_DIR"))
    {
        if (set)
            qputenv("XDG_RUNTIME_DIR", value);
        else
            qunsetenv("XDG_RUNTIME_DIR");
    }
    ~ScopedXdg()
    {
        if (m_had)
            qputenv("XDG_RUNTIME_DIR", m_old);
        else
            qunsetenv("XDG_RUNTIME_DIR");
    }

private:
    bool m_had;
    QByteArray m_old;
};

class ScopedUmask
{
public:
    explicit ScopedUmask(mode_t mask)
        : m_old(::umask(mask))
    { }
    ~ScopedUmask() { ::umask(m_old); }

private:
    mode_t m_old;
};

} // namespace

class TestRuntimeDir : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void usesXdgRuntimeDirWithExactMode_data()
    {
        QTest::addColumn<int>("umask");
        QTest::newRow("umask 022") << 022;
        QTest::newRow("umask 000 (would give 0777)") << 0;
        QTest::newRow("umask 277 (would give 0500)") << 0277;
    }

    void usesXdgRuntimeDirWithExactMode()
    {
        QFETCH(int, umask);
        QTemporaryDir xdg;
        QVERIFY(xdg.isValid());
        ScopedXdg env(QFile::encodeName(xdg.path()));
        ScopedUmask mask(static_cast<mode_t>(umask));
        QString error;
        const QString runtime = runtimeDirectory(&error);
        QVERIFY2(!runtime.isEmpty(), qPrintable(error));
        QCOMPARE(runtime, xdg.path() + QStringLiteral("/shmscope"));
        QCOMPARE(modeOf(runtime), mode_t(0700));

        const QString object = objectDirectory(u"posix:/demo", true, &error);
        QVERIFY2(!object.isEmpty(), qPrintable(error));
        QCOMPARE(object, runtime + QStringLiteral("/f81418d111af2587"));
        QCOMPARE(modeOf(object), mode_t(0700));
        QCOMPARE(runtimeDirectory(), runtime); // an existing, private directory is fine
    }

    void fallsBackToTmpWhenXdgIsUnusable_data()
    {
        QTest::addColumn<QByteArray>("xdg");
        QTest::addColumn<bool>("set");
        QTest::newRow("unset") << QByteArray() << false;
        QTest::newRow("empty") << QByteArray() << true;
        QTest::newRow("relative") << QByteArray("run/user") << true;
        QTest::newRow("missing") << QByteArray("/nonexistent/shmscope-test-runtime") << true;
        QTest::newRow("not a directory") << QByteArray("/dev/null") << true;
        QTest::newRow("too long for socket paths") << QByteArray("long") << true;
    }

    void fallsBackToTmpWhenXdgIsUnusable()
    {
        QFETCH(QByteArray, xdg);
        QFETCH(bool, set);
        QByteArray value = xdg;
        QTemporaryDir longParent;
        if (xdg == "long") {
            // an existing directory, so that only its length disqualifies it
            value = QFile::encodeName(longParent.path()) + '/' + QByteArray(70, 'x');
            QVERIFY(QDir().mkpath(QFile::decodeName(value)));
        }
        ScopedXdg env(value, set);
        const QString fallback = QStringLiteral("/tmp/shmscope-%1").arg(::geteuid());
        QString error;
        const QString runtime = runtimeDirectory(&error);
        QVERIFY2(!runtime.isEmpty(), qPrintable(error));
        QCOMPARE(runtime, fallback);
        QCOMPARE(modeOf(runtime), mode_t(0700));
        // Left in place: other tests' instances (and real ones) may be using it right now, and
        // removing it between their mkdir of the runtime and of the object directory would fail them.
    }

    void refusesAnInsecureDirectory_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("reason");
        QTest::newRow("group and world readable") << QStringLiteral("0755") << QStringLiteral("0755");
        QTest::newRow("group writable") << QStringLiteral("0770") << QStringLiteral("0770");
        QTest::newRow("symbolic link") << QStringLiteral("symlink") << QStringLiteral("symbolic link");
        QTest::newRow("a file") << QStringLiteral("file") << QStringLiteral("not a directory");
        QTest::newRow("owned by another user") << QStringLiteral("chown") << QStringLiteral("owned by uid 65534");
    }

    void refusesAnInsecureDirectory()
    {
        QFETCH(QString, kind);
        QFETCH(QString, reason);
        QTemporaryDir xdg;
        QVERIFY(xdg.isValid());
        ScopedXdg env(QFile::encodeName(xdg.path()));
        const QString target = xdg.path() + QStringLiteral("/shmscope");
        const QByteArray encoded = QFile::encodeName(target);
        if (kind == QLatin1String("symlink")) {
            QVERIFY(QDir().mkdir(xdg.path() + QStringLiteral("/elsewhere")));
            QVERIFY(::chmod(QFile::encodeName(xdg.path() + QStringLiteral("/elsewhere")).constData(), 0700) == 0);
            QVERIFY(::symlink("elsewhere", encoded.constData()) == 0);
        } else if (kind == QLatin1String("file")) {
            QFile file(target);
            QVERIFY(file.open(QIODevice::WriteOnly));
        } else if (kind == QLatin1String("chown")) {
            if (::geteuid() != 0)
                QSKIP("only root can give a directory to another user");
            QVERIFY(::mkdir(encoded.constData(), 0700) == 0);
            QVERIFY(::chown(encoded.constData(), 65534, 65534) == 0);
        } else {
            QVERIFY(::mkdir(encoded.constData(), 0700) == 0);
            QVERIFY(::chmod(encoded.constData(), static_cast<mode_t>(kind.toUInt(nullptr, 8))) == 0);
        }
        const mode_t before = modeOf(target);

        QString error;
        QVERIFY(runtimeDirectory(&error).isEmpty());
        QVERIFY2(error.contains(reason), qPrintable(error));
        QVERIFY2(error.contains(target), qPrintable(error));
        QVERIFY(objectDirectory(u"posix:/demo", true, &error).isEmpty());
        QCOMPARE(modeOf(target), before); // refused, not "fixed"
    }

    void refusesAnInsecureObjectDirectory()
    {
        QTemporaryDir xdg;
        QVERIFY(xdg.isValid());
        ScopedXdg env(QFile::encodeName(xdg.path()));
        const QString runtime = runtimeDirectory();
        QVERIFY(!runtime.isEmpty());
        const QString object = runtime + QLatin1Char('/') + objectHash(u"posix:/demo");
        QVERIFY(::mkdir(QFile::encodeName(object).constData(), 0777) == 0);
        QVERIFY(::chmod(QFile::encodeName(object).constData(), 0777) == 0);
        QString error;
        QVERIFY(objectDirectory(u"posix:/demo", true, &error).isEmpty());
        QVERIFY2(error.contains(QStringLiteral("0777")), qPrintable(error));
        QVERIFY(objectDirectory(u"posix:/demo", false, &error).isEmpty());
    }

    void objectDirectoryWithoutCreateDoesNotCreate()
    {
        QTemporaryDir xdg;
        QVERIFY(xdg.isValid());
        ScopedXdg env(QFile::encodeName(xdg.path()));
        QString error;
        const QString object = objectDirectory(u"posix:/nobody-here", false, &error);
        QVERIFY2(!object.isEmpty(), qPrintable(error));
        QVERIFY(!QFileInfo::exists(object));
    }

    void objectHashIsStableAndShort()
    {
        QCOMPARE(objectHash(u"posix:/demo"), QStringLiteral("f81418d111af2587")); // sha1sum of the text
        QCOMPARE(objectHash(u"file:/var/tmp/zj.dat"), QStringLiteral("407bbe3b52057dcf"));
        QVERIFY(objectHash(u"posix:/a") != objectHash(u"posix:/b"));
        const QString longPath = QStringLiteral("file:/") + QString(4000, QLatin1Char('p'));
        QCOMPARE(objectHash(longPath).size(), 16);
    }

    void socketFileNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<qint64>("pid");
        QTest::addColumn<quint64>("id");
        QTest::newRow("made by socketFileName")
            << socketFileName(4242, 0xc0ffee) << true << qint64(4242) << quint64(0xc0ffee);
        QTest::newRow("largest id") << QStringLiteral("1-ffffffffffffffff.sock") << true << qint64(1)
                                    << quint64(0xffffffffffffffffULL);
        QTest::newRow("Qt's temporary directory") << QStringLiteral("aB3xYz") << false << qint64(0) << quint64(0);
        QTest::newRow("no pid") << QStringLiteral("-00000000000000ff.sock") << false << qint64(0) << quint64(0);
        QTest::newRow("pid zero") << QStringLiteral("0-00000000000000ff.sock") << false << qint64(0) << quint64(0);
        QTest::newRow("short id") << QStringLiteral("12-ff.sock") << false << qint64(0) << quint64(0);
        QTest::newRow("uppercase id") << QStringLiteral("12-00000000000000FF.sock") << false << qint64(0) << quint64(0);
        QTest::newRow("other suffix") << QStringLiteral("12-00000000000000ff.lock") << false << qint64(0) << quint64(0);
        QTest::newRow("signed pid") << QStringLiteral("+12-00000000000000ff.sock") << false << qint64(0) << quint64(0);
    }

    void socketFileNames()
    {
        QFETCH(QString, name);
        QFETCH(bool, valid);
        QFETCH(qint64, pid);
        QFETCH(quint64, id);
        qint64 parsedPid = 0;
        quint64 parsedId = 0;
        QCOMPARE(parseSocketFileName(name, &parsedPid, &parsedId), valid);
        if (valid) {
            QCOMPARE(parsedPid, pid);
            QCOMPARE(parsedId, id);
            QCOMPARE(socketFileName(pid, id), name);
        }
    }

    void socketPathsFitSockaddr()
    {
        // Even with the longest pid and an XDG_RUNTIME_DIR as long as still accepted.
        QTemporaryDir xdg;
        QVERIFY(xdg.isValid());
        ScopedXdg env(QFile::encodeName(xdg.path()));
        const QString object = objectDirectory(u"file:/a/very/long/path/that/does/not/matter/at/all", true);
        QVERIFY(!object.isEmpty());
        const QString path = object + QLatin1Char('/') + socketFileName(4294967295LL, ~quint64(0));
        QVERIFY2(QFile::encodeName(path).size() <= kMaxSocketPathBytes, qPrintable(path));
    }
};

QTEST_GUILESS_MAIN(TestRuntimeDir)
#include "tst_runtimedir.moc"
