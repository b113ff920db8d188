#include "core/posix/procmaps.h"

#include "core/posix/procfs.h"

#include <sys/sysmacros.h>

namespace shmscope::detail {

bool parseMapsLine(std::string_view line, MapsLine& out)
{
    std::string_view rest = line;
    const std::string_view range = nextField(rest);
    out.perms = nextField(rest);
    const std::string_view offset = nextField(rest);
    const std::size_t dash = range.find('-');
    if (dash == std::string_view::npos || !parseNumber(range.substr(0, dash), out.start, 16)
        || !parseNumber(range.substr(dash + 1), out.end, 16) || !parseNumber(offset, out.offset, 16)) {
        return false;
    }
    const std::string_view permissions = out.perms;
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
