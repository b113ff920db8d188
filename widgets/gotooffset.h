#pragma once

#include <QString>
#include <QStringView>
#include <optional>

namespace shmscope {

/// Parses what the user typed into "Go to Offset": an absolute offset in decimal ("4096") or 0x-hex
/// ("0x1000"), or an offset relative to `cursor` ("+16", "-0x10": forward or back from the cursor).
/// Whitespace around the text and between the sign and the number is ignored. The result must lie in
/// [0, size): returns nullopt and a one-line translated `error` (when not null) for empty text, a
/// non-number, a value above 2^64 - 1, a relative move before offset 0, an offset at or past `size`,
/// and for size 0 (nothing to go to).
std::optional<quint64> parseGoToOffset(QStringView text, quint64 cursor, quint64 size, QString* error = nullptr);

} // namespace shmscope
