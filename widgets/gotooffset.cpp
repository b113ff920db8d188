#include "widgets/gotooffset.h"

#include <QCoreApplication>
#include <cctype>

namespace shmscope {

std::optional<quint64> parseGoToOffset(QStringView input, quint64 cursor, quint64 size, QString* error)
{
    auto fail = [error](const QString& message) -> std::optional<quint64> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    const QStringView text = input.trimmed();
    if (text.isEmpty())
        return fail(QCoreApplication::translate("shmscope::GoToOffset", "go to offset: no offset entered"));
    QStringView number = text;
    int sign = 0; // 0 absolute, +1 forward, -1 back from the cursor
    if (number.startsWith(QLatin1Char('+')) || number.startsWith(QLatin1Char('-'))) {
        sign = number.front() == QLatin1Char('+') ? 1 : -1;
        number = number.mid(1).trimmed();
    }
    int base = 10;
    if (number.startsWith(QLatin1String("0x"), Qt::CaseInsensitive)) {
        base = 16;
        number = number.mid(2);
    }
    // QStringView::toULongLong() would accept a second sign and inner spaces; only digits are allowed.
    bool ok = !number.isEmpty();
    for (const QChar c : number) {
        if (!(base == 16 ? isxdigit(c.toLatin1()) != 0 : c.isDigit()) || c.unicode() > 0x7f)
            ok = false;
    }
    const quint64 value = ok ? number.toULongLong(&ok, base) : 0;
    if (!ok)
        return fail(QCoreApplication::translate(
                        "shmscope::GoToOffset",
                        "go to offset: '%1' is not an offset (decimal, 0x-hex, or +N/-N from the cursor)")
                        .arg(text));
    if (size == 0)
        return fail(QCoreApplication::translate("shmscope::GoToOffset", "go to offset: the mapping is empty"));
    quint64 target = value;
    if (sign > 0) {
        if (value > ~quint64(0) - cursor)
            return fail(QCoreApplication::translate("shmscope::GoToOffset",
                                                    "go to offset: %1 from the cursor at %2 is past the end (%3 bytes)")
                            .arg(text)
                            .arg(cursor)
                            .arg(size));
        target = cursor + value;
    } else if (sign < 0) {
        if (value > cursor)
            return fail(QCoreApplication::translate("shmscope::GoToOffset",
                                                    "go to offset: %1 from the cursor at %2 is before the start")
                            .arg(text)
                            .arg(cursor));
        target = cursor - value;
    }
    if (target >= size)
        return fail(QCoreApplication::translate("shmscope::GoToOffset", "go to offset: %1 is past the end (%2 bytes)")
                        .arg(text)
                        .arg(size));
    return target;
}

} // namespace shmscope
