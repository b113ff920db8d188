#pragma once

// Internal to shmscope_core: the printing rules of strace that the recording wrappers share
// (core/posix/syscalls.cpp, core/win/wincalls.cpp). Qt-free, platform-independent.

#include "core/journal.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace shmscope::journal::format {

/// One named constant of a flag or value table.
struct Named {
    std::uint64_t value;
    const char* name;
};

/// strace's printflags: every entry whose bits are all set in `value` prints and is cleared, in table
/// order, joined by `|`; leftover bits are appended in hex (`|0x40000000`). A value of 0 prints
/// `zeroText` (e.g. "0", "PROT_NONE"). Entries of value 0 are skipped.
std::string flags(std::uint64_t value, std::span<const Named> table, std::string_view zeroText = "0");

/// The name of `value` in `table`, else `fallback` when given, else the number in hex (`0x25`).
std::string valueName(std::uint64_t value, std::span<const Named> table, std::string_view fallback = {});

/// strace's quoted string: printable ASCII as is, `"` and `\` escaped, \t \n \v \f \r, other bytes in
/// octal (three digits when a digit follows, else as few as needed). More than `limit` bytes print
/// the first `limit` followed by `...` (strace's -s; 0 means no limit).
std::string quoted(std::string_view bytes, std::size_t limit = 0);

/// `0x7f5a2c000000`; `NULL` for 0.
std::string address(std::uint64_t value);
/// `0x2a`.
std::string hex(std::uint64_t value);
/// Octal as strace prints modes: `0600`; 0 prints `zero` ("0" or "000").
std::string octal(std::uint64_t value, std::string_view zero = "0");

/// Arguments, ready to be packed into a row (argList(), core/journalrecord.h). All but symbol(text),
/// structIn() and out() are recorded raw: they keep the value (and bytes) with a render that prints
/// them at Call::decode(). Those without bytes are RawArgs: recording them constructs no string.
RawArg number(std::int64_t value);
RawArg unsignedNumber(std::uint64_t value);
RawArg fd(int value);
/// A constant already printed (`AT_FDCWD`, `TRUE`): the text is kept as given.
Arg symbol(std::string text, std::uint64_t value = 0);
/// A constant printed at decode time by `render` from `value` (flags through a table …).
RawArg symbol(std::uint64_t value, RenderArg render);
/// `value` printed in hex at decode time (`0xc123`).
RawArg hexSymbol(std::uint64_t value);
Arg string(std::string_view bytes);
RawArg pointer(const void* value);
Arg structIn(std::string text, std::string cExpression, std::string cType);
Arg out(std::string text, std::string cType, const void* where);
/// The first `keep` of `length` bytes kept; printed as strace does (the first 32, then `...`). The
/// bytes are copied when the argument is packed (ArgPack::add()): pack it while `data` is valid.
RawBytesArg bytes(const void* data, std::size_t length, std::size_t keep);
/// `base + offset` where a MemoryStore row stored its bytes (`0x7f5a2c000000 + 0x10`).
RawArg storeTarget(const void* base, std::uint64_t offset);

/// Prints a table's flags (flags() with "0" for none) at decode time: `symbol(value, &tableFlags<kTable>)`.
template<const auto& Table>
void tableFlags(Arg& arg)
{
    arg.text = flags(arg.value, Table);
}
/// Prints a table's value name (valueName(), hex when unknown) at decode time.
template<const auto& Table>
void tableValue(Arg& arg)
{
    arg.text = valueName(arg.value, Table);
}

} // namespace shmscope::journal::format
