#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace shmscope {

/// What kind of failure an Error describes; callers branch on this (the CLI maps it to exit codes).
enum class ErrorCode {
    InvalidArgument, ///< bad input: an empty or invalid name, size 0, a size beyond the address space
    OutOfRange, ///< an offset or length past the end of the view
    NotFound, ///< the object does not exist (ENOENT, EINVAL from shmget for a missing key)
    PermissionDenied, ///< EACCES / EPERM
    AlreadyExists, ///< exclusive create of an object that exists (EEXIST)
    NoSpace, ///< the backing store is full (ENOSPC, ENOMEM from tmpfs)
    ReadOnly, ///< a write through a read-only view
    Vanished, ///< the object shrank or was removed under the view; Error::currentSize says how big it is now
    Timeout, ///< a lock was not obtained within the timeout
    Unsupported, ///< the address kind has no backend on this platform (e.g. win: on Linux)
    System, ///< any other OS error; Error::sysError holds it
};

/// Which numbering Error::sysError uses.
enum class SysErrorDomain {
    Errno, ///< an errno value (POSIX, and the C runtime on every platform)
    Win32, ///< a GetLastError() value (Windows); message() shows the FormatMessage text and the number
};

/// A failure as a value: the operation, the object, the OS error and what was being done.
/// message() renders it as one line, e.g.
/// "create posix:/demo: No space left on device (ENOSPC) while reserving 8 GiB", or on Windows
/// "attach win:Local\\demo: The system cannot find the file specified (Win32 error 2)".
struct Error {
    ErrorCode code = ErrorCode::System;
    std::string operation; ///< verb: "create", "attach", "read", "write", "lock", "remove", "list"... (internal names
                           ///< such as "describe" are shown in user words: operationText())
    /// The address as printed by toString(Address) (names escaped, core/nameescape.h), or a path, or
    /// for a parse error the text as given (raw bytes; message() escapes what cannot be printed).
    std::string object;
    int sysError = 0; ///< errno (POSIX) or GetLastError() (Windows); 0 when the failure is ShmScope's own check
    std::string
        detail; ///< context appended after the cause: "while reserving 8 GiB", "offset 4096 + length 16 > size 4096"
    std::optional<std::uint64_t> currentSize; ///< for Vanished/OutOfRange: the object's size in bytes now, if known
    /// For a Mapping::write() (and writeLocked()) that stopped partway (NoSpace, Vanished): how many bytes
    /// from the start of the range were written — exactly those, in order, and none after them. nullopt
    /// for every other failure (nothing written, or not known).
    std::optional<std::uint64_t> bytesWritten;
    SysErrorDomain sysErrorDomain = SysErrorDomain::Errno; ///< how to read sysError (Win32 only from errorFromWin32())

    /// One-line, human-readable description (no trailing newline), valid UTF-8: bytes that are not
    /// UTF-8 and control characters anywhere in it are shown as `\xHH` (printableText()). The operation
    /// is said in user words (operationText()): "info posix:/demo: No such file or directory (ENOENT)".
    std::string message() const;
};

/// The words a person reads for an operation verb: the core's internal names become what the user
/// asked for or sees happen — "describe" (the look-up behind `info`) reads "info", the one-pass
/// "exchange" and "compare-exchange" read "write", "hash" (the change scan) and "data extents" (finding the holes) read
/// "read", "size" reads "check the size of", "remap" reads "map the new size of", "smaps" reads "inspect the
/// mappings of", "cache state" reads "check the page cache of", "reset written pages" reads "reset the
/// written-page marks of", "open snapshot" and "verify" read "open the snapshot" and "verify the snapshot",
/// "listen" and "announce" (the notification bus) read "listen for notifications on" and "notify the other
/// instances of". Any other verb is already a user word (a CLI command or GUI action) and reads as itself;
/// tests/core/tst_error.cpp finds every verb in use in the sources and checks this.
std::string_view operationText(std::string_view operation);

/// Builds an Error from an errno value: the code is derived from the errno (ENOENT → NotFound, …).
Error errorFromErrno(std::string operation, std::string object, int err, std::string detail = {});

/// Builds an Error from a Win32 error code (GetLastError()): the code is derived from it
/// (ERROR_FILE_NOT_FOUND → NotFound, ERROR_ACCESS_DENIED → PermissionDenied, ERROR_ALREADY_EXISTS →
/// AlreadyExists, ERROR_COMMITMENT_LIMIT/ERROR_DISK_FULL/ERROR_NOT_ENOUGH_MEMORY → NoSpace, …; the
/// numbers are those of winerror.h, so this also works, and is tested, off Windows). sysErrorDomain is
/// Win32. Error codes: Microsoft's "System Error Codes" reference.
Error errorFromWin32(std::string operation, std::string object, std::uint32_t err, std::string detail = {});

/// The text of a Win32 error code as message() shows it: FormatMessage's system text (UTF-8, in the
/// system's language) without its trailing period and line break, then " (Win32 error N)"; off
/// Windows, or when the system has no text for it, just "Win32 error N".
std::string win32ErrorText(std::uint32_t err);

/// The symbolic name of an errno value ("ENOSPC"), or "errno N" when unknown.
std::string errnoName(int err);

/// Formats a byte count for messages: "512 bytes", "64 KiB", "8 GiB", "1.5 MiB" (powers of 1024).
std::string formatBytes(std::uint64_t bytes);

/// A value of type T or an Error. (std::expected is C++23; GCC 12 offers it only with -std=c++2b.)
template<typename T>
class [[nodiscard]] Result
{
public:
    Result(T value)
        : m_state(std::move(value))
    { }
    Result(Error error)
        : m_state(std::move(error))
    { }

    bool ok() const { return std::holds_alternative<T>(m_state); }
    explicit operator bool() const { return ok(); }

    /// The value; only valid when ok().
    T& value() & { return std::get<T>(m_state); }
    const T& value() const& { return std::get<T>(m_state); }
    T&& value() && { return std::get<T>(std::move(m_state)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    /// The error; only valid when !ok().
    const Error& error() const { return std::get<Error>(m_state); }

private:
    std::variant<T, Error> m_state;
};

/// Success or an Error, for operations that return nothing.
template<>
class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(Error error)
        : m_error(std::move(error))
    { }

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    /// The error; only valid when !ok().
    const Error& error() const { return *m_error; }

private:
    std::optional<Error> m_error;
};

using Status = Result<void>;

} // namespace shmscope
