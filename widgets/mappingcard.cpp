#include "widgets/mappingcard.h"

#include "core/mapping.h"
#include "widgets/mappingbytesource.h"
#include "widgets/viewcardmodel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>
#include <climits>
#include <cstdint>

namespace shmscope {

MappingCard::MappingCard(QWidget* parent)
    : QWidget(parent)
    , m_model(new ViewCardModel(this))
    , m_table(new QTableView)
    , m_cacheLabel(new QLabel)
    , m_flushButton(new QPushButton(tr("F&lush")))
{
    setObjectName(QStringLiteral("mappingCard"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_cacheLabel->setObjectName(QStringLiteral("pageCacheLabel"));
    m_cacheLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_flushButton->setObjectName(QStringLiteral("flushButton"));
    m_flushButton->setToolTip(tr("Write the dirty pages of this view to the file now (msync) and wait"));
    connect(m_flushButton, &QPushButton::clicked, this, &MappingCard::flush);

    auto* cacheLine = new QHBoxLayout;
    cacheLine->addWidget(m_cacheLabel, 1);
    cacheLine->addWidget(m_flushButton);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_table, 1);
    layout->addLayout(cacheLine);

    m_timer.setInterval(kRefreshMs);
    connect(&m_timer, &QTimer::timeout, this, &MappingCard::refresh);
    updateCacheLine();
}

void MappingCard::setSource(MappingByteSource* source)
{
    m_source = source;
    m_pid = 0; // another object: its processes are others
    m_model->setSource(source);
    refresh();
}

void MappingCard::refresh()
{
    m_model->refresh();
    if (m_pid != 0)
        selectPidRow(); // the model was reset
    updateCacheLine();
}

bool MappingCard::selectProcess(int pid)
{
    m_pid = pid;
    refresh();
    return pid != 0 && selectPidRow();
}

bool MappingCard::selectPidRow()
{
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const QModelIndex index = m_model->index(row, ViewCardModel::Pid);
        if (index.data().toInt() == m_pid) {
            m_table->selectionModel()->setCurrentIndex(index,
                                                       QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
            m_table->scrollTo(index);
            return true;
        }
    }
    return false;
}

bool MappingCard::flush()
{
    if (!m_source)
        return false;
    const bool ok = m_source->flush();
    if (!ok)
        Q_EMIT flushFailed(m_source->errorString());
    refresh();
    return ok;
}

void MappingCard::updateCacheLine()
{
    const bool file = m_source && m_source->mapping().address().kind == Kind::File;
    m_flushButton->setVisible(file);
    m_flushButton->setEnabled(file && m_source->mapping().access() == Access::ReadWrite);
    if (!m_source) {
        m_cacheLabel->setText(tr("Page cache: no mapping"));
    } else if (const auto& cache = m_model->cache()) {
        m_cacheLabel->setText(tr("Page cache: %Ln page(s) cached, %1 dirty, %2 under writeback", nullptr,
                                 int(std::min<std::uint64_t>(cache->cached, INT_MAX)))
                                  .arg(QLocale().toString(cache->dirty), QLocale().toString(cache->writeback)));
    } else {
        m_cacheLabel->setText(tr("Page cache: %1").arg(m_model->cacheNote()));
    }
}

void MappingCard::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    m_timer.start();
    refresh();
}

void MappingCard::hideEvent(QHideEvent* event)
{
    m_timer.stop();
    QWidget::hideEvent(event);
}

} // namespace shmscope
