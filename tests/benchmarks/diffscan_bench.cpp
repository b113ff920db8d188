// diffscan_bench — figures of snapshots/diff and the value scan (issue 12). A program, not a timed
// test: one line per figure, `name value unit`, each the median of several runs; asserts nothing about
// speed. ctest runs it with --quick (64 MiB instead of 1 GiB) only to check that it still runs.
//
//   diffscan_bench [--quick] [--runs N]
//
// Figures (GB = 1e9 bytes of one side a second):
//   diff_gb_per_s         diffSides() of two 1 GiB snapshot files (SnapshotFile: pread from the page cache,
//                         written just before in /var/tmp) that differ in 1,000 scattered bytes
//   memcmp_gb_per_s       in the same run: memcmp of two 1 GiB heap buffers holding the same bytes, 256 KiB at a time
//   diff_over_memcmp      the ratio of the two (goal >= 0.5)
//   scan_first_gb_per_s   ValueScan first scan, unknown initial value, u32 aligned, over a 1 GiB posix: object
//                         (all data: random bytes), the state file in /var/tmp (written: 1 GiB of values + 32 MiB
//                         bitmap)
//   scan_rss_growth_mib   how much the scans raised the process's peak resident set (VmHWM after the scans minus
//                         before; the object's pages this process wrote while filling it are counted in both)
#include "benchsupport.h"
#include "core/diff.h"
#include "core/mapping.h"
#include "core/snapshot.h"
#include "core/valuescan.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <unistd.h>
#include <vector>

using namespace shmscope;
using shmscope::bench::median;
using shmscope::bench::print;

namespace {

using Clock = std::chrono::steady_clock;

double seconds(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// The peak resident set of this process (VmHWM of /proc/self/status) in MiB.
double peakRssMiB()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmHWM:", 0) == 0)
            return std::atof(line.c_str() + 6) / 1024.0;
    }
    return 0;
}

[[noreturn]] void fail(const std::string& what)
{
    std::fprintf(stderr, "diffscan_bench: %s\n", what.c_str());
    std::exit(1);
}

} // namespace

int main(int argc, char** argv)
{
    bool quick = false;
    int runs = 0;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--quick") == 0)
            quick = true;
        else if (std::strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
            runs = std::max(1, std::atoi(argv[++i]));
    }
    if (runs == 0)
        runs = quick ? 1 : 5;
    const std::uint64_t size = quick ? (64ull << 20) : (1ull << 30);
    const std::string prefix = "shmscope-test-" + std::to_string(::getpid()) + "-bench";
    const Address address { Kind::Posix, "/" + prefix, 0 };
    const std::string dir = "/var/tmp";
    const std::string pathA = dir + "/" + prefix + "-a.shmsnap";
    const std::string pathB = dir + "/" + prefix + "-b.shmsnap";
    struct Cleanup {
        Address address;
        std::string a, b;
        ~Cleanup()
        {
            (void)removeObject(address);
            ::unlink(a.c_str());
            ::unlink(b.c_str());
        }
    } cleanup { address, pathA, pathB };

    CreateOptions options;
    options.size = size;
    Result<Created> created = createMapping(address, options);
    if (!created)
        fail(created.error().message());
    Mapping& mapping = *created->mapping;
    std::mt19937_64 random(7);
    std::vector<std::uint64_t> chunk(1 << 17); // 1 MiB of random bytes, written over the whole object
    for (std::uint64_t pos = 0; pos < size; pos += chunk.size() * 8) {
        for (auto& word : chunk)
            word = random();
        if (Status status = mapping.write(pos, chunk.data(), chunk.size() * 8); !status)
            fail(status.error().message());
    }
    const MappingScanSource source(mapping);

    // The value scan first, before the diff's heap buffers raise the peak resident set.
    const std::string statePath = dir + "/" + prefix + ".scan";
    std::vector<double> scanRates;
    const double hwmBefore = peakRssMiB();
    for (int run = 0; run < runs; ++run) {
        ScanSpec spec;
        spec.address = toString(address);
        spec.size = size;
        spec.type = ValueType::U32;
        const Clock::time_point start = Clock::now();
        Result<std::optional<ValueScan>> scan = ValueScan::first(source, spec, { ScanTest::Any, {}, {} }, statePath);
        const double scanSeconds = seconds(start);
        ::unlink(statePath.c_str());
        if (!scan || !scan->has_value() || (*scan)->count() != size / 4)
            fail(scan ? "the scan kept the wrong number of candidates" : scan.error().message());
        scanRates.push_back(double(size) / 1e9 / scanSeconds);
    }
    print("scan_first_gb_per_s", median(scanRates), "GB/s");
    print("scan_rss_growth_mib", peakRssMiB() - hwmBefore, "MiB");

    SnapshotInfo info;
    info.address = toString(address);
    info.size = size;
    if (Result<SnapshotInfo> written = writeSnapshot(source, info, pathA); !written)
        fail(written.error().message());
    for (int i = 0; i < 1000; ++i) {
        const std::uint64_t at = random() % size;
        const char byte = char(random() | 1);
        (void)mapping.write(at, &byte, 1);
    }
    if (Result<SnapshotInfo> written = writeSnapshot(source, info, pathB); !written)
        fail(written.error().message());
    Result<std::unique_ptr<SnapshotFile>> a = SnapshotFile::open(pathA);
    Result<std::unique_ptr<SnapshotFile>> b = SnapshotFile::open(pathB);
    if (!a || !b)
        fail("cannot open the snapshots");

    // The same bytes on the heap for memcmp.
    std::unique_ptr<char[]> heapA(new char[size]);
    std::unique_ptr<char[]> heapB(new char[size]);
    if (!(*a)->read(0, heapA.get(), size) || !(*b)->read(0, heapB.get(), size))
        fail("cannot read the snapshots");

    std::vector<double> diffRates;
    std::vector<double> memcmpRates;
    std::uint64_t ranges = 0;
    volatile int sink = 0;
    for (int run = 0; run < runs; ++run) {
        Clock::time_point start = Clock::now();
        Result<DiffSummary> summary
            = diffSides({ a->get(), size }, { b->get(), size }, {}, [&](const DiffRange&) { return true; });
        const double diffSeconds = seconds(start);
        if (!summary)
            fail(summary.error().message());
        ranges = summary->ranges;
        diffRates.push_back(double(size) / 1e9 / diffSeconds);

        start = Clock::now();
        int differing = 0;
        constexpr std::uint64_t step = 256 * 1024;
        for (std::uint64_t pos = 0; pos < size; pos += step)
            differing += std::memcmp(heapA.get() + pos, heapB.get() + pos, step) != 0;
        sink = sink + differing;
        memcmpRates.push_back(double(size) / 1e9 / seconds(start));
    }
    if (ranges == 0)
        fail("the diff found no differences");
    const double diffRate = median(diffRates);
    const double memcmpRate = median(memcmpRates);
    print("diff_gb_per_s", diffRate, "GB/s");
    print("memcmp_gb_per_s", memcmpRate, "GB/s");
    print("diff_over_memcmp", diffRate / memcmpRate, "x");
    print("diff_ranges", double(ranges), "ranges");
    return 0;
}
