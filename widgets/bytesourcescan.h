#pragma once

#include "core/scansource.h"

namespace shmscope {

class ByteSource;

/// The core's ScanSource (core/scansource.h) over a ByteSource (not owned; it must outlive this
/// adapter), so that widgets use the core's one copy of readSparse() and BlockHasher. Callable from
/// any thread the source's read(), hash() and dataExtents() are. A failure is an Error with
/// ErrorCode::System and the source's errorString() as its detail.
class ByteSourceScan final : public ScanSource
{
public:
    explicit ByteSourceScan(const ByteSource& source)
        : m_source(source)
    { }
    Status read(std::uint64_t offset, void* out, std::size_t length) const override;
    Result<std::uint64_t> hash(std::uint64_t offset, std::uint64_t length, std::uint64_t seed) const override;
    Result<std::vector<Extent>> dataExtents(std::uint64_t offset, std::uint64_t length,
                                            std::size_t maxExtents) const override;

private:
    Error failure(const char* operation) const;

    const ByteSource& m_source;
};

} // namespace shmscope
