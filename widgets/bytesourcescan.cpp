#include "widgets/bytesourcescan.h"

#include "widgets/bytesource.h"

#include <algorithm>
#include <limits>

namespace shmscope {

Error ByteSourceScan::failure(const char* operation) const
{
    Error error;
    error.code = ErrorCode::System;
    error.operation = operation;
    error.detail = m_source.errorString().toStdString();
    return error;
}

Status ByteSourceScan::read(std::uint64_t offset, void* out, std::size_t length) const
{
    if (length > std::size_t(std::numeric_limits<qsizetype>::max())
        || !m_source.read(offset, static_cast<char*>(out), qsizetype(length)))
        return failure("read");
    return {};
}

Result<std::uint64_t> ByteSourceScan::hash(std::uint64_t offset, std::uint64_t length, std::uint64_t seed) const
{
    quint64 value = 0;
    if (!m_source.hash(offset, length, seed, &value))
        return failure("hash");
    return std::uint64_t(value);
}

Result<std::vector<Extent>> ByteSourceScan::dataExtents(std::uint64_t offset, std::uint64_t length,
                                                        std::size_t maxExtents) const
{
    QList<ByteSource::Extent> found;
    const int most = int(std::min<std::size_t>(maxExtents, std::size_t(std::numeric_limits<int>::max())));
    if (!m_source.dataExtents(offset, length, most, &found))
        return failure("data extents");
    std::vector<Extent> extents;
    extents.reserve(std::size_t(found.size()));
    for (const ByteSource::Extent& extent : std::as_const(found))
        extents.push_back({ extent.offset, extent.length });
    return extents;
}

} // namespace shmscope
