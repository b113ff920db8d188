#include "core/shmusage.h"

#include <algorithm>
#include <cerrno>
#include <sys/statvfs.h>
#include <tuple>

namespace shmscope {

Result<ShmUsage> measureShmUsage(const Inventory& inventory, std::size_t largest)
{
    ShmUsage usage;
    usage.path = "/dev/shm";
    struct statvfs info = {};
    if (::statvfs(usage.path.c_str(), &info) != 0)
        return errorFromErrno("usage", usage.path, errno);
    const std::uint64_t unit = info.f_frsize ? info.f_frsize : info.f_bsize;
    usage.size = static_cast<std::uint64_t>(info.f_blocks) * unit;
    usage.used = (static_cast<std::uint64_t>(info.f_blocks) - static_cast<std::uint64_t>(info.f_bfree)) * unit;
    usage.free = static_cast<std::uint64_t>(info.f_bavail) * unit;
    usage.uninspectedProcesses = inventory.uninspectedProcesses;

    std::vector<const ObjectInfo*> entries;
    for (const std::vector<ObjectInfo>* list : { &inventory.objects, &inventory.semaphores }) {
        for (const ObjectInfo& object : *list) {
            if (object.address.kind != Kind::Posix)
                continue;
            entries.push_back(&object);
            usage.objectsAllocated += object.allocated;
        }
    }
    std::sort(entries.begin(), entries.end(), [](const ObjectInfo* a, const ObjectInfo* b) {
        return std::tie(b->allocated, a->address.name) < std::tie(a->allocated, b->address.name);
    });
    entries.resize(std::min(entries.size(), largest));
    for (const ObjectInfo* object : entries)
        usage.largest.push_back(*object);
    return usage;
}

} // namespace shmscope
