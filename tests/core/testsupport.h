#pragma once

// Support for the core tests: unique object names, a temporary directory, and the helper process
// tests/helpers/shmscope-testpeer started as a real second process.

#include "core/address.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace shmscope::test {

using namespace std::chrono_literals;

/// The prefix of every object and file the tests make ("shmscope-test-"): tests/check-leftovers.sh,
/// the suite's last test, fails when objects named "shmscope-test-<pid>-…" outlive their test.
inline constexpr char kTestPrefix[] = "shmscope-test-";

/// "shmscope-test-<pid>-<n>" with a per-process counter: unique among concurrently running tests.
std::string uniqueName();

#ifndef _WIN32
/// The high byte of every System V key the tests use (0x53xxxxxx), which tests/check-leftovers.sh
/// looks for.
inline constexpr std::uint32_t kSysVTestKeyBase = 0x53000000u;

/// A System V key in the suite's range (kSysVTestKeyBase) that no segment uses right now, derived
/// from the pid and a counter.
std::uint32_t unusedSysVKey();
#endif

/// This process's id (getpid, GetCurrentProcessId).
int currentPid();

/// A directory under $TMPDIR (or /tmp; on Windows GetTempPath) made once per process, removed with
/// its files at exit.
const std::string& tempDirectory();

/// The result of a helper process that ran to completion.
struct PeerResult {
    int exitCode = -1; ///< the exit status, or -1 when it was killed or did not finish in time
    std::string out; ///< everything it wrote to stdout
    std::string err; ///< everything it wrote to stderr
};

/// One running shmscope-testpeer (path from the SHMSCOPE_TESTPEER compile definition). Killed
/// (SIGKILL; TerminateProcess on Windows) and reaped when destroyed, so a failing test never leaves
/// it behind. On Windows '\r' is dropped from its output (the C runtime writes CRLF).
class PeerProcess
{
public:
    /// Starts the helper with `args` (after the program name). Check started() before use.
    explicit PeerProcess(const std::vector<std::string>& args);
    /// Starts another helper program (a path) with `args`.
    PeerProcess(const std::string& program, const std::vector<std::string>& args);
    ~PeerProcess();
    PeerProcess(const PeerProcess&) = delete;
    PeerProcess& operator=(const PeerProcess&) = delete;

    bool started() const { return m_pid > 0; }
    pid_t pid() const { return m_pid; }

    /// The next line on its stdout without the '\n', waiting at most `timeout`; nullopt on timeout or
    /// when it exited without printing one.
    std::optional<std::string> readLine(std::chrono::milliseconds timeout = 10s);

    /// Waits at most `timeout` for it to exit and collects its output; kills it when it overstays.
    PeerResult wait(std::chrono::milliseconds timeout = 10s);

    /// SIGKILL (TerminateProcess) and reap (idempotent).
    void kill();

private:
    void drain(int timeoutMs);
    pid_t m_pid = -1;
#ifdef _WIN32
    void* m_process = nullptr; ///< HANDLE of the process
    void* m_outPipe = nullptr; ///< HANDLE, read end of its stdout
    void* m_errPipe = nullptr; ///< HANDLE, read end of its stderr
#else
    int m_out = -1;
    int m_err = -1;
#endif
    std::string m_outBuffer;
    std::string m_errBuffer;
    std::optional<int> m_status;
};

/// Runs the helper to completion (at most `timeout`).
PeerResult runPeer(const std::vector<std::string>& args, std::chrono::milliseconds timeout = 10s);

#ifndef _WIN32
/// The name of the second user of secondUser().
inline constexpr char kTestUserName[] = "shmscope-test-user";

/// A second local user for tests about what other users can do.
struct TestUser {
    uid_t uid = 0;
    gid_t gid = 0;
    std::string name;
};

/// The suite's one second user, "shmscope-test-user" (kTestUserName; created with useradd --system, no
/// home, no login shell, when absent; left in place for later runs). Every test that needs another user
/// takes it from here — the GoogleTest suites and the Qt Test ones (tst_cli, tst_cliinventory,
/// tst_clipages link this library). Only when this process runs as root (it must both create the user
/// and switch to it); otherwise, or when useradd fails, nullopt and `whyNot` says why (for GTEST_SKIP
/// or QSKIP).
std::optional<TestUser> secondUser(std::string& whyNot);

/// A full backing store for tests of writes cut short (ENOSPC): mounts a tmpfs of `storeBytes` (mode
/// 0700) on `mountPoint`, a new folder in a temporary directory the test made (never /dev/shm, which
/// other processes use), and makes a sparse file `fileName` of `fileBytes` in it (larger than the store:
/// its pages are given out until the store is full). Returns the file's path; the caller unmounts with
/// unmountSmallTmpfs() (also when it fails). Needs root (CAP_SYS_ADMIN); otherwise, or when mount fails,
/// nullopt and `whyNot` says why (for a skip).
std::optional<std::string> mountSmallTmpfs(const std::string& mountPoint, std::uint64_t storeBytes,
                                           const std::string& fileName, std::uint64_t fileBytes, std::string& whyNot);

/// Undoes mountSmallTmpfs() (a lazy unmount: MNT_DETACH); nothing when nothing is mounted there.
void unmountSmallTmpfs(const std::string& mountPoint);

/// Runs `body` in a forked child that first becomes `user` (setgroups, setgid, setuid) and returns
/// the child's exit status: what `body` returned (0..255), 125 when switching the user failed, -1 when
/// it was killed. The caller must be root. `body` must not use GoogleTest assertions (report through
/// the exit status).
int runAs(const TestUser& user, const std::function<int()>& body);
#endif

/// Removes an object the test may have left behind (errors ignored).
void removeQuietly(const Address& address);

/// Removes `address` when the scope ends, also when an assertion returned early.
class ObjectCleanup
{
public:
    explicit ObjectCleanup(Address address)
        : m_address(std::move(address))
    { }
    ~ObjectCleanup() { removeQuietly(m_address); }
    ObjectCleanup(const ObjectCleanup&) = delete;
    ObjectCleanup& operator=(const ObjectCleanup&) = delete;

private:
    Address m_address;
};

/// Runs `cleanup` when the scope ends, also when an assertion returned early: for what a test made
/// by hand (a semaphore, a folder, a private System V segment).
class AtScopeExit
{
public:
    explicit AtScopeExit(std::function<void()> cleanup)
        : m_cleanup(std::move(cleanup))
    { }
    ~AtScopeExit()
    {
        if (m_cleanup)
            m_cleanup();
    }
    AtScopeExit(const AtScopeExit&) = delete;
    AtScopeExit& operator=(const AtScopeExit&) = delete;

private:
    std::function<void()> m_cleanup;
};

} // namespace shmscope::test
