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
