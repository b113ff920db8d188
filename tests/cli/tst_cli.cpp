// Drives the real shmscope-cli binary (SHMSCOPE_CLI_PATH) as separate processes against real
// objects: POSIX shared memory, files and System V segments. Multi-process cases start `watch` and
// change the object from other processes (the CLI's `write`, truncate()).
#include "tests/core/testsupport.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <algorithm>
#include <clocale>
#include <cwchar>
#include <fcntl.h>
#include <grp.h>
#include <memory>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

constexpr int kProcessTimeoutMs = 30000;
constexpr int kAsyncTimeoutMs = 10000;

struct CliRun {
    int exitCode = -1;
    QProcess::ExitStatus exitStatus = QProcess::CrashExit;
    QByteArray out;
    QByteArray err;
};

// The environment of every CLI process: English messages whatever the machine's locale.
QProcessEnvironment cliEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C.UTF-8"));
    env.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
    env.remove(QStringLiteral("LANGUAGE"));
    return env;
}

// Terminal cells of `text` by the C library's wcwidth() in C.UTF-8 (CJK characters take two).
int terminalCells(const QString& text)
{
    std::setlocale(LC_CTYPE, "C.UTF-8");
    int cells = 0;
    for (const char32_t codePoint : text.toUcs4())
        cells += std::max(0, ::wcwidth(static_cast<wchar_t>(codePoint)));
    return cells;
}

// The terminal column where each cell of a table line starts (cells are separated by 2+ spaces;
// a right-aligned cell's leading padding is skipped).
QList<int> cellColumns(const QString& line)
{
    QList<int> columns;
    QRegularExpressionMatchIterator it = QRegularExpression(QStringLiteral("\\S+(?: \\S+)*")).globalMatch(line);
    while (it.hasNext())
        columns << terminalCells(line.left(it.next().capturedStart()));
    return columns;
}

QByteArray fromHex(const char* hex)
{
    return QByteArray::fromHex(hex);
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void helpAndVersion();
    void commandHelp_data();
    void commandHelp();
    void usageErrors_data();
    void usageErrors();
    void notFound_data();
    void notFound();
    void alreadyExists();
    void existOkKeepsExistingObject();
    void permissionDenied();
    void roundTrip_data();
    void roundTrip();
    void hexDumpLayout();
    void readOfASparseObjectLeavesItsHolesAlone();
    void writeHexForms_data();
    void writeHexForms();
    void writeFromFileAndStdin();
    void fileBackedDataOutlivesProcesses();
    void createFileWithoutSize();
    void listTableAndJson();
    void translatedColumnsAlign();
    void watchSeesWriteFromAnotherProcess();
    void sysvKeyAndIdMeetOnOneBus();
    void watchCountEndsAfterEvents();
    void watchMergesRunsAndTruncatesLongOnes();
    void watchSurvivesTruncationByAnotherProcess();
    void watchEndsWhenObjectIsRemoved();
    void watchStopsCleanlyOnSigint();
    void namesAreBytesInListing();
    void namesAreBytesWhenAddressed();
    void listSaysUnknownWhenProcessesCannotBeInspected();
    void removeRefusesWhatIsNotAnObject();
    void removeRefusesADeviceNode();
    void plantedSymlinkInStickyFolderIsNotFollowed();
    void plantedSysvLockFileIsRefused();

private:
    CliRun cli(const QStringList& arguments, const QByteArray& input = {},
               const QProcessEnvironment& environment = cliEnvironment());
    QProcess* startWatch(const QStringList& arguments, QByteArray& output);
    QString newPosixAddress();
    QString newFileAddress();
    QString newSysvAddress();
    QString newAddress(const QString& kind);
    static QString posixName(const QString& address);
    static QString shmPath(const QString& address);
    QByteArray posixBytes(const QString& address);
    void createPosixWithContents(const QString& address, const QByteArray& contents);
    CliRun cliBytes(const QList<QByteArray>& arguments);
    QByteArray newRawPosixBase();
    static bool createRawPosix(const QByteArray& name, const QByteArray& contents);
    static QByteArray rawPosixBytes(const QByteArray& name);
    struct NamedObjects;
    NamedObjects createNamedObjects();

    QString m_cli = QStringLiteral(SHMSCOPE_CLI_PATH);
    QTemporaryDir m_dir;
    QTemporaryDir m_runtime; // XDG_RUNTIME_DIR of this test and the CLIs it starts
    int m_counter = 0;
    QStringList m_posixNames;
    QList<QByteArray> m_rawPosixNames; ///< "/name" as bytes (not necessarily UTF-8)
    QList<key_t> m_sysvKeys;
    QList<QProcess*> m_processes;
};

// ---- helpers ---------------------------------------------------------------------------------

CliRun TestCli::cli(const QStringList& arguments, const QByteArray& input, const QProcessEnvironment& environment)
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(m_cli, arguments);
    CliRun run;
    if (!process.waitForStarted(kProcessTimeoutMs)) {
        qWarning() << "cannot start" << m_cli << process.errorString();
        return run;
    }
    if (!input.isEmpty())
        process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(kProcessTimeoutMs)) {
        qWarning() << "shmscope-cli" << arguments << "did not finish";
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

// Starts `shmscope-cli watch …`, collecting its stdout into `output` as it arrives (the CLI flushes
// every line), and waits for its ready line.
QProcess* TestCli::startWatch(const QStringList& arguments, QByteArray& output)
{
    auto* process = new QProcess(this);
    m_processes << process;
    process->setProcessEnvironment(cliEnvironment());
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

QString TestCli::newPosixAddress()
{
    const QString name = QStringLiteral("shmscope-test-%1-%2-cli").arg(::getpid()).arg(++m_counter);
    m_posixNames << name;
    return QStringLiteral("posix:/") + name;
}

QString TestCli::newFileAddress()
{
    return QStringLiteral("file:") + m_dir.filePath(QStringLiteral("object-%1.bin").arg(++m_counter));
}

QString TestCli::newSysvAddress()
{
    // A key unlikely to collide with anything else: the suite's high byte 0x53 (tests/check-leftovers.sh
    // looks for it), the pid and a counter.
    const key_t key = key_t(0x53000000u | ((unsigned(::getpid()) & 0xffffu) << 8) | (unsigned(++m_counter) & 0xffu));
    m_sysvKeys << key;
    return QStringLiteral("sysv:0x%1").arg(uint(key), 8, 16, QLatin1Char('0'));
}

QString TestCli::newAddress(const QString& kind)
{
    if (kind == QLatin1String("posix"))
        return newPosixAddress();
    if (kind == QLatin1String("file"))
        return newFileAddress();
    return newSysvAddress();
}

QString TestCli::posixName(const QString& address)
{
    return address.mid(address.indexOf(QLatin1Char('/')) + 1);
}

QString TestCli::shmPath(const QString& address)
{
    return QStringLiteral("/dev/shm/") + posixName(address);
}

// The object's bytes read through its /dev/shm file, independently of the CLI.
QByteArray TestCli::posixBytes(const QString& address)
{
    QFile file(shmPath(address));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

void TestCli::createPosixWithContents(const QString& address, const QByteArray& contents)
{
    const CliRun created
        = cli({ QStringLiteral("create"), address, QStringLiteral("--size"), QString::number(contents.size()) });
    QCOMPARE(created.exitCode, 0);
    QFile file(shmPath(address));
    QVERIFY(file.open(QIODevice::ReadWrite));
    QCOMPARE(file.write(contents), qint64(contents.size()));
}

// Runs the CLI with exactly these argv bytes. QProcess cannot: it takes QStrings and encodes them as
// UTF-8, so a byte that is not UTF-8 (the point of these tests) would arrive as U+FFFD. stdout and
// stderr go to files in the test's folder.
CliRun TestCli::cliBytes(const QList<QByteArray>& arguments)
{
    CliRun run;
    const QByteArray program = QFile::encodeName(m_cli);
    const QByteArray outPath = QFile::encodeName(m_dir.filePath(QStringLiteral("raw-%1.out").arg(++m_counter)));
    const QByteArray errPath = QFile::encodeName(m_dir.filePath(QStringLiteral("raw-%1.err").arg(m_counter)));
    QList<QByteArray> environment;
    for (const QString& variable : cliEnvironment().toStringList())
        environment << variable.toUtf8();
    std::vector<char*> argv { const_cast<char*>(program.constData()) };
    for (const QByteArray& argument : arguments)
        argv.push_back(const_cast<char*>(argument.constData()));
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (const QByteArray& variable : std::as_const(environment))
        envp.push_back(const_cast<char*>(variable.constData()));
    envp.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    ::posix_spawn_file_actions_init(&actions);
    ::posix_spawn_file_actions_addopen(&actions, 1, outPath.constData(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::posix_spawn_file_actions_addopen(&actions, 2, errPath.constData(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    pid_t pid = -1;
    const int spawned = ::posix_spawn(&pid, program.constData(), &actions, nullptr, argv.data(), envp.data());
    ::posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0) {
        qWarning() << "cannot start" << m_cli << strerror(spawned);
        return run;
    }
    int status = 0;
    if (::waitpid(pid, &status, 0) != pid)
        return run;
    run.exitStatus = WIFEXITED(status) ? QProcess::NormalExit : QProcess::CrashExit;
    run.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    QFile out(QFile::decodeName(outPath));
    QFile err(QFile::decodeName(errPath));
    if (out.open(QIODevice::ReadOnly))
        run.out = out.readAll();
    if (err.open(QIODevice::ReadOnly))
        run.err = err.readAll();
    return run;
}

// A unique prefix for POSIX names as bytes ("/shmscope-test-PID-cli-N-": the suite's prefix, which
// tests/check-leftovers.sh knows); the caller registers the
// names it makes in m_rawPosixNames, so that cleanup() removes them.
QByteArray TestCli::newRawPosixBase()
{
    return QByteArray("/shmscope-test-") + QByteArray::number(::getpid()) + "-cli-" + QByteArray::number(++m_counter)
        + '-';
}

// Creates the object with shm_open (not through the CLI under test) and writes `contents` into it.
bool TestCli::createRawPosix(const QByteArray& name, const QByteArray& contents)
{
    const int fd = ::shm_open(name.constData(), O_RDWR | O_CREAT | O_EXCL, 0600);
    if (fd < 0)
        return false;
    const bool ok = ::write(fd, contents.constData(), size_t(contents.size())) == contents.size();
    ::close(fd);
    return ok;
}

// The object's bytes, read with shm_open; empty when it does not exist.
QByteArray TestCli::rawPosixBytes(const QByteArray& name)
{
    const int fd = ::shm_open(name.constData(), O_RDONLY, 0);
    if (fd < 0)
        return {};
    QByteArray bytes(4096, '\0');
    const ssize_t count = ::read(fd, bytes.data(), size_t(bytes.size()));
    ::close(fd);
    bytes.resize(count < 0 ? 0 : qsizetype(count));
    return bytes;
}

// Objects whose names differ only in bytes that text conversions lose or that a terminal acts on,
// with distinct contents: the byte 0xff, the character U+FFFD (what 0xff used to turn into), a
// newline and an ESC sequence. `escaped` is how the CLI must print each address.
struct TestCli::NamedObjects {
    QByteArray base; ///< the start of every name
    struct Object {
        QByteArray name; ///< "/…" as bytes
        QByteArray escaped; ///< "posix:/…" as printed
        QByteArray contents;
    };
    QList<Object> objects;
    const Object& byteFF() const { return objects.at(0); }
    const Object& replacementCharacter() const { return objects.at(1); }
    const Object& newline() const { return objects.at(2); }
    const Object& escape() const { return objects.at(3); }
};

TestCli::NamedObjects TestCli::createNamedObjects()
{
    NamedObjects named;
    named.base = newRawPosixBase();
    const QList<QPair<QByteArray, QByteArray>> suffixes {
        { QByteArray("obj\xff"), QByteArray("obj\\xff") },
        { QByteArray("obj\xef\xbf\xbd"), QByteArray("obj\xef\xbf\xbd") },
        { QByteArray("a\nb"), QByteArray("a\\x0ab") },
        { QByteArray("\x1b[31mred"), QByteArray("\\x1b[31mred") },
    };
    for (const auto& [suffix, escapedSuffix] : suffixes) {
        NamedObjects::Object object;
        object.name = named.base + suffix;
        m_rawPosixNames << object.name;
        object.escaped = QByteArray("posix:") + named.base + escapedSuffix;
        object.contents = QByteArray("contents of ") + object.escaped;
        if (!createRawPosix(object.name, object.contents))
            qWarning() << "cannot create" << object.escaped << strerror(errno);
        named.objects << object;
    }
    return named;
}

// ---- setup -----------------------------------------------------------------------------------

void TestCli::initTestCase()
{
    QVERIFY2(QFile::exists(m_cli), qPrintable(m_cli));
    QVERIFY(m_dir.isValid());
    // The CLI's notifications go below XDG_RUNTIME_DIR: a private one (inherited by every shmscope-cli
    // started here) keeps them away from real instances and from the user's runtime directory.
    QVERIFY(m_runtime.isValid());
    qputenv("XDG_RUNTIME_DIR", QFile::encodeName(m_runtime.path()));
}

void TestCli::cleanup()
{
    for (QProcess* process : std::as_const(m_processes)) {
        // The output collector refers to a test function's local: cut it before anything else runs.
        process->disconnect();
        if (process->state() != QProcess::NotRunning) {
            // SIGTERM first: a watcher leaves the bus and removes its socket file; SIGKILL would not.
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
    for (const QByteArray& name : std::as_const(m_rawPosixNames))
        ::shm_unlink(name.constData());
    m_rawPosixNames.clear();
    for (key_t key : std::as_const(m_sysvKeys)) {
        const int id = ::shmget(key, 0, 0);
        if (id >= 0)
            ::shmctl(id, IPC_RMID, nullptr);
    }
    m_sysvKeys.clear();
    // Files live in m_dir, removed with it.
}

// ---- help ------------------------------------------------------------------------------------

void TestCli::helpAndVersion()
{
    const CliRun help = cli({ QStringLiteral("--help") });
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.err.isEmpty());
    for (const char* needle :
         { "Usage: shmscope-cli COMMAND", "list", "create", "info", "read", "write", "watch", "remove", "[kind:]name",
           "posix:", "file:", "sysv:", "sysvid:", "Exit codes", "2  usage", "3  the object does not exist",
           "4  permission denied", "5  the object already exists", "K, M or G" }) {
        QVERIFY2(help.out.contains(needle), needle);
    }
    QCOMPARE(cli({ QStringLiteral("help") }).out, help.out);

    const CliRun version = cli({ QStringLiteral("--version") });
    QCOMPARE(version.exitCode, 0);
    QVERIFY2(
        QRegularExpression(
            QStringLiteral("^shmscope-cli \\d+\\.\\d+\\.\\d+ \\((commit [0-9a-f]{12}(-dirty)?|unknown commit)\\)\n$"))
            .match(QString::fromUtf8(version.out))
            .hasMatch(),
        version.out.constData());
}

void TestCli::commandHelp_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QStringList>("options");
    QTest::newRow("list") << QStringLiteral("list") << QStringList { QStringLiteral("--json") };
    QTest::newRow("create") << QStringLiteral(
        "create") << QStringList { QStringLiteral("--size"), QStringLiteral("--mode"), QStringLiteral("--exist-ok") };
    QTest::newRow("info") << QStringLiteral("info") << QStringList { QStringLiteral("--json") };
    QTest::newRow("read") << QStringLiteral(
        "read") << QStringList { QStringLiteral("--offset"), QStringLiteral("--length"), QStringLiteral("--format") };
    QTest::newRow("write") << QStringLiteral("write")
                           << QStringList { QStringLiteral("--offset"), QStringLiteral("--text"),
                                            QStringLiteral("--hex"), QStringLiteral("--file"),
                                            QStringLiteral("--stdin") };
    QTest::newRow("watch") << QStringLiteral("watch")
                           << QStringList { QStringLiteral("--interval"), QStringLiteral("--count") };
    QTest::newRow("remove") << QStringLiteral("remove") << QStringList { QStringLiteral("--help") };
}

void TestCli::commandHelp()
{
    QFETCH(QString, command);
    QFETCH(QStringList, options);
    const CliRun help = cli({ command, QStringLiteral("--help") });
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.err.isEmpty());
    const QString text = QString::fromUtf8(help.out);
    QVERIFY2(text.startsWith(QStringLiteral("Usage: shmscope-cli ") + command), qPrintable(text));
    for (const QString& option : std::as_const(options))
        QVERIFY2(text.contains(option), qPrintable(option));
    QCOMPARE(cli({ QStringLiteral("help"), command }).out, help.out);
}

// ---- exit codes ------------------------------------------------------------------------------

void TestCli::usageErrors_data()
{
    // %A is replaced by an existing 4096-byte POSIX object, %N by a fresh name that does not exist.
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("inMessage");

    auto row = [](const char* name, std::initializer_list<const char*> args, const char* inMessage) {
        QStringList arguments;
        for (const char* arg : args)
            arguments << QString::fromUtf8(arg);
        QTest::newRow(name) << arguments << QString::fromUtf8(inMessage);
    };
    row("no command", {}, "no command");
    row("unknown command", { "frobnicate" }, "unknown command 'frobnicate'");
    row("option before command", { "--size", "4" }, "unknown option '--size'");
    row("unknown option", { "info", "%A", "--bogus" }, "bogus");
    row("missing address", { "info" }, "missing ADDRESS");
    row("extra argument", { "info", "%A", "extra" }, "unexpected argument 'extra'");
    row("missing option value", { "create", "%N", "--size" }, "--size");
    row("bad size", { "create", "%N", "--size", "12Q" }, "invalid size '12Q'");
    row("size zero", { "create", "%N", "--size", "0" }, "create");
    row("size missing", { "create", "%N" }, "--size is required");
    row("size beyond address space", { "create", "%N", "--size", "0xffffffffffffffff" }, "create");
    row("bad mode", { "create", "%N", "--size", "4K", "--mode", "0999" }, "invalid mode '0999'");
    row("invalid name", { "create", "posix:/a/b", "--size", "4K" }, "posix:/a/b");
    row("dot name", { "info", "posix:.." }, "..");
    row("unknown kind", { "info", "nosuch:thing" }, "nosuch");
    row("bad sysv key", { "info", "sysv:0xzz" }, "sysv:0xzz");
    row("read offset past end", { "read", "%A", "--offset", "4096" }, "offset 4096 is past the end");
    row("read length past end", { "read", "%A", "--offset", "0xff0", "--length", "17" }, "past the end");
    row("read huge length", { "read", "%A", "--offset", "1", "--length", "0xffffffffffffffff" }, "past the end");
    row("read zero length", { "read", "%A", "--length", "0" }, "length");
    row("read bad offset", { "read", "%A", "--offset", "ten" }, "invalid offset 'ten'");
    row("read bad format", { "read", "%A", "--format", "octal" }, "unknown format 'octal'");
    row("write odd hex", { "write", "%A", "--hex", "de ad b" }, "odd number");
    row("write garbage hex", { "write", "%A", "--hex", "zz" }, "not a hex digit");
    row("write no data", { "write", "%A" }, "exactly one of");
    row("write two sources", { "write", "%A", "--text", "a", "--hex", "00" }, "exactly one of");
    row("write past end", { "write", "%A", "--offset", "4094", "--hex", "00 11 22" }, "do not fit");
    row("write offset past end", { "write", "%A", "--offset", "5000", "--text", "x" }, "do not fit");
    row("write missing file", { "write", "%A", "--file", "/nonexistent/shmscope/input" },
        "/nonexistent/shmscope/input");
    row("no-nul without text", { "write", "%A", "--hex", "00", "--no-nul" }, "--no-nul");
    row("watch bad interval", { "watch", "%A", "--interval", "0" }, "invalid interval '0'");
    row("watch bad count", { "watch", "%A", "--count", "-3" }, "invalid count '-3'");
}

void TestCli::usageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, inMessage);

    // Every row runs against a real object whose contents must not change.
    QByteArray contents(4096, '\0');
    for (int i = 0; i < contents.size(); ++i)
        contents[i] = char(i * 7);
    const QString existing = newPosixAddress();
    createPosixWithContents(existing, contents);
    const QString missing = newPosixAddress();
    for (QString& argument : arguments)
        argument.replace(QLatin1String("%A"), existing).replace(QLatin1String("%N"), missing);

    const CliRun run = cli(arguments);
    QCOMPARE(run.exitCode, 2);
    QCOMPARE(run.exitStatus, QProcess::NormalExit);
    QVERIFY2(run.out.isEmpty(), run.out.constData());
    QVERIFY2(run.err.startsWith("shmscope-cli: "), run.err.constData());
    QCOMPARE(run.err.count('\n'), 1);
    QVERIFY2(QString::fromUtf8(run.err).contains(inMessage), run.err.constData());

    QCOMPARE(posixBytes(existing), contents);
    QVERIFY2(!QFile::exists(shmPath(missing)), "a failed create left an object behind");
}

void TestCli::notFound_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("command");
    for (const char* kind : { "posix", "file", "sysv" }) {
        for (const char* command : { "info", "read", "write", "watch", "remove" })
            QTest::addRow("%s %s", kind, command) << QString::fromLatin1(kind) << QString::fromLatin1(command);
    }
}

void TestCli::notFound()
{
    QFETCH(QString, kind);
    QFETCH(QString, command);
    const QString address = newAddress(kind);
    QStringList arguments { command, address };
    if (command == QLatin1String("write"))
        arguments << QStringLiteral("--hex") << QStringLiteral("00");
    const CliRun run = cli(arguments);
    QCOMPARE(run.exitCode, 3);
    QVERIFY(run.out.isEmpty());
    QVERIFY2(run.err.startsWith("shmscope-cli: "), run.err.constData());
    QCOMPARE(run.err.count('\n'), 1);
    // The message names the object (sysv keys are printed canonically, so compare the posix/file ones).
    if (kind != QLatin1String("sysv"))
        QVERIFY2(run.err.contains(address.section(QLatin1Char(':'), 1).toUtf8()), run.err.constData());
    // The operation in the user's words (issue 9, item 20): `info` says "info", never the core's "describe".
    QVERIFY2(!run.err.contains("describe"), run.err.constData());
    if (command == QLatin1String("info"))
        QVERIFY2(run.err.startsWith("shmscope-cli: info "), run.err.constData());
}

void TestCli::alreadyExists()
{
    for (const QString& kind : { QStringLiteral("posix"), QStringLiteral("file"), QStringLiteral("sysv") }) {
        const QString address = newAddress(kind);
        QCOMPARE(cli({ QStringLiteral("create"), address, QStringLiteral("--size"), QStringLiteral("4K") }).exitCode,
                 0);
        const CliRun again = cli({ QStringLiteral("create"), address, QStringLiteral("--size"), QStringLiteral("8K") });
        QCOMPARE(again.exitCode, 5);
        QVERIFY(again.out.isEmpty());
        QVERIFY2(again.err.startsWith("shmscope-cli: create "), again.err.constData());
        // Nothing changed: still 4 KiB.
        const CliRun info = cli({ QStringLiteral("info"), address, QStringLiteral("--json") });
        QCOMPARE(info.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(info.out).object().value(QStringLiteral("size")).toInteger(), 4096);
    }
}

void TestCli::existOkKeepsExistingObject()
{
    const QString address = newPosixAddress();
    const CliRun created = cli({ QStringLiteral("create"), address, QStringLiteral("--size"), QStringLiteral("64K"),
                                 QStringLiteral("--exist-ok") });
    QCOMPARE(created.exitCode, 0);
    QCOMPARE(created.out, QByteArray("created " + address.toUtf8() + ": 64 KiB, mode 0600\n"));

    const CliRun sameSize = cli({ QStringLiteral("create"), address, QStringLiteral("--size"), QStringLiteral("65536"),
                                  QStringLiteral("--exist-ok") });
    QCOMPARE(sameSize.exitCode, 0);
    QCOMPARE(sameSize.out, QByteArray("attached existing " + address.toUtf8() + ": 64 KiB, mode 0600\n"));

    const CliRun other = cli({ QStringLiteral("create"), address, QStringLiteral("--size"), QStringLiteral("4K"),
                               QStringLiteral("--mode"), QStringLiteral("0644"), QStringLiteral("--exist-ok") });
    QCOMPARE(other.exitCode, 0);
    QCOMPARE(other.out,
             QByteArray("attached existing " + address.toUtf8()
                        + ": 64 KiB, mode 0600 (the requested size and mode were not applied)\n"));
    QCOMPARE(QFileInfo(shmPath(address)).size(), 65536);
}

void TestCli::permissionDenied()
{
    const QString address = newPosixAddress();
    QStringList writeArgs { QStringLiteral("write"), address, QStringLiteral("--hex"), QStringLiteral("01") };
    if (::geteuid() != 0) {
        // An object we own but may not write to: attaching it read-write is refused.
        QCOMPARE(cli({ QStringLiteral("create"), address, QStringLiteral("--size"), QStringLiteral("4K"),
                       QStringLiteral("--mode"), QStringLiteral("0400") })
                     .exitCode,
                 0);
        const CliRun run = cli(writeArgs);
        QCOMPARE(run.exitCode, 4);
        QVERIFY2(run.err.startsWith("shmscope-cli: "), run.err.constData());
        QCOMPARE(posixBytes(address), QByteArray(4096, '\0'));
        return;
    }

    // Root bypasses permission bits, so run the CLI as the unprivileged user "nobody" (65534)
    // against a root-owned object with mode 0600.
    QCOMPARE(cli({ QStringLiteral("create"), address, QStringLiteral("--size"), QStringLiteral("4K") }).exitCode, 0);
    const QString sysv = newSysvAddress();
    QCOMPARE(cli({ QStringLiteral("create"), sysv, QStringLiteral("--size"), QStringLiteral("4K") }).exitCode, 0);
    auto runAsNobody = [this](const QStringList& arguments) {
        QProcess process;
        process.setProcessEnvironment(cliEnvironment());
        process.setChildProcessModifier([] {
            if (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0)
                ::_exit(126);
        });
        process.start(m_cli, arguments);
        process.waitForFinished(kProcessTimeoutMs);
        return CliRun { process.exitCode(), process.exitStatus(), process.readAllStandardOutput(),
                        process.readAllStandardError() };
    };
    const CliRun probe = runAsNobody({ QStringLiteral("--version") });
    if (probe.exitCode != 0)
        QSKIP("cannot run the CLI as user nobody here (setuid refused or binary not accessible)");

    for (const QStringList& arguments :
         { writeArgs, QStringList { QStringLiteral("read"), address },
           QStringList { QStringLiteral("remove"), address },
           QStringList { QStringLiteral("write"), sysv, QStringLiteral("--hex"), QStringLiteral("01") },
           QStringList { QStringLiteral("read"), sysv } }) {
        const CliRun run = runAsNobody(arguments);
        QVERIFY2(run.exitCode == 4,
                 qPrintable(arguments.join(QLatin1Char(' ')) + QStringLiteral(": ") + QString::fromUtf8(run.err)));
        QVERIFY(run.out.isEmpty());
        QVERIFY2(run.err.startsWith("shmscope-cli: "), run.err.constData());
        QCOMPARE(run.err.count('\n'), 1);
    }
    QCOMPARE(posixBytes(address), QByteArray(4096, '\0'));
    QVERIFY(QFile::exists(shmPath(address)));
}

// ---- round trips -----------------------------------------------------------------------------

void TestCli::roundTrip_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("posix") << QStringLiteral("posix");
    QTest::newRow("file") << QStringLiteral("file");
    QTest::newRow("sysv") << QStringLiteral("sysv");
}

void TestCli::roundTrip()
{
    QFETCH(QString, kind);
    const QString address = newAddress(kind);

    const CliRun created = cli({ QStringLiteral("create"), address, QStringLiteral("--size"), QStringLiteral("4K"),
                                 QStringLiteral("--mode"), QStringLiteral("0640") });
    QVERIFY2(created.exitCode == 0, created.err.constData());
    // The canonical address (sysv keys in 8 hex digits, file paths absolute) as the CLI prints it.
    const QString canonical
        = QString::fromUtf8(created.out).section(QStringLiteral(": "), 0, 0).mid(QStringLiteral("created ").size());
    QCOMPARE(created.out, QByteArray("created " + canonical.toUtf8() + ": 4 KiB, mode 0640\n"));
    QCOMPARE(canonical.section(QLatin1Char(':'), 0, 0), kind);

    const CliRun info = cli({ QStringLiteral("info"), address });
    QCOMPARE(info.exitCode, 0);
    QVERIFY2(info.out.contains("4096 bytes (4 KiB)"), info.out.constData());
    QVERIFY2(info.out.contains("0640"), info.out.constData());
    QVERIFY2(info.out.contains(canonical.toUtf8()), info.out.constData());
    const QJsonObject json
        = QJsonDocument::fromJson(cli({ QStringLiteral("info"), address, QStringLiteral("--json") }).out).object();
    QCOMPARE(json.value(QStringLiteral("address")).toString(), canonical);
    QCOMPARE(json.value(QStringLiteral("size")).toInteger(), 4096);
    QCOMPARE(json.value(QStringLiteral("mode")).toString(), QStringLiteral("0640"));
    QCOMPARE(json.value(QStringLiteral("uid")).toInteger(), qint64(::geteuid()));

    const CliRun wrote = cli({ QStringLiteral("write"), address, QStringLiteral("--offset"), QStringLiteral("0x10"),
                               QStringLiteral("--text"), QStringLiteral("Hello world") });
    QVERIFY2(wrote.exitCode == 0, wrote.err.constData());
    QCOMPARE(wrote.out,
             QByteArray("wrote 12 bytes at offset 16 of " + canonical.toUtf8() + " (notified 0 instances)\n"));

    const CliRun text = cli({ QStringLiteral("read"), address, QStringLiteral("--offset"), QStringLiteral("16"),
                              QStringLiteral("--format"), QStringLiteral("text") });
    QCOMPARE(text.exitCode, 0);
    QCOMPARE(text.out, QByteArray("Hello world\n"));

    const CliRun hex = cli({ QStringLiteral("read"), address, QStringLiteral("--offset"), QStringLiteral("0x10"),
                             QStringLiteral("--length"), QStringLiteral("16") });
    QCOMPARE(hex.exitCode, 0);
    QCOMPARE(hex.out, QByteArray("00000010: 4865 6c6c 6f20 776f 726c 6400 0000 0000  Hello world.....\n"));

    const CliRun hexBytes
        = cli({ QStringLiteral("write"), address, QStringLiteral("--hex"), QStringLiteral("de:ad:BE:EF") });
    QCOMPARE(hexBytes.exitCode, 0);
    const CliRun raw = cli({ QStringLiteral("read"), address, QStringLiteral("--format"), QStringLiteral("raw") });
    QCOMPARE(raw.exitCode, 0);
    QByteArray expected(4096, '\0');
    expected.replace(0, 4, fromHex("deadbeef"));
    expected.replace(16, 12, QByteArray("Hello world", 12));
    QCOMPARE(raw.out, expected);

    // The whole object as a hex dump: 256 lines, the last one at 0xff0.
    const CliRun dump = cli({ QStringLiteral("read"), address });
    QCOMPARE(dump.exitCode, 0);
    QCOMPARE(dump.out.count('\n'), 256);
    QVERIFY(dump.out.startsWith("00000000: dead beef 0000 0000 0000 0000 0000 0000  ................\n"));
    QVERIFY(dump.out.endsWith("00000ff0: 0000 0000 0000 0000 0000 0000 0000 0000  ................\n"));

    const CliRun removed = cli({ QStringLiteral("remove"), address });
    QCOMPARE(removed.exitCode, 0);
    QCOMPARE(removed.out, QByteArray("removed " + canonical.toUtf8() + '\n'));
    QCOMPARE(cli({ QStringLiteral("info"), address }).exitCode, 3);
    QCOMPARE(cli({ QStringLiteral("remove"), address }).exitCode, 3);
}

// A sparse object (8 MiB, data in two places, one across a 64 KiB chunk boundary) read whole and in
// part: the holes come out as zeros, the data as written, and no hole gets a page (the allocated
// blocks stay as they were).
void TestCli::readOfASparseObjectLeavesItsHolesAlone()
{
    const QString address = newPosixAddress();
    QFile file(shmPath(address));
    QVERIFY(file.open(QIODevice::ReadWrite | QIODevice::NewOnly));
    QVERIFY(file.resize(8 << 20));
    QByteArray expected(8 << 20, '\0');
    const QByteArray first(4096, '\x11');
    const QByteArray second(3 * 65536, '\x22');
    for (const auto& [offset, bytes] : { std::pair<qint64, QByteArray> { 1 << 20, first },
                                         std::pair<qint64, QByteArray> { (5 << 20) - 1000, second } }) {
        QVERIFY(file.seek(offset));
        QCOMPARE(file.write(bytes), qint64(bytes.size()));
        expected.replace(offset, bytes.size(), bytes);
    }
    file.close();
    struct stat before = {};
    QCOMPARE(::stat(QFile::encodeName(shmPath(address)).constData(), &before), 0);

    const CliRun raw = cli({ QStringLiteral("read"), address, QStringLiteral("--format"), QStringLiteral("raw") });
    QCOMPARE(raw.exitCode, 0);
    QCOMPARE(raw.out.size(), expected.size());
    QVERIFY(raw.out == expected);
    const CliRun part = cli({ QStringLiteral("read"), address, QStringLiteral("--format"), QStringLiteral("raw"),
                              QStringLiteral("--offset"), QString::number((5 << 20) - 70000),
                              QStringLiteral("--length"), QString::number(300000) });
    QCOMPARE(part.exitCode, 0);
    QVERIFY(part.out == expected.mid((5 << 20) - 70000, 300000));
    struct stat after = {};
    QCOMPARE(::stat(QFile::encodeName(shmPath(address)).constData(), &after), 0);
    QCOMPARE(after.st_blocks, before.st_blocks);
}

void TestCli::hexDumpLayout()
{
    QByteArray contents(40, '\0');
    for (int i = 0; i < contents.size(); ++i)
        contents[i] = char(0x41 + i);
    contents[3] = '\x7f';
    contents[4] = '\xff';
    const QString address = newPosixAddress();
    createPosixWithContents(address, contents);

    // Offsets relative to the object, lines start at the given offset (as xxd -s), a short last
    // line keeps the ASCII column aligned.
    const CliRun dump = cli({ QStringLiteral("read"), address, QStringLiteral("--offset"), QStringLiteral("3"),
                              QStringLiteral("--length"), QStringLiteral("21") });
    QCOMPARE(dump.exitCode, 0);
    QCOMPARE(dump.out,
             QByteArray("00000003: 7fff 4647 4849 4a4b 4c4d 4e4f 5051 5253  ..FGHIJKLMNOPQRS\n"
                        "00000013: 5455 5657 58                             TUVWX\n"));
    // text stops at the end of the object when there is no NUL; --length limits it.
    QCOMPARE(cli({ QStringLiteral("read"), address, QStringLiteral("--offset"), QStringLiteral("36"),
                   QStringLiteral("--format"), QStringLiteral("text") })
                 .out,
             QByteArray("efgh\n"));
    QCOMPARE(
        cli({ QStringLiteral("read"), address, QStringLiteral("--offset"), QStringLiteral("36"),
              QStringLiteral("--length"), QStringLiteral("2"), QStringLiteral("--format"), QStringLiteral("text") })
            .out,
        QByteArray("ef\n"));
}

void TestCli::writeHexForms_data()
{
    QTest::addColumn<QString>("hex");
    QTest::newRow("spaced") << QStringLiteral("de ad be ef");
    QTest::newRow("packed") << QStringLiteral("deadbeef");
    QTest::newRow("colons") << QStringLiteral("de:ad:be:ef");
    QTest::newRow("upper with dashes") << QStringLiteral("DE-AD-BE-EF");
    QTest::newRow("0x groups") << QStringLiteral("0xde 0xad 0xbeef");
    QTest::newRow("words") << QStringLiteral(" dead  beef ");
}

void TestCli::writeHexForms()
{
    QFETCH(QString, hex);
    const QString address = newPosixAddress();
    createPosixWithContents(address, QByteArray(8, '\0'));
    const CliRun run = cli({ QStringLiteral("write"), address, QStringLiteral("--offset"), QStringLiteral("2"),
                             QStringLiteral("--hex"), hex });
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QCOMPARE(posixBytes(address), fromHex("0000deadbeef0000"));
}

void TestCli::writeFromFileAndStdin()
{
    const QString address = newPosixAddress();
    createPosixWithContents(address, QByteArray(64, 'x'));

    QFile input(m_dir.filePath(QStringLiteral("input.bin")));
    QVERIFY(input.open(QIODevice::WriteOnly));
    input.write(QByteArray("\x00\x01\x02\x03 from a file", 16));
    input.close();
    const CliRun fromFile = cli({ QStringLiteral("write"), address, QStringLiteral("--offset"), QStringLiteral("8"),
                                  QStringLiteral("--file"), input.fileName() });
    QVERIFY2(fromFile.exitCode == 0, fromFile.err.constData());
    QVERIFY(fromFile.out.startsWith(QByteArray("wrote 16 bytes at offset 8 of " + address.toUtf8())));

    const CliRun fromStdin = cli({ QStringLiteral("write"), address, QStringLiteral("--stdin"),
                                   QStringLiteral("--offset"), QStringLiteral("0x30") },
                                 QByteArray("piped in"));
    QVERIFY2(fromStdin.exitCode == 0, fromStdin.err.constData());
    QByteArray expected(64, 'x');
    expected.replace(8, 16, QByteArray("\x00\x01\x02\x03 from a file", 16));
    expected.replace(0x30, 8, QByteArray("piped in"));
    QCOMPARE(posixBytes(address), expected);

    // Too much data: usage error, nothing written, not even a prefix.
    const CliRun tooMuch = cli({ QStringLiteral("write"), address, QStringLiteral("--stdin"),
                                 QStringLiteral("--offset"), QStringLiteral("60") },
                               QByteArray(5, 'Z'));
    QCOMPARE(tooMuch.exitCode, 2);
    QVERIFY(tooMuch.err.contains("do not fit"));
    const CliRun empty = cli({ QStringLiteral("write"), address, QStringLiteral("--stdin") });
    QCOMPARE(empty.exitCode, 2);
    QCOMPARE(posixBytes(address), expected);

    // --no-nul writes the text alone.
    QCOMPARE(cli({ QStringLiteral("write"), address, QStringLiteral("--text"), QStringLiteral("AB"),
                   QStringLiteral("--no-nul") })
                 .exitCode,
             0);
    expected.replace(0, 2, QByteArray("AB"));
    QCOMPARE(posixBytes(address), expected);
    // UTF-8 text round trip.
    const QString greeting = QStringLiteral("Gr\u00fc\u00dfe \u4f60\u597d");
    QCOMPARE(cli({ QStringLiteral("write"), address, QStringLiteral("--text"), greeting }).exitCode, 0);
    QCOMPARE(QString::fromUtf8(
                 cli({ QStringLiteral("read"), address, QStringLiteral("--format"), QStringLiteral("text") }).out),
             greeting + QLatin1Char('\n'));
}

void TestCli::fileBackedDataOutlivesProcesses()
{
    const QString address = newFileAddress();
    const QString path = address.mid(5);
    QCOMPARE(cli({ QStringLiteral("create"), address, QStringLiteral("--size"), QStringLiteral("1K") }).exitCode, 0);
    QCOMPARE(cli({ QStringLiteral("write"), address, QStringLiteral("--offset"), QStringLiteral("100"),
                   QStringLiteral("--text"), QStringLiteral("persisted") })
                 .exitCode,
             0);
    // Every CLI process has exited: the bytes must be in the file itself.
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray contents = file.readAll();
    QCOMPARE(contents.size(), 1024);
    QCOMPARE(contents.mid(100, 10), QByteArray("persisted", 10));
    QCOMPARE(contents.count('\0'), 1024 - 9);
    QCOMPARE(QFileInfo(path).permissions() & (QFile::ReadGroup | QFile::ReadOther), QFile::Permissions());
}

void TestCli::createFileWithoutSize()
{
    const QString path = m_dir.filePath(QStringLiteral("existing.dat"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(300, 'q'));
    file.close();
    // A file keeps its own size when --size is not given.
    const CliRun attached
        = cli({ QStringLiteral("create"), QStringLiteral("file:") + path, QStringLiteral("--exist-ok") });
    QVERIFY2(attached.exitCode == 0, attached.err.constData());
    QVERIFY2(attached.out.startsWith(QByteArray("attached existing file:" + path.toUtf8() + ": 300 bytes")),
             attached.out.constData());
    QCOMPARE(QFileInfo(path).size(), 300);
}

// Translated headers are wider on a terminal than their length (CJK takes two cells): the columns
// of `list` and the values of `info` must still line up in terminal cells.
void TestCli::translatedColumnsAlign()
{
    const QString address = newPosixAddress();
    QCOMPARE(cli({ QStringLiteral("create"), address, QStringLiteral("--size"), QStringLiteral("4K") }).exitCode, 0);
    QProcessEnvironment chinese = cliEnvironment();
    chinese.insert(QStringLiteral("LANGUAGE"), QStringLiteral("zh_CN"));

    const CliRun table = cli({ QStringLiteral("list") }, {}, chinese);
    QCOMPARE(table.exitCode, 0);
    const QStringList lines = QString::fromUtf8(table.out).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QVERIFY2(lines.size() >= 2 && lines.first().contains(QStringLiteral("地址")), table.out.constData());
    const QString row = lines.filter(address).value(0);
    const QList<int> header = cellColumns(lines.first());
    const QList<int> cells = cellColumns(row);
    QCOMPARE(header.size(), 6);
    QCOMPARE(cells.size(), 6);
    for (int i = 2; i < 6; ++i) // the left-aligned columns after the right-aligned size
        QCOMPARE(cells.at(i), header.at(i));
    // The size column is right-aligned: both end where the mode column's gap starts.
    QCOMPARE(terminalCells(row.left(row.indexOf(QStringLiteral("4 KiB")) + 5)),
             terminalCells(lines.first().left(lines.first().indexOf(QStringLiteral("大小")) + 2)));

    const CliRun info = cli({ QStringLiteral("info"), address }, {}, chinese);
    QCOMPARE(info.exitCode, 0);
    const QStringList fields = QString::fromUtf8(info.out).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QVERIFY(fields.size() >= 5);
    QSet<int> valueColumns;
    for (const QString& field : fields) {
        const qsizetype colon = field.indexOf(QLatin1Char(':'));
        QVERIFY2(colon > 0, qPrintable(field));
        qsizetype value = colon + 1;
        while (value < field.size() && field.at(value) == QLatin1Char(' '))
            ++value;
        valueColumns << terminalCells(field.left(value));
    }
    QVERIFY2(valueColumns.size() == 1, info.out.constData());
}

void TestCli::listTableAndJson()
{
    const QString address = newPosixAddress();
    QCOMPARE(cli({ QStringLiteral("create"), address, QStringLiteral("--size"), QStringLiteral("12K"),
                   QStringLiteral("--mode"), QStringLiteral("0604") })
                 .exitCode,
             0);
    const QString sysv = newSysvAddress();
    QCOMPARE(cli({ QStringLiteral("create"), sysv, QStringLiteral("--size"), QStringLiteral("8K") }).exitCode, 0);

    const CliRun table = cli({ QStringLiteral("list") });
    QCOMPARE(table.exitCode, 0);
    const QStringList lines = QString::fromUtf8(table.out).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QVERIFY(lines.size() >= 3);
    QVERIFY2(QRegularExpression(QStringLiteral("^ADDRESS +SIZE +MODE +OWNER +MODIFIED +PIDS$"))
                 .match(lines.first())
                 .hasMatch(),
             qPrintable(lines.first()));
    const QString line = lines.filter(address).value(0);
    // PIDS: nobody maps it ("-"), unless some processes could not be inspected (even root may be
    // refused some, e.g. the init of a sandbox): then the CLI must not claim "-".
    QVERIFY2(QRegularExpression(QStringLiteral("^%1 +12 KiB +0604 +\\S+ +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +"
                                               "(-|unknown \\(\\d+ process(es)? could not be inspected\\))$")
                                    .arg(QRegularExpression::escape(address)))
                 .match(line)
                 .hasMatch(),
             qPrintable(line));
    QVERIFY2(!lines.filter(sysv).isEmpty(), table.out.constData());
    // Columns line up: the SIZE column ends at the same place in every row.
    const qsizetype sizeEnd = lines.first().indexOf(QStringLiteral("SIZE")) + 4;
    QCOMPARE(line.mid(sizeEnd - 6, 6), QStringLiteral("12 KiB"));

    const CliRun json = cli({ QStringLiteral("list"), QStringLiteral("--json") });
    QCOMPARE(json.exitCode, 0);
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json.out, &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    QVERIFY(document.isArray());
    bool foundPosix = false;
    bool foundSysv = false;
    for (const QJsonValue& value : document.array()) {
        const QJsonObject object = value.toObject();
        if (object.value(QStringLiteral("address")).toString() == address) {
            foundPosix = true;
            QCOMPARE(object.value(QStringLiteral("size")).toInteger(), 12288);
            QCOMPARE(object.value(QStringLiteral("mode")).toString(), QStringLiteral("0604"));
            QCOMPARE(object.value(QStringLiteral("kind")).toString(), QStringLiteral("posix"));
            QVERIFY(object.value(QStringLiteral("pids")).isArray());
            QVERIFY(object.value(QStringLiteral("modifiedEpoch")).toInteger() > 0);
        }
        if (object.value(QStringLiteral("address")).toString() == sysv) {
            foundSysv = true;
            QCOMPARE(object.value(QStringLiteral("size")).toInteger(), 8192);
            QVERIFY(object.value(QStringLiteral("shmid")).toInteger() >= 0);
        }
    }
    QVERIFY(foundPosix);
    QVERIFY(foundSysv);
}

// ---- names are bytes --------------------------------------------------------------------------

// `list`, `list --json` and `info` print each name escaped, one object per line, with no control
// byte and nothing that is not UTF-8 reaching the terminal.
void TestCli::namesAreBytesInListing()
{
    const NamedObjects named = createNamedObjects();
    for (const NamedObjects::Object& object : named.objects)
        QCOMPARE(rawPosixBytes(object.name), object.contents);

    const CliRun table = cli({ QStringLiteral("list") });
    QCOMPARE(table.exitCode, 0);
    QCOMPARE(QString::fromUtf8(table.out).toUtf8(), table.out); // valid UTF-8
    for (const char c : table.out)
        QVERIFY2((uchar(c) >= 0x20 && uchar(c) != 0x7f) || c == '\n', "a control byte in the listing");
    const QList<QByteArray> lines = table.out.split('\n');
    qsizetype ours = 0;
    for (const QByteArray& line : lines)
        ours += line.contains(named.base) ? 1 : 0;
    QCOMPARE(ours, qsizetype(named.objects.size())); // one line each: a newline in a name breaks no row
    for (const NamedObjects::Object& object : named.objects) {
        qsizetype found = 0;
        for (const QByteArray& line : lines)
            found += line.startsWith(QByteArray(object.escaped + ' ')) ? 1 : 0;
        QVERIFY2(found == 1, object.escaped.constData());
    }

    const CliRun json = cli({ QStringLiteral("list"), QStringLiteral("--json") });
    QCOMPARE(json.exitCode, 0);
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json.out, &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    QSet<QByteArray> addresses;
    for (const QJsonValue& value : document.array())
        addresses << value.toObject().value(QStringLiteral("address")).toString().toUtf8();
    for (const NamedObjects::Object& object : named.objects)
        QVERIFY2(addresses.contains(object.escaped), object.escaped.constData());

    for (const NamedObjects::Object& object : named.objects) {
        const CliRun info = cliBytes({ "info", object.name });
        QCOMPARE(info.exitCode, 0);
        QVERIFY2(info.out.startsWith(QByteArray("address:  " + object.escaped + '\n')), info.out.constData());
    }
}

// `read` and `remove` given the raw bytes, or the escaped form `list` printed, act on exactly that
// object: not on the one whose name holds U+FFFD, not on any other.
void TestCli::namesAreBytesWhenAddressed()
{
    const NamedObjects named = createNamedObjects();
    for (const NamedObjects::Object& object : named.objects) {
        for (const QByteArray& address : QList<QByteArray> { object.name, "posix:" + object.name, object.escaped }) {
            const CliRun read = cliBytes({ "read", address, "--format", "raw" });
            QVERIFY2(read.exitCode == 0, read.err.constData());
            QCOMPARE(read.out, object.contents);
        }
    }

    // An error names the object escaped, on one line.
    const CliRun missing = cliBytes({ "read", named.escape().name + "-missing\xfe" });
    QCOMPARE(missing.exitCode, 3);
    QCOMPARE(missing.err.count('\n'), 1);
    QVERIFY2(!missing.err.contains('\x1b') && missing.err.contains("\\x1b[31mred-missing\\xfe"),
             missing.err.constData());

    // write by the raw name, with --text bytes that are not UTF-8 either: written as given.
    const CliRun written = cliBytes({ "write", named.newline().name, "--text", "\xfe\xff", "--no-nul" });
    QVERIFY2(written.exitCode == 0, written.err.constData());
    QCOMPARE(rawPosixBytes(named.newline().name), QByteArray("\xfe\xff") + named.newline().contents.mid(2));
    QCOMPARE(rawPosixBytes(named.replacementCharacter().name), named.replacementCharacter().contents);

    // remove by the escaped form: that object goes, the U+FFFD one stays.
    CliRun removed = cliBytes({ "remove", named.byteFF().escaped });
    QVERIFY2(removed.exitCode == 0, removed.err.constData());
    QCOMPARE(removed.out, "removed " + named.byteFF().escaped + '\n');
    QVERIFY(rawPosixBytes(named.byteFF().name).isEmpty());
    QCOMPARE(rawPosixBytes(named.replacementCharacter().name), named.replacementCharacter().contents);

    // remove by the raw bytes.
    removed = cliBytes({ "remove", named.newline().name });
    QVERIFY2(removed.exitCode == 0, removed.err.constData());
    QCOMPARE(removed.out, "removed " + named.newline().escaped + '\n');
    QVERIFY(rawPosixBytes(named.newline().name).isEmpty());
    QCOMPARE(rawPosixBytes(named.escape().name), named.escape().contents);
    QCOMPARE(rawPosixBytes(named.replacementCharacter().name), named.replacementCharacter().contents);

    // The 0xff object is gone: its name does not reach the U+FFFD one by another spelling.
    for (const QByteArray& address : QList<QByteArray> { named.byteFF().name, named.byteFF().escaped }) {
        const CliRun again = cliBytes({ "remove", address });
        QCOMPARE(again.exitCode, 3);
    }
    QCOMPARE(rawPosixBytes(named.replacementCharacter().name), named.replacementCharacter().contents);

    // Made again, the 0xff object is removed by its raw bytes too; the U+FFFD one still stays.
    QVERIFY(createRawPosix(named.byteFF().name, named.byteFF().contents));
    removed = cliBytes({ "remove", named.byteFF().name });
    QVERIFY2(removed.exitCode == 0, removed.err.constData());
    QVERIFY(rawPosixBytes(named.byteFF().name).isEmpty());
    QCOMPARE(rawPosixBytes(named.replacementCharacter().name), named.replacementCharacter().contents);
}

// Non-root callers cannot read other users' /proc/PID/maps: `list` must say that it does not know who
// maps an object rather than "-" (nobody). Run as a second user while this (root) process maps one.
void TestCli::listSaysUnknownWhenProcessesCannotBeInspected()
{
    if (::geteuid() != 0)
        QSKIP("needs root: the CLI runs as a second user (made with useradd) against a mapping held by root");
    std::string whyNot;
    const std::optional<shmscope::test::TestUser> testUser = shmscope::test::secondUser(whyNot);
    if (!testUser)
        QSKIP(whyNot.c_str());
    const QString user = QString::fromStdString(testUser->name);
    auto runAsUser = [&](const QStringList& arguments) {
        QProcess process;
        process.setProcessEnvironment(cliEnvironment());
        process.start(QStringLiteral("runuser"),
                      QStringList { QStringLiteral("-u"), user, QStringLiteral("--"), m_cli } + arguments);
        process.waitForFinished(kProcessTimeoutMs);
        return CliRun { process.exitCode(), process.exitStatus(), process.readAllStandardOutput(),
                        process.readAllStandardError() };
    };
    const CliRun probe = runAsUser({ QStringLiteral("--version") });
    if (probe.exitCode != 0)
        QSKIP(qPrintable(QStringLiteral("cannot run the CLI as %1: %2").arg(user, QString::fromUtf8(probe.err))));

    // An object that this process maps, readable by all so the other user sees it fully.
    const QString address = newPosixAddress();
    QCOMPARE(cli({ QStringLiteral("create"), address, QStringLiteral("--size"), QStringLiteral("4K"),
                   QStringLiteral("--mode"), QStringLiteral("0644") })
                 .exitCode,
             0);
    const int fd = ::shm_open(QByteArray('/' + posixName(address).toUtf8()).constData(), O_RDONLY, 0);
    QVERIFY(fd >= 0);
    void* view = ::mmap(nullptr, 4096, PROT_READ, MAP_SHARED, fd, 0);
    ::close(fd);
    QVERIFY(view != MAP_FAILED);
    const auto unmap = qScopeGuard([view] { ::munmap(view, 4096); });

    // Root sees this process map it.
    const CliRun asRoot = cli({ QStringLiteral("info"), address, QStringLiteral("--json") });
    QCOMPARE(asRoot.exitCode, 0);
    QVERIFY2(QJsonDocument::fromJson(asRoot.out)
                 .object()
                 .value(QStringLiteral("pids"))
                 .toArray()
                 .contains(QJsonValue(qint64(::getpid()))),
             asRoot.out.constData());

    // The other user cannot tell, and says so with a count, in the table, in info and in JSON.
    const QRegularExpression unknown(QStringLiteral("unknown \\((\\d+) process(es)? could not be inspected\\)$"));
    const CliRun table = runAsUser({ QStringLiteral("list") });
    QCOMPARE(table.exitCode, 0);
    const QString line = QString::fromUtf8(table.out).split(QLatin1Char('\n')).filter(address).value(0);
    const QRegularExpressionMatch match = unknown.match(line);
    QVERIFY2(match.hasMatch(), qPrintable(line));
    QVERIFY(match.captured(1).toInt() >= 1);

    const CliRun info = runAsUser({ QStringLiteral("info"), address });
    QCOMPARE(info.exitCode, 0);
    const QString pidsLine
        = QString::fromUtf8(info.out).split(QLatin1Char('\n')).filter(QStringLiteral("pids:")).value(0);
    QVERIFY2(unknown.match(pidsLine).hasMatch(), info.out.constData());

    const CliRun json = runAsUser({ QStringLiteral("list"), QStringLiteral("--json") });
    QCOMPARE(json.exitCode, 0);
    bool found = false;
    for (const QJsonValue& value : QJsonDocument::fromJson(json.out).array()) {
        const QJsonObject object = value.toObject();
        if (object.value(QStringLiteral("address")).toString() != address)
            continue;
        found = true;
        QCOMPARE(object.value(QStringLiteral("pidsComplete")), QJsonValue(false));
        QVERIFY(object.value(QStringLiteral("uninspectedProcesses")).toInteger() >= 1);
        QVERIFY(object.value(QStringLiteral("pids")).toArray().isEmpty());
    }
    QVERIFY2(found, json.out.constData());
}

// ---- watch -----------------------------------------------------------------------------------

// A System V segment has two spellings, sysv:KEY and sysvid:ID: a watcher on one hears a writer on the
// other (the bus is keyed by Mapping::identity(), always sysvid:).
void TestCli::sysvKeyAndIdMeetOnOneBus()
{
    const QString byKey = newSysvAddress();
    QCOMPARE(cli({ QStringLiteral("create"), byKey, QStringLiteral("--size"), QStringLiteral("4K") }).exitCode, 0);
    const QJsonObject info
        = QJsonDocument::fromJson(cli({ QStringLiteral("info"), byKey, QStringLiteral("--json") }).out).object();
    const qint64 shmid = info.value(QStringLiteral("shmid")).toInteger(-1);
    QVERIFY2(shmid >= 0, QJsonDocument(info).toJson().constData());
    const QString byId = QStringLiteral("sysvid:%1").arg(shmid);

    QByteArray output;
    QProcess* watch = startWatch({ byId, QStringLiteral("--interval"), QStringLiteral("1000") }, output);
    QVERIFY(watch);
    const CliRun write = cli({ QStringLiteral("write"), byKey, QStringLiteral("--hex"), QStringLiteral("ab") });
    QCOMPARE(write.exitCode, 0);
    QVERIFY2(write.out.contains("(notified 1 instance)"), write.out.constData());
    QTRY_VERIFY2_WITH_TIMEOUT(output.contains("notification from pid "), output.constData(), kAsyncTimeoutMs);
    QVERIFY2(output.contains(": changed offset=0x0 length=1\n"), output.constData());
}

void TestCli::watchSeesWriteFromAnotherProcess()
{
    const QString address = newPosixAddress();
    QByteArray contents(256, '\0');
    contents.replace(0x10, 4, fromHex("deadbeef"));
    createPosixWithContents(address, contents);

    QByteArray output;
    QProcess* watch = startWatch({ address, QStringLiteral("--interval"), QStringLiteral("50") }, output);
    QVERIFY(watch);
    QVERIFY2(output.startsWith(QByteArray("watching " + address.toUtf8() + " (256 bytes)\n")), output.constData());

    // The watcher maps the object, so the catalog lists its pid.
    const QJsonObject info
        = QJsonDocument::fromJson(cli({ QStringLiteral("info"), address, QStringLiteral("--json") }).out).object();
    QVERIFY2(info.value(QStringLiteral("pids")).toArray().contains(QJsonValue(qint64(watch->processId()))),
             QJsonDocument(info).toJson().constData());

    QProcess writer;
    writer.setProcessEnvironment(cliEnvironment());
    writer.start(m_cli,
                 { QStringLiteral("write"), address, QStringLiteral("--offset"), QStringLiteral("0x10"),
                   QStringLiteral("--hex"), QStringLiteral("00 11 22 33") });
    QVERIFY(writer.waitForStarted(kProcessTimeoutMs));
    const qint64 writerPid = writer.processId();
    QVERIFY(writer.waitForFinished(kProcessTimeoutMs));
    QCOMPARE(writer.exitCode(), 0);
    // The watcher is a listening peer on the object's bus, so the writer reached it.
    QCOMPARE(writer.readAllStandardOutput(),
             QByteArray("wrote 4 bytes at offset 16 of " + address.toUtf8() + " (notified 1 instance)\n"));

    QTRY_VERIFY2_WITH_TIMEOUT(output.contains(QByteArray("notification from pid " + QByteArray::number(writerPid)
                                                         + ": changed offset=0x10 length=4\n")),
                              output.constData(), kAsyncTimeoutMs);
    QTRY_VERIFY2_WITH_TIMEOUT(output.contains("change offset=0x00000010 length=4 old=de ad be ef new=00 11 22 33\n"),
                              output.constData(), kAsyncTimeoutMs);
    // The change is reported once, whichever of the poll and the notification saw it first.
    QTest::qWait(300);
    QCOMPARE(output.count("change offset="), 1);

    // A change by a program that does not notify is found by polling.
    QFile file(shmPath(address));
    QVERIFY(file.open(QIODevice::ReadWrite));
    QVERIFY(file.seek(0x80));
    file.write("\x01\x02", 2);
    file.close();
    QTRY_VERIFY2_WITH_TIMEOUT(output.contains("change offset=0x00000080 length=2 old=00 00 new=01 02\n"),
                              output.constData(), kAsyncTimeoutMs);

    ::kill(pid_t(watch->processId()), SIGTERM);
    QVERIFY(watch->waitForFinished(kProcessTimeoutMs));
    QCOMPARE(watch->exitStatus(), QProcess::NormalExit);
    QCOMPARE(watch->exitCode(), 0);
    QCOMPARE(watch->readAllStandardError(), QByteArray());
}

void TestCli::watchCountEndsAfterEvents()
{
    const QString address = newPosixAddress();
    createPosixWithContents(address, QByteArray(128, '\0'));
    QByteArray output;
    QProcess* watch = startWatch({ address, QStringLiteral("--count"), QStringLiteral("1") }, output);
    QVERIFY(watch);
    QCOMPARE(cli({ QStringLiteral("write"), address, QStringLiteral("--text"), QStringLiteral("x"),
                   QStringLiteral("--no-nul") })
                 .exitCode,
             0);
    QVERIFY(watch->waitForFinished(kProcessTimeoutMs));
    output += watch->readAllStandardOutput();
    QCOMPARE(watch->exitStatus(), QProcess::NormalExit);
    QCOMPARE(watch->exitCode(), 0);
    // Exactly one event line after the ready line: the notification or the change, whichever came first.
    const QStringList lines = QString::fromUtf8(output).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2);
    QVERIFY2(lines.at(1).startsWith(QLatin1String("notification from pid "))
                 || lines.at(1) == QLatin1String("change offset=0x00000000 length=1 old=00 new=78"),
             qPrintable(lines.at(1)));
}

void TestCli::watchMergesRunsAndTruncatesLongOnes()
{
    const QString address = newPosixAddress();
    createPosixWithContents(address, QByteArray(256, '\0'));
    QByteArray output;
    QProcess* watch = startWatch({ address, QStringLiteral("--interval"), QStringLiteral("20") }, output);
    QVERIFY(watch);

    // Two separate runs and one long run, written behind the watcher's back in one go.
    QFile file(shmPath(address));
    QVERIFY(file.open(QIODevice::ReadWrite));
    QByteArray contents(256, '\0');
    contents.replace(4, 3, QByteArray("abc"));
    contents.replace(9, 1, QByteArray("d"));
    for (int i = 100; i < 140; ++i)
        contents[i] = char(i);
    QCOMPARE(file.write(contents), qint64(256));
    file.close();

    QTRY_VERIFY2_WITH_TIMEOUT(output.contains("change offset=0x00000064"), output.constData(), kAsyncTimeoutMs);
    QVERIFY2(output.contains("change offset=0x00000004 length=3 old=00 00 00 new=61 62 63\n"), output.constData());
    QVERIFY2(output.contains("change offset=0x00000009 length=1 old=00 new=64\n"), output.constData());
    QVERIFY2(
        output.contains("change offset=0x00000064 length=40 old=00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00\u2026 "
                        "new=64 65 66 67 68 69 6a 6b 6c 6d 6e 6f 70 71 72 73\u2026\n"),
        output.constData());
}

void TestCli::watchSurvivesTruncationByAnotherProcess()
{
    const QString address = newPosixAddress();
    createPosixWithContents(address, QByteArray(65536, '\0'));
    QByteArray output;
    QProcess* watch = startWatch({ address, QStringLiteral("--interval"), QStringLiteral("20") }, output);
    QVERIFY(watch);

    // Another process shrinks the object under the watcher's mapping: touching the lost pages would
    // raise SIGBUS in a naive reader.
    QProcess truncate;
    truncate.start(QStringLiteral("truncate"), { QStringLiteral("-s"), QStringLiteral("4096"), shmPath(address) });
    QVERIFY(truncate.waitForFinished(kProcessTimeoutMs));
    QCOMPARE(truncate.exitCode(), 0);
    QTRY_VERIFY2_WITH_TIMEOUT(output.contains("resized: 4096 bytes (was 65536 bytes)\n"), output.constData(),
                              kAsyncTimeoutMs);
    QCOMPARE(watch->state(), QProcess::Running);

    // It keeps watching at the new size.
    QCOMPARE(cli({ QStringLiteral("write"), address, QStringLiteral("--offset"), QStringLiteral("4092"),
                   QStringLiteral("--hex"), QStringLiteral("0102 0304") })
                 .exitCode,
             0);
    QTRY_VERIFY2_WITH_TIMEOUT(output.contains("change offset=0x00000ffc length=4 old=00 00 00 00 new=01 02 03 04\n"),
                              output.constData(), kAsyncTimeoutMs);

    // Down to nothing and back up.
    QVERIFY(::truncate(QFile::encodeName(shmPath(address)).constData(), 0) == 0);
    QTRY_VERIFY2_WITH_TIMEOUT(output.contains("resized: 0 bytes (was 4096 bytes)\n"), output.constData(),
                              kAsyncTimeoutMs);
    QVERIFY(::truncate(QFile::encodeName(shmPath(address)).constData(), 8192) == 0);
    QTRY_VERIFY2_WITH_TIMEOUT(output.contains("resized: 8192 bytes (was 0 bytes)\n"), output.constData(),
                              kAsyncTimeoutMs);
    QCOMPARE(cli({ QStringLiteral("write"), address, QStringLiteral("--offset"), QStringLiteral("8000"),
                   QStringLiteral("--hex"), QStringLiteral("aa") })
                 .exitCode,
             0);
    QTRY_VERIFY2_WITH_TIMEOUT(output.contains("change offset=0x00001f40 length=1 old=00 new=aa\n"), output.constData(),
                              kAsyncTimeoutMs);

    QCOMPARE(watch->state(), QProcess::Running);
    ::kill(pid_t(watch->processId()), SIGTERM);
    QVERIFY(watch->waitForFinished(kProcessTimeoutMs));
    QCOMPARE(watch->exitStatus(), QProcess::NormalExit);
    QCOMPARE(watch->exitCode(), 0);
}

void TestCli::watchEndsWhenObjectIsRemoved()
{
    // Told by the notification of `remove` (a long interval keeps polling out of the way)…
    const QString address = newPosixAddress();
    createPosixWithContents(address, QByteArray(64, '\0'));
    QByteArray output;
    QProcess* watch = startWatch({ address, QStringLiteral("--interval"), QStringLiteral("60000") }, output);
    QVERIFY(watch);
    QProcess remover;
    remover.setProcessEnvironment(cliEnvironment());
    remover.start(m_cli, { QStringLiteral("remove"), address });
    QVERIFY(remover.waitForStarted(kProcessTimeoutMs));
    const qint64 removerPid = remover.processId();
    QVERIFY(remover.waitForFinished(kProcessTimeoutMs));
    QCOMPARE(remover.exitCode(), 0);
    QCOMPARE(remover.readAllStandardOutput(), QByteArray("removed " + address.toUtf8() + " (notified 1 instance)\n"));
    QVERIFY(watch->waitForFinished(kProcessTimeoutMs));
    output += watch->readAllStandardOutput();
    QCOMPARE(watch->exitStatus(), QProcess::NormalExit);
    QCOMPARE(watch->exitCode(), 0);
    QCOMPARE(output,
             QByteArray("watching " + address.toUtf8() + " (64 bytes)\n" + "notification from pid "
                        + QByteArray::number(removerPid) + ": removed\n" + "removed: " + address.toUtf8() + '\n'));

    // …or found by polling when a program that does not notify removes it.
    const QString other = newPosixAddress();
    createPosixWithContents(other, QByteArray(64, '\0'));
    output.clear();
    watch = startWatch({ other, QStringLiteral("--interval"), QStringLiteral("20") }, output);
    QVERIFY(watch);
    QCOMPARE(::shm_unlink(QFile::encodeName(QLatin1Char('/') + posixName(other)).constData()), 0);
    QVERIFY(watch->waitForFinished(kProcessTimeoutMs));
    output += watch->readAllStandardOutput();
    QCOMPARE(watch->exitStatus(), QProcess::NormalExit);
    QCOMPARE(watch->exitCode(), 0);
    QVERIFY2(output.endsWith(QByteArray("removed: " + other.toUtf8() + '\n')), output.constData());
}

void TestCli::watchStopsCleanlyOnSigint()
{
    const QString address = newPosixAddress();
    createPosixWithContents(address, QByteArray(64, '\0'));
    QByteArray output;
    QProcess* watch = startWatch({ address }, output);
    QVERIFY(watch);
    ::kill(pid_t(watch->processId()), SIGINT);
    QVERIFY(watch->waitForFinished(kProcessTimeoutMs));
    QCOMPARE(watch->exitStatus(), QProcess::NormalExit);
    QCOMPARE(watch->exitCode(), 0);
    // It left the bus: a writer now reaches nobody.
    const CliRun wrote = cli({ QStringLiteral("write"), address, QStringLiteral("--hex"), QStringLiteral("01") });
    QCOMPARE(wrote.exitCode, 0);
    QVERIFY2(wrote.out.endsWith("(notified 0 instances)\n"), wrote.out.constData());
}

// ---- names that are no objects, planted symlinks and lock files (issue 9, items 1, 5 and 2) -------

void TestCli::removeRefusesWhatIsNotAnObject()
{
    // Nodes made in this test's folder: a FIFO, a bound AF_UNIX socket, a folder, a symlink.
    const QString fifo = m_dir.filePath(QStringLiteral("fifo-%1").arg(++m_counter));
    QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
    const QString socketPath = m_dir.filePath(QStringLiteral("socket-%1").arg(++m_counter));
    const int socketFd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    QVERIFY(socketFd >= 0);
    const auto closeSocket = qScopeGuard([socketFd] { ::close(socketFd); });
    sockaddr_un socketName = {};
    socketName.sun_family = AF_UNIX;
    const QByteArray encodedSocket = QFile::encodeName(socketPath);
    QVERIFY(std::size_t(encodedSocket.size()) < sizeof socketName.sun_path);
    std::copy(encodedSocket.begin(), encodedSocket.end(), socketName.sun_path);
    QCOMPARE(::bind(socketFd, reinterpret_cast<sockaddr*>(&socketName), sizeof socketName), 0);
    const QString folder = m_dir.filePath(QStringLiteral("folder-%1").arg(++m_counter));
    QVERIFY(QDir().mkdir(folder));
    const QString object = newFileAddress();
    QCOMPARE(cli({ QStringLiteral("create"), object, QStringLiteral("--size"), QStringLiteral("4K") }).exitCode, 0);
    const QString link = m_dir.filePath(QStringLiteral("link-%1").arg(++m_counter));
    QVERIFY(QFile::link(object.mid(5), link));

    for (const QString& path : { fifo, socketPath, folder, link }) {
        const QString address = QStringLiteral("file:") + path;
        const CliRun removed = cli({ QStringLiteral("remove"), address });
        QVERIFY2(removed.exitCode == 2, qPrintable(path + QStringLiteral(": ") + QString::fromUtf8(removed.err)));
        QVERIFY(removed.out.isEmpty());
        QCOMPARE(removed.err.count('\n'), 1);
        QVERIFY2(
            removed.err.startsWith(QByteArray("shmscope-cli: remove " + address.toUtf8() + ": not a regular file (")),
            removed.err.constData());
        QVERIFY2(QFileInfo(path).exists() || QFileInfo(path).isSymLink(), qPrintable(path));
        if (path == link)
            continue; // info and read follow the link to the object
        // The same message as info and read give, with the same exit code.
        for (const QString& command : { QStringLiteral("info"), QStringLiteral("read") }) {
            const CliRun other = cli({ command, address });
            QCOMPARE(other.exitCode, removed.exitCode);
            QCOMPARE(other.err.mid(other.err.indexOf(": not a regular file")),
                     removed.err.mid(removed.err.indexOf(": not a regular file")));
        }
    }
    QVERIFY(QFileInfo(link).isSymLink());
    QCOMPARE(QFileInfo(object.mid(5)).size(), 4096);
}

void TestCli::removeRefusesADeviceNode()
{
    // Issue 9 item 1's incident: `remove file:/dev/zero` as root deleted /dev/zero. A character device
    // like /dev/null (1,3), made by this test in its own folder (never a real device node).
    if (::geteuid() != 0)
        QSKIP("needs root to mknod a character device in the test's folder");
    const QString device = m_dir.filePath(QStringLiteral("null-%1").arg(++m_counter));
    if (::mknod(QFile::encodeName(device).constData(), S_IFCHR | 0600, makedev(1, 3)) != 0)
        QSKIP(qPrintable(QStringLiteral("mknod of a character device failed (no CAP_MKNOD here?): %1")
                             .arg(QString::fromLocal8Bit(strerror(errno)))));
    struct stat before = {};
    QCOMPARE(::lstat(QFile::encodeName(device).constData(), &before), 0);
    const QString address = QStringLiteral("file:") + device;
    const CliRun removed = cli({ QStringLiteral("remove"), address });
    QCOMPARE(removed.exitCode, 2);
    QVERIFY(removed.out.isEmpty());
    QCOMPARE(removed.err,
             QByteArray("shmscope-cli: remove " + address.toUtf8() + ": not a regular file (" + device.toUtf8()
                        + " is a character device)\n"));
    // The same message and exit code as info and read (attach) give.
    for (const QString& command : { QStringLiteral("info"), QStringLiteral("read") }) {
        const CliRun other = cli({ command, address });
        QCOMPARE(other.exitCode, removed.exitCode);
        QCOMPARE(other.err.mid(other.err.indexOf(": not a regular file")),
                 removed.err.mid(removed.err.indexOf(": not a regular file")));
    }
    struct stat after = {};
    QCOMPARE(::lstat(QFile::encodeName(device).constData(), &after), 0);
    QVERIFY(S_ISCHR(after.st_mode));
    QCOMPARE(after.st_ino, before.st_ino);
    QCOMPARE(after.st_rdev, makedev(1, 3));
}

void TestCli::plantedSymlinkInStickyFolderIsNotFollowed()
{
    if (::geteuid() != 0)
        QSKIP("needs root: the link must belong to another user (lchown)");
    // A sticky world-writable folder (like /tmp) where user nobody planted a link to a 0600 file of ours.
    const QString sticky = m_dir.filePath(QStringLiteral("sticky-%1").arg(++m_counter));
    QVERIFY(QDir().mkdir(sticky));
    QCOMPARE(::chmod(QFile::encodeName(sticky).constData(), 01777), 0);
    const QString target = m_dir.filePath(QStringLiteral("secret-%1").arg(++m_counter));
    {
        QFile file(target);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QCOMPARE(file.write(QByteArray(100, 's')), qint64(100));
    }
    QCOMPARE(::chmod(QFile::encodeName(target).constData(), 0600), 0);
    const QString link = sticky + QStringLiteral("/object.bin");
    QVERIFY(QFile::link(target, link));
    QCOMPARE(::lchown(QFile::encodeName(link).constData(), 65534, 65534), 0);

    const QString address = QStringLiteral("file:") + link;
    const QList<QStringList> commands {
        { QStringLiteral("create"), address, QStringLiteral("--size"), QStringLiteral("1M"),
          QStringLiteral("--exist-ok") },
        { QStringLiteral("write"), address, QStringLiteral("--hex"), QStringLiteral("00") },
        { QStringLiteral("read"), address },
    };
    for (const QStringList& arguments : commands) {
        const CliRun run = cli(arguments);
        QVERIFY2(run.exitCode == 4,
                 qPrintable(arguments.join(QLatin1Char(' ')) + QStringLiteral(": ") + QString::fromUtf8(run.err)));
        QVERIFY(run.out.isEmpty());
        QCOMPARE(run.err.count('\n'), 1);
        QVERIFY2(run.err.contains(QByteArray("refusing to follow the symbolic link " + QFile::encodeName(link))),
                 run.err.constData());
    }
    QFile file(target);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), QByteArray(100, 's'));
    struct stat st = {};
    QCOMPARE(::stat(QFile::encodeName(target).constData(), &st), 0);
    QCOMPARE(st.st_mode & 07777, mode_t(0600));
}

void TestCli::plantedSysvLockFileIsRefused()
{
    // A FIFO planted under the name of a segment's lock file is never taken for the lock: write
    // refuses with a message naming it, and writes nothing.
    const QString address = newSysvAddress();
    QCOMPARE(cli({ QStringLiteral("create"), address, QStringLiteral("--size"), QStringLiteral("4K") }).exitCode, 0);
    const int shmid = ::shmget(m_sysvKeys.last(), 0, 0);
    QVERIFY(shmid >= 0);
    const QByteArray lockPath = "/dev/shm/.shmscope-sysv-" + QByteArray::number(shmid) + ".lock";
    QCOMPARE(::mkfifo(lockPath.constData(), 0666), 0);
    const auto removeFifo = qScopeGuard([&lockPath] { ::unlink(lockPath.constData()); });
    const CliRun run = cli({ QStringLiteral("write"), address, QStringLiteral("--hex"), QStringLiteral("01") });
    QVERIFY2(run.exitCode == 4, run.err.constData());
    QCOMPARE(run.err.count('\n'), 1);
    QVERIFY2(run.err.contains(QByteArray("refusing the lock file " + lockPath + ": it is a FIFO")),
             run.err.constData());
    const CliRun read = cli({ QStringLiteral("read"), address, QStringLiteral("--length"), QStringLiteral("1"),
                              QStringLiteral("--format"), QStringLiteral("raw") });
    QCOMPARE(read.exitCode, 0);
    QCOMPARE(read.out, QByteArray(1, '\0'));
    struct stat st = {};
    QCOMPARE(::lstat(lockPath.constData(), &st), 0);
    QVERIFY(S_ISFIFO(st.st_mode));
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
