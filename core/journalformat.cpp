#include "core/journalformat.h"

#include <algorithm>
#include <cstdio>

namespace shmscope::journal::format {

std::string flags(std::uint64_t value, std::span<const Named> table, std::string_view zeroText)
{
    if (value == 0)
        return std::string(zeroText);
    std::string text;
    for (const Named& entry : table) {
        if (entry.value != 0 && (value & entry.value) == entry.value) {
            if (!text.empty())
                text += '|';
            text += entry.name;
            value &= ~entry.value;
        }
    }
    if (value != 0) {
        if (!text.empty())
            text += '|';
        text += hex(value);
    }
    return text;
}

std::string valueName(std::uint64_t value, std::span<const Named> table, std::string_view fallback)
{
    for (const Named& entry : table) {
        if (entry.value == value)
            return entry.name;
    }
    return fallback.empty() ? hex(value) : std::string(fallback);
}

std::string quoted(std::string_view bytes, std::size_t limit)
{
    const std::size_t shown = limit != 0 && bytes.size() > limit ? limit : bytes.size();
    std::string text = "\"";
    for (std::size_t i = 0; i < shown; ++i) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        switch (c) {
        case '"':
            text += "\\\"";
            continue;
        case '\\':
            text += "\\\\";
            continue;
        case '\t':
            text += "\\t";
            continue;
        case '\n':
            text += "\\n";
            continue;
        case '\v':
            text += "\\v";
            continue;
        case '\f':
            text += "\\f";
            continue;
        case '\r':
            text += "\\r";
            continue;
        default:
            break;
        }
        if (c >= 0x20 && c < 0x7f) {
            text += static_cast<char>(c);
            continue;
        }
        const bool digitFollows = i + 1 < shown && bytes[i + 1] >= '0' && bytes[i + 1] <= '7';
        char buffer[8];
        if (digitFollows || c >= 0100)
            std::snprintf(buffer, sizeof buffer, "\\%03o", c);
        else if (c >= 010)
            std::snprintf(buffer, sizeof buffer, "\\%o", c);
        else
            std::snprintf(buffer, sizeof buffer, "\\%o", c);
        text += buffer;
    }
    text += '"';
    if (shown < bytes.size())
        text += "...";
    return text;
}

std::string address(std::uint64_t value)
{
    return value == 0 ? std::string("NULL") : hex(value);
}

std::string hex(std::uint64_t value)
{
    char buffer[24];
    std::snprintf(buffer, sizeof buffer, "%#llx", static_cast<unsigned long long>(value));
    return value == 0 ? std::string("0") : std::string(buffer);
}

std::string octal(std::uint64_t value, std::string_view zero)
{
    if (value == 0)
        return std::string(zero);
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%#03llo", static_cast<unsigned long long>(value));
    return buffer;
}

namespace {

void renderSigned(Arg& arg)
{
    arg.text = std::to_string(static_cast<std::int64_t>(arg.value));
}

void renderUnsigned(Arg& arg)
{
    arg.text = std::to_string(arg.value);
}

void renderHex(Arg& arg)
{
    arg.text = hex(arg.value);
}

void renderAddress(Arg& arg)
{
    arg.text = address(arg.value);
}

void renderString(Arg& arg)
{
    arg.text = quoted(arg.bytes);
}

void renderBytes(Arg& arg)
{
    // value: the length stored; bytes: the first `keep` of them (at least the 32 strace shows).
    arg.text = quoted(arg.bytes, 32);
    if (arg.bytes.size() <= 32 && arg.bytes.size() < arg.value)
        arg.text += "..."; // exactly 32 kept of more: quoted() could not know
}

void renderStoreTarget(Arg& arg)
{
    arg.text = address(arg.value) + " + " + hex(static_cast<std::uint64_t>(arg.extra[0]));
}

RawArg raw(ValueType type, std::uint64_t value, RenderArg render)
{
    RawArg arg;
    arg.type = type;
    arg.value = value;
    arg.render = render;
    return arg;
}

} // namespace

RawArg number(std::int64_t value)
{
    return raw(ValueType::Number, static_cast<std::uint64_t>(value), &renderSigned);
}

RawArg unsignedNumber(std::uint64_t value)
{
    return raw(ValueType::Number, value, &renderUnsigned);
}

RawArg fd(int value)
{
    return raw(ValueType::Fd, static_cast<std::uint64_t>(static_cast<std::int64_t>(value)), &renderSigned);
}

Arg symbol(std::string text, std::uint64_t value)
{
    Arg arg;
    arg.type = ValueType::Symbol;
    arg.text = std::move(text);
    arg.value = value;
    return arg;
}

RawArg symbol(std::uint64_t value, RenderArg render)
{
    return raw(ValueType::Symbol, value, render);
}

RawArg hexSymbol(std::uint64_t value)
{
    return raw(ValueType::Symbol, value, &renderHex);
}

Arg string(std::string_view bytes)
{
    Arg arg = raw(ValueType::String, 0, &renderString);
    arg.bytes = std::string(bytes);
    return arg;
}

RawArg pointer(const void* value)
{
    return raw(ValueType::Address, reinterpret_cast<std::uintptr_t>(value), &renderAddress);
}

Arg structIn(std::string text, std::string cExpression, std::string cType)
{
    Arg arg;
    arg.type = ValueType::Struct;
    arg.text = std::move(text);
    arg.c = std::move(cExpression);
    arg.cType = std::move(cType);
    return arg;
}

Arg out(std::string text, std::string cType, const void* where)
{
    Arg arg;
    arg.type = ValueType::Out;
    arg.text = std::move(text);
    arg.cType = std::move(cType);
    arg.value = reinterpret_cast<std::uintptr_t>(where);
    return arg;
}

RawBytesArg bytes(const void* data, std::size_t length, std::size_t keep)
{
    return { raw(ValueType::Bytes, length, &renderBytes),
             std::string_view(static_cast<const char*>(data), std::min(length, std::max<std::size_t>(keep, 32))) };
}

RawArg storeTarget(const void* base, std::uint64_t offset)
{
    RawArg arg = raw(ValueType::Address, reinterpret_cast<std::uintptr_t>(base), &renderStoreTarget);
    arg.extra[0] = static_cast<std::int64_t>(offset);
    return arg;
}

} // namespace shmscope::journal::format
