// Tests of the bookmarks: the model (sorted, add/rename/remove, kept per address in QSettings,
// QAbstractItemModelTester) and the panel (add at the cursor, jump).
#include "widgets/bookmarks.h"
#include "widgets/hexview.h"
#include "widgets/memorybytesource.h"

#include <QAbstractItemModelTester>
#include <QCoreApplication>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>

using namespace shmscope;

class TestBookmarks : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void addRenameRemove();
    void keptPerAddress();
    void brokenEntriesSkipped();
    void noAddressNoBookmarks();
    void panelAddsAndJumps();
};

void TestBookmarks::initTestCase()
{
    // Never touch the user's settings: test mode puts QSettings files under a test directory.
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("shmscope-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_bookmarks_%1").arg(QCoreApplication::applicationPid()));
}

void TestBookmarks::cleanup()
{
    QSettings settings;
    settings.remove(BookmarkModel::settingsGroup());
}

void TestBookmarks::addRenameRemove()
{
    BookmarkModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setAddress(QStringLiteral("posix:/bm-a"));
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.addBookmark(QStringLiteral("header"), 0), 0);
    QCOMPARE(model.addBookmark(QStringLiteral("tail"), 0x1000), 1);
    QCOMPARE(model.addBookmark(QStringLiteral("middle"), 0x10), 1); // sorted by offset
    QCOMPARE(model.addBookmark(QString(), 0x20), 2);
    QCOMPARE(model.bookmarkAt(2).name, QStringLiteral("Bookmark at 0x20"));
    QCOMPARE(model.data(model.index(3, BookmarkModel::OffsetColumn)).toString(), QStringLiteral("0x1000"));
    QCOMPARE(model.data(model.index(1, BookmarkModel::NameColumn)).toString(), QStringLiteral("middle"));

    // Renaming through the model (as the table's editor does); same offset sorts by name.
    QCOMPARE(model.addBookmark(QStringLiteral("n"), 0x10), 2);
    QVERIFY(model.setData(model.index(2, BookmarkModel::NameColumn), QStringLiteral("a")));
    QCOMPARE(model.bookmarkAt(1).name, QStringLiteral("a"));
    QCOMPARE(model.bookmarkAt(2).name, QStringLiteral("middle"));
    QVERIFY(model.renameBookmark(1, QStringLiteral("z")));
    QCOMPARE(model.bookmarkAt(2).name, QStringLiteral("z"));
    QVERIFY(!model.renameBookmark(0, QStringLiteral("  ")));
    QVERIFY(!model.renameBookmark(99, QStringLiteral("x")));
    QVERIFY(!model.setData(model.index(0, BookmarkModel::OffsetColumn), QStringLiteral("7")));
    QVERIFY(!(model.flags(model.index(0, BookmarkModel::OffsetColumn)) & Qt::ItemIsEditable));
    QVERIFY(model.flags(model.index(0, BookmarkModel::NameColumn)) & Qt::ItemIsEditable);

    QVERIFY(model.removeBookmark(0));
    QVERIFY(!model.removeBookmark(10));
    const QList<Bookmark> expected { { QStringLiteral("middle"), 0x10 },
                                     { QStringLiteral("z"), 0x10 },
                                     { QStringLiteral("Bookmark at 0x20"), 0x20 },
                                     { QStringLiteral("tail"), 0x1000 } };
    QCOMPARE(model.bookmarks(), expected);
}

void TestBookmarks::keptPerAddress()
{
    const quint64 far = (quint64(64) << 30) - 1;
    {
        BookmarkModel model;
        model.setAddress(QStringLiteral("posix:/bm-a"));
        model.addBookmark(QStringLiteral("one"), 1);
        model.addBookmark(QStringLiteral("far"), far);
        model.setAddress(QStringLiteral("sysv:0x1234"));
        QCOMPARE(model.rowCount(), 0);
        model.addBookmark(QStringLiteral("other"), 2);
    }
    BookmarkModel again;
    QAbstractItemModelTester tester(&again, QAbstractItemModelTester::FailureReportingMode::QtTest);
    again.setAddress(QStringLiteral("posix:/bm-a"));
    const QList<Bookmark> expected { { QStringLiteral("one"), 1 }, { QStringLiteral("far"), far } };
    QCOMPARE(again.bookmarks(), expected);
    again.setAddress(QStringLiteral("sysv:0x1234"));
    QCOMPARE(again.bookmarks(), QList<Bookmark>({ { QStringLiteral("other"), 2 } }));
    again.removeBookmark(0);
    again.setAddress(QStringLiteral("posix:/bm-b"));
    QCOMPARE(again.rowCount(), 0);
    again.setAddress(QStringLiteral("sysv:0x1234"));
    QCOMPARE(again.rowCount(), 0); // the removal was saved
}

void TestBookmarks::brokenEntriesSkipped()
{
    BookmarkModel model;
    model.setAddress(QStringLiteral("posix:/bm-c"));
    model.addBookmark(QStringLiteral("good"), 5);
    {
        QSettings settings;
        const QString key = BookmarkModel::settingsGroup() + QLatin1Char('/')
            + QString::fromLatin1(QByteArray("posix:/bm-c").toHex());
        settings.beginWriteArray(key, 3);
        settings.setArrayIndex(1);
        settings.setValue(QStringLiteral("name"), QStringLiteral("bad offset"));
        settings.setValue(QStringLiteral("offset"), QStringLiteral("abc"));
        settings.setArrayIndex(2);
        settings.setValue(QStringLiteral("offset"), QStringLiteral("9"));
        settings.endArray();
    }
    model.setAddress(QString());
    model.setAddress(QStringLiteral("posix:/bm-c"));
    QCOMPARE(model.bookmarks(), QList<Bookmark>({ { QStringLiteral("good"), 5 } }));
}

void TestBookmarks::noAddressNoBookmarks()
{
    BookmarkModel model;
    QCOMPARE(model.addBookmark(QStringLiteral("x"), 1), -1);
    QCOMPARE(model.rowCount(), 0);
}

void TestBookmarks::panelAddsAndJumps()
{
    MemoryByteSource source(quint64(1) << 20);
    HexView view;
    view.setSource(&source);
    BookmarksPanel panel;
    QCOMPARE(panel.addAtCursor(), -1); // no view yet
    panel.setHexView(&view);
    panel.model()->setAddress(QStringLiteral("posix:/bm-panel"));
    view.setCursorOffset(0x400);
    QCOMPARE(panel.addAtCursor(), 0);
    QCOMPARE(panel.model()->bookmarkAt(0).offset, quint64(0x400));
    panel.model()->addBookmark(QStringLiteral("beyond"), quint64(1) << 21);

    view.setCursorOffset(0);
    QSignalSpy jumped(&panel, &BookmarksPanel::jumped);
    QSignalSpy failed(&panel, &BookmarksPanel::jumpFailed);
    QVERIFY(panel.jumpTo(0));
    QCOMPARE(view.cursorOffset(), quint64(0x400));
    QCOMPARE(jumped.size(), 1);
    QVERIFY(!panel.jumpTo(1)); // past the end of the source
    QCOMPARE(failed.size(), 1);
    QCOMPARE(view.cursorOffset(), quint64(0x400));
    QVERIFY(!panel.jumpTo(5));

    // Activating a row in the table (double-click / Enter) jumps too.
    view.setCursorOffset(7);
    Q_EMIT panel.tableView()->activated(panel.model()->index(0, BookmarkModel::NameColumn));
    QCOMPARE(view.cursorOffset(), quint64(0x400));
}

QTEST_MAIN(TestBookmarks)
#include "tst_bookmarks.moc"
