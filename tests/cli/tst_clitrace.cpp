// `shmscope-cli --trace` agrees with strace (issue 10, section 1): each command runs under
// `strace -f`, and every system call the journal prints must appear in strace's output of the same
// thread with the same arguments and result, in the same order (strace also shows the calls the C
// library and Qt make; those are skipped). Covers create, attach read-write / read-only /
// copy-on-write, write (the OFD lock and the store), remove, a failing remove (ENOENT), and the same
// for a System V segment (shmget/shmat/shmctl and its lock file).
//
// strace needs ptrace rights. Where it cannot trace (a container without CAP_SYS_PTRACE, Yama
// ptrace_scope 3), the test is skipped and says why.
#include <QFile>
#include <QHash>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <unistd.h>

namespace {

struct TracedRun {
    int exitCode = -1;
    QStringList journal; // "name(args) = result" of each system-call row, in order
    QList<qint64> threads; // the thread of each of those rows
    QStringList straceLines; // "PID name(args) = result", unfinished/resumed pairs joined
    QByteArray rawJournal;
};

class TstCliTrace : public QObject
{
    Q_OBJECT

private:
    QString m_strace;
    QTemporaryDir m_dir;

    static QProcessEnvironment environment()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C.UTF-8"));
        env.remove(QStringLiteral("LANGUAGE"));
        // The sanitizer leg: LeakSanitizer cannot run under ptrace and fails the traced program at exit
        // ("LeakSanitizer does not work under ptrace"); the leak check of the CLI is made by tst_cli.
        QString asan = env.value(QStringLiteral("ASAN_OPTIONS"));
        asan += (asan.isEmpty() ? QString() : QStringLiteral(":")) + QStringLiteral("detect_leaks=0");
        env.insert(QStringLiteral("ASAN_OPTIONS"), asan);
        return env;
    }

    // strace pads results to a column (`close(4)      = 0`) and splits a call that another thread
    // interrupted into `<unfinished ...>` and `<... NAME resumed>` lines; both are undone here.
    static QStringList parseStrace(const QByteArray& text)
    {
        QStringList lines;
        QHash<QString, QString> unfinished;
        static const QRegularExpression padding(QStringLiteral("\\)\\s+= "));
        static const QRegularExpression resumed(QStringLiteral("^<\\.\\.\\. \\w+ resumed>\\s*"));
        for (const QByteArray& raw : text.split('\n')) {
            QString line = QString::fromUtf8(raw);
            const qsizetype space = line.indexOf(QLatin1Char(' '));
            if (space <= 0)
                continue;
            const QString pid = line.left(space);
            QString rest = line.mid(space + 1).trimmed(); // strace pads the pid to 5 columns
            if (rest.endsWith(QLatin1String(" <unfinished ...>"))) {
                unfinished.insert(pid, rest.chopped(int(strlen(" <unfinished ..."))).chopped(1));
                continue;
            }
            if (const QRegularExpressionMatch match = resumed.match(rest); match.hasMatch()) {
                rest = unfinished.take(pid) + rest.mid(match.capturedLength());
            }
            rest.replace(padding, QStringLiteral(") = "));
            lines << pid + QLatin1Char(' ') + rest;
        }
        return lines;
    }

    TracedRun run(const QStringList& arguments)
    {
        static int counter = 0;
        const QString out = m_dir.filePath(QStringLiteral("strace-%1.txt").arg(++counter));
        QProcess process;
        process.setProcessEnvironment(environment());
        process.start(m_strace,
                      QStringList { QStringLiteral("-f"), QStringLiteral("-qq"), QStringLiteral("-s"),
                                    QStringLiteral("65536"), QStringLiteral("-o"), out,
                                    QStringLiteral(SHMSCOPE_CLI_PATH), QStringLiteral("--trace") }
                          + arguments);
        TracedRun result;
        if (!process.waitForFinished(60000)) {
            process.kill();
            process.waitForFinished();
            return result;
        }
        result.exitCode = process.exitCode();
        result.rawJournal = process.readAllStandardError();
        // [pid TID] HH:MM:SS.uuuuuu CALL = RESULT <seconds>[ /* comment */]...
        static const QRegularExpression row(QStringLiteral(
            "^\\[pid (\\d+)\\] \\d\\d:\\d\\d:\\d\\d\\.\\d{6} (.*) <\\d+\\.\\d{6}>((?: /\\* [^*]* \\*/)*)$"));
        for (const QByteArray& raw : result.rawJournal.split('\n')) {
            const QRegularExpressionMatch match = row.match(QString::fromUtf8(raw));
            if (!match.hasMatch() || match.captured(3).contains(QLatin1String("not a system call")))
                continue;
            result.threads << match.captured(1).toLongLong();
            result.journal << match.captured(2);
        }
        QFile file(out);
        if (file.open(QIODevice::ReadOnly))
            result.straceLines = parseStrace(file.readAll());
        return result;
    }

    // Every journal row appears in strace's lines of its thread, in order. The order is per thread:
    // rows of threads running at once (the holders scan's /proc readers) may be filed in another order
    // than strace saw their calls.
    static void checkAgreement(const TracedRun& traced)
    {
        QVERIFY2(!traced.journal.isEmpty(), traced.rawJournal.constData());
        QHash<qint64, qsizetype> nextOfThread;
        for (qsizetype i = 0; i < traced.journal.size(); ++i) {
            const qint64 thread = traced.threads.at(i);
            qsizetype& next = nextOfThread[thread];
            const QString wanted = QString::number(thread) + QLatin1Char(' ') + traced.journal.at(i);
            const qsizetype found = traced.straceLines.indexOf(wanted, next);
            if (found < 0) {
                const QString context
                    = traced.straceLines.mid(std::max<qsizetype>(0, next - 2), 12).join(QLatin1Char('\n'));
                QFAIL(qPrintable(QStringLiteral("journal row %1 not found in strace's output (in order):\n  %2\n"
                                                "strace from there on:\n%3")
                                     .arg(i)
                                     .arg(wanted, context)));
            }
            next = found + 1;
        }
    }

    static bool journalHas(const TracedRun& traced, const QString& pattern)
    {
        const QRegularExpression expression(pattern);
        for (const QString& line : traced.journal) {
            if (expression.match(line).hasMatch())
                return true;
        }
        return false;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_strace = QStandardPaths::findExecutable(QStringLiteral("strace"));
        if (m_strace.isEmpty())
            QSKIP("strace is not installed (Debian package strace, in tools/dev's list)");
        // Can strace trace here at all? Without ptrace rights it fails before running the program.
        QProcess probe;
        probe.start(
            m_strace,
            { QStringLiteral("-f"), QStringLiteral("-o"), QStringLiteral("/dev/null"), QStringLiteral("/bin/true") });
        QVERIFY(probe.waitForFinished(30000));
        if (probe.exitCode() != 0) {
            const QString why = QString::fromUtf8(probe.readAllStandardError()).trimmed();
            QSKIP(qPrintable(QStringLiteral("strace cannot trace here (no ptrace rights?): ") + why));
        }
    }

    void posixObject()
    {
        const QString name = QStringLiteral("posix:/shmscope-test-%1-trace").arg(::getpid());
        const std::string path = "/shmscope-test-" + std::to_string(::getpid()) + "-trace";
        auto cleanup = qScopeGuard([&] { ::shm_unlink(path.c_str()); });

        TracedRun created = run({ QStringLiteral("create"), name, QStringLiteral("--size"), QStringLiteral("64K") });
        QCOMPARE(created.exitCode, 0);
        checkAgreement(created);
        if (QTest::currentTestFailed())
            return;
        // What glibc's shm_open really passes, and the size and mapping.
        QVERIFY(journalHas(created,
                           QStringLiteral("^openat\\(AT_FDCWD, \"/dev/shm/shmscope-test-\\d+-trace\", "
                                          "O_RDWR\\|O_CREAT\\|O_EXCL\\|O_NOFOLLOW\\|O_CLOEXEC, 0600\\) = \\d+$")));
        QVERIFY(journalHas(created, QStringLiteral("^ftruncate\\(\\d+, 65536\\) = 0$")));
        QVERIFY(journalHas(created, QStringLiteral("^fallocate\\(\\d+, 0, 0, 65536\\) = 0$")));

        const struct {
            const char* access;
            const char* mmap;
        } modes[] = {
            { "read-write", "PROT_READ\\|PROT_WRITE, MAP_SHARED" },
            { "read-only", "PROT_READ, MAP_SHARED" },
            { "copy-on-write", "PROT_READ\\|PROT_WRITE, MAP_PRIVATE" },
        };
        for (const auto& mode : modes) {
            TracedRun attached = run({ QStringLiteral("read"), name, QStringLiteral("--length"), QStringLiteral("16"),
                                       QStringLiteral("--access"), QString::fromLatin1(mode.access) });
            QCOMPARE(attached.exitCode, 0);
            checkAgreement(attached);
            if (QTest::currentTestFailed())
                return;
            QVERIFY2(journalHas(attached,
                                QStringLiteral("^mmap\\(NULL, 65536, %1, \\d+, 0\\) = 0x[0-9a-f]+$")
                                    .arg(QString::fromLatin1(mode.mmap))),
                     mode.access);
        }

        TracedRun written = run({ QStringLiteral("write"), name, QStringLiteral("--offset"), QStringLiteral("0x10"),
                                  QStringLiteral("--text"), QStringLiteral("hi") });
        QCOMPARE(written.exitCode, 0);
        checkAgreement(written);
        QVERIFY(journalHas(written,
                           QStringLiteral("^fcntl\\(\\d+, F_OFD_SETLK, \\{l_type=F_WRLCK, l_whence=SEEK_SET, "
                                          "l_start=9223372036854775806, l_len=1\\}\\) = 0$")));
        QVERIFY(journalHas(written, QStringLiteral("^fcntl\\(\\d+, F_OFD_SETLK, \\{l_type=F_UNLCK, ")));
        QVERIFY(written.rawJournal.contains("memcpy("));

        TracedRun removed = run({ QStringLiteral("remove"), name });
        QCOMPARE(removed.exitCode, 0);
        checkAgreement(removed);
        QVERIFY(journalHas(removed, QStringLiteral("^unlinkat\\(\\d+, \"shmscope-test-\\d+-trace\", 0\\) = 0$")));

        // An error by name and text, as strace prints it.
        TracedRun missing = run({ QStringLiteral("remove"), name });
        QCOMPARE(missing.exitCode, 3);
        checkAgreement(missing);
        QVERIFY(journalHas(missing, QStringLiteral("= -1 ENOENT \\(No such file or directory\\)$")));
    }

    void sysvSegment()
    {
        const unsigned key = 0x53000000u | (unsigned(::getpid()) & 0x00ffff00u) | 0x3du;
        const QString name = QStringLiteral("sysv:0x%1").arg(key, 0, 16);
        auto cleanup = qScopeGuard([&] {
            const int id = ::shmget(key_t(key), 0, 0);
            if (id >= 0)
                ::shmctl(id, IPC_RMID, nullptr);
        });
        TracedRun created = run({ QStringLiteral("create"), name, QStringLiteral("--size"), QStringLiteral("4096") });
        QCOMPARE(created.exitCode, 0);
        checkAgreement(created);
        QVERIFY(journalHas(
            created, QStringLiteral("^shmget\\(0x%1, 4096, IPC_CREAT\\|IPC_EXCL\\|0600\\) = \\d+$").arg(key, 0, 16)));
        QVERIFY(journalHas(created, QStringLiteral("^shmctl\\(\\d+, IPC_STAT, \\{shm_perm=\\{uid=")));
        QVERIFY(journalHas(created, QStringLiteral("^shmat\\(\\d+, NULL, 0\\) = 0x")));

        TracedRun readOnly = run({ QStringLiteral("read"), name, QStringLiteral("--length"), QStringLiteral("16") });
        QCOMPARE(readOnly.exitCode, 0);
        checkAgreement(readOnly);
        QVERIFY(journalHas(readOnly, QStringLiteral("^shmat\\(\\d+, NULL, SHM_RDONLY\\) = 0x")));
        QVERIFY(journalHas(readOnly, QStringLiteral("^shmdt\\(0x[0-9a-f]+\\) = 0$")));

        TracedRun written = run({ QStringLiteral("write"), name, QStringLiteral("--hex"), QStringLiteral("01 02") });
        QCOMPARE(written.exitCode, 0);
        checkAgreement(written);
        QVERIFY(journalHas(written, QStringLiteral("^fcntl\\(\\d+, F_OFD_SETLK, \\{l_type=F_WRLCK")));

        TracedRun removed = run({ QStringLiteral("remove"), name });
        QCOMPARE(removed.exitCode, 0);
        checkAgreement(removed);
        QVERIFY(journalHas(removed, QStringLiteral("^shmctl\\(\\d+, IPC_RMID, NULL\\) = 0$")));
    }
};

} // namespace

QTEST_GUILESS_MAIN(TstCliTrace)
#include "tst_clitrace.moc"
