#pragma once

#include <QStyledItemDelegate>

namespace shmscope {

/// The editors of StructureModel's value column: a list of the labels for an enum field
/// (StructureModel::EnumLabelsRole) and of true/false for a b1 field, a line edit for the rest (integers,
/// floats, strings, hex bytes). The text goes to StructureModel::setData(), which checks it and writes
/// it, or refuses it with one line (StructureModel::editRefused()).
class StructureDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QWidget* createEditor(QWidget* parent, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    void setEditorData(QWidget* editor, const QModelIndex& index) const override;
    void setModelData(QWidget* editor, QAbstractItemModel* model, const QModelIndex& index) const override;
};

} // namespace shmscope
