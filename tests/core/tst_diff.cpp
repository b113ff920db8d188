// Snapshots and diff (core/snapshot.h, core/diff.h) against real POSIX shared memory: the diff matches a
// byte-by-byte reference on random changes (runs across step boundaries, tails of unequal sizes), holes
// are not read and stay holes in the snapshot file, the header round-trips and its hash catches a
// modified file, and a range snapshot compares against the same range of the live object.
#include "core/diff.h"
#include "core/hash.h"
#include "core/mapping.h"
#include "core/snapshot.h"
#include "testsupport.h"

#include <cstring>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <random>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace shmscope;
using namespace shmscope::test;

namespace {

// A sparse POSIX object of `size` bytes (shm_open + ftruncate, no page allocated), removed at scope end.
struct SparseObject {
    explicit SparseObject(std::uint64_t size)
        : name("/" + uniqueName())
        , address { Kind::Posix, name, 0 }
    {
        const int fd = ::shm_open(name.c_str(), O_RDWR | O_CREAT | O_EXCL, 0600);
        EXPECT_GE(fd, 0);
        EXPECT_EQ(::ftruncate(fd, off_t(size)), 0);
        ::close(fd);
        Result<std::unique_ptr<Mapping>> attached = attachMapping(address, Access::ReadWrite);
        EXPECT_TRUE(attached.ok());
        mapping = std::move(attached).value();
    }
    ~SparseObject()
    {
        mapping.reset();
        ::shm_unlink(name.c_str());
    }
    // Pages of the object that hold memory (st_blocks are 512 bytes).
    std::uint64_t allocatedBytes() const
    {
        struct stat st {
        };
        ::stat(("/dev/shm" + name).c_str(), &st);
        return std::uint64_t(st.st_blocks) * 512;
    }
    std::string name;
    Address address;
    std::unique_ptr<Mapping> mapping;
};

std::vector<DiffRange> collect(const DiffSide& a, const DiffSide& b, std::size_t maxBytes = 64)
{
    std::vector<DiffRange> ranges;
    DiffOptions options;
    options.maxBytes = maxBytes;
    Result<DiffSummary> summary = diffSides(a, b, options, [&](const DiffRange& range) {
        ranges.push_back(range);
        return true;
    });
    EXPECT_TRUE(summary.ok()) << (summary.ok() ? "" : summary.error().message());
    return ranges;
}

// The runs of differing bytes of two buffers, by a plain loop.
std::vector<std::pair<std::uint64_t, std::uint64_t>> referenceRuns(const std::vector<char>& a,
                                                                   const std::vector<char>& b)
{
    std::vector<std::pair<std::uint64_t, std::uint64_t>> runs;
    for (std::size_t i = 0; i < a.size();) {
        if (a[i] == b[i]) {
            ++i;
            continue;
        }
        std::size_t end = i;
        while (end < a.size() && a[end] != b[end])
            ++end;
        runs.emplace_back(i, end - i);
        i = end;
    }
    return runs;
}

std::string snapshotPath()
{
    return tempDirectory() + "/" + uniqueName() + ".shmsnap";
}

} // namespace

TEST(Diff, MatchesByteByByteReferenceOnRandomChanges)
{
    constexpr std::uint64_t size = 3 * 1024 * 1024 + 123;
    SparseObject a(size);
    SparseObject b(size);
    std::mt19937_64 random(42);
    std::vector<char> bytesA(size);
    for (char& c : bytesA)
        c = char(random());
    std::vector<char> bytesB = bytesA;
    // Runs of every length, some across the 256 KiB steps, one at the very end.
    for (int i = 0; i < 300; ++i) {
        const std::uint64_t at = random() % size;
        const std::uint64_t length = std::min<std::uint64_t>(1 + random() % 40, size - at);
        for (std::uint64_t k = 0; k < length; ++k)
            bytesB[at + k] = char(bytesB[at + k] ^ 0x5a);
    }
    for (std::uint64_t step : { 256 * 1024, 512 * 1024 }) // runs across the step boundary
        for (std::uint64_t k = step - 5; k < step + 5; ++k)
            bytesB[k] = char(bytesA[k] + 1);
    bytesB[size - 1] = char(bytesA[size - 1] + 1);
    ASSERT_TRUE(a.mapping->write(0, bytesA.data(), size).ok());
    ASSERT_TRUE(b.mapping->write(0, bytesB.data(), size).ok());

    const MappingScanSource sourceA(*a.mapping);
    const MappingScanSource sourceB(*b.mapping);
    const std::vector<DiffRange> ranges = collect({ &sourceA, size }, { &sourceB, size }, 8);
    const auto expected = referenceRuns(bytesA, bytesB);
    ASSERT_EQ(ranges.size(), expected.size());
    for (std::size_t i = 0; i < ranges.size(); ++i) {
        EXPECT_EQ(ranges[i].offset, expected[i].first) << i;
        EXPECT_EQ(ranges[i].length, expected[i].second) << i;
        EXPECT_EQ(ranges[i].kind, DiffRange::Kind::Changed);
        const std::size_t kept = std::min<std::size_t>(8, ranges[i].length);
        ASSERT_EQ(ranges[i].oldBytes.size(), kept);
        EXPECT_EQ(std::memcmp(ranges[i].oldBytes.data(), bytesA.data() + ranges[i].offset, kept), 0);
        EXPECT_EQ(std::memcmp(ranges[i].newBytes.data(), bytesB.data() + ranges[i].offset, kept), 0);
    }
    EXPECT_TRUE(collect({ &sourceA, size }, { &sourceA, size }).empty());
}

TEST(Diff, TailOfTheLongerSideIsOneRange)
{
    SparseObject a(8192);
    SparseObject b(4096 + 10);
    ASSERT_TRUE(a.mapping->write(5000, "abc", 3).ok());
    const MappingScanSource sourceA(*a.mapping);
    const MappingScanSource sourceB(*b.mapping);
    std::vector<DiffRange> ranges = collect({ &sourceA, 8192 }, { &sourceB, 4106 });
    ASSERT_EQ(ranges.size(), 1u);
    EXPECT_EQ(ranges[0].kind, DiffRange::Kind::OnlyInA);
    EXPECT_EQ(ranges[0].offset, 4106u);
    EXPECT_EQ(ranges[0].length, 8192u - 4106u);
    EXPECT_TRUE(ranges[0].newBytes.empty());
    ranges = collect({ &sourceB, 4106 }, { &sourceA, 8192 });
    ASSERT_EQ(ranges.size(), 1u);
    EXPECT_EQ(ranges[0].kind, DiffRange::Kind::OnlyInB);
}

TEST(Diff, HolesOnBothSidesAreNotReadAndStayHoles)
{
    constexpr std::uint64_t size = 256ull * 1024 * 1024;
    SparseObject a(size);
    SparseObject b(size);
    ASSERT_TRUE(a.mapping->write(100 * 1024 * 1024, "x", 1).ok());
    ASSERT_TRUE(b.mapping->write(200 * 1024 * 1024 + 7, "y", 1).ok());
    const MappingScanSource sourceA(*a.mapping);
    const MappingScanSource sourceB(*b.mapping);
    const std::vector<DiffRange> ranges = collect({ &sourceA, size }, { &sourceB, size });
    ASSERT_EQ(ranges.size(), 2u);
    EXPECT_EQ(ranges[0].offset, 100u * 1024 * 1024);
    EXPECT_EQ(ranges[1].offset, 200u * 1024 * 1024 + 7);
    // A hole on one side facing data on the other is read as zeros through readSparse (not touched):
    // each object still holds one page.
    EXPECT_EQ(a.allocatedBytes(), 4096u);
    EXPECT_EQ(b.allocatedBytes(), 4096u);
}

TEST(Snapshot, SparseObjectGivesSparseFileWithHeaderAndHash)
{
    constexpr std::uint64_t size = 64ull * 1024 * 1024;
    SparseObject object(size);
    ASSERT_TRUE(object.mapping->write(3 * 1024 * 1024 + 1, "hello", 5).ok());
    ASSERT_TRUE(object.mapping->write(size - 2, "zz", 2).ok());
    const MappingScanSource source(*object.mapping);
    SnapshotInfo info;
    info.address = toString(object.address);
    info.size = size;
    info.timeMs = 1234567;
    info.pid = currentPid();
    const std::string path = snapshotPath();
    Result<SnapshotInfo> written = writeSnapshot(source, info, path);
    ASSERT_TRUE(written.ok()) << written.error().message();
    std::vector<char> expected(size, 0); // the object's bytes, known without reading its holes
    std::memcpy(expected.data() + 3 * 1024 * 1024 + 1, "hello", 5);
    std::memcpy(expected.data() + size - 2, "zz", 2);
    EXPECT_EQ(written->hash, hashBytes(expected.data(), size, 0));

    struct stat st {
    };
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(std::uint64_t(st.st_size), kSnapshotHeaderSize + size);
    EXPECT_LE(std::uint64_t(st.st_blocks) * 512, 64u * 1024) << "the holes were written";
    EXPECT_EQ(object.allocatedBytes(), 2u * 4096) << "the snapshot touched the object's holes";

    ASSERT_TRUE(SnapshotFile::isSnapshot(path));
    Result<std::unique_ptr<SnapshotFile>> file = SnapshotFile::open(path);
    ASSERT_TRUE(file.ok()) << file.error().message();
    const SnapshotInfo& read = (*file)->info();
    EXPECT_EQ(read.address, info.address);
    EXPECT_EQ(read.size, size);
    EXPECT_EQ(read.timeMs, 1234567);
    EXPECT_EQ(read.pid, currentPid());
    EXPECT_EQ(read.hash, written->hash);
    EXPECT_TRUE(read.wholeObject);
    EXPECT_TRUE((*file)->verify().ok());
    Result<std::vector<Extent>> extents = (*file)->dataExtents(0, size, 16);
    ASSERT_TRUE(extents.ok());
    ASSERT_EQ(extents->size(), 2u);
    EXPECT_EQ(extents->front().offset, 3u * 1024 * 1024);

    // Equal to the live object; a change shows as one range; a changed file fails verify().
    EXPECT_TRUE(collect({ file->get(), size }, { &source, size }).empty());
    ASSERT_TRUE(object.mapping->write(10, "!", 1).ok());
    const std::vector<DiffRange> ranges = collect({ file->get(), size }, { &source, size });
    ASSERT_EQ(ranges.size(), 1u);
    EXPECT_EQ(ranges[0].offset, 10u);
    const int fd = ::open(path.c_str(), O_WRONLY);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::pwrite(fd, "Q", 1, off_t(kSnapshotHeaderSize + 3 * 1024 * 1024 + 1)), 1);
    ::close(fd);
    EXPECT_FALSE((*file)->verify().ok());
    ::unlink(path.c_str());
}

TEST(Snapshot, RangeSnapshotComparesWithTheSameRange)
{
    SparseObject object(1024 * 1024);
    ASSERT_TRUE(object.mapping->write(0x8000, "abcdef", 6).ok());
    const MappingScanSource source(*object.mapping);
    SnapshotInfo info;
    info.address = toString(object.address);
    info.offset = 0x8000;
    info.size = 4096;
    info.wholeObject = false;
    const std::string path = snapshotPath();
    Result<SnapshotInfo> written = writeSnapshot(source, info, path);
    ASSERT_TRUE(written.ok()) << written.error().message();
    Result<std::unique_ptr<SnapshotFile>> file = SnapshotFile::open(path);
    ASSERT_TRUE(file.ok());
    char bytes[6] {};
    ASSERT_TRUE((*file)->read(0, bytes, 6).ok());
    EXPECT_EQ(std::string(bytes, 6), "abcdef");
    ASSERT_TRUE(object.mapping->write(0x8002, "X", 1).ok());
    ASSERT_TRUE(object.mapping->write(0x9000, "Y", 1).ok()); // outside the range: not compared
    const SubrangeSource live(source, 0x8000);
    const std::vector<DiffRange> ranges = collect({ file->get(), 4096 }, { &live, 4096 });
    ASSERT_EQ(ranges.size(), 1u);
    EXPECT_EQ(ranges[0].offset, 2u);
    EXPECT_EQ(ranges[0].newBytes, std::vector<std::uint8_t> { 'X' });
    ::unlink(path.c_str());
}

TEST(Snapshot, ExistingPathIsNotReplacedAndBadFilesAreRefused)
{
    SparseObject object(4096);
    const MappingScanSource source(*object.mapping);
    const std::string path = snapshotPath();
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::write(fd, "not a snapshot\n", 15), 15);
    ::close(fd);
    SnapshotInfo info;
    info.size = 4096;
    Result<SnapshotInfo> written = writeSnapshot(source, info, path);
    ASSERT_FALSE(written.ok());
    EXPECT_EQ(written.error().code, ErrorCode::AlreadyExists);
    EXPECT_FALSE(SnapshotFile::isSnapshot(path));
    Result<std::unique_ptr<SnapshotFile>> file = SnapshotFile::open(path);
    ASSERT_FALSE(file.ok());
    EXPECT_EQ(file.error().code, ErrorCode::InvalidArgument);
    ::unlink(path.c_str());
}

TEST(Snapshot, CompareInPlaceSaysVanishedWhenTheObjectShrank)
{
    SparseObject object(64 * 1024);
    ASSERT_TRUE(object.mapping->write(0, "abcd", 4).ok());
    Result<bool> same = object.mapping->compare(0, "abcd", 4);
    ASSERT_TRUE(same.ok());
    EXPECT_TRUE(*same);
    same = object.mapping->compare(1, "abcd", 3);
    ASSERT_TRUE(same.ok());
    EXPECT_FALSE(*same);
    const int fd = ::shm_open(object.name.c_str(), O_RDWR, 0);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::ftruncate(fd, 4096), 0); // another descriptor shrinks it under the view
    ::close(fd);
    std::vector<char> zeros(8192, 0);
    same = object.mapping->compare(32 * 1024, zeros.data(), zeros.size());
    ASSERT_FALSE(same.ok());
    EXPECT_EQ(same.error().code, ErrorCode::Vanished);
}
