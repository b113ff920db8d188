#pragma once

#include <QObject>
#include <QPointer>
#include <QStringList>

class QTreeView;

namespace shmscope {

class HexView;
class StructureModel;

/// Keeps a QTreeView of a StructureModel and a HexView in step:
/// - the current row of the tree → HexView::setSelection() of its bytes (a bit field: the bytes holding
///   its bits; a node without bytes selects nothing);
/// - HexView::cursorMoved → the innermost field under the cursor becomes the tree's current row, its
///   parents expanded and the row scrolled to (StructureModel::indexForOffset());
/// - a model reset (a layout whose shape changed) keeps the expanded rows and the current row, by node
///   path, and does not move the hex view's selection.
/// Each direction is muted while the other runs, so neither loops.
class StructureViewSync : public QObject
{
    Q_OBJECT
public:
    /// Ties `tree` (showing `model`) and `hexView` (none owned; nullptr for no hex view).
    StructureViewSync(QTreeView* tree, StructureModel* model, HexView* hexView, QObject* parent = nullptr);

    /// The paths of the expanded rows (depth first), for a test or to keep them.
    QStringList expandedPaths() const;

private:
    void treeCurrentChanged();
    void hexCursorMoved(quint64 offset);
    void saveState();
    void restoreState();

    QPointer<QTreeView> m_tree;
    QPointer<StructureModel> m_model;
    QPointer<HexView> m_hexView;
    bool m_syncing = false;
    QStringList m_savedExpanded;
    QString m_savedCurrent;
};

} // namespace shmscope
