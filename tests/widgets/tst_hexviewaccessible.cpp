// Tests of HexView's accessibility: what QAccessible::queryAccessibleInterface() gives a screen reader
// (role, name, description, the value under the cursor, the text interface over the cursor's row and
// its selection) and the events sent when the cursor or the selection moves.
#include "widgets/hexview.h"
#include "widgets/hexviewaccessible.h"
#include "widgets/memorybytesource.h"

#include <QAccessible>
#include <QSignalSpy>
#include <QTest>
#include <memory>

using namespace shmscope;

namespace {

struct RecordedEvent {
    QAccessible::Event type;
    QObject* object;
    QString value; // for ValueChanged
    int cursor = -1; // for TextCaretMoved / TextSelectionChanged
    int selectionStart = -1;
    int selectionEnd = -1;
};
QList<RecordedEvent> g_events;

void recordEvent(QAccessibleEvent* event)
{
    RecordedEvent e { event->type(), event->object(), {} };
    if (event->type() == QAccessible::ValueChanged)
        e.value = static_cast<QAccessibleValueChangeEvent*>(event)->value().toString();
    if (event->type() == QAccessible::TextCaretMoved)
        e.cursor = static_cast<QAccessibleTextCursorEvent*>(event)->cursorPosition();
    if (event->type() == QAccessible::TextSelectionChanged) {
        auto* s = static_cast<QAccessibleTextSelectionEvent*>(event);
        e.selectionStart = s->selectionStart();
        e.selectionEnd = s->selectionEnd();
    }
    g_events.append(e);
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
    QAccessible::installUpdateHandler(recordEvent);
    QAccessible::setActive(true);
    if (!QAccessible::isActive()) {
        QAccessible::installUpdateHandler(nullptr);
        QSKIP("this platform plugin cannot activate accessibility");
    }
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
    QAccessible::installUpdateHandler(nullptr);
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
