// The mapping card on Linux (core/viewcard.h): /proc/PID/smaps, /proc/self/mountinfo and cachestat(2).

#include "core/viewcard.h"

#include "core/mapping.h"
#include "core/posix/procfs.h"
#include "core/posix/procmaps.h"

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

namespace shmscope {

namespace {

// cachestat(2): include/uapi/linux/mman.h of Linux 6.5+ (Debian 12's headers predate it). The system
// call has number 451 on every architecture (the unified table).
struct CachestatRange {
    std::uint64_t offset;
    std::uint64_t length; // 0: to the end of the file
};
struct Cachestat {
    std::uint64_t nrCache;
    std::uint64_t nrDirty;
    std::uint64_t nrWriteback;
    std::uint64_t nrEvicted;
    std::uint64_t nrRecentlyEvicted;
};
constexpr long kCachestatSyscall = 451;

std::atomic<bool> g_cachestatDisabled { std::getenv("SHMSCOPE_NO_CACHESTAT") != nullptr
                                        && std::strcmp(std::getenv("SHMSCOPE_NO_CACHESTAT"), "1") == 0 };

std::string pidObject(int pid)
{
    return "pid " + std::to_string(pid);
}

// "Rss:   12 kB" → the field's value in bytes, if `line` is field `name`.
bool smapsField(std::string_view line, std::string_view name, std::uint64_t& out)
{
    if (!line.starts_with(name) || line.size() <= name.size() || line[name.size()] != ':')
        return false;
    std::string_view rest = line.substr(name.size() + 1);
    std::uint64_t kib = 0;
    if (!detail::parseNumber(detail::nextField(rest), kib, 10))
        return false;
    out = kib * 1024;
    return true;
}

} // namespace

Result<SmapsCounters> readSmaps(const ProcessView& view)
{
    const std::string path = "/proc/" + std::to_string(view.pid) + "/smaps";
    std::FILE* smaps = std::fopen(path.c_str(), "re");
    if (!smaps) {
        const int err = errno;
        return errorFromErrno("smaps", pidObject(view.pid), err == ESRCH ? ENOENT : err,
                              err == EACCES || err == EPERM ? "(this process may not inspect it)" : "");
    }
    char* buffer = nullptr;
    std::size_t capacity = 0;
    ssize_t length;
    bool inBlock = false;
    bool found = false;
    SmapsCounters counters;
    errno = 0;
    while ((length = ::getline(&buffer, &capacity, smaps)) > 0) {
        std::string_view line(buffer, static_cast<std::size_t>(length));
        if (line.back() == '\n')
            line.remove_suffix(1);
        detail::MapsLine header;
        if (detail::parseMapsLine(line, header)) {
            if (found)
                break; // the next VMA: ours is complete
            inBlock = header.start == view.start && header.end == view.end;
            found = inBlock;
            continue;
        }
        if (!inBlock)
            continue;
        smapsField(line, "Size", counters.size) || smapsField(line, "Rss", counters.rss)
            || smapsField(line, "Pss", counters.pss) || smapsField(line, "Shared_Clean", counters.sharedClean)
            || smapsField(line, "Shared_Dirty", counters.sharedDirty)
            || smapsField(line, "Private_Clean", counters.privateClean)
            || smapsField(line, "Private_Dirty", counters.privateDirty)
            || smapsField(line, "Anonymous", counters.anonymous) || smapsField(line, "Swap", counters.swap);
    }
    const int err = std::ferror(smaps) ? errno : 0;
    std::fclose(smaps);
    std::free(buffer);
    if (err != 0 && !found)
        return errorFromErrno("smaps", pidObject(view.pid), err == ESRCH ? ENOENT : err);
    if (!found) {
        Error error;
        error.code = ErrorCode::NotFound;
        error.operation = "smaps";
        error.object = pidObject(view.pid);
        error.detail = "(the view is no longer mapped there)";
        return error;
    }
    return counters;
}

std::string backingOf(const ProcessView& view)
{
    if (view.path.starts_with("/SYSV"))
        return "System V";
    // mountinfo (proc.rst, "/proc/<pid>/mountinfo"): "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS
    // [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS", MAJ:MIN in decimal.
    std::FILE* mountinfo = std::fopen("/proc/self/mountinfo", "re");
    if (!mountinfo)
        return "file system";
    const std::string wanted = std::to_string(major(static_cast<dev_t>(view.device))) + ":"
        + std::to_string(minor(static_cast<dev_t>(view.device)));
    char* buffer = nullptr;
    std::size_t capacity = 0;
    ssize_t length;
    std::string type;
    while (type.empty() && (length = ::getline(&buffer, &capacity, mountinfo)) > 0) {
        std::string_view rest(buffer, static_cast<std::size_t>(length));
        detail::nextField(rest);
        detail::nextField(rest);
        if (detail::nextField(rest) != wanted)
            continue;
        const std::size_t separator = rest.find(" - ");
        if (separator == std::string_view::npos)
            continue;
        rest.remove_prefix(separator + 3);
        type = std::string(detail::nextField(rest));
    }
    std::fclose(mountinfo);
    std::free(buffer);
    return type.empty() ? std::string("file system") : type;
}

void setCachestatDisabledForTesting(bool disabled)
{
    g_cachestatDisabled = disabled;
}

Result<CacheState> cacheState(const Mapping& mapping)
{
    const std::string object = toString(mapping.address());
    if (g_cachestatDisabled || !pageMapFeatures().cachestat) {
        Error error;
        error.code = ErrorCode::Unsupported;
        error.operation = "cache state";
        error.object = object;
        error.detail = "(not observable: cachestat needs Linux 6.5)";
        return error;
    }
    Result<CacheState> result = Error {};
    const Status status = mapping.inspectView([&](const NativeView& native) -> Status {
        if (native.handle < 0) {
            Error error;
            error.code = ErrorCode::Unsupported;
            error.operation = "cache state";
            error.object = object;
            error.detail = "(not observable: the object has no descriptor)";
            return error;
        }
        CachestatRange range { 0, 0 };
        Cachestat stat {};
        if (::syscall(kCachestatSyscall, static_cast<int>(native.handle), &range, &stat, 0) != 0)
            return errorFromErrno("cache state", object, errno, "(cachestat)");
        result = CacheState { stat.nrCache, stat.nrDirty, stat.nrWriteback, stat.nrEvicted, stat.nrRecentlyEvicted };
        return {};
    });
    if (!status)
        return status.error();
    return result;
}

} // namespace shmscope
