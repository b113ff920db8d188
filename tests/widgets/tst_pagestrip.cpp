// The page strip, its model and the mapping card (widgets/pagestrip, pagemapmodel, viewcardmodel,
// mappingcard) over real objects, with a real second process (shmscope-testpeer): live updates after
// writes, a peer's private copy in the tooltip, truncation while shown, clicks, page boundaries in the
// hex view, the summary's plural forms, the card's rows and the Flush action on a file.
#include "core/mapping.h"
#include "widgets/hexview.h"
#include "widgets/mappingbytesource.h"
#include "widgets/mappingcard.h"
#include "widgets/pagemapmodel.h"
#include "widgets/pagestrip.h"
#include "widgets/viewcardmodel.h"

#include <QAbstractItemModelTester>
#include <QHBoxLayout>
#include <QImage>
#include <QLabel>
#include <QProcess>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>
#include <memory>
#include <unistd.h>

using namespace shmscope;

namespace {

constexpr quint64 kPage = 4096;

Address posixAddress(const char* tag)
{
    return Address { Kind::Posix, "/shmscope-test-" + std::to_string(::getpid()) + "-strip-" + tag, 0 };
}

std::unique_ptr<MappingByteSource> createSource(const Address& address, quint64 size)
{
    Result<Created> created = createMapping(address, CreateOptions { size, 0600, true });
    if (!created)
        qWarning("%s", created.error().message().c_str());
    return created ? std::make_unique<MappingByteSource>(std::move(created->mapping)) : nullptr;
}

// A running shmscope-testpeer, killed when destroyed.
class Peer
{
public:
    explicit Peer(const QStringList& args) { m_process.start(QStringLiteral(SHMSCOPE_TESTPEER), args); }
    ~Peer()
    {
        m_process.kill();
        m_process.waitForFinished();
    }
    bool waitFor(const QByteArray& line)
    {
        QByteArray seen;
        while (m_process.waitForReadyRead(10000)) {
            seen += m_process.readAll();
            if (seen.contains(QByteArray(line + '\n')))
                return true;
        }
        return false;
    }
    qint64 pid() const { return m_process.processId(); }

private:
    QProcess m_process;
};

// English plural forms of the page count, as shmscope_en.ts gives them ("1 page", "3 pages"); it records
// the count each numerus string was asked with.
class PluralTranslator : public QTranslator
{
public:
    bool isEmpty() const override { return false; }
    QString translate(const char* context, const char* source, const char* disambiguation, int n) const override
    {
        Q_UNUSED(disambiguation);
        if (qstrcmp(context, "shmscope::PageStrip") != 0 || !QByteArray(source).contains("page(s)"))
            return {};
        counts << n;
        return QString::fromUtf8(source).replace(QStringLiteral("page(s)"),
                                                 n == 1 ? QStringLiteral("page") : QStringLiteral("pages"));
    }
    mutable QList<int> counts;
};

} // namespace

class TestPageStrip : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void followsWritesAndNamesPeersInTooltip();
    void truncationWhileShown();
    void clickMovesHexView();
    void hexViewMarksPageBoundaries();
    void summaryCountsPagesInPluralForms();
    void cardListsViews();
    void cardFlushEmptiesDirtyPages();

private:
    // The hex view and the strip beside it, shown.
    void show(MappingByteSource* source)
    {
        m_window = std::make_unique<QWidget>();
        auto* layout = new QHBoxLayout(m_window.get());
        m_strip = new PageStrip;
        m_hex = new HexView;
        layout->addWidget(m_strip);
        layout->addWidget(m_hex);
        m_hex->setSource(source);
        m_strip->setHexView(m_hex);
        m_strip->setSource(source);
        m_window->resize(1000, 700);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }
    PageState stateOf(quint64 page) const
    {
        const PageMap& map = m_strip->model()->pages();
        if (page < map.firstPage || page - map.firstPage >= map.pages.size())
            return PageState::Swapped; // outside: never what a test waits for
        return map.pages[page - map.firstPage].state;
    }

    std::vector<Address> m_addresses;
    std::unique_ptr<QWidget> m_window;
    PageStrip* m_strip = nullptr;
    HexView* m_hex = nullptr;
};

void TestPageStrip::init()
{
    if (::sysconf(_SC_PAGESIZE) != long(kPage))
        QSKIP("the tests count 4 KiB pages");
}

void TestPageStrip::cleanup()
{
    m_window.reset();
    for (const Address& address : m_addresses)
        (void)removeObject(address);
    m_addresses.clear();
}

// A write through the source shows at once (bytesWritten), as the object's page mapped only here; a
// peer that maps the object copy-on-write and writes page 2 is named in that page's tooltip as having a
// private copy there, and the hex view's rows are framed in the strip.
void TestPageStrip::followsWritesAndNamesPeersInTooltip()
{
    m_addresses.push_back(posixAddress("live"));
    auto source = createSource(m_addresses.back(), 256 * kPage);
    QVERIFY(source);
    show(source.get());
    QCOMPARE(m_strip->model()->pageSize(), kPage);
    QCOMPARE(m_strip->model()->pages().pages.size(), size_t(256)); // a 1 MiB view fits whole at this size

    QVERIFY(source->write(5 * kPage, QByteArray("x")));
    QTRY_COMPARE(stateOf(5), PageState::Exclusive);
    QCOMPARE(stateOf(6), PageState::NotPresent);

    Peer peer({ QStringLiteral("cow-write"), QString::fromStdString(toString(m_addresses.back())),
                QString::number(2 * kPage), QStringLiteral("peer") });
    QVERIFY(peer.waitFor("written"));
    m_strip->model()->refresh(true);
    const QString tip = m_strip->pageToolTip(2);
    QVERIFY2(tip.contains(QStringLiteral("pid %1").arg(peer.pid())), qPrintable(tip));
    QVERIFY2(tip.contains(PageStrip::stateText(PageState::PrivateCopy)), qPrintable(tip));
    QVERIFY2(tip.contains(PageStrip::stateDescription(PageState::NotPresent)), qPrintable(tip));
    // Page 7: nobody has it.
    QVERIFY(m_strip->pageToolTip(7).contains(QStringLiteral("No other view")));
    // "Written since the last reset" is offered only where the kernel tracks it.
    QCOMPARE(m_strip->resetWrittenAction()->isEnabled(), pageMapFeatures().softDirty);
}

// Another process truncates the object while the strip shows it: no crash, the pages past the new end
// are re-read as not present, and after the source notices the new size the strip has fewer pages.
void TestPageStrip::truncationWhileShown()
{
    m_addresses.push_back(posixAddress("trunc"));
    auto source = createSource(m_addresses.back(), 64 * kPage);
    QVERIFY(source);
    show(source.get());
    for (quint64 page : { 0, 10, 40 })
        QVERIFY(source->write(page * kPage, QByteArray("t")));
    QTRY_COMPARE(stateOf(40), PageState::Exclusive);
    QProcess truncate;
    truncate.start(QStringLiteral(SHMSCOPE_TESTPEER),
                   { QStringLiteral("truncate"), QString::fromStdString(toString(m_addresses.back())),
                     QString::number(8 * kPage) });
    QVERIFY(truncate.waitForFinished(10000));
    QCOMPARE(truncate.exitCode(), 0);
    m_strip->refreshNow();
    QCOMPARE(stateOf(40), PageState::NotPresent);
    QCOMPARE(stateOf(10), PageState::NotPresent);
    source->refresh(); // remaps at the new size
    QTRY_COMPARE(m_strip->model()->pages().pages.size(), size_t(8));
    // The new view has the pages the hex view read again (its visible rows: page 0), nothing else.
    QTRY_COMPARE(stateOf(0), PageState::Exclusive);
    QCOMPARE(stateOf(7), PageState::NotPresent);
}

// A click on a cell moves the hex view's cursor to that page.
void TestPageStrip::clickMovesHexView()
{
    m_addresses.push_back(posixAddress("click"));
    auto source = createSource(m_addresses.back(), 64 * kPage);
    QVERIFY(source);
    show(source.get());
    QPoint cell;
    for (int y = 0; y < m_strip->height() && cell.isNull(); ++y) {
        for (int x = 0; x < m_strip->width(); ++x) {
            if (m_strip->pageAt(QPoint(x, y)) == 3) {
                cell = QPoint(x + 2, y + 2);
                break;
            }
        }
    }
    QVERIFY(!cell.isNull());
    QTest::mouseClick(m_strip, Qt::LeftButton, {}, cell);
    QCOMPARE(m_hex->cursorOffset(), 3 * kPage);
}

// The hex view draws a line in the highlight colour above each row that starts a page, and none when
// the marks are off.
void TestPageStrip::hexViewMarksPageBoundaries()
{
    m_addresses.push_back(posixAddress("marks"));
    auto source = createSource(m_addresses.back(), 4 * kPage);
    QVERIFY(source);
    HexView view;
    view.setSource(source.get());
    view.resize(700, 300);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const QColor mark = view.palette().color(QPalette::Highlight);
    const auto countMarkRows = [&] {
        const QImage image = view.viewport()->grab().toImage();
        int rows = 0;
        for (int y = 0; y < image.height(); ++y) {
            int run = 0;
            for (int x = 0; x < 40 && x < image.width(); ++x)
                run += image.pixelColor(x, y) == mark;
            rows += run >= 30;
        }
        return rows;
    };
    view.setPageBoundaries(0);
    QCOMPARE(countMarkRows(), 0);
    view.setPageBoundaries(kPage);
    QCOMPARE(countMarkRows(), 1); // row 0 starts page 0; page 1 starts 256 rows further down
    view.scrollToRow(kPage / quint64(view.bytesPerRow()) - 2);
    QCOMPARE(countMarkRows(), 1); // the row of offset 0x1000
}

// The card's model: this window's view first (with its perms), a peer's view after it; checked by
// QAbstractItemModelTester.
void TestPageStrip::cardListsViews()
{
    m_addresses.push_back(posixAddress("card"));
    auto source = createSource(m_addresses.back(), 16 * kPage);
    QVERIFY(source);
    ViewCardModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSource(source.get());
    QVERIFY(source->write(0, QByteArray("abc")));
    Peer peer(
        { QStringLiteral("map"), QString::fromStdString(toString(m_addresses.back())), QStringLiteral("read-only") });
    QVERIFY(peer.waitFor("mapped"));
    model.refresh();
    const int rows = model.rowCount() - (model.uninspected() > 0 ? 1 : 0);
    QCOMPARE(rows, 2);
    QVERIFY(model.index(0, ViewCardModel::Process).data().toString().contains(QStringLiteral("this window")));
    QCOMPARE(model.index(0, ViewCardModel::Perms).data().toString(), QStringLiteral("rw-s"));
    QCOMPARE(model.index(0, ViewCardModel::Backing).data().toString(), QStringLiteral("tmpfs"));
    QCOMPARE(model.index(1, ViewCardModel::Pid).data().toLongLong(), peer.pid());
    QCOMPARE(model.index(1, ViewCardModel::Perms).data().toString(), QStringLiteral("r--s"));
    QVERIFY(model.cacheNote().contains(QStringLiteral("not a file")));
}

// A file-backed object: writes make dirty pages (cachestat), Flush (msync) brings the dirty count to 0;
// without cachestat the card says "not observable".
void TestPageStrip::cardFlushEmptiesDirtyPages()
{
    QTemporaryDir dir(QDir::tempPath() + QStringLiteral("/shmscope-test-XXXXXX"));
    QVERIFY(dir.isValid());
    const Address address { Kind::File, dir.filePath(QStringLiteral("card.dat")).toStdString(), 0 };
    auto source = createSource(address, 16 * kPage);
    QVERIFY(source);
    MappingCard card;
    card.setSource(source.get());
    card.show();
    QVERIFY(QTest::qWaitForWindowExposed(&card));
    auto* label = card.findChild<QLabel*>(QStringLiteral("pageCacheLabel"));
    QVERIFY(label);
    QVERIFY(source->write(kPage, QByteArray("dirty")));
    QVERIFY(source->write(5 * kPage, QByteArray("dirty")));
    card.refresh();
    if (!pageMapFeatures().cachestat) {
        QVERIFY(label->text().contains(QStringLiteral("not observable")));
        QSKIP("no cachestat on this kernel: the card says not observable (checked)");
    }
    QVERIFY(card.model()->cache());
    QVERIFY(card.model()->cache()->dirty + card.model()->cache()->writeback >= 2);
    QVERIFY(card.flush());
    QCOMPARE(card.model()->cache()->dirty, quint64(0));
    QVERIFY2(label->text().contains(QStringLiteral(", 0 dirty")), qPrintable(label->text()));
    setCachestatDisabledForTesting(true);
    card.refresh();
    setCachestatDisabledForTesting(false);
    QVERIFY2(label->text().contains(QStringLiteral("not observable")), qPrintable(label->text()));
}

// "1 pages × 4 kB": the page count is a plural form (tr() with the count), in the locale's digits.
void TestPageStrip::summaryCountsPagesInPluralForms()
{
    PluralTranslator translator;
    QVERIFY(QCoreApplication::installTranslator(&translator));
    const auto removeTranslator = qScopeGuard([&] { QCoreApplication::removeTranslator(&translator); });
    for (const quint64 pages : { quint64(1), quint64(3), quint64(1200) }) {
        m_addresses.push_back(posixAddress(QByteArray::number(pages).constData()));
        auto source = createSource(m_addresses.back(), pages * kPage);
        QVERIFY(source);
        show(source.get());
        translator.counts.clear();
        const QStringList lines = m_strip->summaryLines();
        QVERIFY(!lines.isEmpty());
        const QString expected
            = pages == 1 ? QStringLiteral("1 page × ") : QLocale().toString(pages) + QStringLiteral(" pages × ");
        QVERIFY2(lines.first().startsWith(expected), qPrintable(lines.first()));
        QVERIFY(translator.counts.contains(int(pages)));
        m_window.reset(); // before the source
    }
}

QTEST_MAIN(TestPageStrip)
#include "tst_pagestrip.moc"
