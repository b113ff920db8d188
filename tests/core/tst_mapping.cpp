// The mapping interface, one suite run against every backend (posix:, file:, sysv:; on Windows win:
// and file:): a small
// Backend factory per implementation, as Okteta's interface tests do. Everything here happens in one
// process; tst_multiprocess covers real second processes.

#include "core/catalog.h"
#include "core/hash.h"
#include "core/mapping.h"
#include "tests/core/testsupport.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <gtest/gtest.h>
#include <optional>
#include <thread>

#ifdef _WIN32
#include <windows.h>
#else
#include <fcntl.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

using namespace shmscope;
using namespace shmscope::test;

namespace {

class Backend
{
public:
    virtual ~Backend() = default;
    /// A unique address of this kind that names no object yet.
    virtual Address newAddress() = 0;
    /// Whether copy-on-write views are possible (System V: no).
    virtual bool copyOnWrite() const { return true; }
    /// Whether create-or-attach grows an existing object to the requested size (files do).
    virtual bool growsExisting() const { return false; }
    /// The permission bits as the OS reports them (stat / IPC_STAT), independent of the core.
    virtual std::uint32_t osMode(const Address& address) const = 0;
    /// Whether the object exists, asked of the OS directly.
    virtual bool osExists(const Address& address) const = 0;
    /// Makes an object of 0 bytes without the core; false when the kind cannot have one.
    virtual bool makeEmpty(const Address&) { return false; }
    /// Whether removeObject() can remove the name while views exist (a Windows section cannot).
    virtual bool removable() const { return true; }
    /// Whether a removed name may stay until the last view closes (a Windows file without POSIX
    /// delete semantics — always under Wine — stays "delete pending").
    virtual bool removalMayWaitForTheLastView() const { return false; }
    /// Whether the OS keeps POSIX metadata the core applies and reports: the mode, the owner's uid
    /// and the processes that map the object (not on Windows).
    virtual bool posixMetadata() const { return true; }
};

#ifdef _WIN32

class WinBackend : public Backend
{
public:
    Address newAddress() override { return { Kind::Win, "Local\\" + uniqueName(), 0 }; }
    std::uint32_t osMode(const Address&) const override { return 0; }
    bool osExists(const Address& address) const override
    {
        HANDLE section = ::OpenFileMappingA(FILE_MAP_READ, FALSE, address.name.c_str());
        if (!section)
            return false;
        ::CloseHandle(section);
        return true;
    }
    bool removable() const override { return false; }
    bool posixMetadata() const override { return false; }
};

class WinFileBackend : public Backend
{
public:
    Address newAddress() override { return { Kind::File, tempDirectory() + "\\" + uniqueName() + ".dat", 0 }; }
    bool growsExisting() const override { return true; }
    std::uint32_t osMode(const Address&) const override { return 0; }
    bool osExists(const Address& address) const override
    {
        return ::GetFileAttributesA(address.name.c_str()) != INVALID_FILE_ATTRIBUTES;
    }
    bool makeEmpty(const Address& address) override
    {
        std::ofstream file(address.name);
        return file.good();
    }
    bool posixMetadata() const override { return false; }
    bool removalMayWaitForTheLastView() const override { return true; }
};

#else

class PosixBackend : public Backend
{
public:
    Address newAddress() override { return { Kind::Posix, "/" + uniqueName(), 0 }; }
    std::uint32_t osMode(const Address& address) const override
    {
        struct stat st = {};
        EXPECT_EQ(::stat(("/dev/shm" + address.name).c_str(), &st), 0);
        return st.st_mode & 07777;
    }
    bool osExists(const Address& address) const override
    {
        return ::access(("/dev/shm" + address.name).c_str(), F_OK) == 0;
    }
    bool makeEmpty(const Address& address) override
    {
        const int fd = ::shm_open(address.name.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600);
        if (fd < 0)
            return false;
        ::close(fd);
        return true;
    }
};

class FileBackend : public Backend
{
public:
    Address newAddress() override { return { Kind::File, tempDirectory() + "/" + uniqueName() + ".dat", 0 }; }
    bool growsExisting() const override { return true; }
    std::uint32_t osMode(const Address& address) const override
    {
        struct stat st = {};
        EXPECT_EQ(::stat(address.name.c_str(), &st), 0);
        return st.st_mode & 07777;
    }
    bool osExists(const Address& address) const override { return ::access(address.name.c_str(), F_OK) == 0; }
    bool makeEmpty(const Address& address) override
    {
        std::ofstream file(address.name);
        return file.good();
    }
};

class SysVBackend : public Backend
{
public:
    Address newAddress() override { return { Kind::SysV, {}, unusedSysVKey() }; }
    bool copyOnWrite() const override { return false; }
    std::uint32_t osMode(const Address& address) const override
    {
        const int id = ::shmget(static_cast<key_t>(address.key), 0, 0);
        EXPECT_GE(id, 0);
        struct shmid_ds info = {};
        EXPECT_EQ(::shmctl(id, IPC_STAT, &info), 0);
        return info.shm_perm.mode & 0777;
    }
    bool osExists(const Address& address) const override
    {
        return ::shmget(static_cast<key_t>(address.key), 0, 0) >= 0;
    }
};

#endif

struct BackendParam {
    const char* name;
    std::function<std::unique_ptr<Backend>()> make;
};

void PrintTo(const BackendParam& param, std::ostream* out)
{
    *out << param.name;
}

class MappingInterface : public testing::TestWithParam<BackendParam>
{
protected:
    void SetUp() override { m_backend = GetParam().make(); }
    void TearDown() override
    {
        for (const Address& address : m_addresses)
            removeQuietly(address);
    }

    Address fresh()
    {
        Address address = m_backend->newAddress();
        m_addresses.push_back(address);
        return address;
    }

    std::unique_ptr<Mapping> create(const Address& address, std::uint64_t size, Access access = Access::ReadWrite,
                                    std::uint32_t mode = 0600)
    {
        Result<Created> created = createMapping(address, CreateOptions { size, mode, true }, access);
        EXPECT_TRUE(created.ok()) << (created ? "" : created.error().message());
        if (!created)
            return nullptr;
        EXPECT_FALSE(created->existed);
        return std::move(created->mapping);
    }

    std::unique_ptr<Mapping> attach(const Address& address, Access access)
    {
        Result<std::unique_ptr<Mapping>> mapping = attachMapping(address, access);
        EXPECT_TRUE(mapping.ok()) << (mapping ? "" : mapping.error().message());
        return mapping ? std::move(*mapping) : nullptr;
    }

    static std::string readText(const Mapping& mapping, std::uint64_t offset, std::size_t length)
    {
        std::string text(length, '\0');
        Status status = mapping.read(offset, text.data(), length);
        EXPECT_TRUE(status.ok()) << (status ? "" : status.error().message());
        return text;
    }

    static void writeText(Mapping& mapping, std::uint64_t offset, std::string_view text)
    {
        Status status = mapping.write(offset, text.data(), text.size());
        EXPECT_TRUE(status.ok()) << (status ? "" : status.error().message());
    }

    std::unique_ptr<Backend> m_backend;
    std::vector<Address> m_addresses;
};

TEST_P(MappingInterface, CreateWriteAndReadThroughAnotherView)
{
    const Address address = fresh();
    auto first = create(address, 64 * 1024);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->size(), 64u * 1024);
    EXPECT_EQ(first->access(), Access::ReadWrite);
    ASSERT_TRUE(first->objectSize().ok());
    EXPECT_EQ(*first->objectSize(), 64u * 1024);
    writeText(*first, 100, "hello");

    auto second = attach(address, Access::ReadWrite);
    ASSERT_TRUE(second);
    EXPECT_EQ(second->size(), 64u * 1024);
    EXPECT_EQ(second->address(), first->address());
    EXPECT_EQ(readText(*second, 100, 5), "hello");

    // Views are coherent at once, both ways.
    writeText(*second, 65530, "world!");
    EXPECT_EQ(readText(*first, 65530, 6), "world!");
}

TEST_P(MappingInterface, NewObjectIsZeroFilled)
{
    const Address address = fresh();
    auto mapping = create(address, 3 * 4096 + 17);
    ASSERT_TRUE(mapping);
    std::vector<char> bytes(mapping->size(), 'x');
    ASSERT_TRUE(mapping->read(0, bytes.data(), bytes.size()).ok());
    EXPECT_TRUE(std::all_of(bytes.begin(), bytes.end(), [](char c) { return c == 0; }));
}

TEST_P(MappingInterface, OutOfRangeChangesNothing)
{
    const Address address = fresh();
    auto mapping = create(address, 4096);
    ASSERT_TRUE(mapping);
    writeText(*mapping, 4092, "abcd");

    const char data[16] = "0123456789abcde";
    Status status = mapping->write(4092, data, sizeof data);
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code, ErrorCode::OutOfRange);
    EXPECT_EQ(status.error().operation, "write");
    EXPECT_EQ(status.error().message(),
              "write " + toString(mapping->address()) + ": offset 4092 + length 16 is past the end (4 KiB)");
    EXPECT_EQ(readText(*mapping, 4092, 4), "abcd");

    char out[16];
    std::memset(out, 'z', sizeof out);
    status = mapping->read(4090, out, sizeof out);
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code, ErrorCode::OutOfRange);
    EXPECT_EQ(out[0], 'z'); // nothing copied

    // Offsets that would overflow offset + length, and offsets just past the end.
    EXPECT_EQ(mapping->read(UINT64_MAX, out, 1).error().code, ErrorCode::OutOfRange);
    EXPECT_EQ(mapping->write(UINT64_MAX - 1, data, 4).error().code, ErrorCode::OutOfRange);
    EXPECT_EQ(mapping->read(4097, out, 0).error().code, ErrorCode::OutOfRange);
    EXPECT_TRUE(mapping->read(4096, out, 0).ok());
    EXPECT_TRUE(mapping->write(4096, data, 0).ok());
}

TEST_P(MappingInterface, ReadOnlyViewRefusesWritesAndLock)
{
    const Address address = fresh();
    auto writer = create(address, 4096);
    ASSERT_TRUE(writer);
    writeText(*writer, 0, "original");

    auto reader = attach(address, Access::ReadOnly);
    ASSERT_TRUE(reader);
    EXPECT_EQ(reader->access(), Access::ReadOnly);
    EXPECT_EQ(readText(*reader, 0, 8), "original");

    Status status = reader->write(0, "changed!", 8);
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code, ErrorCode::ReadOnly);
    EXPECT_NE(status.error().message().find("read-only"), std::string::npos);
    // A read-only refusal comes before the bounds check: nothing is touched either way.
    EXPECT_EQ(reader->write(4095, "xx", 2).error().code, ErrorCode::ReadOnly);
    EXPECT_EQ(readText(*writer, 0, 8), "original");

    Result<LockGuard> guard = reader->lock(100ms);
    ASSERT_FALSE(guard.ok());
    EXPECT_EQ(guard.error().code, ErrorCode::ReadOnly);
    EXPECT_EQ(reader->writeLocked(0, "x", 1, 100ms).error().code, ErrorCode::ReadOnly);

    // Later writes by others are visible through the read-only view.
    writeText(*writer, 0, "updated!");
    EXPECT_EQ(readText(*reader, 0, 8), "updated!");
}

TEST_P(MappingInterface, CopyOnWriteStaysPrivate)
{
    const Address address = fresh();
    auto shared = create(address, 8192);
    ASSERT_TRUE(shared);
    writeText(*shared, 10, "shared");

    Result<std::unique_ptr<Mapping>> cow = attachMapping(address, Access::CopyOnWrite);
    if (!m_backend->copyOnWrite()) {
        ASSERT_FALSE(cow.ok());
        EXPECT_EQ(cow.error().code, ErrorCode::Unsupported);
        EXPECT_NE(cow.error().message().find("copy-on-write"), std::string::npos);
        // Creating with copy-on-write is refused before anything is created.
        const Address other = fresh();
        Result<Created> created = createMapping(other, CreateOptions { 4096, 0600, true }, Access::CopyOnWrite);
        ASSERT_FALSE(created.ok());
        EXPECT_EQ(created.error().code, ErrorCode::Unsupported);
        EXPECT_FALSE(m_backend->osExists(other));
        return;
    }
    ASSERT_TRUE(cow.ok()) << cow.error().message();
    Mapping& privateView = **cow;
    EXPECT_EQ(privateView.access(), Access::CopyOnWrite);
    EXPECT_EQ(readText(privateView, 10, 6), "shared");

    writeText(privateView, 10, "PRIVAT");
    EXPECT_EQ(readText(privateView, 10, 6), "PRIVAT");
    EXPECT_EQ(readText(*shared, 10, 6), "shared");
    auto another = attach(address, Access::ReadOnly);
    ASSERT_TRUE(another);
    EXPECT_EQ(readText(*another, 10, 6), "shared");

    // The lock of a private view serialises only this process's threads: it succeeds even while
    // a shared view holds the object's lock.
    Result<LockGuard> held = shared->lock(1s);
    ASSERT_TRUE(held.ok());
    Result<LockGuard> privateLock = privateView.lock(1s);
    EXPECT_TRUE(privateLock.ok()) << privateLock.error().message();
}

TEST_P(MappingInterface, ExclusiveCreateOfAnExistingObjectFails)
{
    const Address address = fresh();
    auto mapping = create(address, 4096);
    ASSERT_TRUE(mapping);
    writeText(*mapping, 0, "keep");

    Result<Created> again = createMapping(address, CreateOptions { 8192, 0600, true });
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, ErrorCode::AlreadyExists);
    EXPECT_EQ(again.error().operation, "create");
    EXPECT_EQ(*mapping->objectSize(), 4096u);
    EXPECT_EQ(readText(*mapping, 0, 4), "keep");
}

TEST_P(MappingInterface, CreateOrAttachReportsWhetherItExisted)
{
    const Address address = fresh();
    Result<Created> made = createMapping(address, CreateOptions { 8192, 0600, false });
    ASSERT_TRUE(made.ok()) << made.error().message();
    EXPECT_FALSE(made->existed);
    writeText(*made->mapping, 0, "marker");

    // A smaller request: every kind keeps the existing size.
    Result<Created> smaller = createMapping(address, CreateOptions { 4096, 0600, false });
    ASSERT_TRUE(smaller.ok()) << smaller.error().message();
    EXPECT_TRUE(smaller->existed);
    EXPECT_EQ(smaller->mapping->size(), 8192u);
    EXPECT_EQ(readText(*smaller->mapping, 0, 6), "marker");

    // A bigger request: POSIX and System V objects keep their size (as CreateFileMapping does);
    // files grow to it (never shrink).
    Result<Created> bigger = createMapping(address, CreateOptions { 16384, 0600, false });
    ASSERT_TRUE(bigger.ok()) << bigger.error().message();
    EXPECT_TRUE(bigger->existed);
    EXPECT_EQ(bigger->mapping->size(), m_backend->growsExisting() ? 16384u : 8192u);
    EXPECT_EQ(readText(*bigger->mapping, 0, 6), "marker");
}

TEST_P(MappingInterface, ConcurrentCreateOrAttachAllSucceed)
{
    // Two instances started together on the same object (the GUI's demo mapping) must both get it:
    // one creates, the others attach — even in the instant between the creator's open and its
    // ftruncate.
    constexpr int threads = 4;
    for (int round = 0; round < 20; ++round) {
        const Address address = fresh();
        std::vector<std::optional<Result<Created>>> results(threads);
        std::vector<std::thread> workers;
        for (int i = 0; i < threads; ++i) {
            workers.emplace_back([&, i] {
                results[i].emplace(createMapping(address, CreateOptions { 8192, 0600, false }));
            });
        }
        for (std::thread& worker : workers)
            worker.join();
        int creators = 0;
        for (const auto& result : results) {
            ASSERT_TRUE(result->ok()) << result->error().message();
            EXPECT_EQ((*result)->mapping->size(), 8192u);
            creators += (*result)->existed ? 0 : 1;
        }
        EXPECT_EQ(creators, 1);
    }
}

TEST_P(MappingInterface, RemoveDetachesTheNameButNotTheViews)
{
    const Address address = fresh();
    auto mapping = create(address, 4096);
    ASSERT_TRUE(mapping);
    writeText(*mapping, 0, "still here");

    if (!m_backend->removable()) {
        // A Windows section has no name of its own to remove: refused, and nothing changes.
        Status refused = removeObject(address);
        ASSERT_FALSE(refused.ok());
        EXPECT_EQ(refused.error().code, ErrorCode::Unsupported);
        EXPECT_EQ(refused.error().operation, "remove");
        EXPECT_TRUE(m_backend->osExists(address));
        EXPECT_EQ(readText(*mapping, 0, 10), "still here");
        mapping.reset(); // the last handle: now it is gone
        EXPECT_FALSE(m_backend->osExists(address));
        EXPECT_EQ(removeObject(address).error().code, ErrorCode::NotFound);
        return;
    }
    if (m_backend->removalMayWaitForTheLastView()) {
        ASSERT_TRUE(removeObject(address).ok());
        EXPECT_EQ(readText(*mapping, 0, 10), "still here");
        mapping.reset(); // the last view: now the name is gone
        EXPECT_FALSE(m_backend->osExists(address));
        EXPECT_EQ(removeObject(address).error().code, ErrorCode::NotFound);
        return;
    }
    ASSERT_TRUE(removeObject(address).ok());
    EXPECT_FALSE(m_backend->osExists(address));
    Result<std::unique_ptr<Mapping>> gone = attachMapping(address, Access::ReadWrite);
    ASSERT_FALSE(gone.ok());
    EXPECT_EQ(gone.error().code, ErrorCode::NotFound);
    Status again = removeObject(address);
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, ErrorCode::NotFound);
    EXPECT_EQ(again.error().operation, "remove");

    // The view stays valid; the object's size reports that it was removed.
    EXPECT_EQ(readText(*mapping, 0, 10), "still here");
    Result<std::uint64_t> size = mapping->objectSize();
    ASSERT_FALSE(size.ok());
    EXPECT_EQ(size.error().code, ErrorCode::Vanished);
    ASSERT_TRUE(size.error().currentSize.has_value());
    EXPECT_EQ(*size.error().currentSize, 4096u);
}

TEST_P(MappingInterface, AttachOfAMissingObjectIsNotFound)
{
    const Address address = fresh();
    for (Access access : { Access::ReadWrite, Access::ReadOnly }) {
        Result<std::unique_ptr<Mapping>> mapping = attachMapping(address, access);
        ASSERT_FALSE(mapping.ok());
        EXPECT_EQ(mapping.error().code, ErrorCode::NotFound);
        EXPECT_EQ(mapping.error().operation, "attach");
        EXPECT_EQ(mapping.error().object, toString(address));
    }
}

TEST_P(MappingInterface, LockExcludesOtherViewsUntilReleased)
{
    const Address address = fresh();
    auto first = create(address, 4096);
    auto second = attach(address, Access::ReadWrite);
    ASSERT_TRUE(first && second);

    Result<LockGuard> held = first->lock(1s);
    ASSERT_TRUE(held.ok()) << held.error().message();
    EXPECT_TRUE(held->ownsLock());
    EXPECT_FALSE(held->previousHolderDied());

    // Another view (its own descriptor, as another process would have) must wait.
    Result<LockGuard> blocked = second->lock(50ms);
    ASSERT_FALSE(blocked.ok());
    EXPECT_EQ(blocked.error().code, ErrorCode::Timeout);
    EXPECT_EQ(blocked.error().operation, "lock");
    EXPECT_EQ(blocked.error().object, toString(address)); // printed only now, not for every lock
    Status write = second->writeLocked(0, "x", 1, 20ms);
    ASSERT_FALSE(write.ok());
    EXPECT_EQ(write.error().code, ErrorCode::Timeout);
    EXPECT_EQ(readText(*first, 0, 1), std::string(1, '\0'));

    // Moving the guard keeps the lock; unlock() releases it once.
    LockGuard moved = std::move(*held);
    EXPECT_TRUE(moved.ownsLock());
    EXPECT_FALSE(held->ownsLock());
    moved.unlock();
    moved.unlock();
    EXPECT_FALSE(moved.ownsLock());

    Result<LockGuard> now = second->lock(5s);
    ASSERT_TRUE(now.ok()) << now.error().message();
    now->unlock();
    EXPECT_TRUE(second->writeLocked(0, "y", 1, 5s).ok());
    EXPECT_EQ(readText(*first, 0, 1), "y");
}

TEST_P(MappingInterface, LockSerialisesThreadsOfOneView)
{
    const Address address = fresh();
    auto mapping = create(address, 4096);
    ASSERT_TRUE(mapping);
    Result<LockGuard> held = mapping->lock(1s);
    ASSERT_TRUE(held.ok());

    ErrorCode otherThread = ErrorCode::System;
    std::thread thread([&] {
        Result<LockGuard> attempt = mapping->lock(50ms);
        otherThread = attempt ? ErrorCode::System : attempt.error().code;
    });
    thread.join();
    EXPECT_EQ(otherThread, ErrorCode::Timeout);

    held->unlock();
    bool obtained = false;
    std::thread later([&] { obtained = mapping->lock(5s).ok(); });
    later.join();
    EXPECT_TRUE(obtained);
}

TEST_P(MappingInterface, ModeIsAppliedExactlyDespiteTheUmask)
{
#ifndef _WIN32
    struct UmaskGuard {
        mode_t previous = ::umask(077);
        ~UmaskGuard() { ::umask(previous); }
    };
    {
        const UmaskGuard umask077;
        for (std::uint32_t mode : { 0644u, 0600u, 0666u, 0640u, 0400u }) {
            const Address address = fresh();
            Result<Created> created = createMapping(address, CreateOptions { 4096, mode, true });
            ASSERT_TRUE(created.ok()) << created.error().message();
            EXPECT_EQ(m_backend->osMode(address), mode) << std::oct << mode;
            Result<ObjectInfo> info = describeObject(address);
            ASSERT_TRUE(info.ok()) << info.error().message();
            EXPECT_EQ(info->mode, mode);
        }
    }
#endif

    const Address address = fresh();
    Result<Created> bad = createMapping(address, CreateOptions { 4096, 04755, true });
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, ErrorCode::InvalidArgument);
    EXPECT_FALSE(m_backend->osExists(address));
}

TEST_P(MappingInterface, ZeroSizeIsRefused)
{
    const Address address = fresh();
    Result<Created> created = createMapping(address, CreateOptions { 0, 0600, true });
    ASSERT_FALSE(created.ok());
    EXPECT_EQ(created.error().code, ErrorCode::InvalidArgument);
    EXPECT_NE(created.error().message().find("size is 0"), std::string::npos) << created.error().message();
    EXPECT_FALSE(m_backend->osExists(address));

    Result<Created> orAttach = createMapping(address, CreateOptions { 0, 0600, false });
    ASSERT_FALSE(orAttach.ok());
    EXPECT_EQ(orAttach.error().code, ErrorCode::InvalidArgument);
    EXPECT_FALSE(m_backend->osExists(address));

#ifdef _WIN32
    // A Windows file of 0 bytes cannot be mapped at all (CreateFileMapping refuses it).
    const Address empty = fresh();
    if (m_backend->makeEmpty(empty)) {
        Result<std::unique_ptr<Mapping>> attached = attachMapping(empty, Access::ReadOnly);
        ASSERT_FALSE(attached.ok());
        EXPECT_EQ(attached.error().code, ErrorCode::InvalidArgument);
        EXPECT_NE(attached.error().message().find("empty"), std::string::npos);
    }
#endif
}

#ifndef _WIN32
// Issue 9 item 16: an object of 0 bytes (shm_open without ftruncate yet, an empty file) attaches as
// an empty view — as a view whose object was truncated to 0 already was — and remap() follows it
// when another process gives it a size.
TEST_P(MappingInterface, AnEmptyObjectAttachesAsAnEmptyViewThatFollowsItsGrowth)
{
    const Address address = fresh();
    if (!m_backend->makeEmpty(address))
        GTEST_SKIP() << "this kind cannot have an object of 0 bytes";
    for (Access access : { Access::ReadWrite, Access::ReadOnly, Access::CopyOnWrite }) {
        Result<std::unique_ptr<Mapping>> attached = attachMapping(address, access);
        ASSERT_TRUE(attached.ok()) << accessName(access) << ": " << attached.error().message();
        EXPECT_EQ((*attached)->size(), 0u);
        char byte = 0;
        EXPECT_EQ((*attached)->read(0, &byte, 1).error().code, ErrorCode::OutOfRange);
        EXPECT_EQ((*attached)->objectSize().value(), 0u);
    }
    Result<std::unique_ptr<Mapping>> attached = attachMapping(address, Access::ReadWrite);
    ASSERT_TRUE(attached.ok()) << attached.error().message();
    Mapping& view = **attached;
    EXPECT_TRUE(view.remap().ok()); // still empty: nothing to map, no error
    EXPECT_EQ(view.size(), 0u);

    // Another process grows it and writes (shmscope-testpeer: ftruncate, then a write of its own).
    ASSERT_EQ(runPeer({ "truncate", toString(address), "4096" }).exitCode, 0);
    ASSERT_EQ(runPeer({ "write", toString(address), "100", "grown" }).exitCode, 0);
    EXPECT_EQ(view.objectSize().value(), 4096u);
    ASSERT_TRUE(view.remap().ok());
    ASSERT_EQ(view.size(), 4096u);
    char text[5] = {};
    ASSERT_TRUE(view.read(100, text, sizeof text).ok());
    EXPECT_EQ(std::string(text, sizeof text), "grown");
}
#endif

TEST_P(MappingInterface, SizeBeyondTheAddressSpaceIsRefused)
{
    for (std::uint64_t size : { std::uint64_t(1) << 63, UINT64_MAX }) {
        const Address address = fresh();
        Result<Created> created = createMapping(address, CreateOptions { size, 0600, true });
        ASSERT_FALSE(created.ok());
        EXPECT_EQ(created.error().code, ErrorCode::InvalidArgument);
        EXPECT_NE(created.error().message().find("address space"), std::string::npos) << created.error().message();
        EXPECT_FALSE(m_backend->osExists(address));
    }
}

TEST_P(MappingInterface, DescribeObject)
{
    const Address address = fresh();
    auto mapping = create(address, 12288, Access::ReadWrite, 0640);
    ASSERT_TRUE(mapping);
    Result<ObjectInfo> info = describeObject(address);
    ASSERT_TRUE(info.ok()) << info.error().message();
    EXPECT_EQ(info->address, mapping->address());
    EXPECT_EQ(info->size, 12288u);
#ifndef _WIN32
    EXPECT_EQ(info->mode, 0640u);
    EXPECT_EQ(info->uid, ::getuid());
    EXPECT_FALSE(info->owner.empty());
    EXPECT_NE(std::find(info->pids.begin(), info->pids.end(), ::getpid()), info->pids.end());
    EXPECT_TRUE(std::is_sorted(info->pids.begin(), info->pids.end()));
    EXPECT_GE(info->attachCount, 1u);
    EXPECT_GT(info->modifiedTime, 0);
#endif

    mapping.reset();
    if (m_backend->removable()) {
        ASSERT_TRUE(removeObject(address).ok());
    }
    Result<ObjectInfo> gone = describeObject(address);
    ASSERT_FALSE(gone.ok());
    EXPECT_EQ(gone.error().code, ErrorCode::NotFound);
}

TEST_P(MappingInterface, FlushSucceeds)
{
    const Address address = fresh();
    auto mapping = create(address, 4096);
    ASSERT_TRUE(mapping);
    writeText(*mapping, 0, "flushed");
    EXPECT_TRUE(mapping->flush().ok());
    auto reader = attach(address, Access::ReadOnly);
    ASSERT_TRUE(reader);
    EXPECT_TRUE(reader->flush().ok());
}

TEST_P(MappingInterface, ReadLockExcludesWritersButNotReaders)
{
#ifdef _WIN32
    GTEST_SKIP() << "Windows: readLock() is lock() (a named mutex); read-only views are refused";
#else
    const Address address = fresh();
    auto writer = create(address, 4096);
    ASSERT_TRUE(writer);
    auto reader = attach(address, Access::ReadOnly);
    auto otherReader = attach(address, Access::ReadOnly);
    ASSERT_TRUE(reader && otherReader);

    Result<LockGuard> shared = reader->readLock(1s);
    ASSERT_TRUE(shared.ok()) << shared.error().message();
    Result<LockGuard> alsoShared = otherReader->readLock(1s); // readers do not exclude each other
    ASSERT_TRUE(alsoShared.ok()) << alsoShared.error().message();
    Result<LockGuard> exclusive = writer->lock(50ms); // but they exclude writers
    ASSERT_FALSE(exclusive.ok());
    EXPECT_EQ(exclusive.error().code, ErrorCode::Timeout);
    Status write = writer->writeLocked(0, "x", 1, 50ms);
    ASSERT_FALSE(write.ok());
    EXPECT_EQ(write.error().code, ErrorCode::Timeout);
    EXPECT_EQ(readText(*reader, 0, 1), std::string(1, '\0'));
    shared->unlock();
    alsoShared->unlock();

    // A writer holding the lock excludes readers.
    exclusive = writer->lock(1s);
    ASSERT_TRUE(exclusive.ok()) << exclusive.error().message();
    Result<LockGuard> blocked = reader->readLock(50ms);
    ASSERT_FALSE(blocked.ok());
    EXPECT_EQ(blocked.error().code, ErrorCode::Timeout);
    exclusive->unlock();
    EXPECT_TRUE(reader->readLock(1s).ok());
#endif
}

TEST_P(MappingInterface, ExchangeReturnsTheOldBytesAndWritesTheNew)
{
    const Address address = fresh();
    auto mapping = create(address, 64 * 1024);
    ASSERT_TRUE(mapping);
    writeText(*mapping, 100, "abcdef");
    char old[3] = {};
    Status exchanged = mapping->exchange(100, "XYZ", old, 3, 1s);
    ASSERT_TRUE(exchanged.ok()) << exchanged.error().message();
    EXPECT_EQ(std::string(old, 3), "abc");
    auto other = attach(address, Access::ReadWrite);
    ASSERT_TRUE(other);
    EXPECT_EQ(readText(*other, 100, 6), "XYZdef");

    // Across a page boundary, at the very end, and the errors.
    ASSERT_TRUE(mapping->exchange(4094, "1234", old, 3, 1s).ok());
    EXPECT_EQ(std::string(old, 3), std::string(3, '\0'));
    EXPECT_EQ(readText(*other, 4094, 3), "123");
    ASSERT_TRUE(mapping->exchange(65535, "E", old, 1, 1s).ok());
    EXPECT_EQ(readText(*other, 65535, 1), "E");
    Status past = mapping->exchange(65535, "EF", old, 2, 1s);
    ASSERT_FALSE(past.ok());
    EXPECT_EQ(past.error().code, ErrorCode::OutOfRange);
    EXPECT_EQ(readText(*other, 65535, 1), "E");

    auto readOnly = attach(address, Access::ReadOnly);
    ASSERT_TRUE(readOnly);
    Status refused = readOnly->exchange(100, "Q", old, 1, 1s);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::ReadOnly);
    EXPECT_EQ(readText(*other, 100, 1), "X");
}

TEST_P(MappingInterface, ExchangeWaitsForTheLockAndTimesOut)
{
    const Address address = fresh();
    auto holder = create(address, 4096);
    ASSERT_TRUE(holder);
    auto mapping = attach(address, Access::ReadWrite);
    ASSERT_TRUE(mapping);
    Result<LockGuard> held = holder->lock(1s);
    ASSERT_TRUE(held.ok()) << held.error().message();
    char old = 0;
    Status timedOut = mapping->exchange(0, "x", &old, 1, 50ms);
    ASSERT_FALSE(timedOut.ok());
    EXPECT_EQ(timedOut.error().code, ErrorCode::Timeout);
    char current = 0;
    Result<bool> cas = mapping->compareExchange(0, "\0", "y", &current, 1, 50ms);
    ASSERT_FALSE(cas.ok());
    EXPECT_EQ(cas.error().code, ErrorCode::Timeout);
    EXPECT_EQ(readText(*holder, 0, 1), std::string(1, '\0'));
    held->unlock();
    ASSERT_TRUE(mapping->exchange(0, "x", &old, 1, 1s).ok());
    EXPECT_EQ(readText(*holder, 0, 1), "x");
}

TEST_P(MappingInterface, CompareExchangeWritesOnlyWhenTheBytesStillMatch)
{
    const Address address = fresh();
    auto mapping = create(address, 8192);
    ASSERT_TRUE(mapping);
    writeText(*mapping, 4090, "abcdefgh");
    char current[8] = {};
    Result<bool> matched = mapping->compareExchange(4090, "abcdefgh", "ABCDEFGH", current, 8, 1s);
    ASSERT_TRUE(matched.ok()) << matched.error().message();
    EXPECT_TRUE(*matched);
    EXPECT_EQ(std::string(current, 8), "abcdefgh");
    EXPECT_EQ(readText(*mapping, 4090, 8), "ABCDEFGH");

    // Someone else wrote since: nothing is written, and the bytes there now come back.
    writeText(*mapping, 4093, "z");
    Result<bool> differs = mapping->compareExchange(4090, "ABCDEFGH", "abcdefgh", current, 8, 1s);
    ASSERT_TRUE(differs.ok()) << differs.error().message();
    EXPECT_FALSE(*differs);
    EXPECT_EQ(std::string(current, 8), "ABCzEFGH");
    EXPECT_EQ(readText(*mapping, 4090, 8), "ABCzEFGH");

    Result<bool> past = mapping->compareExchange(8190, "AB", "ab", current, 4, 1s);
    ASSERT_FALSE(past.ok());
    EXPECT_EQ(past.error().code, ErrorCode::OutOfRange);
}

TEST_P(MappingInterface, HashIsXxh3OfTheBytesInPlace)
{
    const Address address = fresh();
    const std::uint64_t size = 3 * 65536 + 123;
    auto mapping = create(address, size);
    ASSERT_TRUE(mapping);
    std::vector<char> bytes(size);
    for (std::size_t i = 0; i < bytes.size(); ++i)
        bytes[i] = char(i * 131 + i / 7);
    ASSERT_TRUE(mapping->write(0, bytes.data(), bytes.size()).ok());

    for (const auto& [offset, length] : std::vector<std::pair<std::uint64_t, std::uint64_t>> {
             { 0, 0 }, { 0, 1 }, { 5, 240 }, { 5, 241 }, { 4000, 5000 }, { 0, size }, { size - 1, 1 }, { size, 0 } }) {
        Result<std::uint64_t> hashed = mapping->hash(offset, length, 42);
        ASSERT_TRUE(hashed.ok()) << hashed.error().message();
        EXPECT_EQ(*hashed, hashBytes(bytes.data() + offset, length, 42)) << offset << "+" << length;
        // Streamed in pieces, the same hash.
        StreamingHash streamed(42);
        for (std::uint64_t done = 0; done < length; done += 1000)
            streamed.update(bytes.data() + offset + done, std::min<std::uint64_t>(1000, length - done));
        EXPECT_EQ(streamed.digest(), *hashed);
    }
    const std::uint64_t before = *mapping->hash(0, size, 0);
    writeText(*mapping, 70000, "!");
    EXPECT_NE(*mapping->hash(0, size, 0), before);
    EXPECT_NE(*mapping->hash(0, size, 1), *mapping->hash(0, size, 0)); // the seed matters

    auto readOnly = attach(address, Access::ReadOnly);
    ASSERT_TRUE(readOnly);
    EXPECT_EQ(*readOnly->hash(0, size, 0), *mapping->hash(0, size, 0));

    Result<std::uint64_t> past = mapping->hash(size - 1, 2, 0);
    ASSERT_FALSE(past.ok());
    EXPECT_EQ(past.error().code, ErrorCode::OutOfRange);
}

TEST_P(MappingInterface, DataExtentsCoverEveryWrittenByte)
{
    const Address address = fresh();
    const std::uint64_t size = 1024 * 1024;
    auto mapping = create(address, size);
    ASSERT_TRUE(mapping);
    writeText(*mapping, 5, "a");
    writeText(*mapping, 500000, "b");
    writeText(*mapping, size - 1, "c");
    Result<std::vector<Extent>> extents = mapping->dataExtents(0, size, 1000);
    ASSERT_TRUE(extents.ok()) << extents.error().message();
    ASSERT_FALSE(extents->empty());
    std::uint64_t previousEnd = 0;
    for (const Extent& extent : *extents) {
        EXPECT_GE(extent.offset, previousEnd);
        EXPECT_GT(extent.length, 0u);
        previousEnd = extent.offset + extent.length;
    }
    EXPECT_LE(previousEnd, size);
    for (std::uint64_t written : { std::uint64_t(5), std::uint64_t(500000), size - 1 }) {
        EXPECT_TRUE(std::any_of(extents->begin(), extents->end(), [&](const Extent& e) {
            return written >= e.offset && written < e.offset + e.length;
        })) << written;
    }
    // Clipped to the range asked for.
    Result<std::vector<Extent>> middle = mapping->dataExtents(499990, 20, 10);
    ASSERT_TRUE(middle.ok());
    ASSERT_FALSE(middle->empty());
    EXPECT_GE(middle->front().offset, 499990u);
    EXPECT_LE(middle->back().offset + middle->back().length, 500010u);
    Result<std::vector<Extent>> one = mapping->dataExtents(0, size, 1);
    ASSERT_TRUE(one.ok());
    EXPECT_EQ(one->size(), 1u);
    EXPECT_EQ(mapping->dataExtents(0, size + 1, 10).error().code, ErrorCode::OutOfRange);
}

TEST_P(MappingInterface, RemapKeepsAWorkingView)
{
    const Address address = fresh();
    auto mapping = create(address, 4096);
    ASSERT_TRUE(mapping);
    writeText(*mapping, 1, "remap");
    ASSERT_TRUE(mapping->remap().ok());
    EXPECT_EQ(mapping->size(), 4096u);
    EXPECT_EQ(readText(*mapping, 1, 5), "remap");
}

#ifdef _WIN32
INSTANTIATE_TEST_SUITE_P(
    Backends, MappingInterface,
    testing::Values(BackendParam { "win", [] { return std::unique_ptr<Backend>(new WinBackend); } },
                    BackendParam { "file", [] { return std::unique_ptr<Backend>(new WinFileBackend); } }),
    [](const testing::TestParamInfo<BackendParam>& info) { return std::string(info.param.name); });
#else
INSTANTIATE_TEST_SUITE_P(
    Backends, MappingInterface,
    testing::Values(BackendParam { "posix", [] { return std::unique_ptr<Backend>(new PosixBackend); } },
                    BackendParam { "file", [] { return std::unique_ptr<Backend>(new FileBackend); } },
                    BackendParam { "sysv", [] { return std::unique_ptr<Backend>(new SysVBackend); } }),
    [](const testing::TestParamInfo<BackendParam>& info) { return std::string(info.param.name); });

#endif

// --- Backend-specific behaviour (POSIX; the Windows ones are in tst_winmapping) -------------------

#ifndef _WIN32

TEST(PosixMapping, DataExtentsSkipHolesWithoutAllocatingThem)
{
    // Made the way another program makes objects (ftruncate, no posix_fallocate): all holes.
    const Address address { Kind::Posix, "/" + uniqueName(), 0 };
    const std::uint64_t size = 64 * 1024 * 1024;
    const int fd = ::shm_open(address.name.c_str(), O_RDWR | O_CREAT | O_EXCL, 0600);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::ftruncate(fd, off_t(size)), 0);
    Result<std::unique_ptr<Mapping>> mapping = attachMapping(address, Access::ReadWrite);
    ASSERT_TRUE(mapping.ok()) << mapping.error().message();

    struct stat before = {};
    ASSERT_EQ(::fstat(fd, &before), 0);
    Result<std::vector<Extent>> none = (*mapping)->dataExtents(0, size, 100);
    ASSERT_TRUE(none.ok()) << none.error().message();
    EXPECT_TRUE(none->empty());

    ASSERT_TRUE((*mapping)->write(8 * 1024 * 1024 + 5, "x", 1).ok());
    ASSERT_TRUE((*mapping)->write(40 * 1024 * 1024, "yy", 2).ok());
    Result<std::vector<Extent>> two = (*mapping)->dataExtents(0, size, 100);
    ASSERT_TRUE(two.ok());
    const std::uint64_t page = std::uint64_t(::sysconf(_SC_PAGESIZE));
    ASSERT_EQ(two->size(), 2u);
    EXPECT_EQ((*two)[0], (Extent { 8 * 1024 * 1024, page }));
    EXPECT_EQ((*two)[1], (Extent { 40 * 1024 * 1024, page }));
    // At most maxExtents: the caller asks again from the end of the last one.
    Result<std::vector<Extent>> first = (*mapping)->dataExtents(0, size, 1);
    ASSERT_TRUE(first.ok());
    ASSERT_EQ(first->size(), 1u);
    EXPECT_EQ((*first)[0], (*two)[0]);

    // Asking allocated nothing: two pages written, two pages backed.
    struct stat after = {};
    ASSERT_EQ(::fstat(fd, &after), 0);
    EXPECT_LE(std::uint64_t(after.st_blocks) * 512, std::uint64_t(before.st_blocks) * 512 + 2 * page);
    ::close(fd);
    ASSERT_TRUE(removeObject(address).ok());
}

TEST(FileMapping, AddressIsMadeAbsolute)
{
    const std::string name = uniqueName() + ".dat";
    const std::filesystem::path previous = std::filesystem::current_path();
    std::filesystem::current_path(tempDirectory());
    Result<Created> created = createMapping(Address { Kind::File, name, 0 }, CreateOptions { 4096, 0600, true });
    std::filesystem::current_path(previous);
    ASSERT_TRUE(created.ok()) << created.error().message();
    const std::string expected = std::filesystem::canonical(tempDirectory() + "/" + name).string();
    EXPECT_EQ(created->mapping->address(), (Address { Kind::File, expected, 0 }));
    EXPECT_TRUE(removeObject(created->mapping->address()).ok());
}

TEST(FileMapping, SizeZeroMeansTheFilesOwnSize)
{
    const std::string path = tempDirectory() + "/" + uniqueName() + ".dat";
    {
        std::ofstream file(path, std::ios::binary);
        file << "0123456789";
    }
    const Address address { Kind::File, path, 0 };
    ObjectCleanup addressCleanup(address);
    Result<Created> created = createMapping(address, CreateOptions { 0, 0600, false });
    ASSERT_TRUE(created.ok()) << created.error().message();
    EXPECT_TRUE(created->existed);
    EXPECT_EQ(created->mapping->size(), 10u);
    char text[10];
    ASSERT_TRUE(created->mapping->read(0, text, 10).ok());
    EXPECT_EQ(std::string(text, 10), "0123456789");

    // An empty file has no size of its own to map.
    const std::string emptyPath = tempDirectory() + "/" + uniqueName() + ".dat";
    std::ofstream(emptyPath).close();
    Result<Created> empty = createMapping(Address { Kind::File, emptyPath, 0 }, CreateOptions { 0, 0600, false });
    ASSERT_FALSE(empty.ok());
    EXPECT_EQ(empty.error().code, ErrorCode::InvalidArgument);
    EXPECT_EQ(std::filesystem::file_size(emptyPath), 0u);
}

TEST(FileMapping, ExistingFileGrowsButNeverShrinks)
{
    const std::string path = tempDirectory() + "/" + uniqueName() + ".dat";
    {
        std::ofstream file(path, std::ios::binary);
        file << std::string(5000, 'a');
    }
    const Address address { Kind::File, path, 0 };
    ObjectCleanup addressCleanup(address);
    {
        Result<Created> smaller = createMapping(address, CreateOptions { 100, 0600, false }, Access::ReadOnly);
        ASSERT_TRUE(smaller.ok()) << smaller.error().message();
        EXPECT_EQ(smaller->mapping->size(), 5000u);
    }
    EXPECT_EQ(std::filesystem::file_size(path), 5000u);
    {
        Result<Created> bigger = createMapping(address, CreateOptions { 8192, 0600, false }, Access::ReadOnly);
        ASSERT_TRUE(bigger.ok()) << bigger.error().message();
        EXPECT_EQ(bigger->mapping->size(), 8192u);
        char edge[2];
        ASSERT_TRUE(bigger->mapping->read(4999, edge, 2).ok());
        EXPECT_EQ(edge[0], 'a');
        EXPECT_EQ(edge[1], '\0');
    }
    EXPECT_EQ(std::filesystem::file_size(path), 8192u);
}

TEST(FileMapping, FlushWritesTheFile)
{
    const std::string path = tempDirectory() + "/" + uniqueName() + ".dat";
    const Address address { Kind::File, path, 0 };
    ObjectCleanup addressCleanup(address);
    Result<Created> created = createMapping(address, CreateOptions { 4096, 0600, true });
    ASSERT_TRUE(created.ok()) << created.error().message();
    ASSERT_TRUE(created->mapping->write(20, "durable", 7).ok());
    ASSERT_TRUE(created->mapping->flush().ok());
    std::ifstream file(path, std::ios::binary);
    std::string content((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    ASSERT_EQ(content.size(), 4096u);
    EXPECT_EQ(content.substr(20, 7), "durable");
}

TEST(FileMapping, NonRegularFilesAreRefused)
{
    Result<std::unique_ptr<Mapping>> directory
        = attachMapping(Address { Kind::File, tempDirectory(), 0 }, Access::ReadOnly);
    ASSERT_FALSE(directory.ok());
    EXPECT_EQ(directory.error().code, ErrorCode::InvalidArgument);
    const std::string fifo = tempDirectory() + "/" + uniqueName() + ".fifo";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    Result<std::unique_ptr<Mapping>> pipe = attachMapping(Address { Kind::File, fifo, 0 }, Access::ReadOnly);
    ASSERT_FALSE(pipe.ok());
    EXPECT_EQ(pipe.error().code, ErrorCode::InvalidArgument);
    EXPECT_NE(pipe.error().message().find("not a regular file"), std::string::npos);
}

TEST(PosixMapping, RemapToZeroGivesAnEmptyView)
{
    const Address address { Kind::Posix, "/" + uniqueName(), 0 };
    ObjectCleanup addressCleanup(address);
    Result<Created> created = createMapping(address, CreateOptions { 8192, 0600, true });
    ASSERT_TRUE(created.ok()) << created.error().message();
    Mapping& mapping = *created->mapping;
    const int fd = ::shm_open(address.name.c_str(), O_RDWR, 0);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::ftruncate(fd, 0), 0);
    ASSERT_TRUE(mapping.remap().ok());
    EXPECT_EQ(mapping.size(), 0u);
    char byte;
    EXPECT_EQ(mapping.read(0, &byte, 1).error().code, ErrorCode::OutOfRange);
    ASSERT_EQ(::ftruncate(fd, 100), 0);
    ASSERT_TRUE(mapping.remap().ok());
    EXPECT_EQ(mapping.size(), 100u);
    ::close(fd);
    EXPECT_TRUE(mapping.write(99, "z", 1).ok());
    EXPECT_TRUE(removeObject(address).ok());
}

TEST(PosixMapping, CreateOrAttachWaitsForTheCreatorToSizeTheObject)
{
    // The instant between another creator's shm_open and its ftruncate, made long on purpose.
    const Address address { Kind::Posix, "/" + uniqueName(), 0 };
    ObjectCleanup addressCleanup(address);
    const int fd = ::shm_open(address.name.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600);
    ASSERT_GE(fd, 0);
    std::thread creator([fd] {
        std::this_thread::sleep_for(50ms);
        EXPECT_EQ(::ftruncate(fd, 8192), 0);
    });
    Result<Created> created = createMapping(address, CreateOptions { 4096, 0600, false });
    creator.join();
    ::close(fd);
    ASSERT_TRUE(created.ok()) << created.error().message();
    EXPECT_TRUE(created->existed);
    EXPECT_EQ(created->mapping->size(), 8192u);
    EXPECT_TRUE(removeObject(address).ok());
}

TEST(SysVMapping, ById)
{
    const Address byKey { Kind::SysV, {}, unusedSysVKey() };
    ObjectCleanup byKeyCleanup(byKey);
    Result<Created> created = createMapping(byKey, CreateOptions { 4096, 0600, true });
    ASSERT_TRUE(created.ok()) << created.error().message();
    ASSERT_TRUE(created->mapping->write(0, "by id", 5).ok());
    const int shmid = ::shmget(static_cast<key_t>(byKey.key), 0, 0);
    ASSERT_GE(shmid, 0);
    const Address byId { Kind::SysVId, {}, static_cast<std::uint32_t>(shmid) };
    Result<std::unique_ptr<Mapping>> attached = attachMapping(byId, Access::ReadOnly);
    ASSERT_TRUE(attached.ok()) << attached.error().message();
    EXPECT_EQ((*attached)->address(), byId);
    // Both spellings have one identity, the shmid (the key of the notification bus).
    EXPECT_EQ(created->mapping->address(), byKey);
    EXPECT_EQ(created->mapping->identity(), byId);
    EXPECT_EQ((*attached)->identity(), byId);
    char text[5];
    ASSERT_TRUE((*attached)->read(0, text, 5).ok());
    EXPECT_EQ(std::string(text, 5), "by id");

    // The kernel chooses shmids, so sysvid: cannot be created; key 0 (IPC_PRIVATE) names nothing.
    Result<Created> byIdCreate = createMapping(byId, CreateOptions { 4096, 0600, false });
    ASSERT_FALSE(byIdCreate.ok());
    EXPECT_EQ(byIdCreate.error().code, ErrorCode::InvalidArgument);
    Result<Created> privateKey = createMapping(Address { Kind::SysV, {}, 0 }, CreateOptions { 4096, 0600, true });
    ASSERT_FALSE(privateKey.ok());
    EXPECT_EQ(privateKey.error().code, ErrorCode::InvalidArgument);

    EXPECT_TRUE(removeObject(byId).ok());
    EXPECT_LT(::shmget(static_cast<key_t>(byKey.key), 0, 0), 0);
}

TEST(SysVMapping, LockFileIsRemovedWithTheSegment)
{
    const Address address { Kind::SysV, {}, unusedSysVKey() };
    ObjectCleanup addressCleanup(address);
    Result<Created> created = createMapping(address, CreateOptions { 4096, 0600, true });
    ASSERT_TRUE(created.ok()) << created.error().message();
    const int shmid = ::shmget(static_cast<key_t>(address.key), 0, 0);
    const std::string lockFile = "/dev/shm/.shmscope-sysv-" + std::to_string(shmid) + ".lock";
    const mode_t previous = ::umask(077);
    {
        Result<LockGuard> guard = created->mapping->lock(1s);
        ASSERT_TRUE(guard.ok()) << guard.error().message();
    }
    ::umask(previous);
    struct stat st = {};
    ASSERT_EQ(::stat(lockFile.c_str(), &st), 0);
    // The segment's own owner and no wider mode (core/posix/sysvlockfile.h), whatever the umask.
    EXPECT_EQ(st.st_mode & 07777, 0600u);
    EXPECT_EQ(st.st_uid, ::geteuid());
    created->mapping.reset(); // the lock file goes once the segment is gone, not while it is attached
    ASSERT_TRUE(removeObject(address).ok());
    EXPECT_NE(::access(lockFile.c_str(), F_OK), 0);
}

#endif

TEST(Dispatch, InvalidAndUnsupportedAddresses)
{
    // A kind this platform has no backend for.
#ifdef _WIN32
    const Address foreign { Kind::SysV, {}, 42 };
#else
    const Address foreign { Kind::Win, "Local\\x", 0 };
#endif
    Result<std::unique_ptr<Mapping>> attachedForeign = attachMapping(foreign, Access::ReadOnly);
    ASSERT_FALSE(attachedForeign.ok());
    EXPECT_EQ(attachedForeign.error().code, ErrorCode::Unsupported);
    EXPECT_EQ(createMapping(foreign, CreateOptions { 1, 0600, true }).error().code, ErrorCode::Unsupported);
    EXPECT_EQ(removeObject(foreign).error().code, ErrorCode::Unsupported);

    // Hand-made addresses are held to the parser's rules.
    for (const Address& bad : { Address { Kind::Posix, "/../etc/passwd", 0 }, Address { Kind::Posix, "noslash", 0 },
                                Address { Kind::Posix, "/", 0 }, Address { Kind::File, "", 0 } }) {
        Result<std::unique_ptr<Mapping>> attached = attachMapping(bad, Access::ReadOnly);
        ASSERT_FALSE(attached.ok()) << toString(bad);
        EXPECT_EQ(attached.error().code, ErrorCode::InvalidArgument) << toString(bad);
        EXPECT_EQ(removeObject(bad).error().code, ErrorCode::InvalidArgument) << toString(bad);
        EXPECT_EQ(describeObject(bad).error().code, ErrorCode::InvalidArgument) << toString(bad);
    }
}

TEST(Access, Names)
{
    EXPECT_EQ(accessName(Access::ReadWrite), "read-write");
    EXPECT_EQ(accessName(Access::ReadOnly), "read-only");
    EXPECT_EQ(accessName(Access::CopyOnWrite), "copy-on-write");
}

} // namespace
