#include "core/scansource.h"

#include <algorithm>
#include <cstring>

namespace shmscope {

namespace {

// Extents asked for per dataExtents() call; a full answer is continued from its last extent.
constexpr std::size_t kExtentsPerQuery = 256;

} // namespace

Result<bool> ScanSource::equals(std::uint64_t offset, const void* data, std::size_t length) const
{
    return equalsByReading([this](std::uint64_t at, void* out, std::size_t n) { return read(at, out, n); }, offset,
                           data, length);
}

Result<bool> equalsByReading(const ReadFunction& read, std::uint64_t offset, const void* data, std::size_t length)
{
    const auto* bytes = static_cast<const char*>(data);
    std::vector<char> buffer(std::min<std::size_t>(length, 64 * 1024));
    for (std::size_t done = 0; done < length;) {
        const std::size_t chunk = std::min(length - done, buffer.size());
        if (Status status = read(offset + done, buffer.data(), chunk); !status)
            return status.error();
        if (std::memcmp(buffer.data(), bytes + done, chunk) != 0)
            return false;
        done += chunk;
    }
    return true;
}

Result<std::uint64_t> DataCursor::nextData(std::uint64_t pos, std::uint64_t end)
{
    if (pos >= m_dataBegin && pos < m_dataEnd)
        return pos;
    if (pos < m_holeEnd)
        return std::min(m_holeEnd, end);
    Result<std::vector<Extent>> extents = m_source.dataExtents(pos, end - pos, 1);
    if (!extents)
        return extents.error();
    if (extents->empty()) {
        m_holeEnd = end;
        return end;
    }
    m_dataBegin = extents->front().offset;
    m_dataEnd = m_dataBegin + extents->front().length;
    m_holeEnd = m_dataBegin;
    return m_dataBegin;
}

Status DataCursor::read(std::uint64_t pos, std::size_t n, void* out) const
{
    if (pos >= m_dataBegin && pos + n <= m_dataEnd)
        return m_source.read(pos, out, n);
    return readSparse(m_source, pos, out, n);
}

std::optional<Result<bool>> DataCursor::equalsInPlace(std::uint64_t pos, std::size_t n, const void* data) const
{
    if (pos >= m_dataBegin && pos + n <= m_dataEnd)
        return m_source.equals(pos, data, n);
    return std::nullopt;
}

Status readSparse(const ScanSource& source, std::uint64_t offset, void* out, std::size_t length)
{
    auto* bytes = static_cast<char*>(out);
    const std::uint64_t end = offset + length;
    std::uint64_t pos = offset; // everything before pos is in `out`
    while (pos < end) {
        Result<std::vector<Extent>> extents = source.dataExtents(pos, end - pos, kExtentsPerQuery);
        if (!extents)
            return extents.error();
        for (const Extent& extent : *extents) {
            std::memset(bytes + (pos - offset), 0, static_cast<std::size_t>(extent.offset - pos));
            if (Status status
                = source.read(extent.offset, bytes + (extent.offset - offset), static_cast<std::size_t>(extent.length));
                !status)
                return status;
            pos = extent.offset + extent.length;
        }
        if (extents->size() < kExtentsPerQuery) {
            // The rest of the range holds no data.
            std::memset(bytes + (pos - offset), 0, static_cast<std::size_t>(end - pos));
            pos = end;
        }
    }
    return {};
}

} // namespace shmscope
