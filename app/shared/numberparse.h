#pragma once

#include <QString>
#include <QStringView>
#include <cstdint>
#include <optional>

namespace shmscope {

// Parsers for the numbers users type into the CLI and the GUI: sizes, offsets and permission
// modes. Each returns the value, or std::nullopt and (when `error` is not null) a one-line,
// translated message that quotes the offending text, e.g. "invalid size '12Q': unknown unit 'Q'
// (use K, M or G)". Leading and trailing whitespace is ignored; signs, fractions and empty text are
// rejected. Every parser rejects values that do not fit in 64 bits instead of wrapping around.

/// Parses a size in bytes: a 0x-hex number (exact bytes, no unit), or a decimal number optionally
/// followed (after at most one space) by a unit K, M or G — powers of 1024 — also spelled KiB, MiB,
/// GiB, case-insensitive; "B" means bytes. Examples: "4096", "0x1000", "64K", "64 KiB" (what
/// formatBytes() prints), "2m", "1G".
/// "KB"/"MB"/"GB" are rejected because they commonly mean powers of 1000. Zero is accepted (callers
/// that need a non-zero size check it). Errors: empty text, a non-number, an unknown unit, a result
/// above 2^64 - 1.
std::optional<std::uint64_t> parseSize(QStringView text, QString* error = nullptr);

/// The value (0–15) of one hex digit, either case; -1 for any other character.
int hexDigitValue(QChar c);

/// Parses a byte offset: a decimal or 0x-hex number without a unit ("16", "0x10").
/// Errors: empty text, a non-number (including units such as "4K"), a value above 2^64 - 1.
std::optional<std::uint64_t> parseOffset(QStringView text, QString* error = nullptr);

/// Parses an octal permission mode: "0640", "640", "0o640"; only the permission bits 0777 are
/// accepted (no setuid/setgid/sticky bits: they mean nothing for shared memory).
/// Errors: empty text, a digit that is not octal, a value above 0777.
std::optional<std::uint32_t> parseMode(QStringView text, QString* error = nullptr);

/// Formats a mode the way parseMode() reads it back: four octal digits, "0640".
QString formatMode(std::uint32_t mode);

} // namespace shmscope
