#include "app/shared/numberparse.h"

#include <QCoreApplication>
#include <limits>

namespace shmscope {

namespace {

constexpr auto kMax = std::numeric_limits<std::uint64_t>::max();

void setError(QString* error, const QString& message)
{
    if (error)
        *error = message;
}

bool isDecimalDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

enum class NumberStatus { Ok, NotANumber, Overflow };

// Reads the longest run of digits at the start of `text` (decimal, or hex after "0x"/"0X") and
// reports how many characters it consumed. Written by hand rather than with QString::toULongLong
// because that one accepts signs and surrounding whitespace and cannot tell where a unit starts.
NumberStatus readNumber(QStringView text, std::uint64_t& value, qsizetype& consumed)
{
    value = 0;
    consumed = 0;
    unsigned base = 10;
    qsizetype pos = 0;
    if (text.size() >= 2 && text[0] == u'0' && (text[1] == u'x' || text[1] == u'X')) {
        base = 16;
        pos = 2;
    }
    const qsizetype firstDigit = pos;
    bool overflow = false;
    for (; pos < text.size(); ++pos) {
        const int digit
            = base == 16 ? hexDigitValue(text[pos]) : (isDecimalDigit(text[pos]) ? text[pos].unicode() - u'0' : -1);
        if (digit < 0)
            break;
        if (value > (kMax - unsigned(digit)) / base)
            overflow = true;
        else
            value = value * base + unsigned(digit);
    }
    consumed = pos;
    if (pos == firstDigit)
        return NumberStatus::NotANumber;
    return overflow ? NumberStatus::Overflow : NumberStatus::Ok;
}

// The multiplier of a size unit, or 0 when the unit is unknown.
std::uint64_t unitMultiplier(QStringView unit)
{
    struct Unit {
        const char16_t* name;
        std::uint64_t multiplier;
    };
    static constexpr Unit units[] = {
        { u"", 1 },           { u"b", 1 },
        { u"k", 1ull << 10 }, { u"kib", 1ull << 10 },
        { u"m", 1ull << 20 }, { u"mib", 1ull << 20 },
        { u"g", 1ull << 30 }, { u"gib", 1ull << 30 },
    };
    for (const Unit& u : units) {
        if (unit.compare(QStringView(u.name), Qt::CaseInsensitive) == 0)
            return u.multiplier;
    }
    return 0;
}

} // namespace

int hexDigitValue(QChar c)
{
    if (c >= u'0' && c <= u'9')
        return c.unicode() - u'0';
    if (c >= u'a' && c <= u'f')
        return c.unicode() - u'a' + 10;
    if (c >= u'A' && c <= u'F')
        return c.unicode() - u'A' + 10;
    return -1;
}

std::optional<std::uint64_t> parseSize(QStringView text, QString* error)
{
    const QStringView trimmed = text.trimmed();
    const QString quoted = trimmed.toString();
    if (trimmed.isEmpty()) {
        setError(error,
                 QCoreApplication::translate("shmscope::NumberParse",
                                             "invalid size '': empty (expected a number such as 4096, 0x1000 or 64K)"));
        return std::nullopt;
    }
    std::uint64_t value = 0;
    qsizetype consumed = 0;
    const NumberStatus status = readNumber(trimmed, value, consumed);
    if (status == NumberStatus::NotANumber) {
        setError(error,
                 QCoreApplication::translate(
                     "shmscope::NumberParse",
                     "invalid size '%1': not a number (expected decimal or 0x-hex, optionally followed by K, M or G)")
                     .arg(quoted));
        return std::nullopt;
    }
    QStringView unit = trimmed.mid(consumed);
    // One space between number and unit is allowed so that formatBytes() output ("64 KiB") reads back.
    if (unit.startsWith(u' '))
        unit = unit.mid(1);
    const bool hex = consumed > 2 && trimmed[1].toLower() == u'x';
    if (hex && !unit.isEmpty()) {
        // "0x12g" would otherwise read as 18 GiB although it looks like a mistyped hex number.
        setError(error,
                 QCoreApplication::translate("shmscope::NumberParse", "invalid size '%1': a 0x-hex size takes no unit")
                     .arg(quoted));
        return std::nullopt;
    }
    const std::uint64_t multiplier = unitMultiplier(unit);
    if (multiplier == 0) {
        setError(error,
                 QCoreApplication::translate("shmscope::NumberParse",
                                             "invalid size '%1': unknown unit '%2' (use K, M or G, powers of 1024)")
                     .arg(quoted, unit.toString()));
        return std::nullopt;
    }
    if (status == NumberStatus::Overflow || value > kMax / multiplier) {
        setError(
            error,
            QCoreApplication::translate("shmscope::NumberParse", "invalid size '%1': too large (the limit is %2 bytes)")
                .arg(quoted)
                .arg(kMax));
        return std::nullopt;
    }
    return value * multiplier;
}

std::optional<std::uint64_t> parseOffset(QStringView text, QString* error)
{
    const QStringView trimmed = text.trimmed();
    const QString quoted = trimmed.toString();
    std::uint64_t value = 0;
    qsizetype consumed = 0;
    const NumberStatus status = trimmed.isEmpty() ? NumberStatus::NotANumber : readNumber(trimmed, value, consumed);
    if (status == NumberStatus::NotANumber || consumed != trimmed.size()) {
        setError(error,
                 QCoreApplication::translate("shmscope::NumberParse",
                                             "invalid offset '%1': expected a decimal or 0x-hex number")
                     .arg(quoted));
        return std::nullopt;
    }
    if (status == NumberStatus::Overflow) {
        setError(
            error,
            QCoreApplication::translate("shmscope::NumberParse", "invalid offset '%1': too large (the limit is %2)")
                .arg(quoted)
                .arg(kMax));
        return std::nullopt;
    }
    return value;
}

std::optional<std::uint32_t> parseMode(QStringView text, QString* error)
{
    const QStringView trimmed = text.trimmed();
    const QString quoted = trimmed.toString();
    QStringView digits = trimmed;
    if (digits.startsWith(u"0o", Qt::CaseInsensitive))
        digits = digits.mid(2);
    if (digits.isEmpty()) {
        setError(error,
                 QCoreApplication::translate("shmscope::NumberParse",
                                             "invalid mode '%1': expected octal permission bits such as 0640")
                     .arg(quoted));
        return std::nullopt;
    }
    std::uint32_t value = 0;
    for (const QChar c : digits) {
        if (c < u'0' || c > u'7') {
            setError(error,
                     QCoreApplication::translate("shmscope::NumberParse",
                                                 "invalid mode '%1': expected octal permission bits such as 0640")
                         .arg(quoted));
            return std::nullopt;
        }
        value = value * 8 + (c.unicode() - u'0');
        if (value > 0777) {
            setError(error,
                     QCoreApplication::translate("shmscope::NumberParse",
                                                 "invalid mode '%1': only the permission bits up to 0777 are allowed")
                         .arg(quoted));
            return std::nullopt;
        }
    }
    return value;
}

QString formatMode(std::uint32_t mode)
{
    return QStringLiteral("%1").arg(mode & 07777, 4, 8, QLatin1Char('0'));
}

} // namespace shmscope
