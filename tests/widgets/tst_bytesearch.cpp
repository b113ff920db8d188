// Tests of ByteSearch: the worker-thread search of a ByteSource (chunk boundaries, both directions,
// encodings, not found, cancel, a large sparse source that must not be copied).
#include "core/mapping.h"
#include "tests/widgets/slowreadsource.h"
#include "widgets/bytesearch.h"
#include "widgets/mappingbytesource.h"
#include "widgets/memorybytesource.h"

#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <fcntl.h>
#include <string>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace shmscope;

namespace {
constexpr int kTimeoutMs = 10000;
constexpr quint64 kChunk = quint64(ByteSearch::kChunkSize);
} // namespace

class TestByteSearch : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void patternFor_data();
    void patternFor();
    void patternForRejects_data();
    void patternForRejects();
    void findsAcrossChunks_data();
    void findsAcrossChunks();
    void wrapsAround();
    void utf16le();
    void notFound();
    void patternLongerThanSource();
    void rejectsBadInput();
    void cancelStopsTheSearch();
    void restartDropsTheOldResult();
    void sourceDestroyedWhileSearched();
    void sparseGigabyteIsNotCopied();
    void failedReadReports();
    void realSharedMemory();
    void holesOfRealObjectAreNotAllocated();
};

void TestByteSearch::patternFor_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<ByteSearch::Encoding>("encoding");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("hex spaced") << QStringLiteral("de ad be ef") << ByteSearch::Encoding::Hex
                                << QByteArray("\xde\xad\xbe\xef", 4);
    QTest::newRow("hex 0x list") << QStringLiteral("0x01,0x02") << ByteSearch::Encoding::Hex
                                 << QByteArray("\x01\x02", 2);
    QTest::newRow("utf8 ascii") << QStringLiteral("abc") << ByteSearch::Encoding::Utf8 << QByteArray("abc");
    QTest::newRow("utf8 umlaut") << QString::fromUtf8("ä") << ByteSearch::Encoding::Utf8 << QByteArray("\xc3\xa4");
    QTest::newRow("utf16le") << QStringLiteral("Ab") << ByteSearch::Encoding::Utf16Le << QByteArray("A\0b\0", 4);
    QTest::newRow("utf16le euro") << QString::fromUtf8("€") << ByteSearch::Encoding::Utf16Le
                                  << QByteArray("\xac\x20", 2);
}

void TestByteSearch::patternFor()
{
    QFETCH(QString, text);
    QFETCH(ByteSearch::Encoding, encoding);
    QFETCH(QByteArray, expected);
    QString error;
    const auto pattern = ByteSearch::patternFor(text, encoding, &error);
    QVERIFY2(pattern.has_value(), qPrintable(error));
    QCOMPARE(*pattern, expected);
}

void TestByteSearch::patternForRejects_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<ByteSearch::Encoding>("encoding");
    QTest::newRow("empty hex") << QString() << ByteSearch::Encoding::Hex;
    QTest::newRow("empty text") << QString() << ByteSearch::Encoding::Utf8;
    QTest::newRow("not hex") << QStringLiteral("zz") << ByteSearch::Encoding::Hex;
    QTest::newRow("odd hex") << QStringLiteral("abc") << ByteSearch::Encoding::Hex;
    QTest::newRow("too long") << QString(ByteSearch::kMaxPatternSize + 1, QLatin1Char('x'))
                              << ByteSearch::Encoding::Utf8;
}

void TestByteSearch::patternForRejects()
{
    QFETCH(QString, text);
    QFETCH(ByteSearch::Encoding, encoding);
    QString error;
    QVERIFY(!ByteSearch::patternFor(text, encoding, &error));
    QVERIFY(error.startsWith(QLatin1String("find: ")));
}

void TestByteSearch::findsAcrossChunks_data()
{
    QTest::addColumn<quint64>("at"); // where the pattern is placed
    QTest::addColumn<quint64>("from");
    QTest::addColumn<bool>("forward");
    // A 3 MiB source; the pattern is 8 bytes long.
    QTest::newRow("forward at 0") << quint64(0) << quint64(0) << true;
    QTest::newRow("forward inside first chunk") << quint64(1000) << quint64(0) << true;
    QTest::newRow("forward across first boundary") << kChunk - 3 << quint64(0) << true;
    QTest::newRow("forward across second boundary") << 2 * kChunk - 7 << quint64(5) << true;
    QTest::newRow("forward just after boundary") << kChunk << quint64(1) << true;
    QTest::newRow("forward at the last byte") << 3 * kChunk - 8 << quint64(10) << true;
    QTest::newRow("forward from the match itself") << quint64(4096) << quint64(4096) << true;
    QTest::newRow("backward across boundary") << kChunk - 3 << 3 * kChunk << false;
    QTest::newRow("backward across second boundary") << 2 * kChunk - 1 << 3 * kChunk - 100 << false;
    QTest::newRow("backward at 0") << quint64(0) << 3 * kChunk << false;
    QTest::newRow("backward at the end") << 3 * kChunk - 8 << 3 * kChunk << false;
    QTest::newRow("backward from one after the match") << quint64(77) << quint64(78) << false;
}

void TestByteSearch::findsAcrossChunks()
{
    QFETCH(quint64, at);
    QFETCH(quint64, from);
    QFETCH(bool, forward);
    MemoryByteSource source(3 * kChunk);
    const QByteArray pattern("\x11\x22\x33\x44\x55\x66\x77\x88", 8);
    source.write(at, pattern);
    // A decoy with the same first bytes just before the match must not confuse the search.
    if (at >= 16)
        source.write(at - 10, pattern.left(5));

    ByteSearch search;
    QSignalSpy found(&search, &ByteSearch::found);
    QSignalSpy notFound(&search, &ByteSearch::notFound);
    QVERIFY(search.start(&source, pattern, from,
                         forward ? ByteSearch::Direction::Forward : ByteSearch::Direction::Backward));
    QVERIFY(search.isRunning());
    QTRY_COMPARE_WITH_TIMEOUT(found.size(), 1, kTimeoutMs);
    QCOMPARE(found.at(0).at(0).toULongLong(), at);
    QCOMPARE(found.at(0).at(1).toULongLong(), quint64(pattern.size()));
    QCOMPARE(found.at(0).at(2).toBool(), false);
    QCOMPARE(notFound.size(), 0);
    QVERIFY(!search.isRunning());
    // Every read stayed within one chunk plus the overlap.
    for (const auto& range : source.readLog())
        QVERIFY(range.length <= kChunk + quint64(pattern.size()) - 1);
}

void TestByteSearch::wrapsAround()
{
    MemoryByteSource source(2 * kChunk + 123);
    source.write(100, QByteArray("needle"));
    ByteSearch search;
    QSignalSpy found(&search, &ByteSearch::found);
    QSignalSpy notFound(&search, &ByteSearch::notFound);

    // Forward from after the only match: not found without wrap, found (wrapped) with it.
    QVERIFY(search.start(&source, QByteArray("needle"), 101, ByteSearch::Direction::Forward, false));
    QTRY_COMPARE_WITH_TIMEOUT(notFound.size(), 1, kTimeoutMs);
    QVERIFY(search.start(&source, QByteArray("needle"), 101, ByteSearch::Direction::Forward, true));
    QTRY_COMPARE_WITH_TIMEOUT(found.size(), 1, kTimeoutMs);
    QCOMPARE(found.at(0).at(0).toULongLong(), quint64(100));
    QCOMPARE(found.at(0).at(2).toBool(), true);

    // Backward from at or before the match: wraps from the end.
    QVERIFY(search.start(&source, QByteArray("needle"), 100, ByteSearch::Direction::Backward, false));
    QTRY_COMPARE_WITH_TIMEOUT(notFound.size(), 2, kTimeoutMs);
    QVERIFY(search.start(&source, QByteArray("needle"), 100, ByteSearch::Direction::Backward, true));
    QTRY_COMPARE_WITH_TIMEOUT(found.size(), 2, kTimeoutMs);
    QCOMPARE(found.at(1).at(0).toULongLong(), quint64(100));
    QCOMPARE(found.at(1).at(2).toBool(), true);
}

void TestByteSearch::utf16le()
{
    MemoryByteSource source(kChunk + 4096);
    const auto pattern = ByteSearch::patternFor(QStringLiteral("Hallo"), ByteSearch::Encoding::Utf16Le);
    QVERIFY(pattern);
    // The UTF-8 spelling earlier must not match; the UTF-16LE one straddles the chunk boundary.
    source.write(10, QByteArray("Hallo"));
    source.write(kChunk - 4, *pattern);
    ByteSearch search;
    QSignalSpy found(&search, &ByteSearch::found);
    QVERIFY(search.start(&source, *pattern, 0, ByteSearch::Direction::Forward));
    QTRY_COMPARE_WITH_TIMEOUT(found.size(), 1, kTimeoutMs);
    QCOMPARE(found.at(0).at(0).toULongLong(), kChunk - 4);
    QCOMPARE(found.at(0).at(1).toULongLong(), quint64(10));
}

void TestByteSearch::notFound()
{
    MemoryByteSource source(2 * kChunk + 5);
    source.write(kChunk - 2, QByteArray("abX")); // a near miss across the boundary
    ByteSearch search;
    QSignalSpy found(&search, &ByteSearch::found);
    QSignalSpy notFound(&search, &ByteSearch::notFound);
    QSignalSpy progressed(&search, &ByteSearch::progressed);
    QVERIFY(search.start(&source, QByteArray("abc"), 0, ByteSearch::Direction::Forward, true));
    QTRY_COMPARE_WITH_TIMEOUT(notFound.size(), 1, kTimeoutMs);
    QCOMPARE(found.size(), 0);
    QVERIFY(!progressed.isEmpty());
    // The last progress report covers every candidate start.
    QCOMPARE(progressed.last().at(0).toULongLong(), progressed.last().at(1).toULongLong());
    QCOMPARE(progressed.last().at(1).toULongLong(), 2 * kChunk + 5 - 2);

    QVERIFY(search.start(&source, QByteArray("abc"), 2 * kChunk, ByteSearch::Direction::Backward, true));
    QTRY_COMPARE_WITH_TIMEOUT(notFound.size(), 2, kTimeoutMs);
    QCOMPARE(found.size(), 0);
}

void TestByteSearch::patternLongerThanSource()
{
    MemoryByteSource source(QByteArray("abc"));
    ByteSearch search;
    QSignalSpy notFound(&search, &ByteSearch::notFound);
    QVERIFY(search.start(&source, QByteArray("abcd"), 0, ByteSearch::Direction::Forward, true));
    QTRY_COMPARE_WITH_TIMEOUT(notFound.size(), 1, kTimeoutMs);
    // The whole source as the pattern is found.
    QSignalSpy found(&search, &ByteSearch::found);
    QVERIFY(search.start(&source, QByteArray("abc"), 3, ByteSearch::Direction::Backward));
    QTRY_COMPARE_WITH_TIMEOUT(found.size(), 1, kTimeoutMs);
    QCOMPARE(found.at(0).at(0).toULongLong(), quint64(0));
}

void TestByteSearch::rejectsBadInput()
{
    MemoryByteSource source(QByteArray("abc"));
    ByteSearch search;
    QSignalSpy notFound(&search, &ByteSearch::notFound);
    QVERIFY(!search.start(nullptr, QByteArray("a"), 0, ByteSearch::Direction::Forward));
    QVERIFY(!search.start(&source, QByteArray(), 0, ByteSearch::Direction::Forward));
    QVERIFY(
        !search.start(&source, QByteArray(ByteSearch::kMaxPatternSize + 1, 'a'), 0, ByteSearch::Direction::Forward));
    QVERIFY(!search.isRunning());
    QTest::qWait(50);
    QCOMPARE(notFound.size(), 0);
}

void TestByteSearch::cancelStopsTheSearch()
{
    // 8 GiB of zeros: far more than the worker gets through before the cancel below.
    MemoryByteSource source(quint64(8) << 30);
    ByteSearch search;
    QSignalSpy found(&search, &ByteSearch::found);
    QSignalSpy notFound(&search, &ByteSearch::notFound);
    QSignalSpy canceled(&search, &ByteSearch::canceled);
    QSignalSpy progressed(&search, &ByteSearch::progressed);
    QVERIFY(search.start(&source, QByteArray("x"), 0, ByteSearch::Direction::Forward));
    // The event loop keeps running while the worker searches (the UI is not blocked).
    QTRY_VERIFY_WITH_TIMEOUT(!progressed.isEmpty(), kTimeoutMs);
    search.cancel();
    QCOMPARE(canceled.size(), 1);
    QVERIFY(!search.isRunning());
    const quint64 readAfterCancel = source.bytesReadTotal();
    QTest::qWait(200);
    QCOMPARE(source.bytesReadTotal(), readAfterCancel); // the worker has stopped reading
    QVERIFY(readAfterCancel < source.size());
    QCOMPARE(found.size(), 0);
    QCOMPARE(notFound.size(), 0);
    QCOMPARE(canceled.size(), 1);
    search.cancel(); // idle: nothing happens
    QCOMPARE(canceled.size(), 1);
}

void TestByteSearch::restartDropsTheOldResult()
{
    MemoryByteSource source(quint64(4) << 30);
    source.write(5, QByteArray("first"));
    ByteSearch search;
    QSignalSpy found(&search, &ByteSearch::found);
    QSignalSpy notFound(&search, &ByteSearch::notFound);
    QVERIFY(search.start(&source, QByteArray("nowhere"), 0, ByteSearch::Direction::Forward));
    QVERIFY(search.start(&source, QByteArray("first"), 0, ByteSearch::Direction::Forward));
    QTRY_COMPARE_WITH_TIMEOUT(found.size(), 1, kTimeoutMs);
    QCOMPARE(found.at(0).at(0).toULongLong(), quint64(5));
    QTest::qWait(100);
    QCOMPARE(notFound.size(), 0);
    QCOMPARE(found.size(), 1);
}

// The searched source is destroyed with the worker inside one of its reads (the find bar's hex view
// closing its object): the search is cancelled and its worker joined at aboutToBeDestroyed(), while the
// source is whole; nothing is reported of it after canceled().
void TestByteSearch::sourceDestroyedWhileSearched()
{
    ByteSearch search;
    QSignalSpy canceled(&search, &ByteSearch::canceled);
    QSignalSpy notFound(&search, &ByteSearch::notFound);
    QSignalSpy failed(&search, &ByteSearch::failed);
    for (int round = 0; round < 5; ++round) {
        std::atomic<bool> readAfterDestruction { false };
        {
            // 32 reads of 1 MiB (kChunkSize), 10 ms each: the pattern is nowhere, the search is far from done.
            test::SlowReadSource slow(quint64(32) << 20, &readAfterDestruction, 10);
            QVERIFY(search.start(&slow, QByteArray("nowhere"), 0, ByteSearch::Direction::Forward, true));
            QTest::qWait(30);
            QVERIFY(search.isRunning());
        } // destroyed while searched
        QVERIFY2(!readAfterDestruction.load(), "the search was still reading a destroyed source");
        QVERIFY(!search.isRunning());
        QCOMPARE(canceled.size(), round + 1);
    }
    QTest::qWait(50);
    QCOMPARE(notFound.size(), 0);
    QCOMPARE(failed.size(), 0);
    // A search of another source runs as before.
    MemoryByteSource other(QByteArray("..needle.."));
    QSignalSpy found(&search, &ByteSearch::found);
    QVERIFY(search.start(&other, QByteArray("needle"), 0, ByteSearch::Direction::Forward));
    QTRY_COMPARE_WITH_TIMEOUT(found.size(), 1, kTimeoutMs);
    QCOMPARE(found.at(0).at(0).toULongLong(), quint64(2));
}

void TestByteSearch::sparseGigabyteIsNotCopied()
{
    const quint64 size = quint64(1) << 30;
    MemoryByteSource source(size);
    const QByteArray pattern("\xca\xfe\xba\xbe", 4);
    source.write(size - 6, pattern); // near the very end: the whole source is scanned
    const quint64 allocated = source.allocatedBytes();
    source.clearReadLog();

    ByteSearch search;
    QSignalSpy found(&search, &ByteSearch::found);
    int ticks = 0;
    QTimer ticker;
    QObject::connect(&ticker, &QTimer::timeout, [&ticks] { ++ticks; });
    ticker.start(1);
    QVERIFY(search.start(&source, pattern, 0, ByteSearch::Direction::Forward));
    QTRY_COMPARE_WITH_TIMEOUT(found.size(), 1, 60000);
    QCOMPARE(found.at(0).at(0).toULongLong(), size - 6);
    QVERIFY(ticks > 0); // the owning thread's event loop ran during the search
    // Only the data was read (the holes are zeros without a read), in bounded chunks, and no storage
    // was added.
    const auto log = source.readLog();
    QVERIFY(!log.isEmpty());
    for (const auto& range : log) {
        QVERIFY(range.length <= kChunk + quint64(pattern.size()) - 1);
        QVERIFY(range.offset >= size - 4096); // the page that holds the pattern
    }
    QCOMPARE(source.allocatedBytes(), allocated);
}

void TestByteSearch::failedReadReports()
{
    MemoryByteSource source(3 * kChunk);
    source.resizeExternally(kChunk + 10); // reads past this fail, but size() still says 3 MiB
    ByteSearch search;
    QSignalSpy failed(&search, &ByteSearch::failed);
    QVERIFY(search.start(&source, QByteArray("zz"), 0, ByteSearch::Direction::Forward));
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, kTimeoutMs);
    const QString message = failed.at(0).at(0).toString();
    QVERIFY2(message.startsWith(QLatin1String("find: cannot read")), qPrintable(message));
    QVERIFY(!search.isRunning());
}

void TestByteSearch::realSharedMemory()
{
    // A real POSIX object, read through MappingByteSource (the core's fault-safe read) from the worker,
    // while this thread writes into the same mapping.
    Address address;
    address.kind = Kind::Posix;
    address.name = "/shmscope-test-" + std::to_string(QCoreApplication::applicationPid()) + "-search";
    CreateOptions options;
    options.size = 3 * kChunk;
    Result<Created> created = createMapping(address, options, Access::ReadWrite);
    QVERIFY2(created, created ? "" : created.error().message().c_str());
    struct Remove {
        Address address;
        ~Remove() { (void)removeObject(address); }
    } remove { address };
    MappingByteSource source(std::move(created->mapping));
    QVERIFY(source.write(2 * kChunk - 3, QByteArray("shared needle")));
    QVERIFY(source.write(0, QByteArray("busy")));
    ByteSearch search;
    QSignalSpy found(&search, &ByteSearch::found);
    QVERIFY(search.start(&source, QByteArray("needle"), 0, ByteSearch::Direction::Forward));
    for (int i = 0; i < 100 && search.isRunning(); ++i)
        QVERIFY(source.write(quint64(i) * 64, QByteArray("busy"))); // concurrent writes elsewhere
    QTRY_COMPARE_WITH_TIMEOUT(found.size(), 1, kTimeoutMs);
    QCOMPARE(found.at(0).at(0).toULongLong(), 2 * kChunk - 3 + 7);
    QSignalSpy foundBack(&search, &ByteSearch::found);
    QVERIFY(search.start(&source, QByteArray("busy"), 3 * kChunk, ByteSearch::Direction::Backward));
    QTRY_COMPARE_WITH_TIMEOUT(foundBack.size(), 1, kTimeoutMs);
    QVERIFY(foundBack.at(0).at(0).toULongLong() % 64 == 0);
}

// A search over a sparse POSIX object reads its holes as zeros without touching them: reading a tmpfs
// hole through the mapping would make the kernel allocate a page for it, for good (issue 9, item 13).
void TestByteSearch::holesOfRealObjectAreNotAllocated()
{
    const quint64 size = quint64(256) << 20;
    const quint64 needleAt = size - 100;
    const std::string name = "/shmscope-test-" + std::to_string(QCoreApplication::applicationPid()) + "-sparse";
    const int fd = ::shm_open(name.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600);
    QVERIFY(fd >= 0);
    struct Remove {
        std::string name;
        int fd;
        ~Remove()
        {
            ::close(fd);
            ::shm_unlink(name.c_str());
        }
    } remove { name, fd };
    // ftruncate only (no posix_fallocate, unlike createMapping()): all hole but the needle's page.
    QCOMPARE(::ftruncate(fd, off_t(size)), 0);
    QCOMPARE(::pwrite(fd, "needle", 6, off_t(needleAt)), ssize_t(6));
    auto allocated = [fd] {
        struct stat st = {};
        return ::fstat(fd, &st) == 0 ? qint64(st.st_blocks) * 512 : qint64(-1);
    };
    const qint64 before = allocated();
    QCOMPARE(before, qint64(4096));

    Result<std::unique_ptr<Mapping>> attached = attachMapping(Address { Kind::Posix, name, 0 }, Access::ReadOnly);
    QVERIFY2(attached, attached ? "" : attached.error().message().c_str());
    MappingByteSource source(std::move(attached).value());
    ByteSearch search;
    QSignalSpy found(&search, &ByteSearch::found);
    QSignalSpy notFound(&search, &ByteSearch::notFound);

    // Through 256 MiB of hole to the needle, and backward through all of it for something absent.
    QVERIFY(search.start(&source, QByteArray("needle"), 0, ByteSearch::Direction::Forward));
    QTRY_COMPARE_WITH_TIMEOUT(found.size(), 1, 60000);
    QCOMPARE(found.at(0).at(0).toULongLong(), needleAt);
    QVERIFY(search.start(&source, QByteArray("absent"), size, ByteSearch::Direction::Backward));
    QTRY_COMPARE_WITH_TIMEOUT(notFound.size(), 1, 60000);
    // A hole reads as zeros, so zeros are found in it.
    QVERIFY(search.start(&source, QByteArray(8, '\0'), 4096, ByteSearch::Direction::Forward));
    QTRY_COMPARE_WITH_TIMEOUT(found.size(), 2, 60000);
    QCOMPARE(found.at(1).at(0).toULongLong(), quint64(4096));

    QCOMPARE(allocated(), before);
}

QTEST_GUILESS_MAIN(TestByteSearch)
#include "tst_bytesearch.moc"
