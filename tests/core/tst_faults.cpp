// Fault safety when the backing store is full: a full /dev/shm must be a clean NoSpace error — at
// create time (posix_fallocate) and, for an object someone else created without reserving its
// pages, at write time — never a SIGBUS. (Truncation by another process is in tst_multiprocess.)

#include "core/mapping.h"
#include "tests/core/testsupport.h"

#include <cstring>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace shmscope;
using namespace shmscope::test;

namespace {

TEST(Faults, CreateBeyondTheFreeSpaceOfDevShmIsNoSpaceAndLeavesNothing)
{
    struct statvfs fs = {};
    ASSERT_EQ(::statvfs("/dev/shm", &fs), 0);
    // More than the whole file system: tmpfs refuses it up front, without filling memory first.
    const std::uint64_t size = static_cast<std::uint64_t>(fs.f_blocks) * fs.f_frsize + (std::uint64_t(1) << 30);
    const Address address { Kind::Posix, "/" + uniqueName(), 0 };
    ObjectCleanup addressCleanup(address);
    Result<Created> created = createMapping(address, CreateOptions { size, 0600, true });
    ASSERT_FALSE(created.ok());
    const Error& error = created.error();
    EXPECT_EQ(error.code, ErrorCode::NoSpace);
    EXPECT_EQ(error.sysError, ENOSPC);
    EXPECT_EQ(error.message(),
              "create " + toString(address) + ": No space left on device (ENOSPC) while reserving "
                  + formatBytes(size));
    EXPECT_NE(::access(("/dev/shm" + address.name).c_str(), F_OK), 0) << "a failed create left the object behind";
}

// In a child process with its own mount namespace, /dev/shm is replaced by a 256 KiB tmpfs, so the
// store really fills up without touching the machine's /dev/shm. Exit codes of the child: 0 all
// as expected, 77 namespace/mount not permitted (skip), others: which check failed.
int fullTmpfsChild(int report)
{
    auto say
        = [report](const std::string& text) { [[maybe_unused]] auto n = ::write(report, text.data(), text.size()); };
    if (::unshare(CLONE_NEWNS) != 0 || ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0
        || ::mount("shmscope-test", "/dev/shm", "tmpfs", 0, "size=256k") != 0) {
        say(std::string("cannot set up a private tmpfs: ") + std::strerror(errno));
        return 77;
    }

    // 1. Create through the core: reserving 1 MiB in 256 KiB fails at create, and nothing is left.
    const Address big { Kind::Posix, "/big", 0 };
    Result<Created> created = createMapping(big, CreateOptions { 1024 * 1024, 0600, true });
    if (created.ok() || created.error().code != ErrorCode::NoSpace) {
        say("create: expected NoSpace, got " + (created ? std::string("success") : created.error().message()));
        return 10;
    }
    if (::access("/dev/shm/big", F_OK) == 0) {
        say("create: the failed object was left behind");
        return 11;
    }

    // 2. An object made by a careless program (ftruncate, no posix_fallocate): writing through the
    // core fills the store, and the write that finds no page gets NoSpace instead of SIGBUS.
    const int fd = ::shm_open("/sparse", O_CREAT | O_EXCL | O_RDWR, 0600);
    if (fd < 0 || ::ftruncate(fd, 1024 * 1024) != 0) {
        say("cannot make the sparse object");
        return 12;
    }
    ::close(fd);
    Result<std::unique_ptr<Mapping>> mapping = attachMapping(Address { Kind::Posix, "/sparse", 0 }, Access::ReadWrite);
    if (!mapping) {
        say("attach: " + mapping.error().message());
        return 13;
    }
    const std::vector<char> chunk(64 * 1024, 'x');
    Status status;
    std::uint64_t offset = 0;
    for (; offset < 1024 * 1024 && status.ok(); offset += chunk.size())
        status = (*mapping)->write(offset, chunk.data(), chunk.size());
    if (status.ok()) {
        say("write: 1 MiB fit in a 256 KiB tmpfs");
        return 14;
    }
    if (status.error().code != ErrorCode::NoSpace) {
        say("write: expected NoSpace, got " + status.error().message());
        return 15;
    }
    // The bytes that did fit are there; the object's size is unchanged.
    char first = 0;
    if (!(*mapping)->read(0, &first, 1).ok() || first != 'x') {
        say("read: the written prefix is not readable");
        return 16;
    }
    // The failed write says exactly how much of it landed: all of those bytes, in order, and nothing
    // after them (the page after them is still a hole).
    const Error& error = status.error();
    const std::uint64_t failedAt = offset - chunk.size();
    if (!error.bytesWritten || *error.bytesWritten >= chunk.size() || (failedAt + *error.bytesWritten) % 4096 != 0) {
        say("write: no plausible bytesWritten in " + error.message());
        return 17;
    }
    const std::uint64_t written = *error.bytesWritten;
    if (error.message().find("No space left on device (ENOSPC) after " + std::to_string(written) + " of 65536 bytes")
        == std::string::npos) {
        say("write: the message does not count the bytes written: " + error.message());
        return 18;
    }
    std::vector<char> landed(written);
    if (written > 0
        && (!(*mapping)->read(failedAt, landed.data(), landed.size()).ok()
            || landed != std::vector<char>(written, 'x'))) {
        say("read: the bytes counted as written are not all there");
        return 19;
    }
    Result<std::vector<Extent>> after = (*mapping)->dataExtents(failedAt + written, 4096, 4);
    if (!after || !after->empty()) {
        say("write: something was written after the bytes counted");
        return 20;
    }
    say(error.message());
    return 0;
}

TEST(Faults, FullTmpfsAtWriteIsNoSpaceNotSigbus)
{
    int pipeFds[2];
    ASSERT_EQ(::pipe(pipeFds), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        ::close(pipeFds[0]);
        ::_exit(fullTmpfsChild(pipeFds[1]));
    }
    ::close(pipeFds[1]);
    // Bounded wait: 60 s at most, then the child is killed.
    int status = 0;
    pid_t done = 0;
    for (int i = 0; i < 6000 && done == 0; ++i) {
        done = ::waitpid(child, &status, WNOHANG);
        if (done == 0)
            ::usleep(10000);
    }
    if (done == 0) {
        ::kill(child, SIGKILL);
        ::waitpid(child, &status, 0);
    }
    std::string report;
    char buffer[512];
    ssize_t n;
    while ((n = ::read(pipeFds[0], buffer, sizeof buffer)) > 0)
        report.append(buffer, static_cast<std::size_t>(n));
    ::close(pipeFds[0]);

    ASSERT_NE(done, 0) << "the child did not finish within 60 s";
    ASSERT_FALSE(WIFSIGNALED(status)) << "the child died of signal " << WTERMSIG(status) << " (" << report << ")";
    ASSERT_TRUE(WIFEXITED(status));
    if (WEXITSTATUS(status) == 77)
        GTEST_SKIP() << report;
    EXPECT_EQ(WEXITSTATUS(status), 0) << report;
    EXPECT_NE(report.find("backing store is full"), std::string::npos) << report;
}

} // namespace
