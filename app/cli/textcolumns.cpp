#include "textcolumns.h"

#include <QList>
#include <cwchar>

namespace shmscope {

qsizetype displayWidth(QStringView text)
{
    qsizetype cells = 0;
    for (const char32_t codePoint : text.toUcs4()) {
        const int width = ::wcwidth(static_cast<wchar_t>(codePoint));
        cells += width < 0 ? 1 : width;
    }
    return cells;
}

QString padRight(const QString& text, qsizetype cells)
{
    const qsizetype missing = cells - displayWidth(text);
    return missing > 0 ? text + QString(missing, QLatin1Char(' ')) : text;
}

QString padLeft(const QString& text, qsizetype cells)
{
    const qsizetype missing = cells - displayWidth(text);
    return missing > 0 ? QString(missing, QLatin1Char(' ')) + text : text;
}

} // namespace shmscope
