#pragma once

#include <QByteArray>
#include <QString>
#include <QStringView>
#include <cstddef>
#include <cstdint>
#include <optional>

namespace shmscope {

// Text forms of bytes for the CLI: the xxd-style dump of `read`, the byte lists of `watch`, and the
// parser of `write --hex`.

/// Bytes per line of hexDumpLine().
inline constexpr std::size_t kHexDumpBytesPerLine = 16;

/// One line of an xxd-style dump (the layout of `xxd`, vim's hex dumper): the offset in at least 8
/// hex digits, a colon, up to 16 bytes as 8 groups of 2 bytes in lower-case hex, two spaces and the
/// bytes as ASCII with '.' for anything not printable. A short last line is padded so the ASCII
/// column stays aligned. `offset` is relative to the object. Example:
/// "00000010: 4865 6c6c 6f20 776f 726c 6400 0000 0000  Hello world....."
QString hexDumpLine(std::uint64_t offset, const char* bytes, std::size_t count);

/// Bytes as space-separated lower-case hex pairs ("de ad be ef"). When there are more than
/// `maxBytes`, only the first `maxBytes` are shown, followed by "…" (U+2026).
QString formatByteList(const char* bytes, std::size_t count, std::size_t maxBytes = 16);

/// An offset as "0x" and at least `minDigits` lower-case hex digits: formatHexOffset(16, 8) == "0x00000010".
QString formatHexOffset(std::uint64_t offset, int minDigits = 0);

/// Parses hex bytes as typed for `write --hex`: "de ad be ef", "deadbeef", "de:ad:be:ef",
/// "0xde 0xad", "DE-AD". Groups are separated by whitespace, ':', '-' or ','; each group may start
/// with "0x" and must hold an even number of hex digits. Returns std::nullopt and sets `error`
/// (naming the bad group) on empty input, a non-hex character or an odd number of digits.
std::optional<QByteArray> parseHexBytes(QStringView text, QString* error = nullptr);

} // namespace shmscope
