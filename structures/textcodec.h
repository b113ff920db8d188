#pragma once

// Strings of the supported encodings (ASCII, UTF-8, UTF-16LE, UTF-16BE) to and from UTF-8.
// Sources: the WHATWG Encoding Standard's UTF-8 and UTF-16 decoders (what TextDecoder, and so
// Kaitai's JavaScript runtime, implements); ASCII as KaitaiStream.createStringFromArray.

#include <optional>
#include <string>
#include <string_view>

namespace shmscope::structures {

/// Decodes `bytes` in `encoding` to UTF-8, as the WHATWG decoders (and so Kaitai's JavaScript
/// runtime) do: an invalid UTF-8 sequence (its maximal subpart) or an unpaired UTF-16 surrogate
/// becomes U+FFFD, an odd trailing byte in UTF-16 becomes U+FFFD. Unlike TextDecoder, a leading byte
/// order mark is kept (it is in the bytes). ASCII maps each byte to the code point of the same value
/// (bytes 0x80..0xFF as Latin-1), as Kaitai's runtime does.
std::string decodeText(std::string_view bytes, const std::string& encoding);

/// Encodes UTF-8 `text` in `encoding`. nullopt when `text` is not valid UTF-8 or holds a character
/// the encoding cannot represent (ASCII: above U+007F); `error` then says which.
std::optional<std::string> encodeText(std::string_view text, const std::string& encoding, std::string& error);

/// The size in bytes of one code unit: 2 for UTF-16, else 1 (a strz terminator has this size).
int codeUnitSize(const std::string& encoding);

/// Appends code point `cp` to `out` as UTF-8.
void appendUtf8(std::string& out, char32_t cp);

} // namespace shmscope::structures
