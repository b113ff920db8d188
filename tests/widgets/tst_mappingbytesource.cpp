// Tests of MappingByteSource against real POSIX shared memory: reads and writes, read-only and
// copy-on-write views, and a truncation by a separate process (`truncate -s`) seen by refresh() while a
// HexView and a TextView show the object; a string rewritten nonstop by a separate process (this
// executable started again with `--rewrite ADDRESS MS`) is never shown torn; a write cut short by a
// full tmpfs of the test's own (root only) announces the bytes that landed and counts them.
#include "core/hash.h"
#include "core/mapping.h"
#include "tests/core/testsupport.h"
#include "widgets/hexview.h"
#include "widgets/mappingbytesource.h"
#include "widgets/textview.h"

#include <QApplication>
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QFile>
#include <QPlainTextEdit>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

using namespace shmscope;

namespace {

// The strings of the rewriter: round i writes letter 'A' + i % 26, repeated kBase + (i % 26) * kStep
// times, and a NUL, in ONE writeLocked() — as every ShmScope writer does. Lengths differ so that a
// torn read shows as a wrong length as well as mixed letters.
constexpr int kTornBase = 16 * 1024;
constexpr int kTornStep = 1024;
constexpr quint64 kTornObjectSize = kTornBase + 26 * kTornStep + 16;

QByteArray tornRound(int round)
{
    const char letter = char('A' + round % 26);
    return QByteArray(kTornBase + (round % 26) * kTornStep, letter) + '\0';
}

// A text that is one whole round's string: one letter, and that letter's length.
bool isWholeRound(const QString& text)
{
    if (text.isEmpty())
        return false;
    const QChar letter = text.at(0);
    if (letter < QLatin1Char('A') || letter > QLatin1Char('Z'))
        return false;
    if (text.size() != kTornBase + (letter.unicode() - 'A') * kTornStep)
        return false;
    return text.count(letter) == text.size();
}

// --rewrite ADDRESS MS: attach read-write and rewrite the string nonstop for MS ms; prints "started"
// after the first write and "rounds N" at the end.
int runRewriter(const QString& addressText, int ms)
{
    const auto address = parseAddress(addressText.toStdString());
    if (!address)
        return 2;
    auto attached = attachMapping(*address, Access::ReadWrite);
    if (!attached) {
        std::fprintf(stderr, "rewriter: %s\n", attached.error().message().c_str());
        return 1;
    }
    Mapping& mapping = **attached;
    QElapsedTimer clock;
    clock.start();
    int round = 0;
    for (; round == 0 || clock.elapsed() < ms; ++round) {
        const QByteArray bytes = tornRound(round);
        if (Status status
            = mapping.writeLocked(0, bytes.constData(), std::size_t(bytes.size()), std::chrono::seconds(5));
            !status) {
            std::fprintf(stderr, "rewriter: %s\n", status.error().message().c_str());
            return 1;
        }
        if (round == 0) {
            std::printf("started\n");
            std::fflush(stdout);
        }
    }
    std::printf("rounds %d\n", round);
    std::fflush(stdout);
    return 0;
}

} // namespace

class TestMappingByteSource : public QObject
{
    Q_OBJECT

private:
    // posix:/shmscope-test-<pid>-<n>, removed again in cleanup().
    Address newAddress()
    {
        Address address;
        address.kind = Kind::Posix;
        address.name = "/shmscope-test-" + std::to_string(QCoreApplication::applicationPid()) + "-"
            + std::to_string(m_counter++);
        m_created.push_back(address);
        return address;
    }

    std::unique_ptr<Mapping> create(const Address& address, quint64 size)
    {
        CreateOptions options;
        options.size = size;
        Result<Created> created = createMapping(address, options, Access::ReadWrite);
        if (!created) {
            qWarning("%s", created.error().message().c_str());
            return nullptr;
        }
        return std::move(created->mapping);
    }

    std::unique_ptr<Mapping> attach(const Address& address, Access access)
    {
        Result<std::unique_ptr<Mapping>> attached = attachMapping(address, access);
        if (!attached) {
            qWarning("%s", attached.error().message().c_str());
            return nullptr;
        }
        return std::move(*attached);
    }

    // Resizes the object from a separate process, as another program would.
    static bool truncateFromOtherProcess(const Address& address, quint64 size)
    {
        const QString path = QStringLiteral("/dev/shm") + QString::fromStdString(address.name);
        QProcess truncate;
        truncate.start(QStringLiteral("truncate"), { QStringLiteral("-s"), QString::number(size), path });
        if (!truncate.waitForFinished(10000))
            return false;
        return truncate.exitStatus() == QProcess::NormalExit && truncate.exitCode() == 0;
    }

    // Writes `bytes` at `offset` of the object from a separate process (dd into /dev/shm), as another
    // program that does not use ShmScope would.
    static bool writeFromOtherProcess(const Address& address, quint64 offset, const QByteArray& bytes)
    {
        const QString path = QStringLiteral("/dev/shm") + QString::fromStdString(address.name);
        QProcess dd;
        dd.start(QStringLiteral("dd"),
                 { QStringLiteral("of=") + path, QStringLiteral("bs=1"),
                   QStringLiteral("seek=") + QString::number(offset), QStringLiteral("conv=notrunc"),
                   QStringLiteral("status=none") });
        if (!dd.waitForStarted(10000))
            return false;
        dd.write(bytes);
        dd.closeWriteChannel();
        if (!dd.waitForFinished(10000))
            return false;
        return dd.exitStatus() == QProcess::NormalExit && dd.exitCode() == 0;
    }

    int m_counter = 0;
    std::vector<Address> m_created;
    QStringList m_mounts;

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void readAndWrite();
    void outOfRange();
    void readOnlyViewRefusesWrites();
    void copyOnWriteStaysPrivate();
    void truncationByAnotherProcess();
    void inPlaceOperationsAfterATruncationFailCleanly();
    void hashInPlaceEqualsTheCopyingDefault();
    void textSyncBetweenTwoViews();
    void undoAcrossAnotherProcessesWrite();
    void stringRewrittenByAnotherProcessIsNeverTorn_data();
    void stringRewrittenByAnotherProcessIsNeverTorn();
    void writeCutShortByFullTmpfsIsAnnouncedAndCounted();
};

void TestMappingByteSource::initTestCase()
{
    QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("truncate")).isEmpty(), "coreutils' truncate is needed");
}

void TestMappingByteSource::cleanup()
{
    for (const Address& address : m_created)
        (void)removeObject(address); // NotFound when the test removed it already
    m_created.clear();
    for (const QString& mount : std::as_const(m_mounts))
        test::unmountSmallTmpfs(QFile::encodeName(mount).toStdString());
    m_mounts.clear();
}

void TestMappingByteSource::readAndWrite()
{
    const Address address = newAddress();
    auto mapping = create(address, 4096);
    QVERIFY(mapping);
    MappingByteSource source(std::move(mapping));
    QCOMPARE(source.size(), 4096u);
    QVERIFY(source.isWritable());
    QSignalSpy written(&source, &ByteSource::bytesWritten);

    QVERIFY2(source.write(100, QByteArray("shared!")), qPrintable(source.errorString()));
    QCOMPARE(written.count(), 1);
    QCOMPARE(written.at(0).at(0).toULongLong(), 100u);
    QCOMPARE(written.at(0).at(1).toULongLong(), 7u);

    char buf[7] = {};
    QVERIFY(source.read(100, buf, 7));
    QCOMPARE(QByteArray(buf, 7), QByteArray("shared!"));

    // A second, independent view of the object sees the bytes.
    MappingByteSource other(attach(address, Access::ReadWrite));
    QVERIFY(other.read(100, buf, 7));
    QCOMPARE(QByteArray(buf, 7), QByteArray("shared!"));
    QVERIFY(source.write(4095, QByteArray(1, 'Z'))); // the last byte
    QVERIFY(other.read(4095, buf, 1));
    QCOMPARE(buf[0], 'Z');
}

void TestMappingByteSource::outOfRange()
{
    const Address address = newAddress();
    MappingByteSource source(create(address, 4096));
    char buf[16];
    QVERIFY(!source.read(4090, buf, 16));
    QVERIFY(!source.errorString().isEmpty());
    QSignalSpy written(&source, &ByteSource::bytesWritten);
    QVERIFY(!source.write(4090, QByteArray(16, 'x')));
    QVERIFY(!source.errorString().isEmpty());
    QCOMPARE(written.count(), 0);
    QVERIFY(source.read(4080, buf, 16));
    QCOMPARE(QByteArray(buf, 16), QByteArray(16, '\0')); // the failed write changed nothing
}

void TestMappingByteSource::readOnlyViewRefusesWrites()
{
    const Address address = newAddress();
    MappingByteSource writer(create(address, 4096));
    QVERIFY(writer.write(0, QByteArray("keep")));

    MappingByteSource reader(attach(address, Access::ReadOnly));
    QVERIFY(!reader.isWritable());
    QSignalSpy written(&reader, &ByteSource::bytesWritten);
    QVERIFY(!reader.write(0, QByteArray("oops")));
    QVERIFY(reader.errorString().contains(QLatin1String("read-only")));
    QCOMPARE(written.count(), 0);
    char buf[4];
    QVERIFY(reader.read(0, buf, 4));
    QCOMPARE(QByteArray(buf, 4), QByteArray("keep"));

    // A hex view over it refuses typing and leaves the bytes alone.
    HexView view;
    view.setSource(&reader);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy refused(&view, &HexView::editRefused);
    QTest::keyClicks(&view, QStringLiteral("00"));
    QCOMPARE(refused.count(), 2);
    QVERIFY(writer.read(0, buf, 4));
    QCOMPARE(QByteArray(buf, 4), QByteArray("keep"));
}

void TestMappingByteSource::copyOnWriteStaysPrivate()
{
    const Address address = newAddress();
    MappingByteSource shared(create(address, 4096));
    QVERIFY(shared.write(0, QByteArray("orig")));

    MappingByteSource cow(attach(address, Access::CopyOnWrite));
    QVERIFY(cow.isWritable());
    QVERIFY2(cow.write(0, QByteArray("mine")), qPrintable(cow.errorString()));
    char buf[4];
    QVERIFY(cow.read(0, buf, 4));
    QCOMPARE(QByteArray(buf, 4), QByteArray("mine"));
    QVERIFY(shared.read(0, buf, 4));
    QCOMPARE(QByteArray(buf, 4), QByteArray("orig"));
}

void TestMappingByteSource::truncationByAnotherProcess()
{
    const Address address = newAddress();
    MappingByteSource source(create(address, 64 * 1024));
    QVERIFY(source.write(0, QByteArray("still here")));
    QSignalSpy sizeChanged(&source, &ByteSource::sizeChanged);

    HexView hex;
    hex.resize(760, 500);
    hex.setSource(&source);
    hex.setPollInterval(0); // first look at it before anyone refreshes
    hex.show();
    QVERIFY(QTest::qWaitForWindowExposed(&hex));
    TextView text;
    text.setSource(&source);
    text.setPollInterval(0);
    text.show();
    QCOMPARE(text.text(), QStringLiteral("still here"));
    hex.setCursorOffset(60000); // near the end, soon past it

    QVERIFY(truncateFromOtherProcess(address, 4096));

    // Before refresh() the view is still 64 KiB, but its tail is gone: reads fail, nothing crashes.
    char buf[16];
    QVERIFY(!source.read(60000, buf, 16));
    QVERIFY(!source.errorString().isEmpty());
    source.announceExternalChange(0, 64 * 1024); // makes the views re-read what they show now
    QVERIFY(!hex.grab().isNull());
    QCOMPARE(source.size(), 64u * 1024);

    // The views' polls call refresh(): the new size is seen and shown.
    hex.setPollInterval(20);
    text.setPollInterval(20);
    QTRY_COMPARE_WITH_TIMEOUT(source.size(), 4096u, 5000);
    QVERIFY(sizeChanged.count() >= 1);
    QCOMPARE(sizeChanged.last().at(0).toULongLong(), 4096u);
    QTRY_COMPARE_WITH_TIMEOUT(hex.rowCount(), 4096u / 16, 5000);
    QCOMPARE(hex.cursorOffset(), 4095u);
    QVERIFY(!hex.grab().isNull());
    QVERIFY(source.read(0, buf, 10));
    QCOMPARE(QByteArray(buf, 10), QByteArray("still here"));
    QCOMPARE(text.text(), QStringLiteral("still here"));

    // Grown again by the other process: bigger than before.
    QVERIFY(truncateFromOtherProcess(address, 128 * 1024));
    QTRY_COMPARE_WITH_TIMEOUT(source.size(), 128u * 1024, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(hex.rowCount(), 128u * 1024 / 16, 5000);
    QVERIFY(source.write(128 * 1024 - 1, QByteArray(1, 'E')));
    QTest::keyClick(&hex, Qt::Key_End, Qt::ControlModifier);
    QCOMPARE(hex.cursorOffset(), 128u * 1024 - 1);

    // Truncated to nothing: the view shows no rows and does not crash.
    QVERIFY(truncateFromOtherProcess(address, 0));
    QTRY_COMPARE_WITH_TIMEOUT(source.size(), 0u, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(hex.rowCount(), 0u, 5000);
    QVERIFY(!hex.grab().isNull());
    QVERIFY(!text.grab().isNull());
    QCOMPARE(text.text(), QString());
}

void TestMappingByteSource::inPlaceOperationsAfterATruncationFailCleanly()
{
    // exchange, compareExchange and hash touch the view directly (the core's SIGBUS guard): past the
    // end of an object another process truncated, they fail with the core's message, no signal.
    const Address address = newAddress();
    MappingByteSource source(create(address, 1024 * 1024));
    QVERIFY(truncateFromOtherProcess(address, 4096));
    QByteArray before;
    QVERIFY(!source.exchange(512 * 1024, QByteArray("abc"), &before));
    QVERIFY2(source.errorString().contains(QStringLiteral("shrank")), qPrintable(source.errorString()));
    QByteArray current;
    QCOMPARE(source.compareExchange(512 * 1024, QByteArray(3, '\0'), QByteArray("abc"), &current),
             ByteSource::CompareResult::Failed);
    QVERIFY2(source.errorString().contains(QStringLiteral("shrank")), qPrintable(source.errorString()));
    quint64 hash = 0;
    QVERIFY(!source.hash(0, 1024 * 1024, 0, &hash));
    QVERIFY2(source.errorString().contains(QStringLiteral("shrank")), qPrintable(source.errorString()));
    // What is left works.
    QVERIFY(source.exchange(10, QByteArray("abc"), &before));
    QCOMPARE(before, QByteArray(3, '\0'));
    QVERIFY(source.hash(0, 4096, 0, &hash));
}

void TestMappingByteSource::hashInPlaceEqualsTheCopyingDefault()
{
    const Address address = newAddress();
    MappingByteSource source(create(address, 3 * 65536 + 5));
    QByteArray bytes(qsizetype(source.size()), '\0');
    for (qsizetype i = 0; i < bytes.size(); ++i)
        bytes[i] = char(i * 7 + i / 300);
    QVERIFY(source.write(0, bytes));
    for (const auto& [offset, length] : QList<std::pair<quint64, quint64>> {
             { 0, source.size() }, { 1, 65536 }, { 100, 239 }, { 4095, 2 }, { source.size(), 0 } }) {
        quint64 inPlace = 0;
        quint64 copied = 0;
        QVERIFY(source.hash(offset, length, 99, &inPlace));
        QVERIFY(source.ByteSource::hash(offset, length, 99, &copied)); // the default: read() + streaming
        QCOMPARE(inPlace, copied);
        QCOMPARE(inPlace, quint64(hashBytes(bytes.constData() + offset, std::size_t(length), 99)));
    }
}

void TestMappingByteSource::textSyncBetweenTwoViews()
{
    // Seed 004's scenario with two separate attachments of one object: typing in one text view shows
    // in the other, which learns of it only by polling the shared bytes.
    const Address address = newAddress();
    MappingByteSource first(create(address, 4096));
    MappingByteSource second(attach(address, Access::ReadWrite));
    TextView a;
    TextView b;
    a.setSource(&first);
    b.setSource(&second);
    a.show();
    b.show();
    QVERIFY(QTest::qWaitForWindowExposed(&a));
    a.activateWindow();
    a.editor()->setFocus();

    QTest::keyClicks(a.editor(), QStringLiteral("hello from A"));
    QTRY_COMPARE_WITH_TIMEOUT(b.text(), QStringLiteral("hello from A"), 5000);

    b.editor()->setFocus();
    b.editor()->moveCursor(QTextCursor::End);
    QTest::keyClicks(b.editor(), QStringLiteral(", and B"));
    QTRY_COMPARE_WITH_TIMEOUT(a.text(), QStringLiteral("hello from A, and B"), 5000);
    char buf[20];
    QVERIFY(first.read(0, buf, 20));
    QCOMPARE(QByteArray(buf, 20), QByteArray("hello from A, and B\0", 20));
}

void TestMappingByteSource::undoAcrossAnotherProcessesWrite()
{
    // Typing in a hex view over real shared memory, another process overwriting part of it, then undo:
    // the view asks (here: the handler answers) before destroying the other process's bytes.
    const Address address = newAddress();
    MappingByteSource source(create(address, 4096));
    HexView view;
    view.resize(700, 400);
    view.setSource(&source);
    view.show();
    view.setFocus();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    int answer = -1; // -1: fail the test if asked, 0: no, 1: yes
    int asked = 0;
    view.setUndoConflictHandler([&](const HexView::UndoConflict& conflict) {
        ++asked;
        if (conflict.found != QByteArray("h1XY"))
            qWarning("unexpected bytes found: %s", conflict.found.toHex(' ').constData());
        return answer == 1 && conflict.found == QByteArray("h1XY");
    });

    view.setCursorOffset(0x100);
    QTest::keyClick(&view, Qt::Key_Tab); // the ASCII pane
    QTest::keyClicks(&view, QStringLiteral("hi!!"));
    view.setCursorOffset(0x200);
    QTest::keyClicks(&view, QStringLiteral("ok"));
    QCOMPARE(view.undoStack()->count(), 2);
    char buf[4] = {};
    QVERIFY(source.read(0x100, buf, 4));
    QCOMPARE(QByteArray(buf, 4), QByteArray("hi!!"));

    QVERIFY(writeFromOtherProcess(address, 0x101, QByteArray("1XY")));
    QVERIFY(source.read(0x100, buf, 4));
    QCOMPARE(QByteArray(buf, 4), QByteArray("h1XY"));

    // "ok" at 0x200 is untouched: it undoes without a question.
    view.undoStack()->undo();
    QCOMPARE(asked, 0);
    QVERIFY(source.read(0x200, buf, 2));
    QCOMPARE(QByteArray(buf, 2), QByteArray(2, '\0'));
    QVERIFY(view.undoStack()->canRedo());
    view.undoStack()->redo();
    QVERIFY(source.read(0x200, buf, 2));
    QCOMPARE(QByteArray(buf, 2), QByteArray("ok"));
    view.undoStack()->undo();

    // The conflicting step, answered yes: our undo restores the zeros.
    answer = 1;
    view.undoStack()->undo();
    QCOMPARE(asked, 1);
    QVERIFY(source.read(0x100, buf, 4));
    QCOMPARE(QByteArray(buf, 4), QByteArray(4, '\0'));

    // Again, answered no: the other process's bytes stay and the step is dropped.
    view.undoStack()->redo(); // "hi!!" again (the bytes were what undo left: no question)
    QCOMPARE(asked, 1);
    QVERIFY(writeFromOtherProcess(address, 0x101, QByteArray("1XY")));
    answer = 0;
    const int before = view.undoStack()->count();
    view.undoStack()->undo();
    QCOMPARE(asked, 2);
    QVERIFY(source.read(0x100, buf, 4));
    QCOMPARE(QByteArray(buf, 4), QByteArray("h1XY"));
    QCOMPARE(view.undoStack()->count(), before - 1);
    view.setSource(nullptr);
}

void TestMappingByteSource::stringRewrittenByAnotherProcessIsNeverTorn_data()
{
    QTest::addColumn<int>("accessValue");
    // Both read under the object's lock: read-write and read-only views take it shared (an OFD read lock).
    QTest::newRow("read-write") << int(Access::ReadWrite);
    QTest::newRow("read-only") << int(Access::ReadOnly);
}

void TestMappingByteSource::stringRewrittenByAnotherProcessIsNeverTorn()
{
    QFETCH(int, accessValue);
    const auto access = Access(accessValue);
    const Address address = newAddress();
    {
        std::unique_ptr<Mapping> created = create(address, kTornObjectSize);
        QVERIFY(created);
        const QByteArray first = tornRound(0);
        QVERIFY(created->write(0, first.constData(), std::size_t(first.size())));
    }
    MappingByteSource source(attach(address, access));
    TextView view;
    view.setPollInterval(0); // this test reloads by itself, as fast as it can
    view.setSource(&source);
    QVERIFY2(isWholeRound(view.text()), qPrintable(view.text().left(40)));

    QProcess rewriter;
    rewriter.setProgram(QCoreApplication::applicationFilePath());
    rewriter.setArguments(
        { QStringLiteral("--rewrite"), QString::fromStdString(toString(address)), QStringLiteral("1500") });
    rewriter.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    rewriter.start();
    QVERIFY(rewriter.waitForStarted(10000));
    QVERIFY(rewriter.waitForReadyRead(10000));
    QCOMPARE(rewriter.readLine().trimmed(), QByteArray("started"));

    // While it rewrites, every text shown is one whole string. Several different ones must be seen,
    // or the rewriter did not overlap with the reads and the test proved nothing.
    QSet<QChar> seen;
    int reads = 0;
    int unreadable = 0; // reads that showed a message instead of a string
    QDeadlineTimer deadline(30000);
    while (rewriter.state() == QProcess::Running && !deadline.hasExpired()) {
        if (rewriter.waitForFinished(0))
            break;
        view.reload();
        ++reads;
        if (view.message().isEmpty()) {
            const QString text = view.text();
            QVERIFY2(isWholeRound(text),
                     qPrintable(QStringLiteral("torn: %1 characters, starting %2, ending %3")
                                    .arg(text.size())
                                    .arg(text.left(8), text.right(8))));
            seen.insert(text.at(0));
        } else {
            ++unreadable;
        }
    }
    if (rewriter.state() != QProcess::NotRunning)
        QVERIFY(rewriter.waitForFinished(10000));
    QCOMPARE(rewriter.exitStatus(), QProcess::NormalExit);
    QCOMPARE(rewriter.exitCode(), 0);
    qInfo("%d reads, %lld different strings seen", reads, qlonglong(seen.size()));
    QVERIFY(seen.size() >= 2);
    // When detect-and-retry gives up the view keeps its last whole string rather than blanking.
    QCOMPARE(unreadable, 0);
    // Quiet again: the view settles on the last string, whole.
    view.reload();
    QVERIFY(view.message().isEmpty());
    QVERIFY(isWholeRound(view.text()));
}

// Issue 9 item 7 in the GUI: a write that fills the backing store partway (ENOSPC) changed the object
// all the same, so the bytes that landed are announced (bytesWritten: the views mark them, the session
// tells other instances) and the error counts them — for write(), writeIf() and exchange() (and so for
// the hex view's paste).
void TestMappingByteSource::writeCutShortByFullTmpfsIsAnnouncedAndCounted()
{
    // A 64 KiB tmpfs of our own and a 1 MiB file: object in it (tests/core/testsupport.h).
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString mountPoint = dir.filePath(QStringLiteral("tmpfs"));
    std::string whyNot;
    const std::optional<std::string> file = test::mountSmallTmpfs(QFile::encodeName(mountPoint).toStdString(),
                                                                  64 * 1024, "object.bin", 1024 * 1024, whyNot);
    if (!file)
        QSKIP(whyNot.c_str());
    m_mounts << mountPoint;
    const QString path = QFile::decodeName(QByteArray::fromStdString(*file));
    const auto address = parseAddress(QString(QStringLiteral("file:") + path).toStdString());
    QVERIFY(address);
    MappingByteSource source(attach(*address, Access::ReadWrite));
    QSignalSpy written(&source, &ByteSource::bytesWritten);

    QByteArray data(128 * 1024, '\0');
    for (int i = 0; i < data.size(); ++i)
        data[i] = char(1 + i % 251);

    // write(): the pages the store had are written, then ENOSPC.
    QVERIFY(!source.write(0, data));
    const QRegularExpression counted(
        QStringLiteral("No space left on device \\(ENOSPC\\) after (\\d+) of (\\d+) bytes"));
    QRegularExpressionMatch match = counted.match(source.errorString());
    QVERIFY2(match.hasMatch(), qPrintable(source.errorString()));
    QCOMPARE(match.captured(2).toLongLong(), qint64(data.size()));
    const quint64 landed = match.captured(1).toULongLong();
    QVERIFY2(landed > 0 && landed < quint64(data.size()) && landed % 4096 == 0, qPrintable(source.errorString()));
    QCOMPARE(written.count(), 1);
    QCOMPARE(written.at(0).at(0).toULongLong(), 0u);
    QCOMPARE(written.at(0).at(1).toULongLong(), landed);
    QFile object(path);
    QVERIFY(object.open(QIODevice::ReadOnly));
    QCOMPARE(object.read(qint64(landed)), data.left(qsizetype(landed)));
    QVERIFY(!source.lockWasBusy());

    // writeIf(): 10 bytes fit before the end of the store, 10 do not.
    written.clear();
    const QByteArray tail(20, 'T');
    QVERIFY(!source.writeIf(landed - 10, tail, [] { return true; }));
    match = counted.match(source.errorString());
    QVERIFY2(match.hasMatch(), qPrintable(source.errorString()));
    QCOMPARE(match.captured(1).toLongLong(), 10);
    QCOMPARE(written.count(), 1);
    QCOMPARE(written.at(0).at(0).toULongLong(), landed - 10);
    QCOMPARE(written.at(0).at(1).toULongLong(), 10u);
    QVERIFY(object.seek(qint64(landed) - 10));
    QCOMPARE(object.read(10), QByteArray(10, 'T'));

    // exchange() (the hex view's edits, paste and import): the old bytes are read first, and reading
    // the page the store cannot give fails, so nothing is written — and the error says so.
    written.clear();
    QByteArray before;
    QVERIFY(!source.exchange(landed - 10, QByteArray(20, 'X'), &before));
    match = counted.match(source.errorString());
    QVERIFY2(match.hasMatch(), qPrintable(source.errorString()));
    QCOMPARE(match.captured(1).toLongLong(), 0);
    QCOMPARE(written.count(), 0);
    QVERIFY(object.seek(qint64(landed) - 10));
    QCOMPARE(object.read(10), QByteArray(10, 'T'));

    // The hex view's paste (Import goes the same way) says so too, and changes nothing.
    HexView view;
    view.setSource(&source);
    QSignalSpy refused(&view, &HexView::editRefused);
    view.setCursorOffset(landed - 10);
    QVERIFY(!view.pasteBytes(QByteArray(20, 'P')));
    QCOMPARE(refused.count(), 1);
    const QString refusal = refused.at(0).at(0).toString();
    QVERIFY2(refusal.contains(QStringLiteral("No space left on device (ENOSPC) after 0 of 20 bytes")),
             qPrintable(refusal));
    QCOMPARE(written.count(), 0);
    QVERIFY(object.seek(qint64(landed) - 10));
    QCOMPARE(object.read(10), QByteArray(10, 'T'));
    view.setSource(nullptr);

    // A write wholly inside what the store gave succeeds as ever.
    QVERIFY2(source.write(0, QByteArray("whole")), qPrintable(source.errorString()));
    QCOMPARE(written.count(), 1);
}

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    if (argc == 4 && qstrcmp(argv[1], "--rewrite") == 0)
        return runRewriter(QString::fromLocal8Bit(argv[2]), QByteArray(argv[3]).toInt());
    TestMappingByteSource test;
    return QTest::qExec(&test, argc, argv);
}
#include "tst_mappingbytesource.moc"
