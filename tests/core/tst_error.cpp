// Error values: the one-line message format, errno names and codes, and byte formatting.

#include "core/error.h"

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <iterator>
#include <map>
#include <regex>
#include <set>
#include <string>

using namespace shmscope;

namespace {

TEST(Error, MessageWithErrnoAndDetail)
{
    const Error error = errorFromErrno("create", "posix:/demo", ENOSPC, "while reserving 8 GiB");
    EXPECT_EQ(error.code, ErrorCode::NoSpace);
    EXPECT_EQ(error.message(), "create posix:/demo: No space left on device (ENOSPC) while reserving 8 GiB");
}

TEST(Error, MessageWithErrnoOnly)
{
    const Error error = errorFromErrno("attach", "posix:/gone", ENOENT);
    EXPECT_EQ(error.code, ErrorCode::NotFound);
    EXPECT_EQ(error.message(), "attach posix:/gone: No such file or directory (ENOENT)");
}

TEST(Error, MessageOfOwnCheckHasNoErrnoPart)
{
    Error error;
    error.code = ErrorCode::OutOfRange;
    error.operation = "write";
    error.object = "posix:/demo";
    error.detail = "offset 65530 + length 16 is past the end (64 KiB)";
    EXPECT_EQ(error.message(), "write posix:/demo: offset 65530 + length 16 is past the end (64 KiB)");
}

TEST(Error, MessageWithoutObjectOrDetail)
{
    Error error;
    error.code = ErrorCode::Timeout;
    error.operation = "lock";
    EXPECT_EQ(error.message(), "lock: timed out");
}

// Issue 9, item 20: messages said "describe posix:/x" for `info`; internal verbs read as user words,
// while Error::operation keeps the internal one for callers that branch on it.
TEST(Error, MessageUsesUserWords)
{
    const Error described = errorFromErrno("describe", "posix:/gone", ENOENT);
    EXPECT_EQ(described.operation, "describe");
    EXPECT_EQ(described.message(), "info posix:/gone: No such file or directory (ENOENT)");
    Error error;
    error.code = ErrorCode::ReadOnly;
    error.object = "posix:/demo";
    for (const char* internal : { "exchange", "compare-exchange" }) {
        error.operation = internal;
        EXPECT_EQ(error.message(), "write posix:/demo: the view is read-only");
    }
    for (const char* internal : { "hash", "data extents" }) {
        error.operation = internal;
        EXPECT_EQ(error.message().rfind("read posix:/demo: ", 0), 0u) << error.message();
    }
    error.operation = "size";
    EXPECT_EQ(error.message().rfind("check the size of posix:/demo: ", 0), 0u) << error.message();
    error.operation = "remap";
    EXPECT_EQ(error.message().rfind("map the new size of posix:/demo: ", 0), 0u) << error.message();
    // User words stay as they are.
    for (const char* verb : { "create", "attach", "read", "write", "lock", "remove", "list", "flush", "parse" })
        EXPECT_EQ(operationText(verb), verb);
}

// Every operation name the code puts into an Error, found in the sources (core/ and app/) rather than
// copied here, so that a verb added later cannot slip past: the first argument of each function whose
// first parameter is `operation` (found from the definitions themselves), of ownError(ErrorCode::…,
// "…"), and `.operation = "…"`. Each is shown in user words: operationText() maps it, or it is a word
// the user knows as it is (a CLI command or a GUI action).
TEST(Error, EveryOperationInUseReadsAsUserWords)
{
    const std::filesystem::path root(SHMSCOPE_SOURCE_DIR);
    std::error_code missing;
    if (!std::filesystem::is_directory(root / "core", missing))
        GTEST_SKIP() << "the sources are not at " << root.string();
    std::map<std::string, std::string> files; // path → text
    for (const char* folder : { "core", "app" }) {
        for (const auto& entry : std::filesystem::recursive_directory_iterator(root / folder)) {
            const std::string extension = entry.path().extension().string();
            if (!entry.is_regular_file() || (extension != ".cpp" && extension != ".h"))
                continue;
            std::ifstream in(entry.path(), std::ios::binary);
            files[entry.path().lexically_relative(root).generic_string()]
                = std::string(std::istreambuf_iterator<char>(in), {});
        }
    }
    ASSERT_GT(files.size(), 20u);

    // The functions that take the operation first (e.g. errorFromErrno, invalidArgument, checkRange,
    // notRegularFile, errorFromWin32), and those that take a code first and then the operation.
    const std::regex operationFirst(
        R"(\b([A-Za-z_]\w*)\((?:const char\* |std::string |std::string_view |const std::string& )operation\b)");
    const std::regex operationSecond(
        R"(\b([A-Za-z_]\w*)\(ErrorCode code, (?:const char\* |std::string |const std::string& )operation\b)");
    std::set<std::string> takesOperation;
    std::set<std::string> takesCodeThenOperation;
    for (const auto& [path, text] : files) {
        for (std::sregex_iterator it(text.begin(), text.end(), operationFirst), end; it != end; ++it)
            takesOperation.insert((*it)[1]);
        for (std::sregex_iterator it(text.begin(), text.end(), operationSecond), end; it != end; ++it)
            takesCodeThenOperation.insert((*it)[1]);
    }
    ASSERT_TRUE(takesOperation.count("errorFromErrno"));
    ASSERT_TRUE(takesCodeThenOperation.count("ownError"));

    // One pass per file: every call with a string literal first (or after an ErrorCode), and every
    // `.operation = "…"`; kept when the function is one of those above.
    std::map<std::string, std::string> inUse; // operation → where it was first seen
    const std::regex call(R"re(\b([A-Za-z_]\w*)\(\s*(ErrorCode::\w+,\s*)?"([^"]*)")re");
    const std::regex assignment(R"re(\.operation = "([^"]*)")re");
    for (const auto& [path, text] : files) {
        for (std::sregex_iterator it(text.begin(), text.end(), call), end; it != end; ++it) {
            const std::set<std::string>& functions = (*it)[2].matched ? takesCodeThenOperation : takesOperation;
            if (functions.count((*it)[1]))
                inUse.emplace((*it)[3], path);
        }
        for (std::sregex_iterator it(text.begin(), text.end(), assignment), end; it != end; ++it)
            inUse.emplace((*it)[1], path);
    }
    // The verbs added since item 20 was fixed are among them (the search finds what it must).
    for (const char* known : { "describe", "smaps", "cache state", "pages", "reset written pages", "open snapshot" })
        EXPECT_TRUE(inUse.count(known)) << known << " was not found in the sources";

    // Words users know as they are: the CLI's commands and the GUI's actions.
    const std::set<std::string> userWords { "create", "attach", "read",  "write",    "remove", "list",   "info",
                                            "lock",   "flush",  "parse", "import",   "export", "scan",   "pages",
                                            "usage",  "watch",  "diff",  "snapshot", "clean",  "holders" };
    for (const auto& [operation, path] : inUse) {
        const std::string_view words = operationText(operation);
        EXPECT_TRUE(words != operation || userWords.count(operation))
            << "\"" << operation << "\" (" << path
            << ") is shown as it is: map it to user words in operationText() (core/error.cpp)";
        EXPECT_FALSE(words.empty()) << operation;
    }
    // The mappings read as user words in a message.
    Error error;
    error.code = ErrorCode::PermissionDenied;
    error.object = "pid 1234";
    error.operation = "smaps";
    EXPECT_EQ(error.message(), "inspect the mappings of pid 1234: permission denied");
    error.operation = "reset written pages";
    EXPECT_EQ(error.message().rfind("reset the written-page marks of pid 1234: ", 0), 0u) << error.message();
    error.object = "file:/tmp/x";
    error.operation = "cache state";
    EXPECT_EQ(error.message().rfind("check the page cache of file:/tmp/x: ", 0), 0u) << error.message();
    error.object = "/tmp/a.snapshot";
    error.operation = "open snapshot";
    EXPECT_EQ(error.message().rfind("open the snapshot /tmp/a.snapshot: ", 0), 0u) << error.message();
}

TEST(Error, MessageIsOneLine)
{
    const Error error = errorFromErrno("read", "file:/tmp/x", EIO, "at offset 4096");
    EXPECT_EQ(error.message().find('\n'), std::string::npos);
}

TEST(Error, CodesFromErrno)
{
    EXPECT_EQ(errorFromErrno("x", "y", ENOENT).code, ErrorCode::NotFound);
    EXPECT_EQ(errorFromErrno("x", "y", EACCES).code, ErrorCode::PermissionDenied);
    EXPECT_EQ(errorFromErrno("x", "y", EPERM).code, ErrorCode::PermissionDenied);
    EXPECT_EQ(errorFromErrno("x", "y", EEXIST).code, ErrorCode::AlreadyExists);
    EXPECT_EQ(errorFromErrno("x", "y", ENOSPC).code, ErrorCode::NoSpace);
    EXPECT_EQ(errorFromErrno("x", "y", ENOMEM).code, ErrorCode::NoSpace);
    EXPECT_EQ(errorFromErrno("x", "y", EINVAL).code, ErrorCode::InvalidArgument);
    EXPECT_EQ(errorFromErrno("x", "y", ENAMETOOLONG).code, ErrorCode::InvalidArgument);
    EXPECT_EQ(errorFromErrno("x", "y", ETIMEDOUT).code, ErrorCode::Timeout);
    EXPECT_EQ(errorFromErrno("x", "y", EIDRM).code, ErrorCode::Vanished);
    EXPECT_EQ(errorFromErrno("x", "y", ENOSYS).code, ErrorCode::Unsupported);
    EXPECT_EQ(errorFromErrno("x", "y", EIO).code, ErrorCode::System);
    const Error error = errorFromErrno("op", "obj", EBUSY, "d");
    EXPECT_EQ(error.sysError, EBUSY);
    EXPECT_EQ(error.operation, "op");
    EXPECT_EQ(error.object, "obj");
    EXPECT_EQ(error.detail, "d");
}

TEST(Error, ErrnoNames)
{
    EXPECT_EQ(errnoName(ENOSPC), "ENOSPC");
    EXPECT_EQ(errnoName(ENOENT), "ENOENT");
    EXPECT_EQ(errnoName(EACCES), "EACCES");
    EXPECT_EQ(errnoName(EFAULT), "EFAULT");
    EXPECT_EQ(errnoName(EIDRM), "EIDRM");
    EXPECT_EQ(errnoName(987654), "errno 987654");
}

TEST(Error, FormatBytes)
{
    EXPECT_EQ(formatBytes(0), "0 bytes");
    EXPECT_EQ(formatBytes(1), "1 byte");
    EXPECT_EQ(formatBytes(100), "100 bytes");
    EXPECT_EQ(formatBytes(1023), "1023 bytes");
    EXPECT_EQ(formatBytes(1024), "1 KiB");
    EXPECT_EQ(formatBytes(64 * 1024), "64 KiB");
    EXPECT_EQ(formatBytes(1536 * 1024), "1.5 MiB");
    EXPECT_EQ(formatBytes(8ull << 30), "8 GiB");
    EXPECT_EQ(formatBytes(1ull << 40), "1 TiB");
    EXPECT_EQ(formatBytes(1ull << 60), "1 EiB");
    EXPECT_EQ(formatBytes(1025), "1 KiB"); // one decimal at most, "1.0" printed as "1"
    EXPECT_EQ(formatBytes(0xffffffffffffffffull), "16 EiB");
}

TEST(Error, CodesFromWin32)
{
    // winerror.h numbers; the mapping is platform-independent.
    EXPECT_EQ(errorFromWin32("attach", "win:Local\\x", 2).code, ErrorCode::NotFound); // ERROR_FILE_NOT_FOUND
    EXPECT_EQ(errorFromWin32("attach", "win:Local\\x", 5).code, ErrorCode::PermissionDenied); // ERROR_ACCESS_DENIED
    EXPECT_EQ(errorFromWin32("create", "win:Local\\x", 183).code, ErrorCode::AlreadyExists); // ERROR_ALREADY_EXISTS
    EXPECT_EQ(errorFromWin32("create", "win:Local\\x", 1455).code, ErrorCode::NoSpace); // ERROR_COMMITMENT_LIMIT
    EXPECT_EQ(errorFromWin32("create", "win:Local\\x", 87).code, ErrorCode::InvalidArgument);
    EXPECT_EQ(errorFromWin32("lock", "win:Local\\x", 258).code, ErrorCode::Timeout); // WAIT_TIMEOUT
    EXPECT_EQ(errorFromWin32("x", "y", 1117).code, ErrorCode::System); // ERROR_IO_DEVICE
    EXPECT_EQ(errorFromWin32("x", "y", 2).sysErrorDomain, SysErrorDomain::Win32);
    EXPECT_EQ(errorFromErrno("x", "y", ENOENT).sysErrorDomain, SysErrorDomain::Errno);
}

TEST(Error, Win32MessageNamesOperationObjectNumberAndText)
{
    const Error error = errorFromWin32("attach", "win:Local\\demo", 2, "while opening");
    const std::string message = error.message();
    EXPECT_EQ(message.rfind("attach win:Local\\demo: ", 0), 0u) << message;
    EXPECT_NE(message.find("Win32 error 2"), std::string::npos) << message;
    EXPECT_EQ(message.substr(message.size() - 14), " while opening") << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    EXPECT_EQ(message.find('\r'), std::string::npos) << message;
#ifdef _WIN32
    // FormatMessage's text comes first: "The system cannot find the file specified (Win32 error 2)".
    EXPECT_EQ(win32ErrorText(2).find("Win32 error 2"), win32ErrorText(2).size() - 14) << win32ErrorText(2);
    EXPECT_GT(win32ErrorText(2).size(), std::string("Win32 error 2").size() + 3) << win32ErrorText(2);
#else
    EXPECT_EQ(win32ErrorText(2), "Win32 error 2");
#endif
}

TEST(Error, ResultHoldsValueOrError)
{
    Result<int> value(42);
    ASSERT_TRUE(value.ok());
    EXPECT_EQ(*value, 42);
    Result<int> failed(errorFromErrno("x", "y", ENOENT));
    ASSERT_FALSE(failed.ok());
    EXPECT_EQ(failed.error().code, ErrorCode::NotFound);
    Status ok;
    EXPECT_TRUE(ok.ok());
    Status bad(errorFromErrno("x", "y", EIO));
    EXPECT_FALSE(bad);
}

} // namespace
