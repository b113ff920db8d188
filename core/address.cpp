#include "core/address.h"

#include <cstdio>

namespace shmscope {

namespace {

// NAME_MAX of Linux (and most POSIX systems); glibc's shm_open rejects longer names with
// ENAMETOOLONG because /dev/shm/NAME is one directory entry. Fixed here so that parsing is the same
// on every platform (a saved address means the same everywhere).
constexpr std::size_t posixNameMax = 255;

Error parseError(std::string_view text, std::string detail)
{
    Error error;
    error.code = ErrorCode::InvalidArgument;
    error.operation = "parse";
    error.object = std::string(text);
    error.detail = std::move(detail);
    return error;
}

// Parses a 32-bit unsigned number in decimal or 0x-hex; no sign, no spaces.
bool parseNumber32(std::string_view text, std::uint32_t& out)
{
    int base = 10;
    if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        base = 16;
        text.remove_prefix(2);
    }
    if (text.empty())
        return false;
    std::uint64_t value = 0;
    for (char c : text) {
        int digit;
        if (c >= '0' && c <= '9')
            digit = c - '0';
        else if (base == 16 && c >= 'a' && c <= 'f')
            digit = c - 'a' + 10;
        else if (base == 16 && c >= 'A' && c <= 'F')
            digit = c - 'A' + 10;
        else
            return false;
        value = value * static_cast<std::uint64_t>(base) + static_cast<std::uint64_t>(digit);
        if (value > 0xffffffffULL)
            return false;
    }
    out = static_cast<std::uint32_t>(value);
    return true;
}

struct KindPrefix {
    Kind kind;
    std::string_view word;
};
constexpr KindPrefix kindPrefixes[] = {
    { Kind::Posix, "posix" },   { Kind::File, "file" }, { Kind::SysV, "sysv" },
    { Kind::SysVId, "sysvid" }, { Kind::Win, "win" },
};

bool isKindWord(std::string_view word)
{
    if (word.empty())
        return false;
    for (char c : word) {
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            return false;
    }
    return true;
}

} // namespace

std::string_view kindName(Kind kind)
{
    for (const KindPrefix& prefix : kindPrefixes) {
        if (prefix.kind == kind)
            return prefix.word;
    }
    return "unknown";
}

Result<Address> parseAddress(std::string_view text)
{
    if (text.empty())
        return parseError(text, "the address is empty");
    if (text.find('\0') != std::string_view::npos)
        return parseError(text, "the address contains a NUL byte");

    Address address;
#ifdef _WIN32
    address.kind = Kind::Win;
#else
    address.kind = Kind::Posix;
#endif
    std::string_view name = text;
    // A prefix is a word of letters and digits before the first ':'. Anything else before a ':' (a
    // '/' for example) makes the whole text a name of the default kind: "/a:b" is posix:/a:b.
    const std::size_t colon = text.find(':');
    if (colon != std::string_view::npos && isKindWord(text.substr(0, colon))) {
        const std::string_view word = text.substr(0, colon);
        bool known = false;
        for (const KindPrefix& prefix : kindPrefixes) {
            if (prefix.word == word) {
                address.kind = prefix.kind;
                known = true;
            }
        }
        if (!known) {
            return parseError(text,
                              "unknown kind \"" + std::string(word) + "\" (expected posix, file, sysv, sysvid or win)");
        }
        name = text.substr(colon + 1);
    }

    // The name's bytes: escapes resolved (the text form printed by toString()), raw bytes kept.
    // System V keys and ids are numbers, not names: no escapes there.
    const bool named = address.kind != Kind::SysV && address.kind != Kind::SysVId;
    const std::string bytes = named ? unescapeName(name) : std::string(name);
    name = bytes;
    if (name.find('\0') != std::string_view::npos)
        return parseError(text, "the name contains a NUL byte (\\x00)");

    switch (address.kind) {
    case Kind::Posix: {
        if (!name.empty() && name.front() == '/')
            name.remove_prefix(1);
        if (name.empty())
            return parseError(text, "the name is empty");
        if (name == "." || name == "..")
            return parseError(text, "\"" + std::string(name) + "\" is not a valid name");
        if (name.find('/') != std::string_view::npos)
            return parseError(text, "a POSIX name may not contain '/' after the leading one");
        if (name.size() > posixNameMax) {
            return parseError(text,
                              "the name is " + std::to_string(name.size()) + " bytes long (at most "
                                  + std::to_string(posixNameMax) + ")");
        }
        address.name = "/" + std::string(name);
        break;
    }
    case Kind::File:
    case Kind::Win:
        if (name.empty())
            return parseError(text, address.kind == Kind::File ? "the file path is empty" : "the name is empty");
        address.name = std::string(name);
        break;
    case Kind::SysV:
    case Kind::SysVId:
        if (name.empty())
            return parseError(text, address.kind == Kind::SysV ? "the key is empty" : "the shmid is empty");
        if (!parseNumber32(name, address.key)) {
            return parseError(text,
                              std::string(address.kind == Kind::SysV ? "the key" : "the shmid")
                                  + " is not a 32-bit decimal or 0x-hex number");
        }
        break;
    }
    return address;
}

std::string toString(const Address& address)
{
    std::string text(kindName(address.kind));
    text += ':';
    switch (address.kind) {
    case Kind::Posix:
    case Kind::File:
    case Kind::Win:
        text += escapeName(address.name);
        break;
    case Kind::SysV: {
        char buffer[16];
        std::snprintf(buffer, sizeof buffer, "0x%08x", static_cast<unsigned>(address.key));
        text += buffer;
        break;
    }
    case Kind::SysVId:
        text += std::to_string(address.key);
        break;
    }
    return text;
}

} // namespace shmscope
