#include "widgets/datainspector.h"

#include "widgets/bytesource.h"
#include "widgets/hexview.h"

#include <QHeaderView>
#include <QTableView>
#include <QVBoxLayout>
#include <QtEndian>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <iterator>
#include <limits>

namespace shmscope {

namespace {

// The rows' names, in Row order (translated where used).
const char* const kRowNames[] = { QT_TRANSLATE_NOOP("shmscope::DataInspectorModel", "int8"),
                                  QT_TRANSLATE_NOOP("shmscope::DataInspectorModel", "uint8"),
                                  QT_TRANSLATE_NOOP("shmscope::DataInspectorModel", "int16"),
                                  QT_TRANSLATE_NOOP("shmscope::DataInspectorModel", "uint16"),
                                  QT_TRANSLATE_NOOP("shmscope::DataInspectorModel", "int32"),
                                  QT_TRANSLATE_NOOP("shmscope::DataInspectorModel", "uint32"),
                                  QT_TRANSLATE_NOOP("shmscope::DataInspectorModel", "int64"),
                                  QT_TRANSLATE_NOOP("shmscope::DataInspectorModel", "uint64"),
                                  QT_TRANSLATE_NOOP("shmscope::DataInspectorModel", "float32"),
                                  QT_TRANSLATE_NOOP("shmscope::DataInspectorModel", "float64"),
                                  QT_TRANSLATE_NOOP("shmscope::DataInspectorModel", "UTF-8 character"),
                                  QT_TRANSLATE_NOOP("shmscope::DataInspectorModel", "UTF-16 character"),
                                  QT_TRANSLATE_NOOP("shmscope::DataInspectorModel", "binary") };
static_assert(std::size(kRowNames) == DataInspectorModel::RowCount);

// Reads `size` bytes from the start of `bytes` as an unsigned integer in the given byte order.
quint64 readUnsigned(const QByteArray& bytes, int size, bool littleEndian)
{
    quint64 value = 0;
    for (int i = 0; i < size; ++i) {
        const auto byte = quint64(quint8(bytes.at(littleEndian ? size - 1 - i : i)));
        value = (value << 8) | byte;
    }
    return value;
}

QByteArray writeUnsigned(quint64 value, int size, bool littleEndian)
{
    QByteArray out(size, '\0');
    for (int i = 0; i < size; ++i) {
        const char byte = char(quint8(value >> (8 * i)));
        out[littleEndian ? i : size - 1 - i] = byte;
    }
    return out;
}

qint64 signExtend(quint64 value, int size)
{
    if (size == 8)
        return qint64(value);
    const int bits = size * 8;
    const quint64 sign = quint64(1) << (bits - 1);
    return qint64((value ^ sign) - sign);
}

int intSize(DataInspectorModel::Row row)
{
    switch (row) {
    case DataInspectorModel::Int8:
    case DataInspectorModel::UInt8:
        return 1;
    case DataInspectorModel::Int16:
    case DataInspectorModel::UInt16:
        return 2;
    case DataInspectorModel::Int32:
    case DataInspectorModel::UInt32:
        return 4;
    case DataInspectorModel::Int64:
    case DataInspectorModel::UInt64:
        return 8;
    default:
        return 0;
    }
}

bool isSigned(DataInspectorModel::Row row)
{
    return row == DataInspectorModel::Int8 || row == DataInspectorModel::Int16 || row == DataInspectorModel::Int32
        || row == DataInspectorModel::Int64;
}

// Decodes the UTF-8 sequence at the start of `bytes` (RFC 3629: no overlongs, no surrogates, at most
// U+10FFFF). Returns the code point and its length, or nullopt.
std::optional<std::pair<char32_t, int>> decodeUtf8(const QByteArray& bytes)
{
    if (bytes.isEmpty())
        return std::nullopt;
    const auto lead = quint8(bytes.at(0));
    int length = 0;
    char32_t cp = 0;
    if (lead < 0x80)
        return std::make_pair(char32_t(lead), 1);
    if ((lead & 0xe0) == 0xc0) {
        length = 2;
        cp = lead & 0x1f;
    } else if ((lead & 0xf0) == 0xe0) {
        length = 3;
        cp = lead & 0x0f;
    } else if ((lead & 0xf8) == 0xf0) {
        length = 4;
        cp = lead & 0x07;
    } else {
        return std::nullopt;
    }
    if (bytes.size() < length)
        return std::nullopt;
    for (int i = 1; i < length; ++i) {
        const auto cont = quint8(bytes.at(i));
        if ((cont & 0xc0) != 0x80)
            return std::nullopt;
        cp = (cp << 6) | (cont & 0x3f);
    }
    static constexpr char32_t kMinimum[] = { 0, 0, 0x80, 0x800, 0x10000 };
    if (cp < kMinimum[length] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return std::nullopt;
    return std::make_pair(cp, length);
}

// The UTF-16 character at the start of `bytes`: one code unit, or a surrogate pair.
std::optional<char32_t> decodeUtf16(const QByteArray& bytes, bool littleEndian)
{
    if (bytes.size() < 2)
        return std::nullopt;
    const auto first = char16_t(readUnsigned(bytes, 2, littleEndian));
    if (QChar::isLowSurrogate(first))
        return std::nullopt;
    if (!QChar::isHighSurrogate(first))
        return char32_t(first);
    if (bytes.size() < 4)
        return std::nullopt;
    const auto second = char16_t(readUnsigned(bytes.mid(2), 2, littleEndian));
    if (!QChar::isLowSurrogate(second))
        return std::nullopt;
    return QChar::surrogateToUcs4(first, second);
}

QString characterText(char32_t cp)
{
    // Control characters are shown by their code point only (they would print as nothing or garble).
    const QString code = QStringLiteral("U+%1").arg(quint32(cp), 4, 16, QLatin1Char('0')).toUpper();
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
        return code;
    return QString::fromUcs4(&cp, 1) + QStringLiteral("  ") + code;
}

QString floatText(float value)
{
    // The fewest significant digits (up to 9, always enough for float32) that read back to the same value.
    for (int precision = 6; precision < 9; ++precision) {
        const QString text = QString::number(double(value), 'g', precision);
        if (text.toFloat() == value)
            return text;
    }
    return QString::number(double(value), 'g', 9);
}

} // namespace

DataInspectorModel::DataInspectorModel(QObject* parent)
    : QAbstractTableModel(parent)
{ }

void DataInspectorModel::setHexView(HexView* view)
{
    if (m_view)
        disconnect(m_view, nullptr, this, nullptr);
    m_view = view;
    if (m_view)
        connect(m_view, &HexView::cursorMoved, this, &DataInspectorModel::refresh);
    refresh();
}

ByteSource* DataInspectorModel::source() const
{
    return m_view ? m_view->source() : nullptr;
}

void DataInspectorModel::connectSource()
{
    if (m_source)
        disconnect(m_source, nullptr, this, nullptr);
    m_source = source();
    if (!m_source)
        return;
    // Re-read only when the changed range touches the bytes shown.
    auto touches = [this](quint64 offset, quint64 length) {
        return offset < m_offset + kMaxBytes && (length == 0 || offset + length > m_offset || offset + length < offset);
    };
    connect(m_source, &ByteSource::contentsChanged, this, [this, touches](quint64 offset, quint64 length) {
        if (touches(offset, length))
            refresh();
    });
    connect(m_source, &ByteSource::bytesWritten, this, [this, touches](quint64 offset, quint64 length) {
        if (touches(offset, length))
            refresh();
    });
    connect(m_source, &ByteSource::sizeChanged, this, &DataInspectorModel::refresh);
}

void DataInspectorModel::refresh()
{
    if (source() != m_source)
        connectSource();
    QByteArray bytes;
    quint64 offset = 0;
    if (m_source && m_view) {
        offset = m_view->cursorOffset();
        const quint64 size = m_source->size();
        if (offset < size) {
            bytes.resize(qsizetype(std::min<quint64>(kMaxBytes, size - offset)));
            if (!m_source->read(offset, bytes.data(), bytes.size()))
                bytes.clear();
        }
    }
    if (offset == m_offset && bytes == m_bytes)
        return;
    m_offset = offset;
    m_bytes = bytes;
    Q_EMIT dataChanged(index(0, LittleEndianColumn), index(RowCount - 1, BigEndianColumn));
}

int DataInspectorModel::byteCount(Row row)
{
    switch (row) {
    case Float32:
        return 4;
    case Float64:
        return 8;
    case Utf8Char:
    case Utf16Char:
        return 4;
    case Binary:
        return 1;
    default:
        return intSize(row);
    }
}

std::optional<QString> DataInspectorModel::formatValue(Row row, const QByteArray& bytes, bool littleEndian)
{
    switch (row) {
    case Float32: {
        if (bytes.size() < 4)
            return std::nullopt;
        const auto bits = quint32(readUnsigned(bytes, 4, littleEndian));
        float value = 0;
        std::memcpy(&value, &bits, sizeof value);
        return floatText(value);
    }
    case Float64: {
        if (bytes.size() < 8)
            return std::nullopt;
        const quint64 bits = readUnsigned(bytes, 8, littleEndian);
        double value = 0;
        std::memcpy(&value, &bits, sizeof value);
        return QString::number(value, 'g', QLocale::FloatingPointShortest);
    }
    case Utf8Char: {
        const auto decoded = decodeUtf8(bytes);
        if (!decoded)
            return std::nullopt;
        return characterText(decoded->first);
    }
    case Utf16Char: {
        const auto decoded = decodeUtf16(bytes, littleEndian);
        if (!decoded)
            return std::nullopt;
        return characterText(*decoded);
    }
    case Binary:
        if (bytes.isEmpty())
            return std::nullopt;
        return QStringLiteral("%1").arg(quint8(bytes.at(0)), 8, 2, QLatin1Char('0'));
    case RowCount:
        return std::nullopt;
    default:
        break;
    }
    const int size = intSize(row);
    if (size == 0 || bytes.size() < size)
        return std::nullopt;
    const quint64 value = readUnsigned(bytes, size, littleEndian);
    return isSigned(row) ? QString::number(signExtend(value, size)) : QString::number(value);
}

std::optional<QByteArray> DataInspectorModel::parseValue(Row row, const QString& input, bool littleEndian,
                                                         QString* error)
{
    auto fail = [error](const QString& message) -> std::optional<QByteArray> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    const QString text = input.trimmed();
    if (text.isEmpty())
        return fail(tr("data inspector: no value entered"));

    switch (row) {
    case Float32: {
        bool ok = false;
        const float value = text.toFloat(&ok);
        if (!ok)
            return fail(tr("data inspector: '%1' is not a float32 value").arg(text));
        quint32 bits = 0;
        std::memcpy(&bits, &value, sizeof bits);
        return writeUnsigned(bits, 4, littleEndian);
    }
    case Float64: {
        bool ok = false;
        const double value = text.toDouble(&ok);
        if (!ok)
            return fail(tr("data inspector: '%1' is not a float64 value").arg(text));
        quint64 bits = 0;
        std::memcpy(&bits, &value, sizeof bits);
        return writeUnsigned(bits, 8, littleEndian);
    }
    case Utf8Char:
    case Utf16Char: {
        const QList<uint> ucs4 = text.toUcs4();
        if (ucs4.size() != 1)
            return fail(tr("data inspector: enter exactly one character, not '%1'").arg(text));
        if (row == Utf8Char)
            return text.toUtf8();
        QByteArray out;
        for (const QChar unit : text)
            out += writeUnsigned(unit.unicode(), 2, littleEndian);
        return out;
    }
    case Binary: {
        QString digits = text;
        digits.remove(QLatin1Char(' '));
        bool ok = digits.size() <= 8;
        const uint value = ok ? digits.toUInt(&ok, 2) : 0;
        if (!ok)
            return fail(tr("data inspector: '%1' is not a byte in binary (1 to 8 digits 0 or 1)").arg(text));
        return QByteArray(1, char(value));
    }
    case RowCount:
        return fail(tr("data inspector: no such row"));
    default:
        break;
    }

    // Integers: an optional sign, then decimal or 0x-hex digits, checked against the type's range.
    const int size = intSize(row);
    QStringView digits(text);
    bool negative = false;
    if (digits.startsWith(QLatin1Char('-')) || digits.startsWith(QLatin1Char('+'))) {
        negative = digits.front() == QLatin1Char('-');
        digits = digits.mid(1);
    }
    int base = 10;
    if (digits.startsWith(QLatin1String("0x"), Qt::CaseInsensitive)) {
        base = 16;
        digits = digits.mid(2);
    }
    bool ok = !digits.isEmpty() && digits.front() != QLatin1Char('+') && digits.front() != QLatin1Char('-');
    const quint64 magnitude = ok ? digits.toULongLong(&ok, base) : 0;
    const quint64 unsignedMax = size == 8 ? std::numeric_limits<quint64>::max() : (quint64(1) << (8 * size)) - 1;
    const QString typeName = tr(kRowNames[row]);
    if (!ok)
        return fail(tr("data inspector: '%1' is not a number (decimal or 0x-hex)").arg(text));
    quint64 value = 0;
    if (isSigned(row)) {
        const quint64 limit = quint64(1) << (8 * size - 1); // |min|; max is limit - 1
        if ((negative && magnitude > limit) || (!negative && magnitude >= limit))
            return fail(tr("data inspector: %1 does not fit in %2").arg(text, typeName));
        value = negative ? (~magnitude + 1) : magnitude;
    } else {
        if ((negative && magnitude != 0) || magnitude > unsignedMax)
            return fail(tr("data inspector: %1 does not fit in %2").arg(text, typeName));
        value = magnitude;
    }
    return writeUnsigned(value, size, littleEndian);
}

int DataInspectorModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : RowCount;
}

int DataInspectorModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DataInspectorModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto row = Row(index.row());
    if (index.column() == TypeColumn) {
        if (role != Qt::DisplayRole)
            return {};
        return tr(kRowNames[row]);
    }
    const bool littleEndian = index.column() == LittleEndianColumn;
    switch (role) {
    case Qt::DisplayRole: {
        const auto text = formatValue(row, m_bytes, littleEndian);
        return text ? *text : QString();
    }
    case Qt::EditRole: {
        // Characters are edited as the character alone (without its code point).
        if (row == Utf8Char || row == Utf16Char) {
            const auto cp = row == Utf8Char
                ? (decodeUtf8(m_bytes) ? std::optional<char32_t>(decodeUtf8(m_bytes)->first) : std::nullopt)
                : decodeUtf16(m_bytes, littleEndian);
            return cp ? QString::fromUcs4(&*cp, 1) : QString();
        }
        const auto text = formatValue(row, m_bytes, littleEndian);
        return text ? *text : QString();
    }
    case Qt::ToolTipRole:
        if (const auto shown = formatValue(row, m_bytes, littleEndian))
            return *shown;
        if (m_bytes.size() < (row == Utf8Char || row == Utf16Char ? 1 : byteCount(row)))
            return tr("Not enough bytes before the end of the source");
        return tr("Not a valid encoded character");
    case Qt::TextAlignmentRole:
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    default:
        return {};
    }
}

QVariant DataInspectorModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TypeColumn:
        return tr("Type");
    case LittleEndianColumn:
        return tr("Little-endian");
    case BigEndianColumn:
        return tr("Big-endian");
    default:
        return {};
    }
}

Qt::ItemFlags DataInspectorModel::flags(const QModelIndex& index) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return Qt::NoItemFlags;
    Qt::ItemFlags flags = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
    // Editable when there is a writable source and at least one byte to write at.
    if (index.column() != TypeColumn && m_source && m_source->isWritable() && !m_bytes.isEmpty())
        flags |= Qt::ItemIsEditable;
    return flags;
}

bool DataInspectorModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (role != Qt::EditRole || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)
        || index.column() == TypeColumn)
        return false;
    if (!m_view || !m_source) {
        Q_EMIT editFailed(tr("data inspector: no mapping is shown"));
        return false;
    }
    QString error;
    const auto bytes = parseValue(Row(index.row()), value.toString(), index.column() == LittleEndianColumn, &error);
    if (!bytes) {
        Q_EMIT editFailed(error);
        return false;
    }
    if (quint64(bytes->size()) > m_source->size() - std::min(m_offset, m_source->size())) {
        Q_EMIT editFailed(tr("data inspector: %1 bytes do not fit before the end of the source at offset 0x%2")
                              .arg(bytes->size())
                              .arg(m_offset, 0, 16));
        return false;
    }
    // HexView::editBytes() emits editRefused() with the reason when it fails.
    if (!m_view->editBytes(m_offset, *bytes))
        return false;
    refresh();
    return true;
}

DataInspector::DataInspector(QWidget* parent)
    : QWidget(parent)
    , m_model(new DataInspectorModel(this))
    , m_table(new QTableView(this))
{
    m_table->setModel(m_model);
    m_table->verticalHeader()->hide();
    // The type names keep their width; the two value columns share the rest of the (narrow) dock.
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(DataInspectorModel::TypeColumn, QHeaderView::ResizeToContents);
    m_table->setWordWrap(false); // long values are elided; their tooltip shows them whole
    m_table->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_table);
    connect(m_model, &DataInspectorModel::editFailed, this, &DataInspector::editFailed);
    m_pollTimer.setInterval(kPollIntervalMs);
    connect(&m_pollTimer, &QTimer::timeout, m_model, &DataInspectorModel::refresh);
}

void DataInspector::setHexView(HexView* view)
{
    m_model->setHexView(view);
}

void DataInspector::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    m_model->refresh();
    m_pollTimer.start();
}

void DataInspector::hideEvent(QHideEvent* event)
{
    QWidget::hideEvent(event);
    m_pollTimer.stop();
}

} // namespace shmscope
