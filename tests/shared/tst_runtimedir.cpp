// The private runtime directory of the notification bus: where it is, that it is created 0700
// whatever the umask, and that an insecure one is refused instead of used.

#include "app/shared/runtimedir.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
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

// Sets (or, with set == false, unsets) any environment variable for one scope.
class ScopedEnv
{
public:
    ScopedEnv(const char* name, const QByteArray& value, bool set = true)
        : m_name(name)
        , m_had(qEnvironmentVariableIsSet(name))
        , m_old(qgetenv(name))
    {
        if (set)
            qputenv(name, value);
        else
            qunsetenv(name);
    }
    ~ScopedEnv()
    {
        if (m_had)
            qputenv(m_name, m_old);
        else
            qunsetenv(m_name);
    }

private:
    const char* m_name;
    bool m_had;
    QByteArray m_old;
};

uid_t ownerOf(const QString& path)
{
    struct stat info = {};
    if (::lstat(QFile::encodeName(path).constData(), &info) != 0)
        return uid_t(-1);
    return info.st_uid;
}

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
        QTemporaryDir cache; // no record of a private fallback from elsewhere
        ScopedEnv cacheEnv("XDG_CACHE_HOME", QFile::encodeName(cache.path()));
        // Stands for /tmp: the fallback is made here (and goes with it), never the real /tmp/shmscope-<uid>.
        QTemporaryDir temp;
        QVERIFY(temp.isValid());
        ScopedEnv tmpEnv("TMPDIR", QFile::encodeName(temp.path()));
        QTemporaryDir longParent;
        if (xdg == "long") {
            // an existing directory, so that only its length disqualifies it
            value = QFile::encodeName(longParent.path()) + '/' + QByteArray(70, 'x');
            QVERIFY(QDir().mkpath(QFile::decodeName(value)));
        }
        ScopedXdg env(value, set);
        const QString fallback = QStringLiteral("%1/shmscope-%2").arg(temp.path()).arg(::geteuid());
        QCOMPARE(QDir::tempPath(), temp.path());
        QString error;
        const QString runtime = runtimeDirectory(&error);
        QVERIFY2(!runtime.isEmpty(), qPrintable(error));
        QCOMPARE(runtime, fallback);
        QCOMPARE(modeOf(runtime), mode_t(0700));
    }

    // Issue 9 item 4: with XDG_RUNTIME_DIR unset, another user's `mkdir /tmp/shmscope-<uid>` locked the
    // victim out of the bus. The squatted name is left alone; a private directory made by mkdtemp and
    // found through the per-user record (in the user's cache) is used instead, by every instance.
    void squattedFallbackGetsAPrivateDirectory_data()
    {
        QTest::addColumn<QString>("squat");
        QTest::newRow("a directory of another user") << QStringLiteral("chown");
        QTest::newRow("a directory of mode 0777") << QStringLiteral("0777");
        QTest::newRow("a file") << QStringLiteral("file");
        QTest::newRow("a symbolic link") << QStringLiteral("symlink");
    }

    void squattedFallbackGetsAPrivateDirectory()
    {
        QFETCH(QString, squat);
        QTemporaryDir temp; // stands for /tmp: the squat is made here, never in the real /tmp
        QTemporaryDir cache;
        QVERIFY(temp.isValid() && cache.isValid());
        ScopedEnv tmpEnv("TMPDIR", QFile::encodeName(temp.path()));
        ScopedEnv cacheEnv("XDG_CACHE_HOME", QFile::encodeName(cache.path()));
        ScopedEnv xdgEnv("XDG_RUNTIME_DIR", {}, false);
        const QString predictable = QStringLiteral("%1/shmscope-%2").arg(temp.path()).arg(::geteuid());
        const QByteArray encoded = QFile::encodeName(predictable);
        if (squat == QLatin1String("chown")) {
            if (::geteuid() != 0)
                QSKIP("only root can give a directory to another user (the mode-0777 row simulates it)");
            QVERIFY(::mkdir(encoded.constData(), 0700) == 0);
            QVERIFY(::chown(encoded.constData(), 65534, 65534) == 0);
        } else if (squat == QLatin1String("file")) {
            QFile file(predictable);
            QVERIFY(file.open(QIODevice::WriteOnly));
        } else if (squat == QLatin1String("symlink")) {
            QVERIFY(::symlink(QFile::encodeName(cache.path()).constData(), encoded.constData()) == 0);
        } else {
            QVERIFY(::mkdir(encoded.constData(), 0700) == 0);
            QVERIFY(::chmod(encoded.constData(), 0777) == 0);
        }
        const mode_t squatMode = modeOf(predictable);
        const uid_t squatOwner = ownerOf(predictable);

        QString error;
        const QString runtime = runtimeDirectory(&error);
        QVERIFY2(!runtime.isEmpty(), qPrintable(error));
        QVERIFY2(runtime.startsWith(predictable + QLatin1Char('-')), qPrintable(runtime));
        QCOMPARE(modeOf(runtime), mode_t(0700));
        QCOMPARE(ownerOf(runtime), ::geteuid());
        QCOMPARE(modeOf(predictable), squatMode); // the squat is not touched
        QCOMPARE(ownerOf(predictable), squatOwner);

        // The record: in the user's cache, private, naming the directory.
        const QString record = cache.path() + QStringLiteral("/shmscope/runtime-dir"); // runtimeRecordPath()
        QCOMPARE(modeOf(QFileInfo(record).path()), mode_t(0700));
        QCOMPARE(modeOf(record) & 077, mode_t(0));
        QFile recorded(record);
        QVERIFY(recorded.open(QIODevice::ReadOnly));
        QCOMPARE(QFile::decodeName(recorded.readAll().trimmed()), runtime);

        // Every instance of the user meets there, also after the squatter left.
        QCOMPARE(runtimeDirectory(), runtime);
        const QString object = objectDirectory(u"posix:/demo", true, &error);
        QVERIFY2(object.startsWith(runtime + QLatin1Char('/')), qPrintable(error));
        if (squat != QLatin1String("chown")) {
            QVERIFY(QFile::remove(predictable) || QDir(predictable).removeRecursively());
            QCOMPARE(runtimeDirectory(), runtime);
        }
    }

    // A record that is not the user's own private file, or that names a directory that is not
    // private, is ignored: another user cannot steer the instances into a directory of theirs.
    void plantedOrStaleRecordIsIgnored_data()
    {
        QTest::addColumn<QString>("plant");
        QTest::newRow("names a directory of mode 0755") << QStringLiteral("wide target");
        QTest::newRow("names a missing directory") << QStringLiteral("missing target");
        QTest::newRow("record directory of mode 0777") << QStringLiteral("wide record dir");
        QTest::newRow("record writable by others") << QStringLiteral("wide record");
        QTest::newRow("record directory of another user") << QStringLiteral("chown record dir");
    }

    void plantedOrStaleRecordIsIgnored()
    {
        QFETCH(QString, plant);
        QTemporaryDir temp;
        QTemporaryDir cache;
        QVERIFY(temp.isValid() && cache.isValid());
        ScopedEnv tmpEnv("TMPDIR", QFile::encodeName(temp.path()));
        ScopedEnv cacheEnv("XDG_CACHE_HOME", QFile::encodeName(cache.path()));
        ScopedEnv xdgEnv("XDG_RUNTIME_DIR", {}, false);
        const QString recordDir = cache.path() + QStringLiteral("/shmscope");
        const QString target = temp.path() + QStringLiteral("/planted");
        QVERIFY(QDir().mkdir(recordDir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
        QVERIFY(QDir().mkdir(target, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
        {
            QFile record(recordDir + QStringLiteral("/runtime-dir"));
            QVERIFY(record.open(QIODevice::WriteOnly));
            record.write(QFile::encodeName(target) + '\n');
        }
        QVERIFY(::chmod(QFile::encodeName(recordDir + QStringLiteral("/runtime-dir")).constData(), 0600) == 0);
        QVERIFY(::chmod(QFile::encodeName(recordDir).constData(), 0700) == 0);
        if (plant == QLatin1String("wide target")) {
            QVERIFY(::chmod(QFile::encodeName(target).constData(), 0755) == 0);
        } else if (plant == QLatin1String("missing target")) {
            QVERIFY(QDir(target).removeRecursively()); // e.g. /tmp was cleaned at a reboot
        } else if (plant == QLatin1String("wide record dir")) {
            QVERIFY(::chmod(QFile::encodeName(recordDir).constData(), 0777) == 0);
        } else if (plant == QLatin1String("wide record")) {
            QVERIFY(::chmod(QFile::encodeName(recordDir + QStringLiteral("/runtime-dir")).constData(), 0666) == 0);
        } else {
            if (::geteuid() != 0)
                QSKIP("only root can give a directory to another user");
            QVERIFY(::chown(QFile::encodeName(recordDir).constData(), 65534, 65534) == 0);
        }
        QString error;
        const QString runtime = runtimeDirectory(&error);
        QVERIFY2(!runtime.isEmpty(), qPrintable(error));
        QCOMPARE(runtime, QStringLiteral("%1/shmscope-%2").arg(temp.path()).arg(::geteuid()));
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
