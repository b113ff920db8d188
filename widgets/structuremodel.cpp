// StructureModel: the rows of a decoded Kaitai layout, made on demand, refreshed by re-decoding and
// comparing (see structuremodel.h).
#include "structuremodel.h"

#include "bytesource.h"
#include "structures/fieldwriter.h"
#include "structures/format.h"

#include <QColor>
#include <algorithm>
#include <cstring>
#include <unordered_map>

namespace shmscope {

namespace {

using structures::Node;

// The widgets' ByteSource as the decoder's: reads go through the source's fault-safe read().
class SourceAdapter : public structures::ByteSource
{
public:
    explicit SourceAdapter(shmscope::ByteSource* source)
        : m_source(source)
    { }
    std::uint64_t size() const override { return m_source ? m_source->size() : 0; }
    bool read(std::uint64_t offset, void* out, std::size_t length) const override
    {
        return m_source && m_source->read(offset, static_cast<char*>(out), qsizetype(length));
    }

private:
    QPointer<shmscope::ByteSource> m_source;
};

bool isContainer(const Node& node)
{
    return node.kind() == Node::Kind::Struct || node.kind() == Node::Kind::Array;
}

bool isLeaf(const Node& node)
{
    return !isContainer(node) && node.kind() != Node::Kind::None;
}

QString fromStd(const std::string& text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

// The text an editor starts from: the value without decoration (an enum's label, a string unquoted).
QString editText(const Node& node)
{
    const structures::Value v = node.value();
    switch (v.kind) {
    case structures::Value::Kind::Int:
        if (v.enumSpec)
            if (const std::string* label = v.enumSpec->label(v.integer))
                return fromStd(*label);
        if (const structures::Attribute* a = node.effectiveAttribute(); a && !a->shmKind.empty())
            return fromStd(node.displayValue()); // a handle is edited as it is shown: in hex
        return v.isUnsigned ? QString::number(quint64(v.integer)) : QString::number(v.integer);
    case structures::Value::Kind::Float:
        return fromStd(structures::formatFloat(v.real));
    case structures::Value::Kind::Bool:
        return v.boolean ? QStringLiteral("true") : QStringLiteral("false");
    case structures::Value::Kind::String:
        return fromStd(v.text);
    case structures::Value::Kind::Bytes:
        return fromStd(structures::hexText(v.text));
    default:
        return {};
    }
}

// Widens [begin, end) by the bytes where `a` and `b` — the same place in the old and the new tree —
// differ in shape, range or value. Lazy arrays are compared by length and range only: their elements all
// have the same shape, and the values of elements without rows matter to nobody.
void widenByDifferences(const Node& a, const Node& b, quint64& begin, quint64& end)
{
    auto widen = [&](const Node& n) {
        const auto [s, l] = StructureModel::byteRange(n);
        if (l > 0) {
            begin = std::min(begin, s);
            end = std::max(end, s + l);
        }
    };
    if (a.kind() != b.kind() || a.typeName() != b.typeName() || a.hasRange() != b.hasRange()
        || StructureModel::byteRange(a) != StructureModel::byteRange(b) || a.childCount() != b.childCount()
        || a.isLazy() != b.isLazy() || a.error() != b.error()) {
        widen(a);
        widen(b);
        return;
    }
    if (isContainer(a)) {
        if (a.isLazy())
            return;
        for (std::size_t i = 0; i < a.childCount(); ++i) {
            const Node* ca = a.child(i);
            const Node* cb = b.child(i);
            if (ca && cb) {
                widenByDifferences(*ca, *cb, begin, end);
            } else if (ca || cb) {
                widen(a);
                widen(b);
                return;
            }
        }
        return;
    }
    const structures::Value va = a.value();
    const structures::Value vb = b.value();
    if (va.kind != vb.kind || va.integer != vb.integer || std::memcmp(&va.real, &vb.real, sizeof va.real) != 0
        || va.boolean != vb.boolean || va.text != vb.text)
        widen(b);
}

} // namespace

// One row: the node it shows (in the current tree) and what the row displays, cached so that the view
// never touches the tree (and a refresh can compare old and new).
struct StructureModel::Item {
    Item* parent = nullptr;
    int row = 0;
    Node* node = nullptr;
    std::unordered_map<int, std::unique_ptr<Item>> children; // by row; made when a row's data is asked for
    quint64 total = 0; // the node's children
    int shown = 0; // rows in the model: min(total, kMaxRows), changed only between begin/end*Rows()
    int elementLeaves = -1; // arrays: whether the elements are leaves (1), not (0), not known yet (-1)
    int rows() const { return shown; }
    int maxRows = StructureModel::kMaxRows; // the model's maxArrayRows()
    int rowsWanted() const { return int(std::min<quint64>(total, quint64(maxRows))); }
    bool isArray = false;
    bool error = false;
    QString name, type, value, offset, size, tip;

    void cache()
    {
        if (!node) {
            // The node limit stopped a lazy element: a row that says so (the array's error says why).
            value = StructureModel::tr("(not decoded)");
            error = true;
            total = 0;
            return;
        }
        const Node& n = *node;
        name = fromStd(n.name());
        type = fromStd(n.typeName());
        error = !n.error().empty();
        if (n.kind() == Node::Kind::Struct)
            value = QString();
        else if (n.kind() == Node::Kind::Array)
            value = StructureModel::tr("%n element(s)", nullptr, int(std::min<std::size_t>(n.childCount(), INT_MAX)));
        else
            value = fromStd(n.displayValue());
        if (error)
            value = StructureModel::tr("⚠ %1").arg(fromStd(n.error()));
        tip = error ? fromStd(n.error()) : QString();
        if (const structures::Attribute* a = n.effectiveAttribute(); a && !a->doc.empty())
            tip = tip.isEmpty() ? fromStd(a->doc).trimmed() : tip + QLatin1Char('\n') + fromStd(a->doc).trimmed();
        const auto [start, length] = StructureModel::byteRange(n);
        if (!n.hasRange()) {
            offset.clear();
            size.clear();
        } else {
            offset = QStringLiteral("0x%1").arg(start, 0, 16);
            size = n.bitCount() > 0 ? StructureModel::tr("%n bit(s)", nullptr, n.bitCount()) : QString::number(length);
        }
        isArray = n.kind() == Node::Kind::Array;
        total = isContainer(n) ? n.childCount() : 0;
        elementLeaves = -1;
    }
};

StructureModel::StructureModel(QObject* parent)
    : QAbstractItemModel(parent)
    , m_root(std::make_unique<Item>())
{
    m_poll.setInterval(m_pollInterval);
    connect(&m_poll, &QTimer::timeout, this, &StructureModel::refresh);
}

StructureModel::~StructureModel() = default;

void StructureModel::setSource(ByteSource* source)
{
    for (const QMetaObject::Connection& c : std::as_const(m_sourceConnections))
        disconnect(c);
    m_sourceConnections.clear();
    m_source = source;
    if (source) {
        m_sourceConnections << connect(source, &ByteSource::contentsChanged, this, &StructureModel::scheduleRefresh)
                            << connect(source, &ByteSource::bytesWritten, this, &StructureModel::scheduleRefresh)
                            << connect(source, &ByteSource::sizeChanged, this, &StructureModel::scheduleRefresh)
                            << connect(source, &ByteSource::aboutToBeDestroyed, this, [this] { setSource(nullptr); });
    }
    rebuild();
}

void StructureModel::setLayout(std::shared_ptr<const structures::Schema> schema,
                               std::map<std::string, structures::Value> params)
{
    m_schema = std::move(schema);
    m_params = std::move(params);
    rebuild();
}

void StructureModel::setBaseOffset(quint64 offset)
{
    m_offset = offset;
    rebuild();
}

void StructureModel::setMaxArrayRows(int rows)
{
    m_maxRows = std::max(1, rows);
    rebuild();
}

void StructureModel::setPollInterval(int ms)
{
    m_pollInterval = std::max(0, ms);
    m_poll.setInterval(m_pollInterval);
    if (m_pollInterval == 0)
        m_poll.stop();
    else if (m_tree)
        m_poll.start();
}

void StructureModel::scheduleRefresh()
{
    if (m_refreshQueued)
        return;
    m_refreshQueued = true;
    QTimer::singleShot(0, this, [this] {
        m_refreshQueued = false;
        refresh();
    });
}

void StructureModel::rebuild()
{
    beginResetModel();
    m_root = std::make_unique<Item>();
    m_tree.reset();
    if (m_source && m_schema) {
        structures::DecodeOptions options;
        options.offset = m_offset;
        options.params = m_params;
        m_tree = structures::Tree::decode(m_schema, std::make_shared<SourceAdapter>(m_source), options);
        m_root->total = 1;
        m_root->shown = 1;
    }
    endResetModel();
    if (m_tree && m_pollInterval > 0)
        m_poll.start();
    else
        m_poll.stop();
    Q_EMIT decoded(true, 0, 0);
}

void StructureModel::refresh()
{
    if (!m_tree || !m_source || !m_schema)
        return;
    structures::DecodeOptions options;
    options.offset = m_offset;
    options.params = m_params;
    std::unique_ptr<structures::Tree> fresh
        = structures::Tree::decode(m_schema, std::make_shared<SourceAdapter>(m_source), options);
    quint64 begin = ~quint64(0);
    quint64 end = 0;
    widenByDifferences(m_tree->root(), fresh->root(), begin, end);
    QList<QModelIndex> changed;
    const auto made = m_root->children.find(0);
    Item* top = made == m_root->children.end() ? nullptr : made->second.get();
    if (top && !update(top, &fresh->root(), changed)) {
        // Another shape: start again from the new tree (views restore expansion by path).
        beginResetModel();
        m_root = std::make_unique<Item>();
        m_root->total = 1;
        m_root->shown = 1;
        m_tree = std::move(fresh);
        endResetModel();
        Q_EMIT decoded(true, 0, 0);
        return;
    }
    m_tree = std::move(fresh);
    for (const QModelIndex& index : std::as_const(changed))
        Q_EMIT dataChanged(index.siblingAtColumn(NameColumn), index.siblingAtColumn(SizeColumn));
    if (!changed.isEmpty() || begin < end)
        Q_EMIT decoded(false, begin < end ? begin : 0, begin < end ? end : 0);
}

// Rebinds `item` (and the rows made below it) to `node` of a new tree; false when the shape differs.
bool StructureModel::update(Item* item, Node* node, QList<QModelIndex>& changed)
{
    if (!item->node)
        return !node; // a placeholder stays one while the element still cannot be decoded
    if (!node || node->kind() != item->node->kind() || node->name() != item->name.toStdString()
        || node->typeName() != item->type.toStdString())
        return false;
    if (node->kind() == Node::Kind::Struct && node->childCount() != item->total)
        return false;
    const QString oldValue = item->value;
    const QString oldOffset = item->offset;
    const QString oldSize = item->size;
    const bool oldError = item->error;
    const int oldRows = item->rows();
    item->node = node;
    item->cache(); // total changes; shown (the rows the model has) changes below
    if (item->value != oldValue || item->offset != oldOffset || item->size != oldSize || item->error != oldError)
        changed << indexOf(item);
    if (item->isArray && item->rowsWanted() != oldRows) {
        // A new length: rows removed or added at the end, the others stay (and keep their state in views).
        const int rows = item->rowsWanted();
        if (rows < oldRows) {
            beginRemoveRows(indexOf(item), rows, oldRows - 1);
            std::erase_if(item->children, [rows](const auto& entry) { return entry.first >= rows; });
            item->shown = rows;
            endRemoveRows();
        } else {
            beginInsertRows(indexOf(item), oldRows, rows - 1);
            item->shown = rows;
            endInsertRows();
        }
    }
    // A copy: views answering the signals below may make rows (insert into the map) meanwhile.
    std::vector<std::pair<int, Item*>> made;
    made.reserve(item->children.size());
    for (const auto& [row, child] : item->children)
        made.emplace_back(row, child.get());
    for (const auto& [row, child] : made)
        if (!update(child, node->child(std::size_t(row)), changed))
            return false;
    return true;
}

StructureModel::Item* StructureModel::itemAt(const QModelIndex& index) const
{
    if (!index.isValid())
        return m_root.get();
    return childItem(static_cast<Item*>(index.internalPointer()), index.row());
}

QModelIndex StructureModel::indexOf(const Item* item, int column) const
{
    if (!item || item == m_root.get())
        return {};
    return createIndex(item->row, column, item->parent);
}

StructureModel::Item* StructureModel::childItem(Item* parent, int row) const
{
    if (row < 0 || row >= parent->rows())
        return nullptr;
    std::unique_ptr<Item>& slot = parent->children[row];
    if (!slot) {
        Node* node = parent == m_root.get() ? &m_tree->root()
            : parent->node                  ? parent->node->child(std::size_t(row))
                                            : nullptr;
        slot = std::make_unique<Item>();
        slot->parent = parent;
        slot->row = row;
        slot->node = node;
        slot->maxRows = m_maxRows;
        slot->cache();
        slot->shown = slot->rowsWanted();
    }
    return slot.get();
}

// An index names its parent's row (the internal pointer is the parent's Item): making one costs nothing,
// so a view may lay out a 100,000-element array; the element is decoded when its data is asked for.
QModelIndex StructureModel::index(int row, int column, const QModelIndex& parent) const
{
    if (column < 0 || column >= ColumnCount || (parent.isValid() && parent.column() != 0))
        return {};
    Item* item = itemAt(parent);
    if (!item || row < 0 || row >= item->rows())
        return {};
    return createIndex(row, column, item);
}

QModelIndex StructureModel::parent(const QModelIndex& child) const
{
    if (!child.isValid())
        return {};
    return indexOf(static_cast<Item*>(child.internalPointer()));
}

int StructureModel::rowCount(const QModelIndex& parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    const Item* item = itemAt(parent);
    return item ? item->rows() : 0;
}

int StructureModel::columnCount(const QModelIndex&) const
{
    return ColumnCount;
}

bool StructureModel::hasChildren(const QModelIndex& parent) const
{
    if (!parent.isValid())
        return m_root->rows() > 0;
    return parent.column() == 0 && rowHasChildren(static_cast<Item*>(parent.internalPointer()), parent.row());
}

// Whether row `row` of `parent` has children, without decoding it when it is an element of a lazy array
// (a view asks this of every row of an expanded array when it lays it out).
bool StructureModel::rowHasChildren(Item* parent, int row) const
{
    if (const auto made = parent->children.find(row); made != parent->children.end())
        return made->second->rows() > 0;
    if (parent->isArray && parent->node) {
        if (!parent->node->isLazy()) {
            const Node* element = parent->node->child(std::size_t(row)); // decoded already
            return element && isContainer(*element) && element->childCount() > 0;
        }
        if (parent->elementLeaves < 0) {
            // Lazy arrays hold elements of one fixed shape: element 0 tells for all.
            const Node* first = parent->node->child(0);
            parent->elementLeaves = !first || !isContainer(*first) || first->childCount() == 0;
        }
        return parent->elementLeaves == 0;
    }
    const Item* item = childItem(parent, row);
    return item && item->rows() > 0;
}

QVariant StructureModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid())
        return {};
    const Item* item = itemAt(index);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return item->name;
        case TypeColumn:
            return item->type;
        case ValueColumn:
            return item->value;
        case OffsetColumn:
            return item->offset;
        case SizeColumn:
            return item->size;
        }
        return {};
    case Qt::EditRole:
        if (index.column() == ValueColumn && item->node && isLeaf(*item->node))
            return editText(*item->node);
        return data(index, Qt::DisplayRole);
    case Qt::ToolTipRole:
        return item->tip.isEmpty() ? QVariant() : QVariant(item->tip);
    case Qt::ForegroundRole:
        if (item->error)
            return QColor(Qt::red);
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == OffsetColumn || index.column() == SizeColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case PathRole:
        return pathOf(index);
    case ErrorRole:
        return item->error;
    case EnumLabelsRole: {
        QStringList labels;
        if (const structures::Attribute* a = item->node ? item->node->effectiveAttribute() : nullptr; a && a->enumSpec)
            for (const auto& entry : a->enumSpec->values)
                labels << fromStd(entry.second);
        return labels;
    }
    case RangeRole: {
        const auto [start, length] = item->node ? byteRange(*item->node) : std::pair<quint64, quint64> { 0, 0 };
        return QVariant::fromValue(QList<quint64> { start, length });
    }
    }
    return {};
}

QVariant StructureModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Name");
    case TypeColumn:
        return tr("Type");
    case ValueColumn:
        return tr("Value");
    case OffsetColumn:
        return tr("Offset");
    case SizeColumn:
        return tr("Size");
    }
    return {};
}

Qt::ItemFlags StructureModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags result = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (!rowHasChildren(static_cast<Item*>(index.internalPointer()), index.row()))
        result |= Qt::ItemNeverHasChildren;
    if (index.column() != ValueColumn)
        return result;
    const Item* item = itemAt(index);
    if (index.column() == ValueColumn && m_writer && m_source && m_source->isWritable() && item->node
        && isLeaf(*item->node) && item->node->hasRange() && !item->error && !item->node->isInstance())
        result |= Qt::ItemIsEditable;
    return result;
}

bool StructureModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (role != Qt::EditRole || !index.isValid() || !(flags(index) & Qt::ItemIsEditable))
        return false;
    const Node* node = itemAt(index)->node;
    const QString path = pathOf(index);
    const QString text = value.toString();
    if (text == editText(*node))
        return false; // unchanged: nothing to write
    std::string why;
    const std::optional<structures::FieldPatch> patch
        = structures::encodeFieldValue(*node, text.toStdString(), m_tree->source(), why);
    if (!patch) {
        Q_EMIT editRefused(tr("Edit %1: %2; nothing written").arg(path, fromStd(why)));
        return false;
    }
    QString error;
    if (!m_writer(patch->offset, QByteArray(patch->bytes.data(), qsizetype(patch->bytes.size())), &error)) {
        Q_EMIT editRefused(tr("Edit %1: %2; nothing written").arg(path, error));
        return false;
    }
    refresh();
    return true;
}

structures::Node* StructureModel::nodeAt(const QModelIndex& index) const
{
    return index.isValid() ? itemAt(index)->node : nullptr;
}

QString StructureModel::error() const
{
    if (!m_tree || m_tree->error().empty())
        return {};
    const std::string& path = m_tree->errorPath();
    return tr("%1: %2").arg(fromStd(path.empty() ? m_tree->schema().id : path), fromStd(m_tree->error()));
}

QString StructureModel::pathOf(const QModelIndex& index) const
{
    const Node* node = nodeAt(index);
    return node ? fromStd(node->path()) : QString();
}

QModelIndex StructureModel::indexForPath(const QString& path)
{
    if (!m_tree)
        return {};
    const Node* node = m_tree->find(path.toStdString());
    if (!node)
        return {};
    // The rows from the root down to `node`.
    std::vector<quint64> rows;
    for (const Node* n = node; n->parent(); n = n->parent()) {
        const Node* p = n->parent();
        if (n->isElement()) {
            rows.push_back(n->index());
            continue;
        }
        const std::size_t count = p->childCount();
        std::size_t row = 0;
        while (row < count && p->child(row) != n)
            ++row;
        if (row == count)
            return {};
        rows.push_back(row);
    }
    Item* item = childItem(m_root.get(), 0);
    for (auto it = rows.rbegin(); item && it != rows.rend(); ++it)
        item = *it < quint64(item->rows()) ? childItem(item, int(*it)) : nullptr;
    return indexOf(item);
}

std::pair<quint64, quint64> StructureModel::byteRange(const structures::Node& node)
{
    if (node.bitCount() > 0 && node.bitStart() >= 0) {
        const quint64 first = quint64(node.bitStart()) / 8;
        const quint64 last = (quint64(node.bitStart()) + quint64(node.bitCount()) - 1) / 8;
        return { first, last - first + 1 };
    }
    if (!node.hasRange())
        return { 0, 0 };
    return { node.offset(), node.size() };
}

QModelIndex StructureModel::indexForOffset(quint64 offset)
{
    if (!m_tree)
        return {};
    auto covers = [offset](const Node& n) {
        const auto [s, l] = byteRange(n);
        return l > 0 && offset >= s && offset - s < l;
    };
    Node* node = &m_tree->root();
    if (!covers(*node))
        return {};
    for (;;) {
        Node* next = nullptr;
        const std::size_t count = node->childCount();
        if (node->kind() == Node::Kind::Array && count > 0) {
            // Elements lie in increasing offsets: a lazy array's at a fixed stride, others by search.
            std::size_t i = 0;
            if (node->isLazy()) {
                const Node* first = node->child(0);
                const quint64 stride = first ? first->size() : 0;
                i = stride > 0 && offset >= first->offset() ? std::size_t((offset - first->offset()) / stride) : 0;
            } else {
                std::size_t lo = 0, hi = count;
                while (hi - lo > 1) {
                    const std::size_t mid = lo + (hi - lo) / 2;
                    const Node* m = node->child(mid);
                    if (m && m->hasRange() && byteRange(*m).first <= offset)
                        lo = mid;
                    else
                        hi = mid;
                }
                i = lo;
            }
            if (i < count)
                if (Node* c = node->child(i); c && covers(*c))
                    next = c;
        } else if (node->kind() == Node::Kind::Struct) {
            for (std::size_t i = 0; i < count && !next; ++i)
                if (Node* c = node->child(i); c && covers(*c))
                    next = c;
        }
        if (!next)
            break;
        node = next;
    }
    return indexForPath(fromStd(node->path()));
}

} // namespace shmscope
