// Tests of TextView: typing writes the string and its NUL in one write, outside changes reload the
// text without being written back, and edits that do not fit are refused and undone.
#include "widgets/memorybytesource.h"
#include "widgets/textview.h"

#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QTextCursor>
#include <memory>

using namespace shmscope;

namespace {

// QTest::keyClicks() takes Latin-1 only; this sends any characters as key events with that text.
void typeUnicode(QWidget* widget, const QString& text)
{
    for (const QChar ch : text)
        QTest::sendKeyEvent(QTest::Click, widget, Qt::Key_unknown, QString(ch), Qt::NoModifier);
}

} // namespace

class TestTextView : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TextView> makeView(ByteSource* source, quint64 offset = 0)
    {
        auto view = std::make_unique<TextView>();
        view->resize(500, 300);
        view->setSource(source);
        view->setOffset(offset);
        view->show();
        view->activateWindow();
        view->editor()->setFocus();
        if (!QTest::qWaitForWindowExposed(view.get()))
            qWarning("window not exposed");
        return view;
    }

    static void moveEditorCursor(TextView* view, int position)
    {
        QTextCursor cursor = view->editor()->textCursor();
        cursor.setPosition(position);
        view->editor()->setTextCursor(cursor);
    }

private Q_SLOTS:
    void typingWritesStringAndNul();
    void backspaceWritesShorterString();
    void externalChangeReloadsAndKeepsCursor();
    void notificationReloadsAtOnce();
    void writeByAnotherViewReloads();
    void editThatDoesNotFitIsRefused();
    void failedWriteIsRefused();
    void readOnlySourceGivesReadOnlyEditor();
    void utf16le();
    void offsetField_data();
    void offsetField();
    void offsetPastTheEnd();
    void unterminatedStringEndsAtTheEnd();
    void encodingRememberedPerKey();
};

void TestTextView::typingWritesStringAndNul()
{
    MemoryByteSource source(QByteArray(32, 'x'));
    source.modifyExternally(8, QByteArray(2, '\0')); // at 9: an empty string
    auto view = makeView(&source, 9);
    QCOMPARE(view->text(), QString());
    QSignalSpy written(&source, &ByteSource::bytesWritten);

    typeUnicode(view->editor(), QStringLiteral("héllo"));

    QCOMPARE(view->text(), QStringLiteral("héllo"));
    // UTF-8 "héllo" is 6 bytes, then the NUL; bytes behind it stay.
    QCOMPARE(source.peek(8, 10), QByteArray("\0h\xc3\xa9llo\0xx", 10));
    // One write per keystroke, each the whole string plus its NUL.
    QCOMPARE(written.count(), 5);
    QCOMPARE(written.last().at(0).toULongLong(), 9u);
    QCOMPARE(written.last().at(1).toULongLong(), 7u);
    QCOMPARE(written.first().at(1).toULongLong(), 2u);
    QVERIFY(view->message().isEmpty());
}

void TestTextView::backspaceWritesShorterString()
{
    MemoryByteSource source(QByteArray("hello\0\0\0", 8));
    auto view = makeView(&source);
    QCOMPARE(view->text(), QStringLiteral("hello"));
    view->editor()->moveCursor(QTextCursor::End);
    QTest::keyClick(view->editor(), Qt::Key_Backspace);
    QCOMPARE(source.peek(0, 6), QByteArray("hell\0\0", 6));
}

void TestTextView::externalChangeReloadsAndKeepsCursor()
{
    MemoryByteSource source(QByteArray("abcdef\0\0\0\0\0\0\0\0\0\0", 16));
    auto view = makeView(&source);
    view->setPollInterval(20);
    QCOMPARE(view->text(), QStringLiteral("abcdef"));
    moveEditorCursor(view.get(), 4); // abcd|ef
    QSignalSpy written(&source, &ByteSource::bytesWritten);
    QSignalSpy reloaded(view.get(), &TextView::textReloaded);

    source.modifyExternally(0, QByteArray("XYabcdef\0", 9)); // someone inserted "XY" at the front
    QTRY_COMPARE_WITH_TIMEOUT(view->text(), QStringLiteral("XYabcdef"), 5000);
    QCOMPARE(view->editor()->textCursor().position(), 6); // still between d and e
    QVERIFY(reloaded.count() >= 1);

    source.modifyExternally(6, QByteArray("EF!\0", 4)); // a change behind the cursor
    QTRY_COMPARE_WITH_TIMEOUT(view->text(), QStringLiteral("XYabcdEF!"), 5000);
    QCOMPARE(view->editor()->textCursor().position(), 6);

    // Reloading wrote nothing back (no feedback loop).
    QTest::qWait(100);
    QCOMPARE(written.count(), 0);
    QCOMPARE(source.peek(0, 10), QByteArray("XYabcdEF!\0", 10));

    // The user keeps typing at the cursor, into the new text.
    QTest::keyClicks(view->editor(), QStringLiteral("-"));
    QCOMPARE(source.peek(0, 11), QByteArray("XYabcd-EF!\0", 11));
}

void TestTextView::notificationReloadsAtOnce()
{
    MemoryByteSource source(QByteArray("one\0\0\0\0\0", 8));
    auto view = makeView(&source);
    view->setPollInterval(0);
    source.modifyExternally(0, QByteArray("two", 3));
    QTest::qWait(100);
    QCOMPARE(view->text(), QStringLiteral("one")); // no polling, no notification: unchanged

    source.announceExternalChange(1, 1);
    QCOMPARE(view->text(), QStringLiteral("two"));

    // A change far behind the NUL does not concern the string.
    QSignalSpy reloaded(view.get(), &TextView::textReloaded);
    source.modifyExternally(6, QByteArray("z", 1));
    source.announceExternalChange(6, 1);
    QCOMPARE(reloaded.count(), 0);
}

void TestTextView::writeByAnotherViewReloads()
{
    // A hex view of the same window writes into the string through the same source.
    MemoryByteSource source(QByteArray("cat\0\0\0\0\0", 8));
    auto view = makeView(&source);
    view->setPollInterval(0);
    QVERIFY(source.write(0, QByteArray("b", 1)));
    QCOMPARE(view->text(), QStringLiteral("bat"));
}

void TestTextView::editThatDoesNotFitIsRefused()
{
    MemoryByteSource source(quint64(8));
    auto view = makeView(&source, 4);
    QSignalSpy refused(view.get(), &TextView::editRefused);

    QTest::keyClicks(view->editor(), QStringLiteral("abc")); // 3 bytes + NUL = 4..7: fits exactly
    QCOMPARE(source.peek(4, 4), QByteArray("abc\0", 4));
    QCOMPARE(refused.count(), 0);
    QVERIFY(view->message().isEmpty());

    QTest::keyClicks(view->editor(), QStringLiteral("d")); // would end at 9 > 8
    QCOMPARE(refused.count(), 1);
    QCOMPARE(view->text(), QStringLiteral("abc")); // reverted
    QCOMPARE(view->editor()->textCursor().position(), 3);
    QCOMPARE(source.peek(0, 8), QByteArray("\0\0\0\0abc\0", 8)); // nothing written
    QVERIFY(!view->message().isEmpty());
    QVERIFY(view->findChild<QLabel*>() != nullptr);
    bool messageVisible = false;
    for (QLabel* label : view->findChildren<QLabel*>())
        messageVisible |= label->isVisible() && label->text() == view->message();
    QVERIFY(messageVisible);

    // Deleting still works and clears the message.
    QTest::keyClick(view->editor(), Qt::Key_Backspace);
    QCOMPARE(source.peek(4, 3), QByteArray("ab\0", 3));
    QVERIFY(view->message().isEmpty());
}

void TestTextView::failedWriteIsRefused()
{
    MemoryByteSource source(QByteArray("ok\0\0\0\0\0\0", 8));
    auto view = makeView(&source);
    view->editor()->moveCursor(QTextCursor::End);
    QSignalSpy refused(view.get(), &TextView::editRefused);
    source.failNextWrite(QStringLiteral("lock posix:/x: timed out"));
    QTest::keyClicks(view->editor(), QStringLiteral("!"));
    QCOMPARE(refused.count(), 1);
    QVERIFY(refused.at(0).at(0).toString().contains(QLatin1String("timed out")));
    QCOMPARE(view->text(), QStringLiteral("ok"));
    QCOMPARE(source.peek(0, 3), QByteArray("ok\0", 3));
}

void TestTextView::readOnlySourceGivesReadOnlyEditor()
{
    MemoryByteSource source(QByteArray("ro\0\0", 4));
    source.setWritable(false);
    auto view = makeView(&source);
    QVERIFY(view->editor()->isReadOnly());
    QTest::keyClicks(view->editor(), QStringLiteral("zz"));
    QCOMPARE(view->text(), QStringLiteral("ro"));
    QCOMPARE(source.peek(0, 4), QByteArray("ro\0\0", 4));
}

void TestTextView::utf16le()
{
    // Seed 004 stores TCHAR text: UTF-16LE with a two-byte NUL.
    MemoryByteSource source(QByteArray("H\0i\0\0\0\0\0\0\0\0\0", 12));
    auto view = makeView(&source);
    view->setEncoding(TextView::Encoding::Utf16LE);
    QCOMPARE(view->text(), QStringLiteral("Hi"));
    view->editor()->moveCursor(QTextCursor::End);
    typeUnicode(view->editor(), QStringLiteral("€"));
    QCOMPARE(source.peek(0, 8), QByteArray("H\0i\0\xac\x20\0\0", 8));
    // Too long for 12 bytes: "Hi€" + 2 more characters + NUL = 12 fits, a third does not.
    QTest::keyClicks(view->editor(), QStringLiteral("ab"));
    QCOMPARE(source.peek(0, 12),
             QByteArray("H\0i\0\xac\x20"
                        "a\0b\0\0\0",
                        12));
    QSignalSpy refused(view.get(), &TextView::editRefused);
    QTest::keyClicks(view->editor(), QStringLiteral("c"));
    QCOMPARE(refused.count(), 1);
    QCOMPARE(view->text(), QStringLiteral("Hi€ab"));
}

void TestTextView::offsetField_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<quint64>("value");
    QTest::newRow("decimal") << QStringLiteral("16") << true << quint64(16);
    QTest::newRow("hex") << QStringLiteral("0x10") << true << quint64(16);
    QTest::newRow("upper-case hex, spaces") << QStringLiteral("  0XfF ") << true << quint64(255);
    QTest::newRow("largest") << QStringLiteral("0xffffffffffffffff") << true << ~quint64(0);
    QTest::newRow("overflow") << QStringLiteral("18446744073709551616") << false << quint64(0);
    QTest::newRow("negative") << QStringLiteral("-1") << false << quint64(0);
    QTest::newRow("plus") << QStringLiteral("+1") << false << quint64(0);
    QTest::newRow("bare 0x") << QStringLiteral("0x") << false << quint64(0);
    QTest::newRow("empty") << QString() << false << quint64(0);
    QTest::newRow("inner space") << QStringLiteral("1 2") << false << quint64(0);
    QTest::newRow("unit") << QStringLiteral("4K") << false << quint64(0);
    QTest::newRow("hex digits without 0x") << QStringLiteral("ff") << false << quint64(0);
}

void TestTextView::offsetField()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(quint64, value);

    quint64 parsed = 12345;
    QCOMPARE(TextView::parseOffsetText(text, &parsed), valid);
    if (valid)
        QCOMPARE(parsed, value);

    // Through the field: a valid offset moves the view, an invalid one says why and changes nothing.
    MemoryByteSource source(QByteArray("first\0second\0", 13));
    auto view = makeView(&source);
    QSignalSpy offsetChanged(view.get(), &TextView::offsetChanged);
    view->offsetEdit()->setFocus();
    view->offsetEdit()->clear();
    QTest::keyClicks(view->offsetEdit(), text);
    QTest::keyClick(view->offsetEdit(), Qt::Key_Return);
    if (valid) {
        QCOMPARE(view->offset(), value);
        QCOMPARE(offsetChanged.count(), value == 0 ? 0 : 1);
    } else {
        QCOMPARE(view->offset(), 0u);
        QVERIFY(!view->message().isEmpty());
        QCOMPARE(view->text(), QStringLiteral("first"));
    }
}

void TestTextView::offsetPastTheEnd()
{
    MemoryByteSource source(QByteArray("first\0second\0", 13));
    auto view = makeView(&source);
    view->setOffset(6);
    QCOMPARE(view->text(), QStringLiteral("second"));
    view->setOffset(13);
    QCOMPARE(view->text(), QString());
    QVERIFY(view->editor()->isReadOnly());
    QVERIFY(!view->message().isEmpty());

    // The source grows: the offset becomes readable and editable.
    source.resize(20);
    QVERIFY(!view->editor()->isReadOnly());
    QTest::keyClicks(view->editor(), QStringLiteral("3rd"));
    QCOMPARE(source.peek(13, 4), QByteArray("3rd\0", 4));
}

void TestTextView::unterminatedStringEndsAtTheEnd()
{
    MemoryByteSource source(QByteArray("abcdefgh", 8));
    auto view = makeView(&source, 5);
    QCOMPARE(view->text(), QStringLiteral("fgh")); // no NUL: up to the end of the source
    // Any edit needs room for the NUL: "fgh" is already at the end, so typing is refused.
    view->editor()->moveCursor(QTextCursor::End);
    QSignalSpy refused(view.get(), &TextView::editRefused);
    QTest::keyClicks(view->editor(), QStringLiteral("i"));
    QCOMPARE(refused.count(), 1);
    // Deleting one character makes room for the NUL.
    QTest::keyClick(view->editor(), Qt::Key_Backspace);
    QCOMPARE(source.peek(0, 8), QByteArray("abcdefg\0", 8));
}

void TestTextView::encodingRememberedPerKey()
{
    QStandardPaths::setTestModeEnabled(true); // QSettings of the test, not the user's
    const QString keyA = QStringLiteral("test/encoding/a");
    const QString keyB = QStringLiteral("test/encoding/b");
    QSettings().remove(QStringLiteral("test"));

    MemoryByteSource source(QByteArray("H\0i\0\0\0\0\0", 8));
    TextView view;
    view.setSource(&source);
    QCOMPARE(view.text(), QStringLiteral("H")); // UTF-8 stops at the first zero byte

    // A key nothing was stored under: the default; then the user's choice is stored under it.
    view.setEncodingSettingsKey(keyA);
    QCOMPARE(view.encoding(), TextView::Encoding::Utf8);
    view.setEncoding(TextView::Encoding::Utf16LE);
    QCOMPARE(view.text(), QStringLiteral("Hi"));
    QCOMPARE(QSettings().value(keyA).toString(), QStringLiteral("utf-16le"));

    // Another key (another object) has its own encoding; coming back restores the first one's.
    view.setEncodingSettingsKey(keyB);
    QCOMPARE(view.encoding(), TextView::Encoding::Utf8);
    QCOMPARE(view.text(), QStringLiteral("H"));
    view.setEncodingSettingsKey(keyA);
    QCOMPARE(view.encoding(), TextView::Encoding::Utf16LE);
    QCOMPARE(view.text(), QStringLiteral("Hi"));

    // A new view (a restarted application) given the same key starts with the remembered encoding.
    TextView later;
    later.setEncodingSettingsKey(keyA);
    later.setSource(&source);
    QCOMPARE(later.encoding(), TextView::Encoding::Utf16LE);
    QCOMPARE(later.text(), QStringLiteral("Hi"));

    // Without a key nothing is stored.
    TextView unkeyed;
    unkeyed.setEncoding(TextView::Encoding::Utf16LE);
    QVERIFY(!QSettings().contains(keyB)); // B was only read, never chosen
    QSettings().remove(QStringLiteral("test"));
}

QTEST_MAIN(TestTextView)
#include "tst_textview.moc"
