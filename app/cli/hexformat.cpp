#include "hexformat.h"

#include "app/shared/numberparse.h"
#include "cli.h"
#include "core/transfer.h"

#include <algorithm>

namespace shmscope {

namespace {

const char kHexDigits[] = "0123456789abcdef";

bool isSeparator(QChar c)
{
    return c.isSpace() || c == u':' || c == u'-' || c == u',';
}

} // namespace

QString hexDumpLine(std::uint64_t offset, const char* bytes, std::size_t count)
{
    // The layout lives in the core (core/transfer.h), which exports and imports it too.
    return QString::fromStdString(shmscope::hexDumpLine(offset, reinterpret_cast<const std::uint8_t*>(bytes),
                                                        std::min(count, kHexDumpBytesPerLine)));
}

QString formatByteList(const char* bytes, std::size_t count, std::size_t maxBytes)
{
    QByteArray text;
    const std::size_t shown = count < maxBytes ? count : maxBytes;
    for (std::size_t i = 0; i < shown; ++i) {
        if (i > 0)
            text += ' ';
        const auto byte = static_cast<unsigned char>(bytes[i]);
        text += kHexDigits[byte >> 4];
        text += kHexDigits[byte & 0xf];
    }
    QString result = QString::fromLatin1(text);
    if (shown < count)
        result += QChar(0x2026); // HORIZONTAL ELLIPSIS
    return result;
}

QString formatHexOffset(std::uint64_t offset, int minDigits)
{
    return QLatin1String("0x") + QString::number(qulonglong(offset), 16).rightJustified(minDigits, QLatin1Char('0'));
}

std::optional<QByteArray> parseHexBytes(QStringView text, QString* error)
{
    QByteArray bytes;
    qsizetype pos = 0;
    while (pos < text.size()) {
        if (isSeparator(text[pos])) {
            ++pos;
            continue;
        }
        qsizetype end = pos;
        while (end < text.size() && !isSeparator(text[end]))
            ++end;
        QStringView group = text.mid(pos, end - pos);
        const QString groupText = group.toString();
        if (group.startsWith(u"0x", Qt::CaseInsensitive))
            group = group.mid(2);
        if (group.isEmpty()) {
            if (error)
                *error = Cli::tr("invalid hex bytes: '%1' has no digits").arg(groupText);
            return std::nullopt;
        }
        for (const QChar c : group) {
            if (hexDigitValue(c) < 0) {
                if (error)
                    *error = Cli::tr("invalid hex bytes: '%1' is not a hex digit (in '%2')").arg(QString(c), groupText);
                return std::nullopt;
            }
        }
        if (group.size() % 2 != 0) {
            if (error)
                *error = Cli::tr("invalid hex bytes: '%1' has an odd number of hex digits").arg(groupText);
            return std::nullopt;
        }
        for (qsizetype i = 0; i < group.size(); i += 2)
            bytes += char(hexDigitValue(group[i]) * 16 + hexDigitValue(group[i + 1]));
        pos = end;
    }
    if (bytes.isEmpty()) {
        if (error)
            *error = Cli::tr("invalid hex bytes: no bytes given");
        return std::nullopt;
    }
    return bytes;
}

} // namespace shmscope
