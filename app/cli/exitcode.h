#pragma once

#include "core/error.h"

namespace shmscope {

/// The exit codes of shmscope-cli; `shmscope-cli --help` and the README list them.
enum class ExitCode : int {
    Ok = 0, ///< the command did what was asked (also: --help, --version, watch stopped by a signal)
    Failure = 1, ///< any failure without a more specific code (I/O error, lock timeout, no space…)
    Usage = 2, ///< bad command line: unknown command or option, bad number, invalid address, range past the end
    NotFound = 3, ///< the object does not exist
    PermissionDenied = 4, ///< the OS refused access to the object
    AlreadyExists = 5, ///< create without --exist-ok of an object that exists
    /// `diff` only: the two sides differ (as cmp(1)); every other command means Failure by 1.
    Different = 1,
    /// `diff` only: a failure that other commands report as Failure (1), since 1 means "different" there.
    DiffFailure = 6,
};

/// The exit code for a core error: the one place where ErrorCode turns into a process status.
/// InvalidArgument and OutOfRange are usage errors (the user's input was wrong).
ExitCode exitCodeFor(ErrorCode code);

/// The exit code as the int that main() returns.
constexpr int toInt(ExitCode code)
{
    return static_cast<int>(code);
}

} // namespace shmscope
