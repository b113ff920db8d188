// readSparse() and BlockHasher (core/scansource.h, core/blockhasher.h) over a fake ScanSource whose
// holes are known: holes are never read, long extent lists are continued, and block hashes tell
// changes apart from holes. Platform-independent (runs under Wine too).
#include "core/blockhasher.h"
#include "core/hash.h"
#include "core/scansource.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <string>
#include <vector>

using namespace shmscope;

namespace {

// `size` bytes; the data extents are the runs of non-zero "present" flags. Records every read().
class FakeSource final : public ScanSource
{
public:
    explicit FakeSource(std::uint64_t size)
        : bytes(size, 0)
        , present(size, false)
    { }

    void put(std::uint64_t offset, const std::string& text)
    {
        for (std::size_t i = 0; i < text.size(); ++i) {
            bytes[offset + i] = text[i];
            present[offset + i] = true;
        }
    }

    Status read(std::uint64_t offset, void* out, std::size_t length) const override
    {
        for (std::size_t i = 0; i < length; ++i) {
            if (!present[offset + i])
                ++holeBytesRead;
        }
        std::copy_n(bytes.begin() + std::ptrdiff_t(offset), length, static_cast<char*>(out));
        return {};
    }
    Result<std::uint64_t> hash(std::uint64_t offset, std::uint64_t length, std::uint64_t seed) const override
    {
        for (std::uint64_t i = 0; i < length; ++i) {
            if (!present[offset + i])
                ++holeBytesRead;
        }
        return hashBytes(bytes.data() + offset, std::size_t(length), seed);
    }
    Result<std::vector<Extent>> dataExtents(std::uint64_t offset, std::uint64_t length,
                                            std::size_t maxExtents) const override
    {
        ++extentQueries;
        std::vector<Extent> extents;
        for (std::uint64_t i = offset; i < offset + length && extents.size() < maxExtents;) {
            if (!present[i]) {
                ++i;
                continue;
            }
            std::uint64_t end = i;
            while (end < offset + length && present[end])
                ++end;
            extents.push_back({ i, end - i });
            i = end;
        }
        return extents;
    }

    std::vector<char> bytes;
    std::vector<bool> present;
    mutable std::uint64_t holeBytesRead = 0;
    mutable int extentQueries = 0;
};

TEST(ScanSource, ReadSparseFillsHolesWithZerosWithoutReadingThem)
{
    FakeSource source(4096);
    source.put(10, "abc");
    source.put(4000, "xyz");
    std::vector<char> out(4096, '?');
    ASSERT_TRUE(readSparse(source, 0, out.data(), out.size()));
    EXPECT_EQ(out, source.bytes);
    EXPECT_EQ(source.holeBytesRead, 0u);

    // A range that starts and ends inside data.
    std::vector<char> middle(4090 - 11, '?');
    ASSERT_TRUE(readSparse(source, 11, middle.data(), middle.size()));
    EXPECT_EQ(middle, std::vector<char>(source.bytes.begin() + 11, source.bytes.begin() + 4090));
    EXPECT_EQ(source.holeBytesRead, 0u);
}

TEST(ScanSource, ReadSparseContinuesAFullExtentList)
{
    // 1000 one-byte extents: more than one dataExtents() answer holds.
    FakeSource source(2000);
    for (std::uint64_t i = 0; i < 1000; ++i)
        source.put(2 * i + 1, "*");
    std::vector<char> out(2000, '?');
    ASSERT_TRUE(readSparse(source, 0, out.data(), out.size()));
    EXPECT_EQ(out, source.bytes);
    EXPECT_GT(source.extentQueries, 1);
    EXPECT_EQ(source.holeBytesRead, 0u);
}

TEST(BlockHasher, HolesHashToTheHoleHashAndChangesShow)
{
    FakeSource source(1024);
    source.put(300, "data");
    const std::uint64_t blockSize = 128;
    auto pass = [&] {
        std::vector<std::uint64_t> hashes;
        BlockHasher hasher(source, 1024);
        for (std::uint64_t offset = 0; offset < 1024; offset += blockSize) {
            Result<std::uint64_t> hash = hasher.hashBlock(offset, blockSize);
            EXPECT_TRUE(hash.ok());
            hashes.push_back(hash.ok() ? *hash : 0);
        }
        return hashes;
    };
    const std::vector<std::uint64_t> first = pass();
    for (std::size_t b = 0; b < first.size(); ++b)
        EXPECT_EQ(first[b] == blockhash::kHoleHash, b != 2) << "block " << b;
    EXPECT_EQ(pass(), first);
    EXPECT_EQ(source.holeBytesRead, 0u);

    source.put(301, "A"); // within block 2
    source.put(700, "B"); // a hole (block 5) gets data
    const std::vector<std::uint64_t> second = pass();
    for (std::size_t b = 0; b < first.size(); ++b)
        EXPECT_EQ(first[b] != second[b], b == 2 || b == 5) << "block " << b;

    // The same bytes at another place in the block hash differently.
    FakeSource moved(1024);
    moved.put(301, "data");
    BlockHasher hasher(moved, 1024);
    hasher.restartAt(256);
    Result<std::uint64_t> hash = hasher.hashBlock(256, blockSize);
    ASSERT_TRUE(hash.ok());
    EXPECT_NE(*hash, first[2]);
}

TEST(BlockHasher, BlockSizes)
{
    EXPECT_EQ(blockhash::blockSizeFor(0), blockhash::kMinBlockSize);
    EXPECT_EQ(blockhash::blockSizeFor(64 * 1024), 64u);
    EXPECT_EQ(blockhash::blockSizeFor(std::uint64_t(16) << 30), blockhash::kMaxBlockSize);
    const std::uint64_t huge = std::uint64_t(1) << 40;
    EXPECT_LE(blockhash::blockCount(huge, blockhash::blockSizeFor(huge)), blockhash::kMaxBlocks);
}

} // namespace
