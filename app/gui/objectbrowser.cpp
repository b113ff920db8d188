#include "objectbrowser.h"

#include "app/gui/objectbrowsermodel.h"
#include "app/gui/objectbrowserworker.h"
#include "core/mapping.h"
#include "core/nameescape.h"
#include "widgets/elidedlabel.h"

#include <QAction>
#include <QComboBox>
#include <QDateTime>
#include <QDialog>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>
#include <unistd.h>

namespace shmscope {

namespace {

constexpr std::chrono::milliseconds kDefaultInterval { 5000 };

QString sizeText(std::uint64_t bytes)
{
    return QLocale().formattedDataSize(static_cast<qint64>(bytes), 1, QLocale::DataSizeIecFormat);
}

// The text filter of QSortFilterProxyModel and the kind filter (a Category, or -1 for all).
class BrowserFilter : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void setCategory(int category)
    {
        m_category = category;
        invalidateFilter();
    }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override
    {
        if (m_category >= 0
            && sourceModel()->index(sourceRow, 0, sourceParent).data(ObjectBrowserModel::CategoryRole).toInt()
                != m_category)
            return false;
        return QSortFilterProxyModel::filterAcceptsRow(sourceRow, sourceParent);
    }

private:
    int m_category = -1;
};

} // namespace

ObjectBrowserDock::ObjectBrowserDock(QWidget* parent)
    : QDockWidget(tr("Object Browser"), parent)
{
    setObjectName(QStringLiteral("objectBrowserDock")); // saveState()/restoreState() need it
    qRegisterMetaType<std::shared_ptr<const BrowserSnapshot>>();

    m_model = new ObjectBrowserModel(this);
    auto* proxy = new BrowserFilter(this);
    m_proxy = proxy;
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(ObjectBrowserModel::SortRole);
    m_proxy->setFilterKeyColumn(-1); // any column
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);

    auto* content = new QWidget;
    auto* layout = new QVBoxLayout(content);
    layout->setContentsMargins(4, 4, 4, 4);
    auto* row = new QHBoxLayout;
    m_filter = new QLineEdit;
    m_filter->setPlaceholderText(tr("Filter (address, owner, holder, state…)"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    row->addWidget(m_filter, 1);
    m_kind = new QComboBox;
    m_kind->setAccessibleName(tr("Kind"));
    m_kind->addItem(tr("All kinds"), -1);
    m_kind->addItem(tr("Shared memory"), static_cast<int>(ObjectBrowserModel::Category::Memory));
    m_kind->addItem(tr("Files"), static_cast<int>(ObjectBrowserModel::Category::File));
    m_kind->addItem(tr("Semaphores"), static_cast<int>(ObjectBrowserModel::Category::Semaphore));
    connect(m_kind, &QComboBox::currentIndexChanged, this,
            [this, proxy] { proxy->setCategory(m_kind->currentData().toInt()); });
    row->addWidget(m_kind);
    auto* refreshButton = new QPushButton(tr("Refresh"));
    connect(refreshButton, &QPushButton::clicked, this, &ObjectBrowserDock::refresh);
    m_openButton = new QPushButton(tr("Open"));
    connect(m_openButton, &QPushButton::clicked, this, &ObjectBrowserDock::openCurrent);
    m_removeButton = new QPushButton(tr("Remove…"));
    connect(m_removeButton, &QPushButton::clicked, this, &ObjectBrowserDock::removeCurrent);
    m_cleanButton = new QPushButton(tr("Clean…"));
    m_cleanButton->setToolTip(tr("Review the stale objects and remove those you check"));
    connect(m_cleanButton, &QPushButton::clicked, this, &ObjectBrowserDock::showCleanReview);
    for (QPushButton* button : { refreshButton, m_openButton, m_removeButton, m_cleanButton })
        row->addWidget(button);
    layout->addLayout(row);

    m_table = new QTableView;
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(ObjectBrowserModel::AddressColumn, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    // One line of text per object (the style's default row is nearly two lines high).
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setSectionResizeMode(ObjectBrowserModel::HoldersColumn, QHeaderView::Stretch);
    connect(m_table, &QTableView::doubleClicked, this, &ObjectBrowserDock::openCurrent);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_table, &QWidget::customContextMenuRequested, this, &ObjectBrowserDock::showContextMenu);
    m_openAction = new QAction(tr("&Open"), this);
    connect(m_openAction, &QAction::triggered, this, &ObjectBrowserDock::openCurrent);
    m_revealAction = new QAction(tr("Re&veal in Pages and Mappings"), this);
    m_revealAction->setToolTip(tr("Open the object if it is not the one shown, and show the Pages and Mappings "
                                  "docks with its holder process selected"));
    connect(m_revealAction, &QAction::triggered, this, &ObjectBrowserDock::revealCurrent);
    m_removeAction = new QAction(tr("&Remove…"), this);
    connect(m_removeAction, &QAction::triggered, this, &ObjectBrowserDock::removeCurrent);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &ObjectBrowserDock::updateButtons);
    layout->addWidget(m_table, 1);

    m_status = new ElidedLabel(tr("Listing…"));
    layout->addWidget(m_status);
    setWidget(content);

    // The worker thread: refreshes and cleans run there, one at a time, in order.
    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("ObjectBrowserWorker"));
    m_worker = new ObjectBrowserWorker;
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(this, &ObjectBrowserDock::refreshRequested, m_worker, &ObjectBrowserWorker::refresh);
    connect(this, &ObjectBrowserDock::cleanRequested, m_worker, &ObjectBrowserWorker::clean);
    connect(m_worker, &ObjectBrowserWorker::refreshed, this, &ObjectBrowserDock::onRefreshed);
    connect(m_worker, &ObjectBrowserWorker::cleaned, this, &ObjectBrowserDock::onCleaned);
    m_thread->start(QThread::LowPriority);

    m_timer = new QTimer(this);
    m_timer->setInterval(kDefaultInterval);
    connect(m_timer, &QTimer::timeout, this, &ObjectBrowserDock::refresh);
    updateButtons();
}

ObjectBrowserDock::~ObjectBrowserDock()
{
    m_thread->quit();
    m_thread->wait(); // a refresh in progress ends within the per-process budgets
}

void ObjectBrowserDock::setRefreshInterval(std::chrono::milliseconds interval)
{
    if (interval.count() <= 0) {
        m_timer->stop();
        return;
    }
    m_timer->setInterval(interval);
    if (isVisible())
        m_timer->start();
}

void ObjectBrowserDock::refresh()
{
    if (m_busy) {
        m_refreshPending = true;
        return;
    }
    m_busy = true;
    Q_EMIT refreshRequested(m_grace.count(), m_budget.count(), m_knownFiles);
}

void ObjectBrowserDock::showEvent(QShowEvent* event)
{
    QDockWidget::showEvent(event);
    if (m_timer->interval() > 0)
        m_timer->start();
    refresh();
}

void ObjectBrowserDock::hideEvent(QHideEvent* event)
{
    QDockWidget::hideEvent(event);
    m_timer->stop();
}

void ObjectBrowserDock::onRefreshed(std::shared_ptr<const BrowserSnapshot> snapshot)
{
    // Keep the current row across the reset.
    const std::optional<Address> current = currentAddress();
    m_model->setSnapshot(std::move(snapshot));
    if (current) {
        const int sourceRow = m_model->rowOf(*current);
        if (sourceRow >= 0) {
            const QModelIndex index = m_proxy->mapFromSource(m_model->index(sourceRow, 0));
            m_table->selectionModel()->setCurrentIndex(index,
                                                       QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        }
    }
    m_busy = false;
    if (!m_columnsSized && m_model->rowCount() > 0) {
        m_columnsSized = true;
        m_table->resizeColumnsToContents();
        const int cap = m_table->fontMetrics().averageCharWidth() * 36;
        for (int column = 0; column < ObjectBrowserModel::ColumnCount; ++column) {
            if (column != ObjectBrowserModel::HoldersColumn)
                m_table->setColumnWidth(column, qMin(m_table->columnWidth(column), cap));
        }
    }
    if (m_keepCleanSummary)
        m_keepCleanSummary = false; // the clean's summary stays up until the refresh after it
    else
        updateStatus();
    updateButtons();
    Q_EMIT refreshed();
    if (m_refreshPending) {
        m_refreshPending = false;
        refresh();
    }
}

void ObjectBrowserDock::updateStatus()
{
    const BrowserSnapshot* snapshot = m_model->snapshot();
    if (!snapshot)
        return;
    QStringList parts;
    if (snapshot->usage) {
        const ShmUsage& usage = *snapshot->usage;
        parts << tr("/dev/shm: %1 used of %2, %3 free")
                     .arg(sizeText(usage.used), sizeText(usage.size), sizeText(usage.free));
    }
    std::size_t stale = 0;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        if (m_model->category(row) == ObjectBrowserModel::Category::Memory)
            stale += m_model->verdict(row).state == StaleState::Stale ? 1 : 0;
    }
    parts << tr("%n object(s)", nullptr, static_cast<int>(snapshot->inventory.objects.size()));
    parts << tr("%n file(s)", nullptr, static_cast<int>(snapshot->inventory.files.size()));
    parts << tr("%n semaphore(s)", nullptr, static_cast<int>(snapshot->inventory.semaphores.size()));
    parts << tr("%n stale", nullptr, static_cast<int>(stale));
    parts << tr("%n process(es) inspected", nullptr, static_cast<int>(snapshot->inventory.processes));
    const Inventory& inventory = snapshot->inventory;
    if (inventory.uninspectedProcesses > 0) {
        QStringList pids;
        for (std::size_t i = 0; i < inventory.uninspectedPids.size() && i < 8; ++i)
            pids << QString::number(inventory.uninspectedPids[i]);
        if (inventory.uninspectedPids.size() > 8)
            pids << QStringLiteral("…");
        parts << tr("%n could not be inspected (%1)", nullptr, static_cast<int>(inventory.uninspectedProcesses))
                     .arg(pids.join(QStringLiteral(", ")));
    }
    parts << tr("at %1").arg(
        QLocale().toString(QDateTime::fromSecsSinceEpoch(snapshot->takenAt).time(), QLocale::ShortFormat));
    QString text = parts.join(QStringLiteral(" · "));
    if (!snapshot->error.isEmpty())
        text = tr("Refresh failed: %1").arg(snapshot->error) + QStringLiteral(" · ") + text;
    // Containers have IPC namespaces of their own, whose objects the kernel shows only inside them.
    m_status->setFullText(text + QStringLiteral(" · ") + tr("other IPC namespaces are not shown"));
}

int ObjectBrowserDock::currentSourceRow() const
{
    const QModelIndex index = m_table->selectionModel()->currentIndex();
    if (!index.isValid())
        return -1;
    const int row = m_proxy->mapToSource(index).row();
    return row < m_model->rowCount() ? row : -1;
}

std::optional<Address> ObjectBrowserDock::currentAddress() const
{
    const int row = currentSourceRow();
    if (row < 0)
        return std::nullopt;
    return m_model->object(row).address;
}

void ObjectBrowserDock::updateButtons()
{
    const int row = currentSourceRow();
    const bool selected = row >= 0;
    // A file is somebody's data, not a shared-memory name to remove: delete it with a file manager.
    const bool removable = selected && m_model->category(row) != ObjectBrowserModel::Category::File;
    m_openButton->setEnabled(selected);
    m_openAction->setEnabled(selected);
    m_revealAction->setEnabled(selected);
    m_removeButton->setEnabled(removable);
    m_removeAction->setEnabled(removable);
    m_cleanButton->setEnabled((!staleAddresses().isEmpty() || !staleSemaphoreKeyFiles().isEmpty()) && !m_busy);
}

void ObjectBrowserDock::setKnownFiles(const QStringList& addresses)
{
    m_knownFiles.clear();
    for (const QString& text : addresses) {
        const auto address = parseAddress(text.toStdString());
        if (address && address->kind == Kind::File)
            m_knownFiles << QString::fromStdString(address->name);
    }
}

int ObjectBrowserDock::revealPid(int row) const
{
    const ObjectInfo& info = m_model->object(row);
    const int self = static_cast<int>(::getpid());
    int selfMaps = 0;
    for (const Holder& holder : info.holders) {
        if (!holder.maps())
            continue;
        if (holder.pid != self)
            return holder.pid;
        selfMaps = self;
    }
    return selfMaps;
}

void ObjectBrowserDock::revealCurrent()
{
    const int row = currentSourceRow();
    if (row < 0)
        return;
    // A copy: the receiver may run an event loop (a question) in which a refresh replaces the model's rows.
    const Address address = m_model->object(row).address;
    Q_EMIT revealRequested(address, revealPid(row));
}

void ObjectBrowserDock::showContextMenu(const QPoint& position)
{
    if (!m_table->indexAt(position).isValid())
        return;
    updateButtons();
    QMenu menu(this);
    menu.addAction(m_openAction);
    menu.addAction(m_revealAction);
    menu.addSeparator();
    menu.addAction(m_removeAction);
    menu.exec(m_table->viewport()->mapToGlobal(position));
}

void ObjectBrowserDock::openCurrent()
{
    if (const std::optional<Address> address = currentAddress())
        Q_EMIT openRequested(*address);
}

QStringList ObjectBrowserDock::staleAddresses() const
{
    QStringList addresses;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        if (m_model->verdict(row).state == StaleState::Stale
            && m_model->category(row) == ObjectBrowserModel::Category::Memory)
            addresses << QString::fromStdString(toString(m_model->object(row).address));
    }
    return addresses;
}

QStringList ObjectBrowserDock::staleSemaphoreKeyFiles() const
{
    QStringList keyFiles;
    if (const BrowserSnapshot* snapshot = m_model->snapshot()) {
        for (const QtSemaphoreLeftover& leftover : snapshot->qtSemaphores) {
            if (leftover.verdict.state == StaleState::Stale)
                keyFiles << QString::fromStdString(leftover.keyFile);
        }
    }
    return keyFiles;
}

QString ObjectBrowserDock::removeConfirmationText(const Address& address) const
{
    const int row = m_model->rowOf(address);
    if (row < 0)
        return {};
    const ObjectInfo& info = m_model->object(row);
    const StaleVerdict& verdict = m_model->verdict(row);
    QString text = tr("Remove %1?").arg(QString::fromStdString(toString(address))) + QStringLiteral("\n\n");
    if (info.holders.empty() && info.attachCount == 0) {
        text += tr("No process was seen holding it.");
        if (info.uninspectedProcesses > 0)
            text += QLatin1Char(' ')
                + tr("%n process(es) could not be inspected and may hold it.", nullptr,
                     static_cast<int>(info.uninspectedProcesses));
    } else {
        text += tr("It is held by:");
        for (const Holder& holder : info.holders)
            text += QStringLiteral("\n  ") + QString::fromStdString(printableText(holderText(holder)));
        if (info.attachCount > info.holders.size())
            text += QStringLiteral("\n  ")
                + tr("%n more attached process(es) that could not be inspected", nullptr,
                     static_cast<int>(info.attachCount - info.holders.size()));
        text += QStringLiteral("\n\n")
            + tr("They keep their view of it, but nobody can open it by name any more; a program that opens it "
                 "again will get a new, empty object.");
    }
    text += QStringLiteral("\n\n")
        + tr("State: %1 (%2)")
              .arg(ObjectBrowserModel::stateText(verdict.state), QString::fromStdString(printableText(verdict.reason)));
    return text;
}

bool ObjectBrowserDock::removeCurrent()
{
    const std::optional<Address> address = currentAddress();
    if (!address)
        return false;
    const QString text = removeConfirmationText(*address);
    const bool confirmed = m_confirm ? m_confirm(text)
                                     : QMessageBox::warning(this, tr("Remove Object"), text,
                                                            QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel)
            == QMessageBox::Yes;
    if (!confirmed)
        return false;
    const Status removed = removeObject(*address);
    if (!removed) {
        const QString message = QString::fromStdString(removed.error().message());
        if (m_confirm)
            m_status->setFullText(message);
        else
            QMessageBox::critical(this, tr("Remove Object"), message);
        return false;
    }
    refresh();
    return true;
}

void ObjectBrowserDock::cleanAddresses(const QStringList& addresses, const QStringList& semaphoreKeyFiles)
{
    if (addresses.isEmpty() && semaphoreKeyFiles.isEmpty())
        return;
    m_busy = true;
    updateButtons();
    Q_EMIT cleanRequested(addresses, semaphoreKeyFiles, m_grace.count());
}

void ObjectBrowserDock::onCleaned(const QStringList& removed, const QStringList& kept, const QStringList& failed,
                                  const QString& error)
{
    m_busy = false;
    QString summary;
    if (!error.isEmpty()) {
        summary = tr("Clean failed: %1").arg(error);
    } else {
        summary = tr("Removed %n object(s).", nullptr, int(removed.size()));
        if (!kept.isEmpty())
            summary += QLatin1Char(' ') + tr("%n kept: no longer stale when re-checked.", nullptr, int(kept.size()));
        if (!failed.isEmpty())
            summary += QLatin1Char(' ') + tr("%n failed.", nullptr, int(failed.size()));
    }
    m_status->setFullText(summary);
    m_lastClean = removed;
    for (const QString& line : kept)
        m_lastClean << tr("kept %1").arg(line);
    m_lastClean << failed;
    m_keepCleanSummary = true;
    Q_EMIT cleaned(summary);
    refresh();
}

void ObjectBrowserDock::showCleanReview()
{
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Clean Stale Objects"));
    auto* layout = new QVBoxLayout(&dialog);
    auto* intro = new QLabel(
        tr("These objects are stale: no process maps them or holds a descriptor, every process could be inspected, "
           "and they have not changed for %1. Each one checked is examined again just before it is removed, and "
           "kept if that is no longer true.")
            .arg(ObjectBrowserModel::ageText(m_grace.count())));
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto* list = new QListWidget;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const StaleVerdict& verdict = m_model->verdict(row);
        if (verdict.state != StaleState::Stale || m_model->category(row) != ObjectBrowserModel::Category::Memory)
            continue;
        const ObjectInfo& info = m_model->object(row);
        QString text = QString::fromStdString(toString(info.address)) + QStringLiteral(" — ")
            + QString::fromStdString(printableText(verdict.reason));
        if (!verdict.leftoverOf.empty())
            text += QStringLiteral(" [") + QString::fromStdString(printableText(verdict.leftoverOf)) + QLatin1Char(']');
        auto* item = new QListWidgetItem(text, list);
        item->setData(Qt::UserRole, QString::fromStdString(toString(info.address)));
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Checked);
    }
    // QSystemSemaphore leftovers: no rows of the table (no object to open), cleaned by key file.
    constexpr int kKeyFileRole = Qt::UserRole + 1;
    if (const BrowserSnapshot* snapshot = m_model->snapshot()) {
        for (const QtSemaphoreLeftover& leftover : snapshot->qtSemaphores) {
            if (leftover.verdict.state != StaleState::Stale)
                continue;
            const QString keyFile = QString::fromStdString(printableText(leftover.keyFile));
            auto* item
                = new QListWidgetItem(tr("%1 — QSystemSemaphore: %2")
                                          .arg(keyFile, QString::fromStdString(printableText(leftover.verdict.reason))),
                                      list);
            item->setData(kKeyFileRole, QString::fromStdString(leftover.keyFile));
            item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
            item->setCheckState(Qt::Checked);
        }
    }
    layout->addWidget(list, 1);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel);
    buttons->addButton(tr("Remove Checked"), QDialogButtonBox::AcceptRole);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    layout->addWidget(buttons);
    dialog.resize(720, 360);
    if (dialog.exec() != QDialog::Accepted)
        return;
    QStringList addresses;
    QStringList keyFiles;
    for (int i = 0; i < list->count(); ++i) {
        const QListWidgetItem* item = list->item(i);
        if (item->checkState() != Qt::Checked)
            continue;
        if (item->data(kKeyFileRole).isValid())
            keyFiles << item->data(kKeyFileRole).toString();
        else
            addresses << item->data(Qt::UserRole).toString();
    }
    cleanAddresses(addresses, keyFiles);
}

} // namespace shmscope
