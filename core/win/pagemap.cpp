// The page map on Windows (core/pagemap.h), this process's own views only: per page,
// QueryWorkingSetEx (PSAPI_WORKING_SET_EX_BLOCK: Valid, Shared, ShareCount) and VirtualQuery's
// protection (a copy-on-write page that was copied turns from PAGE_WRITECOPY into PAGE_READWRITE).
// Sources: Microsoft's documentation of QueryWorkingSetEx, PSAPI_WORKING_SET_EX_BLOCK, VirtualQuery and
// the memory protection constants. What Wine 8 reports differently: docs/windows.md.

#include "core/pagemap.h"

#include "core/mapping.h"
#include "core/pagemapdetail.h"

#include <algorithm>
#include <windows.h>
// psapi.h needs windows.h first.
#include <psapi.h>

namespace shmscope {

namespace {

std::uint64_t pageSize()
{
    static const std::uint64_t size = [] {
        SYSTEM_INFO info {};
        GetSystemInfo(&info);
        return std::uint64_t(info.dwPageSize);
    }();
    return size;
}

Error unsupported(const std::string& object, const char* why)
{
    Error error;
    error.code = ErrorCode::Unsupported;
    error.operation = "pages";
    error.object = object;
    error.detail = why;
    return error;
}

std::string pidObject(int pid)
{
    return "pid " + std::to_string(pid);
}

bool isCopiedProtection(DWORD protect)
{
    return (protect & 0xff) == PAGE_READWRITE || (protect & 0xff) == PAGE_EXECUTE_READWRITE;
}

// The states of `count` pages from `address`, this process.
Status queryPages(std::uint64_t address, std::size_t count, bool copyOnWrite, std::vector<PageInfo>& out)
{
    std::vector<PSAPI_WORKING_SET_EX_INFORMATION> info(count);
    for (std::size_t i = 0; i < count; ++i)
        info[i].VirtualAddress = reinterpret_cast<void*>(address + i * pageSize());
    if (!QueryWorkingSetEx(GetCurrentProcess(), info.data(), DWORD(count * sizeof info[0])))
        return errorFromWin32("pages", pidObject(int(GetCurrentProcessId())), GetLastError(), "(QueryWorkingSetEx)");
    for (std::size_t i = 0; i < count; ++i) {
        const PSAPI_WORKING_SET_EX_BLOCK& block = info[i].VirtualAttributes;
        PageInfo page;
        if (!block.Valid)
            page.state = PageState::NotPresent;
        else if (!block.Shared)
            page.state = PageState::PrivateCopy;
        else
            page.state = block.ShareCount > 1 ? PageState::Shared : PageState::Exclusive;
        if (copyOnWrite && page.state != PageState::NotPresent) {
            // A page of a FILE_MAP_COPY view that was copied is PAGE_READWRITE (it was PAGE_WRITECOPY).
            MEMORY_BASIC_INFORMATION region {};
            if (VirtualQuery(info[i].VirtualAddress, &region, sizeof region) && isCopiedProtection(region.Protect))
                page.state = PageState::PrivateCopy;
        }
        out.push_back(page);
    }
    return {};
}

bool isCopyOnWriteView(std::uint64_t start)
{
    MEMORY_BASIC_INFORMATION region {};
    return VirtualQuery(reinterpret_cast<void*>(start), &region, sizeof region)
        && (region.AllocationProtect & 0xff) == PAGE_WRITECOPY;
}

} // namespace

namespace detail {

ProcessView selfView(const NativeView& native)
{
    ProcessView view;
    view.pid = int(GetCurrentProcessId());
    view.self = true;
    view.thisView = true;
    view.start = native.address;
    view.end = native.address + (native.length + pageSize() - 1) / pageSize() * pageSize();
    return view;
}

} // namespace detail

const PageMapFeatures& pageMapFeatures()
{
    static const PageMapFeatures features = [] {
        PageMapFeatures f;
        static int probe = 1;
        PSAPI_WORKING_SET_EX_INFORMATION info {};
        info.VirtualAddress = &probe;
        f.pagemap = QueryWorkingSetEx(GetCurrentProcess(), &info, sizeof info) != 0;
        return f;
    }();
    return features;
}

Result<ProcessView> ownView(const Mapping& mapping)
{
    Result<ProcessView> result = Error {};
    const Status status = mapping.inspectView([&](const NativeView& native) -> Status {
        if (native.address == 0)
            return unsupported(toString(mapping.address()), "(the view is empty: nothing is mapped)");
        ProcessView view = detail::selfView(native);
        MEMORY_BASIC_INFORMATION region {};
        DWORD protect = 0;
        if (VirtualQuery(reinterpret_cast<void*>(native.address), &region, sizeof region))
            protect = region.AllocationProtect & 0xff;
        view.perms = protect == PAGE_WRITECOPY ? "rw-p" : protect == PAGE_READONLY ? "r--s" : "rw-s";
        view.path = toString(mapping.address());
        char name[64] = {};
        if (GetModuleBaseNameA(GetCurrentProcess(), nullptr, name, sizeof name - 1))
            view.command = name;
        result = std::move(view);
        return {};
    });
    if (!status)
        return status.error();
    if (result.ok())
        result->objectOffset = 0;
    return result;
}

Result<ObjectViews> findObjectViews(const Mapping& mapping)
{
    Result<ProcessView> own = ownView(mapping);
    if (!own)
        return own.error();
    ObjectViews views;
    views.views.push_back(std::move(*own));
    views.othersSearched = false;
    return views;
}

Result<std::vector<ProcessView>> processViews(const Mapping& mapping, int pid)
{
    if (pid != int(GetCurrentProcessId()))
        return unsupported(pidObject(pid), "(another process's pages: not on Windows; see docs/windows.md)");
    Result<ProcessView> own = ownView(mapping);
    if (!own)
        return own.error();
    return std::vector<ProcessView> { std::move(*own) };
}

Result<PageMap> readPages(const ProcessView& view, std::uint64_t offset, std::uint64_t length)
{
    if (view.pid != int(GetCurrentProcessId()))
        return unsupported(pidObject(view.pid), "(another process's pages: not on Windows; see docs/windows.md)");
    const std::uint64_t mappedEnd = view.objectOffset + view.length();
    if (offset < view.objectOffset || offset > mappedEnd || length > mappedEnd - offset) {
        Error error;
        error.code = ErrorCode::OutOfRange;
        error.operation = "pages";
        error.object = pidObject(view.pid);
        error.detail
            = "offset " + std::to_string(offset) + " + length " + std::to_string(length) + " is not inside the view";
        return error;
    }
    PageMap map;
    map.pageSize = pageSize();
    map.firstPage = offset / pageSize();
    const std::uint64_t last = length == 0 ? map.firstPage : (offset + length + pageSize() - 1) / pageSize();
    const bool copyOnWrite = last > map.firstPage && isCopyOnWriteView(view.start);
    constexpr std::uint64_t kChunk = 4096;
    for (std::uint64_t page = map.firstPage; page < last;) {
        const std::uint64_t n = std::min(kChunk, last - page);
        if (Status status
            = queryPages(view.start + page * pageSize() - view.objectOffset, std::size_t(n), copyOnWrite, map.pages);
            !status)
            return status.error();
        page += n;
    }
    return map;
}

Result<PageSummary> summarisePages(const ProcessView& view, std::uint64_t offset, std::uint64_t length,
                                   ScanMethod method, unsigned /*threads: one walk here*/)
{
    if (method == ScanMethod::Scan)
        return unsupported(pidObject(view.pid), "(PAGEMAP_SCAN is Linux's)");
    PageSummary summary;
    summary.pageSize = pageSize();
    // In chunks, so that a large view needs no state per page.
    constexpr std::uint64_t kStep = 64 * 1024;
    const std::uint64_t end = offset + length;
    for (std::uint64_t position = offset; position < end || (length == 0 && position == offset);) {
        const std::uint64_t step = std::min(end - position, kStep * pageSize());
        Result<PageMap> map = readPages(view, position, step);
        if (!map)
            return map.error();
        for (const PageInfo& page : map->pages) {
            ++summary.pages;
            summary.present += page.state == PageState::Shared || page.state == PageState::Exclusive;
            summary.privateCopies += page.state == PageState::PrivateCopy;
            summary.swapped += page.state == PageState::Swapped;
        }
        if (step == 0)
            break;
        position += step;
    }
    return summary;
}

Status resetSoftDirty(int pid)
{
    return unsupported(pidObject(pid), "(soft-dirty pages are Linux's)");
}

} // namespace shmscope
