#include "structures/textcodec.h"

#include <cstdint>
#include <vector>

namespace shmscope::structures {

void appendUtf8(std::string& out, char32_t cp)
{
    if (cp < 0x80) {
        out += char(cp);
    } else if (cp < 0x800) {
        out += char(0xC0 | (cp >> 6));
        out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += char(0xE0 | (cp >> 12));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    } else {
        out += char(0xF0 | (cp >> 18));
        out += char(0x80 | ((cp >> 12) & 0x3F));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    }
}

namespace {

constexpr char32_t kReplacement = 0xFFFD;

// The WHATWG UTF-8 decoder (Encoding Standard, "UTF-8 decoder").
std::string decodeUtf8(std::string_view bytes)
{
    std::string out;
    out.reserve(bytes.size());
    int needed = 0, seen = 0;
    char32_t cp = 0;
    unsigned lower = 0x80, upper = 0xBF;
    for (std::size_t i = 0; i < bytes.size();) {
        const unsigned b = static_cast<unsigned char>(bytes[i]);
        if (needed == 0) {
            ++i;
            if (b <= 0x7F) {
                out += char(b);
            } else if (b >= 0xC2 && b <= 0xDF) {
                needed = 1;
                cp = b & 0x1F;
            } else if (b >= 0xE0 && b <= 0xEF) {
                if (b == 0xE0)
                    lower = 0xA0;
                if (b == 0xED)
                    upper = 0x9F;
                needed = 2;
                cp = b & 0xF;
            } else if (b >= 0xF0 && b <= 0xF4) {
                if (b == 0xF0)
                    lower = 0x90;
                if (b == 0xF4)
                    upper = 0x8F;
                needed = 3;
                cp = b & 0x7;
            } else {
                appendUtf8(out, kReplacement);
            }
            continue;
        }
        if (b < lower || b > upper) {
            needed = seen = 0;
            cp = 0;
            lower = 0x80;
            upper = 0xBF;
            appendUtf8(out, kReplacement);
            continue; // the byte is processed again
        }
        ++i;
        lower = 0x80;
        upper = 0xBF;
        cp = (cp << 6) | (b & 0x3F);
        if (++seen == needed) {
            appendUtf8(out, cp);
            needed = seen = 0;
            cp = 0;
        }
    }
    if (needed)
        appendUtf8(out, kReplacement);
    return out;
}

// The WHATWG shared UTF-16 decoder.
std::string decodeUtf16(std::string_view bytes, bool big)
{
    std::string out;
    out.reserve(bytes.size());
    std::optional<char32_t> lead;
    std::size_t i = 0;
    for (; i + 1 < bytes.size(); i += 2) {
        const unsigned b0 = static_cast<unsigned char>(bytes[i]), b1 = static_cast<unsigned char>(bytes[i + 1]);
        const char32_t unit = big ? (b0 << 8 | b1) : (b1 << 8 | b0);
        if (lead) {
            const char32_t l = *lead;
            lead.reset();
            if (unit >= 0xDC00 && unit <= 0xDFFF) {
                appendUtf8(out, 0x10000 + ((l - 0xD800) << 10) + (unit - 0xDC00));
                continue;
            }
            appendUtf8(out, kReplacement); // and the unit is processed below
        }
        if (unit >= 0xD800 && unit <= 0xDBFF)
            lead = unit;
        else if (unit >= 0xDC00 && unit <= 0xDFFF)
            appendUtf8(out, kReplacement);
        else
            appendUtf8(out, unit);
    }
    if (lead || i < bytes.size())
        appendUtf8(out, kReplacement);
    return out;
}

// Strict UTF-8 to code points; false on invalid input.
bool codePoints(std::string_view text, std::vector<char32_t>& out)
{
    for (std::size_t i = 0; i < text.size();) {
        const unsigned b = static_cast<unsigned char>(text[i]);
        int n = b < 0x80 ? 0 : (b >> 5) == 6 ? 1 : (b >> 4) == 14 ? 2 : (b >> 3) == 30 ? 3 : -1;
        if (n < 0 || i + std::size_t(n) >= text.size() + (n == 0 ? 1 : 0))
            return false;
        char32_t cp = n == 0 ? b : n == 1 ? (b & 0x1F) : n == 2 ? (b & 0xF) : (b & 0x7);
        for (int k = 1; k <= n; ++k) {
            const unsigned c = static_cast<unsigned char>(text[i + std::size_t(k)]);
            if ((c & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (c & 0x3F);
        }
        static const char32_t minimum[] = { 0, 0x80, 0x800, 0x10000 };
        if (cp < minimum[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        out.push_back(cp);
        i += std::size_t(n) + 1;
    }
    return true;
}

} // namespace

std::string decodeText(std::string_view bytes, const std::string& encoding)
{
    if (encoding == "UTF-8")
        return decodeUtf8(bytes);
    if (encoding == "UTF-16LE" || encoding == "UTF-16BE")
        return decodeUtf16(bytes, encoding == "UTF-16BE");
    std::string out; // ASCII
    for (const char c : bytes)
        appendUtf8(out, static_cast<unsigned char>(c));
    return out;
}

std::optional<std::string> encodeText(std::string_view text, const std::string& encoding, std::string& error)
{
    std::vector<char32_t> cps;
    if (!codePoints(text, cps)) {
        error = "the text is not valid UTF-8";
        return std::nullopt;
    }
    std::string out;
    if (encoding == "UTF-8")
        return std::string(text);
    if (encoding == "UTF-16LE" || encoding == "UTF-16BE") {
        const bool big = encoding == "UTF-16BE";
        auto unit = [&](char32_t u) {
            if (big) {
                out += char(u >> 8);
                out += char(u & 0xFF);
            } else {
                out += char(u & 0xFF);
                out += char(u >> 8);
            }
        };
        for (const char32_t cp : cps) {
            if (cp >= 0x10000) {
                unit(0xD800 + ((cp - 0x10000) >> 10));
                unit(0xDC00 + ((cp - 0x10000) & 0x3FF));
            } else {
                unit(cp);
            }
        }
        return out;
    }
    for (const char32_t cp : cps) {
        if (cp > 0x7F) {
            error = "the text has characters outside ASCII";
            return std::nullopt;
        }
        out += char(cp);
    }
    return out;
}

int codeUnitSize(const std::string& encoding)
{
    return encoding == "UTF-16LE" || encoding == "UTF-16BE" ? 2 : 1;
}

} // namespace shmscope::structures
