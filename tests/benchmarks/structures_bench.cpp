// structures_bench — figures of the .ksy interpreter (issue 11, "Benchmark"). A program, not a timed
// test: one line per figure, `name value`, each the median of several runs; it asserts nothing about
// speed. ctest runs it with --quick only to check that it still runs.
//
//   structures_bench [--quick] [--runs N]
//
// Figures:
//   decode_fields_per_s      a layout of 100,000 u4 fields (a count and a repeat-expr array of u4), every
//                            field decoded: the tree built, then each element materialised and its value
//                            read; fields a second
//   decode_lazy_open_ms      the same layout decoded without touching the elements (what a tree view pays
//                            before it shows the first rows)
//   redecode_after_1byte_ms  a 64 MiB buffer holding a 100,000-element array of 12-byte records: one byte
//                            changed, the whole tree decoded again and the 50 visible rows materialised
#include "benchsupport.h"
#include "structures/decoder.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

using shmscope::bench::median;

using namespace shmscope::structures;

namespace {

template<typename F>
double timeMs(F&& f)
{
    const auto start = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

std::shared_ptr<const Schema> load(const char* text)
{
    LoadResult r = loadLayout(text, "bench.ksy");
    if (!r) {
        std::fprintf(stderr, "structures_bench: %s\n", r.error->text().c_str());
        std::exit(1);
    }
    return r.schema;
}

} // namespace

int main(int argc, char** argv)
{
    int runs = 7;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--quick") == 0)
            runs = 1;
        else if (std::strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
            runs = std::max(1, std::atoi(argv[++i]));
    }
    constexpr std::uint32_t kFields = 100000;
    auto flat = load("meta: {id: flat, endian: le}\nseq:\n  - {id: n, type: u4}\n"
                     "  - {id: values, type: u4, repeat: expr, repeat-expr: n}\n");
    std::vector<std::uint8_t> bytes(4 + std::size_t(kFields) * 4);
    std::memcpy(bytes.data(), &kFields, 4);
    for (std::uint32_t i = 0; i < kFields; ++i)
        std::memcpy(bytes.data() + 4 + i * 4, &i, 4);
    auto source = std::make_shared<OwnedBufferSource>(bytes);

    std::vector<double> full, open;
    std::uint64_t checksum = 0;
    for (int r = 0; r < runs; ++r) {
        full.push_back(timeMs([&] {
            auto tree = Tree::decode(flat, source);
            Node* values = tree->root().child(1);
            for (std::size_t i = 0; i < values->childCount(); ++i)
                checksum += std::uint64_t(values->child(i)->value().integer);
        }));
        open.push_back(timeMs([&] { auto tree = Tree::decode(flat, source); }));
    }
    std::printf("decode_fields_per_s %.0f\n", double(kFields) / (median(full) / 1000.0));
    std::printf("decode_lazy_open_ms %.3f\n", median(open));

    auto records = load("meta: {id: recs, endian: le}\nseq:\n  - {id: n, type: u4}\n"
                        "  - {id: items, type: rec, repeat: expr, repeat-expr: n}\n"
                        "types:\n  rec:\n    seq:\n      - {id: a, type: u4}\n      - {id: b, type: s4}\n"
                        "      - {id: c, type: f4}\n");
    std::vector<std::uint8_t> big(std::size_t(64) << 20);
    std::memcpy(big.data(), &kFields, 4);
    std::vector<double> redecode;
    for (int r = 0; r < std::max(runs, 3); ++r) {
        big[4 + std::size_t(r) * 12] ^= 0xFF; // the 1-byte change
        auto bigSource = std::make_shared<OwnedBufferSource>(big);
        redecode.push_back(timeMs([&] {
            auto tree = Tree::decode(records, bigSource);
            Node* items = tree->root().child(1);
            for (std::size_t i = 0; i < 50; ++i)
                checksum += std::uint64_t(items->child(i)->child(0)->value().integer);
        }));
    }
    std::printf("redecode_after_1byte_ms %.3f\n", median(redecode));
    std::fprintf(stderr, "(checksum %llu)\n", static_cast<unsigned long long>(checksum));
    return 0;
}
