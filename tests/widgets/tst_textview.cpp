// Tests of TextView: typing writes the string and its NUL in one write, outside changes reload the
// text without being written back, and edits that do not fit are refused and undone. Concurrent
// writers: an edit that loses the race is rebased onto the other writer's text (the transform alone,
// a source that lets another write slip in before each compare-and-write, and a real POSIX object
// written through a second MappingByteSource between keys and by a second thread while typing).
#include "core/mapping.h"
#include "widgets/mappingbytesource.h"
#include "widgets/memorybytesource.h"
#include "widgets/textview.h"

#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <unistd.h>

using namespace shmscope;

namespace {

// QTest::keyClicks() takes Latin-1 only; this sends any characters as key events with that text.
void typeUnicode(QWidget* widget, const QString& text)
{
    for (const QChar ch : text)
        QTest::sendKeyEvent(QTest::Click, widget, Qt::Key_unknown, QString(ch), Qt::NoModifier);
}

// A MemoryByteSource on which "another writer" gets in first: each queued action runs right before
// one compare-and-write, as if another process had written just after this view last looked.
class RacingByteSource : public MemoryByteSource
{
public:
    using MemoryByteSource::MemoryByteSource;
    QList<std::function<void()>> beforeWrite; // consumed one per writeIf()
    int writeIfCalls = 0;

    bool writeIf(quint64 offset, const QByteArray& bytes, const std::function<bool()>& check,
                 bool* checkFailed = nullptr) override
    {
        ++writeIfCalls;
        if (!beforeWrite.isEmpty())
            beforeWrite.takeFirst()();
        return MemoryByteSource::writeIf(offset, bytes, check, checkFailed);
    }
};

// The text filtered to the characters of `set`: one writer's characters in a merged text.
QString only(const QString& text, const QString& set)
{
    QString result;
    for (const QChar c : text) {
        if (set.contains(c))
            result.append(c);
    }
    return result;
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
    void editBetween_data();
    void editBetween();
    void rebaseEdit_data();
    void rebaseEdit();
    void lostRaceIsMerged();
    void mergeAfterSeveralLostRaces();
    void mergeKeepsUtf16Text();
    void mergeThatDoesNotFitIsRefused();
    void mergeGivesUpAfterMaxAttempts();
    void posixObjectWrittenBetweenKeys();
    void typingIsUndoneInSteps();
    void undoFollowsOthersChanges();
    void undoThatLosesTheRaceIsMerged();
    void reloadAboveKeepsTheFirstVisibleLine();
    void mergeAboveKeepsTheFirstVisibleLine();
    void posixObjectWrittenByAnotherThread();
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

void TestTextView::editBetween_data()
{
    QTest::addColumn<QString>("before");
    QTest::addColumn<QString>("after");
    QTest::addColumn<qsizetype>("endHint");
    QTest::addColumn<qsizetype>("position");
    QTest::addColumn<qsizetype>("removed");
    QTest::addColumn<QString>("inserted");
    QTest::newRow("typed at the end") << QStringLiteral("abc") << QStringLiteral("abcd") << qsizetype(-1)
                                      << qsizetype(3) << qsizetype(0) << QStringLiteral("d");
    QTest::newRow("typed into a run, no hint: last place")
        << QStringLiteral("aaab") << QStringLiteral("aaaab") << qsizetype(-1) << qsizetype(3) << qsizetype(0)
        << QStringLiteral("a");
    QTest::newRow("typed into a run, cursor says where")
        << QStringLiteral("aaab") << QStringLiteral("aaaab") << qsizetype(3) << qsizetype(2) << qsizetype(0)
        << QStringLiteral("a");
    QTest::newRow("backspace in a run") << QStringLiteral("xaab") << QStringLiteral("xab") << qsizetype(1)
                                        << qsizetype(1) << qsizetype(1) << QString();
    QTest::newRow("selection replaced") << QStringLiteral("hello world") << QStringLiteral("hello there")
                                        << qsizetype(11) << qsizetype(6) << qsizetype(5) << QStringLiteral("there");
    QTest::newRow("identical") << QStringLiteral("abc") << QStringLiteral("abc") << qsizetype(-1) << qsizetype(3)
                               << qsizetype(0) << QString();
    QTest::newRow("from empty") << QString() << QStringLiteral("xy") << qsizetype(2) << qsizetype(0) << qsizetype(0)
                                << QStringLiteral("xy");
    // U+1F600 and U+1F601 share their high surrogate: the edit takes the whole pair.
    QTest::newRow("surrogate pair kept whole")
        << QStringLiteral("a\U0001F600b") << QStringLiteral("a\U0001F601b") << qsizetype(-1) << qsizetype(1)
        << qsizetype(2) << QStringLiteral("\U0001F601");
    QTest::newRow("surrogate pair kept whole, hint")
        << QStringLiteral("a\U0001F600b") << QStringLiteral("a\U0001F601b") << qsizetype(3) << qsizetype(1)
        << qsizetype(2) << QStringLiteral("\U0001F601");
}

void TestTextView::editBetween()
{
    QFETCH(QString, before);
    QFETCH(QString, after);
    QFETCH(qsizetype, endHint);
    QFETCH(qsizetype, position);
    QFETCH(qsizetype, removed);
    QFETCH(QString, inserted);
    const TextView::Edit edit = TextView::editBetween(before, after, endHint);
    QCOMPARE(edit.position, position);
    QCOMPARE(edit.removed, removed);
    QCOMPARE(edit.inserted, inserted);
    QCOMPARE(TextView::applyEdit(before, edit), after);
}

void TestTextView::rebaseEdit_data()
{
    QTest::addColumn<QString>("base");
    QTest::addColumn<QString>("localText"); // base with the local edit
    QTest::addColumn<qsizetype>("localCursor"); // where the local user's cursor is in localText
    QTest::addColumn<QString>("remoteText"); // base with the other writer's edit
    QTest::addColumn<QString>("merged");
    QTest::addColumn<qsizetype>("cursor"); // the local user's cursor in the merged text

    QTest::newRow("ours before theirs") << QStringLiteral("hello world") << QStringLiteral("Ahello world")
                                        << qsizetype(1) << QStringLiteral("hello world!")
                                        << QStringLiteral("Ahello world!") << qsizetype(1);
    QTest::newRow("ours behind theirs") << QStringLiteral("hello world") << QStringLiteral("hello world!")
                                        << qsizetype(12) << QStringLiteral("Ahello world")
                                        << QStringLiteral("Ahello world!") << qsizetype(13);
    QTest::newRow("both typed at the end: ours first")
        << QStringLiteral("ab") << QStringLiteral("abx") << qsizetype(3) << QStringLiteral("ab1")
        << QStringLiteral("abx1") << qsizetype(3);
    QTest::newRow("both typed into an empty text") << QString() << QStringLiteral("a") << qsizetype(1)
                                                   << QStringLiteral("1") << QStringLiteral("a1") << qsizetype(1);
    QTest::newRow("they deleted before our cursor") << QStringLiteral("abc") << QStringLiteral("abcd") << qsizetype(4)
                                                    << QStringLiteral("bc") << QStringLiteral("bcd") << qsizetype(3);
    QTest::newRow("both deleted the same character") << QStringLiteral("abc") << QStringLiteral("ac") << qsizetype(1)
                                                     << QStringLiteral("ac") << QStringLiteral("ac") << qsizetype(1);
    QTest::newRow("overlapping deletions") << QStringLiteral("abcdef") << QStringLiteral("aef") << qsizetype(1)
                                           << QStringLiteral("abf") << QStringLiteral("af") << qsizetype(1);
    QTest::newRow("we typed inside what they replaced")
        << QStringLiteral("abcdef") << QStringLiteral("abcXdef") << qsizetype(4) << QStringLiteral("a123f")
        << QStringLiteral("a123Xf") << qsizetype(5);
    QTest::newRow("our replacement covers their insertion")
        << QStringLiteral("abcdef") << QStringLiteral("aZf") << qsizetype(2) << QStringLiteral("abc9def")
        << QStringLiteral("aZ9f") << qsizetype(2);
    QTest::newRow("their replacement covers our insertion")
        << QStringLiteral("abcdef") << QStringLiteral("abcXdef") << qsizetype(4) << QStringLiteral("aZf")
        << QStringLiteral("aZXf") << qsizetype(3);
    QTest::newRow("non-ASCII, far apart")
        << QStringLiteral("über") << QStringLiteral("übers") << qsizetype(5) << QStringLiteral("\U0001F600über")
        << QStringLiteral("\U0001F600übers") << qsizetype(7);
}

void TestTextView::rebaseEdit()
{
    QFETCH(QString, base);
    QFETCH(QString, localText);
    QFETCH(qsizetype, localCursor);
    QFETCH(QString, remoteText);
    QFETCH(QString, merged);
    QFETCH(qsizetype, cursor);
    const TextView::Edit local = TextView::editBetween(base, localText, localCursor);
    const TextView::Edit remote = TextView::editBetween(base, remoteText);
    qsizetype insertedEnd = -1;
    const TextView::Edit rebased = TextView::rebaseEdit(local, remote, &insertedEnd);
    QCOMPARE(TextView::applyEdit(remoteText, rebased), merged);
    QCOMPARE(insertedEnd, cursor);
    // Both inserted texts survive.
    QVERIFY(merged.contains(local.inserted));
    QVERIFY(merged.contains(remote.inserted));
}

void TestTextView::lostRaceIsMerged()
{
    RacingByteSource source(QByteArray(32, '\0'));
    source.modifyExternally(0, QByteArray("hello\0", 6));
    auto view = makeView(&source);
    view->setPollInterval(0); // the view learns of the other writer only through its failed check
    view->editor()->moveCursor(QTextCursor::End);
    QSignalSpy refused(view.get(), &TextView::editRefused);
    QSignalSpy merged(view.get(), &TextView::editMerged);

    // Another writer inserts "HEY " at the front after the view last looked; the user types "!".
    source.beforeWrite.append([&source] { source.modifyExternally(0, QByteArray("HEY hello\0", 10)); });
    QTest::keyClicks(view->editor(), QStringLiteral("!"));

    QCOMPARE(source.peek(0, 11), QByteArray("HEY hello!\0", 11)); // both survive
    QCOMPARE(view->text(), QStringLiteral("HEY hello!"));
    QCOMPARE(view->editor()->textCursor().position(), 10); // behind the user's own "!"
    QCOMPARE(merged.count(), 1);
    QCOMPARE(merged.at(0).at(0).toInt(), 2);
    QCOMPARE(refused.count(), 0);
    QVERIFY(view->message().isEmpty());

    // The user keeps typing where the cursor is; no race this time: one write.
    source.writeIfCalls = 0;
    QTest::keyClicks(view->editor(), QStringLiteral("?"));
    QCOMPARE(source.writeIfCalls, 1);
    QCOMPARE(source.peek(0, 12), QByteArray("HEY hello!?\0", 12));
    QCOMPARE(merged.count(), 1);

    // Undo takes back the user's own typing ("!?", one step), never the other writer's "HEY ".
    QVERIFY(view->canUndo());
    QTest::keyClick(view->editor(), Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(source.peek(0, 10), QByteArray("HEY hello\0", 10));
    QCOMPARE(view->text(), QStringLiteral("HEY hello"));
    QCOMPARE(view->editor()->textCursor().position(), 9);
    QVERIFY(!view->canUndo());
    QTest::keyClick(view->editor(), Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier); // redo
    QCOMPARE(source.peek(0, 12), QByteArray("HEY hello!?\0", 12));
    QCOMPARE(view->editor()->textCursor().position(), 11);
}

void TestTextView::mergeAfterSeveralLostRaces()
{
    // The other writer wins three races in a row (types 1, 2, 3 in front of the cursor's text); the
    // user's deletion of "b" and the typed "X" are rebased each time.
    RacingByteSource source(QByteArray(32, '\0'));
    source.modifyExternally(0, QByteArray("abc\0", 4));
    auto view = makeView(&source);
    view->setPollInterval(0);
    moveEditorCursor(view.get(), 2); // ab|c
    QSignalSpy merged(view.get(), &TextView::editMerged);
    source.beforeWrite.append([&source] { source.modifyExternally(0, QByteArray("1abc\0", 5)); });
    source.beforeWrite.append([&source] { source.modifyExternally(0, QByteArray("12abc\0", 6)); });
    source.beforeWrite.append([&source] { source.modifyExternally(0, QByteArray("12abc3\0", 7)); });
    QTest::keyClick(view->editor(), Qt::Key_Backspace);
    QCOMPARE(source.peek(0, 7), QByteArray("12ac3\0", 6).append('\0'));
    QCOMPARE(merged.count(), 1);
    QCOMPARE(merged.at(0).at(0).toInt(), 4);
    QCOMPARE(view->text(), QStringLiteral("12ac3"));
    QCOMPARE(view->editor()->textCursor().position(), 3); // 12a|c3
    QTest::keyClicks(view->editor(), QStringLiteral("X"));
    QCOMPARE(source.peek(0, 7), QByteArray("12aXc3\0", 7));
}

void TestTextView::mergeKeepsUtf16Text()
{
    // TCHAR text (seed 004): the other writer's change and ours are merged in UTF-16LE.
    RacingByteSource source(QByteArray(32, '\0'));
    source.modifyExternally(0, QByteArray("a\0b\0\0\0", 6));
    auto view = makeView(&source);
    view->setEncoding(TextView::Encoding::Utf16LE);
    view->setPollInterval(0);
    view->editor()->moveCursor(QTextCursor::End);
    source.beforeWrite.append([&source] {
        source.modifyExternally(0,
                                QByteArray("\xac\x20"
                                           "a\0b\0\0\0",
                                           8));
    }); // "€ab"
    typeUnicode(view->editor(), QStringLiteral("é"));
    QCOMPARE(view->text(), QStringLiteral("€abé"));
    QCOMPARE(source.peek(0, 10),
             QByteArray("\xac\x20"
                        "a\0b\0\xe9\0\0\0",
                        10));
    QCOMPARE(view->editor()->textCursor().position(), 4);
}

void TestTextView::mergeThatDoesNotFitIsRefused()
{
    // Capacity 8 bytes: "ab" + the user's "x" fits, but not on top of the other writer's "abcdefg".
    RacingByteSource source(QByteArray(8, '\0'));
    source.modifyExternally(0, QByteArray("ab\0", 3));
    auto view = makeView(&source);
    view->setPollInterval(0);
    view->editor()->moveCursor(QTextCursor::End);
    QSignalSpy refused(view.get(), &TextView::editRefused);
    QSignalSpy merged(view.get(), &TextView::editMerged);
    source.beforeWrite.append([&source] { source.modifyExternally(0, QByteArray("abcdefg\0", 8)); });
    QTest::keyClicks(view->editor(), QStringLiteral("x"));

    QCOMPARE(source.peek(0, 8), QByteArray("abcdefg\0", 8)); // the other writer's text stays whole
    QCOMPARE(view->text(), QStringLiteral("abcdefg")); // and is what the user sees
    QCOMPARE(merged.count(), 0);
    QCOMPARE(refused.count(), 1);
    // The message says why and quotes what was not written.
    QCOMPARE(view->message(), refused.at(0).at(0).toString());
    QVERIFY(view->message().contains(QStringLiteral("“x”")));
    QVERIFY(view->message().contains(QStringLiteral("does not fit")));

    // Deleting makes room again: a plain edit on the text now shown.
    view->editor()->moveCursor(QTextCursor::End);
    QTest::keyClick(view->editor(), Qt::Key_Backspace);
    QCOMPARE(source.peek(0, 8), QByteArray("abcdef\0\0", 8));
    QVERIFY(view->message().isEmpty());
}

void TestTextView::mergeGivesUpAfterMaxAttempts()
{
    // Another writer that wins every race: the edit is retried a bounded number of times, then
    // refused with a message; what the other wrote is shown.
    RacingByteSource source(QByteArray(256, '\0'));
    auto view = makeView(&source);
    view->setPollInterval(0);
    for (int i = 0; i < TextView::kMaxMergeAttempts; ++i) {
        source.beforeWrite.append([&source, i] { source.modifyExternally(0, QByteArray(i + 1, '1').append('\0')); });
    }
    QSignalSpy refused(view.get(), &TextView::editRefused);
    QTest::keyClicks(view->editor(), QStringLiteral("a"));
    QCOMPARE(source.writeIfCalls, TextView::kMaxMergeAttempts);
    QCOMPARE(refused.count(), 1);
    QVERIFY(view->message().contains(QStringLiteral("“a”")));
    const QByteArray theirs(TextView::kMaxMergeAttempts, '1');
    QCOMPARE(source.peek(0, theirs.size() + 1), QByteArray(theirs).append('\0'));
    QCOMPARE(view->text(), QString::fromLatin1(theirs));
}

void TestTextView::typingIsUndoneInSteps()
{
    MemoryByteSource source(QByteArray(64, '\0'));
    auto view = makeView(&source);
    QSignalSpy undoAvailable(view.get(), &TextView::undoAvailable);
    QVERIFY(!view->canUndo());
    QTest::keyClicks(view->editor(), QStringLiteral("hello")); // one step
    QCOMPARE(undoAvailable.count(), 1);
    QTest::keyClick(view->editor(), Qt::Key_Return);
    QTest::keyClicks(view->editor(), QStringLiteral("world")); // a new line: a new step
    QTest::keyClick(view->editor(), Qt::Key_Backspace);
    QTest::keyClick(view->editor(), Qt::Key_Backspace); // backspaces in a row: one step
    QCOMPARE(source.peek(0, 10), QByteArray("hello\nwor\0", 10));

    QTest::keyClick(view->editor(), Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(source.peek(0, 12), QByteArray("hello\nworld\0", 12));
    QTest::keyClick(view->editor(), Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(view->text(), QStringLiteral("hello\n"));
    QCOMPARE(source.peek(0, 7), QByteArray("hello\n\0", 7));
    QTest::keyClick(view->editor(), Qt::Key_Z, Qt::ControlModifier); // the line break
    QTest::keyClick(view->editor(), Qt::Key_Z, Qt::ControlModifier); // "hello"
    QCOMPARE(view->text(), QString());
    QCOMPARE(source.peek(0, 1), QByteArray("\0", 1));
    QVERIFY(!view->canUndo());
    QCOMPARE(undoAvailable.last().at(0).toBool(), false);

    // Redo all the way, then a new edit clears the redo history.
    while (view->canRedo())
        view->redo();
    QCOMPARE(view->text(), QStringLiteral("hello\nwor"));
    QTest::keyClick(view->editor(), Qt::Key_Z, Qt::ControlModifier);
    QVERIFY(view->canRedo());
    QTest::keyClicks(view->editor(), QStringLiteral("!"));
    QVERIFY(!view->canRedo());
    QCOMPARE(source.peek(0, 13), QByteArray("hello\nworld!\0", 13));

    // A new offset is another string: its history starts empty.
    view->setOffset(1);
    QVERIFY(!view->canUndo());
}

void TestTextView::undoFollowsOthersChanges()
{
    MemoryByteSource source(QByteArray(64, '\0'));
    source.modifyExternally(0, QByteArray("xyz\0", 4));
    auto view = makeView(&source);
    view->setPollInterval(0);
    view->editor()->moveCursor(QTextCursor::End);
    QTest::keyClicks(view->editor(), QStringLiteral("abc"));
    QCOMPARE(source.peek(0, 7), QByteArray("xyzabc\0", 7));

    // Someone inserts "123" in front: the step moves with the text; undo removes exactly "abc".
    source.modifyExternally(0, QByteArray("123xyzabc\0", 10));
    source.announceExternalChange(0, 10);
    QCOMPARE(view->text(), QStringLiteral("123xyzabc"));
    QVERIFY(view->canUndo());
    QTest::keyClick(view->editor(), Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(source.peek(0, 7), QByteArray("123xyz\0", 7));
    QVERIFY(view->canRedo());

    // Someone else's change clears the redo history (redo would write old text over theirs).
    source.modifyExternally(0, QByteArray("0123xyz\0", 8));
    source.announceExternalChange(0, 8);
    QVERIFY(!view->canRedo());

    // Someone changes the user's own typed text: that step is gone (undoing it would overwrite their
    // change), and with it the older ones; Ctrl+Z writes nothing.
    view->editor()->moveCursor(QTextCursor::End);
    QTest::keyClick(view->editor(), Qt::Key_Return);
    QTest::keyClicks(view->editor(), QStringLiteral("def"));
    QCOMPARE(source.peek(0, 12), QByteArray("0123xyz\ndef\0", 12));
    source.modifyExternally(0, QByteArray("0123xyz\ndEf\0", 12));
    source.announceExternalChange(9, 1);
    QCOMPARE(view->text(), QStringLiteral("0123xyz\ndEf"));
    QVERIFY(!view->canUndo());
    QSignalSpy written(&source, &ByteSource::bytesWritten);
    QTest::keyClick(view->editor(), Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(written.count(), 0);
    QCOMPARE(view->text(), QStringLiteral("0123xyz\ndEf"));
}

void TestTextView::undoThatLosesTheRaceIsMerged()
{
    RacingByteSource source(QByteArray(64, '\0'));
    auto view = makeView(&source);
    view->setPollInterval(0);
    QTest::keyClicks(view->editor(), QStringLiteral("abc"));
    // Before the undo's write, someone appends "XYZ" (the view has not seen it yet).
    source.beforeWrite.append([&source] { source.modifyExternally(0, QByteArray("abcXYZ\0", 7)); });
    QSignalSpy merged(view.get(), &TextView::editMerged);
    view->undo();
    QCOMPARE(merged.count(), 1);
    QCOMPARE(source.peek(0, 4), QByteArray("XYZ\0", 4)); // our "abc" undone, their "XYZ" kept
    QCOMPARE(view->text(), QStringLiteral("XYZ"));
    QCOMPARE(view->editor()->textCursor().position(), 0);
    // The redo of our step still applies to the merged text.
    view->redo();
    QCOMPARE(source.peek(0, 7), QByteArray("abcXYZ\0", 7));
}

void TestTextView::reloadAboveKeepsTheFirstVisibleLine()
{
    // A long text scrolled to the middle; someone inserts lines at the top: the line the user is
    // reading stays the first visible one, and their cursor (off screen) does not pull the view.
    QByteArray text;
    for (int i = 0; i < 200; ++i)
        text += "line " + QByteArray::number(i) + '\n';
    MemoryByteSource source(QByteArray(text.size() + 1024, '\0'));
    source.modifyExternally(0, text);
    auto view = makeView(&source);
    view->setPollInterval(0);
    moveEditorCursor(view.get(), 0);
    QScrollBar* scrollBar = view->editor()->verticalScrollBar();
    QVERIFY(scrollBar->maximum() > 100);
    scrollBar->setValue(100);
    const auto firstVisibleLine = [&view] { return view->editor()->cursorForPosition(QPoint(0, 0)).block().text(); };
    QCOMPARE(firstVisibleLine(), QStringLiteral("line 100"));

    source.modifyExternally(0, "new a\nnew b\nnew c\n" + text);
    source.announceExternalChange(0, quint64(text.size()) + 18);
    QCOMPARE(view->text().left(6), QStringLiteral("new a\n"));
    QCOMPARE(firstVisibleLine(), QStringLiteral("line 100"));

    // Lines removed above: still the same line on top.
    source.modifyExternally(0, text.mid(7) + QByteArray(25, '\0')); // the new lines and "line 0" gone
    source.announceExternalChange(0, quint64(text.size()));
    QCOMPARE(view->text().left(7), QStringLiteral("line 1\n"));
    QCOMPARE(firstVisibleLine(), QStringLiteral("line 100"));

    // A change below the visible part: nothing moves.
    source.modifyExternally(quint64(text.size()) - 7, QByteArray("tail\n\0", 6));
    source.announceExternalChange(quint64(text.size()) - 7, 6);
    QVERIFY(view->text().endsWith(QStringLiteral("tail\n")));
    QCOMPARE(firstVisibleLine(), QStringLiteral("line 100"));
}

void TestTextView::mergeAboveKeepsTheFirstVisibleLine()
{
    // The user types on a line in view while someone inserts a line at the top: after the merge the
    // line the user is on has not moved on screen.
    QByteArray text;
    for (int i = 0; i < 200; ++i)
        text += "line " + QByteArray::number(i) + '\n';
    RacingByteSource source(QByteArray(text.size() + 1024, '\0'));
    source.modifyExternally(0, text);
    auto view = makeView(&source);
    view->setPollInterval(0);
    QScrollBar* scrollBar = view->editor()->verticalScrollBar();
    scrollBar->setValue(100);
    const auto firstVisibleLine = [&view] { return view->editor()->cursorForPosition(QPoint(0, 0)).block().text(); };
    QCOMPARE(firstVisibleLine(), QStringLiteral("line 100"));
    QTextCursor cursor = view->editor()->cursorForPosition(QPoint(0, 0));
    cursor.movePosition(QTextCursor::Down);
    cursor.movePosition(QTextCursor::EndOfBlock); // the end of "line 101"
    view->editor()->setTextCursor(cursor);
    QCOMPARE(firstVisibleLine(), QStringLiteral("line 100"));

    source.beforeWrite.append([&] { source.modifyExternally(0, "new\n" + text); });
    QTest::keyClicks(view->editor(), QStringLiteral("!"));
    QVERIFY(view->text().startsWith(QStringLiteral("new\nline 0\n")));
    QVERIFY(view->text().contains(QStringLiteral("\nline 101!\n")));
    QCOMPARE(view->editor()->textCursor().block().text(), QStringLiteral("line 101!"));
    QCOMPARE(firstVisibleLine(), QStringLiteral("line 100"));
}

void TestTextView::posixObjectWrittenBetweenKeys()
{
    // A real POSIX object with two views of it (as two instances would have): the text view types
    // through one, "another instance" writes through the other between every key, always under the
    // object's lock (writeIf). The text view never hears of those writes except through its own failed
    // compare-and-write (no poll, no notices): every key after the first is a lost race, merged.
    Address address;
    address.kind = Kind::Posix;
    address.name = "/shmscope-test-" + std::to_string(::getpid()) + "-textview-1";
    (void)removeObject(address);
    CreateOptions options;
    options.size = 4096; // seed 004's buffer (of bytes here: UTF-8)
    Result<Created> created = createMapping(address, options, Access::ReadWrite);
    QVERIFY2(created, created ? "" : created.error().message().c_str());
    struct Cleanup {
        Address address;
        ~Cleanup() { (void)removeObject(address); }
    } cleanup { address }; // also when a check below fails
    Result<std::unique_ptr<Mapping>> attached = attachMapping(address, Access::ReadWrite);
    QVERIFY2(attached, attached ? "" : attached.error().message().c_str());
    MappingByteSource ours(std::move(created->mapping));
    MappingByteSource theirs(std::move(*attached));

    auto view = makeView(&ours);
    view->setPollInterval(0);
    QSignalSpy merged(view.get(), &TextView::editMerged);
    QSignalSpy refused(view.get(), &TextView::editRefused);
    const QString letters = QStringLiteral("abcdefghijklmnopqrstuvwxyz");
    const QString digits = QStringLiteral("0123456789");
    QString typed;
    QString written;
    constexpr int kKeys = 200;
    for (int i = 0; i < kKeys; ++i) {
        // The other instance inserts a digit: at the front, at the end, or in the middle of the text.
        QByteArray current;
        QVERIFY(theirs.readConsistent([&](QByteArray* snapshot) {
            char buffer[4096];
            if (!theirs.read(0, buffer, sizeof buffer))
                return false;
            current = QByteArray(buffer, qsizetype(qstrnlen(buffer, sizeof buffer)));
            *snapshot = current;
            return true;
        }));
        const qsizetype at = i % 3 == 0 ? 0 : i % 3 == 1 ? current.size() : current.size() / 2;
        const char digit = digits.at(i % digits.size()).toLatin1();
        QByteArray next = current;
        next.insert(at, digit);
        QVERIFY(theirs.writeIf(0, next + '\0', [&] {
            char buffer[4096];
            return theirs.read(0, buffer, sizeof buffer) && QByteArray(buffer) == current;
        }));
        written.append(QLatin1Char(digit));

        // The user types a letter at the end of what the view shows.
        view->editor()->moveCursor(QTextCursor::End);
        const QChar letter = letters.at(i % letters.size());
        QTest::keyClick(view->editor(), letter.toLatin1());
        typed.append(letter);
        // The cursor stays behind the user's own letter.
        const QString shown = view->text();
        const int cursor = view->editor()->textCursor().position();
        QVERIFY(cursor > 0);
        QCOMPARE(shown.at(cursor - 1), letter);
    }
    char buffer[4096];
    QVERIFY(ours.read(0, buffer, sizeof buffer));
    const QString object = QString::fromUtf8(buffer);
    QCOMPARE(object.size(), 2 * kKeys);
    QCOMPARE(only(object, letters), typed); // every key of the user, in order
    // Every digit of the other instance (it inserted them at different places, so compare them sorted).
    QString found = only(object, digits);
    std::sort(found.begin(), found.end());
    std::sort(written.begin(), written.end());
    QCOMPARE(found, written);
    QCOMPARE(view->text(), object);
    QCOMPARE(refused.count(), 0);
    QCOMPARE(merged.count(), kKeys); // every key found the other's digit: each was a lost race, merged
}

void TestTextView::posixObjectWrittenByAnotherThread()
{
    // Real concurrency: a second thread with its own view of the object (its own lock file
    // description) appends digits under the object's lock as fast as it can while the user types,
    // with the event loop running; nobody's characters are lost.
    Address address;
    address.kind = Kind::Posix;
    address.name = "/shmscope-test-" + std::to_string(::getpid()) + "-textview-2";
    (void)removeObject(address);
    CreateOptions options;
    options.size = 4096;
    Result<Created> created = createMapping(address, options, Access::ReadWrite);
    QVERIFY2(created, created ? "" : created.error().message().c_str());
    struct Cleanup {
        Address address;
        ~Cleanup() { (void)removeObject(address); }
    } cleanup { address }; // also when a check below fails
    Result<std::unique_ptr<Mapping>> attached = attachMapping(address, Access::ReadWrite);
    QVERIFY2(attached, attached ? "" : attached.error().message().c_str());
    MappingByteSource ours(std::move(created->mapping));
    std::unique_ptr<Mapping> other = std::move(*attached);

    auto view = makeView(&ours);
    view->setPollInterval(5);
    QSignalSpy refused(view.get(), &TextView::editRefused);
    QSignalSpy merged(view.get(), &TextView::editMerged);

    constexpr int kDigits = 400;
    std::atomic<bool> start { false };
    std::atomic<int> failures { 0 };
    std::thread writer([&] {
        while (!start.load())
            std::this_thread::yield();
        for (int i = 0; i < kDigits; ++i) {
            {
                Result<LockGuard> guard = other->lock(std::chrono::seconds(5));
                char buffer[4096];
                if (!guard || !other->read(0, buffer, sizeof buffer)) {
                    ++failures;
                    continue;
                }
                const std::size_t length = qstrnlen(buffer, sizeof buffer);
                const char tail[2] = { char('0' + i % 10), '\0' };
                if (length + 2 > sizeof buffer || !other->write(length, tail, 2))
                    ++failures;
            }
            std::this_thread::sleep_for(std::chrono::microseconds(300));
        }
    });
    const QString letters = QStringLiteral("abcdefghijklmnopqrstuvwxyz");
    QString typed;
    constexpr int kKeys = 300;
    start = true;
    for (int i = 0; i < kKeys; ++i) {
        view->editor()->moveCursor(QTextCursor::End);
        const QChar letter = letters.at(i % letters.size());
        QTest::keyClick(view->editor(), letter.toLatin1());
        typed.append(letter);
        QCoreApplication::processEvents(); // the poll runs between keys now and then
    }
    writer.join();
    QCOMPARE(failures.load(), 0);
    char buffer[4096];
    QVERIFY(ours.read(0, buffer, sizeof buffer));
    const QString object = QString::fromUtf8(buffer);
    QString digits;
    for (int i = 0; i < kDigits; ++i)
        digits.append(QLatin1Char(char('0' + i % 10)));
    QCOMPARE(only(object, letters), typed);
    QCOMPARE(only(object, QStringLiteral("0123456789")), digits);
    QCOMPARE(refused.count(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(view->text(), object, 5000); // the poll shows the writer's last digits
    qInfo("%d keys typed while another thread appended %d digits: %lld of the keys were merged", kKeys, kDigits,
          qlonglong(merged.count()));
}

QTEST_MAIN(TestTextView)
#include "tst_textview.moc"
