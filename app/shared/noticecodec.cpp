#include "noticecodec.h"

#include <QCborStreamReader>
#include <QCborStreamWriter>
#include <QtEndian>
#include <limits>

namespace shmscope {

namespace {

// Reasons are English on purpose: they only reach the log (qCWarning), never the user's screen.

constexpr qint64 kMaxPid = std::numeric_limits<qint32>::max(); // pid_t is a 32-bit int on Linux
// Values of keys this version does not know are skipped; deeper nesting than this is rejected so
// that a hostile frame (4096 bytes of 0x81 = nested arrays) cannot make the skip recurse far.
constexpr int kMaxNesting = 8;

// One bit per known key, to find duplicates and missing fields.
enum KeyBit : unsigned {
    KeyVersion = 1u << 0,
    KeyKind = 1u << 1,
    KeyAddress = 1u << 2,
    KeyOffset = 1u << 3,
    KeyLength = 1u << 4,
    KeyPid = 1u << 5,
    KeyInstance = 1u << 6,
    KeySequence = 1u << 7,
    KeyRole = 1u << 8,
};

struct KeyName {
    QLatin1String name;
    KeyBit bit;
};

constexpr KeyName kKeys[] = {
    { QLatin1String("v"), KeyVersion },  { QLatin1String("k"), KeyKind },     { QLatin1String("a"), KeyAddress },
    { QLatin1String("o"), KeyOffset },   { QLatin1String("n"), KeyLength },   { QLatin1String("p"), KeyPid },
    { QLatin1String("i"), KeyInstance }, { QLatin1String("s"), KeySequence }, { QLatin1String("r"), KeyRole },
};

constexpr NoticeKind kAllKinds[]
    = { NoticeKind::Hello, NoticeKind::Bye, NoticeKind::Changed, NoticeKind::Resized, NoticeKind::Removed };

// The fields each kind needs besides the common ones.
unsigned requiredKeys(NoticeKind kind)
{
    const unsigned common = KeyVersion | KeyKind | KeyAddress | KeyPid | KeyInstance | KeySequence;
    switch (kind) {
    case NoticeKind::Hello:
        return common | KeyRole;
    case NoticeKind::Changed:
        return common | KeyOffset | KeyLength;
    case NoticeKind::Resized:
        return common | KeyLength;
    case NoticeKind::Bye:
    case NoticeKind::Removed:
        break;
    }
    return common;
}

QString keyList(unsigned bits)
{
    QString names;
    for (const KeyName& key : kKeys) {
        if (bits & key.bit) {
            if (!names.isEmpty())
                names += QLatin1String(", ");
            names += QLatin1Char('\'') + key.name + QLatin1Char('\'');
        }
    }
    return names;
}

// The reader's error as a reason; EndOfFile is what a truncated payload produces.
QString cborErrorReason(QCborStreamReader& reader)
{
    const QCborError error = reader.lastError();
    if (error.c == QCborError::EndOfFile)
        return QStringLiteral("truncated CBOR: ") + error.toString();
    return QStringLiteral("malformed CBOR: ") + error.toString();
}

// Reads a text string, which may come in chunks (indefinite length). nullopt on a stream error.
std::optional<QString> readText(QCborStreamReader& reader)
{
    QString text;
    auto chunk = reader.readString();
    while (chunk.status == QCborStreamReader::Ok) {
        text += chunk.data;
        chunk = reader.readString();
    }
    if (chunk.status == QCborStreamReader::Error)
        return std::nullopt;
    return text;
}

QString typeName(const QCborStreamReader& reader)
{
    switch (reader.type()) {
    case QCborStreamReader::UnsignedInteger:
        return QStringLiteral("unsigned integer");
    case QCborStreamReader::NegativeInteger:
        return QStringLiteral("negative integer");
    case QCborStreamReader::ByteArray:
        return QStringLiteral("byte string");
    case QCborStreamReader::String:
        return QStringLiteral("text string");
    case QCborStreamReader::Array:
        return QStringLiteral("array");
    case QCborStreamReader::Map:
        return QStringLiteral("map");
    case QCborStreamReader::Tag:
        return QStringLiteral("tagged value");
    case QCborStreamReader::SimpleType:
        return QStringLiteral("simple value");
    case QCborStreamReader::Float16:
    case QCborStreamReader::Float:
    case QCborStreamReader::Double:
        return QStringLiteral("floating-point number");
    case QCborStreamReader::Invalid:
        break;
    }
    return QStringLiteral("invalid item");
}

} // namespace

QLatin1String noticeKindName(NoticeKind kind)
{
    switch (kind) {
    case NoticeKind::Hello:
        return QLatin1String("hello");
    case NoticeKind::Bye:
        return QLatin1String("bye");
    case NoticeKind::Changed:
        return QLatin1String("changed");
    case NoticeKind::Resized:
        return QLatin1String("resized");
    case NoticeKind::Removed:
        return QLatin1String("removed");
    }
    Q_UNREACHABLE();
}

QLatin1String peerRoleName(PeerRole role)
{
    return role == PeerRole::Cli ? QLatin1String("cli") : QLatin1String("gui");
}

QByteArray encodeNoticePayload(const Notice& notice)
{
    const unsigned keys = requiredKeys(notice.kind);
    int count = 0;
    for (const KeyName& key : kKeys)
        count += (keys & key.bit) ? 1 : 0;

    QByteArray payload;
    QCborStreamWriter writer(&payload);
    writer.startMap(count);
    writer.append(QLatin1String("v"));
    writer.append(kNoticeVersion);
    writer.append(QLatin1String("k"));
    writer.append(noticeKindName(notice.kind));
    writer.append(QLatin1String("a"));
    writer.append(QStringView(notice.address));
    if (keys & KeyOffset) {
        writer.append(QLatin1String("o"));
        writer.append(notice.offset);
    }
    if (keys & KeyLength) {
        writer.append(QLatin1String("n"));
        writer.append(notice.length);
    }
    writer.append(QLatin1String("p"));
    writer.append(static_cast<quint64>(notice.pid < 0 ? 0 : notice.pid));
    writer.append(QLatin1String("i"));
    writer.append(notice.instanceId);
    writer.append(QLatin1String("s"));
    writer.append(notice.sequence);
    if (keys & KeyRole) {
        writer.append(QLatin1String("r"));
        writer.append(peerRoleName(notice.role));
    }
    writer.endMap();
    return payload;
}

QByteArray frameForPayload(QByteArrayView payload)
{
    QByteArray frame(kFrameHeaderSize, Qt::Uninitialized);
    qToBigEndian<quint32>(static_cast<quint32>(payload.size()), frame.data());
    frame.append(payload.data(), payload.size());
    return frame;
}

QByteArray encodeFrame(const Notice& notice)
{
    return frameForPayload(encodeNoticePayload(notice));
}

std::optional<Notice> decodeNotice(QByteArrayView payload, QString* why)
{
    auto reject = [why](const QString& reason) -> std::optional<Notice> {
        if (why)
            *why = reason;
        return std::nullopt;
    };

    if (payload.isEmpty())
        return reject(QStringLiteral("empty payload"));
    if (payload.size() > kMaxPayloadSize)
        return reject(
            QStringLiteral("oversized payload: %1 bytes (at most %2)").arg(payload.size()).arg(kMaxPayloadSize));

    // The stream reader (rather than QCborValue::fromCbor) keeps unsigned 64-bit integers exact and
    // tells negative integers apart; QCborValue turns values above 2^63 into doubles.
    QCborStreamReader reader(payload.data(), payload.size());
    if (reader.lastError() != QCborError::NoError)
        return reject(cborErrorReason(reader));
    if (!reader.isMap())
        return reject(QStringLiteral("not a CBOR map but a %1").arg(typeName(reader)));
    if (!reader.enterContainer())
        return reject(cborErrorReason(reader));

    Notice notice;
    unsigned seen = 0;
    quint64 version = 0;
    QString kindText;
    QString roleText;
    quint64 pid = 0;

    while (reader.lastError() == QCborError::NoError && reader.hasNext()) {
        if (!reader.isString()) {
            if (reader.lastError() != QCborError::NoError)
                return reject(cborErrorReason(reader));
            return reject(QStringLiteral("map key is a %1, not a text string").arg(typeName(reader)));
        }
        const std::optional<QString> key = readText(reader);
        if (!key)
            return reject(cborErrorReason(reader));
        if (reader.lastError() != QCborError::NoError)
            return reject(cborErrorReason(reader));

        const KeyName* known = nullptr;
        for (const KeyName& candidate : kKeys) {
            if (*key == candidate.name)
                known = &candidate;
        }
        if (!known) {
            if (!reader.next(kMaxNesting))
                return reject(reader.lastError() != QCborError::NoError
                                  ? cborErrorReason(reader)
                                  : QStringLiteral("value of unknown key '%1' is nested too deeply").arg(*key));
            continue;
        }
        if (seen & known->bit)
            return reject(QStringLiteral("duplicate key '%1'").arg(known->name));
        seen |= known->bit;

        const bool isText = known->bit == KeyKind || known->bit == KeyAddress || known->bit == KeyRole;
        if (isText) {
            if (!reader.isString())
                return reject(QStringLiteral("wrong type for '%1': %2, expected a text string")
                                  .arg(known->name, typeName(reader)));
            const std::optional<QString> text = readText(reader);
            if (!text)
                return reject(cborErrorReason(reader));
            if (known->bit == KeyKind)
                kindText = *text;
            else if (known->bit == KeyAddress)
                notice.address = *text;
            else
                roleText = *text;
            continue;
        }

        if (reader.isNegativeInteger())
            return reject(QStringLiteral("negative number for '%1'").arg(known->name));
        if (!reader.isUnsignedInteger())
            return reject(QStringLiteral("wrong type for '%1': %2, expected an unsigned integer")
                              .arg(known->name, typeName(reader)));
        const quint64 value = reader.toUnsignedInteger();
        reader.next();
        switch (known->bit) {
        case KeyVersion:
            version = value;
            break;
        case KeyOffset:
            notice.offset = value;
            break;
        case KeyLength:
            notice.length = value;
            break;
        case KeyPid:
            pid = value;
            break;
        case KeyInstance:
            notice.instanceId = value;
            break;
        case KeySequence:
            notice.sequence = value;
            break;
        default:
            Q_UNREACHABLE();
        }
    }
    if (reader.lastError() != QCborError::NoError)
        return reject(cborErrorReason(reader));
    if (!reader.leaveContainer())
        return reject(cborErrorReason(reader));
    if (reader.currentOffset() != payload.size())
        return reject(QStringLiteral("%1 trailing bytes after the map").arg(payload.size() - reader.currentOffset()));

    // The version decides how to read everything else, so it is checked first.
    if (!(seen & KeyVersion))
        return reject(QStringLiteral("missing field 'v' (version)"));
    if (version != kNoticeVersion)
        return reject(
            QStringLiteral("unsupported version %1 (this receiver speaks %2)").arg(version).arg(kNoticeVersion));
    if (!(seen & KeyKind))
        return reject(QStringLiteral("missing field 'k' (kind)"));
    bool kindKnown = false;
    for (NoticeKind kind : kAllKinds) {
        if (kindText == noticeKindName(kind)) {
            notice.kind = kind;
            kindKnown = true;
        }
    }
    if (!kindKnown)
        return reject(QStringLiteral("unknown kind '%1'").arg(kindText.left(32)));

    const unsigned missing = requiredKeys(notice.kind) & ~seen;
    if (missing)
        return reject(QStringLiteral("missing field %1 for kind '%2'").arg(keyList(missing), kindText));

    if (notice.address.isEmpty())
        return reject(QStringLiteral("empty address"));
    if (pid == 0 || pid > static_cast<quint64>(kMaxPid))
        return reject(QStringLiteral("pid %1 out of range (1 to %2)").arg(pid).arg(kMaxPid));
    notice.pid = static_cast<qint64>(pid);

    if (notice.kind == NoticeKind::Changed && notice.length > std::numeric_limits<quint64>::max() - notice.offset)
        return reject(QStringLiteral("changed range %1 + %2 overflows 64 bits").arg(notice.offset).arg(notice.length));

    // Fields the kind does not carry are reset so that decode(encode(x)) compares equal to x for
    // every well-formed x, and a stray field never leaks into the receiver.
    const unsigned carried = requiredKeys(notice.kind);
    if (!(carried & KeyOffset))
        notice.offset = 0;
    if (!(carried & KeyLength))
        notice.length = 0;
    if (notice.kind == NoticeKind::Hello) {
        if (roleText == peerRoleName(PeerRole::Gui))
            notice.role = PeerRole::Gui;
        else if (roleText == peerRoleName(PeerRole::Cli))
            notice.role = PeerRole::Cli;
        else
            return reject(QStringLiteral("unknown role '%1'").arg(roleText.left(32)));
    }
    return notice;
}

std::optional<Notice> decodeFrame(QByteArrayView frame, QString* why)
{
    auto reject = [why](const QString& reason) -> std::optional<Notice> {
        if (why)
            *why = reason;
        return std::nullopt;
    };
    if (frame.size() < kFrameHeaderSize)
        return reject(QStringLiteral("truncated frame header: %1 of %2 bytes").arg(frame.size()).arg(kFrameHeaderSize));
    const quint32 length = qFromBigEndian<quint32>(frame.data());
    if (length > static_cast<quint32>(kMaxPayloadSize))
        return reject(
            QStringLiteral("oversized frame: %1 bytes announced (at most %2)").arg(length).arg(kMaxPayloadSize));
    const qsizetype available = frame.size() - kFrameHeaderSize;
    if (available < static_cast<qsizetype>(length))
        return reject(QStringLiteral("truncated frame: %1 of %2 payload bytes").arg(available).arg(length));
    if (available > static_cast<qsizetype>(length))
        return reject(QStringLiteral("%1 trailing bytes after the frame").arg(available - length));
    return decodeNotice(frame.sliced(kFrameHeaderSize), why);
}

void FrameReader::append(QByteArrayView bytes)
{
    // Consumed frames are dropped here, once per append, rather than in next(): removing each frame
    // from the front would move the rest of a large burst once per frame.
    if (m_consumed > 0) {
        m_buffer.remove(0, m_consumed);
        m_consumed = 0;
    }
    m_buffer.append(bytes.data(), bytes.size());
}

FrameReader::Status FrameReader::next(QByteArray* payload, QString* why)
{
    const qsizetype available = m_buffer.size() - m_consumed;
    if (available < kFrameHeaderSize)
        return Status::NeedMore;
    const quint32 length = qFromBigEndian<quint32>(m_buffer.constData() + m_consumed);
    if (length > static_cast<quint32>(kMaxPayloadSize)) {
        if (why)
            *why = QStringLiteral("oversized frame: %1 bytes announced (at most %2)").arg(length).arg(kMaxPayloadSize);
        return Status::Oversized;
    }
    const qsizetype frameSize = kFrameHeaderSize + static_cast<qsizetype>(length);
    if (available < frameSize)
        return Status::NeedMore;
    *payload = m_buffer.mid(m_consumed + kFrameHeaderSize, length);
    m_consumed += frameSize;
    if (m_consumed == m_buffer.size()) {
        m_buffer.clear();
        m_consumed = 0;
    }
    return Status::Frame;
}

} // namespace shmscope
