// The page map and the mapping card (core/pagemap.h, core/viewcard.h) on real objects, with real
// second processes (tests/helpers/shmscope-testpeer) and the kernel's own page tables: demand paging,
// copy-on-write, peers, read-only views, truncation, the PAGEMAP_SCAN and pagemap-read paths, smaps,
// cachestat and soft-dirty (each where the kernel has it; the other path is tested where it does not).

#include "core/mapping.h"
#include "core/pagemap.h"
#include "core/viewcard.h"
#include "tests/core/testsupport.h"

#include <algorithm>
#include <cstdlib>
#include <gtest/gtest.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <unistd.h>

using namespace shmscope;
using namespace shmscope::test;

namespace {

constexpr std::uint64_t kPage = 4096;

class PageMapTest : public testing::Test
{
protected:
    void SetUp() override
    {
        if (::sysconf(_SC_PAGESIZE) != static_cast<long>(kPage))
            GTEST_SKIP() << "the tests count 4 KiB pages";
    }
    void TearDown() override
    {
        for (const Address& address : m_addresses)
            removeQuietly(address);
    }

    Address posix()
    {
        m_addresses.push_back(Address { Kind::Posix, "/" + uniqueName(), 0 });
        return m_addresses.back();
    }
    Address file()
    {
        m_addresses.push_back(Address { Kind::File, tempDirectory() + "/" + uniqueName() + ".dat", 0 });
        return m_addresses.back();
    }

    static std::unique_ptr<Mapping> create(const Address& address, std::uint64_t size)
    {
        Result<Created> created = createMapping(address, CreateOptions { size, 0600, true });
        EXPECT_TRUE(created.ok()) << (created ? "" : created.error().message());
        return created ? std::move(created->mapping) : nullptr;
    }
    static std::unique_ptr<Mapping> attach(const Address& address, Access access)
    {
        Result<std::unique_ptr<Mapping>> mapping = attachMapping(address, access);
        EXPECT_TRUE(mapping.ok()) << (mapping ? "" : mapping.error().message());
        return mapping ? std::move(*mapping) : nullptr;
    }
    static PageMap pages(const Mapping& mapping)
    {
        Result<PageMap> map = readPages(mapping, 0, mapping.size());
        EXPECT_TRUE(map.ok()) << (map ? "" : map.error().message());
        return map ? *map : PageMap {};
    }
    static std::vector<std::size_t> presentPages(const PageMap& map)
    {
        std::vector<std::size_t> present;
        for (std::size_t i = 0; i < map.pages.size(); ++i) {
            if (map.pages[i].state != PageState::NotPresent)
                present.push_back(i);
        }
        return present;
    }
    static bool isObjectPage(PageState state) { return state == PageState::Shared || state == PageState::Exclusive; }

    std::vector<Address> m_addresses;
};

// Demand paging: mapping 1 MiB puts no page in the page table; writing one byte of page 5 makes
// exactly that page present, as the object's page, mapped only here.
TEST_F(PageMapTest, DemandPagingTouchesExactlyThePageWritten)
{
    const Address address = posix();
    auto mapping = create(address, 1 << 20);
    ASSERT_TRUE(mapping);
    PageMap before = pages(*mapping);
    ASSERT_EQ(before.pages.size(), 256u);
    EXPECT_EQ(before.pageSize, kPage);
    EXPECT_TRUE(presentPages(before).empty());

    const char byte = 'x';
    ASSERT_TRUE(mapping->write(5 * kPage + 17, &byte, 1).ok());
    PageMap after = pages(*mapping);
    EXPECT_EQ(presentPages(after), std::vector<std::size_t> { 5 });
    EXPECT_EQ(after.pages[5].state, PageState::Exclusive);
}

// Copy-on-write: two views, the copy-on-write one writes page 0: its page 0 becomes a private copy,
// the shared view's page 0 stays the object's, and the bytes differ.
TEST_F(PageMapTest, CopyOnWriteMakesAPrivateCopy)
{
    const Address address = posix();
    auto shared = create(address, 64 * 1024);
    ASSERT_TRUE(shared);
    auto cow = attach(address, Access::CopyOnWrite);
    ASSERT_TRUE(cow);
    ASSERT_TRUE(shared->write(0, "AAAA", 4).ok());
    char seen[4] = {};
    ASSERT_TRUE(cow->read(0, seen, 4).ok());
    EXPECT_EQ(pages(*cow).pages[0].state, PageState::Shared) << "both views map the object's page 0";
    EXPECT_EQ(pages(*shared).pages[0].state, PageState::Shared);

    ASSERT_TRUE(cow->write(0, "BBBB", 4).ok());
    const PageMap cowPages = pages(*cow);
    const PageMap sharedPages = pages(*shared);
    EXPECT_EQ(cowPages.pages[0].state, PageState::PrivateCopy);
    EXPECT_EQ(sharedPages.pages[0].state, PageState::Exclusive) << "the object's page, now mapped by one view";
    EXPECT_EQ(presentPages(cowPages), std::vector<std::size_t> { 0 });

    char a[4] = {};
    char b[4] = {};
    ASSERT_TRUE(shared->read(0, a, 4).ok());
    ASSERT_TRUE(cow->read(0, b, 4).ok());
    EXPECT_EQ(std::string(a, 4), "AAAA");
    EXPECT_EQ(std::string(b, 4), "BBBB");

    // The mapping card says the same: one anonymous (copied) page in the private view.
    Result<ProcessView> view = ownView(*cow);
    ASSERT_TRUE(view.ok()) << view.error().message();
    EXPECT_EQ(view->perms, "rw-p");
    Result<SmapsCounters> smaps = readSmaps(*view);
    ASSERT_TRUE(smaps.ok()) << smaps.error().message();
    EXPECT_EQ(smaps->anonymous, kPage);
    EXPECT_EQ(smaps->rss, kPage);
    EXPECT_EQ(smaps->size, 64u * 1024);
}

// Another process's view, read through /proc/PID/pagemap: a peer that maps the object copy-on-write
// and writes page 3 has a private copy there and nothing else present; its VMA is found by device
// and inode and is private (rw-p). A read-write peer is listed as rw-s.
TEST_F(PageMapTest, PeerCopyOnWriteWriterHasAPrivatePage)
{
    const Address address = posix();
    auto mapping = create(address, 16 * kPage);
    ASSERT_TRUE(mapping);
    PeerProcess writer({ "cow-write", toString(address), std::to_string(3 * kPage + 5), "peer" });
    ASSERT_TRUE(writer.started());
    ASSERT_EQ(writer.readLine(), "view: peer");
    ASSERT_EQ(writer.readLine(), "written");
    PeerProcess mapper({ "map", toString(address) });
    ASSERT_TRUE(mapper.started());
    ASSERT_EQ(mapper.readLine(), "mapped");

    Result<std::vector<ProcessView>> views = processViews(*mapping, writer.pid());
    ASSERT_TRUE(views.ok()) << views.error().message();
    ASSERT_EQ(views->size(), 1u);
    const ProcessView& view = views->front();
    EXPECT_EQ(view.perms, "rw-p");
    EXPECT_FALSE(view.self);
    EXPECT_EQ(view.length(), 16 * kPage);
    Result<PageMap> map = readPages(view, 0, 16 * kPage);
    ASSERT_TRUE(map.ok()) << map.error().message();
    EXPECT_EQ(presentPages(*map), std::vector<std::size_t> { 3 });
    EXPECT_EQ(map->pages[3].state, PageState::PrivateCopy);
    // Our own view has not touched anything.
    EXPECT_TRUE(presentPages(pages(*mapping)).empty());

    Result<ObjectViews> all = findObjectViews(*mapping);
    ASSERT_TRUE(all.ok()) << all.error().message();
    std::vector<std::pair<int, std::string>> found;
    for (const ProcessView& each : all->views)
        found.emplace_back(each.pid, each.perms);
    std::sort(found.begin(), found.end());
    std::vector<std::pair<int, std::string>> expected { { currentPid(), "rw-s" },
                                                        { writer.pid(), "rw-p" },
                                                        { mapper.pid(), "rw-s" } };
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(found, expected);
    const auto self
        = std::find_if(all->views.begin(), all->views.end(), [](const ProcessView& v) { return v.thisView; });
    ASSERT_NE(self, all->views.end());
    EXPECT_EQ(self->pid, currentPid());
    EXPECT_EQ(backingOf(*self), "tmpfs");

    // A process that does not map it, and one that does not exist.
    EXPECT_EQ(processViews(*mapping, 1).error().code == ErrorCode::NotFound
                  || processViews(*mapping, 1).error().code == ErrorCode::PermissionDenied,
              true);
    writer.kill();
    Result<std::vector<ProcessView>> gone = processViews(*mapping, writer.pid());
    ASSERT_FALSE(gone.ok());
    EXPECT_EQ(gone.error().code, ErrorCode::NotFound);
}

// A read-only view: reading makes the page present (the object's), writing is refused and changes
// no page state; the VMA is r--s.
TEST_F(PageMapTest, ReadOnlyView)
{
    const Address address = posix();
    auto owner = create(address, 8 * kPage);
    ASSERT_TRUE(owner);
    auto reader = attach(address, Access::ReadOnly);
    ASSERT_TRUE(reader);
    char byte = 0;
    ASSERT_TRUE(reader->read(2 * kPage, &byte, 1).ok());
    const PageMap before = pages(*reader);
    EXPECT_EQ(presentPages(before), std::vector<std::size_t> { 2 });
    EXPECT_TRUE(isObjectPage(before.pages[2].state));
    const Status refused = reader->write(4 * kPage, "x", 1);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::ReadOnly);
    EXPECT_EQ(pages(*reader).pages, before.pages);
    Result<ProcessView> view = ownView(*reader);
    ASSERT_TRUE(view.ok()) << view.error().message();
    EXPECT_EQ(view->perms, "r--s");
}

// Truncation by another process while the page map is read: no fault (the page map never touches the
// bytes), the pages past the new end are gone from the page table, and after remap() the map has the
// new size.
TEST_F(PageMapTest, TruncationWhileShown)
{
    const Address address = posix();
    auto mapping = create(address, 64 * kPage);
    ASSERT_TRUE(mapping);
    for (std::uint64_t page = 0; page < 64; page += 4)
        ASSERT_TRUE(mapping->write(page * kPage, "t", 1).ok());
    EXPECT_EQ(presentPages(pages(*mapping)).size(), 16u);

    const PeerResult truncated = runPeer({ "truncate", toString(address), std::to_string(kPage) });
    ASSERT_EQ(truncated.exitCode, 0) << truncated.err;
    const PageMap after = pages(*mapping);
    ASSERT_EQ(after.pages.size(), 64u) << "the view is still 64 pages long until remap()";
    EXPECT_EQ(presentPages(after), std::vector<std::size_t> { 0 });
    Result<PageSummary> summary = summarisePages(*mapping, 0, mapping->size());
    ASSERT_TRUE(summary.ok()) << summary.error().message();
    EXPECT_EQ(summary->present, 1u);

    ASSERT_TRUE(mapping->remap().ok());
    EXPECT_EQ(pages(*mapping).pages.size(), 1u);
    EXPECT_EQ(readPages(*mapping, 0, 2 * kPage).error().code, ErrorCode::OutOfRange);
}

// The whole-object summary: PAGEMAP_SCAN and the pagemap reads count the same, and agree with the
// page-by-page map (shared and exclusive together as present). Where the kernel has no PAGEMAP_SCAN,
// asking for it is Unsupported.
TEST_F(PageMapTest, SummaryScanAndReadAgree)
{
    const Address address = posix();
    // 64 MiB, every other page written through the shared view: 8192 runs of one page, more than
    // one PAGEMAP_SCAN call returns (4096 regions), so the scan continues where it stopped.
    const std::uint64_t size = 16384 * kPage;
    auto shared = create(address, size);
    ASSERT_TRUE(shared);
    auto cow = attach(address, Access::CopyOnWrite);
    ASSERT_TRUE(cow);
    for (std::uint64_t page = 0; page < 16384; page += 2)
        ASSERT_TRUE(shared->write(page * kPage, "s", 1).ok());
    char byte = 0;
    for (std::uint64_t page = 0; page < 4096; page += 5) {
        if (page % 2 == 0)
            ASSERT_TRUE(cow->write(page * kPage, "c", 1).ok());
        else
            ASSERT_TRUE(cow->read(page * kPage, &byte, 1).ok());
    }
    for (Mapping* mapping : { shared.get(), cow.get() }) {
        const PageMap map = pages(*mapping);
        PageSummary expected;
        expected.pageSize = kPage;
        expected.pages = map.pages.size();
        for (const PageInfo& info : map.pages) {
            expected.present += isObjectPage(info.state);
            expected.privateCopies += info.state == PageState::PrivateCopy;
            expected.swapped += info.state == PageState::Swapped;
            expected.softDirty += info.softDirty;
        }
        expected.softDirtyKnown = map.softDirtyKnown;
        Result<PageSummary> read = summarisePages(*mapping, 0, size, ScanMethod::Read);
        ASSERT_TRUE(read.ok()) << read.error().message();
        EXPECT_FALSE(read->usedScan);
        expected.usedScan = false;
        EXPECT_EQ(*read, expected);
        Result<PageSummary> scan = summarisePages(*mapping, 0, size, ScanMethod::Scan);
        if (!pageMapFeatures().pagemapScan) {
            ASSERT_FALSE(scan.ok());
            EXPECT_EQ(scan.error().code, ErrorCode::Unsupported);
            continue;
        }
        ASSERT_TRUE(scan.ok()) << scan.error().message();
        EXPECT_TRUE(scan->usedScan);
        expected.usedScan = true;
        EXPECT_EQ(*scan, expected);
        // A part of the range, not page-aligned at either end, rounds out to whole pages.
        Result<PageSummary> part = summarisePages(*mapping, 10 * kPage + 1, 30 * kPage, ScanMethod::Scan);
        Result<PageSummary> partRead = summarisePages(*mapping, 10 * kPage + 1, 30 * kPage, ScanMethod::Read);
        ASSERT_TRUE(part.ok() && partRead.ok());
        EXPECT_EQ(part->pages, 31u);
        EXPECT_EQ(part->present + part->privateCopies, partRead->present + partRead->privateCopies);
    }
    Result<PageSummary> cowSummary = summarisePages(*cow, 0, size);
    ASSERT_TRUE(cowSummary.ok());
    EXPECT_EQ(cowSummary->privateCopies, (4096u + 9) / 10);
    Result<PageSummary> sharedSummary = summarisePages(*shared, 0, size);
    ASSERT_TRUE(sharedSummary.ok());
    EXPECT_EQ(sharedSummary->present, 8192u);
}

// The methods summarisePages() can use here: the reads always, PAGEMAP_SCAN where the kernel has it.
std::vector<ScanMethod> methodsHere()
{
    std::vector<ScanMethod> methods { ScanMethod::Read };
    if (pageMapFeatures().pagemapScan)
        methods.push_back(ScanMethod::Scan);
    return methods;
}

// The counts of a summary (what must not depend on how many threads walked the range).
std::vector<std::uint64_t> counts(const PageSummary& summary)
{
    return {
        summary.pageSize, summary.pages, summary.present, summary.swapped, summary.softDirty, summary.privateCopies
    };
}

// The whole-object summary walked in parts on several threads counts exactly what one walk counts, and
// what the test made: a shared view writes every 7th page, a copy-on-write view writes every 11th page
// below 3000 (private copies) and reads every 13th (the object's pages: the kernel's fault-around maps
// cached neighbours too, so the page-by-page map counts those), over 9 page tables and 300 pages, so
// that no split divides it evenly. Both methods; the private view both as a Mapping (its sharing looked
// up in /proc/self/maps) and as its ProcessView (perms given); whole and part ranges.
TEST_F(PageMapTest, SummaryInPartsCountsTheSameAsOneWalk)
{
    constexpr std::uint64_t kPages = 9 * 512 + 300;
    const Address address = posix();
    auto shared = create(address, kPages * kPage);
    ASSERT_TRUE(shared);
    auto cow = attach(address, Access::CopyOnWrite);
    ASSERT_TRUE(cow);
    const auto written = [](std::uint64_t page) { return page % 7 == 0; };
    const auto copied = [](std::uint64_t page) { return page % 11 == 0 && page < 3000; };
    const auto read = [](std::uint64_t page) { return page % 13 == 0; };
    char byte = 0;
    for (std::uint64_t page = 0; page < kPages; ++page) {
        if (written(page)) {
            ASSERT_TRUE(shared->write(page * kPage + 1, "w", 1).ok());
        }
        if (copied(page)) {
            ASSERT_TRUE(cow->write(page * kPage + 2, "c", 1).ok());
        } else if (read(page)) {
            ASSERT_TRUE(cow->read(page * kPage, &byte, 1).ok());
        }
    }
    Result<ProcessView> cowView = ownView(*cow);
    ASSERT_TRUE(cowView.ok()) << cowView.error().message();
    ASSERT_EQ(cowView->perms.back(), 'p');

    struct Range {
        std::uint64_t offset;
        std::uint64_t length;
    };
    // Whole; inside pages at both ends; from page 1000 across several tables to 130 pages before the end.
    for (const Range range : { Range { 0, kPages * kPage }, Range { 3 * kPage + 5, (kPages - 10) * kPage },
                               Range { 1000 * kPage, (kPages - 1130) * kPage } }) {
        SCOPED_TRACE("offset " + std::to_string(range.offset) + " length " + std::to_string(range.length));
        const std::uint64_t first = range.offset / kPage;
        const std::uint64_t last = (range.offset + range.length + kPage - 1) / kPage;
        PageSummary expectShared;
        PageSummary expectCow;
        for (std::uint64_t page = first; page < last; ++page) {
            expectShared.present += written(page);
            expectCow.privateCopies += copied(page);
        }
        Result<PageMap> cowPages = readPages(*cow, range.offset, range.length);
        ASSERT_TRUE(cowPages.ok()) << cowPages.error().message();
        for (std::size_t i = 0; i < cowPages->pages.size(); ++i) {
            const PageState state = cowPages->pages[i].state;
            expectCow.present += isObjectPage(state);
            EXPECT_EQ(state == PageState::PrivateCopy, copied(first + i)) << "page " << first + i;
            if (read(first + i)) {
                EXPECT_NE(state, PageState::NotPresent) << "page " << first + i;
            }
        }
        for (const ScanMethod method : methodsHere()) {
            SCOPED_TRACE(method == ScanMethod::Scan ? "PAGEMAP_SCAN" : "pagemap reads");
            const auto summarise = [&](auto& view, unsigned threads) {
                Result<PageSummary> summary = summarisePages(view, range.offset, range.length, method, threads);
                EXPECT_TRUE(summary.ok()) << summary.error().message();
                return summary ? *summary : PageSummary {};
            };
            const PageSummary oneShared = summarise(*shared, 1);
            const PageSummary oneCow = summarise(*cow, 1);
            EXPECT_EQ(oneShared.threads, 1u);
            EXPECT_EQ(oneShared.pages, last - first);
            EXPECT_EQ(oneShared.present, expectShared.present);
            EXPECT_EQ(oneShared.privateCopies, 0u);
            EXPECT_EQ(oneCow.present, expectCow.present);
            EXPECT_EQ(oneCow.privateCopies, expectCow.privateCopies);
            for (unsigned threads : { 2u, 3u, 4u, 0u }) {
                SCOPED_TRACE("threads " + std::to_string(threads));
                const PageSummary partsShared = summarise(*shared, threads);
                const PageSummary partsCow = summarise(*cow, threads);
                const PageSummary partsCowView = summarise(*cowView, threads);
                EXPECT_EQ(counts(partsShared), counts(oneShared));
                EXPECT_EQ(counts(partsCow), counts(oneCow));
                EXPECT_EQ(counts(partsCowView), counts(oneCow));
                EXPECT_EQ(partsShared.usedScan, method == ScanMethod::Scan);
                // Every range here touches at least 5 page tables: as many parts as asked for; 0
                // (automatic) walks a range this small (below 1 GiB) in one.
                EXPECT_EQ(partsShared.threads, threads == 0 ? 1u : threads);
                EXPECT_EQ(partsCow.threads, threads == 0 ? 1u : threads);
            }
        }
    }
    // SHMSCOPE_PAGEMAP_METHOD=read makes the automatic method the reads, split all the same.
    {
        struct Environment {
            Environment() { ::setenv("SHMSCOPE_PAGEMAP_METHOD", "read", 1); }
            ~Environment() { ::unsetenv("SHMSCOPE_PAGEMAP_METHOD"); }
        } forced;
        Result<PageSummary> automatic = summarisePages(*cow, 0, kPages * kPage, ScanMethod::Auto, 3);
        Result<PageSummary> read = summarisePages(*cow, 0, kPages * kPage, ScanMethod::Read, 1);
        ASSERT_TRUE(automatic.ok() && read.ok());
        EXPECT_FALSE(automatic->usedScan);
        EXPECT_EQ(automatic->threads, 3u);
        EXPECT_EQ(counts(*automatic), counts(*read));
    }
    // A range inside one page table is one part, however many are asked for.
    Result<PageSummary> small = summarisePages(*shared, 0, 8 * kPage, ScanMethod::Auto, 4);
    ASSERT_TRUE(small.ok()) << small.error().message();
    EXPECT_LE(small->threads, 2u) << "8 pages touch one or two page tables";
    EXPECT_EQ(small->present, 2u); // pages 0 and 7
}

// Truncation behind the view's back while it is summarised in parts: the pages past the new end (which
// is no page-table boundary) are gone from the page table, and every split counts only those below it;
// after remap() the summary has the new size and counts the pages the new view writes.
TEST_F(PageMapTest, SummaryInPartsOfATruncatedObject)
{
    constexpr std::uint64_t kPages = 9 * 512 + 300;
    constexpr std::uint64_t kNewPages = 3 * 512 + 464;
    const Address address = posix();
    auto mapping = create(address, kPages * kPage);
    ASSERT_TRUE(mapping);
    for (std::uint64_t page = 0; page < kPages; page += 3)
        ASSERT_TRUE(mapping->write(page * kPage, "t", 1).ok());
    const PeerResult truncated = runPeer({ "truncate", toString(address), std::to_string(kNewPages * kPage) });
    ASSERT_EQ(truncated.exitCode, 0) << truncated.err;
    const std::uint64_t below = (kNewPages + 2) / 3; // pages 0, 3, ... below the new end
    for (const ScanMethod method : methodsHere()) {
        SCOPED_TRACE(method == ScanMethod::Scan ? "PAGEMAP_SCAN" : "pagemap reads");
        for (unsigned threads : { 1u, 2u, 3u, 4u }) {
            SCOPED_TRACE("threads " + std::to_string(threads));
            Result<PageSummary> summary = summarisePages(*mapping, 0, kPages * kPage, method, threads);
            ASSERT_TRUE(summary.ok()) << summary.error().message();
            EXPECT_EQ(summary->pages, kPages) << "the view keeps its length until remap()";
            EXPECT_EQ(summary->present, below);
            EXPECT_EQ(summary->threads, threads);
        }
    }
    ASSERT_TRUE(mapping->remap().ok());
    for (std::uint64_t page = 0; page < kNewPages; page += 5)
        ASSERT_TRUE(mapping->write(page * kPage, "r", 1).ok());
    for (const ScanMethod method : methodsHere()) {
        Result<PageSummary> after = summarisePages(*mapping, 0, mapping->size(), method, 3);
        ASSERT_TRUE(after.ok()) << after.error().message();
        EXPECT_EQ(after->pages, kNewPages);
        EXPECT_EQ(after->present, (kNewPages + 4) / 5) << "the new view's page tables hold only what it wrote";
        EXPECT_EQ(after->threads, 3u);
    }
}

// A System V segment's views are found by the shm file system's device and the shmid (its maps inode).
TEST_F(PageMapTest, SystemVSegment)
{
    const Address address { Kind::SysV, {}, unusedSysVKey() };
    m_addresses.push_back(address);
    auto mapping = create(address, 8 * kPage);
    ASSERT_TRUE(mapping);
    ASSERT_TRUE(mapping->write(kPage, "v", 1).ok());
    EXPECT_EQ(presentPages(pages(*mapping)), std::vector<std::size_t> { 1 });
    Result<ProcessView> view = ownView(*mapping);
    ASSERT_TRUE(view.ok()) << view.error().message();
    EXPECT_EQ(backingOf(*view), "System V");
    EXPECT_TRUE(view->path.starts_with("/SYSV"));
    Result<CacheState> cache = cacheState(*mapping);
    ASSERT_FALSE(cache.ok());
    EXPECT_EQ(cache.error().code, ErrorCode::Unsupported) << "a segment has no descriptor";
}

// A file-backed object: the dirty count (cachestat) rises when pages are written through the view and
// falls to 0 after flush (msync). Without cachestat (an old kernel, or the test switch) it is
// Unsupported: "not observable", never a guess.
TEST_F(PageMapTest, FileDirtyPagesAndFlush)
{
    const Address address = file();
    auto mapping = create(address, 32 * kPage);
    ASSERT_TRUE(mapping);
    Result<ProcessView> view = ownView(*mapping);
    ASSERT_TRUE(view.ok()) << view.error().message();
    EXPECT_NE(backingOf(*view), "tmpfs") << "the test directory is expected on a disk file system";
    EXPECT_NE(backingOf(*view), "");

    setCachestatDisabledForTesting(true);
    Result<CacheState> off = cacheState(*mapping);
    setCachestatDisabledForTesting(false);
    ASSERT_FALSE(off.ok());
    EXPECT_EQ(off.error().code, ErrorCode::Unsupported);
    EXPECT_NE(off.error().message().find("not observable"), std::string::npos) << off.error().message();

    Result<CacheState> before = cacheState(*mapping);
    if (!pageMapFeatures().cachestat) {
        ASSERT_FALSE(before.ok());
        EXPECT_EQ(before.error().code, ErrorCode::Unsupported);
        GTEST_SKIP() << "this kernel has no cachestat (Linux 6.5+): the dirty count is not observable";
    }
    ASSERT_TRUE(before.ok()) << before.error().message();
    ASSERT_TRUE(mapping->flush().ok());
    for (std::uint64_t page : { 1, 2, 9 })
        ASSERT_TRUE(mapping->write(page * kPage, "d", 1).ok());
    Result<CacheState> written = cacheState(*mapping);
    ASSERT_TRUE(written.ok());
    EXPECT_GE(written->dirty + written->writeback, 3u) << "the kernel may start writing back at any time";
    EXPECT_GE(written->cached, 3u);
    ASSERT_TRUE(mapping->flush().ok());
    Result<CacheState> flushed = cacheState(*mapping);
    ASSERT_TRUE(flushed.ok());
    EXPECT_EQ(flushed->dirty, 0u);
    EXPECT_EQ(flushed->writeback, 0u);
    // smaps: the three written pages are dirty and resident in this (only) view.
    Result<SmapsCounters> smaps = readSmaps(*view);
    ASSERT_TRUE(smaps.ok());
    EXPECT_EQ(smaps->rss, 3 * kPage);
}

// Soft-dirty (written since the last reset): where the kernel tracks it, a reset clears every page's
// mark and a write sets it on that page only; where it does not (CONFIG_MEM_SOFT_DIRTY off), the reset
// is Unsupported and no page ever claims it.
TEST_F(PageMapTest, SoftDirty)
{
    const Address address = posix();
    auto mapping = create(address, 8 * kPage);
    ASSERT_TRUE(mapping);
    ASSERT_TRUE(mapping->write(1 * kPage, "a", 1).ok());
    if (!pageMapFeatures().softDirty) {
        const Status reset = resetSoftDirty(currentPid());
        ASSERT_FALSE(reset.ok());
        EXPECT_EQ(reset.error().code, ErrorCode::Unsupported);
        const PageMap map = pages(*mapping);
        EXPECT_FALSE(map.softDirtyKnown);
        EXPECT_TRUE(std::none_of(map.pages.begin(), map.pages.end(), [](const PageInfo& p) { return p.softDirty; }));
        GTEST_SKIP() << "this kernel does not track soft-dirty pages (checked: reset refused, no page marked)";
    }
    ASSERT_TRUE(resetSoftDirty(currentPid()).ok());
    ASSERT_TRUE(mapping->write(2 * kPage, "b", 1).ok());
    const PageMap map = pages(*mapping);
    EXPECT_TRUE(map.softDirtyKnown);
    EXPECT_FALSE(map.pages[1].softDirty);
    EXPECT_TRUE(map.pages[2].softDirty);
}

// Processes this one may not inspect are reported as such: as a second user, a root process's view is
// PermissionDenied and it is counted among the uninspected processes, never as "maps nothing".
TEST_F(PageMapTest, UninspectableProcessIsReported)
{
    std::string whyNot;
    const std::optional<TestUser> user = secondUser(whyNot);
    if (!user)
        GTEST_SKIP() << whyNot;
    const Address address = posix();
    Result<Created> created = createMapping(address, CreateOptions { 4 * kPage, 0644, true });
    ASSERT_TRUE(created.ok()) << created.error().message();
    const int rootPid = currentPid();
    const int status = runAs(*user, [&]() -> int {
        Result<std::unique_ptr<Mapping>> mine = attachMapping(address, Access::ReadOnly);
        if (!mine)
            return 10;
        Result<std::vector<ProcessView>> views = processViews(**mine, rootPid);
        if (views.ok() || views.error().code != ErrorCode::PermissionDenied)
            return 11;
        Result<ObjectViews> all = findObjectViews(**mine);
        if (!all || all->uninspected == 0)
            return 12;
        if (!std::binary_search(all->uninspectedPids.begin(), all->uninspectedPids.end(), rootPid))
            return 13;
        // Its own view is there.
        if (std::none_of(all->views.begin(), all->views.end(), [](const ProcessView& v) { return v.thisView; }))
            return 14;
        return 0;
    });
    EXPECT_EQ(status, 0);
}

} // namespace
