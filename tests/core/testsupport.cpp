#include "tests/core/testsupport.h"

#include "core/mapping.h"

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#ifdef _WIN32
#include <windows.h>
#else
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <sys/ipc.h>
#include <sys/mount.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;
#endif

namespace shmscope::test {

namespace {

std::atomic<int> counter { 0 };

struct TempDirectory {
    std::string path;
#ifdef _WIN32
    TempDirectory()
    {
        char base[MAX_PATH + 1];
        const DWORD length = ::GetTempPathA(sizeof base, base);
        if (length == 0 || length > MAX_PATH)
            return;
        for (int attempt = 0; attempt < 100 && path.empty(); ++attempt) {
            const std::string candidate
                = std::string(base) + "shmscope-test-" + std::to_string(currentPid()) + "-" + std::to_string(attempt);
            if (::CreateDirectoryA(candidate.c_str(), nullptr))
                path = candidate;
        }
    }
#else
    TempDirectory()
    {
        const char* base = std::getenv("TMPDIR");
        std::string pattern = std::string(base && *base ? base : "/tmp") + "/shmscope-test-XXXXXX";
        if (::mkdtemp(pattern.data()))
            path = pattern;
    }
#endif
    ~TempDirectory()
    {
        std::error_code ignored;
        if (!path.empty())
            std::filesystem::remove_all(path, ignored);
    }
};

} // namespace

int currentPid()
{
#ifdef _WIN32
    return static_cast<int>(::GetCurrentProcessId());
#else
    return static_cast<int>(::getpid());
#endif
}

std::string uniqueName()
{
    return kTestPrefix + std::to_string(currentPid()) + "-" + std::to_string(++counter);
}

#ifndef _WIN32
std::uint32_t unusedSysVKey()
{
    // The suite's keys: high byte 0x53 ('S'; tests/check-leftovers.sh looks for it), the low 24 bits
    // from the pid and a counter, moving on past keys in use.
    for (;;) {
        const std::uint32_t low
            = ((static_cast<std::uint32_t>(::getpid()) << 10) ^ static_cast<std::uint32_t>(++counter)) & 0xffffffu;
        const std::uint32_t key = kSysVTestKeyBase | low;
        if (::shmget(static_cast<key_t>(key), 0, 0) < 0 && errno == ENOENT)
            return key;
    }
}

#endif

const std::string& tempDirectory()
{
    static TempDirectory directory;
    return directory.path;
}

#ifdef _WIN32

namespace {

// A command line as CommandLineToArgvW / the C runtime parse it back.
std::wstring quoteArgument(const std::string& arg)
{
    std::wstring wide;
    if (!arg.empty()) {
        const int length = ::MultiByteToWideChar(CP_UTF8, 0, arg.data(), static_cast<int>(arg.size()), nullptr, 0);
        wide.resize(static_cast<std::size_t>(length));
        ::MultiByteToWideChar(CP_UTF8, 0, arg.data(), static_cast<int>(arg.size()), wide.data(), length);
    }
    if (!wide.empty() && wide.find_first_of(L" \t\n\v\"") == std::wstring::npos)
        return wide;
    std::wstring quoted = L"\"";
    std::size_t backslashes = 0;
    for (wchar_t c : wide) {
        if (c == L'\\') {
            ++backslashes;
            continue;
        }
        if (c == L'"')
            quoted.append(backslashes * 2 + 1, L'\\');
        else
            quoted.append(backslashes, L'\\');
        backslashes = 0;
        quoted += c;
    }
    quoted.append(backslashes * 2, L'\\');
    quoted += L'"';
    return quoted;
}

} // namespace

PeerProcess::PeerProcess(const std::vector<std::string>& args)
    : PeerProcess(SHMSCOPE_TESTPEER, args)
{ }

PeerProcess::PeerProcess(const std::string& path, const std::vector<std::string>& args)
{
    SECURITY_ATTRIBUTES inherit = { sizeof(SECURITY_ATTRIBUTES), nullptr, TRUE };
    HANDLE outRead = nullptr, outWrite = nullptr, errRead = nullptr, errWrite = nullptr;
    if (!::CreatePipe(&outRead, &outWrite, &inherit, 0))
        return;
    if (!::CreatePipe(&errRead, &errWrite, &inherit, 0)) {
        ::CloseHandle(outRead);
        ::CloseHandle(outWrite);
        return;
    }
    // Only the write ends are inherited.
    ::SetHandleInformation(outRead, HANDLE_FLAG_INHERIT, 0);
    ::SetHandleInformation(errRead, HANDLE_FLAG_INHERIT, 0);
    // Under Wine CMake hands us the helper's Unix path: drive Z: is the Unix root.
    std::string program = path;
    if (!program.empty() && program.front() == '/')
        program = "Z:" + program;
    std::wstring commandLine = quoteArgument(program);
    for (const std::string& arg : args)
        commandLine += L" " + quoteArgument(arg);
    STARTUPINFOW startup = {};
    startup.cb = sizeof startup;
    startup.dwFlags = STARTF_USESTDHANDLES;
    startup.hStdInput = nullptr;
    startup.hStdOutput = outWrite;
    startup.hStdError = errWrite;
    PROCESS_INFORMATION process = {};
    if (::CreateProcessW(nullptr, commandLine.data(), nullptr, nullptr, TRUE, 0, nullptr, nullptr, &startup,
                         &process)) {
        ::CloseHandle(process.hThread);
        m_process = process.hProcess;
        m_pid = static_cast<pid_t>(process.dwProcessId);
    }
    ::CloseHandle(outWrite);
    ::CloseHandle(errWrite);
    m_outPipe = outRead;
    m_errPipe = errRead;
}

PeerProcess::~PeerProcess()
{
    kill();
    for (void* handle : { m_outPipe, m_errPipe, m_process }) {
        if (handle)
            ::CloseHandle(handle);
    }
}

void PeerProcess::drain(int timeoutMs)
{
    // Anonymous pipes cannot be waited on: poll them with PeekNamedPipe.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    for (;;) {
        bool progress = false;
        for (int i = 0; i < 2; ++i) {
            void*& pipe = i == 0 ? m_outPipe : m_errPipe;
            if (!pipe)
                continue;
            DWORD available = 0;
            if (!::PeekNamedPipe(pipe, nullptr, 0, nullptr, &available, nullptr)) {
                ::CloseHandle(pipe); // broken pipe: the peer exited and everything was read
                pipe = nullptr;
                progress = true;
                continue;
            }
            if (available == 0)
                continue;
            char buffer[4096];
            DWORD got = 0;
            if (::ReadFile(pipe, buffer, available < sizeof buffer ? available : sizeof buffer, &got, nullptr)
                && got > 0) {
                std::string& target = i == 0 ? m_outBuffer : m_errBuffer;
                for (DWORD k = 0; k < got; ++k) {
                    if (buffer[k] != '\r')
                        target += buffer[k];
                }
                progress = true;
            }
        }
        if (progress || std::chrono::steady_clock::now() >= deadline)
            return;
        ::Sleep(2);
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
        if (now >= deadline || !m_outPipe)
            return std::nullopt;
        drain(static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count()) + 1);
    }
}

PeerResult PeerProcess::wait(std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (m_process && !m_status) {
        if (::WaitForSingleObject(m_process, 0) == WAIT_OBJECT_0) {
            DWORD code = 0;
            ::GetExitCodeProcess(m_process, &code);
            m_status = static_cast<int>(code);
            break;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            kill();
            m_status = -1;
            break;
        }
        drain(10);
    }
    const auto drainDeadline = std::chrono::steady_clock::now() + 2s;
    while ((m_outPipe || m_errPipe) && std::chrono::steady_clock::now() < drainDeadline)
        drain(50);
    PeerResult result;
    if (m_status)
        result.exitCode = *m_status;
    result.out = m_outBuffer;
    result.err = m_errBuffer;
    return result;
}

void PeerProcess::kill()
{
    if (m_process && !m_status) {
        ::TerminateProcess(m_process, 137);
        ::WaitForSingleObject(m_process, 10000);
        m_status = -1;
    }
}

#else

PeerProcess::PeerProcess(const std::vector<std::string>& args)
    : PeerProcess(SHMSCOPE_TESTPEER, args)
{ }

PeerProcess::PeerProcess(const std::string& program, const std::vector<std::string>& args)
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
    std::vector<std::string> all { program };
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& arg : all)
        argv.push_back(arg.data());
    argv.push_back(nullptr);
    pid_t pid = -1;
    if (::posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ) == 0)
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

#endif

PeerResult runPeer(const std::vector<std::string>& args, std::chrono::milliseconds timeout)
{
    PeerProcess peer(args);
    if (!peer.started())
        return {};
    return peer.wait(timeout);
}

#ifndef _WIN32
std::optional<TestUser> secondUser(std::string& whyNot)
{
    if (::geteuid() != 0) {
        whyNot = "needs root (to create a second user and run a child process as that user)";
        return std::nullopt;
    }
    static const char* const name = kTestUserName;
    auto lookUp = [] {
        std::optional<TestUser> user;
        if (const passwd* entry = ::getpwnam(name))
            user = TestUser { entry->pw_uid, entry->pw_gid, name };
        return user;
    };
    if (std::optional<TestUser> user = lookUp())
        return user;
    // Tests running in parallel may race to create it: whoever loses finds it afterwards ("already
    // exists", 9), and one that finds /etc/passwd locked by another useradd (10) tries again.
    const std::string command
        = std::string("useradd --system --no-create-home --shell /usr/sbin/nologin ") + name + " >/dev/null 2>&1";
    int status = 0;
    for (int attempt = 0; attempt < 50; ++attempt) {
        status = std::system(command.c_str());
        if (std::optional<TestUser> user = lookUp())
            return user;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 10)
            break;
        ::usleep(100 * 1000);
    }
    whyNot = "useradd " + std::string(name) + " failed (status " + std::to_string(status) + ")";
    return std::nullopt;
}

std::optional<std::string> mountSmallTmpfs(const std::string& mountPoint, std::uint64_t storeBytes,
                                           const std::string& fileName, std::uint64_t fileBytes, std::string& whyNot)
{
    if (::geteuid() != 0) {
        whyNot = "needs root (CAP_SYS_ADMIN) to mount a small tmpfs of its own";
        return std::nullopt;
    }
    if (::mkdir(mountPoint.c_str(), 0700) != 0 && errno != EEXIST) {
        whyNot = "cannot make " + mountPoint + ": " + std::strerror(errno);
        return std::nullopt;
    }
    const std::string options = "size=" + std::to_string(storeBytes) + ",mode=0700";
    if (::mount("shmscope-test", mountPoint.c_str(), "tmpfs", 0, options.c_str()) != 0) {
        whyNot = std::string("cannot mount a tmpfs: ") + std::strerror(errno);
        return std::nullopt;
    }
    const std::string path = mountPoint + "/" + fileName;
    const int fd = ::open(path.c_str(), O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600);
    const bool sized = fd >= 0 && ::ftruncate(fd, static_cast<off_t>(fileBytes)) == 0;
    const int err = errno;
    if (fd >= 0)
        ::close(fd);
    if (!sized) {
        unmountSmallTmpfs(mountPoint);
        whyNot = "cannot make " + path + ": " + std::strerror(err);
        return std::nullopt;
    }
    return path;
}

void unmountSmallTmpfs(const std::string& mountPoint)
{
    ::umount2(mountPoint.c_str(), MNT_DETACH);
}

int runAs(const TestUser& user, const std::function<int()>& body)
{
    const pid_t child = ::fork();
    if (child < 0)
        return -1;
    if (child == 0) {
        if (::setgroups(0, nullptr) != 0 || ::setgid(user.gid) != 0 || ::setuid(user.uid) != 0)
            ::_exit(125);
        ::_exit(body() & 0xff);
    }
    int status = 0;
    while (::waitpid(child, &status, 0) < 0) {
        if (errno != EINTR)
            return -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
#endif

void removeQuietly(const Address& address)
{
    (void)removeObject(address);
}

} // namespace shmscope::test
