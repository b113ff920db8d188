#include "structures/fieldwriter.h"

#include "structures/evaluator.h"
#include "structures/textcodec.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>

namespace shmscope::structures {

namespace {

// Parses a decimal or 0x-hex integer with an optional sign into magnitude and sign.
bool parseInteger(const std::string& text, bool& negative, U128& magnitude)
{
    std::size_t i = 0;
    negative = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+'))
        negative = text[i++] == '-';
    int base = 10;
    if (text.size() > i + 1 && text[i] == '0' && (text[i + 1] == 'x' || text[i + 1] == 'X')) {
        base = 16;
        i += 2;
    }
    if (i >= text.size())
        return false;
    magnitude = 0;
    for (; i < text.size(); ++i) {
        const char c = text[i];
        int d = c >= '0' && c <= '9' ? c - '0'
            : c >= 'a' && c <= 'f'   ? c - 'a' + 10
            : c >= 'A' && c <= 'F'   ? c - 'A' + 10
                                     : 99;
        if (d >= base)
            return false;
        magnitude = magnitude * unsigned(base) + unsigned(d);
        if (magnitude > (U128)(1) << 65)
            return false;
    }
    return true;
}

std::optional<std::string> parseHex(const std::string& text)
{
    std::string out;
    int high = -1;
    for (const char c : text) {
        if (c == ' ' || c == ':' || c == '\t')
            continue;
        const int d = c >= '0' && c <= '9' ? c - '0'
            : c >= 'a' && c <= 'f'         ? c - 'a' + 10
            : c >= 'A' && c <= 'F'         ? c - 'A' + 10
                                           : -1;
        if (d < 0)
            return std::nullopt;
        if (high < 0) {
            high = d;
        } else {
            out += char(high << 4 | d);
            high = -1;
        }
    }
    if (high >= 0)
        return std::nullopt;
    return out;
}

std::string rangeText(bool isSigned, int bits)
{
    if (isSigned)
        return "-" + std::to_string(std::uint64_t(1) << (bits - 1)) + ".."
            + std::to_string((std::uint64_t(1) << (bits - 1)) - 1);
    if (bits == 64)
        return "0..18446744073709551615";
    return "0.." + std::to_string((std::uint64_t(1) << bits) - 1);
}

} // namespace

std::optional<FieldPatch> encodeFieldValue(const Node& node, const std::string& text, const ByteSource& source,
                                           std::string& error)
{
    const Attribute* a = node.effectiveAttribute();
    if (node.kind() == Node::Kind::Struct || node.kind() == Node::Kind::Array) {
        error = "'" + node.path() + "' is not a leaf field (write one of its fields)";
        return std::nullopt;
    }
    if (!node.hasRange() || !a || a->value) {
        error = "'" + node.path() + "' is computed (a value instance) and has no bytes of its own";
        return std::nullopt;
    }
    if (a->contents) {
        error = "'" + node.path() + "' is fixed contents (magic) and cannot be changed";
        return std::nullopt;
    }
    if (!node.error().empty() || node.incomplete()) {
        error = "'" + node.path() + "' could not be decoded: " + node.error();
        return std::nullopt;
    }
    if (node.kind() == Node::Kind::None) {
        error = "'" + node.path() + "' has no value to replace";
        return std::nullopt;
    }
    FieldPatch patch;
    patch.offset = node.offset();
    const Value current = node.value();

    // Bit fields (integers, enums and booleans read with bN).
    if (node.bitCount() > 0) {
        const int bits = node.bitCount();
        std::uint64_t value = 0;
        if (node.kind() == Node::Kind::Bool) {
            if (text == "true" || text == "1")
                value = 1;
            else if (text == "false" || text == "0")
                value = 0;
            else {
                error = "'" + node.path() + "' is a boolean: give true or false";
                return std::nullopt;
            }
        } else {
            bool negative = false;
            U128 magnitude = 0;
            std::optional<std::int64_t> fromLabel;
            if (current.enumSpec)
                fromLabel = current.enumSpec->valueOf(text);
            if (fromLabel) {
                magnitude = std::uint64_t(*fromLabel);
            } else if (!parseInteger(text, negative, magnitude) || negative) {
                error = "'" + text + "' is not a value for the " + std::to_string(bits) + "-bit field '" + node.path()
                    + "' (" + rangeText(false, bits) + ")";
                return std::nullopt;
            }
            if (bits < 64 ? magnitude >= ((U128)(1) << bits) : magnitude > std::numeric_limits<std::uint64_t>::max()) {
                error = text + " is out of range for '" + node.path() + "' (" + rangeText(false, bits) + ")";
                return std::nullopt;
            }
            value = std::uint64_t(magnitude);
        }
        const std::uint64_t firstBit = std::uint64_t(node.bitStart());
        const std::uint64_t firstByte = firstBit / 8;
        const std::uint64_t lastByte = (firstBit + std::uint64_t(bits) - 1) / 8;
        std::string bytes(lastByte - firstByte + 1, '\0');
        if (!source.read(firstByte, bytes.data(), bytes.size())) {
            error = "cannot read the bytes of '" + node.path() + "'";
            return std::nullopt;
        }
        patch.offset = firstByte;
        patch.before = bytes;
        const bool little = node.effectiveAttribute()->type.kind == TypeRef::Kind::BitInt
            ? node.effectiveAttribute()->type.bitLittle
            : false;
        for (int k = 0; k < bits; ++k) {
            // Big-endian bit order: the value's MSB first, bits numbered from each byte's MSB;
            // little-endian: the value's LSB first, bits numbered from each byte's LSB.
            const std::uint64_t at = firstBit + std::uint64_t(k) - firstByte * 8;
            const int bit = little ? int((value >> k) & 1) : int((value >> (bits - 1 - k)) & 1);
            const int shift = little ? int(at % 8) : 7 - int(at % 8);
            char& b = bytes[at / 8];
            b = char((static_cast<unsigned char>(b) & ~(1u << shift)) | (unsigned(bit) << shift));
        }
        patch.bytes = bytes;
        return patch;
    }

    patch.before.assign(node.size(), '\0');
    if (!source.read(node.offset(), patch.before.data(), patch.before.size())) {
        error = "cannot read the bytes of '" + node.path() + "'";
        return std::nullopt;
    }
    const TypeRef* type = &a->type;
    if (type->kind == TypeRef::Kind::Switch) {
        error = "'" + node.path() + "' has a switch type; write a field inside it";
        return std::nullopt;
    }
    switch (node.kind()) {
    case Node::Kind::Int: {
        const int width = type->width;
        const bool isSigned = type->isSigned;
        bool negative = false;
        U128 magnitude = 0;
        std::optional<std::int64_t> fromLabel;
        if (current.enumSpec)
            fromLabel = current.enumSpec->valueOf(text);
        if (fromLabel) {
            negative = *fromLabel < 0;
            magnitude = negative ? (U128)(-(S128)*fromLabel) : (U128)*fromLabel;
        } else if (!parseInteger(text, negative, magnitude)) {
            error = "'" + text + "' is not an integer" + std::string(current.enumSpec ? " or a label of the enum" : "")
                + " for '" + node.path() + "'";
            return std::nullopt;
        }
        const int bits = width * 8;
        const U128 limitPositive = isSigned ? ((U128)(1) << (bits - 1)) - 1 : ((U128)(1) << bits) - 1;
        const U128 limitNegative = isSigned ? ((U128)(1) << (bits - 1)) : 0;
        if ((negative && magnitude > limitNegative) || (!negative && magnitude > limitPositive)) {
            error = text + " is out of range for '" + node.path() + "' (" + type->text + ": "
                + rangeText(isSigned, bits) + ")";
            return std::nullopt;
        }
        std::uint64_t v = negative ? std::uint64_t(0) - std::uint64_t(magnitude) : std::uint64_t(magnitude);
        std::string bytes(std::size_t(width), '\0');
        for (int i = 0; i < width; ++i) {
            const int at = type->endian == Endian::Big ? width - 1 - i : i;
            bytes[std::size_t(at)] = char(v & 0xFF);
            v >>= 8;
        }
        patch.bytes = bytes;
        return patch;
    }
    case Node::Kind::Float: {
        errno = 0;
        char* end = nullptr;
        const double d = std::strtod(text.c_str(), &end);
        if (text.empty() || *end != '\0') {
            error = "'" + text + "' is not a number for '" + node.path() + "'";
            return std::nullopt;
        }
        std::string bytes(std::size_t(type->width), '\0');
        if (type->width == 4) {
            if (std::isfinite(d) && std::fabs(d) > double(std::numeric_limits<float>::max())) {
                error = text + " is out of range for the f4 field '" + node.path() + "'";
                return std::nullopt;
            }
            const float f = float(d);
            std::memcpy(bytes.data(), &f, 4);
        } else {
            std::memcpy(bytes.data(), &d, 8);
        }
        if (type->endian == Endian::Big)
            std::reverse(bytes.begin(), bytes.end());
        patch.bytes = bytes;
        return patch;
    }
    case Node::Kind::String:
    case Node::Kind::Bytes: {
        std::string encoded;
        int unit = 1;
        if (node.kind() == Node::Kind::String) {
            std::optional<std::string> e = encodeText(text, a->encoding, error);
            if (!e) {
                error = "'" + node.path() + "': " + error;
                return std::nullopt;
            }
            encoded = *e;
            if (type->kind == TypeRef::Kind::StrZ)
                unit = codeUnitSize(a->encoding);
        } else {
            std::optional<std::string> h = parseHex(text);
            if (!h) {
                error = "'" + text + "' is not hex bytes for '" + node.path() + "'";
                return std::nullopt;
            }
            encoded = *h;
        }
        const std::size_t room = std::size_t(node.size());
        const bool sized = a->size || a->sizeEos;
        if (sized) {
            if (a->terminator) {
                if (encoded.size() + std::size_t(unit) > room) {
                    error = "'" + node.path() + "' holds at most "
                        + std::to_string(room - std::min<std::size_t>(room, std::size_t(unit)))
                        + " bytes before its terminator; the value needs " + std::to_string(encoded.size());
                    return std::nullopt;
                }
                for (int k = 0; k < unit; ++k)
                    encoded += char(k == 0 ? *a->terminator : 0);
                // The rest of the field is cleared (as strncpy and Python's struct "Ns" do), so that
                // nothing of the old value remains after the terminator.
                encoded.resize(room, '\0');
            } else if (a->padRight) {
                if (encoded.size() > room) {
                    error = "'" + node.path() + "' holds at most " + std::to_string(room) + " bytes; the value needs "
                        + std::to_string(encoded.size());
                    return std::nullopt;
                }
                encoded.resize(room, char(*a->padRight));
            } else if (encoded.size() != room) {
                error = "'" + node.path() + "' is exactly " + std::to_string(room) + " bytes; the value has "
                    + std::to_string(encoded.size());
                return std::nullopt;
            }
        } else {
            // A terminated field without a size: the terminator stays where it is.
            const std::size_t content = room - (a->terminator && a->consume && !a->include ? std::size_t(unit) : 0);
            if (encoded.size() != content) {
                error = "'" + node.path() + "' has no fixed size: the new value must keep its length of "
                    + std::to_string(content) + " bytes (it has " + std::to_string(encoded.size()) + ")";
                return std::nullopt;
            }
            patch.before.resize(encoded.size());
        }
        patch.bytes = encoded;
        return patch;
    }
    default:
        break;
    }
    error = "'" + node.path() + "' cannot be written";
    return std::nullopt;
}

} // namespace shmscope::structures
