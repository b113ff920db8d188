// The value scan (core/valuescan.h) over real POSIX shared memory: every type in both byte orders,
// first scans (value, range, any) and next scans (changed ... decreased by N) against a reference,
// unaligned steps, the state file (reload, rewrite, cancel), and holes that stay holes.
#include "core/mapping.h"
#include "core/valuescan.h"
#include "testsupport.h"

#include <cstring>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace shmscope;
using namespace shmscope::test;

namespace {

struct Object {
    explicit Object(std::uint64_t size)
        : name("/" + uniqueName())
        , address { Kind::Posix, name, 0 }
    {
        const int fd = ::shm_open(name.c_str(), O_RDWR | O_CREAT | O_EXCL, 0600);
        EXPECT_GE(fd, 0);
        EXPECT_EQ(::ftruncate(fd, off_t(size)), 0);
        ::close(fd);
        mapping = std::move(attachMapping(address, Access::ReadWrite)).value();
    }
    ~Object()
    {
        mapping.reset();
        ::shm_unlink(name.c_str());
    }
    void put(std::uint64_t offset, const void* bytes, std::size_t length)
    {
        ASSERT_TRUE(mapping->write(offset, bytes, length).ok());
    }
    template<typename T>
    void putValue(std::uint64_t offset, T value, bool big = false)
    {
        unsigned char bytes[sizeof(T)];
        std::memcpy(bytes, &value, sizeof(T));
        if (big)
            std::reverse(bytes, bytes + sizeof(T));
        put(offset, bytes, sizeof(T));
    }
    std::string name;
    Address address;
    std::unique_ptr<Mapping> mapping;
};

std::string statePath()
{
    return tempDirectory() + "/" + uniqueName() + ".scan";
}

std::vector<std::uint64_t> offsets(const ValueScan& scan)
{
    std::vector<std::uint64_t> result;
    Result<std::vector<ScanCandidate>> candidates = scan.candidates(0, 1000000);
    EXPECT_TRUE(candidates.ok());
    if (!candidates)
        return result;
    for (const ScanCandidate& candidate : *candidates)
        result.push_back(candidate.offset);
    return result;
}

ValueScan firstScan(const Object& object, ScanSpec spec, ScanCondition condition, const std::string& path)
{
    spec.address = toString(object.address);
    spec.size = object.mapping->size();
    const MappingScanSource source(*object.mapping);
    Result<std::optional<ValueScan>> scan = ValueScan::first(source, spec, condition, path);
    EXPECT_TRUE(scan.ok()) << (scan.ok() ? "" : scan.error().message());
    return std::move(**scan);
}

bool nextScan(ValueScan& scan, const Object& object, ScanCondition condition)
{
    const MappingScanSource source(*object.mapping);
    Result<bool> done = scan.next(source, condition);
    EXPECT_TRUE(done.ok()) << (done.ok() ? "" : done.error().message());
    return done.ok() && *done;
}

} // namespace

TEST(ValueScan, ExactValueOfEveryTypeInBothByteOrders)
{
    Object object(4096);
    object.putValue<std::int8_t>(3, -5);
    object.putValue<std::uint16_t>(0x10, 0xbeef, true);
    object.putValue<std::int32_t>(0x20, -123456);
    object.putValue<std::uint64_t>(0x40, 0x1122334455667788ull, true);
    object.putValue<float>(0x80, 3.5f);
    object.putValue<double>(0x88, -2.25, true);
    struct Case {
        ValueType type;
        Endian endian;
        const char* value;
        std::uint64_t offset;
    };
    const Case cases[] = {
        { ValueType::I8, Endian::Little, "-5", 3 },
        { ValueType::U16, Endian::Big, "0xbeef", 0x10 },
        { ValueType::I32, Endian::Little, "-123456", 0x20 },
        { ValueType::U64, Endian::Big, "0x1122334455667788", 0x40 },
        { ValueType::F32, Endian::Little, "3.5", 0x80 },
        { ValueType::F64, Endian::Big, "-2.25", 0x88 },
    };
    for (const Case& c : cases) {
        ScanSpec spec;
        spec.type = c.type;
        spec.endian = c.endian;
        const std::string path = statePath();
        ValueScan scan = firstScan(object, spec, { ScanTest::Equal, c.value, {} }, path);
        EXPECT_EQ(offsets(scan), std::vector<std::uint64_t> { c.offset }) << valueTypeName(c.type);
        Result<std::vector<ScanCandidate>> candidates = scan.candidates(0, 1);
        ASSERT_TRUE(candidates.ok());
        const std::vector<ScanCandidate>& found = *candidates;
        ASSERT_EQ(found.size(), 1u);
        EXPECT_EQ(ValueScan::formatValue(c.type, c.endian, found[0].previous.data()),
                  c.type == ValueType::U16       ? "48879"
                      : c.type == ValueType::U64 ? "1234605616436508552"
                                                 : c.value);
        ::unlink(path.c_str());
    }
    // The other byte order does not find them; a value outside the type is refused.
    ScanSpec spec;
    spec.type = ValueType::U16;
    const std::string path = statePath();
    EXPECT_TRUE(offsets(firstScan(object, spec, { ScanTest::Equal, "0xbeef", {} }, path)).empty());
    ::unlink(path.c_str());
    EXPECT_FALSE(ValueScan::checkCondition(spec, { ScanTest::Equal, "70000", {} }, true).ok());
    spec.type = ValueType::I8;
    EXPECT_FALSE(ValueScan::checkCondition(spec, { ScanTest::Equal, "-129", {} }, true).ok());
    EXPECT_TRUE(ValueScan::checkCondition(spec, { ScanTest::Equal, "-128", {} }, true).ok());
    EXPECT_FALSE(ValueScan::checkCondition(spec, { ScanTest::Increased, {}, {} }, true).ok());
}

TEST(ValueScan, NextScansNarrowAsTheReferenceSays)
{
    Object object(64 * 1024);
    // Slots: 0x100 grows by 1, 0x104 by 7, 0x108 shrinks, 0x10c wraps from 0xffffffff to 0, the rest stay.
    object.putValue<std::uint32_t>(0x100, 10);
    object.putValue<std::uint32_t>(0x104, 10);
    object.putValue<std::uint32_t>(0x108, 10);
    object.putValue<std::uint32_t>(0x10c, 0xffffffffu);
    const std::string path = statePath();
    ValueScan scan = firstScan(object, {}, { ScanTest::Any, {}, {} }, path);
    EXPECT_EQ(scan.count(), 16384u);
    ASSERT_TRUE(nextScan(scan, object, { ScanTest::Unchanged, {}, {} }));
    EXPECT_EQ(scan.count(), 16384u);
    object.putValue<std::uint32_t>(0x100, 11);
    object.putValue<std::uint32_t>(0x104, 17);
    object.putValue<std::uint32_t>(0x108, 3);
    object.putValue<std::uint32_t>(0x10c, 0);
    // Reloading the state file gives the same scan.
    Result<ValueScan> loaded = ValueScan::load(path);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message();
    EXPECT_EQ(loaded->count(), 16384u);
    EXPECT_EQ(loaded->scans(), 2u);
    ValueScan changed = std::move(*loaded);
    ASSERT_TRUE(nextScan(changed, object, { ScanTest::Changed, {}, {} }));
    EXPECT_EQ(offsets(changed), (std::vector<std::uint64_t> { 0x100, 0x104, 0x108, 0x10c }));
    const std::string copy = path + ".copy";
    auto fork = [&] {
        ::unlink(copy.c_str());
        EXPECT_EQ(::link(path.c_str(), copy.c_str()), 0);
        return std::move(ValueScan::load(copy)).value();
    };
    // Against the values the "changed" scan recorded: nothing changed since.
    ValueScan unchanged = fork();
    ASSERT_TRUE(nextScan(unchanged, object, { ScanTest::Unchanged, {}, {} }));
    EXPECT_EQ(unchanged.count(), 4u);
    // From a state before the changes: increased, decreased, by N (with wrap-around).
    Object before(64 * 1024);
    ::unlink(path.c_str());
    const std::string path2 = statePath();
    before.putValue<std::uint32_t>(0x100, 10);
    before.putValue<std::uint32_t>(0x104, 10);
    before.putValue<std::uint32_t>(0x108, 10);
    before.putValue<std::uint32_t>(0x10c, 0xffffffffu);
    ScanSpec spec;
    spec.address = toString(before.address);
    spec.size = 64 * 1024;
    ValueScan base
        = std::move(**ValueScan::first(MappingScanSource(*before.mapping), spec, { ScanTest::Any, {}, {} }, path2));
    auto narrow = [&](ScanCondition condition) {
        const std::string p = statePath();
        EXPECT_EQ(::link(path2.c_str(), p.c_str()), 0);
        ValueScan scan = std::move(ValueScan::load(p)).value();
        EXPECT_TRUE(nextScan(scan, object, condition));
        std::vector<std::uint64_t> result = offsets(scan);
        ::unlink(p.c_str());
        return result;
    };
    EXPECT_EQ(narrow({ ScanTest::Increased, {}, {} }), (std::vector<std::uint64_t> { 0x100, 0x104 }));
    EXPECT_EQ(narrow({ ScanTest::Decreased, {}, {} }), (std::vector<std::uint64_t> { 0x108, 0x10c }));
    EXPECT_EQ(narrow({ ScanTest::IncreasedBy, "1", {} }), (std::vector<std::uint64_t> { 0x100, 0x10c }));
    EXPECT_EQ(narrow({ ScanTest::IncreasedBy, "7", {} }), (std::vector<std::uint64_t> { 0x104 }));
    EXPECT_EQ(narrow({ ScanTest::DecreasedBy, "7", {} }), (std::vector<std::uint64_t> { 0x108 }));
    EXPECT_EQ(narrow({ ScanTest::Between, "11", "17" }), (std::vector<std::uint64_t> { 0x100, 0x104 }));
    ::unlink(path2.c_str());
    ::unlink(copy.c_str());
}

TEST(ValueScan, UnalignedStepFindsOddOffsets)
{
    Object object(4096);
    object.putValue<std::uint32_t>(0x101, 0xcafebabe);
    const std::string path = statePath();
    ScanSpec spec;
    EXPECT_TRUE(offsets(firstScan(object, spec, { ScanTest::Equal, "0xcafebabe", {} }, path)).empty());
    ::unlink(path.c_str());
    spec.step = 1;
    EXPECT_EQ(offsets(firstScan(object, spec, { ScanTest::Equal, "0xcafebabe", {} }, path)),
              std::vector<std::uint64_t> { 0x101 });
    ::unlink(path.c_str());
}

TEST(ValueScan, CancelLeavesNoFileAndHolesStayHoles)
{
    Object object(16 * 1024 * 1024);
    object.putValue<std::uint32_t>(8 * 1024 * 1024, 42);
    ScanSpec spec;
    spec.address = toString(object.address);
    spec.size = object.mapping->size();
    const MappingScanSource source(*object.mapping);
    const std::string path = statePath();
    Result<std::optional<ValueScan>> cancelled = ValueScan::first(source, spec, { ScanTest::Any, {}, {} }, path,
                                                                  [](std::uint64_t, std::uint64_t) { return false; });
    ASSERT_TRUE(cancelled.ok());
    EXPECT_FALSE(cancelled->has_value());
    EXPECT_NE(::access(path.c_str(), F_OK), 0);

    ValueScan scan = firstScan(object, spec, { ScanTest::Any, {}, {} }, path);
    EXPECT_EQ(scan.count(), 4u * 1024 * 1024);
    struct stat st {
    };
    ASSERT_EQ(::stat(("/dev/shm" + object.name).c_str(), &st), 0);
    EXPECT_EQ(st.st_blocks * 512, 4096) << "the scan touched the object's holes";
    // A cancelled next scan changes nothing.
    object.putValue<std::uint32_t>(8 * 1024 * 1024, 43);
    Result<bool> done
        = scan.next(source, { ScanTest::Increased, {}, {} }, [](std::uint64_t, std::uint64_t) { return false; });
    ASSERT_TRUE(done.ok());
    EXPECT_FALSE(*done);
    EXPECT_EQ(scan.count(), 4u * 1024 * 1024);
    ASSERT_TRUE(nextScan(scan, object, { ScanTest::Increased, {}, {} }));
    EXPECT_EQ(offsets(scan), std::vector<std::uint64_t> { 8 * 1024 * 1024 });
    ::unlink(path.c_str());
    // Not a state file.
    EXPECT_EQ(ValueScan::load(tempDirectory()).error().code, ErrorCode::InvalidArgument);
}
