#pragma once

#include <charconv>
#include <string_view>
#include <vector>

namespace shmscope::detail {

// Small readers for the text files of /proc that the catalog (procmaps) and the lock holder search
// (lockholders) both parse. Formats: the kernel's Documentation/filesystems/proc.rst.

/// The next field of `rest`, fields being separated by runs of spaces or tabs; `rest` is advanced past
/// it. Empty when nothing is left.
std::string_view nextField(std::string_view& rest);

/// Parses all of `text` as an unsigned or signed integer in `base` (10 or 16, no prefix). False for
/// an empty text, a text with anything else in it, or a value that does not fit T.
template<typename T>
bool parseNumber(std::string_view text, T& out, int base)
{
    if (text.empty())
        return false;
    const auto result = std::from_chars(text.data(), text.data() + text.size(), out, base);
    return result.ec == std::errc() && result.ptr == text.data() + text.size();
}

/// The pids of the processes in /proc (numeric entries; threads are not listed there), ascending.
/// Empty when /proc cannot be read.
std::vector<int> listPids();

} // namespace shmscope::detail
