#pragma once

#include "core/error.h"
#include "core/mapping.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace shmscope {

/// What a bulk reader or a block-hash scan needs of a byte source: reading, hashing in place and where
/// the data is (the rest are holes). Mapping provides exactly that (MappingScanSource); the widgets'
/// ByteSource does through an adapter (widgets/bytesourcescan.h). Qt-free, so that the CLI, the GUI
/// and the core tests share one copy of readSparse() and BlockHasher (core/blockhasher.h).
/// Implementations must be callable from any thread when their source is.
class ScanSource
{
public:
    virtual ~ScanSource() = default;
    /// As Mapping::read(): copies `length` bytes at `offset` into `out` (caller-owned).
    virtual Status read(std::uint64_t offset, void* out, std::size_t length) const = 0;
    /// As Mapping::hash(): hashBytes() (core/hash.h) of the `length` bytes at `offset` with `seed`.
    virtual Result<std::uint64_t> hash(std::uint64_t offset, std::uint64_t length, std::uint64_t seed) const = 0;
    /// As Mapping::compare(): whether the `length` bytes at `offset` equal those at `data` (caller-owned).
    /// The default reads them (64 KiB at a time) and compares; sources that can compare in place override it.
    virtual Result<bool> equals(std::uint64_t offset, const void* data, std::size_t length) const;
    /// As Mapping::dataExtents(): the parts of [offset, offset + length) holding data, ascending, at most
    /// `maxExtents` (a full answer may stop early: ask again from the end of its last extent).
    virtual Result<std::vector<Extent>> dataExtents(std::uint64_t offset, std::uint64_t length,
                                                    std::size_t maxExtents) const = 0;
};

/// Reads `length` bytes at `offset` into `out` (caller-owned), as Mapping::read() and ScanSource::read().
using ReadFunction = std::function<Status(std::uint64_t offset, void* out, std::size_t length)>;

/// Whether the `length` bytes at `offset` equal the `length` bytes at `data` (caller-owned), read with
/// `read` 64 KiB at a time and compared, up to the first difference: ScanSource::equals()'s default
/// and Mapping::compare()'s. Errors: those of `read`.
Result<bool> equalsByReading(const ReadFunction& read, std::uint64_t offset, const void* data, std::size_t length);

/// A ScanSource over a Mapping (not owned; it must outlive this adapter). Thread-safe as the Mapping.
class MappingScanSource final : public ScanSource
{
public:
    explicit MappingScanSource(const Mapping& mapping)
        : m_mapping(mapping)
    { }
    Status read(std::uint64_t offset, void* out, std::size_t length) const override
    {
        return m_mapping.read(offset, out, length);
    }
    Result<std::uint64_t> hash(std::uint64_t offset, std::uint64_t length, std::uint64_t seed) const override
    {
        return m_mapping.hash(offset, length, seed);
    }
    Result<std::vector<Extent>> dataExtents(std::uint64_t offset, std::uint64_t length,
                                            std::size_t maxExtents) const override
    {
        return m_mapping.dataExtents(offset, length, maxExtents);
    }
    Result<bool> equals(std::uint64_t offset, const void* data, std::size_t length) const override
    {
        return m_mapping.compare(offset, data, length);
    }

private:
    const Mapping& m_mapping;
};

/// Where a sequential reader finds data in a ScanSource, remembering the extent last found so that a run
/// of data is asked about once and not once per step. (On tmpfs, lseek(SEEK_HOLE) walks the page cache
/// from the position to the hole: asking per 1 MiB step over a 1 GiB object that is all data costs
/// O(size²) — 86% of a scan's time before this cursor.) Not thread-safe; the source must outlive it.
class DataCursor
{
public:
    explicit DataCursor(const ScanSource& source)
        : m_source(source)
    { }
    /// The first offset >= pos and < end that holds data; `end` when [pos, end) is a hole. Errors: the
    /// source's dataExtents() errors.
    Result<std::uint64_t> nextData(std::uint64_t pos, std::uint64_t end);
    /// Reads [pos, pos + n) into `out` (caller-owned): one read() when the extent last found by
    /// nextData() covers it, else readSparse(). Errors: the source's.
    Status read(std::uint64_t pos, std::size_t n, void* out) const;
    /// Whether [pos, pos + n) equals `data`, compared in place (ScanSource::equals()) when the extent last
    /// found covers it; nullopt when it is not known to be data (read it instead).
    std::optional<Result<bool>> equalsInPlace(std::uint64_t pos, std::size_t n, const void* data) const;

private:
    const ScanSource& m_source;
    std::uint64_t m_dataBegin = 0;
    std::uint64_t m_dataEnd = 0;
    std::uint64_t m_holeEnd = 0; // [.., m_holeEnd) past the last question is known to be a hole
};

/// Copies `length` bytes at `offset` of `source` into `out` (caller-owned, `length` bytes) as read()
/// does, but without touching the holes: only the data extents are read, and the holes are filled with
/// zeros in `out` (what they read as). Reading a hole of a tmpfs object makes the kernel allocate a page
/// for it, which stays; this does not, so a dump or a search over a sparse object costs no memory in
/// the object. A hole that gets data while this runs may come out as zeros. Errors: those of
/// dataExtents() and read() (OutOfRange, Vanished, …); `out` is then unspecified.
Status readSparse(const ScanSource& source, std::uint64_t offset, void* out, std::size_t length);

} // namespace shmscope
