// Tests of HexView's accessibility: what QAccessible::queryAccessibleInterface() gives a screen reader
// (role, name, description, the value under the cursor, the text interface over the cursor's row and
// its selection) and the events sent when the cursor or the selection moves and when the bytes under
// the cursor change — typed here, or written by another process into real shared memory.
//
// The events are recorded through setHexViewAccessibilityEventSink(): Qt 6.4 drops events before any
// QAccessible update handler sees them while QAccessible::isActive() is false, which it always is on
// the offscreen platform (see hexviewaccessible.h).
#include "core/mapping.h"
#include "widgets/hexview.h"
#include "widgets/hexviewaccessible.h"
#include "widgets/mappingbytesource.h"
#include "widgets/memorybytesource.h"

#include <QAccessible>
#include <QApplication>
#include <QCoreApplication>
#include <QMouseEvent>
#include <QProcess>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTest>
#include <memory>
#include <string>

#ifndef SHMSCOPE_TESTPEER
#error "SHMSCOPE_TESTPEER must name the shmscope-testpeer executable"
#endif

using namespace shmscope;

namespace {

struct RecordedEvent {
    QAccessible::Event type = QAccessible::InvalidEvent;
    QObject* object = nullptr;
    QString value; // for ValueChanged
    int cursor = -1; // for TextCaretMoved / TextSelectionChanged
    int selectionStart = -1;
    int selectionEnd = -1;
    int position = -1; // for TextUpdated: where, what went, what came
    QString removed;
    QString inserted;
};
QList<RecordedEvent> g_events;

void recordEvent(QAccessibleEvent* event)
{
    RecordedEvent e;
    e.type = event->type();
    e.object = event->object();
    if (event->type() == QAccessible::ValueChanged)
        e.value = static_cast<QAccessibleValueChangeEvent*>(event)->value().toString();
    if (event->type() == QAccessible::TextCaretMoved)
        e.cursor = static_cast<QAccessibleTextCursorEvent*>(event)->cursorPosition();
    if (event->type() == QAccessible::TextSelectionChanged) {
        auto* s = static_cast<QAccessibleTextSelectionEvent*>(event);
        e.selectionStart = s->selectionStart();
        e.selectionEnd = s->selectionEnd();
    }
    if (event->type() == QAccessible::TextUpdated) {
        auto* u = static_cast<QAccessibleTextUpdateEvent*>(event);
        e.position = u->changePosition();
        e.removed = u->textRemoved();
        e.inserted = u->textInserted();
    }
    // The event must name an object that has an interface (what a bridge looks up first).
    if (!event->accessibleInterface())
        e.type = QAccessible::InvalidEvent;
    g_events.append(e);
}

// The recorded events of `type` about `object`.
QList<RecordedEvent> eventsOf(QAccessible::Event type, QObject* object)
{
    QList<RecordedEvent> out;
    for (const RecordedEvent& e : g_events) {
        if (e.type == type && e.object == object)
            out.append(e);
    }
    return out;
}

QByteArray sample()
{
    // "AB", a bell (not printable), then 0x10.. 0x3c: 64 bytes, 4 rows of 16.
    QByteArray data("AB\x07", 3);
    for (int i = 3; i < 64; ++i)
        data.append(char(0x10 + i));
    return data;
}

} // namespace

class TestHexViewAccessible : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void roleNameAndValue();
    void textInterfaceCoversTheCursorRow();
    void selectionThroughTheTextInterface();
    void eventsOnCursorAndSelectionMoves();
    void caretAndRowEventsOnKeys();
    void typingAnnouncesTheNibbleAndTheNewValue();
    void changesByOthersUnderTheCursorAreAnnounced();
    void writeByAnotherProcessIsAnnounced();
    void selectionEventsByMouseAndEscape();
    void newSourceAnnouncesTheNewValue();
    void hugeOffsetsInTheValue();

private:
    std::unique_ptr<MemoryByteSource> m_source;
    std::unique_ptr<HexView> m_view;
};

void TestHexViewAccessible::init()
{
    m_source = std::make_unique<MemoryByteSource>(sample());
    m_view = std::make_unique<HexView>();
    m_view->setScanPaused(true);
    m_view->resize(760, 400);
    m_view->setSource(m_source.get());
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
}

void TestHexViewAccessible::cleanup()
{
    setHexViewAccessibilityEventSink(nullptr);
    g_events.clear();
    m_view.reset();
    m_source.reset();
}

void TestHexViewAccessible::roleNameAndValue()
{
    QAccessibleInterface* iface = QAccessible::queryAccessibleInterface(m_view.get());
    QVERIFY(iface);
    QVERIFY(dynamic_cast<HexViewAccessible*>(iface));
    QCOMPARE(iface->role(), QAccessible::EditableText);
    QCOMPARE(iface->object(), m_view.get());
    QCOMPARE(iface->text(QAccessible::Name), QStringLiteral("Hex view"));
    m_view->setAccessibleName(QStringLiteral("Object posix:/demo"));
    QCOMPARE(iface->text(QAccessible::Name), QStringLiteral("Object posix:/demo"));
    QVERIFY(iface->text(QAccessible::Description).contains(QStringLiteral("64 bytes")));

    QCOMPARE(iface->text(QAccessible::Value), QStringLiteral("offset 0x0: 0x41 'A'"));
    m_view->setCursorOffset(1);
    QCOMPARE(iface->text(QAccessible::Value), QStringLiteral("offset 0x1: 0x42 'B'"));
    m_view->setCursorOffset(2);
    QCOMPARE(iface->text(QAccessible::Value), QStringLiteral("offset 0x2: 0x07")); // not printable
    QTest::keyClick(m_view.get(), Qt::Key_Down);
    QCOMPARE(iface->text(QAccessible::Value), QStringLiteral("offset 0x12: 0x22 '\"'"));

    QVERIFY(iface->state().editable);
    QVERIFY(iface->state().focusable);
    m_source->setWritable(false);
    QVERIFY(!iface->state().editable);
    QVERIFY(iface->state().readOnly);

    m_view->setSource(nullptr);
    QCOMPARE(iface->text(QAccessible::Value), QStringLiteral("empty"));
}

void TestHexViewAccessible::textInterfaceCoversTheCursorRow()
{
    QAccessibleInterface* iface = QAccessible::queryAccessibleInterface(m_view.get());
    QAccessibleTextInterface* text = iface->textInterface();
    QVERIFY(text);
    QCOMPARE(text->characterCount(), 16 * 3 - 1);
    QCOMPARE(text->text(0, 8), QStringLiteral("41 42 07"));
    QCOMPARE(text->cursorPosition(), 0);
    m_view->setCursorOffset(2);
    QCOMPARE(text->cursorPosition(), 6);
    QTest::keyClicks(m_view.get(), QStringLiteral("4")); // high nibble typed: the caret is on the low one
    QCOMPARE(text->cursorPosition(), 7);
    int start = -1;
    int end = -1;
    QCOMPARE(text->textAtOffset(7, QAccessible::WordBoundary, &start, &end), QStringLiteral("47"));
    QCOMPARE(start, 6);
    QCOMPARE(end, 8);

    // The caret moved by the screen reader moves the view's cursor, within the row.
    text->setCursorPosition(9);
    QCOMPARE(m_view->cursorOffset(), 3u);
    // On the second row the text is that row.
    m_view->setCursorOffset(0x11);
    QCOMPARE(text->text(0, 5), QStringLiteral("20 21"));
    QCOMPARE(text->cursorPosition(), 3);
    const QRect rect = text->characterRect(3);
    QVERIFY(rect.isValid());
    QCOMPARE(text->offsetAtPoint(rect.center()) / 3, 1);
}

void TestHexViewAccessible::selectionThroughTheTextInterface()
{
    QAccessibleInterface* iface = QAccessible::queryAccessibleInterface(m_view.get());
    QAccessibleTextInterface* text = iface->textInterface();
    QCOMPARE(text->selectionCount(), 0);
    m_view->setSelection(1, 2); // bytes 1 and 2; the cursor is on byte 2
    QCOMPARE(text->selectionCount(), 1);
    int start = -1;
    int end = -1;
    text->selection(0, &start, &end);
    QCOMPARE(start, 3);
    QCOMPARE(end, 8);
    QCOMPARE(text->text(start, end), QStringLiteral("42 07"));
    QVERIFY(iface->text(QAccessible::Description).contains(QStringLiteral("selected 0x1 to 0x2, 2 bytes")));

    // Selecting through the interface selects in the view.
    text->setSelection(0, 6, 14); // "07 13 14" -> bytes 2..4
    QCOMPARE(m_view->selectionStart(), 2u);
    QCOMPARE(m_view->selectionLength(), 3u);
    text->removeSelection(0);
    QVERIFY(!m_view->hasSelection());
}

void TestHexViewAccessible::eventsOnCursorAndSelectionMoves()
{
    g_events.clear();
    QVERIFY(setHexViewAccessibilityEventSink(recordEvent) == nullptr);
    m_view->setCursorOffset(0x10);
    bool valueSeen = false;
    bool caretSeen = false;
    for (const RecordedEvent& e : g_events) {
        if (e.object != m_view.get())
            continue;
        if (e.type == QAccessible::ValueChanged && e.value == QStringLiteral("offset 0x10: 0x20 ' '"))
            valueSeen = true;
        if (e.type == QAccessible::TextCaretMoved && e.cursor == 0)
            caretSeen = true;
    }
    QVERIFY(valueSeen);
    QVERIFY(caretSeen);

    g_events.clear();
    QTest::keyClick(m_view.get(), Qt::Key_Right, Qt::ShiftModifier); // select 0x10..0x11
    bool selectionSeen = false;
    for (const RecordedEvent& e : g_events) {
        if (e.object == m_view.get() && e.type == QAccessible::TextSelectionChanged && e.selectionStart == 0
            && e.selectionEnd == 5)
            selectionSeen = true;
    }
    QVERIFY(selectionSeen);
    QCOMPARE(eventsOf(QAccessible::DescriptionChanged, m_view.get()).size(), 1);
    QCOMPARE(eventsOf(QAccessible::InvalidEvent, m_view.get()).size(), 0);
}

void TestHexViewAccessible::caretAndRowEventsOnKeys()
{
    setHexViewAccessibilityEventSink(recordEvent);
    m_view->setFocus();
    const QString row0 = QStringLiteral("41 42 07 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f");
    const QString row1 = QStringLiteral("20 21 22 23 24 25 26 27 28 29 2a 2b 2c 2d 2e 2f");

    // Along the row: the value and the caret, the row text stays.
    QTest::keyClick(m_view.get(), Qt::Key_Right);
    QCOMPARE(eventsOf(QAccessible::ValueChanged, m_view.get()).size(), 1);
    QCOMPARE(eventsOf(QAccessible::ValueChanged, m_view.get()).at(0).value, QStringLiteral("offset 0x1: 0x42 'B'"));
    QCOMPARE(eventsOf(QAccessible::TextCaretMoved, m_view.get()).size(), 1);
    QCOMPARE(eventsOf(QAccessible::TextCaretMoved, m_view.get()).at(0).cursor, 3);
    QCOMPARE(eventsOf(QAccessible::TextUpdated, m_view.get()).size(), 0);

    // To the next row: the text interface now covers another row, and says so.
    g_events.clear();
    QTest::keyClick(m_view.get(), Qt::Key_Down);
    const QList<RecordedEvent> updates = eventsOf(QAccessible::TextUpdated, m_view.get());
    QCOMPARE(updates.size(), 1);
    QCOMPARE(updates.at(0).position, 0);
    QCOMPARE(updates.at(0).removed, row0);
    QCOMPARE(updates.at(0).inserted, row1);
    QCOMPARE(eventsOf(QAccessible::ValueChanged, m_view.get()).at(0).value, QStringLiteral("offset 0x11: 0x21 '!'"));
    QCOMPARE(eventsOf(QAccessible::TextCaretMoved, m_view.get()).at(0).cursor, 3);

    // Tab to the ASCII pane: the same byte, so no new value, but the caret is announced.
    g_events.clear();
    QTest::keyClick(m_view.get(), Qt::Key_Tab);
    QCOMPARE(m_view->cursorPane(), HexView::Pane::Ascii);
    QCOMPARE(eventsOf(QAccessible::TextCaretMoved, m_view.get()).size(), 1);
    QCOMPARE(eventsOf(QAccessible::ValueChanged, m_view.get()).size(), 0);

    // Ctrl+End: the last byte.
    g_events.clear();
    QTest::keyClick(m_view.get(), Qt::Key_End, Qt::ControlModifier);
    QCOMPARE(eventsOf(QAccessible::ValueChanged, m_view.get()).last().value, QStringLiteral("offset 0x3f: 0x4f 'O'"));
    QCOMPARE(eventsOf(QAccessible::TextCaretMoved, m_view.get()).last().cursor, 15 * 3);
    QCOMPARE(eventsOf(QAccessible::InvalidEvent, m_view.get()).size(), 0);
}

void TestHexViewAccessible::typingAnnouncesTheNibbleAndTheNewValue()
{
    m_view->setFocus();
    m_view->setCursorOffset(2); // 0x07
    setHexViewAccessibilityEventSink(recordEvent);

    // The high nibble: "07" becomes "47"; the caret goes to the low nibble (the cursor stays on the byte).
    QTest::keyClicks(m_view.get(), QStringLiteral("4"));
    QList<RecordedEvent> updates = eventsOf(QAccessible::TextUpdated, m_view.get());
    QCOMPARE(updates.size(), 1);
    QCOMPARE(updates.at(0).position, 6);
    QCOMPARE(updates.at(0).removed, QStringLiteral("0"));
    QCOMPARE(updates.at(0).inserted, QStringLiteral("4"));
    QCOMPARE(eventsOf(QAccessible::ValueChanged, m_view.get()).size(), 1);
    QCOMPARE(eventsOf(QAccessible::ValueChanged, m_view.get()).at(0).value, QStringLiteral("offset 0x2: 0x47 'G'"));
    QCOMPARE(eventsOf(QAccessible::TextCaretMoved, m_view.get()).size(), 1);
    QCOMPARE(eventsOf(QAccessible::TextCaretMoved, m_view.get()).at(0).cursor, 7);

    // The low nibble: "47" becomes "41", then the cursor moves on to the next byte.
    g_events.clear();
    QTest::keyClicks(m_view.get(), QStringLiteral("1"));
    updates = eventsOf(QAccessible::TextUpdated, m_view.get());
    QCOMPARE(updates.size(), 1);
    QCOMPARE(updates.at(0).position, 7);
    QCOMPARE(updates.at(0).removed, QStringLiteral("7"));
    QCOMPARE(updates.at(0).inserted, QStringLiteral("1"));
    const QList<RecordedEvent> values = eventsOf(QAccessible::ValueChanged, m_view.get());
    QCOMPARE(values.size(), 2);
    QCOMPARE(values.at(0).value, QStringLiteral("offset 0x2: 0x41 'A'"));
    QCOMPARE(values.at(1).value, QStringLiteral("offset 0x3: 0x13"));
    QCOMPARE(eventsOf(QAccessible::TextCaretMoved, m_view.get()).last().cursor, 9);

    // Undo restores the byte: announced like any other change of the row.
    g_events.clear();
    QTest::keyClick(m_view.get(), Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(m_source->peek(2, 1), QByteArray("\x07"));
    updates = eventsOf(QAccessible::TextUpdated, m_view.get());
    QCOMPARE(updates.size(), 1);
    QCOMPARE(updates.at(0).position, 6);
    QCOMPARE(updates.at(0).removed, QStringLiteral("41"));
    QCOMPARE(updates.at(0).inserted, QStringLiteral("07"));
}

void TestHexViewAccessible::changesByOthersUnderTheCursorAreAnnounced()
{
    m_view->setPollInterval(0); // the test polls
    m_view->setCursorOffset(0x11); // '!'
    setHexViewAccessibilityEventSink(recordEvent);

    // Another writer that does not notify: found by the poll.
    m_source->modifyExternally(0x11, QByteArray("Q"));
    m_view->pollNow();
    QList<RecordedEvent> updates = eventsOf(QAccessible::TextUpdated, m_view.get());
    QCOMPARE(updates.size(), 1);
    QCOMPARE(updates.at(0).position, 3);
    QCOMPARE(updates.at(0).removed, QStringLiteral("2"));
    QCOMPARE(updates.at(0).inserted, QStringLiteral("5"));
    QCOMPARE(eventsOf(QAccessible::ValueChanged, m_view.get()).size(), 1);
    QCOMPARE(eventsOf(QAccessible::ValueChanged, m_view.get()).at(0).value, QStringLiteral("offset 0x11: 0x51 'Q'"));
    QCOMPARE(eventsOf(QAccessible::TextCaretMoved, m_view.get()).size(), 0); // the caret did not move

    // A change on another row is not the screen reader's business.
    g_events.clear();
    m_source->modifyExternally(0x30, QByteArray("xyz"));
    m_view->pollNow();
    QVERIFY(m_view->isHighlighted(0x30)); // the view did see it
    QCOMPARE(g_events.size(), 0);

    // A change on the cursor's row but not under the cursor: the text, not the value.
    m_source->modifyExternally(0x1f, QByteArray(1, '\0')); // "1f" -> "00", the last two characters
    m_view->pollNow();
    QCOMPARE(eventsOf(QAccessible::TextUpdated, m_view.get()).size(), 1);
    QCOMPARE(eventsOf(QAccessible::TextUpdated, m_view.get()).at(0).position, 15 * 3);
    QCOMPARE(eventsOf(QAccessible::TextUpdated, m_view.get()).at(0).inserted, QStringLiteral("00"));
    QCOMPARE(eventsOf(QAccessible::ValueChanged, m_view.get()).size(), 0);

    // A notification from another instance (ByteSource::announceExternalChange): at once.
    g_events.clear();
    m_source->modifyExternally(0x11, QByteArray("R"));
    m_source->announceExternalChange(0x10, 4);
    QCOMPARE(eventsOf(QAccessible::ValueChanged, m_view.get()).size(), 1);
    QCOMPARE(eventsOf(QAccessible::ValueChanged, m_view.get()).at(0).value, QStringLiteral("offset 0x11: 0x52 'R'"));
}

void TestHexViewAccessible::writeByAnotherProcessIsAnnounced()
{
    // Real shared memory; a separate process writes the byte under the cursor; the view's own poll
    // timer (default 10 Hz) finds it and the screen reader hears the new value.
    Address address;
    address.kind = Kind::Posix;
    address.name = "/shmscope-test-" + std::to_string(QCoreApplication::applicationPid()) + "-a11y";
    CreateOptions options;
    options.size = 64;
    Result<Created> created = createMapping(address, options, Access::ReadWrite);
    QVERIFY2(created, created ? "" : created.error().message().c_str());
    const auto remove = qScopeGuard([&] { (void)removeObject(address); }); // also when a check fails
    const QByteArray data = sample();
    QVERIFY(created->mapping->write(0, data.constData(), std::size_t(data.size())));
    MappingByteSource source(std::move(created->mapping));
    m_view->setSource(&source);
    const auto detach = qScopeGuard([this] { m_view->setSource(nullptr); }); // before `source` goes
    m_view->setCursorOffset(5);
    setHexViewAccessibilityEventSink(recordEvent);

    QProcess peer;
    peer.start(QStringLiteral(SHMSCOPE_TESTPEER),
               { QStringLiteral("write"), QString::fromStdString(toString(address)), QStringLiteral("5"),
                 QStringLiteral("Z") });
    const bool finished = peer.waitForFinished(10000);
    QVERIFY(finished);
    QCOMPARE(peer.exitCode(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(!eventsOf(QAccessible::ValueChanged, m_view.get()).isEmpty(), 5000);
    QCOMPARE(eventsOf(QAccessible::ValueChanged, m_view.get()).at(0).value, QStringLiteral("offset 0x5: 0x5a 'Z'"));
    QCOMPARE(eventsOf(QAccessible::TextUpdated, m_view.get()).size(), 1);
    QCOMPARE(eventsOf(QAccessible::TextUpdated, m_view.get()).at(0).inserted, QStringLiteral("5a"));
}

void TestHexViewAccessible::selectionEventsByMouseAndEscape()
{
    setHexViewAccessibilityEventSink(recordEvent);
    QWidget* viewport = m_view->viewport();
    const QPoint from = m_view->cellRect(0x12, HexView::Pane::Hex).center();
    const QPoint to = m_view->cellRect(0x15, HexView::Pane::Hex).center();
    QTest::mousePress(viewport, Qt::LeftButton, Qt::NoModifier, from);
    QMouseEvent move(QEvent::MouseMove, to, viewport->mapToGlobal(to), Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(viewport, &move);
    QTest::mouseRelease(viewport, Qt::LeftButton, Qt::NoModifier, to);
    QCOMPARE(m_view->selectionLength(), 4u);
    const QList<RecordedEvent> selections = eventsOf(QAccessible::TextSelectionChanged, m_view.get());
    QVERIFY(!selections.isEmpty());
    QCOMPARE(selections.last().selectionStart, 2 * 3); // "22 23 24 25" on the row of 0x10
    QCOMPARE(selections.last().selectionEnd, 6 * 3 - 1);
    QAccessibleInterface* iface = QAccessible::queryAccessibleInterface(m_view.get());
    QVERIFY(iface->text(QAccessible::Description).contains(QStringLiteral("selected 0x12 to 0x15, 4 bytes")));
    QVERIFY(!eventsOf(QAccessible::DescriptionChanged, m_view.get()).isEmpty());

    g_events.clear();
    m_view->setFocus();
    QTest::keyClick(m_view.get(), Qt::Key_Escape);
    QVERIFY(!m_view->hasSelection());
    const QList<RecordedEvent> cleared = eventsOf(QAccessible::TextSelectionChanged, m_view.get());
    QCOMPARE(cleared.size(), 1);
    QCOMPARE(cleared.at(0).selectionStart, -1);
    QCOMPARE(cleared.at(0).selectionEnd, -1);
    QVERIFY(!iface->text(QAccessible::Description).contains(QStringLiteral("selected")));
}

void TestHexViewAccessible::newSourceAnnouncesTheNewValue()
{
    setHexViewAccessibilityEventSink(recordEvent);
    MemoryByteSource other(QByteArray("xyz"));
    m_view->setSource(&other); // the cursor was at 0 already: no cursor move, but other bytes under it
    QCOMPARE(eventsOf(QAccessible::ValueChanged, m_view.get()).size(), 1);
    QCOMPARE(eventsOf(QAccessible::ValueChanged, m_view.get()).at(0).value, QStringLiteral("offset 0x0: 0x78 'x'"));
    QCOMPARE(eventsOf(QAccessible::TextUpdated, m_view.get()).at(0).inserted, QStringLiteral("78 79 7a"));

    // Shrunk by someone else to one byte: the row is shorter.
    g_events.clear();
    m_view->setCursorOffset(0);
    other.resizeExternally(1);
    m_view->pollNow();
    QCOMPARE(eventsOf(QAccessible::TextUpdated, m_view.get()).size(), 1);
    QCOMPARE(eventsOf(QAccessible::TextUpdated, m_view.get()).at(0).removed, QStringLiteral(" 79 7a"));

    g_events.clear();
    m_view->setSource(nullptr);
    QCOMPARE(eventsOf(QAccessible::ValueChanged, m_view.get()).size(), 1);
    QCOMPARE(eventsOf(QAccessible::ValueChanged, m_view.get()).at(0).value, QStringLiteral("empty"));
}

void TestHexViewAccessible::hugeOffsetsInTheValue()
{
    MemoryByteSource huge(quint64(64) << 30);
    huge.modifyExternally((quint64(48) << 30) + 5, QByteArray("Z"));
    m_view->setSource(&huge);
    m_view->setCursorOffset((quint64(48) << 30) + 5);
    QAccessibleInterface* iface = QAccessible::queryAccessibleInterface(m_view.get());
    QCOMPARE(iface->text(QAccessible::Value), QStringLiteral("offset 0xc00000005: 0x5a 'Z'"));
    QCOMPARE(iface->textInterface()->cursorPosition(), 5 * 3);
    m_view->setSource(nullptr); // before `huge` goes
}

QTEST_MAIN(TestHexViewAccessible)
#include "tst_hexviewaccessible.moc"
