// `shmscope-cli holders`, `usage` and `clean`, run as separate processes against real objects held by
// real processes: a Python multiprocessing.shared_memory object, a QSharedMemory made by a Qt program
// (tests/helpers/qsmholder) that is then killed with SIGKILL, and objects seen by a second user who
// cannot inspect root's processes. Every `clean` here runs with --name patterns that only match this
// test's own objects (names "shmscope-test-<pid>-…"), so nothing else on the machine is touched.
#include "tests/core/testsupport.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QScopeGuard>
#include <QTest>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

constexpr int kTimeoutMs = 30000;

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
};

Run run(const QString& program, const QStringList& arguments)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C.UTF-8"));
    process.setProcessEnvironment(env);
    process.start(program, arguments);
    Run result;
    if (!process.waitForFinished(kTimeoutMs)) {
        process.kill();
        process.waitForFinished();
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

Run cli(const QStringList& arguments)
{
    return run(QStringLiteral(SHMSCOPE_CLI_PATH), arguments);
}

bool exists(const QString& path)
{
    struct stat st = {};
    return ::lstat(QFile::encodeName(path).constData(), &st) == 0;
}

// Makes /dev/shm/NAME (an unheld object of `size` bytes, one page written).
bool makePosix(const QString& name)
{
    const int fd = ::open(QFile::encodeName(QStringLiteral("/dev/shm/") + name).constData(),
                          O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return false;
    const bool ok = ::ftruncate(fd, 4096) == 0 && ::pwrite(fd, "x", 1, 0) == 1;
    ::close(fd);
    return ok;
}

QStringList holderPids(const QJsonObject& object)
{
    QStringList pids;
    for (const QJsonValue holder : object.value(QStringLiteral("holders")).toArray())
        pids << QString::number(holder.toObject().value(QStringLiteral("pid")).toInt());
    return pids;
}

QStringList removedAddresses(const QJsonObject& report)
{
    QStringList addresses;
    for (const QJsonValue entry : report.value(QStringLiteral("removed")).toArray())
        addresses << entry.toObject().value(QStringLiteral("address")).toString();
    return addresses;
}

} // namespace

class TestCliInventory : public QObject
{
    Q_OBJECT

private:
    QString uniqueName(const QString& tag)
    {
        return QStringLiteral("shmscope-test-%1-%2-%3").arg(::getpid()).arg(++m_counter).arg(tag);
    }
    int m_counter = 0;

private Q_SLOTS:
    // A Python-made object shows its Python holder (map and descriptor); usage lists it with its owner.
    void pythonHolderAndUsage()
    {
        const QString name = uniqueName(QStringLiteral("py"));
        auto cleanup
            = qScopeGuard([&] { ::unlink(QFile::encodeName(QStringLiteral("/dev/shm/") + name).constData()); });
        QProcess python;
        python.start(QStringLiteral(SHMSCOPE_PYTHON),
                     { QStringLiteral("-c"),
                       QStringLiteral("import sys, time\n"
                                      "from multiprocessing import shared_memory\n"
                                      "m = shared_memory.SharedMemory(name=sys.argv[1], create=True, size=65536)\n"
                                      "m.buf[:8192] = b'\\x01' * 8192\n"
                                      "print('ready', flush=True)\n"
                                      "time.sleep(60)\n"),
                       name });
        auto stop = qScopeGuard([&] {
            python.kill();
            python.waitForFinished();
        });
        QVERIFY(python.waitForReadyRead(20000));
        QCOMPARE(python.readLine().trimmed(), QByteArray("ready"));
        const QString pid = QString::number(python.processId());

        const Run holders
            = cli({ QStringLiteral("holders"), QStringLiteral("posix:/") + name, QStringLiteral("--json") });
        QCOMPARE(holders.exitCode, 0);
        const QJsonObject object = holders.json();
        QVERIFY2(holderPids(object).contains(pid), holders.out.constData());
        for (const QJsonValue value : object.value(QStringLiteral("holders")).toArray()) {
            const QJsonObject holder = value.toObject();
            if (QString::number(holder.value(QStringLiteral("pid")).toInt()) != pid)
                continue;
            QVERIFY(holder.value(QStringLiteral("name")).toString().startsWith(QLatin1String("python")));
            QCOMPARE(holder.value(QStringLiteral("uses")).toArray(),
                     QJsonArray({ QStringLiteral("map rw"), QStringLiteral("fd") }));
        }
        QCOMPARE(object.value(QStringLiteral("stale")).toObject().value(QStringLiteral("state")).toString(),
                 QStringLiteral("in use"));
        QCOMPARE(object.value(QStringLiteral("allocated")).toInteger(), 8192);

        const Run text = cli({ QStringLiteral("holders"), QStringLiteral("posix:/") + name });
        QCOMPARE(text.exitCode, 0);
        QVERIFY2(text.out.contains("state: in use"), text.out.constData());
        QVERIFY2(text.out.contains(QByteArray(pid.toUtf8() + "  python")), text.out.constData());

        const Run usage = cli(
            { QStringLiteral("usage"), QStringLiteral("--top"), QStringLiteral("100000"), QStringLiteral("--json") });
        QCOMPARE(usage.exitCode, 0);
        const QJsonObject report = usage.json();
        QVERIFY(report.value(QStringLiteral("size")).toInteger() > 0);
        QVERIFY(report.value(QStringLiteral("used")).toInteger() >= 8192);
        bool listed = false;
        for (const QJsonValue entry : report.value(QStringLiteral("largest")).toArray()) {
            const QJsonObject info = entry.toObject();
            if (info.value(QStringLiteral("address")).toString() != QStringLiteral("posix:/") + name)
                continue;
            listed = true;
            QCOMPARE(info.value(QStringLiteral("allocated")).toInteger(), 8192);
            QCOMPARE(info.value(QStringLiteral("owner")).toString(),
                     QString::fromLocal8Bit(::getpwuid(::geteuid())->pw_name));
            QVERIFY(holderPids(info).contains(pid));
        }
        QVERIFY2(listed, usage.out.constData());
    }

    // A QSharedMemory left behind by a killed Qt program is stale after the kill (not before, and
    // not within the grace period), and `clean` removes exactly it and its key file.
    void qsharedMemoryLeftoverIsCleanedAndNothingElse()
    {
        // QSharedMemory keeps only the letters of the key in the key file's name, so the test's
        // uniqueness goes into letters too (the pid spelled with a-j).
        QString letters;
        for (const QChar digit : QString::number(::getpid()))
            letters += QChar(u'a' + digit.digitValue());
        const QString key = QStringLiteral("shmscope-test-%1-qsm-%2").arg(::getpid()).arg(letters);
        QProcess holder;
        holder.start(QStringLiteral(SHMSCOPE_QSMHOLDER), { key });
        QVERIFY(holder.waitForReadyRead(20000));
        const QStringList fields = QString::fromLocal8Bit(holder.readLine().trimmed()).split(QLatin1Char(' '));
        QCOMPARE(fields.size(), 2);
        const QString keyFile = fields[0];
        const QString address = QStringLiteral("sysv:") + fields[1];
        const QString keyFileName = keyFile.section(QLatin1Char('/'), -1);
        QVERIFY2(keyFileName.startsWith(QLatin1String("qipc_sharedmemory_shmscopetestqsm") + letters),
                 qPrintable(keyFileName));
        const key_t sysvKey = key_t(fields[1].toUInt(nullptr, 16));
        // Whatever happens: the segment, its key file, and QSystemSemaphore's semaphore and key file go.
        const QString semaphoreFile = QFileInfo(keyFile).path() + QStringLiteral("/qipc_systemsem_")
            + keyFileName.mid(int(qstrlen("qipc_sharedmemory_")));
        auto cleanup = qScopeGuard([&] {
            holder.kill();
            holder.waitForFinished();
            const int shmid = ::shmget(sysvKey, 0, 0);
            if (shmid >= 0)
                ::shmctl(shmid, IPC_RMID, nullptr);
            const key_t semaphoreKey = ::ftok(QFile::encodeName(semaphoreFile).constData(), 'Q');
            const int semid = semaphoreKey == -1 ? -1 : ::semget(semaphoreKey, 0, 0);
            if (semid >= 0)
                ::semctl(semid, 0, IPC_RMID);
            QFile::remove(semaphoreFile);
            QFile::remove(keyFile);
        });

        // Decoys of this test that a clean without the name filter would take: an unheld POSIX
        // object, and a System V segment whose creator is gone.
        const QString decoy = uniqueName(QStringLiteral("decoy"));
        QVERIFY(makePosix(decoy));
        auto decoyCleanup
            = qScopeGuard([&] { ::unlink(QFile::encodeName(QStringLiteral("/dev/shm/") + decoy).constData()); });
        const key_t decoyKey = key_t(0x53000000u | ((unsigned(::getpid()) & 0xffffu) << 8) | 0xd0u);
        const pid_t maker = ::fork();
        if (maker == 0)
            ::_exit(::shmget(decoyKey, 4096, IPC_CREAT | IPC_EXCL | 0600) >= 0 ? 0 : 1);
        int status = 0;
        ::waitpid(maker, &status, 0);
        QVERIFY(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        auto decoySegmentCleanup = qScopeGuard([&] { ::shmctl(::shmget(decoyKey, 0, 0), IPC_RMID, nullptr); });

        const QStringList onlyThis { QStringLiteral("--name"), keyFileName };
        // Before the kill: in use, and clean leaves it.
        Run before = cli({ QStringLiteral("holders"), address, QStringLiteral("--older-than"), QStringLiteral("0s"),
                           QStringLiteral("--json") });
        QCOMPARE(before.exitCode, 0);
        QCOMPARE(before.json().value(QStringLiteral("stale")).toObject().value(QStringLiteral("state")).toString(),
                 QStringLiteral("in use"));
        QVERIFY(holderPids(before.json()).contains(QString::number(holder.processId())));
        Run keep = cli(QStringList { QStringLiteral("clean"), QStringLiteral("--older-than"), QStringLiteral("0s"),
                                     QStringLiteral("--json") }
                       + onlyThis);
        QCOMPARE(keep.exitCode, 0);
        QCOMPARE(keep.json().value(QStringLiteral("considered")).toInt(), 1);
        QVERIFY(removedAddresses(keep.json()).isEmpty());
        QCOMPARE(keep.json().value(QStringLiteral("kept")).toObject().value(QStringLiteral("in use")).toInt(), 1);

        ::kill(pid_t(holder.processId()), SIGKILL);
        QVERIFY(holder.waitForFinished(10000));

        // Within the grace period: recent, not stale.
        Run recent = cli({ QStringLiteral("holders"), address, QStringLiteral("--older-than"), QStringLiteral("1h"),
                           QStringLiteral("--json") });
        QCOMPARE(recent.json().value(QStringLiteral("stale")).toObject().value(QStringLiteral("state")).toString(),
                 QStringLiteral("recent"));
        Run dryRecent = cli(QStringList { QStringLiteral("clean"), QStringLiteral("--older-than"), QStringLiteral("1h"),
                                          QStringLiteral("--json") }
                            + onlyThis);
        QVERIFY(removedAddresses(dryRecent.json()).isEmpty());
        QVERIFY(::shmget(sysvKey, 0, 0) >= 0);

        // Past it (shortened to 0 s): stale, a QSharedMemory leftover.
        Run after = cli({ QStringLiteral("holders"), address, QStringLiteral("--older-than"), QStringLiteral("0s"),
                          QStringLiteral("--json") });
        const QJsonObject stale = after.json().value(QStringLiteral("stale")).toObject();
        QCOMPARE(stale.value(QStringLiteral("state")).toString(), QStringLiteral("stale"));
        QVERIFY(stale.value(QStringLiteral("leftoverOf")).toString().contains(QLatin1String("QSharedMemory")));
        QCOMPARE(stale.value(QStringLiteral("qtKeyFile")).toString(), keyFile);

        Run dry = cli(QStringList { QStringLiteral("clean"), QStringLiteral("--dry-run"),
                                    QStringLiteral("--older-than"), QStringLiteral("0s"), QStringLiteral("--json") }
                      + onlyThis);
        QCOMPARE(dry.json().value(QStringLiteral("wouldRemove")).toArray().size(), 1);
        QVERIFY(::shmget(sysvKey, 0, 0) >= 0);

        Run clean = cli(QStringList { QStringLiteral("clean"), QStringLiteral("--older-than"), QStringLiteral("0s") }
                        + onlyThis);
        QCOMPARE(clean.exitCode, 0);
        QVERIFY2(clean.out.contains(QByteArray("removed " + address.toUtf8() + ": unattached (nattch 0)")),
                 clean.out.constData());
        QVERIFY2(
            clean.out.contains(QByteArray("removed " + QFile::encodeName(keyFile) + ": the QSharedMemory key file")),
            clean.out.constData());
        QVERIFY2(clean.out.contains("removed 1 of 1 objects considered"), clean.out.constData());
        QVERIFY(::shmget(sysvKey, 0, 0) < 0);
        QVERIFY(!exists(keyFile));
        // Only that: the decoys are still there.
        QVERIFY(exists(QStringLiteral("/dev/shm/") + decoy));
        QVERIFY(::shmget(decoyKey, 0, 0) >= 0);
    }

    // QSystemSemaphore leftovers (the key file qipc_systemsem_* and its System V semaphore set): a
    // semaphore made by a helper killed with SIGKILL is stale after the kill (not before, and not
    // within the grace period) and `clean` removes its set and key file; a semaphore whose helper
    // still runs and the lock of a live QSharedMemory (decoys under the same name pattern) stay.
    void qsystemSemaphoreLeftoverIsCleanedAndDecoysSurvive()
    {
        QString letters;
        for (const QChar digit : QString::number(::getpid()))
            letters += QChar(u'a' + digit.digitValue());
        struct Helper {
            QProcess process;
            QString keyFile;
            key_t key = -1;
        };
        Helper victim, liveDecoy, memoryDecoy;
        auto start = [&](Helper& helper, const QStringList& arguments) {
            helper.process.start(QStringLiteral(SHMSCOPE_QSMHOLDER), arguments);
            if (!helper.process.waitForReadyRead(20000))
                return false;
            const QStringList fields
                = QString::fromLocal8Bit(helper.process.readLine().trimmed()).split(QLatin1Char(' '));
            if (fields.size() != 2)
                return false;
            helper.keyFile = fields[0];
            helper.key = key_t(fields[1].toUInt(nullptr, 16));
            return true;
        };
        auto semaphoreFileOf = [](const QString& memoryKeyFile) -> QString {
            return QFileInfo(memoryKeyFile).path() + QStringLiteral("/qipc_systemsem_")
                + QFileInfo(memoryKeyFile).fileName().mid(int(qstrlen("qipc_sharedmemory_")));
        };
        auto setOf = [](const QString& keyFile) {
            const key_t key = ::ftok(QFile::encodeName(keyFile).constData(), 'Q');
            return key == -1 ? -1 : ::semget(key, 0, 0);
        };
        auto cleanup = qScopeGuard([&] {
            for (Helper* helper : { &victim, &liveDecoy, &memoryDecoy }) {
                helper->process.kill();
                helper->process.waitForFinished();
            }
            QStringList files { victim.keyFile, liveDecoy.keyFile };
            if (!memoryDecoy.keyFile.isEmpty()) {
                files << semaphoreFileOf(memoryDecoy.keyFile);
                ::shmctl(::shmget(memoryDecoy.key, 0, 0), IPC_RMID, nullptr);
                QFile::remove(memoryDecoy.keyFile);
            }
            for (const QString& file : files) {
                if (file.isEmpty())
                    continue;
                const int semid = setOf(file);
                if (semid >= 0)
                    ::semctl(semid, 0, IPC_RMID);
                QFile::remove(file);
            }
        });
        QVERIFY(start(
            victim,
            { QStringLiteral("--semaphore"), QStringLiteral("shmscope-test-%1-qss-%2").arg(::getpid()).arg(letters) }));
        QVERIFY(start(
            liveDecoy,
            { QStringLiteral("--semaphore"), QStringLiteral("shmscope-test-%1-qsd-%2").arg(::getpid()).arg(letters) }));
        QVERIFY(start(memoryDecoy, { QStringLiteral("shmscope-test-%1-qsm-%2").arg(::getpid()).arg(letters) }));
        const QString memoryLock = semaphoreFileOf(memoryDecoy.keyFile);
        QVERIFY(QFileInfo(victim.keyFile).fileName().startsWith(QLatin1String("qipc_systemsem_shmscopetestqss")));
        QVERIFY(setOf(victim.keyFile) >= 0 && setOf(liveDecoy.keyFile) >= 0 && setOf(memoryLock) >= 0);
        // All three and nothing else of the machine: the letters are this test's pid.
        const QStringList onlyThese { QStringLiteral("--name"),
                                      QStringLiteral("qipc_systemsem_shmscopetestqs?") + letters + QLatin1Char('*') };
        auto semaphoreEntries = [](const Run& run, const QString& action) {
            QStringList files;
            for (const QJsonValue entry : run.json().value(QStringLiteral("semaphoreSets")).toArray()) {
                if (entry.toObject().value(QStringLiteral("action")).toString() == action)
                    files << entry.toObject().value(QStringLiteral("keyFile")).toString();
            }
            return files;
        };

        // Before the kill: all three in use.
        Run before = cli(QStringList { QStringLiteral("clean"), QStringLiteral("--older-than"), QStringLiteral("0s"),
                                       QStringLiteral("--json") }
                         + onlyThese);
        QCOMPARE(before.exitCode, 0);
        QCOMPARE(before.json().value(QStringLiteral("semaphoreSetsConsidered")).toInt(), 3);
        QCOMPARE(
            before.json().value(QStringLiteral("semaphoreSetsKept")).toObject().value(QStringLiteral("in use")).toInt(),
            3);
        QVERIFY(before.json().value(QStringLiteral("semaphoreSets")).toArray().isEmpty());

        ::kill(pid_t(victim.process.processId()), SIGKILL);
        QVERIFY(victim.process.waitForFinished(10000));

        // Within the grace period: recent.
        Run recent = cli(QStringList { QStringLiteral("clean"), QStringLiteral("--older-than"), QStringLiteral("1h"),
                                       QStringLiteral("--json") }
                         + onlyThese);
        QCOMPARE(
            recent.json().value(QStringLiteral("semaphoreSetsKept")).toObject().value(QStringLiteral("recent")).toInt(),
            1);
        QVERIFY(setOf(victim.keyFile) >= 0);

        Run dry = cli(QStringList { QStringLiteral("clean"), QStringLiteral("--dry-run"),
                                    QStringLiteral("--older-than"), QStringLiteral("0s"), QStringLiteral("--json") }
                      + onlyThese);
        QCOMPARE(semaphoreEntries(dry, QStringLiteral("would remove")), QStringList { victim.keyFile });
        QVERIFY(setOf(victim.keyFile) >= 0 && exists(victim.keyFile));

        const int victimSet = setOf(victim.keyFile);
        Run clean = cli(QStringList { QStringLiteral("clean"), QStringLiteral("--older-than"), QStringLiteral("0s") }
                        + onlyThese);
        QCOMPARE(clean.exitCode, 0);
        QVERIFY2(clean.out.contains(QByteArray("removed semaphore set " + QByteArray::number(victimSet))),
                 clean.out.constData());
        QVERIFY2(clean.out.contains(
                     QByteArray("removed " + QFile::encodeName(victim.keyFile) + ": the QSystemSemaphore key file")),
                 clean.out.constData());
        QVERIFY2(clean.out.contains("removed 1 of 3 QSystemSemaphore leftovers considered; left alone: 2 in use"),
                 clean.out.constData());
        QVERIFY(setOf(victim.keyFile) < 0);
        QVERIFY(!exists(victim.keyFile));
        // The decoys are untouched.
        QVERIFY(setOf(liveDecoy.keyFile) >= 0 && exists(liveDecoy.keyFile));
        QVERIFY(setOf(memoryLock) >= 0 && exists(memoryLock));
        QVERIFY(::shmget(memoryDecoy.key, 0, 0) >= 0);
    }

    // POSIX objects: in a PID namespace of its own (where every process can be inspected) clean
    // removes the unheld object and keeps the one a process holds by descriptor only.
    void posixCleanKeepsWhatIsHeld()
    {
        if (::geteuid() != 0)
            QSKIP("needs root for a PID namespace (unshare)");
        const QString prefix = QStringLiteral("shmscope-test-%1-ns%2-").arg(::getpid()).arg(++m_counter);
        const QString unheld = prefix + QStringLiteral("unheld");
        const QString held = prefix + QStringLiteral("held");
        QVERIFY(makePosix(unheld));
        QVERIFY(makePosix(held));
        auto cleanup = qScopeGuard([&] {
            ::unlink(QFile::encodeName(QStringLiteral("/dev/shm/") + unheld).constData());
            ::unlink(QFile::encodeName(QStringLiteral("/dev/shm/") + held).constData());
        });
        const QString script
            = QStringLiteral("exec 3</dev/shm/%1; exec \"$0\" clean --older-than 0s --name '%2*' --json")
                  .arg(held, prefix);
        const Run clean
            = run(QStringLiteral("unshare"),
                  { QStringLiteral("--pid"), QStringLiteral("--fork"), QStringLiteral("--mount-proc"),
                    QStringLiteral("sh"), QStringLiteral("-c"), script, QStringLiteral(SHMSCOPE_CLI_PATH) });
        if (clean.exitCode != 0 && clean.out.isEmpty())
            QSKIP(qPrintable(QStringLiteral("unshare failed here: ") + QString::fromLocal8Bit(clean.err)));
        const QJsonObject report = clean.json();
        QCOMPARE(report.value(QStringLiteral("uninspectedProcesses")).toInt(), 0);
        QCOMPARE(removedAddresses(report), QStringList { QStringLiteral("posix:/") + unheld });
        QCOMPARE(report.value(QStringLiteral("kept")).toObject().value(QStringLiteral("in use")).toInt(), 1);
        QVERIFY(!exists(QStringLiteral("/dev/shm/") + unheld));
        QVERIFY(exists(QStringLiteral("/dev/shm/") + held));
    }

    // A user who cannot inspect root's processes gets "unknown" for an object nobody it can see holds,
    // and its clean removes nothing.
    void uninspectedProcessesMakeTheStateUnknown()
    {
        if (::geteuid() != 0)
            QSKIP("needs root to run as a second user");
        std::string whyNot;
        const std::optional<shmscope::test::TestUser> testUser = shmscope::test::secondUser(whyNot);
        if (!testUser)
            QSKIP(whyNot.c_str());
        const passwd* entry = ::getpwnam(testUser->name.c_str());
        QVERIFY(entry);
        const QString name = uniqueName(QStringLiteral("other"));
        QVERIFY(makePosix(name));
        auto cleanup
            = qScopeGuard([&] { ::unlink(QFile::encodeName(QStringLiteral("/dev/shm/") + name).constData()); });
        // The other user's process must be able to read the object's entry: hand it over.
        QCOMPARE(
            ::chown(QFile::encodeName(QStringLiteral("/dev/shm/") + name).constData(), entry->pw_uid, entry->pw_gid),
            0);
        const QStringList asUser { QStringLiteral("--reuid=%1").arg(entry->pw_uid),
                                   QStringLiteral("--regid=%1").arg(entry->pw_gid), QStringLiteral("--clear-groups"),
                                   QStringLiteral(SHMSCOPE_CLI_PATH) };
        const Run holders
            = run(QStringLiteral("setpriv"),
                  asUser
                      + QStringList { QStringLiteral("holders"), QStringLiteral("posix:/") + name,
                                      QStringLiteral("--older-than"), QStringLiteral("0s"), QStringLiteral("--json") });
        QCOMPARE(holders.exitCode, 0);
        const QJsonObject object = holders.json();
        QVERIFY(object.value(QStringLiteral("uninspectedProcesses")).toInt() > 0);
        QCOMPARE(object.value(QStringLiteral("stale")).toObject().value(QStringLiteral("state")).toString(),
                 QStringLiteral("unknown"));
        const Run clean = run(QStringLiteral("setpriv"),
                              asUser
                                  + QStringList { QStringLiteral("clean"), QStringLiteral("--older-than"),
                                                  QStringLiteral("0s"), QStringLiteral("--name"), name });
        QCOMPARE(clean.exitCode, 0);
        QVERIFY2(clean.out.contains("removed 0 of 1 objects considered; left alone: 1 unknown"), clean.out.constData());
        QVERIFY(exists(QStringLiteral("/dev/shm/") + name));
    }

    void badDurationIsAUsageError()
    {
        const Run bad = cli({ QStringLiteral("clean"), QStringLiteral("--older-than"), QStringLiteral("soon"),
                              QStringLiteral("--name"), QStringLiteral("shmscope-test-none") });
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains("clean: --older-than soon: not a duration"), bad.err.constData());
        const Run missing
            = cli({ QStringLiteral("holders"), QStringLiteral("posix:/shmscope-test-%1-missing").arg(::getpid()) });
        QCOMPARE(missing.exitCode, 3);
    }
};

QTEST_GUILESS_MAIN(TestCliInventory)
#include "tst_cliinventory.moc"
