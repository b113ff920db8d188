#include "rawarguments.h"

namespace shmscope {

namespace {

constexpr char16_t kEscapeBase = 0xdc00;

// How many bytes a UTF-8 sequence that starts with `lead` has; 0 for a byte that cannot start one.
qsizetype sequenceLength(unsigned char lead)
{
    if (lead >= 0xc2 && lead <= 0xdf)
        return 2;
    if (lead >= 0xe0 && lead <= 0xef)
        return 3;
    if (lead >= 0xf0 && lead <= 0xf4)
        return 4;
    return 0;
}

// `raw` decoded, each byte of an ill-formed sequence kept as U+DC00 + byte.
QString decodeArgument(const QByteArray& raw)
{
    const QString plain = QString::fromUtf8(raw);
    if (plain.toUtf8() == raw)
        return plain; // well-formed UTF-8 (the usual case): nothing was replaced
    QString out;
    qsizetype i = 0;
    while (i < raw.size()) {
        const auto byte = static_cast<unsigned char>(raw.at(i));
        if (byte < 0x80) {
            out += QLatin1Char(char(byte));
            ++i;
            continue;
        }
        // Qt's decoder judges the sequence: it is well-formed exactly when it decodes to one code
        // point (one or two UTF-16 units) that encodes back to the same bytes.
        const qsizetype length = sequenceLength(byte);
        if (length > 0 && i + length <= raw.size()) {
            const QByteArray sequence = raw.mid(i, length);
            const QString decoded = QString::fromUtf8(sequence);
            if (decoded.size() <= 2 && decoded.toUtf8() == sequence) {
                out += decoded;
                i += length;
                continue;
            }
        }
        out += QChar(char16_t(kEscapeBase + byte));
        ++i;
    }
    return out;
}

} // namespace

QStringList argumentsFromArgv(int argc, const char* const* argv)
{
    QStringList arguments;
    arguments.reserve(argc);
    for (int i = 0; i < argc; ++i)
        arguments << decodeArgument(QByteArray(argv[i]));
    return arguments;
}

QByteArray argumentBytes(QStringView argument)
{
    QByteArray out;
    qsizetype start = 0; // the start of the run of ordinary characters not yet encoded
    for (qsizetype i = 0; i < argument.size(); ++i) {
        const char16_t unit = argument.at(i).unicode();
        if (unit < kEscapeBase + 0x80 || unit > kEscapeBase + 0xff)
            continue;
        // A low surrogate right after a high one is half of a real character, not an escaped byte.
        if (i > 0 && argument.at(i - 1).isHighSurrogate())
            continue;
        out += argument.mid(start, i - start).toUtf8();
        out += char(unit - kEscapeBase);
        start = i + 1;
    }
    out += argument.mid(start).toUtf8();
    return out;
}

} // namespace shmscope
