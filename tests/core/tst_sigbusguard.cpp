// The SIGBUS guard of the POSIX core (core/posix/sigbusguard.cpp) as the rest of the process sees
// it: a SIGBUS that is not ours still reaches the handler installed before the core's (chaining),
// or kills the process when there was none; a SIGBUS sent with kill() is not taken for a fault; and
// a guarded access keeps working on many threads at once. Each case that installs handlers or dies
// runs in a death-test child (a fresh process), so that the core installs its handler there after
// the test's own.

#include "core/mapping.h"
#include "tests/core/testsupport.h"

#include <atomic>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace shmscope;
using namespace shmscope::test;

namespace {

constexpr std::size_t kSize = 1024 * 1024;

// A posix: object the core maps, truncated to one page by another process (the peer).
struct Truncated {
    Address address { Kind::Posix, "/" + uniqueName(), 0 };
    std::unique_ptr<Mapping> mapping;
    void* rawView = nullptr; ///< a plain mmap of the same object, touched outside any guard

    Truncated()
    {
        Result<Created> created = createMapping(address, CreateOptions { kSize, 0600, true });
        if (!created)
            return;
        mapping = std::move(created->mapping);
        const int fd = ::shm_open(address.name.c_str(), O_RDWR, 0);
        rawView = ::mmap(nullptr, kSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        ::close(fd);
        if (runPeer({ "truncate", toString(address), "4096" }).exitCode != 0)
            mapping.reset();
        // The name goes at once: the death-test children _exit() without running destructors. The
        // views stay valid (and the object's size stays 4 KiB).
        removeQuietly(address);
    }
    ~Truncated()
    {
        if (rawView && rawView != MAP_FAILED)
            ::munmap(rawView, kSize);
    }
    // Touches a byte past the new end outside any guard: SIGBUS.
    void touchUnguarded() const { static_cast<volatile char*>(rawView)[kSize / 2] = 1; }
};

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitizerHandlesSigbus = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitizerHandlesSigbus = true;
#else
constexpr bool kSanitizerHandlesSigbus = false;
#endif
#else
constexpr bool kSanitizerHandlesSigbus = false;
#endif

// Died of the SIGBUS: killed by it, or — under AddressSanitizer, whose own SIGBUS handler is then the
// "previous handler" ours chains to — reported by the sanitizer, which exits with 1.
bool diedOfSigbus(int status)
{
    if (WIFSIGNALED(status))
        return WTERMSIG(status) == SIGBUS;
    return kSanitizerHandlesSigbus && WIFEXITED(status) && WEXITSTATUS(status) == 1;
}

void exitWith42(int)
{
    _exit(42);
}

void exitWith43(int, siginfo_t* info, void*)
{
    _exit(info->si_code > 0 ? 43 : 44);
}

// Runs in the death-test child: a guarded read past the end is Vanished, then an unguarded touch.
void guardedThenUnguarded()
{
    Truncated object;
    if (!object.mapping || object.rawView == MAP_FAILED)
        _exit(2);
    char byte = 0;
    Status read = object.mapping->read(kSize / 2, &byte, 1);
    if (read || read.error().code != ErrorCode::Vanished)
        _exit(3);
    // And once more: the first fault must not have left SIGBUS blocked on this thread.
    read = object.mapping->read(kSize / 2, &byte, 1);
    if (read || read.error().code != ErrorCode::Vanished)
        _exit(4);
    object.touchUnguarded();
    _exit(5); // not reached
}

} // namespace

TEST(SigbusGuardDeathTest, AForeignSigbusGoesToThePreviousPlainHandler)
{
    EXPECT_EXIT(
        {
            std::signal(SIGBUS, &exitWith42);
            guardedThenUnguarded();
        },
        testing::ExitedWithCode(42), "");
}

TEST(SigbusGuardDeathTest, AForeignSigbusGoesToThePreviousSiginfoHandler)
{
    EXPECT_EXIT(
        {
            struct sigaction action = {};
            action.sa_sigaction = &exitWith43;
            action.sa_flags = SA_SIGINFO;
            sigemptyset(&action.sa_mask);
            ::sigaction(SIGBUS, &action, nullptr);
            guardedThenUnguarded();
        },
        testing::ExitedWithCode(43), "");
}

TEST(SigbusGuardDeathTest, AForeignSigbusWithoutAPreviousHandlerKillsAsBefore)
{
    EXPECT_EXIT(guardedThenUnguarded(), diedOfSigbus, "");
}

TEST(SigbusGuardDeathTest, ASigbusSentByKillIsNotAFault)
{
    // kill() while no guard is active and with no previous handler: the default action.
    EXPECT_EXIT(
        {
            Truncated object;
            char byte = 0;
            if (!object.mapping || object.mapping->read(0, &byte, 1).ok() == false)
                _exit(2);
            ::kill(::getpid(), SIGBUS);
            _exit(5);
        },
        diedOfSigbus, "");
}

TEST(SigbusGuardDeathTest, AKillOfAProcessThatIgnoresSigbusLeavesTheGuardInPlace)
{
    // Ignored before the core installs its handler: a kill() is ignored as before, and the guard
    // still turns the next fault into Vanished (it used to reset SIGBUS to the default and die).
    EXPECT_EXIT(
        {
            std::signal(SIGBUS, SIG_IGN);
            Truncated object;
            if (!object.mapping)
                _exit(2);
            char byte = 0;
            Status read = object.mapping->read(kSize / 2, &byte, 1);
            if (read || read.error().code != ErrorCode::Vanished)
                _exit(3);
            ::kill(::getpid(), SIGBUS);
            read = object.mapping->read(kSize / 2, &byte, 1);
            if (read || read.error().code != ErrorCode::Vanished)
                _exit(4);
            _exit(0);
        },
        testing::ExitedWithCode(0), "");
}

// memcpy does not touch pages in order (glibc loads a large copy's tail first): the error still names
// the first missing byte, the new end of the object, not the page that happened to fault.
TEST(SigbusGuard, AFaultIsReportedAtTheFirstMissingByte)
{
    Truncated object;
    ASSERT_TRUE(object.mapping);
    std::vector<char> buffer(kSize);
    const Status read = object.mapping->read(0, buffer.data(), kSize);
    ASSERT_FALSE(read.ok());
    EXPECT_EQ(read.error().code, ErrorCode::Vanished);
    EXPECT_NE(read.error().message().find("(offset 4096 is past its end)"), std::string::npos)
        << read.error().message();
}

TEST(SigbusGuard, ManyThreadsFaultingAtOnceEachGetVanished)
{
    Truncated object;
    ASSERT_TRUE(object.mapping);
    std::atomic<int> vanished { 0 };
    std::atomic<int> other { 0 };
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
            std::vector<char> buffer(64 * 1024);
            for (int i = 0; i < 200; ++i) {
                // Alternately a read across the end and an in-place hash past it.
                if ((i + t) % 2 == 0) {
                    Status read = object.mapping->read(0, buffer.data(), buffer.size());
                    (!read && read.error().code == ErrorCode::Vanished ? vanished : other)++;
                } else {
                    Result<std::uint64_t> hashed = object.mapping->hash(4096, 8192, 0);
                    (!hashed && hashed.error().code == ErrorCode::Vanished ? vanished : other)++;
                }
            }
        });
    }
    for (std::thread& thread : threads)
        thread.join();
    EXPECT_EQ(vanished.load(), 8 * 200);
    EXPECT_EQ(other.load(), 0);
    // The bytes that are left still read.
    char head[16];
    EXPECT_TRUE(object.mapping->read(0, head, sizeof head).ok());
}
