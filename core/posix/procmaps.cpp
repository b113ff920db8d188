#include "core/posix/procmaps.h"

#include "core/posix/procfs.h"

#include <sys/sysmacros.h>

namespace shmscope::detail {

bool parseMapsLine(std::string_view line, MapsLine& out)
{
    std::string_view rest = line;
    nextField(rest); // address range
    const std::string_view permissions = nextField(rest);
    nextField(rest); // offset
    const std::string_view device = nextField(rest);
    const std::string_view inode = nextField(rest);
    const std::size_t colon = device.find(':');
    std::uint64_t major = 0;
    std::uint64_t minor = 0;
    if (colon == std::string_view::npos || !parseNumber(device.substr(0, colon), major, 16)
        || !parseNumber(device.substr(colon + 1), minor, 16) || !parseNumber(inode, out.inode, 10)) {
        return false;
    }
    if (permissions.size() < 4)
        return false;
    out.writable = permissions[1] == 'w';
    out.shared = permissions[3] == 's';
    out.device = makedev(static_cast<unsigned>(major), static_cast<unsigned>(minor));
    const std::size_t pathStart = rest.find_first_not_of(' ');
    out.path = pathStart == std::string_view::npos ? std::string_view() : rest.substr(pathStart);
    return true;
}

} // namespace shmscope::detail
