#pragma once

#include "structures/decoder.h"
#include "widgets/bytesource.h"

#include <QAbstractItemModel>
#include <QPointer>
#include <QTimer>
#include <functional>
#include <memory>

namespace shmscope {

/// A live tree of the fields of a Kaitai Struct layout (structures/) decoded over a ByteSource, for a
/// QTreeView: columns name, type, value (enums by label, -shm-kind fields in hex, strings quoted, as
/// structures::Node::displayValue()), offset (hex) and size (bytes; bits for bit fields).
///
/// Lazy: an index is computed (it names its parent and its row), and a row's node is decoded and its texts
/// made only when its data is asked for; a lazy array (structures' arrays of fixed-size elements) decodes
/// only those elements, so a 100,000-element array costs the rows on screen, not 100,000 nodes. An array
/// shows at most maxArrayRows() elements (default kMaxRows: a view lays out every row of an expanded
/// parent, and a 10^9-element array would not fit): the rest are reached with a base offset further on.
/// (Not canFetchMore()/fetchMore(): Qt 6.4's QAbstractItemModelTester calls fetchMore() from its own
/// change handlers and then reports the rows it inserts as a nested change.)
///
/// Live: refresh() decodes the layout again (the poll timer calls it every pollInterval() ms, and a change
/// of the source — ByteSource::contentsChanged, bytesWritten, sizeChanged — soon after) and compares the
/// new tree with the rows that exist: changed values emit dataChanged() for those rows only, an array
/// whose length changed gets rows inserted or removed, and any other change of shape (a switch that picks
/// another type, an `if` that flips) resets the model; views keep expansion and selection across the
/// reset by node path (pathOf()/indexForPath(), see StructurePanel).
///
/// Errors of the decoder never escape: the partial tree is shown, the node where decoding stopped shows
/// its error as its value (Qt::ToolTipRole too, ErrorRole true), and error() gives the first one.
///
/// Editing: setData() on the value column of a leaf encodes the text with structures::encodeFieldValue()
/// (range, size and encoding checks) and hands the bytes to the writer set with setWriter() (the Structure
/// panel's: HexView::editBytes(), the undoable hex edit path). Bad input emits editRefused() with one line
/// and writes nothing.
class StructureModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, TypeColumn, ValueColumn, OffsetColumn, SizeColumn, ColumnCount };
    enum Role {
        PathRole = Qt::UserRole + 1, ///< QString: the node's path ("area1.values[3]"; "" for the root)
        ErrorRole, ///< bool: decoding stopped at this node
        EnumLabelsRole, ///< QStringList: an enum field's labels (for the editor's list), else empty
        RangeRole, ///< QList<quint64>{offset, length}: the bytes of the node (bit fields: the bytes holding them)
    };
    /// The most rows an array shows by default (2^20 elements; setMaxArrayRows()).
    static constexpr int kMaxRows = 1 << 20;

    explicit StructureModel(QObject* parent = nullptr);
    ~StructureModel() override;

    /// The bytes to decode (not owned; nullptr shows nothing). Decodes at once.
    void setSource(ByteSource* source);
    ByteSource* source() const { return m_source; }
    /// The layout (nullptr shows nothing) and its root parameters' values. Decodes at once.
    void setLayout(std::shared_ptr<const structures::Schema> schema,
                   std::map<std::string, structures::Value> params = {});
    const structures::Schema* layout() const { return m_schema.get(); }
    /// Where the layout's root starts in the source, in bytes (default 0). Decodes at once.
    void setBaseOffset(quint64 offset);
    quint64 baseOffset() const { return m_offset; }
    /// How often refresh() runs, in ms (the hex view's poll interval; default 50). 0 stops polling.
    void setPollInterval(int ms);
    int pollInterval() const { return m_pollInterval; }

    /// The most rows an array shows (>= 1; default kMaxRows). Resets the model.
    void setMaxArrayRows(int rows);
    int maxArrayRows() const { return m_maxRows; }

    /// Writes an edit: (absolute offset, bytes) → true when written; on false `*error` says why.
    using Writer = std::function<bool(quint64 offset, const QByteArray& bytes, QString* error)>;
    /// Sets the writer setData() uses (without one, leaves are not editable).
    void setWriter(Writer writer) { m_writer = std::move(writer); }

    /// Decodes again and updates what changed (see the class comment). Cheap when nothing changed: one
    /// decode (lazy arrays stay lazy) and a comparison of the rows that exist.
    void refresh();

    /// The current decoded tree, or nullptr (no source or layout). Valid until the next refresh().
    structures::Tree* tree() const { return m_tree.get(); }
    /// The node of `index` in tree(), or nullptr.
    structures::Node* nodeAt(const QModelIndex& index) const;
    /// The first decoding error as one line ("area2.values: reading 4 bytes at 4096: past the end"), or empty.
    QString error() const;
    /// The path of `index`'s node ("" for the root).
    QString pathOf(const QModelIndex& index) const;
    /// The index (column 0) of the node at `path`; invalid when there is none (or it is past kMaxRows).
    QModelIndex indexForPath(const QString& path);
    /// The index (column 0) of the innermost node with bytes that contains byte `offset`; invalid when no
    /// field covers it.
    QModelIndex indexForOffset(quint64 offset);
    /// The byte range of a node: its bytes, or for a bit field the bytes that hold its bits; length 0 for a
    /// node without bytes (value instances).
    static std::pair<quint64, quint64> byteRange(const structures::Node& node);

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    bool hasChildren(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

Q_SIGNALS:
    /// A decode finished (after setLayout(), setSource(), setBaseOffset() or a refresh() that found changes).
    /// `reset` is true when everything may differ (a new layout, source, offset or shape: the model was
    /// reset); otherwise the fields that changed (range, shape, or value — except values inside lazy
    /// arrays, which would mean decoding every element; the spans of those do not depend on them) cover
    /// the bytes [changedBegin, changedEnd).
    void decoded(bool reset, quint64 changedBegin, quint64 changedEnd);
    /// An edit was refused and nothing was written; `message` is one translated line saying why.
    void editRefused(const QString& message);

private:
    struct Item;
    Item* itemAt(const QModelIndex& index) const;
    QModelIndex indexOf(const Item* item, int column = 0) const;
    Item* childItem(Item* parent, int row) const;
    bool rowHasChildren(Item* parent, int row) const;
    void rebuild();
    bool update(Item* item, structures::Node* node, QList<QModelIndex>& changed);
    void scheduleRefresh();

    QPointer<ByteSource> m_source;
    std::shared_ptr<const structures::Schema> m_schema;
    std::map<std::string, structures::Value> m_params;
    quint64 m_offset = 0;
    std::unique_ptr<structures::Tree> m_tree;
    std::unique_ptr<Item> m_root; // the invisible root: its one child is the layout's root node
    QTimer m_poll;
    int m_pollInterval = 50;
    int m_maxRows = kMaxRows;
    bool m_refreshQueued = false;
    Writer m_writer;
    QList<QMetaObject::Connection> m_sourceConnections;
};

} // namespace shmscope
