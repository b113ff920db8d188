// Address syntax: every kind parses and prints back to itself, and every invalid input is refused
// with a parse error that names the input.

#include "core/address.h"

#include <gtest/gtest.h>
#include <string>
#include <string_view>
#include <vector>

using namespace shmscope;

namespace {

Address parsed(std::string_view text)
{
    Result<Address> result = parseAddress(text);
    EXPECT_TRUE(result.ok()) << text << ": " << (result ? "" : result.error().message());
    return result ? *result : Address {};
}

TEST(Address, PosixForms)
{
    const Address expected { Kind::Posix, "/demo", 0 };
    EXPECT_EQ(parsed("posix:/demo"), expected);
    EXPECT_EQ(parsed("posix:demo"), expected);
#ifndef _WIN32 // the default kind is posix on Linux, win on Windows
    EXPECT_EQ(parsed("demo"), expected);
    EXPECT_EQ(parsed("/demo"), expected);
#endif
    EXPECT_EQ(toString(expected), "posix:/demo");
}

#ifdef _WIN32
TEST(Address, WinIsTheDefaultKindOnWindows)
{
    EXPECT_EQ(parsed("Local\\demo"), (Address { Kind::Win, "Local\\demo", 0 }));
    EXPECT_EQ(parsed("demo"), (Address { Kind::Win, "demo", 0 }));
    EXPECT_EQ(parsed("/a:b"), (Address { Kind::Win, "/a:b", 0 }));
}
#endif

TEST(Address, ColonInADefaultKindNameIsPartOfTheName)
{
#ifndef _WIN32
    EXPECT_EQ(parsed("/a:b"), (Address { Kind::Posix, "/a:b", 0 }));
#endif
    EXPECT_EQ(parsed("posix:a:b"), (Address { Kind::Posix, "/a:b", 0 }));
}

TEST(Address, FileKeepsThePathAsGiven)
{
    EXPECT_EQ(parsed("file:/var/tmp/zj.dat"), (Address { Kind::File, "/var/tmp/zj.dat", 0 }));
    EXPECT_EQ(parsed("file:relative/x"), (Address { Kind::File, "relative/x", 0 }));
    EXPECT_EQ(parsed("file:C:\\x"), (Address { Kind::File, "C:\\x", 0 }));
    EXPECT_EQ(toString(Address { Kind::File, "/var/tmp/zj.dat", 0 }), "file:/var/tmp/zj.dat");
}

TEST(Address, SysVKeysInDecimalAndHex)
{
    EXPECT_EQ(parsed("sysv:42"), (Address { Kind::SysV, {}, 42 }));
    EXPECT_EQ(parsed("sysv:0x2a"), (Address { Kind::SysV, {}, 42 }));
    EXPECT_EQ(parsed("sysv:0X2A"), (Address { Kind::SysV, {}, 42 }));
    EXPECT_EQ(parsed("sysv:0xffffffff"), (Address { Kind::SysV, {}, 0xffffffffu }));
    EXPECT_EQ(parsed("sysv:4294967295"), (Address { Kind::SysV, {}, 0xffffffffu }));
    EXPECT_EQ(toString(Address { Kind::SysV, {}, 42 }), "sysv:0x0000002a");
    EXPECT_EQ(toString(Address { Kind::SysV, {}, 0xdeadbeef }), "sysv:0xdeadbeef");
}

TEST(Address, SysVIdAndWin)
{
    EXPECT_EQ(parsed("sysvid:32769"), (Address { Kind::SysVId, {}, 32769 }));
    EXPECT_EQ(parsed("sysvid:0x10"), (Address { Kind::SysVId, {}, 16 }));
    EXPECT_EQ(toString(Address { Kind::SysVId, {}, 32769 }), "sysvid:32769");
    EXPECT_EQ(parsed("win:Local\\ZJ"), (Address { Kind::Win, "Local\\ZJ", 0 }));
    EXPECT_EQ(toString(Address { Kind::Win, "Global\\x", 0 }), "win:Global\\x");
}

TEST(Address, RoundTrip)
{
    const Address addresses[] = {
        { Kind::Posix, "/demo", 0 },
        { Kind::Posix, "/" + std::string(255, 'n'), 0 },
        { Kind::Posix, "/with space:and-colon", 0 },
        { Kind::File, "/tmp/a b", 0 },
        { Kind::File, "rel", 0 },
        { Kind::SysV, {}, 0 },
        { Kind::SysV, {}, 0x7fffffff },
        { Kind::SysV, {}, 0xffffffff },
        { Kind::SysVId, {}, 0 },
        { Kind::SysVId, {}, 4294967295u },
        { Kind::Win, "Local\\ZJ", 0 },
    };
    for (const Address& address : addresses) {
        Result<Address> back = parseAddress(toString(address));
        ASSERT_TRUE(back.ok()) << toString(address) << ": " << back.error().message();
        EXPECT_EQ(*back, address) << toString(address);
        EXPECT_EQ(toString(*back), toString(address));
    }
}

TEST(Address, KindNames)
{
    EXPECT_EQ(kindName(Kind::Posix), "posix");
    EXPECT_EQ(kindName(Kind::File), "file");
    EXPECT_EQ(kindName(Kind::SysV), "sysv");
    EXPECT_EQ(kindName(Kind::SysVId), "sysvid");
    EXPECT_EQ(kindName(Kind::Win), "win");
}

struct InvalidCase {
    const char* label;
    std::string text;
    const char* detailContains;
};

class InvalidAddress : public testing::TestWithParam<InvalidCase>
{
};

TEST_P(InvalidAddress, IsRefusedWithAParseError)
{
    const InvalidCase& c = GetParam();
    Result<Address> result = parseAddress(c.text);
    ASSERT_FALSE(result.ok()) << c.text << " parsed as " << toString(*result);
    const Error& error = result.error();
    EXPECT_EQ(error.code, ErrorCode::InvalidArgument);
    EXPECT_EQ(error.operation, "parse");
    EXPECT_EQ(error.object, c.text);
    EXPECT_EQ(error.sysError, 0);
    EXPECT_NE(error.detail.find(c.detailContains), std::string::npos) << error.message();
    // The message quotes the input, made printable (a NUL as \x00).
    EXPECT_EQ(error.message().rfind(c.text.empty() ? "parse: " : "parse " + printableText(c.text) + ": ", 0), 0u)
        << error.message();
}

// The cases without a kind prefix rely on the default kind being posix (Linux).
std::vector<InvalidCase> invalidCases()
{
    std::vector<InvalidCase> cases { InvalidCase { "Empty", "", "empty" },
                                     InvalidCase { "UnknownKind", "shm:/x", "unknown kind \"shm\"" },
                                     InvalidCase { "UpperCaseKindIsUnknown", "POSIX:/x", "unknown kind" },
                                     InvalidCase { "PosixEmpty", "posix:", "empty" },
                                     InvalidCase { "PosixSlashOnly", "posix:/", "empty" },
                                     InvalidCase { "BareSlash", "/", "empty" },
                                     InvalidCase { "Dot", "posix:.", "not a valid name" },
                                     InvalidCase { "DotDot", "posix:/..", "not a valid name" },
                                     InvalidCase { "InnerSlash", "posix:/a/b", "'/'" },
                                     InvalidCase { "DoubleLeadingSlash", "posix://a", "'/'" },
                                     InvalidCase { "DefaultKindInnerSlash", "a/b", "'/'" },
                                     InvalidCase { "OverNameMax", "posix:/" + std::string(256, 'x'), "256 bytes" },
                                     InvalidCase { "OverNameMaxWithoutSlash", std::string(256, 'x'), "at most 255" },
                                     InvalidCase { "NulByte", std::string("posix:/a\0b", 10), "NUL" },
                                     InvalidCase { "EscapedNulByte", "posix:/a\\x00b", "NUL" },
                                     InvalidCase { "EscapedInnerSlash", "posix:/a\\x2fb", "'/'" },
                                     InvalidCase { "EscapedNulInFile", "file:/tmp/a\\x00", "NUL" },
                                     InvalidCase { "EscapedOverNameMax", "posix:/" + std::string(255, 'x') + "\\xff",
                                                   "256 bytes" },
                                     InvalidCase { "FileEmpty", "file:", "path is empty" },
                                     InvalidCase { "SysVEmpty", "sysv:", "key is empty" },
                                     InvalidCase { "SysVNotANumber", "sysv:abc", "not a 32-bit" },
                                     InvalidCase { "SysVNegative", "sysv:-1", "not a 32-bit" },
                                     InvalidCase { "SysVPlus", "sysv:+1", "not a 32-bit" },
                                     InvalidCase { "SysVSpace", "sysv: 1", "not a 32-bit" },
                                     InvalidCase { "SysVHexPrefixOnly", "sysv:0x", "not a 32-bit" },
                                     InvalidCase { "SysVBadHexDigit", "sysv:0x1g", "not a 32-bit" },
                                     InvalidCase { "SysVOver32Bits", "sysv:4294967296", "not a 32-bit" },
                                     InvalidCase { "SysVHexOver32Bits", "sysv:0x100000000", "not a 32-bit" },
                                     InvalidCase { "SysVIdEmpty", "sysvid:", "shmid is empty" },
                                     InvalidCase { "SysVIdNotANumber", "sysvid:x1", "not a 32-bit" },
                                     InvalidCase { "WinEmpty", "win:", "empty" } };
#ifdef _WIN32
    std::erase_if(cases, [](const InvalidCase& c) {
        const std::string_view label = c.label;
        return label == "BareSlash" || label == "DefaultKindInnerSlash" || label == "OverNameMaxWithoutSlash";
    });
#endif
    return cases;
}

INSTANTIATE_TEST_SUITE_P(Address, InvalidAddress, testing::ValuesIn(invalidCases()),
                         [](const testing::TestParamInfo<InvalidCase>& info) { return std::string(info.param.label); });

TEST(Address, NameMaxIsAllowed)
{
    const std::string name(255, 'x');
    EXPECT_EQ(parsed("posix:/" + name).name, "/" + name);
#ifndef _WIN32
    EXPECT_EQ(parsed(name).name, "/" + name);
#endif
}

} // namespace
