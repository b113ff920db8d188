// Tests of the find bar over a hex view: next/previous select the matches, wrap, keys, errors, cancel.
#include "widgets/findbar.h"
#include "widgets/hexview.h"
#include "widgets/memorybytesource.h"

#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTest>

using namespace shmscope;

namespace {
constexpr int kTimeoutMs = 10000;
}

class TestFindBar : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void nextAndPreviousWalkTheMatches();
    void keys();
    void badPatternSaysWhy();
    void cancelWithEscape();
    void longMessageKeepsTheBarNarrow();
};

void TestFindBar::nextAndPreviousWalkTheMatches()
{
    MemoryByteSource source(quint64(3) << 20);
    source.write(0x100, QByteArray("\xde\xad\xbe\xef", 4));
    source.write((quint64(1) << 20) - 2, QByteArray("\xde\xad\xbe\xef", 4)); // across the first chunk boundary
    HexView view;
    view.setSource(&source);
    FindBar bar;
    bar.setHexView(&view);
    bar.setPattern(QStringLiteral("de ad be ef"), ByteSearch::Encoding::Hex);
    QCOMPARE(bar.encoding(), ByteSearch::Encoding::Hex);
    QSignalSpy selected(&bar, &FindBar::matchSelected);

    QVERIFY(bar.findNext());
    QTRY_COMPARE_WITH_TIMEOUT(selected.size(), 1, kTimeoutMs);
    QCOMPARE(view.selectionStart(), quint64(0x100));
    QCOMPARE(view.selectionLength(), quint64(4));
    QVERIFY(bar.findNext());
    QTRY_COMPARE_WITH_TIMEOUT(selected.size(), 2, kTimeoutMs);
    QCOMPARE(view.selectionStart(), (quint64(1) << 20) - 2);
    QVERIFY(bar.findNext()); // wraps to the first
    QTRY_COMPARE_WITH_TIMEOUT(selected.size(), 3, kTimeoutMs);
    QCOMPARE(view.selectionStart(), quint64(0x100));
    QVERIFY(bar.statusText().contains(QLatin1String("wrapped")));
    QVERIFY(bar.findPrevious()); // wraps back to the last
    QTRY_COMPARE_WITH_TIMEOUT(selected.size(), 4, kTimeoutMs);
    QCOMPARE(view.selectionStart(), (quint64(1) << 20) - 2);
    QVERIFY(bar.findPrevious());
    QTRY_COMPARE_WITH_TIMEOUT(selected.size(), 5, kTimeoutMs);
    QCOMPARE(view.selectionStart(), quint64(0x100));

    bar.setPattern(QStringLiteral("nothing here"), ByteSearch::Encoding::Utf16Le);
    QVERIFY(bar.findNext());
    QTRY_VERIFY_WITH_TIMEOUT(!bar.isSearching(), kTimeoutMs);
    QCOMPARE(bar.statusText(), QStringLiteral("Not found"));
    QCOMPARE(view.selectionStart(), quint64(0x100)); // the selection stays
}

void TestFindBar::keys()
{
    MemoryByteSource source(QByteArray("..abc..abc.."));
    HexView view;
    view.setSource(&source);
    FindBar bar;
    bar.setHexView(&view);
    bar.show();
    QVERIFY(QTest::qWaitForWindowExposed(&bar));
    bar.activate();
    auto* edit = bar.findChild<QLineEdit*>();
    QVERIFY(edit);
    QTest::keyClicks(edit, QStringLiteral("abc"));
    QCOMPARE(bar.patternText(), QStringLiteral("abc"));
    bar.setPattern(QStringLiteral("abc"), ByteSearch::Encoding::Utf8);
    QSignalSpy selected(&bar, &FindBar::matchSelected);
    QTest::keyClick(edit, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(selected.size(), 1, kTimeoutMs);
    QCOMPARE(view.selectionStart(), quint64(2));
    QTest::keyClick(edit, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(selected.size(), 2, kTimeoutMs);
    QCOMPARE(view.selectionStart(), quint64(7));
    QTest::keyClick(edit, Qt::Key_Return, Qt::ShiftModifier);
    QTRY_COMPARE_WITH_TIMEOUT(selected.size(), 3, kTimeoutMs);
    QCOMPARE(view.selectionStart(), quint64(2));
    // Escape with no search running hides the bar.
    QTest::keyClick(edit, Qt::Key_Escape);
    QVERIFY(bar.isHidden());
}

void TestFindBar::badPatternSaysWhy()
{
    MemoryByteSource source(QByteArray("abc"));
    HexView view;
    FindBar bar;
    bar.setPattern(QStringLiteral("ab"), ByteSearch::Encoding::Hex);
    QVERIFY(!bar.findNext()); // no view
    QVERIFY(bar.statusText().startsWith(QLatin1String("find: ")));
    view.setSource(&source);
    bar.setHexView(&view);
    bar.setPattern(QStringLiteral("xyz"), ByteSearch::Encoding::Hex);
    QVERIFY(!bar.findNext());
    QVERIFY(bar.statusText().contains(QLatin1String("not hex")));
    QVERIFY(!bar.isSearching());
}

void TestFindBar::cancelWithEscape()
{
    MemoryByteSource source(quint64(16) << 30);
    HexView view;
    view.setSource(&source);
    FindBar bar;
    bar.setHexView(&view);
    bar.show();
    QVERIFY(QTest::qWaitForWindowExposed(&bar));
    bar.setPattern(QStringLiteral("x"), ByteSearch::Encoding::Utf8);
    QSignalSpy canceled(bar.search(), &ByteSearch::canceled);
    QVERIFY(bar.findNext());
    QVERIFY(bar.isSearching());
    QTest::keyClick(bar.findChild<QLineEdit*>(), Qt::Key_Escape);
    QCOMPARE(canceled.size(), 1);
    QVERIFY(!bar.isSearching());
    QVERIFY(bar.isVisible()); // the first Escape only cancels
    QCOMPARE(bar.statusText(), QStringLiteral("Search cancelled"));
}

// Issue 9, item 18: a long message (an error quoting a long pattern) made the bar, and so the window,
// as wide as the message, for good. The bar's minimum width does not depend on the message; the bar
// shows it shortened and says it whole through statusText() and the tooltip.
void TestFindBar::longMessageKeepsTheBarNarrow()
{
    MemoryByteSource source(QByteArray("abc"));
    HexView view;
    view.setSource(&source);
    FindBar bar;
    bar.setHexView(&view);
    bar.resize(400, bar.sizeHint().height());
    bar.show();
    QVERIFY(QTest::qWaitForWindowExposed(&bar));
    bar.setPattern(QStringLiteral("zz"), ByteSearch::Encoding::Hex);
    QVERIFY(!bar.findNext());
    const int shortMessageMinimum = bar.minimumSizeHint().width();
    const QString pattern(300, QLatin1Char('z'));
    bar.setPattern(pattern, ByteSearch::Encoding::Hex);
    QVERIFY(!bar.findNext());
    QVERIFY(bar.statusText().contains(pattern)); // whole
    QCOMPARE(bar.minimumSizeHint().width(), shortMessageMinimum);
    QVERIFY(bar.minimumSizeHint().width() < 600);
    // Shortened on screen, whole in the tooltip of the label that shows it.
    bool shownWhole = false;
    for (const QLabel* label : bar.findChildren<QLabel*>()) {
        if (label->toolTip().contains(pattern))
            shownWhole = label->text().size() < bar.statusText().size();
    }
    QVERIFY(shownWhole);
}

QTEST_MAIN(TestFindBar)
#include "tst_findbar.moc"
