#pragma once

#include "core/error.h"
#include "core/mapping.h"
#include "core/scansource.h"

#include <cstdint>
#include <memory>
#include <string>

namespace shmscope {

/// What a snapshot file says about the bytes it holds (its header).
struct SnapshotInfo {
    std::string address; ///< the object's address as toString(Address) prints it (escaped, one line)
    std::uint64_t offset = 0; ///< offset in the object, in bytes, of the first byte of the snapshot
    std::uint64_t size = 0; ///< number of bytes in the snapshot
    bool wholeObject = true; ///< true: the snapshot is the whole object (offset 0, size = the object's size then)
    std::int64_t timeMs = 0; ///< when it was taken: milliseconds since 1970-01-01 UTC
    std::int64_t pid = 0; ///< the process that took it
    std::uint64_t hash
        = 0; ///< hashBytes(bytes, size, 0) of core/hash.h (XXH3-64, holes hashed as the zeros they read as)
};

/// The size in bytes of a snapshot file's header: the bytes start at this file offset, page-aligned, so
/// that the object's holes (whole pages) stay holes in the file.
inline constexpr std::uint64_t kSnapshotHeaderSize = 4096;

/// The first line of every snapshot file ("SHMSCOPE-SNAPSHOT 1" and a newline), by which a path is
/// recognised as a snapshot.
inline constexpr char kSnapshotMagic[] = "SHMSCOPE-SNAPSHOT 1\n";

/// Writes a snapshot of `info.size` bytes at `info.offset` of `source` to a new file at `path`
/// (created with O_EXCL and mode 0600; an existing path is never replaced). Only the data extents of
/// `source` are read and written: its holes stay holes in the file (a sparse object gives a sparse
/// file, and its holes are not touched, so they stay unallocated in the object too). `info.hash` is
/// computed here (the value passed in is ignored) and returned with the rest of the header.
/// The file: a text header (kSnapshotMagic, then `key=value` lines: address, offset, size, whole,
/// time, pid, hash), zero-padded to kSnapshotHeaderSize, then the bytes. POSIX only (pwrite/ftruncate).
/// Errors: AlreadyExists, PermissionDenied, NoSpace (the file), errors of source's read()/dataExtents()
/// (Vanished, OutOfRange); on any error the partial file is removed.
Result<SnapshotInfo> writeSnapshot(const ScanSource& source, SnapshotInfo info, const std::string& path);

/// A snapshot file opened for reading, as a ScanSource over its bytes (offset 0 = the first byte of the
/// snapshot, i.e. info().offset in the object). read() copies from a read-only view of the file (a
/// Mapping of file:PATH, fault-safe: a file truncated meanwhile gives Vanished), dataExtents()
/// lseek(SEEK_DATA/SEEK_HOLE) on the file, hash() reads and hashes. Thread-safe (pread has no shared file position).
/// Owns the descriptor.
class SnapshotFile final : public ScanSource
{
public:
    /// Opens `path` and parses its header. Errors: NotFound, PermissionDenied; InvalidArgument when the
    /// file is not a snapshot (no magic line, a bad header) or is shorter than its header says.
    static Result<std::unique_ptr<SnapshotFile>> open(const std::string& path);
    /// True when `path` names a readable file that starts with kSnapshotMagic (no error is reported).
    static bool isSnapshot(const std::string& path);
    ~SnapshotFile() override;

    /// The header.
    const SnapshotInfo& info() const { return m_info; }
    /// The path it was opened from.
    const std::string& path() const { return m_path; }
    /// Hashes the bytes again and compares with info().hash. Errors: InvalidArgument ("the bytes do not
    /// match the hash in the header") or a read error.
    Status verify() const;

    Status read(std::uint64_t offset, void* out, std::size_t length) const override;
    Result<std::uint64_t> hash(std::uint64_t offset, std::uint64_t length, std::uint64_t seed) const override;
    Result<std::vector<Extent>> dataExtents(std::uint64_t offset, std::uint64_t length,
                                            std::size_t maxExtents) const override;
    /// Compared in place over the file's view (Mapping::compare()).
    Result<bool> equals(std::uint64_t offset, const void* data, std::size_t length) const override;

private:
    SnapshotFile(int fd, std::string path, SnapshotInfo info);
    int m_fd = -1;
    std::unique_ptr<Mapping> m_view; // the whole file, read-only; null for an empty snapshot
    std::string m_path;
    SnapshotInfo m_info;
};

} // namespace shmscope
