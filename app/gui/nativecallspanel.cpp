#include "nativecallspanel.h"

#include "nativecallsmodel.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QScrollBar>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>

namespace shmscope {

NativeCallsPanel::NativeCallsPanel(QWidget* parent)
    : QWidget(parent)
    , m_model(new NativeCallsModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_table(new QTableView)
    , m_filter(new QLineEdit)
    , m_pause(new QToolButton)
    , m_background(new QCheckBox(tr("&Background calls")))
    , m_faults(new QCheckBox(tr("Page &faults")))
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);

    m_filter->setPlaceholderText(tr("Filter calls (name, argument, result, action)"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);

    m_pause->setText(tr("&Pause"));
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Stop recording calls (what happens meanwhile is not recorded)"));
    connect(m_pause, &QToolButton::toggled, this, [this] { updateListening(); });

    auto* clear = new QToolButton;
    clear->setText(tr("C&lear"));
    connect(clear, &QToolButton::clicked, m_model, &NativeCallsModel::clear);

    auto* copy = new QToolButton;
    copy->setText(tr("&Copy"));
    copy->setToolTip(tr("Copy the selected rows as text, as strace prints the calls"));
    connect(copy, &QToolButton::clicked, this, [this] {
        const QString text = selectedText();
        QApplication::clipboard()->setText(text);
        Q_EMIT message(tr("Copied %n row(s)", nullptr, int(text.count(QLatin1Char('\n')))));
    });

    auto* copyProgram = new QToolButton;
    copyProgram->setText(tr("Copy as C P&rogram"));
    copyProgram->setToolTip(tr("Copy the selected action's calls as a small C program that does the same"));
    connect(copyProgram, &QToolButton::clicked, this, [this] {
        const QString program = selectedProgram();
        if (program.isEmpty()) {
            Q_EMIT message(tr("Select a row of an action first"));
            return;
        }
        QApplication::clipboard()->setText(program);
        Q_EMIT message(tr("Copied the action as a C program"));
    });

    m_background->setToolTip(tr("Also record calls made outside any user action, such as the size checks of "
                                "the live view"));
    connect(m_background, &QCheckBox::toggled, m_model, &NativeCallsModel::setShowBackground);

    // Off unless asked for: a getrusage pair per action costs about as much as an edit's lock and unlock.
    m_faults->setToolTip(tr("Count the page faults of each action (the Faults column); this makes every "
                            "action slower while the dock records"));
    m_faults->setChecked(QSettings().value(QStringLiteral("nativeCalls/countPageFaults"), false).toBool());
    m_model->setCountPageFaults(m_faults->isChecked());
    connect(m_faults, &QCheckBox::toggled, this, [this](bool count) {
        QSettings().setValue(QStringLiteral("nativeCalls/countPageFaults"), count);
        m_model->setCountPageFaults(count);
    });

    auto* bar = new QHBoxLayout;
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_pause);
    bar->addWidget(clear);
    bar->addWidget(copy);
    bar->addWidget(copyProgram);
    bar->addWidget(m_background);
    bar->addWidget(m_faults);

    m_table->setModel(m_proxy);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 4);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    const int digit = m_table->fontMetrics().horizontalAdvance(QLatin1Char('0'));
    m_table->setColumnWidth(NativeCallsModel::Seq, digit * 6);
    m_table->setColumnWidth(NativeCallsModel::Time, digit * 16);
    m_table->setColumnWidth(NativeCallsModel::Thread, digit * 7);
    m_table->setColumnWidth(NativeCallsModel::Action, digit * 20);
    m_table->setColumnWidth(NativeCallsModel::Call, digit * 70);
    m_table->setColumnWidth(NativeCallsModel::Result, digit * 18);
    m_table->setColumnWidth(NativeCallsModel::Micros, digit * 8);
    // Follow new rows while the view is at the bottom.
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, [this] {
        if (!m_table->verticalScrollBar()
            || m_table->verticalScrollBar()->value() >= m_table->verticalScrollBar()->maximum() - 2)
            QMetaObject::invokeMethod(m_table, &QTableView::scrollToBottom, Qt::QueuedConnection);
    });

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(m_table, 1);
}

QString NativeCallsPanel::selectedText() const
{
    QModelIndexList rows = m_table->selectionModel() ? m_table->selectionModel()->selectedRows() : QModelIndexList();
    std::sort(rows.begin(), rows.end(), [](const QModelIndex& a, const QModelIndex& b) { return a.row() < b.row(); });
    QString text;
    for (const QModelIndex& row : rows)
        text += row.data(NativeCallsModel::LineRole).toString() + QLatin1Char('\n');
    return text;
}

QString NativeCallsPanel::selectedProgram() const
{
    const QModelIndexList rows
        = m_table->selectionModel() ? m_table->selectionModel()->selectedRows() : QModelIndexList();
    if (rows.isEmpty())
        return {};
    const quint64 actionId = rows.first().data(NativeCallsModel::ActionIdRole).toULongLong();
    return actionId == 0 ? QString() : m_model->cProgram(actionId);
}

void NativeCallsPanel::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    updateListening();
}

void NativeCallsPanel::hideEvent(QHideEvent* event)
{
    QWidget::hideEvent(event);
    updateListening();
}

void NativeCallsPanel::updateListening()
{
    m_model->setListening(isVisible() && !m_pause->isChecked());
}

} // namespace shmscope
