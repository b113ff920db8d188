#pragma once

#include "core/error.h"
#include "core/scansource.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace shmscope {

/// The bytes [base, base + length) of another ScanSource (not owned; it must outlive this one) as a
/// ScanSource of their own, offset 0 being `base`: compares a range of an object with a snapshot of
/// that range. Thread-safe as the source.
class SubrangeSource final : public ScanSource
{
public:
    SubrangeSource(const ScanSource& source, std::uint64_t base)
        : m_source(source)
        , m_base(base)
    { }
    Status read(std::uint64_t offset, void* out, std::size_t length) const override
    {
        return m_source.read(m_base + offset, out, length);
    }
    Result<std::uint64_t> hash(std::uint64_t offset, std::uint64_t length, std::uint64_t seed) const override
    {
        return m_source.hash(m_base + offset, length, seed);
    }
    Result<bool> equals(std::uint64_t offset, const void* data, std::size_t length) const override
    {
        return m_source.equals(m_base + offset, data, length);
    }
    Result<std::vector<Extent>> dataExtents(std::uint64_t offset, std::uint64_t length,
                                            std::size_t maxExtents) const override
    {
        Result<std::vector<Extent>> extents = m_source.dataExtents(m_base + offset, length, maxExtents);
        if (extents) {
            for (Extent& extent : *extents)
                extent.offset -= m_base;
        }
        return extents;
    }

private:
    const ScanSource& m_source;
    std::uint64_t m_base;
};

/// One side of a comparison: `size` bytes of `source` from offset 0 of the source (not owned).
struct DiffSide {
    const ScanSource* source = nullptr;
    std::uint64_t size = 0;
};

/// A run of bytes that differ between side A ("old") and side B ("new").
struct DiffRange {
    enum class Kind {
        Changed, ///< both sides have the bytes and they differ
        OnlyInA, ///< past the end of B (A is longer)
        OnlyInB, ///< past the end of A (B is longer)
    };
    std::uint64_t offset = 0; ///< from the start of both sides, in bytes
    std::uint64_t length = 0; ///< bytes, >= 1
    Kind kind = Kind::Changed;
    /// The first min(length, DiffOptions::maxBytes) bytes of A and of B in the range as they were read
    /// during the comparison (empty for the side that has none: OnlyInA has no `newBytes`).
    std::vector<std::uint8_t> oldBytes;
    std::vector<std::uint8_t> newBytes;
};

/// Options of diffSides().
struct DiffOptions {
    std::size_t maxBytes = 64; ///< how many bytes of each side DiffRange keeps (0: none)
    /// Called after each step with the bytes compared so far and the total (the longer side); returning
    /// false stops the comparison (DiffSummary::complete is then false). May be empty.
    std::function<bool(std::uint64_t done, std::uint64_t total)> progress;
};

/// What diffSides() found in all.
struct DiffSummary {
    std::uint64_t ranges = 0; ///< differing ranges reported
    std::uint64_t bytes = 0; ///< bytes in them
    bool complete = true; ///< false when progress or onRange stopped it early
    bool equal() const { return complete && ranges == 0; }
};

/// Compares A and B byte by byte at the same offsets (segments do not move, so no alignment search)
/// and calls `onRange` once per maximal run of differing bytes, in ascending order; the part of the
/// longer side past the end of the shorter one is one final range of kind OnlyInA / OnlyInB.
/// Returning false from onRange stops the comparison. Holes are not read: where both sides hold
/// holes (dataExtents()) the bytes are equal without reading; elsewhere they are read with
/// readSparse() in 256 KiB steps and memcmp'd, and only a step that differs is searched byte-exactly.
/// Memory: two 256 KiB buffers. Runs on the calling thread; a live object that changes meanwhile is
/// compared as it is read. Errors: those of the sources' read()/dataExtents() (Vanished, …).
Result<DiffSummary> diffSides(const DiffSide& a, const DiffSide& b, const DiffOptions& options,
                              const std::function<bool(const DiffRange&)>& onRange);

} // namespace shmscope
