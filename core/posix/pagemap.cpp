// The page map on Linux: /proc/PID/pagemap entries and the PAGEMAP_SCAN ioctl (core/pagemap.h).
// Sources: Documentation/admin-guide/mm/pagemap.rst, soft-dirty.rst, and include/uapi/linux/fs.h of
// Linux 6.7+ for the PAGEMAP_SCAN structures (Debian 12's headers are Linux 6.1's, so they are
// declared here with the kernel's layout).

#include "core/pagemap.h"

#include "core/mapping.h"
#include "core/pagemapdetail.h"
#include "core/posix/procfs.h"
#include "core/posix/procmaps.h"
#include "core/posix/uniquefd.h"
#include "core/posix/walkparts.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <thread>
#include <unistd.h>

namespace shmscope {

namespace {

// pagemap.rst: the bits of one 64-bit entry.
constexpr std::uint64_t kPresent = 1ULL << 63;
constexpr std::uint64_t kSwapped = 1ULL << 62;
constexpr std::uint64_t kFileOrSharedAnon = 1ULL << 61;
constexpr std::uint64_t kExclusive = 1ULL << 56;
constexpr std::uint64_t kSoftDirty = 1ULL << 55;

// include/uapi/linux/fs.h (Linux 6.7+): PAGEMAP_SCAN.
struct PageRegion {
    std::uint64_t start;
    std::uint64_t end;
    std::uint64_t categories;
};
struct PmScanArg {
    std::uint64_t size;
    std::uint64_t flags;
    std::uint64_t start;
    std::uint64_t end;
    std::uint64_t walkEnd;
    std::uint64_t vec;
    std::uint64_t vecLen;
    std::uint64_t maxPages;
    std::uint64_t categoryInverted;
    std::uint64_t categoryMask;
    std::uint64_t categoryAnyofMask;
    std::uint64_t returnMask;
};
static_assert(sizeof(PmScanArg) == 96, "struct pm_scan_arg is 96 bytes (PM_SCAN_ARG_SIZE_VER0)");
const unsigned long kPagemapScan = _IOWR('f', 16, PmScanArg);
constexpr std::uint64_t kPageIsFile = 1 << 2;
constexpr std::uint64_t kPageIsPresent = 1 << 3;
constexpr std::uint64_t kPageIsSwapped = 1 << 4;
constexpr std::uint64_t kPageIsSoftDirty = 1 << 7; // added after the ioctl itself: probed

// cachestat(2) has number 451 on every architecture (the unified system call table, Linux 6.5).
constexpr long kCachestatSyscall = 451;

constexpr std::size_t kReadChunkPages = 64 * 1024; // 512 KiB of entries per pread (per thread)
constexpr std::size_t kScanRegions = 4096;
// summarisePages() splits a range of at least this many pages (1 GiB of 4 KiB pages) over
// min(hardware threads, kAutoThreads) threads. Below that the whole walk costs about as much as what a
// second thread would save: a full page table's walk costs 1.3-3.5 ns per entry (pagemap_bench: scan,
// reads), so 1 GiB at most 0.35-0.9 ms, and starting and joining a thread 40-90 us (median, 90th
// percentile, on the project's 2-core virtual machine).
constexpr std::uint64_t kAutoSplitPages = 1 << 18;
constexpr unsigned kAutoThreads = 4;
constexpr unsigned kMaxThreads = 16;

std::uint64_t pageSize()
{
    static const auto size = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
    return size;
}

PageInfo decode(std::uint64_t entry, bool softDirtyKnown)
{
    PageInfo info;
    if (entry & kSwapped)
        info.state = PageState::Swapped;
    else if (!(entry & kPresent))
        info.state = PageState::NotPresent;
    else if (!(entry & kFileOrSharedAnon))
        info.state = PageState::PrivateCopy;
    else
        info.state = (entry & kExclusive) ? PageState::Exclusive : PageState::Shared;
    // Only a page in the page table or in swap can have been written: the kernel also reports bit 55
    // for not-present entries of a VMA marked VM_SOFTDIRTY (a new mapping, soft-dirty.rst), which
    // PAGEMAP_SCAN does not return (it reports runs of present or swapped pages only), so both paths
    // count the same pages.
    info.softDirty = softDirtyKnown && (entry & kSoftDirty) && info.state != PageState::NotPresent;
    return info;
}

std::string pidObject(int pid)
{
    return "pid " + std::to_string(pid);
}

Result<detail::UniqueFd> openPagemap(int pid)
{
    const std::string path = "/proc/" + std::to_string(pid) + "/pagemap";
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        return errorFromErrno("pages", pidObject(pid), err == ESRCH ? ENOENT : err,
                              err == EACCES || err == EPERM ? "(this process may not inspect it)" : "");
    }
    return detail::UniqueFd(fd);
}

struct ScanSupport {
    bool scan = false;
    bool scanSoftDirty = false;
};

// PAGEMAP_SCAN over one page of this process: answers on Linux 6.7+ (ENOTTY before). Asked again with
// PAGE_IS_SOFT_DIRTY in the return mask, which kernels before that category refuse with EINVAL.
ScanSupport probeScan(int fd)
{
    ScanSupport support;
    static std::uint64_t probe = 1;
    const std::uint64_t page = reinterpret_cast<std::uintptr_t>(&probe) & ~(pageSize() - 1);
    std::array<PageRegion, 1> regions {};
    PmScanArg arg {};
    arg.size = sizeof arg;
    arg.start = page;
    arg.end = page + pageSize();
    arg.vec = reinterpret_cast<std::uintptr_t>(regions.data());
    arg.vecLen = regions.size();
    arg.returnMask = kPageIsPresent | kPageIsFile | kPageIsSwapped;
    support.scan = ::ioctl(fd, kPagemapScan, &arg) >= 0;
    if (support.scan) {
        arg.walkEnd = 0;
        arg.returnMask |= kPageIsSoftDirty;
        support.scanSoftDirty = ::ioctl(fd, kPagemapScan, &arg) >= 0;
    }
    return support;
}

// A soft-dirty kernel marks a freshly faulted page soft-dirty (soft-dirty.rst); without
// CONFIG_MEM_SOFT_DIRTY bit 55 is always 0.
bool probeSoftDirty(int fd)
{
    void* page = ::mmap(nullptr, pageSize(), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED)
        return false;
    *static_cast<volatile char*>(page) = 1;
    std::uint64_t entry = 0;
    const ssize_t got = ::pread(fd, &entry, sizeof entry,
                                static_cast<off_t>(reinterpret_cast<std::uintptr_t>(page) / pageSize() * 8));
    ::munmap(page, pageSize());
    return got == sizeof entry && (entry & kPresent) && (entry & kSoftDirty);
}

struct Detected {
    PageMapFeatures features;
    bool scanSoftDirty = false;
};

const Detected& detected()
{
    static const Detected result = [] {
        Detected d;
        const int fd = ::open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            d.features.pagemap = true;
            const ScanSupport scan = probeScan(fd);
            d.features.pagemapScan = scan.scan;
            d.scanSoftDirty = scan.scanSoftDirty;
            d.features.softDirty = probeSoftDirty(fd);
            ::close(fd);
        }
        errno = 0;
        d.features.cachestat = ::syscall(kCachestatSyscall, -1, nullptr, nullptr, 0) == -1 && errno != ENOSYS;
        return d;
    }();
    return result;
}

// The object pages [first, last) of the object range, checked against what `view` maps.
struct PageRange {
    std::uint64_t first = 0;
    std::uint64_t last = 0;
};

Result<PageRange> pageRange(const ProcessView& view, std::uint64_t offset, std::uint64_t length)
{
    const std::uint64_t size = pageSize();
    const std::uint64_t mappedEnd = view.objectOffset + view.length();
    if (offset < view.objectOffset || offset > mappedEnd || length > mappedEnd - offset) {
        Error error;
        error.code = ErrorCode::OutOfRange;
        error.operation = "pages";
        error.object = pidObject(view.pid);
        error.detail = "offset " + std::to_string(offset) + " + length " + std::to_string(length)
            + " is not inside the part of the object this view maps (" + std::to_string(view.objectOffset) + " to "
            + std::to_string(mappedEnd) + ")";
        return error;
    }
    PageRange range;
    range.first = offset / size;
    range.last = length == 0 ? range.first : (offset + length + size - 1) / size;
    return range;
}

// The virtual address of object page `page` in `view`.
std::uint64_t addressOf(const ProcessView& view, std::uint64_t page)
{
    return view.start + page * pageSize() - view.objectOffset;
}

// Reads `count` entries from the pagemap at virtual address `address` into `out`.
Status readEntries(int fd, int pid, std::uint64_t address, std::uint64_t* out, std::size_t count)
{
    auto* bytes = reinterpret_cast<char*>(out);
    std::size_t want = count * sizeof(std::uint64_t);
    auto position = static_cast<off_t>(address / pageSize() * sizeof(std::uint64_t));
    while (want > 0) {
        const ssize_t got = ::pread(fd, bytes, want, position);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            const int err = errno;
            return errorFromErrno("pages", pidObject(pid), err == ESRCH ? ENOENT : err);
        }
        if (got == 0) {
            std::memset(bytes, 0, want); // past the end of the address space: nothing mapped
            break;
        }
        bytes += got;
        want -= static_cast<std::size_t>(got);
        position += got;
    }
    return {};
}

bool forcedRead()
{
    const char* method = std::getenv("SHMSCOPE_PAGEMAP_METHOD");
    return method && std::strcmp(method, "read") == 0;
}

void count(PageSummary& summary, PageState state, bool softDirty, std::uint64_t pages)
{
    switch (state) {
    case PageState::Shared:
    case PageState::Exclusive:
        summary.present += pages;
        break;
    case PageState::PrivateCopy:
        summary.privateCopies += pages;
        break;
    case PageState::Swapped:
        summary.swapped += pages;
        break;
    case PageState::NotPresent:
        break;
    }
    if (softDirty)
        summary.softDirty += pages;
}

// Adds the states of `n` pagemap entries to `summary`. Nearly every entry of a sparse object is 0 (not
// present, not swapped, not soft-dirty), so a block of 8 entries without any of the counted bits is
// passed over with one test.
void countEntries(const std::uint64_t* entries, std::size_t n, bool softDirty, PageSummary& summary)
{
    const std::uint64_t counted = kPresent | kSwapped | (softDirty ? kSoftDirty : 0);
    constexpr std::size_t kBlock = 8;
    for (std::size_t block = 0; block < n; block += kBlock) {
        const std::size_t end = std::min(n, block + kBlock);
        std::uint64_t any = 0;
        for (std::size_t i = block; i < end; ++i)
            any |= entries[i];
        if (!(any & counted))
            continue;
        for (std::size_t i = block; i < end; ++i) {
            if (!(entries[i] & counted))
                continue;
            const PageInfo info = decode(entries[i], softDirty);
            count(summary, info.state, info.softDirty, 1);
        }
    }
}

Status summariseByRead(int fd, const ProcessView& view, const PageRange& range, PageSummary& summary)
{
    const bool softDirty = detected().features.softDirty;
    std::vector<std::uint64_t> entries(std::min<std::uint64_t>(kReadChunkPages, range.last - range.first));
    for (std::uint64_t page = range.first; page < range.last;) {
        const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(entries.size(), range.last - page));
        if (Status read = readEntries(fd, view.pid, addressOf(view, page), entries.data(), n); !read)
            return read;
        countEntries(entries.data(), n, softDirty, summary);
        page += n;
    }
    return {};
}

// PAGEMAP_SCAN reports only the runs of pages that are present or swapped (category_anyof_mask), each
// run with its categories, so holes cost nothing per page; the kernel still looks at every entry of
// every page table that exists (fs/proc/task_mmu.c, pagemap_scan_pmd_entry: no fast path for these
// masks). PAGE_IS_FILE is asked for only where a page can be a private copy: the kernel finds it
// through each present page's struct page (vm_normal_page, PageAnon), a cache miss per page that makes
// the scan of a 64 GiB view with 1 % present 1.5-1.9 times as slow spread evenly, 2.6-3.3 times
// clustered (pagemap_bench, one thread). In a shared view (MAP_SHARED, shmat) no page is anonymous:
// faults there map the object's own pages, and copy-on-write happens only in private mappings
// (mm/memory.c, do_cow_fault / do_wp_page), so every present page is the object's. (One exception: a
// file: object on a DAX file system (persistent memory) maps a hole it reads to the zero page, which
// has no struct page; the reads, without bit 61, call that page a private copy, this scan of a shared
// view calls it present. tmpfs and System V have no DAX.)
Status summariseByScan(int fd, const ProcessView& view, const PageRange& range, bool privateCopiesPossible,
                       PageSummary& summary)
{
    const bool softDirty = detected().features.softDirty;
    std::vector<PageRegion> regions(kScanRegions);
    PmScanArg arg {};
    arg.size = sizeof arg;
    arg.start = addressOf(view, range.first);
    arg.end = addressOf(view, range.last);
    arg.vec = reinterpret_cast<std::uintptr_t>(regions.data());
    arg.vecLen = regions.size();
    arg.categoryAnyofMask = kPageIsPresent | kPageIsSwapped;
    arg.returnMask = kPageIsPresent | kPageIsSwapped | (privateCopiesPossible ? kPageIsFile : 0)
        | (softDirty ? kPageIsSoftDirty : 0);
    while (arg.start < arg.end) {
        const int found = ::ioctl(fd, kPagemapScan, &arg);
        if (found < 0) {
            if (errno == EINTR)
                continue;
            const int err = errno;
            return errorFromErrno("pages", pidObject(view.pid), err == ESRCH ? ENOENT : err, "(PAGEMAP_SCAN)");
        }
        for (int i = 0; i < found; ++i) {
            const PageRegion& region = regions[static_cast<std::size_t>(i)];
            const std::uint64_t pages = (region.end - region.start) / pageSize();
            PageState state = PageState::NotPresent;
            if (region.categories & kPageIsSwapped)
                state = PageState::Swapped;
            else if (region.categories & kPageIsPresent)
                state = (!privateCopiesPossible || (region.categories & kPageIsFile)) ? PageState::Shared
                                                                                      : PageState::PrivateCopy;
            count(summary, state, (region.categories & kPageIsSoftDirty) != 0, pages);
        }
        // A call that did not fill the vector walked the whole range. walk_end is not used for that:
        // Linux 6.18 was seen reporting a walk_end before the end of a completed walk (at a PMD
        // boundary), and continuing from it counted the pages after it twice. Everything up to the
        // end of the last region has been reported, so a full vector continues from there.
        if (static_cast<std::size_t>(found) < regions.size())
            break;
        const std::uint64_t next = regions.back().end;
        if (next <= arg.start)
            break; // no progress: never loop for ever
        arg.start = next;
    }
    return {};
}

// Reads /proc/PID/comm without its newline; empty when it cannot be read.
std::string commandOf(int pid)
{
    const std::string path = "/proc/" + std::to_string(pid) + "/comm";
    std::FILE* file = std::fopen(path.c_str(), "re");
    if (!file)
        return {};
    char buffer[64] = {};
    const bool got = std::fgets(buffer, sizeof buffer, file) != nullptr;
    std::fclose(file);
    if (!got)
        return {};
    std::string command(buffer);
    if (!command.empty() && command.back() == '\n')
        command.pop_back();
    return command;
}

// The VMAs of `pid` whose device and inode are `id` (or, with id.inode == 0 and `address` set, the VMA
// starting at `address`: the own view, whose identity this finds). Returns the errno of opening or
// reading the maps (0 on success).
int viewsOf(int pid, const detail::FileId* id, std::uint64_t address, std::vector<ProcessView>& out)
{
    const std::string path = "/proc/" + std::to_string(pid) + "/maps";
    std::FILE* maps = std::fopen(path.c_str(), "re");
    if (!maps)
        return errno;
    char* buffer = nullptr;
    std::size_t capacity = 0;
    ssize_t length;
    errno = 0;
    const bool self = pid == ::getpid();
    std::string command;
    while ((length = ::getline(&buffer, &capacity, maps)) > 0) {
        std::string_view line(buffer, static_cast<std::size_t>(length));
        if (line.back() == '\n')
            line.remove_suffix(1);
        detail::MapsLine parsed;
        if (!detail::parseMapsLine(line, parsed))
            continue;
        const bool match = id ? (parsed.device == id->device && parsed.inode == id->inode) : parsed.start == address;
        if (!match)
            continue;
        if (command.empty())
            command = commandOf(pid);
        ProcessView view;
        view.pid = pid;
        view.self = self;
        view.command = command;
        view.start = parsed.start;
        view.end = parsed.end;
        view.perms = std::string(parsed.perms);
        view.objectOffset = parsed.offset;
        view.device = parsed.device;
        view.inode = parsed.inode;
        view.path = std::string(parsed.path);
        out.push_back(std::move(view));
    }
    const int err = std::ferror(maps) ? errno : 0;
    std::fclose(maps);
    std::free(buffer);
    return err;
}

Error noView(const Mapping& mapping, int pid)
{
    Error error;
    error.code = ErrorCode::NotFound;
    error.operation = "pages";
    error.object = toString(mapping.address());
    error.detail = "(pid " + std::to_string(pid) + " does not map it)";
    return error;
}

// Whether `view` is a shared mapping ('s' in its maps permissions), where no page can be a private
// copy. A view that does not say (this process's own, from a NativeView) is looked up in
// /proc/PID/maps by its start; one not found there (merged with a neighbour) is taken as private,
// which costs time, not exactness.
bool isSharedMapping(const ProcessView& view)
{
    if (view.perms.size() == 4)
        return view.perms[3] == 's';
    std::vector<ProcessView> found;
    if (viewsOf(view.pid, nullptr, view.start, found) != 0 || found.empty() || found.front().perms.size() != 4)
        return false;
    return found.front().perms[3] == 's';
}

void addCounts(PageSummary& summary, const PageSummary& part)
{
    summary.present += part.present;
    summary.privateCopies += part.privateCopies;
    summary.swapped += part.swapped;
    summary.softDirty += part.softDirty;
}

} // namespace

namespace detail {

ProcessView selfView(const NativeView& native)
{
    ProcessView view;
    view.pid = ::getpid();
    view.self = true;
    view.thisView = true;
    view.start = native.address;
    view.end = native.address + (native.length + pageSize() - 1) / pageSize() * pageSize();
    return view;
}

} // namespace detail

const PageMapFeatures& pageMapFeatures()
{
    return detected().features;
}

Result<ProcessView> ownView(const Mapping& mapping)
{
    Result<ProcessView> result = Error {};
    const Status status = mapping.inspectView([&](const NativeView& native) -> Status {
        if (native.address == 0) {
            Error error;
            error.code = ErrorCode::InvalidArgument;
            error.operation = "pages";
            error.object = toString(mapping.address());
            error.detail = "(the view is empty: nothing is mapped)";
            return error;
        }
        std::vector<ProcessView> views;
        if (const int err = viewsOf(::getpid(), nullptr, native.address, views); err != 0)
            return errorFromErrno("pages", toString(mapping.address()), err, "(reading /proc/self/maps)");
        if (views.empty())
            return noView(mapping, ::getpid());
        views.front().thisView = true;
        result = std::move(views.front());
        return {};
    });
    if (!status)
        return status.error();
    return result;
}

Result<ObjectViews> findObjectViews(const Mapping& mapping)
{
    Result<ProcessView> own = ownView(mapping);
    if (!own)
        return own.error();
    const detail::FileId id { own->device, own->inode };
    ObjectViews found;
    for (int pid : detail::listPids()) {
        std::vector<ProcessView> views;
        const int err = viewsOf(pid, &id, 0, views);
        if (err == ENOENT || err == ESRCH)
            continue; // exited since the directory was read
        if (err != 0) {
            ++found.uninspected;
            found.uninspectedPids.push_back(pid);
            continue;
        }
        for (ProcessView& view : views) {
            view.thisView = view.self && view.start == own->start;
            found.views.push_back(std::move(view));
        }
    }
    return found;
}

Result<std::vector<ProcessView>> processViews(const Mapping& mapping, int pid)
{
    Result<ProcessView> own = ownView(mapping);
    if (!own)
        return own.error();
    const detail::FileId id { own->device, own->inode };
    std::vector<ProcessView> views;
    if (const int err = viewsOf(pid, &id, 0, views); err != 0) {
        return errorFromErrno("pages", pidObject(pid), err == ESRCH ? ENOENT : err,
                              err == EACCES || err == EPERM ? "(this process may not inspect it)" : "");
    }
    if (views.empty())
        return noView(mapping, pid);
    for (ProcessView& view : views)
        view.thisView = view.self && view.start == own->start;
    return views;
}

Result<PageMap> readPages(const ProcessView& view, std::uint64_t offset, std::uint64_t length)
{
    Result<PageRange> range = pageRange(view, offset, length);
    if (!range)
        return range.error();
    PageMap map;
    map.pageSize = pageSize();
    map.firstPage = range->first;
    map.softDirtyKnown = detected().features.softDirty;
    const std::uint64_t pages = range->last - range->first;
    if (pages == 0)
        return map;
    Result<detail::UniqueFd> fd = openPagemap(view.pid);
    if (!fd)
        return fd.error();
    std::vector<std::uint64_t> entries(static_cast<std::size_t>(std::min<std::uint64_t>(pages, kReadChunkPages)));
    map.pages.reserve(static_cast<std::size_t>(pages));
    for (std::uint64_t page = range->first; page < range->last;) {
        const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(entries.size(), range->last - page));
        if (Status read = readEntries(fd->get(), view.pid, addressOf(view, page), entries.data(), n); !read)
            return read.error();
        for (std::size_t i = 0; i < n; ++i)
            map.pages.push_back(decode(entries[i], map.softDirtyKnown));
        page += n;
    }
    return map;
}

Result<PageSummary> summarisePages(const ProcessView& view, std::uint64_t offset, std::uint64_t length,
                                   ScanMethod method, unsigned threads)
{
    Result<PageRange> range = pageRange(view, offset, length);
    if (!range)
        return range.error();
    const Detected& kernel = detected();
    if (method == ScanMethod::Scan && !kernel.features.pagemapScan) {
        Error error;
        error.code = ErrorCode::Unsupported;
        error.operation = "pages";
        error.object = pidObject(view.pid);
        error.detail = "(this kernel has no PAGEMAP_SCAN: Linux 6.7 or later)";
        return error;
    }
    // The scan needs the soft-dirty category where the kernel tracks soft-dirty, so that both paths
    // count the same; a 6.7 kernel without that category uses the reads.
    const bool scan = method == ScanMethod::Scan
        || (method == ScanMethod::Auto && !forcedRead() && kernel.features.pagemapScan
            && (kernel.scanSoftDirty || !kernel.features.softDirty));
    PageSummary summary;
    summary.pageSize = pageSize();
    summary.pages = range->last - range->first;
    summary.softDirtyKnown = kernel.features.softDirty;
    summary.usedScan = scan;
    if (summary.pages == 0)
        return summary;
    Result<detail::UniqueFd> fd = openPagemap(view.pid);
    if (!fd)
        return fd.error();
    const bool privateCopiesPossible = scan && !isSharedMapping(view);

    // Disjoint parts of whole page tables (a table holds pageSize / 8 entries), one thread each, all
    // reading through the one descriptor (pread and the ioctl carry their own position).
    unsigned parts = threads;
    if (parts == 0)
        parts
            = summary.pages >= kAutoSplitPages ? std::clamp(std::thread::hardware_concurrency(), 1u, kAutoThreads) : 1;
    parts = std::min(parts, kMaxThreads);
    const std::uint64_t firstVirtual = addressOf(view, range->first) / pageSize();
    const std::vector<detail::PageSpan> spans
        = detail::splitPages(firstVirtual, firstVirtual + summary.pages, parts, pageSize() / sizeof(std::uint64_t));
    std::vector<PageSummary> counted(spans.size());
    std::vector<Status> statuses(spans.size());
    detail::runParts(spans.size(), [&](std::size_t i) {
        const PageRange part { range->first + (spans[i].first - firstVirtual),
                               range->first + (spans[i].last - firstVirtual) };
        statuses[i] = scan ? summariseByScan(fd->get(), view, part, privateCopiesPossible, counted[i])
                           : summariseByRead(fd->get(), view, part, counted[i]);
    });
    for (std::size_t i = 0; i < spans.size(); ++i) {
        if (!statuses[i])
            return statuses[i].error();
        addCounts(summary, counted[i]);
    }
    summary.threads = static_cast<std::uint32_t>(spans.size());
    return summary;
}

Status resetSoftDirty(int pid)
{
    if (!pageMapFeatures().softDirty) {
        Error error;
        error.code = ErrorCode::Unsupported;
        error.operation = "reset written pages";
        error.object = pidObject(pid);
        error.detail = "(this kernel does not track soft-dirty pages: CONFIG_MEM_SOFT_DIRTY)";
        return error;
    }
    const std::string path = "/proc/" + std::to_string(pid) + "/clear_refs";
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return errorFromErrno("reset written pages", pidObject(pid), errno == ESRCH ? ENOENT : errno);
    const bool ok = ::write(fd, "4", 1) == 1;
    const int err = errno;
    ::close(fd);
    if (!ok)
        return errorFromErrno("reset written pages", pidObject(pid), err);
    return {};
}

} // namespace shmscope
