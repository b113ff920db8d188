// The ByteSource contract (widgets/bytesource.h), written once and run against every backend: each
// test function runs once per row of initTestCase_data() — MemoryByteSource (writable and read-only)
// and MappingByteSource over posix:, file: and sysv: objects attached read-write, read-only and
// copy-on-write. "Another process" is a real one for the mapping rows (shmscope-testpeer: write,
// read, truncate, hold-lock), and MemoryByteSource's own stand-ins (modifyExternally(),
// resizeExternally()) for the in-memory rows. Where a backend documents a different behaviour (shared
// mapping views read and write under the object's lock, a copy-on-write view keeps its writes private,
// System V segments cannot be resized nor attached copy-on-write), the row's Traits say so and the
// test checks that behaviour instead.
#include "core/hash.h"
#include "core/mapping.h"
#include "widgets/bytesource.h"
#include "widgets/mappingbytesource.h"
#include "widgets/memorybytesource.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QList>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <algorithm>
#include <atomic>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#ifndef SHMSCOPE_TESTPEER
#error "SHMSCOPE_TESTPEER must name the shmscope-testpeer executable"
#endif

using namespace shmscope;

namespace {

// Two pages and a bit: reads and writes across a page boundary are covered.
constexpr quint64 kSize = 8192 + 100;
constexpr int kPeerTimeoutMs = 10000;

QByteArray pattern(quint64 size)
{
    QByteArray data(qsizetype(size), '\0');
    for (qsizetype i = 0; i < data.size(); ++i)
        data[i] = char((i * 7 + 3) & 0xff);
    return data;
}

// What one row of the table is.
struct Traits {
    QString kind; // "memory", "posix", "file", "sysv"
    Access access = Access::ReadWrite;
    bool writable() const { return access != Access::ReadOnly; }
    bool mapping() const { return kind != QLatin1String("memory"); }
    // Writes reach other processes (a shared read-write view).
    bool sharedWrites() const { return mapping() && access == Access::ReadWrite; }
    // write(), writeIf(), exchange() and compareExchange() take the object's cross-process lock.
    bool writesLocked() const { return mapping() && access == Access::ReadWrite; }
    // readConsistent() runs its reader once under the lock, taken shared (read-only views too; a
    // copy-on-write view's lock would exclude only this process).
    bool readsLocked() const { return mapping() && access != Access::CopyOnWrite; }
    // Another process can change the object's size (System V segments have a fixed size).
    bool resizable() const { return kind != QLatin1String("sysv"); }
};

struct PeerResult {
    bool finished = false;
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

} // namespace

Q_DECLARE_METATYPE(shmscope::Access)

class TestByteSourceContract : public QObject
{
    Q_OBJECT

private:
    Traits m_traits;
    QString m_address; // the object's address for the peer ("" for the memory rows)
    Address m_created;
    bool m_hasObject = false;
    std::unique_ptr<ByteSource> m_source;
    MemoryByteSource* m_memory = nullptr; // m_source, for the memory rows
    QTemporaryDir m_dir;
    int m_counter = 0;
    std::vector<std::unique_ptr<QProcess>> m_peers; // long-running peers, killed in cleanup()

    static PeerResult runPeer(const QStringList& args)
    {
        QProcess peer;
        peer.start(QStringLiteral(SHMSCOPE_TESTPEER), args);
        PeerResult result;
        result.finished = peer.waitForFinished(kPeerTimeoutMs);
        result.exitCode = peer.exitStatus() == QProcess::NormalExit ? peer.exitCode() : -1;
        result.out = peer.readAllStandardOutput();
        result.err = peer.readAllStandardError();
        return result;
    }

    // Another process writes `text` at `offset` (read-write, under the lock, as every ShmScope writer).
    bool writeByOther(quint64 offset, const QByteArray& text)
    {
        if (!m_traits.mapping()) {
            m_memory->modifyExternally(offset, text);
            return true;
        }
        const PeerResult r
            = runPeer({ QStringLiteral("write"), m_address, QString::number(offset), QString::fromLatin1(text) });
        if (!r.finished || r.exitCode != 0 || r.out != "written\n")
            qWarning("peer write: %s", r.err.constData());
        return r.finished && r.exitCode == 0;
    }

    // What another process reads at `offset`.
    QByteArray readByOther(quint64 offset, quint64 length)
    {
        if (!m_traits.mapping())
            return m_memory->peek(offset, qsizetype(length));
        const PeerResult r
            = runPeer({ QStringLiteral("read"), m_address, QString::number(offset), QString::number(length) });
        if (!r.finished || r.exitCode != 0)
            qWarning("peer read: %s", r.err.constData());
        return r.out;
    }

    // Another process resizes the object (ftruncate behind every view's back).
    bool resizeByOther(quint64 size)
    {
        if (!m_traits.mapping()) {
            m_memory->resizeExternally(size);
            return true;
        }
        const PeerResult r = runPeer({ QStringLiteral("truncate"), m_address, QString::number(size) });
        if (!r.finished || r.exitCode != 0)
            qWarning("peer truncate: %s", r.err.constData());
        return r.finished && r.exitCode == 0;
    }

    // Starts a peer with `args` and waits for its first line; the process is killed in cleanup().
    QProcess* startPeer(const QStringList& args, const QByteArray& firstLine)
    {
        auto peer = std::make_unique<QProcess>();
        peer->start(QStringLiteral(SHMSCOPE_TESTPEER), args);
        QProcess* raw = peer.get();
        m_peers.push_back(std::move(peer));
        if (firstLine.isEmpty())
            return raw;
        QDeadlineTimer deadline(kPeerTimeoutMs);
        while (!raw->canReadLine() && !deadline.hasExpired() && raw->state() != QProcess::NotRunning)
            raw->waitForReadyRead(100);
        if (raw->readLine().trimmed() != firstLine) {
            qWarning("peer %s: %s", qPrintable(args.join(QLatin1Char(' '))), raw->readAllStandardError().constData());
            return nullptr;
        }
        return raw;
    }

    QByteArray readSource(quint64 offset, qsizetype length)
    {
        QByteArray out(length, '\0');
        if (!m_source->read(offset, out.data(), length))
            return QByteArray("<read failed: ") + m_source->errorString().toUtf8() + '>';
        return out;
    }

    // A new object's address: posix:/shmscope-test-<pid>-<n>, a file in the temporary directory, or a
    // System V key from the pid and the counter in the 0x53 range the core tests use too.
    QString newAddressText(const QString& kind)
    {
        const int n = m_counter++;
        if (kind == QLatin1String("posix"))
            return QStringLiteral("posix:/shmscope-test-%1-%2").arg(QCoreApplication::applicationPid()).arg(n);
        if (kind == QLatin1String("file"))
            return QStringLiteral("file:") + m_dir.filePath(QStringLiteral("object-%1").arg(n));
        // High byte 0x53: the suite's System V range (tests/core/testsupport.h, tests/check-leftovers.sh).
        const quint32 key
            = 0x53000000u | (((quint32(QCoreApplication::applicationPid()) << 10) ^ quint32(0x80 + n)) & 0xffffffu);
        return QStringLiteral("sysv:0x%1").arg(key, 8, 16, QLatin1Char('0'));
    }

    // The source under test, over a new object holding pattern(kSize) (removed in cleanup()).
    std::unique_ptr<ByteSource> makeSource(const QString& kind, Access access)
    {
        const QByteArray initial = pattern(kSize);
        if (kind == QLatin1String("memory")) {
            auto memory = std::make_unique<MemoryByteSource>(initial);
            memory->setWritable(access != Access::ReadOnly);
            m_memory = memory.get();
            return memory;
        }
        // Create it read-write and fill it, then attach the view under test on its own, with `access`.
        // A System V key (from the pid and a counter) may be taken by another process: try the next.
        CreateOptions options;
        options.size = kSize;
        Result<Address> address = Error {};
        Result<Created> created = Error {};
        for (int attempt = 0; attempt < 16; ++attempt) {
            m_address = newAddressText(kind);
            address = parseAddress(m_address.toStdString());
            if (!address)
                return nullptr;
            created = createMapping(*address, options, Access::ReadWrite);
            if (created || created.error().code != ErrorCode::AlreadyExists)
                break;
        }
        if (!created) {
            qWarning("create %s: %s", qPrintable(m_address), created.error().message().c_str());
            return nullptr;
        }
        m_created = *address;
        m_hasObject = true;
        if (!created->mapping->write(0, initial.constData(), std::size_t(initial.size())))
            return nullptr;
        created->mapping.reset();
        Result<std::unique_ptr<Mapping>> attached = attachMapping(*address, access);
        if (!attached) {
            qWarning("attach %s: %s", qPrintable(m_address), attached.error().message().c_str());
            return nullptr;
        }
        return std::make_unique<MappingByteSource>(std::move(*attached));
    }

private Q_SLOTS:
    void initTestCase_data();
    void initTestCase();
    void init();
    void cleanup();

    void sizeAndWritability();
    void readCopiesTheBytes();
    void readOutsideTheSizeFails();
    void writeChangesTheBytesAndSignals();
    void refusedWritesChangeNothing();
    void writesOfOthersAreReadButNotSignalled();
    void announceExternalChangeSignalsTheRange();
    void refreshWithoutAChangeIsSilent();
    void refreshSeesAResizeByAnotherProcess();
    void readConsistentReturnsTheLastSnapshot();
    void readConsistentFailsWithItsReader();
    void readConsistentGivesUpOnEndlessChange();
    void writeIfWritesOnlyWhenTheCheckPasses();
    void writeIfKeepsOtherWritersOut();
    void readConsistentKeepsWritersOut();
    void writesWaitForTheLockOfAnotherProcess();
    void readsFromAWorkerThread();
    void exchangeReturnsWhatItReplaced();
    void compareExchangeWritesOnlyOverExpectedBytes();
    void hashIsTheCoreHashOfTheBytes();
    void dataExtentsCoverEveryByteThatHoldsData();
};

void TestByteSourceContract::initTestCase_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<Access>("access");
    QTest::newRow("memory") << QStringLiteral("memory") << Access::ReadWrite;
    QTest::newRow("memory read-only") << QStringLiteral("memory") << Access::ReadOnly;
    for (const char* kind : { "posix", "file", "sysv" }) {
        for (const Access access : { Access::ReadWrite, Access::ReadOnly, Access::CopyOnWrite }) {
            // shmat() has no private mode: the core refuses copy-on-write System V views.
            if (access == Access::CopyOnWrite && std::strcmp(kind, "sysv") == 0)
                continue;
            QTest::addRow("%s %s", kind, std::string(accessName(access)).c_str())
                << QString::fromLatin1(kind) << access;
        }
    }
}

void TestByteSourceContract::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

void TestByteSourceContract::init()
{
    QFETCH_GLOBAL(QString, kind);
    QFETCH_GLOBAL(Access, access);
    m_traits = Traits { kind, access };
    m_source = makeSource(kind, access);
    if (!m_source)
        cleanup(); // Qt Test skips cleanup() when init() fails: remove what was created here
    QVERIFY(m_source);
    QCOMPARE(readSource(0, qsizetype(kSize)), pattern(kSize));
}

void TestByteSourceContract::cleanup()
{
    for (auto& peer : m_peers) {
        peer->kill();
        peer->waitForFinished(kPeerTimeoutMs);
    }
    m_peers.clear();
    m_source.reset();
    m_memory = nullptr;
    if (m_hasObject)
        (void)removeObject(m_created);
    m_hasObject = false;
    m_address.clear();
}

void TestByteSourceContract::sizeAndWritability()
{
    QCOMPARE(m_source->size(), kSize);
    QCOMPARE(m_source->isWritable(), m_traits.writable());
}

void TestByteSourceContract::readCopiesTheBytes()
{
    const QByteArray all = pattern(kSize);
    QCOMPARE(readSource(0, 1), all.left(1));
    QCOMPARE(readSource(kSize - 1, 1), all.right(1));
    QCOMPARE(readSource(4090, 20), all.mid(4090, 20)); // across a page boundary
    QCOMPARE(readSource(100, 8000), all.mid(100, 8000));
    // An empty range within the size, also the one at the very end, is not past size().
    char dummy = 'x';
    QVERIFY2(m_source->read(0, &dummy, 0), qPrintable(m_source->errorString()));
    QVERIFY2(m_source->read(kSize, &dummy, 0), qPrintable(m_source->errorString()));
    QCOMPARE(dummy, 'x');
}

void TestByteSourceContract::readOutsideTheSizeFails()
{
    struct Case {
        quint64 offset;
        qsizetype length;
    };
    const quint64 max = std::numeric_limits<quint64>::max();
    const Case cases[] = {
        { kSize - 1, 2 }, // one byte too far
        { kSize, 1 },
        { kSize + 1, 0 }, // an empty range that starts past the end
        { kSize + 4096, 16 },
        { max, 1 },
        { max - 1, 4 }, // offset + length wraps around 2^64: must not look in range
        { 0, -1 }, // a negative length
    };
    char buffer[16] = {};
    for (const Case& c : cases) {
        QVERIFY2(!m_source->read(c.offset, buffer, c.length),
                 qPrintable(QStringLiteral("read(%1, %2) succeeded").arg(c.offset).arg(c.length)));
        QVERIFY2(!m_source->errorString().isEmpty(), qPrintable(QString::number(c.offset)));
    }
}

void TestByteSourceContract::writeChangesTheBytesAndSignals()
{
    if (!m_traits.writable())
        QSKIP("read-only: see refusedWritesChangeNothing");
    QSignalSpy written(m_source.get(), &ByteSource::bytesWritten);
    QSignalSpy changed(m_source.get(), &ByteSource::contentsChanged);
    QVERIFY2(m_source->write(4094, QByteArray("hello")), qPrintable(m_source->errorString()));
    QCOMPARE(written.count(), 1);
    QCOMPARE(written.at(0).at(0).toULongLong(), 4094u);
    QCOMPARE(written.at(0).at(1).toULongLong(), 5u);
    QCOMPARE(readSource(4094, 5), QByteArray("hello"));
    QVERIFY2(m_source->write(kSize - 1, QByteArray("!")), qPrintable(m_source->errorString())); // the last byte
    QCOMPARE(written.count(), 2);
    QCOMPARE(readSource(kSize - 2, 2), pattern(kSize).mid(int(kSize - 2), 1) + '!');
    QCOMPARE(changed.count(), 0); // our own writes are bytesWritten, not contentsChanged
    QCOMPARE(m_source->size(), kSize);

    // Shared views write into the object; a copy-on-write view keeps its writes to itself.
    const QByteArray seen = readByOther(4094, 5);
    if (m_traits.sharedWrites() || !m_traits.mapping())
        QCOMPARE(seen, QByteArray("hello"));
    else
        QCOMPARE(seen, pattern(kSize).mid(4094, 5));
}

void TestByteSourceContract::refusedWritesChangeNothing()
{
    QSignalSpy written(m_source.get(), &ByteSource::bytesWritten);
    const quint64 max = std::numeric_limits<quint64>::max();
    struct Case {
        quint64 offset;
        QByteArray bytes;
    };
    std::vector<Case> cases = {
        { kSize - 2, QByteArray("four") }, // runs past the end: not even a prefix may be written
        { kSize, QByteArray("x") },
        { kSize + 4096, QByteArray("far") },
        { max - 1, QByteArray("wrap") }, // offset + length wraps around 2^64
    };
    if (!m_traits.writable())
        cases.push_back({ 16, QByteArray("in range") });
    for (const Case& c : cases) {
        QVERIFY2(!m_source->write(c.offset, c.bytes), qPrintable(QString::number(c.offset)));
        QVERIFY(!m_source->errorString().isEmpty());
    }
    QCOMPARE(written.count(), 0);
    QCOMPARE(readSource(0, qsizetype(kSize)), pattern(kSize));
    QCOMPARE(readByOther(0, kSize), pattern(kSize));
    QCOMPARE(m_source->size(), kSize);
}

void TestByteSourceContract::writesOfOthersAreReadButNotSignalled()
{
    QSignalSpy written(m_source.get(), &ByteSource::bytesWritten);
    QSignalSpy changed(m_source.get(), &ByteSource::contentsChanged);
    QVERIFY(writeByOther(300, QByteArray("peer")));
    // Every view sees the object's bytes, a copy-on-write view too on the pages it has not written
    // (Linux: a MAP_PRIVATE page is shared with the object until this process writes to it).
    QCOMPARE(readSource(300, 4), QByteArray("peer"));
    // A source does not notice such writes by itself: views poll, or an announcement says so.
    QCOMPARE(written.count(), 0);
    QCOMPARE(changed.count(), 0);
}

void TestByteSourceContract::announceExternalChangeSignalsTheRange()
{
    QSignalSpy written(m_source.get(), &ByteSource::bytesWritten);
    QSignalSpy changed(m_source.get(), &ByteSource::contentsChanged);
    m_source->announceExternalChange(10, 20);
    m_source->announceExternalChange(kSize + 10, 5); // past the end: allowed
    QCOMPARE(changed.count(), 2);
    QCOMPARE(changed.at(0).at(0).toULongLong(), 10u);
    QCOMPARE(changed.at(0).at(1).toULongLong(), 20u);
    QCOMPARE(changed.at(1).at(0).toULongLong(), kSize + 10);
    QCOMPARE(changed.at(1).at(1).toULongLong(), 5u);
    QCOMPARE(written.count(), 0);
    QCOMPARE(readSource(0, qsizetype(kSize)), pattern(kSize));
}

void TestByteSourceContract::refreshWithoutAChangeIsSilent()
{
    QSignalSpy resized(m_source.get(), &ByteSource::sizeChanged);
    m_source->refresh();
    m_source->refresh();
    QCOMPARE(resized.count(), 0);
    QCOMPARE(m_source->size(), kSize);
    QCOMPARE(readSource(0, qsizetype(kSize)), pattern(kSize));
}

void TestByteSourceContract::refreshSeesAResizeByAnotherProcess()
{
    if (!m_traits.resizable())
        QSKIP("System V segments have a fixed size");
    QSignalSpy resized(m_source.get(), &ByteSource::sizeChanged);

    // Grown by someone else: seen at the next refresh(), the new bytes read as zeros.
    QVERIFY(resizeByOther(2 * kSize));
    QCOMPARE(m_source->size(), kSize); // not before refresh()
    QCOMPARE(resized.count(), 0);
    m_source->refresh();
    QCOMPARE(resized.count(), 1);
    QCOMPARE(resized.at(0).at(0).toULongLong(), 2 * kSize);
    QCOMPARE(m_source->size(), 2 * kSize);
    QCOMPARE(readSource(0, qsizetype(kSize)), pattern(kSize));
    QCOMPARE(readSource(kSize, qsizetype(kSize)), QByteArray(qsizetype(kSize), '\0'));

    // Shrunk by someone else: the bytes past the new end fail at once (never a crash), the size
    // follows at refresh().
    const quint64 small = 4096 + 10;
    QVERIFY(resizeByOther(small));
    char buffer[16] = {};
    QVERIFY(!m_source->read(kSize, buffer, sizeof buffer));
    QVERIFY(!m_source->errorString().isEmpty());
    QCOMPARE(readSource(0, qsizetype(small)), pattern(small));
    m_source->refresh();
    QCOMPARE(resized.count(), 2);
    QCOMPARE(resized.at(1).at(0).toULongLong(), small);
    QCOMPARE(m_source->size(), small);
    QCOMPARE(readSource(0, qsizetype(small)), pattern(small));
    QVERIFY(!m_source->read(small - 1, buffer, 2));
    if (m_traits.writable()) {
        QVERIFY(!m_source->write(small - 1, QByteArray("xy")));
        QVERIFY2(m_source->write(small - 1, QByteArray("z")), qPrintable(m_source->errorString()));
        QCOMPARE(readSource(small - 1, 1), QByteArray("z"));
    }
    m_source->refresh();
    QCOMPARE(resized.count(), 2);
}

void TestByteSourceContract::readConsistentReturnsTheLastSnapshot()
{
    int calls = 0;
    QByteArray last;
    const bool ok = m_source->readConsistent([&](QByteArray* snapshot) {
        ++calls;
        // A value in two reads, as a string read in chunks.
        QByteArray value(64, '\0');
        if (!m_source->read(4064, value.data(), 32) || !m_source->read(4096, value.data() + 32, 32))
            return false;
        *snapshot = value;
        last = value;
        return true;
    });
    QVERIFY2(ok, qPrintable(m_source->errorString()));
    QVERIFY(calls >= 1 && calls <= ByteSource::kMaxConsistentAttempts);
    QCOMPARE(last, pattern(kSize).mid(4064, 64));

    // A value that changes once between the reader's calls still comes out whole, as the last call read it.
    calls = 0;
    const bool settled = m_source->readConsistent([&](QByteArray* snapshot) {
        ++calls;
        *snapshot = calls == 1 ? QByteArray("old") : QByteArray("new");
        last = *snapshot;
        return true;
    });
    QVERIFY(settled);
    QCOMPARE(last, m_traits.readsLocked() ? QByteArray("old") : QByteArray("new")); // under the lock: one call
}

void TestByteSourceContract::readConsistentFailsWithItsReader()
{
    int calls = 0;
    const bool ok = m_source->readConsistent([&](QByteArray* snapshot) {
        ++calls;
        char buffer[8];
        const bool read = m_source->read(kSize - 4, buffer, sizeof buffer); // past the end
        *snapshot = QByteArray(buffer, 4);
        return read;
    });
    QVERIFY(!ok);
    QCOMPARE(calls, 1); // a failed read is final
    QVERIFY(!m_source->errorString().isEmpty());
}

void TestByteSourceContract::readConsistentGivesUpOnEndlessChange()
{
    // Every call sees another value: without a lock the source cannot tell a torn read from a new
    // value and gives up after kMaxConsistentAttempts; a source that reads under its lock calls
    // the reader once and trusts it (no writer can be midway).
    int calls = 0;
    const bool ok = m_source->readConsistent([&](QByteArray* snapshot) {
        ++calls;
        *snapshot = QByteArray::number(calls);
        return true;
    });
    if (m_traits.readsLocked()) {
        QVERIFY(ok);
        QCOMPARE(calls, 1);
    } else {
        QVERIFY(!ok);
        QCOMPARE(calls, ByteSource::kMaxConsistentAttempts);
        QVERIFY(!m_source->errorString().isEmpty());
    }
}

void TestByteSourceContract::writeIfWritesOnlyWhenTheCheckPasses()
{
    QSignalSpy written(m_source.get(), &ByteSource::bytesWritten);
    const QByteArray original = pattern(kSize).mid(500, 4);

    // The check may read; it fails: nothing is written, *checkFailed says why.
    bool checkFailed = false;
    int checks = 0;
    bool ok = m_source->writeIf(
        500, QByteArray("ABCD"),
        [&] {
            ++checks;
            char now[4];
            return m_source->read(500, now, 4) && QByteArray(now, 4) == QByteArray("zzzz");
        },
        &checkFailed);
    QVERIFY(!ok);
    QCOMPARE(checks, 1);
    QVERIFY(checkFailed);
    QCOMPARE(written.count(), 0);
    QCOMPARE(readSource(500, 4), original);

    // It passes.
    checkFailed = true;
    ok = m_source->writeIf(
        500, QByteArray("ABCD"),
        [&] {
            char now[4];
            return m_source->read(500, now, 4) && QByteArray(now, 4) == original;
        },
        &checkFailed);
    QVERIFY(!checkFailed);
    if (m_traits.writable()) {
        QVERIFY2(ok, qPrintable(m_source->errorString()));
        QCOMPARE(written.count(), 1);
        QCOMPARE(written.at(0).at(0).toULongLong(), 500u);
        QCOMPARE(written.at(0).at(1).toULongLong(), 4u);
        QCOMPARE(readSource(500, 4), QByteArray("ABCD"));
        QCOMPARE(readByOther(500, 4), m_traits.sharedWrites() || !m_traits.mapping() ? QByteArray("ABCD") : original);
    } else {
        // A read-only source: a write failure, not a failed check.
        QVERIFY(!ok);
        QVERIFY(!m_source->errorString().isEmpty());
        QCOMPARE(written.count(), 0);
        QCOMPARE(readSource(500, 4), original);
    }

    // A range past the end is a write failure too; the optional out-parameter may be left out.
    checkFailed = true;
    QVERIFY(!m_source->writeIf(
        kSize - 1, QByteArray("xy"), [] { return true; }, &checkFailed));
    QVERIFY(!checkFailed);
    QVERIFY(!m_source->errorString().isEmpty());
    QVERIFY(!m_source->writeIf(kSize - 1, QByteArray("xy"), [] { return true; }));
    QCOMPARE(readSource(kSize - 1, 1), pattern(kSize).right(1));
    QCOMPARE(written.count(), m_traits.writable() ? 1 : 0);
}

void TestByteSourceContract::writeIfKeepsOtherWritersOut()
{
    if (!m_traits.writesLocked())
        QSKIP("only a shared read-write view has a cross-process lock to hold around check and write");
    // Another ShmScope writer starts while our check runs. Holding the lock, we make it wait: it
    // cannot finish during the check, and its bytes land after ours. Without the lock it would
    // finish well within the 1.5 s the check waits, and our write would then overwrite its bytes.
    QProcess* peer = nullptr;
    bool peerFinishedDuringCheck = true;
    const bool ok = m_source->writeIf(700, QByteArray("MINE"), [&] {
        peer = startPeer({ QStringLiteral("write"), m_address, QStringLiteral("700"), QStringLiteral("PEER") }, {});
        peerFinishedDuringCheck = peer->waitForFinished(1500);
        return true;
    });
    QVERIFY2(ok, qPrintable(m_source->errorString()));
    QVERIFY(peer);
    QVERIFY2(!peerFinishedDuringCheck, peer->readAllStandardError().constData());
    QVERIFY(peer->waitForFinished(kPeerTimeoutMs));
    QCOMPARE(peer->exitCode(), 0);
    QCOMPARE(peer->readAllStandardOutput(), QByteArray("written\n"));
    QCOMPARE(readSource(700, 4), QByteArray("PEER"));
}

void TestByteSourceContract::readConsistentKeepsWritersOut()
{
    if (!m_traits.readsLocked())
        QSKIP("no cross-process lock for readConsistent() (memory, copy-on-write): detect-and-retry instead");
    // readConsistent() holds the lock (shared) around its reader: a ShmScope writer that starts
    // meanwhile waits, so the reader sees the bytes from before it, and the write lands afterwards.
    QProcess* peer = nullptr;
    bool finishedDuringRead = true;
    QByteArray seen;
    QVERIFY(m_source->readConsistent([&](QByteArray* snapshot) {
        peer = startPeer({ QStringLiteral("write"), m_address, QStringLiteral("700"), QStringLiteral("LATE") }, {});
        finishedDuringRead = peer->waitForFinished(1500);
        *snapshot = readSource(700, 4);
        seen = *snapshot;
        return true;
    }));
    QVERIFY(peer);
    QVERIFY2(!finishedDuringRead, peer->readAllStandardError().constData());
    QCOMPARE(seen, pattern(kSize).mid(700, 4));
    QVERIFY(peer->waitForFinished(kPeerTimeoutMs));
    QCOMPARE(peer->exitCode(), 0);
    QCOMPARE(readSource(700, 4), QByteArray("LATE"));

    // A holder that keeps the lock (a writer hung, or preempted, midway through its copy): reading now
    // could give its write half done, which detect-and-retry cannot rule out (both reads may see the
    // same half-written bytes). So nothing is read: false, a message naming the lock, and the caller
    // (the text view) keeps what it showed and tries again later. Also when asked again at once.
    QVERIFY(startPeer({ QStringLiteral("hold-lock"), m_address }, QByteArrayLiteral("locked")));
    for (int attempt = 0; attempt < 2; ++attempt) {
        int calls = 0;
        QVERIFY(!m_source->readConsistent([&](QByteArray* snapshot) {
            ++calls;
            *snapshot = readSource(700, 4);
            return true;
        }));
        QCOMPARE(calls, 0);
        QVERIFY2(m_source->errorString().contains(QLatin1String("lock")), qPrintable(m_source->errorString()));
    }
    // A caller with nothing to keep showing (the text view's first read) asks for BestEffort: the bytes,
    // by detect-and-retry (two identical snapshots, so at least two calls).
    int calls = 0;
    QByteArray seenNow;
    QVERIFY2(m_source->readConsistent(
                 [&](QByteArray* snapshot) {
                     ++calls;
                     *snapshot = seenNow = readSource(700, 4);
                     return true;
                 },
                 ByteSource::WhenLocked::BestEffort),
             qPrintable(m_source->errorString()));
    QCOMPARE(seenNow, QByteArray("LATE"));
    QVERIFY(calls >= 2);
}

void TestByteSourceContract::writesWaitForTheLockOfAnotherProcess()
{
    if (!m_traits.mapping() || !m_traits.writable())
        QSKIP("no cross-process lock (memory) or no writes (read-only)");
    QProcess* holder = startPeer({ QStringLiteral("hold-lock"), m_address }, QByteArrayLiteral("locked"));
    QVERIFY(holder);
    QSignalSpy written(m_source.get(), &ByteSource::bytesWritten);
    if (m_traits.writesLocked()) {
        // Another process holds the lock (and hangs): the write gives up after
        // MappingByteSource::kLockTimeout, with a message and nothing written.
        QVERIFY(!m_source->write(900, QByteArray("late")));
        QVERIFY(!m_source->errorString().isEmpty());
        bool checked = false;
        bool checkFailed = true;
        QVERIFY(!m_source->writeIf(
            900, QByteArray("late"),
            [&] {
                checked = true;
                return true;
            },
            &checkFailed));
        QVERIFY(!checked); // no check without the lock
        QVERIFY(!checkFailed);
        QByteArray before;
        QVERIFY(!m_source->exchange(900, QByteArray("late"), &before));
        QByteArray current;
        QCOMPARE(m_source->compareExchange(900, pattern(kSize).mid(900, 4), QByteArray("late"), &current),
                 ByteSource::CompareResult::Failed);
        QVERIFY(!m_source->errorString().isEmpty());
        QCOMPARE(written.count(), 0);
        QCOMPARE(readSource(900, 4), pattern(kSize).mid(900, 4));
        // The holder goes (the kernel drops its lock): writes go through again.
        holder->kill();
        QVERIFY(holder->waitForFinished(kPeerTimeoutMs));
        QVERIFY2(m_source->write(900, QByteArray("late")), qPrintable(m_source->errorString()));
        QCOMPARE(readByOther(900, 4), QByteArray("late"));
    } else {
        // Copy-on-write: the writes are private, so another process's lock does not hold them up.
        QVERIFY2(m_source->write(900, QByteArray("mine")), qPrintable(m_source->errorString()));
        QCOMPARE(readSource(900, 4), QByteArray("mine"));
        QByteArray before;
        QVERIFY2(m_source->exchange(900, QByteArray("MINE"), &before), qPrintable(m_source->errorString()));
        QCOMPARE(before, QByteArray("mine"));
        QByteArray current;
        QCOMPARE(m_source->compareExchange(900, QByteArray("MINE"), QByteArray("mine"), &current),
                 ByteSource::CompareResult::Written);
        QCOMPARE(written.count(), 3);
        return;
    }
    QCOMPARE(written.count(), 1);
}

void TestByteSourceContract::exchangeReturnsWhatItReplaced()
{
    QSignalSpy written(m_source.get(), &ByteSource::bytesWritten);
    const QByteArray original = pattern(kSize).mid(4094, 4); // across a page boundary
    QByteArray before("stale");
    const bool ok = m_source->exchange(4094, QByteArray("WXYZ"), &before);
    if (m_traits.writable()) {
        QVERIFY2(ok, qPrintable(m_source->errorString()));
        QCOMPARE(before, original);
        QCOMPARE(readSource(4094, 4), QByteArray("WXYZ"));
        QCOMPARE(written.count(), 1);
        QCOMPARE(written.at(0).at(0).toULongLong(), 4094u);
        QCOMPARE(written.at(0).at(1).toULongLong(), 4u);
        QCOMPARE(readByOther(4094, 4), m_traits.sharedWrites() || !m_traits.mapping() ? QByteArray("WXYZ") : original);
        // Again: now it replaced our own bytes.
        QVERIFY(m_source->exchange(4094, original, &before));
        QCOMPARE(before, QByteArray("WXYZ"));
        QCOMPARE(readSource(4094, 4), original);
    } else {
        QVERIFY(!ok);
        QVERIFY(!m_source->errorString().isEmpty());
        QCOMPARE(written.count(), 0);
        QCOMPARE(readSource(4094, 4), original);
    }
    // Past the end: nothing written, not even a prefix.
    const int signalsBefore = written.count();
    QVERIFY(!m_source->exchange(kSize - 2, QByteArray("four"), &before));
    QVERIFY(!m_source->errorString().isEmpty());
    QCOMPARE(written.count(), signalsBefore);
    QCOMPARE(readSource(kSize - 2, 2), pattern(kSize).right(2));
}

void TestByteSourceContract::compareExchangeWritesOnlyOverExpectedBytes()
{
    using R = ByteSource::CompareResult;
    QSignalSpy written(m_source.get(), &ByteSource::bytesWritten);
    const QByteArray original = pattern(kSize).mid(1200, 4);
    QByteArray current;

    if (m_traits.writable()) {
        // The bytes are what we expect: written.
        QCOMPARE(m_source->compareExchange(1200, original, QByteArray("mine"), &current), R::Written);
        QCOMPARE(readSource(1200, 4), QByteArray("mine"));
        QCOMPARE(written.count(), 1);
        QCOMPARE(written.at(0).at(0).toULongLong(), 1200u);
        // They are not (we expect the old ones again): nothing written, *current says what is there.
        QCOMPARE(m_source->compareExchange(1200, original, QByteArray("oops"), &current), R::Differs);
        QCOMPARE(current, QByteArray("mine"));
        QCOMPARE(readSource(1200, 4), QByteArray("mine"));
        QCOMPARE(written.count(), 1);
        // Another process changed them since (undo across someone else's write).
        QVERIFY(writeByOther(1200, QByteArray("peer")));
        const R result = m_source->compareExchange(1200, QByteArray("mine"), original, &current);
        if (m_traits.mapping() && m_traits.access == Access::CopyOnWrite) {
            // This process's private copy of the page does not see the other process's write.
            QCOMPARE(result, R::Written);
        } else {
            QCOMPARE(result, R::Differs);
            QCOMPARE(current, QByteArray("peer"));
            QCOMPARE(readSource(1200, 4), QByteArray("peer"));
            QCOMPARE(readByOther(1200, 4), QByteArray("peer"));
        }
    } else {
        // A read-only source cannot write: Failed when the bytes match; when they differ, Differs or
        // Failed (a source may refuse before comparing), and never a write.
        QCOMPARE(m_source->compareExchange(1200, original, QByteArray("mine"), &current), R::Failed);
        QVERIFY(!m_source->errorString().isEmpty());
        const R result = m_source->compareExchange(1200, QByteArray("nope"), QByteArray("mine"), &current);
        QVERIFY(result == R::Differs || result == R::Failed);
        QCOMPARE(readSource(1200, 4), original);
        QCOMPARE(written.count(), 0);
    }
    // Past the end: Failed, nothing written.
    const int signalsBefore = written.count();
    QCOMPARE(m_source->compareExchange(kSize - 1, QByteArray("ab"), QByteArray("cd"), &current), R::Failed);
    QVERIFY(!m_source->errorString().isEmpty());
    QCOMPARE(written.count(), signalsBefore);
    QCOMPARE(readSource(kSize - 1, 1), pattern(kSize).right(1));
}

void TestByteSourceContract::hashIsTheCoreHashOfTheBytes()
{
    const QByteArray all = pattern(kSize);
    const quint64 seed = 0x5eed;
    quint64 h = 0;
    QVERIFY2(m_source->hash(0, kSize, seed, &h), qPrintable(m_source->errorString()));
    QCOMPARE(h, quint64(hashBytes(all.constData(), std::size_t(all.size()), seed)));
    QVERIFY(m_source->hash(4000, 200, seed, &h)); // across a page boundary
    QCOMPARE(h, quint64(hashBytes(all.constData() + 4000, 200, seed)));
    QVERIFY(m_source->hash(kSize, 0, seed, &h)); // nothing, at the very end
    QCOMPARE(h, quint64(hashBytes(nullptr, 0, seed)));
    QVERIFY(m_source->hash(0, kSize, seed + 1, &h));
    QVERIFY(h != quint64(hashBytes(all.constData(), std::size_t(all.size()), seed)));

    // The hash follows the bytes, whoever wrote them.
    QVERIFY(writeByOther(5000, QByteArray("peer")));
    QByteArray now = all;
    now.replace(5000, 4, "peer");
    QVERIFY(m_source->hash(0, kSize, seed, &h));
    QCOMPARE(h, quint64(hashBytes(now.constData(), std::size_t(now.size()), seed)));

    // Past the end: false and a message.
    QVERIFY(!m_source->hash(kSize - 1, 2, seed, &h));
    QVERIFY(!m_source->errorString().isEmpty());
    QVERIFY(!m_source->hash(std::numeric_limits<quint64>::max(), 2, seed, &h));

    // Larger than one kHashChunk (a source that hashes by reading in chunks streams several), with
    // data at the far end.
    if (!m_traits.resizable())
        return;
    const quint64 big = 3 * ByteSource::kHashChunk + 123;
    QVERIFY(resizeByOther(big));
    m_source->refresh();
    QCOMPARE(m_source->size(), big);
    QVERIFY(writeByOther(big - 4, QByteArray("tail")));
    const QByteArray whole = readSource(0, qsizetype(big));
    QCOMPARE(whole.right(4), QByteArray("tail"));
    QVERIFY2(m_source->hash(0, big, seed, &h), qPrintable(m_source->errorString()));
    QCOMPARE(h, quint64(hashBytes(whole.constData(), std::size_t(whole.size()), seed)));
}

void TestByteSourceContract::dataExtentsCoverEveryByteThatHoldsData()
{
    // Invariants: ascending, merged (no two touch), inside the range asked for, at most maxExtents,
    // and every byte that is not zero lies in one of them.
    const auto check = [this](quint64 offset, quint64 length, int maxExtents) -> bool {
        QList<ByteSource::Extent> extents { { 1, 1 } };
        if (!m_source->dataExtents(offset, length, maxExtents, &extents)) {
            qWarning("dataExtents: %s", qPrintable(m_source->errorString()));
            return false;
        }
        if (extents.size() > maxExtents)
            return false;
        quint64 end = offset;
        for (qsizetype i = 0; i < extents.size(); ++i) {
            const ByteSource::Extent& e = extents.at(i);
            if (e.length == 0 || e.offset < end || (i > 0 && e.offset == end) || e.offset + e.length > offset + length)
                return false;
            end = e.offset + e.length;
        }
        if (extents.size() == maxExtents)
            return true; // the rest was not examined
        const QByteArray bytes = readSource(offset, qsizetype(length));
        for (quint64 i = 0; i < length; ++i) {
            if (bytes.at(qsizetype(i)) == 0)
                continue;
            const quint64 at = offset + i;
            const bool covered = std::any_of(extents.begin(), extents.end(), [at](const ByteSource::Extent& e) {
                return at >= e.offset && at < e.offset + e.length;
            });
            if (!covered) {
                qWarning("byte %llu holds data but lies in no extent", at);
                return false;
            }
        }
        return true;
    };
    QVERIFY(check(0, kSize, 1024));
    QVERIFY(check(100, 5000, 1024));
    QVERIFY(check(100, 5000, 1));
    QVERIFY(check(kSize, 0, 4));
    QList<ByteSource::Extent> extents;
    QVERIFY(!m_source->dataExtents(kSize - 1, 2, 4, &extents));
    QVERIFY(!m_source->errorString().isEmpty());

    // Grown by another process: the new part is a hole (posix: and memory say so; other kinds may call
    // it data, which the invariants allow), and a byte written there is data.
    if (!m_traits.resizable())
        return;
    QVERIFY(resizeByOther(4 * kSize));
    m_source->refresh();
    QCOMPARE(m_source->size(), 4 * kSize);
    const quint64 far = 3 * kSize + 10;
    if (m_traits.kind == QLatin1String("posix") || !m_traits.mapping()) {
        QVERIFY(m_source->dataExtents(2 * kSize, 2 * kSize, 16, &extents));
        QVERIFY2(extents.isEmpty(), qPrintable(QString::number(extents.size())));
    }
    QVERIFY(writeByOther(far, QByteArray("data")));
    QVERIFY(check(0, 4 * kSize, 1024));
}

void TestByteSourceContract::readsFromAWorkerThread()
{
    // read(), hash(), dataExtents() and errorString() may be used from a worker thread (ByteSearch,
    // ChangeScanner) while the owning thread writes: every in-range read succeeds and each byte it
    // gives is either the old or the new value (a read is not atomic against a write: readConsistent()
    // is for that), and every read past the end fails with a message.
    const QByteArray before = pattern(kSize).mid(1000, 256);
    std::atomic<bool> stop { false };
    std::atomic<int> reads { 0 };
    std::atomic<int> badResults { 0 };
    std::thread worker([&] {
        QByteArray buffer(256, '\0');
        while (!stop.load()) {
            if (!m_source->read(1000, buffer.data(), buffer.size())) {
                ++badResults;
            } else {
                for (qsizetype i = 0; i < buffer.size(); ++i) {
                    if (buffer.at(i) != before.at(i) && buffer.at(i) != '\x11')
                        ++badResults;
                }
            }
            if (m_source->read(kSize - 10, buffer.data(), 20) || m_source->errorString().isEmpty())
                ++badResults;
            // hash() and dataExtents() are documented as callable from a worker thread too.
            quint64 h = 0;
            QList<ByteSource::Extent> extents;
            if (!m_source->hash(1000, 256, 0, &h) || !m_source->dataExtents(0, kSize, 64, &extents))
                ++badResults;
            ++reads;
        }
    });
    // Not a speed assertion: the deadline only bounds the test if the worker never gets to run.
    QDeadlineTimer deadline(10000);
    for (int round = 0; (round < 200 || reads.load() < 50) && !deadline.hasExpired(); ++round) {
        if (m_traits.writable())
            QVERIFY(m_source->write(1000 + quint64(round % 2) * 128, QByteArray(128, '\x11')));
        char byte = 0;
        QVERIFY(m_source->read(0, &byte, 1));
        QThread::yieldCurrentThread();
    }
    stop = true;
    worker.join();
    QVERIFY(reads.load() >= 50);
    QCOMPARE(badResults.load(), 0);
}

QTEST_GUILESS_MAIN(TestByteSourceContract)
#include "tst_bytesourcecontract.moc"
