#pragma once

// "Copy as C program" (issue 10, section 1): a journal's calls of one user action as a small C
// program for the OS they were recorded on, that makes the same calls. Qt-free.

#include "core/journal.h"

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

namespace shmscope::journal {

/// What cProgram() returns.
struct CProgram {
    /// The program's source: C11 for the platform the rows came from (Linux/glibc 2.32+ for system
    /// calls, Windows for API calls). Each call prints itself and its result as strace does; the
    /// program exits 0 when every call succeeded or failed as it did in the journal, else 1.
    std::string source;
    /// The seq of every row it makes, ascending: the action's own rows and, before them, the earlier
    /// rows that made the descriptors, handles and views they use (found by value: the latest earlier
    /// row that returned it).
    std::vector<std::uint64_t> rows;
    /// Things the program could not reproduce exactly (a descriptor made before the journal started,
    /// a store longer than the journal keeps), one sentence each; also written into the source as
    /// comments (an earlier row that created the object with O_EXCL opens it instead). Empty when it
    /// is exact.
    std::vector<std::string> notes;
};

/// The labels of user actions by id (ActionInfo::label()), for the comments of a program.
using ActionLabels = std::map<std::uint64_t, std::string>;

/// The C program for action `actionId`, from `calls` (a journal in seq order, e.g. what the GUI's
/// dock holds; raw or decoded: the program prints them as strace does, formatting them here). Library calls are left
/// out (they print as comments); MemoryStore rows become memcpy into the view. An action with no rows gives a program
/// that makes no calls. `labels` names the actions in the program's comments (any not found: no name).
CProgram cProgram(std::span<const Call> recorded, std::uint64_t actionId, const ActionLabels& labels = {});

} // namespace shmscope::journal
