#include "core/nameescape.h"

#include <cstdint>

namespace shmscope {

namespace {

constexpr char hexDigits[] = "0123456789abcdef";

bool inRange(unsigned char byte, unsigned char low, unsigned char high)
{
    return byte >= low && byte <= high;
}

// The length of the well-formed UTF-8 sequence at the start of `text` (Unicode 15, table 3-7) and
// its code point; 0 when the first byte does not start one.
std::size_t decodeUtf8(std::string_view text, char32_t& codePoint)
{
    if (text.empty())
        return 0;
    const auto at = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = at(0);
    if (lead < 0x80) {
        codePoint = lead;
        return 1;
    }
    std::size_t length = 0;
    unsigned char secondLow = 0x80;
    unsigned char secondHigh = 0xbf;
    if (inRange(lead, 0xc2, 0xdf)) {
        length = 2;
    } else if (inRange(lead, 0xe0, 0xef)) {
        length = 3;
        if (lead == 0xe0)
            secondLow = 0xa0; // no overlong forms
        else if (lead == 0xed)
            secondHigh = 0x9f; // no surrogates
    } else if (inRange(lead, 0xf0, 0xf4)) {
        length = 4;
        if (lead == 0xf0)
            secondLow = 0x90; // no overlong forms
        else if (lead == 0xf4)
            secondHigh = 0x8f; // nothing above U+10FFFF
    } else {
        return 0; // a continuation byte, C0, C1 or F5..FF
    }
    if (text.size() < length || !inRange(at(1), secondLow, secondHigh))
        return 0;
    for (std::size_t i = 2; i < length; ++i) {
        if (!inRange(at(i), 0x80, 0xbf))
            return 0;
    }
    char32_t value = lead & (0xff >> (length + 1));
    for (std::size_t i = 1; i < length; ++i)
        value = (value << 6) | (at(i) & 0x3f);
    codePoint = value;
    return length;
}

// Characters that act on the terminal or the layout instead of showing themselves.
bool isHidden(char32_t c)
{
    return c < 0x20 || (c >= 0x7f && c < 0xa0) || c == 0x061c || c == 0x200e || c == 0x200f || c == 0x2028
        || c == 0x2029 || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

// How many bytes at the start of `text` are printed as they are: the length of a visible character,
// or 0 when the first byte is printed as `\xHH`.
std::size_t visibleLength(std::string_view text)
{
    char32_t codePoint = 0;
    const std::size_t length = decodeUtf8(text, codePoint);
    return length > 0 && !isHidden(codePoint) ? length : 0;
}

bool isHexDigit(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return c - 'A' + 10;
}

void appendByteEscape(std::string& out, unsigned char byte)
{
    out += "\\x";
    out += hexDigits[byte >> 4];
    out += hexDigits[byte & 0xf];
}

// Would the printed text that starts at `rest` begin with something unescapeName() reads as an
// escape, if a lone backslash were printed before it?
bool startsAnEscapeAfterBackslash(std::string_view rest)
{
    if (rest.empty())
        return false;
    if (rest[0] == '\\' || visibleLength(rest) == 0)
        return true; // printed as `\\…` or `\xHH`
    return rest.size() >= 3 && rest[0] == 'x' && isHexDigit(rest[1]) && isHexDigit(rest[2]);
}

std::string escape(std::string_view bytes, bool reversible)
{
    std::string out;
    out.reserve(bytes.size());
    std::size_t i = 0;
    while (i < bytes.size()) {
        const std::string_view rest = bytes.substr(i);
        if (rest[0] == '\\') {
            out += reversible && startsAnEscapeAfterBackslash(rest.substr(1)) ? "\\\\" : "\\";
            ++i;
            continue;
        }
        const std::size_t length = visibleLength(rest);
        if (length == 0) {
            appendByteEscape(out, static_cast<unsigned char>(rest[0]));
            ++i;
        } else {
            out.append(rest.substr(0, length));
            i += length;
        }
    }
    return out;
}

} // namespace

std::string escapeName(std::string_view bytes)
{
    return escape(bytes, true);
}

std::string printableText(std::string_view text)
{
    return escape(text, false);
}

std::string unescapeName(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] == '\\') {
            out += '\\';
            i += 2;
        } else if (text[i] == '\\' && i + 3 < text.size() && text[i + 1] == 'x' && isHexDigit(text[i + 2])
                   && isHexDigit(text[i + 3])) {
            out += static_cast<char>((hexValue(text[i + 2]) << 4) | hexValue(text[i + 3]));
            i += 4;
        } else {
            out += text[i];
            ++i;
        }
    }
    return out;
}

} // namespace shmscope
