// Issue 9 item 6: editing never waits for the object's lock on the GUI thread. While another process
// (shmscope-testpeer hold-lock: a real second process holding the real OFD lock) holds the lock, keys
// typed into the hex view and the text view are shown at once, queued in order on the source's
// WriteQueue, and written when the holder lets go; the queue names the holder's pid; cancel writes
// nothing and leaves the edits as not-written undo steps. Over MemoryByteSource (a simulated holder):
// undo of waiting edits, and the queue's own order and status.
#include "core/mapping.h"
#include "widgets/hexview.h"
#include "widgets/mappingbytesource.h"
#include "widgets/memorybytesource.h"
#include "widgets/textview.h"
#include "widgets/writequeue.h"

#include <QHBoxLayout>
#include <QPlainTextEdit>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>
#include <QUndoStack>
#include <memory>
#include <string>

#ifndef SHMSCOPE_TESTPEER
#error "SHMSCOPE_TESTPEER must name the shmscope-testpeer executable"
#endif

using namespace shmscope;

namespace {

constexpr int kPeerTimeoutMs = 10000;

// A MappingByteSource that counts the lock-taking calls made in LockWait::Wait mode: any such call on
// the GUI thread could block it for up to kLockTimeout while another process holds the lock.
class CountingSource : public MappingByteSource
{
public:
    using MappingByteSource::MappingByteSource;
    int waitingCalls = 0; // calls that would have waited for a held lock
    int tryingCalls = 0; // calls that tried once (LockWait::Try)

    bool write(quint64 offset, const QByteArray& bytes) override
    {
        count();
        return MappingByteSource::write(offset, bytes);
    }
    bool exchange(quint64 offset, const QByteArray& bytes, QByteArray* before) override
    {
        count();
        return MappingByteSource::exchange(offset, bytes, before);
    }
    CompareResult compareExchange(quint64 offset, const QByteArray& expected, const QByteArray& replacement,
                                  QByteArray* current) override
    {
        count();
        return MappingByteSource::compareExchange(offset, expected, replacement, current);
    }
    bool writeIf(quint64 offset, const QByteArray& bytes, const std::function<bool()>& check,
                 bool* checkFailed) override
    {
        count();
        return MappingByteSource::writeIf(offset, bytes, check, checkFailed);
    }

private:
    void count() { ++(lockWait() == LockWait::Wait ? waitingCalls : tryingCalls); }
};

} // namespace

class TestWriteQueue : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void keysWaitForARealLockHolderAndLandInOrder();
    void cancelWritesNothingAndKeepsNotWrittenSteps();
    void undoTakesBackWaitingKeys();
    void queueKeepsOrderAcrossViewsAndNamesTheHolder();

private:
    QProcess* holdLock();
    void releaseLock();
    QByteArray readByOther(quint64 offset, int length);

    Address m_address;
    std::unique_ptr<CountingSource> m_source;
    std::unique_ptr<QWidget> m_window;
    HexView* m_hex = nullptr;
    TextView* m_text = nullptr;
    QProcess* m_holder = nullptr;
};

void TestWriteQueue::init()
{
    static int counter = 0;
    m_address.kind = Kind::Posix;
    m_address.name = "/shmscope-test-" + std::to_string(QCoreApplication::applicationPid()) + "-writequeue-"
        + std::to_string(++counter);
    CreateOptions options;
    options.size = 4096;
    Result<Created> created = createMapping(m_address, options);
    QVERIFY2(created, created ? "" : created.error().message().c_str());
    m_source = std::make_unique<CountingSource>(std::move(created->mapping));
    m_window = std::make_unique<QWidget>();
    auto* layout = new QHBoxLayout(m_window.get());
    m_hex = new HexView;
    m_text = new TextView;
    layout->addWidget(m_hex);
    layout->addWidget(m_text);
    m_hex->setSource(m_source.get());
    m_text->setSource(m_source.get());
    m_window->resize(1200, 500);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestWriteQueue::cleanup()
{
    if (m_holder) {
        m_holder->kill();
        m_holder->waitForFinished(kPeerTimeoutMs);
        delete m_holder;
        m_holder = nullptr;
    }
    if (m_hex)
        m_hex->setSource(nullptr);
    if (m_text)
        m_text->setSource(nullptr);
    m_window.reset();
    m_hex = nullptr;
    m_text = nullptr;
    m_source.reset();
    (void)removeObject(m_address);
}

QProcess* TestWriteQueue::holdLock()
{
    m_holder = new QProcess;
    m_holder->start(QStringLiteral(SHMSCOPE_TESTPEER),
                    { QStringLiteral("hold-lock"), QString::fromStdString(toString(m_address)) });
    if (!m_holder->waitForStarted(kPeerTimeoutMs) || !m_holder->waitForReadyRead(kPeerTimeoutMs))
        return nullptr;
    return m_holder->readLine() == "locked\n" ? m_holder : nullptr;
}

void TestWriteQueue::releaseLock()
{
    // SIGKILL: the kernel drops the holder's OFD lock when its descriptors close.
    m_holder->kill();
    m_holder->waitForFinished(kPeerTimeoutMs);
}

QByteArray TestWriteQueue::readByOther(quint64 offset, int length)
{
    QProcess reader;
    reader.start(QStringLiteral(SHMSCOPE_TESTPEER),
                 { QStringLiteral("read"), QString::fromStdString(toString(m_address)), QString::number(offset),
                   QString::number(length) });
    if (!reader.waitForFinished(kPeerTimeoutMs))
        return "(peer did not finish)";
    return reader.readAllStandardOutput();
}

void TestWriteQueue::keysWaitForARealLockHolderAndLandInOrder()
{
    QProcess* holder = holdLock();
    QVERIFY(holder);
    QSignalSpy written(m_source.get(), &ByteSource::bytesWritten);

    // Five keys in the hex view's ASCII pane and five in the text view, while the lock is held.
    m_hex->setCursorOffset(0x10);
    m_hex->setCursorPane(HexView::Pane::Ascii);
    QTest::keyClicks(m_hex, QStringLiteral("abcde"));
    m_text->setOffset(0x40);
    QTest::keyClicks(m_text->editor(), QStringLiteral("abcde"));

    // Shown at once, none dropped, nothing written, and no call that could wait for the lock.
    for (quint64 offset = 0x10; offset < 0x15; ++offset)
        QVERIFY2(m_hex->isPending(offset), qPrintable(QString::number(offset, 16)));
    QCOMPARE(m_hex->cursorOffset(), quint64(0x15));
    QCOMPARE(m_text->text(), QStringLiteral("abcde"));
    QCOMPARE(m_text->waitingEditCount(), 5);
    WriteQueue* queue = m_source->writeQueue();
    QVERIFY(queue->isWaiting());
    QCOMPARE(queue->waitingCount(), 10);
    QCOMPARE(written.count(), 0);
    QCOMPARE(readByOther(0x10, 5), QByteArray(5, '\0'));
    QCOMPARE(readByOther(0x40, 6), QByteArray(6, '\0'));
    QVERIFY(m_hex->undoStack()->undoText().contains(QStringLiteral("waiting for the lock")));
    // The status names the holder (found in a worker thread while the event loop runs on).
    const QString pid = QStringLiteral("held by pid %1").arg(holder->processId());
    QTRY_VERIFY2(queue->statusText().contains(pid), qPrintable(queue->statusText()));
    QVERIFY(queue->statusText().contains(QStringLiteral("waiting for the lock")));
    QCOMPARE(written.count(), 0);
    QCOMPARE(m_source->waitingCalls, 0);
    QVERIFY(m_source->tryingCalls >= 1);

    // The holder goes: everything is written, in the order typed, by the retry timer.
    releaseLock();
    QTRY_VERIFY(!queue->isWaiting());
    QCOMPARE(readByOther(0x10, 5), QByteArray("abcde"));
    QCOMPARE(readByOther(0x40, 6), QByteArray("abcde\0", 6));
    QCOMPARE(written.count(), 10);
    for (int i = 0; i < 5; ++i)
        QCOMPARE(written.at(i).at(0).toULongLong(), quint64(0x10 + i));
    for (int i = 5; i < 10; ++i)
        QCOMPARE(written.at(i).at(0).toULongLong(), quint64(0x40));
    QVERIFY(!m_hex->isPending(0x10));
    QVERIFY(queue->statusText().isEmpty());
    QVERIFY(!m_hex->undoStack()->undoText().contains(QStringLiteral("waiting")));
    QCOMPARE(m_text->text(), QStringLiteral("abcde"));
    QCOMPARE(m_text->waitingEditCount(), 0);
    QCOMPARE(m_source->waitingCalls, 0);

    // Undo of the now written typing restores what the writes replaced (one step for the run).
    m_hex->undoStack()->undo();
    QCOMPARE(readByOther(0x10, 5), QByteArray(5, '\0'));
    m_text->undo();
    QCOMPARE(readByOther(0x40, 1), QByteArray(1, '\0'));
}

void TestWriteQueue::cancelWritesNothingAndKeepsNotWrittenSteps()
{
    QVERIFY(holdLock());
    QSignalSpy written(m_source.get(), &ByteSource::bytesWritten);
    m_hex->setCursorOffset(0x20);
    m_hex->setCursorPane(HexView::Pane::Ascii);
    QTest::keyClicks(m_hex, QStringLiteral("xyz"));
    m_text->setOffset(0x80);
    QTest::keyClicks(m_text->editor(), QStringLiteral("xyz"));
    WriteQueue* queue = m_source->writeQueue();
    QCOMPARE(queue->waitingCount(), 6);
    QSignalSpy cancelled(queue, &WriteQueue::cancelled);

    // Esc in the hex view (no selection) cancels every waiting edit, of both views.
    m_hex->setFocus();
    QTest::keyClick(m_hex, Qt::Key_Escape);
    QCOMPARE(cancelled.count(), 1);
    QCOMPARE(cancelled.at(0).at(0).toInt(), 6);
    QVERIFY(!queue->isWaiting());
    QVERIFY(!m_hex->isPending(0x20));
    QCOMPARE(m_text->text(), QString());
    QCOMPARE(m_text->waitingEditCount(), 0);
    // The edits stay in the undo history, marked not written: Redo would write them.
    QUndoStack* stack = m_hex->undoStack();
    QCOMPARE(stack->count(), 1);
    QVERIFY(stack->canRedo());
    QVERIFY2(stack->redoText().contains(QStringLiteral("not written")), qPrintable(stack->redoText()));
    QVERIFY(m_text->canRedo());
    QVERIFY(m_text->redoIsNotWritten());

    // Nothing of them is written once the lock is free: an edit made after them lands, and it would
    // have been queued behind them.
    releaseLock();
    m_hex->setCursorOffset(0x30);
    QTest::keyClicks(m_hex, QStringLiteral("q"));
    QTRY_COMPARE(readByOther(0x30, 1), QByteArray("q"));
    QCOMPARE(readByOther(0x20, 3), QByteArray(3, '\0'));
    QCOMPARE(readByOther(0x80, 4), QByteArray(4, '\0'));
    QCOMPARE(written.count(), 1);

    // Redo of the cancelled text typing writes it now.
    m_text->redo();
    QCOMPARE(readByOther(0x80, 4), QByteArray("xyz\0", 4));
    QCOMPARE(m_source->waitingCalls, 0);
}

void TestWriteQueue::undoTakesBackWaitingKeys()
{
    MemoryByteSource memory(QByteArray(256, '\0'));
    m_hex->setSource(&memory);
    m_text->setSource(&memory);
    memory.holdLockExternally(4242);
    m_hex->setCursorOffset(0x08);
    m_hex->setCursorPane(HexView::Pane::Ascii);
    QTest::keyClicks(m_hex, QStringLiteral("ab"));
    QVERIFY(m_hex->isPending(0x08) && m_hex->isPending(0x09));
    // Undo while the keys wait: they are taken back from the queue, never written.
    m_hex->undoStack()->undo();
    QVERIFY(!m_hex->isPending(0x08));
    QVERIFY(!memory.writeQueue()->isWaiting());
    QVERIFY(m_hex->undoStack()->redoText().contains(QStringLiteral("not written")));

    m_text->setOffset(0x40);
    QTest::keyClicks(m_text->editor(), QStringLiteral("xy"));
    QCOMPARE(m_text->waitingEditCount(), 2);
    m_text->undo(); // the newest waiting key goes
    QCOMPARE(m_text->text(), QStringLiteral("x"));
    QCOMPARE(m_text->waitingEditCount(), 1);
    // Esc in the text editor cancels too; Redo queues the cancelled key again.
    QTest::keyClick(m_text->editor(), Qt::Key_Escape);
    QCOMPARE(m_text->waitingEditCount(), 0);
    QCOMPARE(m_text->text(), QString());
    QVERIFY(m_text->redoIsNotWritten());
    m_text->redo();
    QCOMPARE(m_text->text(), QStringLiteral("x"));
    QCOMPARE(m_text->waitingEditCount(), 1);

    memory.holdLockExternally(0);
    QTRY_VERIFY(!memory.writeQueue()->isWaiting());
    QCOMPARE(memory.peek(0x08, 2), QByteArray(2, '\0'));
    QCOMPARE(memory.peek(0x40, 2), QByteArray("x\0", 2));
    // Redo of the taken-back hex keys writes them now that the lock is free.
    m_hex->undoStack()->redo();
    QCOMPARE(memory.peek(0x08, 2), QByteArray("ab"));
    QVERIFY(!m_hex->undoStack()->undoText().contains(QStringLiteral("not written")));
    m_hex->setSource(nullptr);
    m_text->setSource(nullptr);
}

void TestWriteQueue::queueKeepsOrderAcrossViewsAndNamesTheHolder()
{
    MemoryByteSource memory(QByteArray(64, '\0'));
    WriteQueue* queue = memory.writeQueue();
    QCOMPARE(memory.writeQueue(), queue); // one per source
    QStringList done;
    const auto operation = [&](quint64 offset, const char* bytes) {
        WriteQueue::Operation op;
        op.offset = offset;
        op.preview = QByteArray(bytes);
        op.attempt
            = [&memory, offset, bytes] { return memory.write(offset, QByteArray(bytes)) || !memory.lockWasBusy(); };
        op.finished = [&done, bytes] { done.append(QString::fromLatin1(bytes)); };
        op.dropped = [&done, bytes] { done.append(QStringLiteral("dropped ") + QString::fromLatin1(bytes)); };
        return op;
    };
    // A free lock: done at once, synchronously.
    const quint64 first = queue->submit(operation(0, "1"));
    QVERIFY(!queue->isQueued(first));
    QCOMPARE(done, QStringList { QStringLiteral("1") });

    memory.holdLockExternally(777);
    QSignalSpy waiting(queue, &WriteQueue::waitingChanged);
    const quint64 second = queue->submit(operation(1, "2"));
    const quint64 third = queue->submit(operation(1, "3"));
    const quint64 fourth = queue->submit(operation(2, "4"));
    QVERIFY(queue->isQueued(second) && queue->isQueued(third) && queue->isQueued(fourth));
    QCOMPARE(waiting.count(), 1);
    QCOMPARE(queue->previews().size(), 3);
    QCOMPARE(queue->previews().at(1).bytes, QByteArray("3"));
    QTRY_VERIFY2(queue->statusText().contains(QStringLiteral("waiting for the lock (held by pid 777)")),
                 qPrintable(queue->statusText()));
    QVERIFY(queue->remove(fourth));
    QCOMPARE(done.last(), QStringLiteral("dropped 4"));
    QCOMPARE(memory.peek(1, 1), QByteArray(1, '\0'));

    memory.holdLockExternally(0);
    QTRY_VERIFY(!queue->isWaiting());
    QCOMPARE(
        done,
        (QStringList { QStringLiteral("1"), QStringLiteral("dropped 4"), QStringLiteral("2"), QStringLiteral("3") }));
    QCOMPARE(memory.peek(0, 3), QByteArray("13\0", 3));
    QVERIFY(queue->statusText().isEmpty());
}

QTEST_MAIN(TestWriteQueue)
#include "tst_writequeue.moc"
