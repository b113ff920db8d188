// readcursor_bench — what `shmscope-cli read` spends finding the data of a large object (issue 12). A
// program, not a timed test: one line per figure, `name value unit`, each the median of several runs;
// asserts nothing about speed. ctest runs it with --quick (16 and 64 MiB) only to check that it runs.
//
//   readcursor_bench [--quick] [--runs N]
//
// For a posix: object of 64 MiB and one of 256 MiB, all data (written through), read front to back in
// 64 KiB chunks as `read --format raw` reads them, side by side in one run:
//   read_<N>mib_sparse_s   the way read did it before: readSparse() per chunk, which asks the object
//                          where its data is (lseek SEEK_DATA/SEEK_HOLE) once per chunk; on tmpfs each
//                          question walks the page cache from the position to the next hole: O(size²)
//   read_<N>mib_cursor_s   the way it does now: one DataCursor (core/scansource.h) for the whole read,
//                          one question per run of data
//   read_<N>mib_speedup    the ratio of the two
#include "benchsupport.h"
#include "core/mapping.h"
#include "core/scansource.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

using namespace shmscope;
using shmscope::bench::median;
using shmscope::bench::print;

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::uint64_t kChunk = 64 * 1024;

// Reads the whole object chunk by chunk, summing a byte of each chunk so nothing is optimised away.
template<typename ReadChunk>
double timeRead(std::uint64_t size, std::vector<char>& buffer, ReadChunk readChunk, unsigned& sink)
{
    const Clock::time_point start = Clock::now();
    for (std::uint64_t pos = 0; pos < size; pos += kChunk) {
        if (!readChunk(pos, std::size_t(std::min(kChunk, size - pos)))) {
            std::fprintf(stderr, "read failed at %llu\n", static_cast<unsigned long long>(pos));
            std::exit(1);
        }
        sink += static_cast<unsigned char>(buffer[0]);
    }
    return std::chrono::duration<double>(Clock::now() - start).count();
}

} // namespace

int main(int argc, char** argv)
{
    bool quick = false;
    int runs = 5;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--quick")
            quick = true;
        else if (arg == "--runs" && i + 1 < argc)
            runs = std::max(1, std::atoi(argv[++i]));
    }
    if (quick)
        runs = 1;
    const std::vector<std::uint64_t> sizesMiB
        = quick ? std::vector<std::uint64_t> { 16, 64 } : std::vector<std::uint64_t> { 64, 256 };
    unsigned sink = 0;
    for (const std::uint64_t mib : sizesMiB) {
        const std::uint64_t size = mib << 20;
        const Address address { Kind::Posix, "/shmscope-test-" + std::to_string(::getpid()) + "-readbench", 0 };
        Result<Created> created = createMapping(address, CreateOptions { size, 0600, true });
        if (!created) {
            std::fprintf(stderr, "%s\n", created.error().message().c_str());
            return 1;
        }
        std::unique_ptr<Mapping> mapping = std::move(created->mapping);
        {
            std::vector<char> fill(kChunk);
            for (std::uint64_t pos = 0; pos < size; pos += kChunk) {
                std::memset(fill.data(), int((pos / kChunk) & 0xff) | 1, fill.size());
                if (!mapping->write(pos, fill.data(), fill.size())) {
                    std::fprintf(stderr, "fill failed\n");
                    (void)removeObject(address);
                    return 1;
                }
            }
        }
        const MappingScanSource source(*mapping);
        std::vector<char> buffer(kChunk);
        std::vector<double> sparse, cursor;
        for (int run = 0; run < runs; ++run) {
            // Alternating, so that neither gets a warmer cache throughout.
            sparse.push_back(timeRead(
                size, buffer,
                [&](std::uint64_t pos, std::size_t count) {
                    return bool(readSparse(source, pos, buffer.data(), count));
                },
                sink));
            DataCursor dataCursor(source);
            cursor.push_back(timeRead(
                size, buffer,
                [&](std::uint64_t pos, std::size_t count) {
                    Result<std::uint64_t> next = dataCursor.nextData(pos, size);
                    if (!next)
                        return false;
                    if (*next >= pos + count) {
                        std::memset(buffer.data(), 0, count);
                        return true;
                    }
                    return bool(dataCursor.read(pos, count, buffer.data()));
                },
                sink));
        }
        mapping.reset();
        (void)removeObject(address);
        const std::string prefix = "read_" + std::to_string(mib) + "mib_";
        print(prefix + "sparse_s", median(sparse), "s");
        print(prefix + "cursor_s", median(cursor), "s");
        print(prefix + "speedup", median(sparse) / std::max(median(cursor), 1e-9), "x");
    }
    return sink == 0xffffffffu ? 2 : 0;
}
