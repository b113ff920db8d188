// StructureDelegate: a list for enum and boolean fields, a line edit for the rest (see structuredelegate.h).
#include "structuredelegate.h"

#include "structuremodel.h"

#include <QComboBox>

namespace shmscope {

namespace {

// The choices of a field edited from a list (enum labels; true/false), or none.
QStringList choicesOf(const QModelIndex& index)
{
    QStringList labels = index.data(StructureModel::EnumLabelsRole).toStringList();
    if (labels.isEmpty() && index.siblingAtColumn(StructureModel::TypeColumn).data().toString() == QLatin1String("b1"))
        labels = { QStringLiteral("false"), QStringLiteral("true") };
    return labels;
}

} // namespace

QWidget* StructureDelegate::createEditor(QWidget* parent, const QStyleOptionViewItem& option,
                                         const QModelIndex& index) const
{
    const QStringList choices = choicesOf(index);
    if (choices.isEmpty())
        return QStyledItemDelegate::createEditor(parent, option, index);
    auto* combo = new QComboBox(parent);
    combo->addItems(choices);
    combo->setEditable(true); // a value without a label is typed as a number
    combo->setAccessibleName(
        tr("Value of %1").arg(index.siblingAtColumn(StructureModel::NameColumn).data().toString()));
    return combo;
}

void StructureDelegate::setEditorData(QWidget* editor, const QModelIndex& index) const
{
    if (auto* combo = qobject_cast<QComboBox*>(editor)) {
        combo->setCurrentText(index.data(Qt::EditRole).toString());
        return;
    }
    QStyledItemDelegate::setEditorData(editor, index);
}

void StructureDelegate::setModelData(QWidget* editor, QAbstractItemModel* model, const QModelIndex& index) const
{
    if (auto* combo = qobject_cast<QComboBox*>(editor)) {
        model->setData(index, combo->currentText(), Qt::EditRole);
        return;
    }
    QStyledItemDelegate::setModelData(editor, model, index);
}

} // namespace shmscope
