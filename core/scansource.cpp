#include "core/scansource.h"

#include <cstring>

namespace shmscope {

namespace {

// Extents asked for per dataExtents() call; a full answer is continued from its last extent.
constexpr std::size_t kExtentsPerQuery = 256;

} // namespace

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
