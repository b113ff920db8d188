// StructureViewSync: the Structure panel's tree and the hex view follow each other (see structureviewsync.h).
#include "structureviewsync.h"

#include "hexview.h"
#include "structuremodel.h"

#include <QItemSelectionModel>
#include <QScopedValueRollback>
#include <QTreeView>

namespace shmscope {

StructureViewSync::StructureViewSync(QTreeView* tree, StructureModel* model, HexView* hexView, QObject* parent)
    : QObject(parent)
    , m_tree(tree)
    , m_model(model)
    , m_hexView(hexView)
{
    connect(tree->selectionModel(), &QItemSelectionModel::currentChanged, this, &StructureViewSync::treeCurrentChanged);
    // A click on the row that is already current (the hex selection moved since) selects its bytes again.
    connect(tree, &QTreeView::clicked, this, &StructureViewSync::treeCurrentChanged);
    if (hexView)
        connect(hexView, &HexView::cursorMoved, this, &StructureViewSync::hexCursorMoved);
    connect(model, &QAbstractItemModel::modelAboutToBeReset, this, &StructureViewSync::saveState);
    connect(model, &QAbstractItemModel::modelReset, this, &StructureViewSync::restoreState);
}

void StructureViewSync::treeCurrentChanged()
{
    if (m_syncing || !m_hexView || !m_tree)
        return;
    const QModelIndex current = m_tree->currentIndex();
    if (!current.isValid())
        return;
    const QList<quint64> range = current.data(StructureModel::RangeRole).value<QList<quint64>>();
    if (range.size() != 2 || range[1] == 0)
        return;
    QScopedValueRollback mute(m_syncing, true);
    m_hexView->setSelection(range[0], range[1]);
}

void StructureViewSync::hexCursorMoved(quint64 offset)
{
    if (m_syncing || !m_model || !m_tree)
        return;
    QScopedValueRollback mute(m_syncing, true);
    const QModelIndex index = m_model->indexForOffset(offset);
    if (!index.isValid() || index == m_tree->currentIndex())
        return;
    for (QModelIndex p = index.parent(); p.isValid(); p = p.parent())
        m_tree->expand(p);
    m_tree->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_tree->scrollTo(index);
}

QStringList StructureViewSync::expandedPaths() const
{
    QStringList paths;
    if (!m_tree || !m_model)
        return paths;
    std::vector<QModelIndex> pending { QModelIndex() };
    while (!pending.empty()) {
        const QModelIndex parent = pending.back();
        pending.pop_back();
        const int rows = m_model->rowCount(parent);
        for (int row = rows - 1; row >= 0; --row) {
            const QModelIndex child = m_model->index(row, 0, parent);
            if (m_tree->isExpanded(child)) {
                paths.prepend(child.data(StructureModel::PathRole).toString());
                pending.push_back(child);
            }
        }
    }
    return paths;
}

void StructureViewSync::saveState()
{
    m_savedExpanded = expandedPaths();
    m_savedCurrent = m_tree ? m_tree->currentIndex().data(StructureModel::PathRole).toString() : QString();
    if (m_tree && !m_tree->currentIndex().isValid())
        m_savedCurrent = QStringLiteral("\x01"); // none
}

void StructureViewSync::restoreState()
{
    if (!m_tree || !m_model)
        return;
    QScopedValueRollback mute(m_syncing, true);
    // The root row is expanded the first time a layout shows.
    if (m_savedExpanded.isEmpty())
        m_tree->expand(m_model->index(0, 0));
    for (const QString& path : std::as_const(m_savedExpanded))
        if (const QModelIndex index = m_model->indexForPath(path); index.isValid())
            m_tree->expand(index);
    if (m_savedCurrent != QStringLiteral("\x01"))
        if (const QModelIndex index = m_model->indexForPath(m_savedCurrent); index.isValid())
            m_tree->selectionModel()->setCurrentIndex(index,
                                                      QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_savedExpanded.clear();
    m_savedCurrent.clear();
}

} // namespace shmscope
