// `shmscope-cli pages` and `info --processes` (app/cli/pagescommand.cpp) against real objects and real
// peers: Python programs that map the object MAP_PRIVATE or MAP_SHARED and write a page, read through
// --pid; both the PAGEMAP_SCAN and the pagemap-read paths; exit codes; a file's page cache.
#include "tests/core/testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/mman.h>
#include <unistd.h>

namespace {

constexpr int kTimeoutMs = 30000;

struct CliRun {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

QProcessEnvironment environment(const QStringList& extra = {})
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C.UTF-8"));
    env.remove(QStringLiteral("LANGUAGE"));
    for (const QString& assignment : extra)
        env.insert(assignment.section(QLatin1Char('='), 0, 0), assignment.section(QLatin1Char('='), 1));
    return env;
}

CliRun cli(const QStringList& args, const QStringList& env = {}, uid_t asUid = 0, gid_t asGid = 0)
{
    QProcess process;
    process.setProcessEnvironment(environment(env));
    if (asUid != 0) {
        process.setChildProcessModifier([asUid, asGid] {
            if (::setgroups(0, nullptr) != 0 || ::setgid(asGid) != 0 || ::setuid(asUid) != 0)
                ::_exit(125);
        });
    }
    process.start(QStringLiteral(SHMSCOPE_CLI_PATH), args);
    CliRun run;
    if (!process.waitForFinished(kTimeoutMs)) {
        process.kill();
        process.waitForFinished();
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

QJsonObject json(const CliRun& run)
{
    return QJsonDocument::fromJson(run.out).object();
}

// A Python program that maps `path` (a /dev/shm object or a file) with `flags` ("MAP_PRIVATE" or
// "MAP_SHARED"), writes 5 bytes into page `page`, prints its pid and waits until stdin closes.
class PythonPeer
{
public:
    // With `offset` > 0 only the object's bytes from `offset` (a page multiple) on are mapped, and
    // `page` counts from there.
    PythonPeer(const QString& path, const QString& flags, int page, int offset = 0)
    {
        const QString script
            = QStringLiteral("import mmap, os, sys\n"
                             "fd = os.open(%1, os.O_RDWR)\n"
                             "size = os.fstat(fd).st_size - %4\n"
                             "m = mmap.mmap(fd, size, mmap.%2, mmap.PROT_READ | mmap.PROT_WRITE, offset=%4)\n"
                             "m[%3 * 4096:%3 * 4096 + 5] = b'peer!'\n"
                             "print(os.getpid(), flush=True)\n"
                             "sys.stdin.read()\n")
                  .arg(QStringLiteral("'") + path + QStringLiteral("'"), flags)
                  .arg(page)
                  .arg(offset);
        m_process.start(QStringLiteral("python3"), { QStringLiteral("-c"), script });
        if (m_process.waitForReadyRead(kTimeoutMs))
            m_pid = m_process.readLine().trimmed().toInt();
    }
    ~PythonPeer()
    {
        m_process.closeWriteChannel();
        if (!m_process.waitForFinished(kTimeoutMs))
            m_process.kill();
        m_process.waitForFinished();
    }
    int pid() const { return m_pid; }

private:
    QProcess m_process;
    int m_pid = 0;
};

// The runs of a `pages --json` view as "first-count:state".
QStringList runsOf(const QJsonObject& view)
{
    QStringList runs;
    for (const QJsonValue& run : view.value(QStringLiteral("runs")).toArray()) {
        const QJsonObject object = run.toObject();
        runs << QStringLiteral("%1-%2:%3")
                    .arg(object.value(QStringLiteral("firstPage")).toInteger())
                    .arg(object.value(QStringLiteral("pages")).toInteger())
                    .arg(object.value(QStringLiteral("state")).toString());
    }
    return runs;
}

} // namespace

class TestCliPages : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();
    void pythonPrivateWriterShowsPrivateCopy_data();
    void pythonPrivateWriterShowsPrivateCopy();
    void infoProcessesListsEveryView();
    void peerMappingPartOfTheObject();
    void ownViewAndErrors();
    void otherUsersProcessIsNotInspected();
    void filePageCache();

private:
    QString posixName(const char* tag)
    {
        m_names << QStringLiteral("shmscope-test-%1-pages-%2").arg(::getpid()).arg(QLatin1String(tag));
        return m_names.last();
    }
    QStringList m_names;
    QTemporaryDir m_dir;
};

void TestCliPages::initTestCase()
{
    if (::sysconf(_SC_PAGESIZE) != 4096)
        QSKIP("the tests count 4 KiB pages");
    QVERIFY(m_dir.isValid());
    QProcess python;
    python.start(QStringLiteral("python3"), { QStringLiteral("--version") });
    QVERIFY2(python.waitForFinished(kTimeoutMs) && python.exitCode() == 0, "python3 is needed (the peer)");
}

void TestCliPages::cleanup()
{
    for (const QString& name : std::as_const(m_names))
        cli({ QStringLiteral("remove"), QStringLiteral("posix:/") + name });
    m_names.clear();
}

void TestCliPages::pythonPrivateWriterShowsPrivateCopy_data()
{
    QTest::addColumn<QStringList>("env");
    QTest::addColumn<QString>("method");
    QTest::newRow("auto (PAGEMAP_SCAN where the kernel has it)") << QStringList() << QString();
    QTest::newRow("pagemap reads forced")
        << QStringList { QStringLiteral("SHMSCOPE_PAGEMAP_METHOD=read") } << QStringLiteral("pagemap");
}

// A Python program maps the object MAP_PRIVATE and writes page 3: `pages --pid` shows page 3 as a
// private copy and every other page not present, in text and JSON; the summary of `info --processes`
// counts one private copy, by PAGEMAP_SCAN or by pagemap reads.
void TestCliPages::pythonPrivateWriterShowsPrivateCopy()
{
    QFETCH(QStringList, env);
    QFETCH(QString, method);
    const QString name = posixName("cow");
    const QString address = QStringLiteral("posix:/") + name;
    QCOMPARE(cli({ QStringLiteral("create"), address, QStringLiteral("--size"), QStringLiteral("64K") }).exitCode, 0);
    PythonPeer peer(QStringLiteral("/dev/shm/") + name, QStringLiteral("MAP_PRIVATE"), 3);
    QVERIFY(peer.pid() > 0);

    const CliRun text
        = cli({ QStringLiteral("pages"), address, QStringLiteral("--pid"), QString::number(peer.pid()) }, env);
    QCOMPARE(text.exitCode, 0);
    QVERIFY2(text.out.contains("rw-p"), text.out.constData());
    QVERIFY2(text.out.contains("page 3            private copy"), text.out.constData());
    QVERIFY2(text.out.contains("pages 4-15        not present"), text.out.constData());

    const CliRun run = cli({ QStringLiteral("pages"), address, QStringLiteral("--pid"), QString::number(peer.pid()),
                             QStringLiteral("--json") },
                           env);
    QCOMPARE(run.exitCode, 0);
    const QJsonArray views = json(run).value(QStringLiteral("views")).toArray();
    QCOMPARE(views.size(), 1);
    const QJsonObject view = views.first().toObject();
    QCOMPARE(view.value(QStringLiteral("pid")).toInt(), peer.pid());
    QCOMPARE(view.value(QStringLiteral("perms")).toString(), QStringLiteral("rw-p"));
    QCOMPARE(runsOf(view),
             QStringList({ QStringLiteral("0-3:not present"), QStringLiteral("3-1:private copy"),
                           QStringLiteral("4-12:not present") }));
    QCOMPARE(view.value(QStringLiteral("counts")).toObject().value(QStringLiteral("privateCopy")).toInt(), 1);

    const CliRun info
        = cli({ QStringLiteral("info"), address, QStringLiteral("--processes"), QStringLiteral("--json") }, env);
    QCOMPARE(info.exitCode, 0);
    const QJsonArray cards = json(info).value(QStringLiteral("views")).toArray();
    QCOMPARE(cards.size(), 1);
    const QJsonObject pages = cards.first().toObject().value(QStringLiteral("pages")).toObject();
    QCOMPARE(pages.value(QStringLiteral("privateCopies")).toInt(), 1);
    QCOMPARE(pages.value(QStringLiteral("present")).toInt(), 0);
    QCOMPARE(pages.value(QStringLiteral("notPresent")).toInt(), 15);
    if (!method.isEmpty())
        QCOMPARE(pages.value(QStringLiteral("method")).toString(), method);
}

// Two Python peers, one MAP_SHARED writing page 1, one MAP_PRIVATE writing page 3: the card lists both
// views (rw-s and rw-p) with their smaps counters (the private one has one anonymous page), tmpfs as
// backing, and no page cache (memory, not a file).
void TestCliPages::infoProcessesListsEveryView()
{
    const QString name = posixName("card");
    const QString address = QStringLiteral("posix:/") + name;
    QCOMPARE(cli({ QStringLiteral("create"), address, QStringLiteral("--size"), QStringLiteral("64K") }).exitCode, 0);
    PythonPeer shared(QStringLiteral("/dev/shm/") + name, QStringLiteral("MAP_SHARED"), 1);
    PythonPeer cow(QStringLiteral("/dev/shm/") + name, QStringLiteral("MAP_PRIVATE"), 3);
    QVERIFY(shared.pid() > 0 && cow.pid() > 0);

    const CliRun run
        = cli({ QStringLiteral("info"), address, QStringLiteral("--processes"), QStringLiteral("--json") });
    QCOMPARE(run.exitCode, 0);
    const QJsonObject root = json(run);
    QCOMPARE(root.value(QStringLiteral("backing")).toString(), QStringLiteral("tmpfs"));
    QVERIFY(root.value(QStringLiteral("pageCache")).isNull());
    QMap<int, QJsonObject> byPid;
    for (const QJsonValue& value : root.value(QStringLiteral("views")).toArray())
        byPid.insert(value.toObject().value(QStringLiteral("pid")).toInt(), value.toObject());
    QCOMPARE(byPid.keys(), QList<int>({ std::min(shared.pid(), cow.pid()), std::max(shared.pid(), cow.pid()) }));
    const QJsonObject sharedCard = byPid.value(shared.pid());
    const QJsonObject cowCard = byPid.value(cow.pid());
    QCOMPARE(sharedCard.value(QStringLiteral("perms")).toString(), QStringLiteral("rw-s"));
    QCOMPARE(cowCard.value(QStringLiteral("perms")).toString(), QStringLiteral("rw-p"));
    QCOMPARE(sharedCard.value(QStringLiteral("smaps")).toObject().value(QStringLiteral("rss")).toInt(), 4096);
    QCOMPARE(sharedCard.value(QStringLiteral("smaps")).toObject().value(QStringLiteral("anonymous")).toInt(), 0);
    QCOMPARE(cowCard.value(QStringLiteral("smaps")).toObject().value(QStringLiteral("anonymous")).toInt(), 4096);
    QCOMPARE(sharedCard.value(QStringLiteral("pages")).toObject().value(QStringLiteral("present")).toInt(), 1);

    const CliRun text = cli({ QStringLiteral("info"), address, QStringLiteral("--processes") });
    QCOMPARE(text.exitCode, 0);
    QVERIFY2(text.out.contains("Anonymous 4 KiB"), text.out.constData());
    QVERIFY2(text.out.contains(QStringLiteral("pid %1 (python3)").arg(cow.pid()).toUtf8()), text.out.constData());
}

// A peer that maps only the object's bytes from 8 KiB on (mmap offset) and writes its own page 1: the
// pages are the object's (page 3 is the private copy), the view starts at object offset 0x2000, and a
// range before it is refused.
void TestCliPages::peerMappingPartOfTheObject()
{
    const QString name = posixName("part");
    const QString address = QStringLiteral("posix:/") + name;
    QCOMPARE(cli({ QStringLiteral("create"), address, QStringLiteral("--size"), QStringLiteral("24K") }).exitCode, 0);
    PythonPeer peer(QStringLiteral("/dev/shm/") + name, QStringLiteral("MAP_PRIVATE"), 1, 8192);
    QVERIFY(peer.pid() > 0);
    const CliRun run = cli({ QStringLiteral("pages"), address, QStringLiteral("--pid"), QString::number(peer.pid()),
                             QStringLiteral("--json") });
    QCOMPARE(run.exitCode, 0);
    const QJsonObject view = json(run).value(QStringLiteral("views")).toArray().first().toObject();
    QCOMPARE(view.value(QStringLiteral("objectOffset")).toInt(), 8192);
    QCOMPARE(runsOf(view),
             QStringList({ QStringLiteral("2-1:not present"), QStringLiteral("3-1:private copy"),
                           QStringLiteral("4-2:not present") }));
    QCOMPARE(cli({ QStringLiteral("pages"), address, QStringLiteral("--pid"), QString::number(peer.pid()),
                   QStringLiteral("--offset"), QStringLiteral("0") })
                 .exitCode,
             2);
}

// Without --pid: the command's own fresh view, nothing present. Errors: a process that does not map
// the object (3), one that does not exist (3), bad --pid (2), a range past the view (2).
void TestCliPages::ownViewAndErrors()
{
    const QString address = QStringLiteral("posix:/") + posixName("own");
    QCOMPARE(cli({ QStringLiteral("create"), address, QStringLiteral("--size"), QStringLiteral("16K") }).exitCode, 0);
    const CliRun own = cli({ QStringLiteral("pages"), address, QStringLiteral("--json") });
    QCOMPARE(own.exitCode, 0);
    const QJsonObject view = json(own).value(QStringLiteral("views")).toArray().first().toObject();
    QCOMPARE(view.value(QStringLiteral("perms")).toString(), QStringLiteral("r--s"));
    QCOMPARE(runsOf(view), QStringList { QStringLiteral("0-4:not present") });

    QCOMPARE(cli({ QStringLiteral("pages"), address, QStringLiteral("--pid"), QString::number(::getpid()) }).exitCode,
             3);
    QCOMPARE(cli({ QStringLiteral("pages"), address, QStringLiteral("--pid"), QStringLiteral("2147483647") }).exitCode,
             3);
    QCOMPARE(cli({ QStringLiteral("pages"), address, QStringLiteral("--pid"), QStringLiteral("x") }).exitCode, 2);
    const CliRun past = cli({ QStringLiteral("pages"), address, QStringLiteral("--offset"), QStringLiteral("0x2000"),
                              QStringLiteral("--length"), QStringLiteral("16K") });
    QCOMPARE(past.exitCode, 2);
    QVERIFY2(past.err.contains("outside"), past.err.constData());
    QCOMPARE(cli({ QStringLiteral("pages"), QStringLiteral("posix:/") + posixName("missing") }).exitCode, 3);
}

// Another user's process cannot be inspected: as the test user (made by the core tests as root),
// `pages --pid` of this (root) process, which maps the object, exits 4 naming the pid, and
// `info --processes` counts it as not inspected.
void TestCliPages::otherUsersProcessIsNotInspected()
{
    if (::geteuid() != 0)
        QSKIP("needs root to run the CLI as a second user");
    std::string whyNot;
    const std::optional<shmscope::test::TestUser> testUser = shmscope::test::secondUser(whyNot);
    if (!testUser)
        QSKIP(whyNot.c_str());
    const passwd* user = ::getpwnam(testUser->name.c_str());
    QVERIFY(user);
    const QString name = posixName("user");
    const QString address = QStringLiteral("posix:/") + name;
    QCOMPARE(cli({ QStringLiteral("create"), address, QStringLiteral("--size"), QStringLiteral("8K"),
                   QStringLiteral("--mode"), QStringLiteral("0644") })
                 .exitCode,
             0);
    const QByteArray path = QStringLiteral("/dev/shm/%1").arg(name).toUtf8();
    const int fd = ::open(path.constData(), O_RDONLY);
    QVERIFY(fd >= 0);
    void* view = ::mmap(nullptr, 8192, PROT_READ, MAP_SHARED, fd, 0);
    ::close(fd);
    QVERIFY(view != MAP_FAILED);
    const CliRun denied
        = cli({ QStringLiteral("pages"), address, QStringLiteral("--pid"), QString::number(::getpid()) }, {},
              user->pw_uid, user->pw_gid);
    const CliRun card
        = cli({ QStringLiteral("info"), address, QStringLiteral("--processes"), QStringLiteral("--json") }, {},
              user->pw_uid, user->pw_gid);
    ::munmap(view, 8192);
    QCOMPARE(denied.exitCode, 4);
    QVERIFY2(denied.err.contains(QStringLiteral("pid %1").arg(::getpid()).toUtf8()), denied.err.constData());
    QCOMPARE(card.exitCode, 0);
    QVERIFY(json(card).value(QStringLiteral("uninspectedPids")).toArray().contains(::getpid()));
}

// A file: a Python peer writes page 2 through MAP_SHARED without msync: the page cache has dirty pages
// (cachestat) or says why it cannot tell; with the test switch the card says "not observable".
void TestCliPages::filePageCache()
{
    const QString path = m_dir.filePath(QStringLiteral("shmscope-test-%1-pages.dat").arg(::getpid()));
    const QString address = QStringLiteral("file:") + path;
    QCOMPARE(cli({ QStringLiteral("create"), address, QStringLiteral("--size"), QStringLiteral("32K") }).exitCode, 0);
    PythonPeer writer(path, QStringLiteral("MAP_SHARED"), 2);
    QVERIFY(writer.pid() > 0);
    const CliRun run
        = cli({ QStringLiteral("info"), address, QStringLiteral("--processes"), QStringLiteral("--json") });
    QCOMPARE(run.exitCode, 0);
    const QJsonObject root = json(run);
    QVERIFY(root.value(QStringLiteral("backing")).toString() != QStringLiteral("tmpfs"));
    if (root.value(QStringLiteral("pageCache")).isObject()) {
        const QJsonObject cache = root.value(QStringLiteral("pageCache")).toObject();
        QVERIFY(cache.value(QStringLiteral("cached")).toInt() >= 1);
        QVERIFY(cache.value(QStringLiteral("dirty")).toInt() + cache.value(QStringLiteral("writeback")).toInt() >= 1);
    } else {
        QVERIFY2(root.value(QStringLiteral("pageCacheNote")).toString().contains(QStringLiteral("not observable")),
                 run.out.constData());
    }
    const CliRun off = cli({ QStringLiteral("info"), address, QStringLiteral("--processes"), QStringLiteral("--json") },
                           { QStringLiteral("SHMSCOPE_NO_CACHESTAT=1") });
    QCOMPARE(off.exitCode, 0);
    QVERIFY(json(off).value(QStringLiteral("pageCache")).isNull());
    QVERIFY(json(off).value(QStringLiteral("pageCacheNote")).toString().contains(QStringLiteral("not observable")));
    const CliRun text = cli({ QStringLiteral("info"), address, QStringLiteral("--processes") },
                            { QStringLiteral("SHMSCOPE_NO_CACHESTAT=1") });
    QVERIFY2(text.out.contains("page cache: ") && text.out.contains("not observable"), text.out.constData());
}

QTEST_GUILESS_MAIN(TestCliPages)
#include "tst_clipages.moc"
