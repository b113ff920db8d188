// The page map on Windows (core/win/pagemap.cpp), run under Wine by tools/wine-test: demand paging and
// copy-on-write seen through QueryWorkingSetEx and VirtualQuery, in this process's own views. What Wine
// reports differently from Windows (ShareCount, PAGE_WRITECOPY after a copy) is in docs/windows.md; the
// raw values are printed so that a run shows them.

#include "core/mapping.h"
#include "core/pagemap.h"
#include "core/viewcard.h"
#include "tests/core/testsupport.h"

#include <cstdio>
#include <gtest/gtest.h>
#include <windows.h>
// psapi.h needs windows.h first.
#include <psapi.h>

using namespace shmscope;
using namespace shmscope::test;

namespace {

Address section()
{
    return Address { Kind::Win, "Local\\" + uniqueName(), 0 };
}

std::vector<std::size_t> presentPages(const PageMap& map)
{
    std::vector<std::size_t> present;
    for (std::size_t i = 0; i < map.pages.size(); ++i) {
        if (map.pages[i].state != PageState::NotPresent)
            present.push_back(i);
    }
    return present;
}

PageMap pages(const Mapping& mapping)
{
    Result<PageMap> map = readPages(mapping, 0, mapping.size());
    EXPECT_TRUE(map.ok()) << (map ? "" : map.error().message());
    return map ? *map : PageMap {};
}

bool isObjectPage(PageState state)
{
    return state == PageState::Shared || state == PageState::Exclusive;
}

// What the system says about the page at `address`, for the record (docs/windows.md).
void printRaw(const char* what, const void* address)
{
    PSAPI_WORKING_SET_EX_INFORMATION info {};
    info.VirtualAddress = const_cast<void*>(address);
    QueryWorkingSetEx(GetCurrentProcess(), &info, sizeof info);
    MEMORY_BASIC_INFORMATION region {};
    VirtualQuery(address, &region, sizeof region);
    std::printf("# %s: Valid %u Shared %u ShareCount %u Win32Protection 0x%x; VirtualQuery Protect 0x%lx\n", what,
                unsigned(info.VirtualAttributes.Valid), unsigned(info.VirtualAttributes.Shared),
                unsigned(info.VirtualAttributes.ShareCount), unsigned(info.VirtualAttributes.Win32Protection),
                static_cast<unsigned long>(region.Protect));
}

Status rawAddress(const Mapping& mapping, const void** out)
{
    return mapping.inspectView([out](const NativeView& native) -> Status {
        *out = reinterpret_cast<const void*>(native.address);
        return {};
    });
}

} // namespace

TEST(WinPageMap, FeaturesAndLimits)
{
    EXPECT_TRUE(pageMapFeatures().pagemap) << "QueryWorkingSetEx answers";
    EXPECT_FALSE(pageMapFeatures().pagemapScan);
    EXPECT_FALSE(pageMapFeatures().softDirty);
    EXPECT_EQ(resetSoftDirty(currentPid()).error().code, ErrorCode::Unsupported);
}

// Demand paging: a 1 MiB section view has no page in the working set until page 5 is written; then
// exactly page 5 is.
TEST(WinPageMap, DemandPaging)
{
    Result<Created> created = createMapping(section(), CreateOptions { 1 << 20, 0600, true });
    ASSERT_TRUE(created.ok()) << created.error().message();
    Mapping& mapping = *created->mapping;
    EXPECT_TRUE(presentPages(pages(mapping)).empty());
    ASSERT_TRUE(mapping.write(5 * 4096 + 3, "x", 1).ok());
    const PageMap after = pages(mapping);
    EXPECT_EQ(presentPages(after), std::vector<std::size_t> { 5 });
    EXPECT_TRUE(isObjectPage(after.pages[5].state));
    const void* base = nullptr;
    ASSERT_TRUE(rawAddress(mapping, &base).ok());
    printRaw("section page written", static_cast<const char*>(base) + 5 * 4096);
}

// Copy-on-write: a FILE_MAP_COPY view that writes page 0 has a private copy there (QueryWorkingSetEx
// Shared 0; on Windows also PAGE_READWRITE), the read-write view's page 0 stays the section's, the bytes
// differ. The view is listed as private (rw-p); other processes are not searched on Windows.
TEST(WinPageMap, CopyOnWrite)
{
    const Address address = section();
    Result<Created> created = createMapping(address, CreateOptions { 64 * 1024, 0600, true });
    ASSERT_TRUE(created.ok()) << created.error().message();
    Mapping& shared = *created->mapping;
    Result<std::unique_ptr<Mapping>> attached = attachMapping(address, Access::CopyOnWrite);
    ASSERT_TRUE(attached.ok()) << attached.error().message();
    Mapping& cow = **attached;
    ASSERT_TRUE(shared.write(0, "AAAA", 4).ok());
    char seen[4] = {};
    ASSERT_TRUE(cow.read(0, seen, 4).ok());
    const void* cowBase = nullptr;
    ASSERT_TRUE(rawAddress(cow, &cowBase).ok());
    printRaw("copy-on-write view, page read", cowBase);
    EXPECT_TRUE(isObjectPage(pages(cow).pages[0].state));
    ASSERT_TRUE(cow.write(0, "BBBB", 4).ok());
    printRaw("copy-on-write view, page written", cowBase);
    EXPECT_EQ(pages(cow).pages[0].state, PageState::PrivateCopy);
    EXPECT_TRUE(isObjectPage(pages(shared).pages[0].state));
    char a[4] = {};
    char b[4] = {};
    ASSERT_TRUE(shared.read(0, a, 4).ok());
    ASSERT_TRUE(cow.read(0, b, 4).ok());
    EXPECT_EQ(std::string(a, 4), "AAAA");
    EXPECT_EQ(std::string(b, 4), "BBBB");

    Result<ProcessView> view = ownView(cow);
    ASSERT_TRUE(view.ok()) << view.error().message();
    EXPECT_EQ(view->perms, "rw-p");
    EXPECT_EQ(backingOf(*view), "pagefile");
    Result<ObjectViews> views = findObjectViews(shared);
    ASSERT_TRUE(views.ok());
    EXPECT_FALSE(views->othersSearched);
    EXPECT_EQ(processViews(shared, currentPid() + 4).error().code, ErrorCode::Unsupported);
    Result<PageSummary> summary = summarisePages(cow, 0, cow.size());
    ASSERT_TRUE(summary.ok());
    EXPECT_EQ(summary->privateCopies, 1u);
    const Result<CacheState> cache = cacheState(shared);
    ASSERT_FALSE(cache.ok());
    EXPECT_NE(cache.error().message().find("not observable"), std::string::npos);
}
