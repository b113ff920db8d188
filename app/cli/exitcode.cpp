#include "exitcode.h"

namespace shmscope {

ExitCode exitCodeFor(ErrorCode code)
{
    switch (code) {
    case ErrorCode::InvalidArgument:
    case ErrorCode::OutOfRange:
        // The core only reports these for input the user gave us (a name, a size, an offset).
        return ExitCode::Usage;
    case ErrorCode::NotFound:
        return ExitCode::NotFound;
    case ErrorCode::PermissionDenied:
        return ExitCode::PermissionDenied;
    case ErrorCode::AlreadyExists:
        return ExitCode::AlreadyExists;
    case ErrorCode::NoSpace:
    case ErrorCode::ReadOnly:
    case ErrorCode::Vanished:
    case ErrorCode::Timeout:
    case ErrorCode::Unsupported:
    case ErrorCode::System:
        break;
    }
    return ExitCode::Failure;
}

} // namespace shmscope
