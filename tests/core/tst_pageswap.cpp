// The page map's "swapped" state (core/pagemap.h, issue 10) on a real swap device: a copy-on-write
// view's private copy pushed out with madvise(MADV_PAGEOUT) reads as swapped (pagemap bit 62), page by
// page and in the summary, through PAGEMAP_SCAN and through pagemap reads.
//
// The machines have no swap, so the test makes its own for its duration: a new zram device (the
// kernel's Documentation/admin-guide/blockdev/zram.rst: hot_add, disksize, reset, hot_remove), formatted
// with mkswap and swapped on at the lowest priority; swapped off and removed at the end, whatever
// happens. It needs root and zram; without them it is skipped and says why (CI runs as root).

#include "core/mapping.h"
#include "core/pagemap.h"
#include "tests/core/testsupport.h"

#include <cstdlib>
#include <fstream>
#include <gtest/gtest.h>
#include <string>
#include <sys/mman.h>
#include <unistd.h>

using namespace shmscope;
using namespace shmscope::test;

namespace {

constexpr std::uint64_t kPage = 4096;
const char* const kZramControl = "/sys/class/zram-control";

bool writeFile(const std::string& path, const std::string& text)
{
    std::ofstream out(path);
    out << text;
    out.flush();
    return bool(out);
}

bool run(const std::string& command)
{
    return std::system((command + " >/dev/null 2>&1").c_str()) == 0;
}

// A zram device of 64 MiB, swapped on while the object lives.
class SwapDevice
{
public:
    SwapDevice()
    {
        std::ifstream added(std::string(kZramControl) + "/hot_add");
        if (!(added >> m_number)) {
            m_number = -1;
            m_why = "zram-control/hot_add gave no device";
            return;
        }
        const std::string block = "/sys/block/zram" + std::to_string(m_number);
        m_device = "/dev/zram" + std::to_string(m_number);
        if (!writeFile(block + "/disksize", "64M")) {
            m_why = "cannot size " + m_device;
            return;
        }
        if (!run("mkswap " + m_device)) {
            m_why = "mkswap " + m_device + " failed";
            return;
        }
        // The lowest priority: the machine's own swap (if any) is used first.
        if (!run("swapon -p 0 " + m_device)) {
            m_why = "swapon " + m_device + " failed";
            return;
        }
        m_on = true;
    }
    ~SwapDevice()
    {
        if (m_on)
            run("swapoff " + m_device);
        if (m_number >= 0) {
            writeFile("/sys/block/zram" + std::to_string(m_number) + "/reset", "1");
            writeFile(std::string(kZramControl) + "/hot_remove", std::to_string(m_number));
        }
    }
    SwapDevice(const SwapDevice&) = delete;
    SwapDevice& operator=(const SwapDevice&) = delete;

    bool on() const { return m_on; }
    const std::string& why() const { return m_why; }

private:
    int m_number = -1;
    std::string m_device;
    std::string m_why;
    bool m_on = false;
};

} // namespace

TEST(PageSwap, APrivateCopyPushedOutReadsAsSwapped)
{
    if (::geteuid() != 0)
        GTEST_SKIP() << "making a swap device needs root";
    if (::access(kZramControl, F_OK) != 0)
        GTEST_SKIP() << "the kernel has no zram (" << kZramControl << ")";
    if (::sysconf(_SC_PAGESIZE) != static_cast<long>(kPage))
        GTEST_SKIP() << "the test counts 4 KiB pages";
    const SwapDevice swap;
    if (!swap.on())
        GTEST_SKIP() << swap.why();

    const Address address { Kind::Posix, "/" + uniqueName(), 0 };
    ObjectCleanup cleanup(address);
    Result<Created> created = createMapping(address, CreateOptions { 16 * kPage, 0600, true });
    ASSERT_TRUE(created.ok()) << created.error().message();
    Result<std::unique_ptr<Mapping>> cow = attachMapping(address, Access::CopyOnWrite);
    ASSERT_TRUE(cow.ok()) << cow.error().message();
    ASSERT_TRUE((*cow)->write(3 * kPage, "private", 7).ok());
    ASSERT_TRUE((*cow)->write(5 * kPage, "private", 7).ok());
    Result<PageMap> before = readPages(**cow, 0, 16 * kPage);
    ASSERT_TRUE(before.ok()) << before.error().message();
    ASSERT_EQ(before->pages[3].state, PageState::PrivateCopy);

    // Page 3's private copy out to swap (Linux 5.4+: reclaims the page at once when swap exists).
    Result<ProcessView> view = ownView(**cow);
    ASSERT_TRUE(view.ok()) << view.error().message();
    void* page3 = reinterpret_cast<void*>(view->start + 3 * kPage);
    bool swapped = false;
    for (int attempt = 0; attempt < 20 && !swapped; ++attempt) {
        ASSERT_EQ(::madvise(page3, kPage, MADV_PAGEOUT), 0) << "madvise(MADV_PAGEOUT): errno " << errno;
        Result<PageMap> map = readPages(**cow, 3 * kPage, kPage);
        ASSERT_TRUE(map.ok()) << map.error().message();
        swapped = map->pages[0].state == PageState::Swapped;
        if (!swapped)
            ::usleep(50000);
    }
    ASSERT_TRUE(swapped) << "page 3 did not go to swap";

    Result<PageMap> after = readPages(**cow, 0, 16 * kPage);
    ASSERT_TRUE(after.ok()) << after.error().message();
    EXPECT_EQ(after->pages[3].state, PageState::Swapped);
    EXPECT_EQ(after->pages[5].state, PageState::PrivateCopy) << "the other copy stays in memory";
    EXPECT_EQ(pageStateName(PageState::Swapped), "swapped");

    // The summary says the same on both kernel paths.
    Result<PageSummary> read = summarisePages(**cow, 0, 16 * kPage, ScanMethod::Read);
    ASSERT_TRUE(read.ok()) << read.error().message();
    EXPECT_EQ(read->swapped, 1u);
    EXPECT_EQ(read->privateCopies, 1u);
    if (pageMapFeatures().pagemapScan) {
        Result<PageSummary> scan = summarisePages(**cow, 0, 16 * kPage, ScanMethod::Scan);
        ASSERT_TRUE(scan.ok()) << scan.error().message();
        EXPECT_EQ(scan->swapped, 1u);
        EXPECT_EQ(scan->privateCopies, 1u);
    }

    // Reading the page brings the private copy back: present again, its bytes intact.
    char bytes[7] = {};
    ASSERT_TRUE((*cow)->read(3 * kPage, bytes, 7).ok());
    EXPECT_EQ(std::string(bytes, 7), "private");
    Result<PageMap> back = readPages(**cow, 3 * kPage, kPage);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(back->pages[0].state, PageState::PrivateCopy);
}
