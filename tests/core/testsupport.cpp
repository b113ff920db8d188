#include "tests/core/testsupport.h"

#include "core/mapping.h"

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace shmscope::test {

namespace {

std::atomic<int> counter { 0 };

struct TempDirectory {
    std::string path;
    TempDirectory()
    {
        const char* base = std::getenv("TMPDIR");
        std::string pattern = std::string(base && *base ? base : "/tmp") + "/shmscope-test-XXXXXX";
        if (::mkdtemp(pattern.data()))
            path = pattern;
    }
    ~TempDirectory()
    {
        std::error_code ignored;
        if (!path.empty())
            std::filesystem::remove_all(path, ignored);
    }
};

} // namespace

std::string uniqueName()
{
    return "shmscope-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
}

std::uint32_t unusedSysVKey()
{
    for (;;) {
        // 0x5353 ("SS") in the high bits keeps the keys recognisable in ipcs.
        const std::uint32_t key
            = 0x53530000u ^ (static_cast<std::uint32_t>(::getpid()) << 8) ^ static_cast<std::uint32_t>(++counter);
        if (key != 0 && ::shmget(static_cast<key_t>(key), 0, 0) < 0 && errno == ENOENT)
            return key;
    }
}

const std::string& tempDirectory()
{
    static TempDirectory directory;
    return directory.path;
}

PeerProcess::PeerProcess(const std::vector<std::string>& args)
{
    int out[2];
    int err[2];
    if (::pipe2(out, O_CLOEXEC) != 0)
        return;
    if (::pipe2(err, O_CLOEXEC) != 0) {
        ::close(out[0]);
        ::close(out[1]);
        return;
    }
    posix_spawn_file_actions_t actions;
    ::posix_spawn_file_actions_init(&actions);
    ::posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    ::posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);
    std::vector<std::string> all { SHMSCOPE_TESTPEER };
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& arg : all)
        argv.push_back(arg.data());
    argv.push_back(nullptr);
    pid_t pid = -1;
    if (::posix_spawn(&pid, SHMSCOPE_TESTPEER, &actions, nullptr, argv.data(), environ) == 0)
        m_pid = pid;
    ::posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    ::close(err[1]);
    m_out = out[0];
    m_err = err[0];
}

PeerProcess::~PeerProcess()
{
    kill();
    if (m_out >= 0)
        ::close(m_out);
    if (m_err >= 0)
        ::close(m_err);
}

void PeerProcess::drain(int timeoutMs)
{
    pollfd fds[2] = { { m_out, POLLIN, 0 }, { m_err, POLLIN, 0 } };
    if (::poll(fds, 2, timeoutMs) <= 0)
        return;
    char buffer[4096];
    for (int i = 0; i < 2; ++i) {
        if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP)))
            continue;
        const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
        if (n > 0)
            (i == 0 ? m_outBuffer : m_errBuffer).append(buffer, static_cast<std::size_t>(n));
        else if (n == 0) {
            ::close(fds[i].fd);
            (i == 0 ? m_out : m_err) = -1;
        }
    }
}

std::optional<std::string> PeerProcess::readLine(std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const std::size_t newline = m_outBuffer.find('\n');
        if (newline != std::string::npos) {
            std::string line = m_outBuffer.substr(0, newline);
            m_outBuffer.erase(0, newline + 1);
            return line;
        }
        const auto now = std::chrono::steady_clock::now();
        if (now >= deadline || (m_out < 0 && m_err < 0))
            return std::nullopt;
        if (m_out < 0)
            return std::nullopt; // stdout closed: no more lines
        drain(static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count()) + 1);
    }
}

PeerResult PeerProcess::wait(std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (m_pid > 0 && !m_status) {
        int status = 0;
        if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
            m_status = status;
            break;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            kill();
            break;
        }
        drain(10);
    }
    // Collect what is left in the pipes (the helper has exited, so they reach EOF).
    const auto drainDeadline = std::chrono::steady_clock::now() + 2s;
    while ((m_out >= 0 || m_err >= 0) && std::chrono::steady_clock::now() < drainDeadline)
        drain(100);
    PeerResult result;
    if (m_status && WIFEXITED(*m_status))
        result.exitCode = WEXITSTATUS(*m_status);
    result.out = m_outBuffer;
    result.err = m_errBuffer;
    return result;
}

void PeerProcess::kill()
{
    if (m_pid > 0 && !m_status) {
        ::kill(m_pid, SIGKILL);
        int status = 0;
        while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) { }
        m_status = status;
    }
}

PeerResult runPeer(const std::vector<std::string>& args, std::chrono::milliseconds timeout)
{
    PeerProcess peer(args);
    if (!peer.started())
        return {};
    return peer.wait(timeout);
}

void removeQuietly(const Address& address)
{
    (void)removeObject(address);
}

} // namespace shmscope::test
