#pragma once

// Internal to shmscope_core: the checks and error values every backend (posix/, win/) shares, so
// that a bad size, mode or range reads the same on every platform.

#include "core/address.h"
#include "core/error.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace shmscope::detail {

/// The largest view this process can map: PTRDIFF_MAX bytes (pointer arithmetic over the view must
/// not overflow; the address space is smaller still, which mmap/MapViewOfFile report as such).
std::uint64_t maxViewSize();

/// An Error of `code` for `operation` on `address` without an OS error (ShmScope's own check).
Error ownError(ErrorCode code, const char* operation, const Address& address, std::string detail);

/// An InvalidArgument error for `operation` on `address` without an OS error.
Error invalidArgument(const char* operation, const Address& address, std::string detail);

/// InvalidArgument for `operation` on `address` when `size` is beyond maxViewSize().
Status checkViewSize(const char* operation, const Address& address, std::uint64_t size);

/// InvalidArgument for a mode with bits outside 0777 (the permission bits createMapping() applies).
Status checkMode(const Address& address, std::uint32_t mode);

/// OutOfRange for `operation` unless [offset, offset + length) lies within a view of `size` bytes
/// (computed without overflow; a zero length at offset == size is allowed).
Status checkRange(const char* operation, const Address& address, std::uint64_t offset, std::uint64_t length,
                  std::uint64_t size);

/// The Vanished error of a copy that stopped at `faultOffset` because the object is now smaller:
/// "the object shrank to N (offset X is past its end)", or "the object was removed" when its size is
/// unknown. currentSize is set.
Error vanishedError(const char* operation, const Address& address, std::uint64_t faultOffset,
                    std::optional<std::uint64_t> currentSize);

/// `error` (of a write of `length` bytes that stopped after `written`) with Error::bytesWritten set and
/// the count in its message: "No space left on device (ENOSPC) after 8192 of 65536 bytes (…)" for an
/// OS error, "…; 8192 of 65536 bytes were written" for ShmScope's own (Vanished).
Error partialWriteError(Error error, std::uint64_t written, std::uint64_t length);

} // namespace shmscope::detail
