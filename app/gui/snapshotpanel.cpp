#include "snapshotpanel.h"

#include "app/gui/snapshotsource.h"
#include "core/address.h"
#include "core/snapshot.h"
#include "widgets/bytesource.h"
#include "widgets/bytesourcescan.h"
#include "widgets/changesoverview.h"
#include "widgets/hexview.h"

#include <QAction>
#include <QDateTime>
#include <QDir>
#include <QEventLoop>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStandardPaths>
#include <QTableWidget>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>
#include <unistd.h>

namespace shmscope {

namespace {

QString hexBytes(const std::vector<std::uint8_t>& bytes, std::uint64_t length)
{
    QString text = QString::fromLatin1(
        QByteArray(reinterpret_cast<const char*>(bytes.data()), qsizetype(bytes.size())).toHex(' '));
    if (length > bytes.size())
        text += QStringLiteral(" …");
    return text;
}

QString offsetText(quint64 offset)
{
    return QStringLiteral("0x%1").arg(offset, 8, 16, QLatin1Char('0'));
}

// Sets `cancel`, waits for `thread` to end and deletes it (nothing when it is null).
void stopThread(QThread*& thread, std::atomic<bool>& cancel)
{
    if (!thread)
        return;
    cancel = true;
    thread->wait();
    delete thread;
    thread = nullptr;
}

// A ScanSource that counts the bytes read through it and fails every call once `cancel` is set, so
// that writeSnapshot() stops at its next step and removes its partial file.
class ProgressSource final : public ScanSource
{
public:
    ProgressSource(const ScanSource& source, std::atomic<quint64>& done, const std::atomic<bool>& cancel)
        : m_source(source)
        , m_done(done)
        , m_cancel(cancel)
    { }
    Status read(std::uint64_t offset, void* out, std::size_t length) const override
    {
        if (m_cancel.load())
            return cancelled(offset);
        Status status = m_source.read(offset, out, length);
        m_done += length;
        return status;
    }
    Result<std::uint64_t> hash(std::uint64_t offset, std::uint64_t length, std::uint64_t seed) const override
    {
        if (m_cancel.load())
            return cancelled(offset);
        return m_source.hash(offset, length, seed);
    }
    Result<std::vector<Extent>> dataExtents(std::uint64_t offset, std::uint64_t length,
                                            std::size_t maxExtents) const override
    {
        if (m_cancel.load())
            return cancelled(offset);
        return m_source.dataExtents(offset, length, maxExtents);
    }

private:
    static Error cancelled(std::uint64_t offset)
    {
        Error error;
        error.operation = "snapshot";
        error.detail = "cancelled at offset " + std::to_string(offset);
        return error;
    }
    const ScanSource& m_source;
    std::atomic<quint64>& m_done;
    const std::atomic<bool>& m_cancel;
};

} // namespace

SnapshotPanel::SnapshotPanel(QWidget* parent)
    : QWidget(parent)
    , m_folder(QDir(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation))
                   .filePath(QStringLiteral("snapshots")))
{
    m_takeButton = new QPushButton(tr("&Take Snapshot"));
    m_takeButton->setToolTip(tr("Save the selection, or the whole object, to a snapshot file"));
    m_compareButton = new QPushButton(tr("&Compare"));
    m_compareButton->setToolTip(tr("Compare the live object with the selected snapshot"));
    m_compareWithButton = new QPushButton(tr("Compare &With"));
    m_compareWithButton->setToolTip(tr("Compare the selected snapshot with another one, or the object shown with "
                                       "another object"));
    m_compareWithMenu = new QMenu(m_compareWithButton);
    m_compareWithButton->setMenu(m_compareWithMenu);
    connect(m_compareWithMenu, &QMenu::aboutToShow, this, &SnapshotPanel::fillCompareWithMenu);
    m_sideButton = new QPushButton(tr("&Side by Side"));
    m_sideButton->setCheckable(true);
    m_sideButton->setToolTip(tr("Show the snapshot beside, at the live cursor's offset"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_takeButton);
    buttons->addWidget(m_compareButton);
    buttons->addWidget(m_compareWithButton);
    buttons->addWidget(m_sideButton);
    buttons->addStretch();

    m_list = new QListWidget;
    m_list->setObjectName(QStringLiteral("snapshotList"));
    m_table = new QTableWidget(0, 4);
    m_table->setObjectName(QStringLiteral("differenceTable"));
    m_oldTitle = tr("Snapshot");
    m_newTitle = tr("Live");
    m_table->setHorizontalHeaderLabels({ tr("Offset"), tr("Length"), m_oldTitle, m_newTitle });
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_status = new QLabel;
    m_status->setWordWrap(true);
    m_snapshotView = new HexView;
    m_snapshotView->setObjectName(QStringLiteral("snapshotHexView"));
    m_snapshotView->setAccessibleName(tr("Hex view of the snapshot"));
    m_snapshotView->setChangesOverviewVisible(false);
    m_snapshotView->hide();
    m_progress = new QProgressBar;
    m_progress->setObjectName(QStringLiteral("snapshotProgress"));
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(false);
    m_progress->hide();
    m_cancelButton = new QPushButton(tr("Cancel"));
    m_cancelButton->setObjectName(QStringLiteral("cancelSnapshotButton"));
    m_cancelButton->setToolTip(tr("Stop writing the snapshot; nothing of it is kept"));
    m_cancelButton->hide();
    connect(m_cancelButton, &QPushButton::clicked, this, &SnapshotPanel::cancelSnapshot);
    m_progressTimer = new QTimer(this);
    m_progressTimer->setInterval(100);
    connect(m_progressTimer, &QTimer::timeout, this, [this] {
        if (m_snapshotTotal > 0)
            m_progress->setValue(int(qMin<quint64>(1000, m_snapshotDone.load() * 1000 / m_snapshotTotal)));
    });

    // Side by side in the dock's width (it spans the window below the panes): the snapshots and the
    // buttons, the differences, and the snapshot's hex view.
    auto* left = new QVBoxLayout;
    left->addLayout(buttons);
    left->addWidget(m_list, 1);
    auto* progressLine = new QHBoxLayout;
    progressLine->addWidget(m_progress, 1);
    progressLine->addWidget(m_cancelButton);
    left->addLayout(progressLine);
    left->addWidget(m_status);
    auto* leftWidget = new QWidget;
    leftWidget->setLayout(left);
    left->setContentsMargins(0, 0, 0, 0);
    auto* splitter = new QSplitter(Qt::Horizontal);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(leftWidget);
    splitter->addWidget(m_table);
    splitter->addWidget(m_snapshotView);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    splitter->setStretchFactor(2, 4);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(splitter, 1);

    m_nextAction = new QAction(tr("Next &Difference"), this);
    m_nextAction->setShortcut(QKeySequence(Qt::Key_F7));
    m_nextAction->setShortcutContext(Qt::ApplicationShortcut);
    m_previousAction = new QAction(tr("Previous Di&fference"), this);
    m_previousAction->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F7));
    m_previousAction->setShortcutContext(Qt::ApplicationShortcut);
    connect(m_nextAction, &QAction::triggered, this, [this] { nextDifference(); });
    connect(m_previousAction, &QAction::triggered, this, [this] { previousDifference(); });

    connect(m_takeButton, &QPushButton::clicked, this, [this] {
        QString error;
        if (!startSnapshot(&error))
            m_status->setText(error);
    });
    connect(m_compareButton, &QPushButton::clicked, this, [this] {
        QString error;
        if (!compareWithSelected(&error))
            m_status->setText(error);
    });
    connect(m_sideButton, &QPushButton::toggled, this, &SnapshotPanel::setSideBySide);
    connect(m_list, &QListWidget::currentRowChanged, this, [this] {
        if (m_sideButton->isChecked())
            setSideBySide(true); // show the newly selected snapshot
        updateButtons();
    });
    connect(m_table, &QTableWidget::cellActivated, this, [this](int row, int) { selectDifference(std::size_t(row)); });
    updateButtons();
}

SnapshotPanel::~SnapshotPanel()
{
    stopSnapshot();
    cancelComparison();
    m_snapshotView->setSource(nullptr);
}

void SnapshotPanel::setHexView(HexView* view)
{
    m_view = view;
    if (view) {
        connect(view, &HexView::cursorMoved, this, &SnapshotPanel::followLiveView);
        connect(view, &HexView::selectionChanged, this, &SnapshotPanel::followLiveView);
    }
    updateButtons();
}

void SnapshotPanel::followLiveView()
{
    if (!m_view || !m_snapshotSource || !m_snapshotView->isVisible())
        return;
    const quint64 base = m_snapshotSource->file().info().offset;
    const quint64 size = m_snapshotSource->size();
    const quint64 start = m_view->hasSelection() ? m_view->selectionStart() : m_view->cursorOffset();
    if (start < base || start - base >= size)
        return; // outside the snapshot's range
    m_snapshotView->setCursorOffset(start - base);
    if (m_view->hasSelection())
        m_snapshotView->setSelection(start - base, qMin(m_view->selectionLength(), size - (start - base)));
}

void SnapshotPanel::setAddress(const QString& address)
{
    stopSnapshot(); // it reads the source that goes away
    cancelComparison();
    m_address = address;
    m_ranges.clear();
    showDifferences();
    updateButtons();
}

void SnapshotPanel::setFolder(const QString& folder)
{
    m_folder = folder;
}

bool SnapshotPanel::startSnapshot(QString* error)
{
    ByteSource* source = m_view ? m_view->source() : nullptr;
    if (!source || m_address.isEmpty()) {
        *error = tr("No object is open.");
        return false;
    }
    if (m_snapshotThread || m_thread) {
        *error = m_snapshotThread ? tr("A snapshot is being written.") : tr("A comparison is running.");
        return false;
    }
    if (!QDir().mkpath(m_folder)) {
        *error = tr("Cannot create the folder %1.").arg(QDir::toNativeSeparators(m_folder));
        return false;
    }
    SnapshotInfo info;
    info.address = m_address.toStdString();
    info.offset = m_view->hasSelection() ? m_view->selectionStart() : 0;
    info.size = m_view->hasSelection() ? m_view->selectionLength() : source->size();
    info.wholeObject = !m_view->hasSelection() || info.size == source->size();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    info.timeMs = now.toMSecsSinceEpoch();
    info.pid = ::getpid();
    QString name = m_address.mid(m_address.indexOf(QLatin1Char(':')) + 1);
    for (QChar& c : name) {
        if (!c.isLetterOrNumber() && c != QLatin1Char('-'))
            c = QLatin1Char('_');
    }
    while (name.startsWith(QLatin1Char('_')))
        name.remove(0, 1);
    const QString path = QDir(m_folder).filePath(
        QStringLiteral("%1-%2.shmsnap").arg(name.left(80), now.toString(QStringLiteral("yyyyMMdd-HHmmss-zzz"))));
    m_snapshotCancel = false;
    m_snapshotDone = 0;
    m_snapshotTotal = info.size;
    m_snapshotPath = path;
    m_snapshotError.clear();
    m_progress->setValue(0);
    m_progress->show();
    m_cancelButton->show();
    m_progressTimer->start();
    m_status->setText(tr("Writing the snapshot…"));
    m_snapshotThread = QThread::create([this, source, info, file = QFile::encodeName(path).toStdString()] {
        const ByteSourceScan scan(*source);
        const ProgressSource progress(scan, m_snapshotDone, m_snapshotCancel);
        Result<SnapshotInfo> written = writeSnapshot(progress, info, file);
        if (!written)
            m_snapshotError = QString::fromStdString(written.error().message());
    });
    connect(m_snapshotThread, &QThread::finished, this, &SnapshotPanel::onSnapshotFinished);
    m_snapshotThread->start();
    letGoOnDestruction(source);
    updateButtons();
    return true;
}

void SnapshotPanel::letGoOnDestruction(ByteSource* reads)
{
    disconnect(m_sourceGoing);
    if (!reads)
        return;
    // The worker reads `reads`: a source destroyed now is let go while it is still whole.
    m_sourceGoing = connect(reads, &ByteSource::aboutToBeDestroyed, this, [this] {
        const bool comparing = m_thread != nullptr;
        cancelComparison();
        stopSnapshot();
        m_status->setText(comparing ? tr("Comparison cancelled: the object was closed.")
                                    : tr("Snapshot cancelled: the object was closed."));
        updateButtons();
    });
}

void SnapshotPanel::cancelSnapshot()
{
    m_snapshotCancel = true;
}

void SnapshotPanel::stopSnapshot()
{
    if (!m_snapshotThread)
        return;
    stopThread(m_snapshotThread, m_snapshotCancel);
    m_progressTimer->stop();
    m_progress->hide();
    m_cancelButton->hide();
}

void SnapshotPanel::onSnapshotFinished()
{
    if (!m_snapshotThread)
        return;
    disconnect(m_sourceGoing);
    m_snapshotThread->wait();
    m_snapshotThread->deleteLater();
    m_snapshotThread = nullptr;
    m_progressTimer->stop();
    m_progress->hide();
    m_cancelButton->hide();
    QString path = m_snapshotPath;
    QString message;
    if (m_snapshotCancel.load() || !m_snapshotError.isEmpty()) {
        path.clear();
        message = m_snapshotCancel.load() ? tr("Snapshot cancelled: nothing was kept.") : m_snapshotError;
    } else if (!addSnapshot(m_snapshotPath, &message)) {
        path.clear();
    }
    m_status->setText(path.isEmpty() ? message : tr("Saved %1").arg(QDir::toNativeSeparators(path)));
    updateButtons();
    Q_EMIT snapshotFinished(path, message);
}

QString SnapshotPanel::takeSnapshot(QString* error)
{
    if (!startSnapshot(error))
        return {};
    QEventLoop loop;
    QString path;
    connect(this, &SnapshotPanel::snapshotFinished, &loop, [&](const QString& written, const QString& message) {
        path = written;
        *error = message;
        loop.quit();
    });
    loop.exec();
    return path;
}

bool SnapshotPanel::addSnapshot(const QString& path, QString* error)
{
    Result<std::unique_ptr<SnapshotFile>> file = SnapshotFile::open(QFile::encodeName(path).toStdString());
    if (!file) {
        *error = QString::fromStdString(file.error().message());
        return false;
    }
    const SnapshotInfo& info = (*file)->info();
    auto* item
        = new QListWidgetItem(tr("%1 — %2, %n byte(s) at %3", nullptr, int(qMin<quint64>(info.size, INT_MAX)))
                                  .arg(QDateTime::fromMSecsSinceEpoch(info.timeMs).toString(QStringLiteral("HH:mm:ss")),
                                       QFileInfo(path).fileName(), offsetText(info.offset)));
    item->setData(Qt::UserRole, path);
    item->setToolTip(
        QStringLiteral("%1\n%2").arg(QDir::toNativeSeparators(path), QString::fromStdString(info.address)));
    m_list->addItem(item);
    m_list->setCurrentItem(item);
    updateButtons();
    return true;
}

QString SnapshotPanel::selectedPath() const
{
    const QListWidgetItem* item = m_list->currentItem();
    return item ? item->data(Qt::UserRole).toString() : QString();
}

bool SnapshotPanel::compareWithSelected(QString* error)
{
    ByteSource* source = m_view ? m_view->source() : nullptr;
    if (!source || selectedPath().isEmpty()) {
        *error = tr("Take or select a snapshot of an open object first.");
        return false;
    }
    if (m_thread || m_snapshotThread) {
        *error = m_thread ? tr("A comparison is running.") : tr("A snapshot is being written.");
        return false;
    }
    Result<std::unique_ptr<SnapshotFile>> opened = SnapshotFile::open(QFile::encodeName(selectedPath()).toStdString());
    if (!opened) {
        *error = QString::fromStdString(opened.error().message());
        return false;
    }
    std::shared_ptr<SnapshotFile> file(std::move(opened).value());
    const SnapshotInfo& info = file->info();
    // The live side: the snapshot's range of the object (the whole object when the snapshot was whole).
    const quint64 liveSize = source->size();
    const quint64 base = info.wholeObject ? 0 : qMin<quint64>(info.offset, liveSize);
    const quint64 length = info.wholeObject ? liveSize : qMin<quint64>(info.size, liveSize - base);
    startComparison(
        [file, source, base, length](const DiffOptions& options, const std::function<bool(const DiffRange&)>& onRange) {
            const ByteSourceScan live(*source);
            const SubrangeSource range(live, base);
            return diffSides({ file.get(), file->info().size }, { &range, length }, options, onRange);
        },
        source, base, tr("Snapshot"), tr("Live"));
    return true;
}

bool SnapshotPanel::compareSnapshots(const QString& pathA, const QString& pathB, QString* error)
{
    if (m_thread || m_snapshotThread) {
        *error = m_thread ? tr("A comparison is running.") : tr("A snapshot is being written.");
        return false;
    }
    std::shared_ptr<SnapshotFile> files[2];
    const QString paths[2] = { pathA, pathB };
    for (int i = 0; i < 2; ++i) {
        Result<std::unique_ptr<SnapshotFile>> opened = SnapshotFile::open(QFile::encodeName(paths[i]).toStdString());
        if (!opened) {
            *error = QString::fromStdString(opened.error().message());
            return false;
        }
        files[i] = std::move(opened).value();
    }
    if (files[1]->info().timeMs < files[0]->info().timeMs)
        std::swap(files[0], files[1]); // the older one is "old"
    std::shared_ptr<SnapshotFile> older = files[0];
    std::shared_ptr<SnapshotFile> newer = files[1];
    auto title = [](const SnapshotInfo& info) {
        return tr("Snapshot %1").arg(QDateTime::fromMSecsSinceEpoch(info.timeMs).toString(QStringLiteral("HH:mm:ss")));
    };
    startComparison(
        [older, newer](const DiffOptions& options, const std::function<bool(const DiffRange&)>& onRange) {
            return diffSides({ older.get(), older->info().size }, { newer.get(), newer->info().size }, options,
                             onRange);
        },
        nullptr, older->info().offset, title(older->info()), title(newer->info()));
    return true;
}

bool SnapshotPanel::compareWithObject(const QString& address, QString* error)
{
    ByteSource* source = m_view ? m_view->source() : nullptr;
    if (!source || m_address.isEmpty()) {
        *error = tr("No object is open.");
        return false;
    }
    if (m_thread || m_snapshotThread) {
        *error = m_thread ? tr("A comparison is running.") : tr("A snapshot is being written.");
        return false;
    }
    Result<Address> parsed = parseAddress(address.trimmed().toStdString());
    if (!parsed) {
        *error = QString::fromStdString(parsed.error().message());
        return false;
    }
    Result<std::unique_ptr<Mapping>> attached = attachMapping(*parsed, Access::ReadOnly);
    if (!attached) {
        *error = QString::fromStdString(attached.error().message());
        return false;
    }
    std::shared_ptr<Mapping> other(std::move(attached).value());
    const QString otherText = QString::fromStdString(toString(other->address()));
    const quint64 liveSize = source->size();
    startComparison(
        [other, source, liveSize](const DiffOptions& options, const std::function<bool(const DiffRange&)>& onRange) {
            const ByteSourceScan live(*source);
            const MappingScanSource otherScan(*other);
            return diffSides({ &live, liveSize }, { &otherScan, other->size() }, options, onRange);
        },
        source, 0, m_address, otherText);
    return true;
}

void SnapshotPanel::startComparison(DiffRun run, ByteSource* reads, quint64 base, const QString& oldTitle,
                                    const QString& newTitle)
{
    m_cancel = false;
    m_pendingRanges.clear();
    m_pendingCount = 0;
    m_pendingBase = base;
    m_pendingError.clear();
    m_oldTitle = oldTitle;
    m_newTitle = newTitle;
    m_table->setHorizontalHeaderLabels({ tr("Offset"), tr("Length"), m_oldTitle, m_newTitle });
    m_status->setText(tr("Comparing…"));
    m_thread = QThread::create([this, run = std::move(run)] {
        DiffOptions options;
        options.maxBytes = 16;
        options.progress = [this](std::uint64_t, std::uint64_t) { return !m_cancel.load(); };
        Result<DiffSummary> summary = run(options, [this](const DiffRange& diff) {
            ++m_pendingCount;
            if (m_pendingRanges.size() < std::size_t(kMaxRanges))
                m_pendingRanges.push_back(diff);
            return !m_cancel.load();
        });
        if (!summary)
            m_pendingError = QString::fromStdString(summary.error().message());
        else if (!summary->complete)
            m_pendingError = tr("Comparison cancelled.");
    });
    connect(m_thread, &QThread::finished, this, &SnapshotPanel::onCompareFinished);
    m_thread->start();
    letGoOnDestruction(reads);
    updateButtons();
}

void SnapshotPanel::fillCompareWithMenu()
{
    m_compareWithMenu->clear();
    const QString selected = selectedPath();
    for (int i = 0; i < m_list->count(); ++i) {
        const QString path = m_list->item(i)->data(Qt::UserRole).toString();
        if (path == selected)
            continue;
        QString label = m_list->item(i)->text();
        label.replace(QLatin1Char('&'), QStringLiteral("&&"));
        m_compareWithMenu->addAction(label, this, [this, selected, path] {
            QString error;
            if (!compareSnapshots(selected, path, &error))
                m_status->setText(error);
        });
    }
    if (m_compareWithMenu->isEmpty())
        m_compareWithMenu->addAction(tr("No other snapshot"))->setEnabled(false);
    m_compareWithMenu->addSeparator();
    QAction* object = m_compareWithMenu->addAction(tr("Another &Object…"), this, [this] {
        bool ok = false;
        const QString address = QInputDialog::getText(this, tr("Compare With Object"),
                                                      tr("Address of the object to compare %1 with:").arg(m_address),
                                                      QLineEdit::Normal, QString(), &ok);
        if (!ok || address.trimmed().isEmpty())
            return;
        QString error;
        if (!compareWithObject(address, &error))
            m_status->setText(error);
    });
    object->setEnabled(m_view && m_view->source() && !m_address.isEmpty());
}

void SnapshotPanel::cancelComparison()
{
    disconnect(m_sourceGoing);
    stopThread(m_thread, m_cancel);
}

void SnapshotPanel::onCompareFinished()
{
    if (!m_thread)
        return;
    disconnect(m_sourceGoing);
    m_thread->wait();
    m_thread->deleteLater();
    m_thread = nullptr;
    m_ranges = std::move(m_pendingRanges);
    for (DiffRange& range : m_ranges)
        range.offset += m_pendingBase; // object offsets
    showDifferences();
    if (m_pendingError.isEmpty()) {
        m_status->setText(m_pendingCount == 0 ? tr("Equal: no byte differs.")
                                              : tr("%n differing range(s). F7: next, Shift+F7: previous.", nullptr,
                                                   int(qMin<quint64>(m_pendingCount, INT_MAX))));
    } else {
        m_status->setText(m_pendingError);
    }
    updateButtons();
    Q_EMIT finished(m_pendingCount, m_pendingError);
}

void SnapshotPanel::showDifferences()
{
    m_table->setRowCount(0);
    m_table->setRowCount(int(m_ranges.size()));
    QList<QPair<quint64, quint64>> marks;
    for (std::size_t i = 0; i < m_ranges.size(); ++i) {
        const DiffRange& range = m_ranges[i];
        const int row = int(i);
        m_table->setItem(row, 0, new QTableWidgetItem(offsetText(range.offset)));
        m_table->setItem(row, 1, new QTableWidgetItem(QString::number(range.length)));
        m_table->setItem(row, 2, new QTableWidgetItem(hexBytes(range.oldBytes, range.length)));
        m_table->setItem(row, 3, new QTableWidgetItem(hexBytes(range.newBytes, range.length)));
        marks.append({ range.offset, range.length });
    }
    m_table->resizeColumnsToContents();
    if (m_view && m_view->changesOverview())
        m_view->changesOverview()->setDiffRanges(marks);
}

void SnapshotPanel::selectDifference(std::size_t index)
{
    if (!m_view || index >= m_ranges.size())
        return;
    const DiffRange& range = m_ranges[index];
    const quint64 size = m_view->source() ? m_view->source()->size() : 0;
    if (range.offset >= size)
        return;
    m_view->setCursorOffset(range.offset);
    m_view->setSelection(range.offset, qMin<quint64>(range.length, size - range.offset));
    m_table->selectRow(int(index));
}

bool SnapshotPanel::nextDifference()
{
    if (!m_view || m_ranges.empty())
        return false;
    const quint64 cursor = m_view->hasSelection() ? m_view->selectionStart() : m_view->cursorOffset();
    const auto it = std::upper_bound(m_ranges.begin(), m_ranges.end(), cursor,
                                     [](quint64 offset, const DiffRange& range) { return offset < range.offset; });
    if (it == m_ranges.end())
        return false;
    selectDifference(std::size_t(it - m_ranges.begin()));
    return true;
}

bool SnapshotPanel::previousDifference()
{
    if (!m_view || m_ranges.empty())
        return false;
    const quint64 cursor = m_view->hasSelection() ? m_view->selectionStart() : m_view->cursorOffset();
    const auto it = std::lower_bound(m_ranges.begin(), m_ranges.end(), cursor,
                                     [](const DiffRange& range, quint64 offset) { return range.offset < offset; });
    if (it == m_ranges.begin())
        return false;
    selectDifference(std::size_t(it - m_ranges.begin() - 1));
    return true;
}

void SnapshotPanel::setSideBySide(bool shown)
{
    if (m_sideButton->isChecked() != shown)
        m_sideButton->setChecked(shown); // comes back here through toggled()
    m_snapshotView->setSource(nullptr);
    m_snapshotSource.reset();
    if (shown && !selectedPath().isEmpty()) {
        Result<std::unique_ptr<SnapshotFile>> file
            = SnapshotFile::open(QFile::encodeName(selectedPath()).toStdString());
        if (file) {
            m_snapshotSource = std::make_unique<SnapshotByteSource>(std::move(file).value());
            m_snapshotView->setSource(m_snapshotSource.get());
        } else {
            m_status->setText(QString::fromStdString(file.error().message()));
        }
    }
    m_snapshotView->setVisible(shown && m_snapshotSource);
    followLiveView();
}

void SnapshotPanel::updateButtons()
{
    const bool open = m_view && m_view->source() && !m_address.isEmpty();
    const bool busy = m_thread || m_snapshotThread;
    m_takeButton->setEnabled(open && !busy);
    m_compareButton->setEnabled(open && !busy && m_list->currentItem());
    m_compareWithButton->setEnabled(!busy && (open || m_list->currentItem()));
    m_sideButton->setEnabled(m_list->currentItem() != nullptr);
    m_nextAction->setEnabled(!m_ranges.empty());
    m_previousAction->setEnabled(!m_ranges.empty());
}

} // namespace shmscope
