// The Windows backend in one process (built with mingw-w64, run under Wine): the guarded copy,
// sizes of sections made by other code, the Local\ default, the lock's named mutex (its name, a
// collision, WAIT_ABANDONED), Win32 error messages, the catalog, and file: specifics.
// tst_mapping runs the shared interface suite against win: and file:; tst_winmultiprocess uses real
// second processes.

#include "core/catalog.h"
#include "core/hash.h"
#include "core/mapping.h"
#include "core/win/guardedcopy.h"
#include "tests/core/testsupport.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <iterator>
#include <thread>
#include <windows.h>

using namespace shmscope;
using namespace shmscope::test;

namespace {

Address winAddress()
{
    return Address { Kind::Win, "Local\\" + uniqueName(), 0 };
}

std::wstring wide(const std::string& text)
{
    return std::wstring(text.begin(), text.end()); // test names are ASCII
}

bool underWine()
{
    return ::GetProcAddress(::GetModuleHandleW(L"ntdll.dll"), "wine_get_version") != nullptr;
}

std::size_t pageSize()
{
    SYSTEM_INFO system;
    ::GetSystemInfo(&system);
    return system.dwPageSize;
}

// A section made with plain Win32, as another program would make it.
struct RawSection {
    HANDLE handle = nullptr;
    RawSection(const std::string& name, DWORD size)
        : handle(::CreateFileMappingW(INVALID_HANDLE_VALUE, nullptr, PAGE_READWRITE, 0, size, wide(name).c_str()))
    { }
    ~RawSection()
    {
        if (handle)
            ::CloseHandle(handle);
    }
};

// --- guarded copy ---------------------------------------------------------------------------------

TEST(GuardedCopy, CopiesAndStopsAtAnInaccessiblePage)
{
    SYSTEM_INFO system;
    ::GetSystemInfo(&system);
    const std::size_t page = system.dwPageSize;
    // Two pages reserved, only the first committed: the second faults (access violation).
    auto* region = static_cast<char*>(::VirtualAlloc(nullptr, 2 * page, MEM_RESERVE, PAGE_NOACCESS));
    ASSERT_NE(region, nullptr);
    ASSERT_NE(::VirtualAlloc(region, page, MEM_COMMIT, PAGE_READWRITE), nullptr);
    std::memset(region, 'v', page);

    std::vector<char> out(2 * page, 'x');
    detail::GuardedOutcome fine = detail::guardedCopy(out.data(), region, page, true);
    EXPECT_EQ(fine.exceptionCode, 0u);
    EXPECT_EQ(fine.copied, page);
    EXPECT_EQ(out[page - 1], 'v');

    // Several times and from several threads: the handler must leave every thread usable.
    for (int round = 0; round < 3; ++round) {
        std::vector<std::thread> threads;
        std::vector<detail::GuardedOutcome> outcomes(4);
        std::vector<std::vector<char>> buffers(4, std::vector<char>(2 * page));
        for (int i = 0; i < 4; ++i) {
            threads.emplace_back(
                [&, i] { outcomes[i] = detail::guardedCopy(buffers[i].data(), region + 100, 2 * page - 100, true); });
        }
        for (std::thread& thread : threads)
            thread.join();
        for (const detail::GuardedOutcome& outcome : outcomes) {
            EXPECT_EQ(outcome.exceptionCode, static_cast<std::uint32_t>(EXCEPTION_ACCESS_VIOLATION));
            EXPECT_EQ(outcome.copied, page - 100); // up to the bad page
            EXPECT_EQ(outcome.faultOffset, page - 100);
        }
    }

    // Writing into a read-only page of the view side.
    DWORD previous = 0;
    ASSERT_TRUE(::VirtualProtect(region, page, PAGE_READONLY, &previous));
    const std::string text = "blocked";
    detail::GuardedOutcome refused = detail::guardedCopy(region + 8, text.data(), text.size(), false);
    EXPECT_EQ(refused.exceptionCode, static_cast<std::uint32_t>(EXCEPTION_ACCESS_VIOLATION));
    EXPECT_EQ(refused.copied, 0u);
    EXPECT_EQ(region[8], 'v');
    ::VirtualFree(region, 0, MEM_RELEASE);
}

TEST(GuardedRun, HashesInPlaceAndStopsAtAnInaccessiblePage)
{
    SYSTEM_INFO system;
    ::GetSystemInfo(&system);
    const std::size_t page = system.dwPageSize;
    auto* region = static_cast<char*>(::VirtualAlloc(nullptr, 2 * page, MEM_RESERVE, PAGE_NOACCESS));
    ASSERT_NE(region, nullptr);
    ASSERT_NE(::VirtualAlloc(region, page, MEM_COMMIT, PAGE_READWRITE), nullptr);
    std::memset(region, 'v', page);

    struct Args {
        const char* view;
        std::size_t length;
        std::uint64_t hash;
    };
    const auto body = [](void* context) {
        auto* a = static_cast<Args*>(context);
        a->hash = hashBytes(a->view, a->length, 7);
    };
    Args fine { region, page, 0 };
    detail::GuardedOutcome ok = detail::guardedRun(region, page, body, &fine);
    EXPECT_EQ(ok.exceptionCode, 0u);
    EXPECT_EQ(fine.hash, hashBytes(std::string(page, 'v').data(), page, 7));

    // Across the bad page, from several threads at once, several times.
    for (int round = 0; round < 3; ++round) {
        std::vector<std::thread> threads;
        std::vector<detail::GuardedOutcome> outcomes(4);
        for (int i = 0; i < 4; ++i) {
            threads.emplace_back([&, i] {
                Args across { region + 100, 2 * page - 100, 0 };
                outcomes[i] = detail::guardedRun(across.view, across.length, body, &across);
            });
        }
        for (std::thread& thread : threads)
            thread.join();
        for (const detail::GuardedOutcome& outcome : outcomes) {
            EXPECT_EQ(outcome.exceptionCode, static_cast<std::uint32_t>(EXCEPTION_ACCESS_VIOLATION));
            EXPECT_EQ(outcome.copied, page - 100); // the bytes before the bad page
            EXPECT_GE(outcome.faultOffset, page - 100);
        }
    }
    ::VirtualFree(region, 0, MEM_RELEASE);
}

// --- sections -------------------------------------------------------------------------------------

TEST(WinMapping, ExactSizeOfASectionMadeByAnotherProgram)
{
    const Address address = winAddress();
    RawSection raw(address.name, 100);
    ASSERT_NE(raw.handle, nullptr);
    Result<std::unique_ptr<Mapping>> mapping = attachMapping(address, Access::ReadOnly);
    ASSERT_TRUE(mapping.ok()) << mapping.error().message();
    char byte;
    if (underWine()) {
        // Wine's NtQuerySection rounds a pagefile section up to the page: not exact, and said so.
        EXPECT_FALSE((*mapping)->sizeIsExact());
        EXPECT_EQ((*mapping)->size(), pageSize());
        EXPECT_TRUE((*mapping)->read(pageSize() - 1, &byte, 1).ok());
        return;
    }
    // Windows: NtQuerySection tells 100; VirtualQuery alone would say 4096.
    EXPECT_TRUE((*mapping)->sizeIsExact());
    EXPECT_EQ((*mapping)->size(), 100u);
    EXPECT_EQ(*(*mapping)->objectSize(), 100u);
    EXPECT_EQ((*mapping)->read(100, &byte, 1).error().code, ErrorCode::OutOfRange);
    EXPECT_TRUE((*mapping)->read(99, &byte, 1).ok());
}

TEST(WinMapping, CreateOrAttachKeepsTheExistingSize)
{
    const Address address = winAddress();
    RawSection raw(address.name, 8192);
    ASSERT_NE(raw.handle, nullptr);
    Result<Created> bigger = createMapping(address, CreateOptions { 65536, 0600, false });
    ASSERT_TRUE(bigger.ok()) << bigger.error().message();
    EXPECT_TRUE(bigger->existed);
    EXPECT_EQ(bigger->mapping->size(), 8192u);

    Result<Created> exclusive = createMapping(address, CreateOptions { 65536, 0600, true });
    ASSERT_FALSE(exclusive.ok());
    EXPECT_EQ(exclusive.error().code, ErrorCode::AlreadyExists);
    EXPECT_EQ(exclusive.error().sysError, ERROR_ALREADY_EXISTS);
    EXPECT_NE(exclusive.error().message().find("(Win32 error 183)"), std::string::npos) << exclusive.error().message();
}

TEST(WinMapping, LocalIsTheDefaultNamespace)
{
    const std::string name = uniqueName();
    Result<Created> created = createMapping(Address { Kind::Win, name, 0 }, CreateOptions { 4096, 0600, true });
    ASSERT_TRUE(created.ok()) << created.error().message();
    ASSERT_TRUE(created->mapping->write(0, "same", 4).ok());
    Result<std::unique_ptr<Mapping>> local
        = attachMapping(Address { Kind::Win, "Local\\" + name, 0 }, Access::ReadOnly);
    ASSERT_TRUE(local.ok()) << local.error().message();
    char text[4];
    ASSERT_TRUE((*local)->read(0, text, 4).ok());
    EXPECT_EQ(std::string(text, 4), "same");
}

TEST(WinMapping, GlobalNamespaceWorksUnderWine)
{
    // On Windows outside session 0 creating in Global\ needs SeCreateGlobalPrivilege; Wine grants it.
    const Address address { Kind::Win, "Global\\" + uniqueName(), 0 };
    Result<Created> created = createMapping(address, CreateOptions { 4096, 0600, true });
    if (!created.ok()) {
        EXPECT_EQ(created.error().code, ErrorCode::PermissionDenied) << created.error().message();
        return;
    }
    Result<std::unique_ptr<Mapping>> attached = attachMapping(address, Access::ReadWrite);
    ASSERT_TRUE(attached.ok()) << attached.error().message();
}

TEST(WinMapping, MissingSectionIsNotFoundWithTheWin32Error)
{
    const Address address = winAddress();
    Result<std::unique_ptr<Mapping>> mapping = attachMapping(address, Access::ReadOnly);
    ASSERT_FALSE(mapping.ok());
    const Error& error = mapping.error();
    EXPECT_EQ(error.code, ErrorCode::NotFound);
    EXPECT_EQ(error.sysError, ERROR_FILE_NOT_FOUND);
    EXPECT_EQ(error.sysErrorDomain, SysErrorDomain::Win32);
    const std::string message = error.message();
    EXPECT_EQ(message.rfind("attach " + toString(address) + ": ", 0), 0u) << message;
    EXPECT_NE(message.find("(Win32 error 2)"), std::string::npos) << message;
}

TEST(WinMapping, ANameTakenByAMutexIsRefused)
{
    // Sections share their namespace with mutexes (PLATFORM-NOTES).
    const Address address = winAddress();
    HANDLE mutex = ::CreateMutexW(nullptr, FALSE, wide(address.name).c_str());
    ASSERT_NE(mutex, nullptr);
    Result<Created> created = createMapping(address, CreateOptions { 4096, 0600, false });
    ::CloseHandle(mutex);
    ASSERT_FALSE(created.ok());
    EXPECT_EQ(created.error().code, ErrorCode::AlreadyExists);
    EXPECT_NE(created.error().message().find("another type"), std::string::npos) << created.error().message();
}

TEST(WinMapping, TheLockMutexDoesNotCollideWithTheSection)
{
    const Address address = winAddress();
    Result<Created> created = createMapping(address, CreateOptions { 4096, 0600, true });
    ASSERT_TRUE(created.ok()) << created.error().message();
    Result<LockGuard> held = created->mapping->lock(1s);
    ASSERT_TRUE(held.ok()) << held.error().message();
    // The protocol's mutex exists beside the section, under its own name ...
    HANDLE mutex = ::OpenMutexW(SYNCHRONIZE, FALSE, wide(address.name + ".shmscope-lock").c_str());
    ASSERT_NE(mutex, nullptr);
    EXPECT_EQ(::WaitForSingleObject(mutex, 0), static_cast<DWORD>(WAIT_TIMEOUT)); // held by the guard
    ::CloseHandle(mutex);
    // ... and the section can still be attached by its name.
    Result<std::unique_ptr<Mapping>> attached = attachMapping(address, Access::ReadOnly);
    EXPECT_TRUE(attached.ok()) << attached.error().message();
}

TEST(WinMapping, AbandonedMutexIsReportedAsAPreviousHolderThatDied)
{
    const Address address = winAddress();
    Result<Created> created = createMapping(address, CreateOptions { 4096, 0600, true });
    ASSERT_TRUE(created.ok()) << created.error().message();
    // The first lock opens the mutex, and this process keeps it open from then on (else the mutex
    // would be destroyed with its last handle and nobody could be told of the abandonment).
    ASSERT_TRUE(created->mapping->lock(1s).ok());
    // Another program (a thread here) takes the protocol's mutex and exits without releasing it.
    std::thread holder([&] {
        HANDLE mutex = ::OpenMutexW(SYNCHRONIZE, FALSE, wide(address.name + ".shmscope-lock").c_str());
        ASSERT_NE(mutex, nullptr);
        EXPECT_EQ(::WaitForSingleObject(mutex, 5000), static_cast<DWORD>(WAIT_OBJECT_0));
        ::CloseHandle(mutex); // the thread still owns it; it is abandoned when the thread exits
    });
    holder.join();
    Result<LockGuard> guard = created->mapping->lock(5s);
    ASSERT_TRUE(guard.ok()) << guard.error().message();
    EXPECT_TRUE(guard->previousHolderDied());
    guard->unlock();
    Result<LockGuard> again = created->mapping->lock(1s);
    ASSERT_TRUE(again.ok()) << again.error().message();
    EXPECT_FALSE(again->previousHolderDied());
}

TEST(WinMapping, LockGuardMayBeReleasedFromAnotherThread)
{
    const Address address = winAddress();
    Result<Created> created = createMapping(address, CreateOptions { 4096, 0600, true });
    ASSERT_TRUE(created.ok()) << created.error().message();
    Result<LockGuard> held = created->mapping->lock(1s);
    ASSERT_TRUE(held.ok());
    LockGuard moved = std::move(*held);
    std::thread([&] { moved.unlock(); }).join();
    Result<std::unique_ptr<Mapping>> other = attachMapping(address, Access::ReadWrite);
    ASSERT_TRUE(other.ok());
    EXPECT_TRUE((*other)->lock(1s).ok());
}

// --- catalog --------------------------------------------------------------------------------------

TEST(WinCatalog, ListsSectionsWithTheirExactSize)
{
    const Address address = winAddress();
    Result<Created> created = createMapping(address, CreateOptions { 12345, 0600, true });
    ASSERT_TRUE(created.ok()) << created.error().message();
    EXPECT_EQ(created->mapping->size(), 12345u);

    // Windows tells 12345; Wine rounds up to the page and the entry says it is not exact.
    const std::uint64_t expected = underWine() ? 16384u : 12345u;
    Result<std::vector<ObjectInfo>> list = listObjects();
    ASSERT_TRUE(list.ok()) << list.error().message();
    auto listed = std::find_if(list->begin(), list->end(), [&](const ObjectInfo& o) { return o.address == address; });
    ASSERT_NE(listed, list->end()) << "not listed: " << toString(address);
    EXPECT_EQ(listed->size, expected);
    EXPECT_EQ(listed->sizeIsExact, !underWine());
    EXPECT_TRUE(std::is_sorted(list->begin(), list->end(), [](const ObjectInfo& a, const ObjectInfo& b) {
        return toString(a.address) < toString(b.address);
    }));
    // The lock's mutex is not a section: never listed.
    ASSERT_TRUE(created->mapping->lock(1s).ok());
    Result<std::vector<ObjectInfo>> again = listObjects();
    ASSERT_TRUE(again.ok());
    for (const ObjectInfo& info : *again)
        EXPECT_EQ(info.address.name.find(".shmscope-lock"), std::string::npos);

    Result<ObjectInfo> described = describeObject(address);
    ASSERT_TRUE(described.ok()) << described.error().message();
    EXPECT_EQ(described->size, expected);
    EXPECT_EQ(described->sizeIsExact, !underWine());

    created->mapping.reset(); // the last handle
    Result<ObjectInfo> gone = describeObject(address);
    ASSERT_FALSE(gone.ok());
    EXPECT_EQ(gone.error().code, ErrorCode::NotFound);
}

// --- file: ---------------------------------------------------------------------------------------

TEST(WinFileMapping, AddressIsMadeAbsoluteAndDataReachesTheFile)
{
    const std::string name = uniqueName() + ".dat";
    const std::filesystem::path previous = std::filesystem::current_path();
    std::filesystem::current_path(tempDirectory());
    Result<Created> created = createMapping(Address { Kind::File, name, 0 }, CreateOptions { 4096, 0600, true });
    std::filesystem::current_path(previous);
    ASSERT_TRUE(created.ok()) << created.error().message();
    const std::string path = created->mapping->address().name;
    EXPECT_EQ(std::filesystem::path(path), std::filesystem::path(tempDirectory()) / name);
    ASSERT_TRUE(created->mapping->write(10, "in the file", 11).ok());
    ASSERT_TRUE(created->mapping->flush().ok());
    created->mapping.reset();

    std::ifstream file(path, std::ios::binary);
    const std::string content((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    ASSERT_EQ(content.size(), 4096u);
    EXPECT_EQ(content.substr(10, 11), "in the file");
    file.close();
    Result<ObjectInfo> info = describeObject(Address { Kind::File, path, 0 });
    ASSERT_TRUE(info.ok()) << info.error().message();
    EXPECT_EQ(info->size, 4096u);
    EXPECT_GT(info->modifiedTime, 0);
    EXPECT_TRUE(removeObject(Address { Kind::File, path, 0 }).ok());
}

TEST(WinFileMapping, SizeZeroMeansTheFilesOwnSize)
{
    const std::string path = tempDirectory() + "\\" + uniqueName() + ".dat";
    ObjectCleanup cleanup(Address { Kind::File, path, 0 });
    {
        std::ofstream file(path, std::ios::binary);
        file << "0123456789";
    }
    Result<Created> created = createMapping(Address { Kind::File, path, 0 }, CreateOptions { 0, 0600, false });
    ASSERT_TRUE(created.ok()) << created.error().message();
    EXPECT_TRUE(created->existed);
    EXPECT_EQ(created->mapping->size(), 10u);
    EXPECT_TRUE(created->mapping->sizeIsExact());
}

TEST(Dispatch, PosixKindsAreUnsupportedOnWindows)
{
    for (const Address& address :
         { Address { Kind::Posix, "/x", 0 }, Address { Kind::SysV, {}, 42 }, Address { Kind::SysVId, {}, 7 } }) {
        Result<std::unique_ptr<Mapping>> attached = attachMapping(address, Access::ReadOnly);
        ASSERT_FALSE(attached.ok());
        EXPECT_EQ(attached.error().code, ErrorCode::Unsupported) << toString(address);
        EXPECT_EQ(describeObject(address).error().code, ErrorCode::Unsupported) << toString(address);
    }
}

} // namespace
