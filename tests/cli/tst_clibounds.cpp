// shmscope-cli under memory bounds and partial writes (issue 9, items 7, 11, 12, 13), run as separate
// processes against real objects: a write cut short by a full tmpfs is announced and counted, input
// larger than the object is refused without reading it all, `watch` keeps block hashes instead of a
// copy of the object, and reads leave the holes of sparse objects unallocated.
//
// Every object is made here under a unique name (pid + counter) or in a temporary folder, and removed
// in cleanup() even when a test fails. Where the code before these fixes would have eaten the machine's
// memory (an endless input, a 16 GiB copy), the CLI runs with an address-space limit (RLIMIT_AS), so
// such a build fails fast with std::bad_alloc instead (not under AddressSanitizer, which reserves
// terabytes of address space; there the fixed code is all that runs).
#include "tests/core/testsupport.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define SHMSCOPE_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SHMSCOPE_TEST_ASAN 1
#endif
#endif

namespace {

constexpr int kProcessTimeoutMs = 60000;
constexpr int kAsyncTimeoutMs = 20000;
constexpr quint64 kGiB = quint64(1) << 30;

QProcessEnvironment cliEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C.UTF-8"));
    env.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
    env.remove(QStringLiteral("LANGUAGE"));
    return env;
}

// Limits the address space of a CLI process started by `process` to `bytes` (see the file comment).
void limitAddressSpace(QProcess& process, quint64 bytes)
{
#ifdef SHMSCOPE_TEST_ASAN
    Q_UNUSED(process);
    Q_UNUSED(bytes);
#else
    process.setChildProcessModifier([bytes] {
        const rlimit limit { rlim_t(bytes), rlim_t(bytes) };
        ::setrlimit(RLIMIT_AS, &limit);
    });
#endif
}

// The bytes of the object's backing file that are allocated (st_blocks, in bytes).
qint64 allocatedBytes(const QString& path)
{
    struct stat st = {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return -1;
    return qint64(st.st_blocks) * 512;
}

// The peak resident set of process `pid` in KiB (VmHWM of /proc/PID/status), or -1.
qint64 peakRssKiB(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    const QRegularExpression line(QStringLiteral("^VmHWM:\\s+(\\d+) kB"), QRegularExpression::MultilineOption);
    const QRegularExpressionMatch match = line.match(QString::fromLatin1(status.readAll()));
    return match.hasMatch() ? match.captured(1).toLongLong() : -1;
}

} // namespace

class TestCliBounds : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    // item 11
    void writeFromEndlessStdinIsUsageError();
    void writeFromDevZeroIsUsageError();
    void writeFromStreamThatFitsExactly();
    // item 7
    void writeCutShortByFullTmpfsIsAnnouncedAndCounted();
    // item 12
    void watchOfSparse16GiBObjectKeepsMemorySmall();
    void watchBeyondCopyBudgetReportsBlocks();
    // item 13
    void readOfHoleAllocatesNothing();

private:
    struct Run {
        int exitCode = -1;
        QProcess::ExitStatus exitStatus = QProcess::CrashExit;
        QByteArray out;
        QByteArray err;
    };
    Run finish(QProcess& process);
    QString newPosixName();
    QString createPosix(const QByteArray& contents);
    QByteArray posixBytes(const QString& name);
    QProcess* startWatch(const QStringList& arguments, QByteArray& output, quint64 addressSpace = 0);

    QString m_cli = QStringLiteral(SHMSCOPE_CLI_PATH);
    QTemporaryDir m_dir;
    int m_counter = 0;
    QStringList m_posixNames;
    QList<QProcess*> m_processes;
    QStringList m_mounts;
};

TestCliBounds::Run TestCliBounds::finish(QProcess& process)
{
    Run run;
    if (!process.waitForFinished(kProcessTimeoutMs)) {
        qWarning() << "shmscope-cli did not finish";
        process.kill();
        process.waitForFinished();
        return run;
    }
    run.exitCode = process.exitCode();
    run.exitStatus = process.exitStatus();
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

QString TestCliBounds::newPosixName()
{
    const QString name = QStringLiteral("shmscope-test-%1-bounds-%2").arg(::getpid()).arg(++m_counter);
    m_posixNames << name;
    return name;
}

// A new POSIX object holding `contents`; returns its name (without the slash).
QString TestCliBounds::createPosix(const QByteArray& contents)
{
    const QString name = newPosixName();
    QFile file(QStringLiteral("/dev/shm/") + name);
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly) || file.write(contents) != contents.size())
        return {};
    return name;
}

QByteArray TestCliBounds::posixBytes(const QString& name)
{
    QFile file(QStringLiteral("/dev/shm/") + name);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QProcess* TestCliBounds::startWatch(const QStringList& arguments, QByteArray& output, quint64 addressSpace)
{
    auto* process = new QProcess(this);
    m_processes << process;
    process->setProcessEnvironment(cliEnvironment());
    if (addressSpace)
        limitAddressSpace(*process, addressSpace);
    connect(process, &QProcess::readyReadStandardOutput, process,
            [process, &output] { output += process->readAllStandardOutput(); });
    process->start(m_cli, QStringList { QStringLiteral("watch") } + arguments);
    if (!process->waitForStarted(kProcessTimeoutMs))
        return nullptr;
    const bool ready = QTest::qWaitFor(
        [&] { return output.contains("watching ") || process->state() == QProcess::NotRunning; }, kAsyncTimeoutMs);
    if (!ready || !output.contains("watching ")) {
        qWarning() << "watch did not become ready:" << output << process->readAllStandardError();
        return nullptr;
    }
    return process;
}

void TestCliBounds::initTestCase()
{
    QVERIFY2(QFile::exists(m_cli), qPrintable(m_cli));
    QVERIFY(m_dir.isValid());
}

void TestCliBounds::cleanup()
{
    for (QProcess* process : std::as_const(m_processes)) {
        process->disconnect();
        if (process->state() != QProcess::NotRunning) {
            process->terminate();
            if (!process->waitForFinished(kProcessTimeoutMs)) {
                process->kill();
                process->waitForFinished(kProcessTimeoutMs);
            }
        }
        delete process;
    }
    m_processes.clear();
    for (const QString& name : std::as_const(m_posixNames))
        ::shm_unlink(QByteArray('/' + name.toUtf8()).constData());
    m_posixNames.clear();
    for (const QString& mount : std::as_const(m_mounts))
        shmscope::test::unmountSmallTmpfs(QFile::encodeName(mount).toStdString());
    m_mounts.clear();
}

// ---- item 11: input is read at most up to what fits ------------------------------------------------

void TestCliBounds::writeFromEndlessStdinIsUsageError()
{
    QByteArray contents(4096, '\0');
    for (int i = 0; i < contents.size(); ++i)
        contents[i] = char(i * 13);
    const QString name = createPosix(contents);
    QVERIFY(!name.isEmpty());

    // `yes` writes forever; only the CLI's exit ends it (SIGPIPE).
    QProcess yes;
    QProcess write;
    yes.setStandardOutputProcess(&write);
    write.setProcessEnvironment(cliEnvironment());
    limitAddressSpace(write, 2 * kGiB);
    yes.start(QStringLiteral("yes"), { QStringLiteral("shmscope") });
    write.start(m_cli,
                { QStringLiteral("write"), QStringLiteral("posix:/") + name, QStringLiteral("--offset"),
                  QStringLiteral("96"), QStringLiteral("--stdin") });
    QVERIFY(yes.waitForStarted(kProcessTimeoutMs));
    QVERIFY(write.waitForStarted(kProcessTimeoutMs));
    const Run run = finish(write);
    yes.kill();
    yes.waitForFinished(kProcessTimeoutMs);

    QCOMPARE(run.exitStatus, QProcess::NormalExit);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.out.isEmpty(), run.out.constData());
    QCOMPARE(run.err,
             QByteArray("shmscope-cli: write posix:/" + name.toUtf8()
                        + ": more than 4000 bytes of standard input at offset 96 do not fit in the object (size 4096 "
                          "bytes); nothing written\n"));
    QCOMPARE(posixBytes(name), contents);
}

void TestCliBounds::writeFromDevZeroIsUsageError()
{
    const QByteArray contents(8192, 'k');
    const QString name = createPosix(contents);
    QVERIFY(!name.isEmpty());

    // /dev/zero is only read (never written or removed): an input that never ends.
    QProcess write;
    write.setProcessEnvironment(cliEnvironment());
    limitAddressSpace(write, 2 * kGiB);
    write.start(m_cli,
                { QStringLiteral("write"), QStringLiteral("posix:/") + name, QStringLiteral("--file"),
                  QStringLiteral("/dev/zero") });
    QVERIFY(write.waitForStarted(kProcessTimeoutMs));
    const Run run = finish(write);
    QCOMPARE(run.exitStatus, QProcess::NormalExit);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.out.isEmpty(), run.out.constData());
    QVERIFY2(run.err.startsWith(QByteArray("shmscope-cli: write posix:/" + name.toUtf8()
                                           + ": more than 8192 bytes of /dev/zero at offset 0 do not fit")),
             run.err.constData());
    QCOMPARE(run.err.count('\n'), 1);
    QCOMPARE(posixBytes(name), contents);
}

// The bound is "what fits + 1 byte": input of exactly the free space is still written whole.
void TestCliBounds::writeFromStreamThatFitsExactly()
{
    const QString name = createPosix(QByteArray(300 * 1024, '\0'));
    QVERIFY(!name.isEmpty());
    QByteArray input(300 * 1024 - 7, '\0');
    for (int i = 0; i < input.size(); ++i)
        input[i] = char('a' + i % 26);

    QProcess write;
    write.setProcessEnvironment(cliEnvironment());
    write.start(m_cli,
                { QStringLiteral("write"), QStringLiteral("posix:/") + name, QStringLiteral("--offset"),
                  QStringLiteral("7"), QStringLiteral("--stdin") });
    QVERIFY(write.waitForStarted(kProcessTimeoutMs));
    write.write(input);
    write.closeWriteChannel();
    const Run run = finish(write);
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QVERIFY2(run.out.startsWith(QByteArray("wrote 307193 bytes at offset 7 of posix:/" + name.toUtf8())),
             run.out.constData());
    QCOMPARE(posixBytes(name), QByteArray(7, '\0') + input);
}

// ---- item 7: a write cut short by a full tmpfs --------------------------------------------------

void TestCliBounds::writeCutShortByFullTmpfsIsAnnouncedAndCounted()
{
    // A 64 KiB tmpfs of our own and a 1 MiB file: object in it (tests/core/testsupport.h).
    const QString mountPoint = m_dir.filePath(QStringLiteral("tmpfs-%1").arg(++m_counter));
    std::string whyNot;
    const std::optional<std::string> file = shmscope::test::mountSmallTmpfs(
        QFile::encodeName(mountPoint).toStdString(), 64 * 1024, "object.bin", 1024 * 1024, whyNot);
    if (!file)
        QSKIP(whyNot.c_str());
    m_mounts << mountPoint;
    const QString path = QFile::decodeName(QByteArray::fromStdString(*file));
    const QString address = QStringLiteral("file:") + path;

    // A listening peer on the object's bus (tests/helpers/busprobe: it touches no shared memory) prints
    // each notification it gets.
    QByteArray probeOutput;
    auto* probe = new QProcess(this);
    m_processes << probe;
    connect(probe, &QProcess::readyReadStandardOutput, probe,
            [probe, &probeOutput] { probeOutput += probe->readAllStandardOutput(); });
    probe->start(QStringLiteral(SHMSCOPE_BUSPROBE), { address, QStringLiteral("--role"), QStringLiteral("gui") });
    QVERIFY(probe->waitForStarted(kProcessTimeoutMs));
    QTRY_VERIFY2_WITH_TIMEOUT(probeOutput.contains("ready\n"), probeOutput.constData(), kAsyncTimeoutMs);

    QByteArray data(128 * 1024, '\0');
    for (int i = 0; i < data.size(); ++i)
        data[i] = char(1 + i % 251);
    QFile input(m_dir.filePath(QStringLiteral("input-%1.bin").arg(++m_counter)));
    QVERIFY(input.open(QIODevice::WriteOnly));
    QCOMPARE(input.write(data), qint64(data.size()));
    input.close();

    QProcess write;
    write.setProcessEnvironment(cliEnvironment());
    write.start(m_cli, { QStringLiteral("write"), address, QStringLiteral("--file"), input.fileName() });
    QVERIFY(write.waitForStarted(kProcessTimeoutMs));
    const qint64 writerPid = write.processId();
    const Run run = finish(write);
    QCOMPARE(run.exitStatus, QProcess::NormalExit);
    QCOMPARE(run.exitCode, 1);

    // One error line that counts what landed.
    const QRegularExpression errorLine(QStringLiteral("^shmscope-cli: write %1: No space left on device \\(ENOSPC\\) "
                                                      "after (\\d+) of 131072 bytes [^\\n]*\\n$")
                                           .arg(QRegularExpression::escape(address)));
    const QRegularExpressionMatch match = errorLine.match(QString::fromUtf8(run.err));
    QVERIFY2(match.hasMatch(), run.err.constData());
    const qint64 written = match.captured(1).toLongLong();
    QVERIFY2(written > 0 && written < data.size() && written % 4096 == 0, run.err.constData());
    QCOMPARE(run.out,
             QByteArray("wrote " + QByteArray::number(written) + " bytes of 131072 bytes at offset 0 of "
                        + address.toUtf8() + " (notified 1 instance)\n"));

    // Exactly those bytes are in the object.
    QFile object(path);
    QVERIFY(object.open(QIODevice::ReadOnly));
    QCOMPARE(object.read(written), data.left(written));

    // The peer was told of the range that changed.
    const QByteArray notice = "changed 0 " + QByteArray::number(written) + ' ' + QByteArray::number(writerPid) + '\n';
    QTRY_VERIFY2_WITH_TIMEOUT(probeOutput.contains(notice), probeOutput.constData(), kAsyncTimeoutMs);
}

// ---- item 12: watch keeps hashes, not a copy ---------------------------------------------------

void TestCliBounds::watchOfSparse16GiBObjectKeepsMemorySmall()
{
    // 16 GiB of holes: ftruncate only, no page allocated.
    const quint64 size = 16 * kGiB;
    const QString name = newPosixName();
    const QString shmFile = QStringLiteral("/dev/shm/") + name;
    {
        const int fd = ::shm_open(QByteArray('/' + name.toUtf8()).constData(), O_CREAT | O_EXCL | O_RDWR, 0600);
        QVERIFY(fd >= 0);
        const bool sized = ::ftruncate(fd, off_t(size)) == 0;
        ::close(fd);
        QVERIFY(sized);
    }
    const QString address = QStringLiteral("posix:/") + name;

    // Room for the 16 GiB view and the libraries, not for a 16 GiB copy of the object.
    QByteArray output;
    QProcess* watch
        = startWatch({ address, QStringLiteral("--interval"), QStringLiteral("50") }, output, size + 4 * kGiB);
    QVERIFY2(watch, output.constData());
    QVERIFY2(output.startsWith(QByteArray("watching " + address.toUtf8() + " (17179869184 bytes)\n")),
             output.constData());

    // Another process writes one byte deep inside (and tells the watcher) ...
    QProcess write;
    write.setProcessEnvironment(cliEnvironment());
    write.start(m_cli,
                { QStringLiteral("write"), address, QStringLiteral("--offset"), QStringLiteral("0x3456789ab"),
                  QStringLiteral("--hex"), QStringLiteral("5a") });
    QVERIFY(write.waitForStarted(kProcessTimeoutMs));
    const Run run = finish(write);
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QTRY_VERIFY2_WITH_TIMEOUT(output.contains("change offset=0x3456789ab length=1 old=00 new=5a\n"), output.constData(),
                              kAsyncTimeoutMs);

    // ... and one behind its back, which only polling (over all 16 GiB) finds.
    {
        const int fd = ::open(QFile::encodeName(shmFile).constData(), O_WRONLY);
        QVERIFY(fd >= 0);
        const char byte = '\x7e';
        const bool written = ::pwrite(fd, &byte, 1, off_t(0x1f0000001)) == 1;
        ::close(fd);
        QVERIFY(written);
    }
    QTRY_VERIFY2_WITH_TIMEOUT(output.contains("change offset=0x1f0000001 length=1 old=00 new=7e\n"), output.constData(),
                              kAsyncTimeoutMs);
    QCOMPARE(output.count("change offset="), 2);
    QCOMPARE(watch->state(), QProcess::Running);

    // Memory did not grow with the object: neither the watcher's nor the object's (no hole was read).
    // (AddressSanitizer's shadow memory and quarantine add tens of MiB of their own: a looser bound there,
    // still hundreds of times below a copy of the object.)
#ifdef SHMSCOPE_TEST_ASAN
    constexpr qint64 kPeakLimitKiB = 256 * 1024;
#else
    constexpr qint64 kPeakLimitKiB = 64 * 1024;
#endif
    const qint64 peak = peakRssKiB(watch->processId());
    QVERIFY2(peak > 0 && peak < kPeakLimitKiB, qPrintable(QStringLiteral("VmHWM %1 KiB").arg(peak)));
    const qint64 allocated = allocatedBytes(shmFile);
    QVERIFY2(allocated >= 0 && allocated <= 2 * 4096, qPrintable(QStringLiteral("%1 bytes allocated").arg(allocated)));
}

// An object with more data than the watcher copies (8 MiB): a change where no copy is kept is printed
// as its whole block with old=?; that block is copied from then on, so its next change is exact.
void TestCliBounds::watchBeyondCopyBudgetReportsBlocks()
{
    QByteArray contents(16 << 20, '\0');
    for (int i = 0; i < contents.size(); ++i)
        contents[i] = char('A' + i % 16);
    const QString name = createPosix(contents);
    QVERIFY(!name.isEmpty());
    const QString address = QStringLiteral("posix:/") + name;
    QByteArray output;
    QProcess* watch = startWatch({ address, QStringLiteral("--interval"), QStringLiteral("20") }, output);
    QVERIFY(watch);

    auto poke = [&](qint64 offset, char byte) {
        QFile file(QStringLiteral("/dev/shm/") + name);
        return file.open(QIODevice::ReadWrite) && file.seek(offset) && file.write(&byte, 1) == 1;
    };
    // Within the first 8 MiB (copied): exact. 16 MiB has 4096-byte blocks.
    QVERIFY(poke(0x100, 'z'));
    QTRY_VERIFY2_WITH_TIMEOUT(output.contains("change offset=0x00000100 length=1 old=41 new=7a\n"), output.constData(),
                              kAsyncTimeoutMs);
    // Beyond them: the block, with its new bytes.
    QVERIFY(poke(0xc00005, 'z'));
    QTRY_VERIFY2_WITH_TIMEOUT(output.contains("change offset=0x00c00000 length=4096 old=? new=41 42 43 44 45 7a 47 48 "
                                              "49 4a 4b 4c 4d 4e 4f 50\u2026\n"),
                              output.constData(), kAsyncTimeoutMs);
    QVERIFY(poke(0xc00009, 'y'));
    QTRY_VERIFY2_WITH_TIMEOUT(output.contains("change offset=0x00c00009 length=1 old=4a new=79\n"), output.constData(),
                              kAsyncTimeoutMs);
    QCOMPARE(output.count("change offset="), 3);
}

// ---- item 13: reads leave holes alone --------------------------------------------------------

void TestCliBounds::readOfHoleAllocatesNothing()
{
    // 1 GiB, all hole but one page of data at 512 MiB.
    const quint64 size = kGiB;
    const QString name = newPosixName();
    const QString shmFile = QStringLiteral("/dev/shm/") + name;
    const quint64 dataAt = 512 * 1024 * 1024;
    {
        const int fd = ::shm_open(QByteArray('/' + name.toUtf8()).constData(), O_CREAT | O_EXCL | O_RDWR, 0600);
        QVERIFY(fd >= 0);
        bool ok = ::ftruncate(fd, off_t(size)) == 0;
        ok = ok && ::pwrite(fd, "DATA", 4, off_t(dataAt)) == 4;
        ::close(fd);
        QVERIFY(ok);
    }
    const QString address = QStringLiteral("posix:/") + name;
    const qint64 before = allocatedBytes(shmFile);
    QCOMPARE(before, qint64(4096));

    auto read = [&](const QStringList& arguments) {
        QProcess process;
        process.setProcessEnvironment(cliEnvironment());
        process.start(m_cli, QStringList { QStringLiteral("read"), address } + arguments);
        if (!process.waitForStarted(kProcessTimeoutMs))
            return Run {};
        return finish(process);
    };

    // A hex dump across the hole before the data, the data and the hole after it.
    const Run hex = read(
        { QStringLiteral("--offset"), QString::number(dataAt - 16), QStringLiteral("--length"), QStringLiteral("48") });
    QVERIFY2(hex.exitCode == 0, hex.err.constData());
    QCOMPARE(hex.out,
             QByteArray("1ffffff0: 0000 0000 0000 0000 0000 0000 0000 0000  ................\n"
                        "20000000: 4441 5441 0000 0000 0000 0000 0000 0000  DATA............\n"
                        "20000010: 0000 0000 0000 0000 0000 0000 0000 0000  ................\n"));

    // 64 MiB of hole as raw bytes: all zeros.
    const Run raw = read({ QStringLiteral("--offset"), QStringLiteral("0x10000000"), QStringLiteral("--length"),
                           QStringLiteral("64M"), QStringLiteral("--format"), QStringLiteral("raw") });
    QVERIFY2(raw.exitCode == 0, raw.err.constData());
    QCOMPARE(raw.out.size(), qsizetype(64) << 20);
    QVERIFY(raw.out == QByteArray(raw.out.size(), '\0'));

    // The text at a hole is the empty string; the text at the data is "DATA".
    const Run emptyText = read(
        { QStringLiteral("--offset"), QStringLiteral("4096"), QStringLiteral("--format"), QStringLiteral("text") });
    QCOMPARE(emptyText.out, QByteArray("\n"));
    const Run text = read(
        { QStringLiteral("--offset"), QString::number(dataAt), QStringLiteral("--format"), QStringLiteral("text") });
    QCOMPARE(text.out, QByteArray("DATA\n"));

    // Nothing of the hole was allocated by reading it.
    QCOMPARE(allocatedBytes(shmFile), before);
}

QTEST_GUILESS_MAIN(TestCliBounds)
#include "tst_clibounds.moc"
