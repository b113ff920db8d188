#include "core/posix/procfs.h"

#include <algorithm>
#include <dirent.h>

namespace shmscope::detail {

std::string_view nextField(std::string_view& rest)
{
    const std::size_t start = rest.find_first_not_of(" \t");
    if (start == std::string_view::npos) {
        rest = {};
        return {};
    }
    rest.remove_prefix(start);
    const std::size_t end = rest.find_first_of(" \t");
    const std::string_view field = rest.substr(0, end);
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end);
    return field;
}

std::vector<int> listPids()
{
    std::vector<int> pids;
    DIR* proc = ::opendir("/proc");
    if (!proc)
        return pids;
    while (const dirent* entry = ::readdir(proc)) {
        int pid = 0;
        if (parseNumber(std::string_view(entry->d_name), pid, 10) && pid > 0)
            pids.push_back(pid);
    }
    ::closedir(proc);
    std::sort(pids.begin(), pids.end());
    return pids;
}

} // namespace shmscope::detail
