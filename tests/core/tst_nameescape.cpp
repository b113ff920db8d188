// Names are bytes: the one reversible escape used to print them (core/nameescape.h), and addresses
// that carry any byte through toString() and parseAddress().

#include "core/address.h"
#include "core/nameescape.h"

#include <gtest/gtest.h>
#include <string>
#include <string_view>
#include <vector>

using namespace shmscope;

namespace {

std::string bytes(std::initializer_list<int> values)
{
    std::string out;
    for (int value : values)
        out += static_cast<char>(value);
    return out;
}

// An independent check of what escaped text must be: well-formed UTF-8 (RFC 3629) without C0 or C1
// controls or DEL, so a terminal shows it as it is and it fits on one line.
bool isPrintableUtf8(std::string_view text)
{
    std::size_t i = 0;
    while (i < text.size()) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte < 0x80) {
            if (byte < 0x20 || byte == 0x7f)
                return false;
            ++i;
            continue;
        }
        int length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 0;
        if (length == 0 || byte > 0xf4 || i + length > text.size())
            return false;
        char32_t codePoint = byte & (0x7f >> length);
        for (int k = 1; k < length; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            if ((next & 0xc0) != 0x80)
                return false;
            codePoint = (codePoint << 6) | (next & 0x3f);
        }
        const char32_t minimum[] = { 0, 0, 0x80, 0x800, 0x10000 };
        if (codePoint < minimum[length] || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff))
            return false;
        if (codePoint >= 0x80 && codePoint < 0xa0)
            return false; // C1 controls
        i += length;
    }
    return true;
}

void expectRoundTrip(const std::string& name)
{
    const std::string escaped = escapeName(name);
    EXPECT_EQ(unescapeName(escaped), name) << "escaped as " << escaped;
    EXPECT_TRUE(isPrintableUtf8(escaped)) << escaped;
    EXPECT_EQ(printableText(escaped), escaped) << "escaped text passes printableText() unchanged";
}

TEST(NameEscape, ExamplesOfEachRule)
{
    EXPECT_EQ(escapeName("plain-name_1.x"), "plain-name_1.x");
    EXPECT_EQ(escapeName("obj\xff"), "obj\\xff");
    EXPECT_EQ(escapeName("a\nb"), "a\\x0ab");
    EXPECT_EQ(escapeName("tab\there"), "tab\\x09here");
    EXPECT_EQ(escapeName("\x1b[31mred"), "\\x1b[31mred");
    EXPECT_EQ(escapeName("del\x7f"), "del\\x7f");
    EXPECT_EQ(escapeName("with space"), "with space");
    // Well-formed UTF-8 stays as it is, whatever the script.
    EXPECT_EQ(escapeName("caf\xc3\xa9-\xe5\x85\xb1\xe4\xba\xab-\xf0\x9f\x98\x80"),
              "caf\xc3\xa9-\xe5\x85\xb1\xe4\xba\xab-\xf0\x9f\x98\x80");
    // A real U+FFFD is a character like any other: it is not the byte 0xff.
    EXPECT_EQ(escapeName("obj\xef\xbf\xbd"), "obj\xef\xbf\xbd");
    // Ill-formed UTF-8: a lone continuation byte, an overlong '/', an encoded surrogate, a truncated
    // sequence, a code point above U+10FFFF.
    EXPECT_EQ(escapeName("\x80"), "\\x80");
    EXPECT_EQ(escapeName("\xc0\xaf"), "\\xc0\\xaf");
    EXPECT_EQ(escapeName("\xed\xa0\x80"), "\\xed\\xa0\\x80");
    EXPECT_EQ(escapeName("\xe2\x82"), "\\xe2\\x82");
    EXPECT_EQ(escapeName("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");
    // Characters that act on the terminal or the layout: C1 CSI, line separator, right-to-left override.
    EXPECT_EQ(escapeName("\xc2\x9b"), "\\xc2\\x9b");
    EXPECT_EQ(escapeName("a\xe2\x80\xa8"), "a\\xe2\\x80\\xa8");
    EXPECT_EQ(escapeName("\xe2\x80\xaetxt.exe"), "\\xe2\\x80\\xaetxt.exe");
}

TEST(NameEscape, BackslashIsDoubledOnlyWhereItWouldStartAnEscape)
{
    EXPECT_EQ(escapeName("Local\\ZJ"), "Local\\ZJ");
    EXPECT_EQ(escapeName("Global\\x"), "Global\\x");
    EXPECT_EQ(escapeName("C:\\x"), "C:\\x");
    EXPECT_EQ(escapeName("end\\"), "end\\");
    EXPECT_EQ(escapeName("a\\x41"), "a\\\\x41"); // would read back as "aA"
    EXPECT_EQ(escapeName("a\\xg1"), "a\\xg1"); // not hex: no escape to confuse it with
    EXPECT_EQ(escapeName("a\\\\b"), "a\\\\\\b"); // the first of two backslashes
    EXPECT_EQ(escapeName("a\\\xff"), "a\\\\\\xff"); // before an escaped byte
    EXPECT_EQ(escapeName("a\\\n"), "a\\\\\\x0a");
}

TEST(NameEscape, UnescapeReadsEscapesAndKeepsEverythingElse)
{
    EXPECT_EQ(unescapeName("obj\\xff"), "obj\xff");
    EXPECT_EQ(unescapeName("obj\\xFF"), "obj\xff");
    EXPECT_EQ(unescapeName("a\\x0ab"), "a\nb");
    EXPECT_EQ(unescapeName("a\\x00b"), std::string("a\0b", 3));
    EXPECT_EQ(unescapeName("Local\\ZJ"), "Local\\ZJ");
    EXPECT_EQ(unescapeName("a\\\\b"), "a\\b");
    EXPECT_EQ(unescapeName("a\\x4"), "a\\x4");
    EXPECT_EQ(unescapeName("a\\x4g"), "a\\x4g");
    EXPECT_EQ(unescapeName("end\\"), "end\\");
    EXPECT_EQ(unescapeName("raw\xff\n"), "raw\xff\n"); // raw bytes pass
}

TEST(NameEscape, EveryByteAndEveryPairOfBytesRoundTrips)
{
    for (int first = 0; first < 256; ++first) {
        expectRoundTrip(bytes({ first }));
        for (int second = 0; second < 256; ++second)
            expectRoundTrip(bytes({ first, second }));
        if (HasFailure())
            return;
    }
}

TEST(NameEscape, EveryShortMixOfTrickyBytesRoundTrips)
{
    // Backslashes next to 'x', hex digits, bytes that need escaping and parts of UTF-8 sequences.
    const std::string alphabet = "\\xaF0\xff\n\xc3\xa9\xe2\x80\xae";
    std::string name(4, ' ');
    for (char a : alphabet) {
        for (char b : alphabet) {
            for (char c : alphabet) {
                for (char d : alphabet) {
                    name = { a, b, c, d };
                    expectRoundTrip(name);
                    expectRoundTrip(name.substr(1));
                }
            }
        }
        if (HasFailure())
            return;
    }
}

TEST(NameEscape, PrintableTextEscapesButLeavesBackslashesAlone)
{
    EXPECT_EQ(printableText("parse posix:/a\nb\x1b[2J\xff: x"), "parse posix:/a\\x0ab\\x1b[2J\\xff: x");
    EXPECT_EQ(printableText("C:\\x41 and \\\\"), "C:\\x41 and \\\\");
}

// Addresses carry every byte that a name of their kind may hold, print it on one printable line,
// and parse back to the same bytes.
TEST(NameEscape, AddressesWithEveryByteRoundTrip)
{
    for (int value = 1; value < 256; ++value) {
        const std::string byte = bytes({ value });
        std::vector<Address> addresses { Address { Kind::File, "/tmp/a" + byte + "z", 0 },
                                         Address { Kind::File, byte, 0 }, Address { Kind::Win, "Local\\" + byte, 0 } };
        if (value != '/') { // the one byte a POSIX name cannot hold (besides NUL)
            addresses.push_back(Address { Kind::Posix, "/obj" + byte, 0 });
            addresses.push_back(Address { Kind::Posix, "/" + byte + "\\" + byte, 0 });
            if (value != '.') // "/." is no name
                addresses.push_back(Address { Kind::Posix, "/" + byte, 0 });
        }
        for (const Address& address : addresses) {
            const std::string text = toString(address);
            EXPECT_TRUE(isPrintableUtf8(text)) << text;
            Result<Address> back = parseAddress(text);
            ASSERT_TRUE(back.ok()) << text << ": " << back.error().message();
            EXPECT_EQ(*back, address) << text;
        }
    }
}

TEST(NameEscape, RawAndEscapedFormsNameTheSameObject)
{
    const Address expected { Kind::Posix, "/obj\xff", 0 };
    EXPECT_EQ(toString(expected), "posix:/obj\\xff");
    std::vector<const char*> texts { "posix:/obj\xff", "posix:/obj\\xff", "posix:/obj\\xFF", "posix:obj\\xff" };
#ifndef _WIN32 // without a prefix: the default kind is posix on Linux (win on Windows)
    texts.push_back("/obj\\xff");
#endif
    for (const char* text : texts) {
        Result<Address> parsed = parseAddress(text);
        ASSERT_TRUE(parsed.ok()) << parsed.error().message();
        EXPECT_EQ(*parsed, expected) << text;
    }
    // Not the object whose name holds the character U+FFFD.
    Result<Address> replacement = parseAddress("posix:/obj\xef\xbf\xbd");
    ASSERT_TRUE(replacement.ok());
    EXPECT_NE(*replacement, expected);
    EXPECT_EQ(parseAddress("posix:/a\\x0ab")->name, "/a\nb");
    EXPECT_EQ(parseAddress("win:Local\\ZJ")->name, "Local\\ZJ");
    EXPECT_EQ(parseAddress("win:Local\\\\x41")->name, "Local\\x41");
    EXPECT_EQ(parseAddress("file:/tmp/a\\x41")->name, "/tmp/aA");
}

TEST(NameEscape, ParseErrorsPrintTheInputOnOnePrintableLine)
{
    Result<Address> parsed = parseAddress(std::string("posix:/a/\x1b[2J\n\xff"));
    ASSERT_FALSE(parsed.ok());
    const std::string message = parsed.error().message();
    EXPECT_TRUE(isPrintableUtf8(message)) << message;
    EXPECT_NE(message.find("posix:/a/\\x1b[2J\\x0a\\xff"), std::string::npos) << message;
}

} // namespace
