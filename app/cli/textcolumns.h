#pragma once

#include <QString>
#include <QStringView>

namespace shmscope {

// Aligning text in columns on a terminal, where a CJK character takes two cells and a combining
// mark none: QString::leftJustified() counts UTF-16 units and misaligns translated headers.

/// The number of terminal cells `text` takes: the sum of wcwidth() (POSIX; glibc's tables follow
/// Unicode's East Asian Width) over its code points, as the current LC_CTYPE locale says. A code point
/// the locale does not know (wcwidth() < 0, e.g. anything non-ASCII in the "C" locale) counts as one
/// cell.
qsizetype displayWidth(QStringView text);

/// `text` followed by spaces up to `cells` terminal cells (unchanged when it is as wide or wider).
QString padRight(const QString& text, qsizetype cells);

/// Spaces up to `cells` terminal cells, then `text` (unchanged when it is as wide or wider).
QString padLeft(const QString& text, qsizetype cells);

} // namespace shmscope
