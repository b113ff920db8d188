// Export and import formats (core/transfer.h): every importable format round-trips random bytes at
// addresses that cross 64 KiB and 16 MiB boundaries, records are checked (checksums, lengths,
// overlaps), known vectors match the formats' published layouts, and relocation keeps distances.
#include "core/transfer.h"

#include <gtest/gtest.h>
#include <random>

using namespace shmscope;

namespace {

std::string exportAll(TransferFormat format, std::uint64_t address, const std::vector<std::uint8_t>& bytes,
                      std::size_t piece)
{
    ExportEncoder encoder(format, address, bytes.size(), "test");
    EXPECT_TRUE(encoder.check().ok());
    std::string out = encoder.begin();
    for (std::size_t i = 0; i < bytes.size(); i += piece)
        out += encoder.encode(bytes.data() + i, std::min(piece, bytes.size() - i));
    return out + encoder.finish();
}

} // namespace

TEST(Transfer, EveryImportableFormatRoundTrips)
{
    std::mt19937 random(3);
    for (TransferFormat format : { TransferFormat::Raw, TransferFormat::Base64, TransferFormat::Hexdump,
                                   TransferFormat::IntelHex, TransferFormat::SRecord }) {
        for (std::uint64_t address : { std::uint64_t(0), std::uint64_t(0xfff7), std::uint64_t(0xfffff3) }) {
            for (std::size_t length :
                 { std::size_t(1), std::size_t(2), std::size_t(3), std::size_t(100), std::size_t(70000) }) {
                std::vector<std::uint8_t> bytes(length);
                for (std::uint8_t& b : bytes)
                    b = std::uint8_t(random());
                const std::string text = exportAll(format, address, bytes, 1 + random() % 5000);
                Result<std::vector<ImportBlock>> blocks = decodeImport(format, text);
                ASSERT_TRUE(blocks.ok()) << transferFormatName(format) << ": " << blocks.error().message();
                ASSERT_EQ(blocks->size(), 1u) << transferFormatName(format);
                EXPECT_EQ(blocks->front().offset, formatCarriesAddresses(format) ? address : 0)
                    << transferFormatName(format);
                EXPECT_EQ(blocks->front().bytes, bytes)
                    << transferFormatName(format) << " " << address << " " << length;
            }
        }
    }
}

TEST(Transfer, KnownLayouts)
{
    const std::vector<std::uint8_t> hello { 'h', 'e', 'l', 'l', 'o' };
    // Intel HEX: byte count, address, type, data, two's complement checksum.
    EXPECT_EQ(exportAll(TransferFormat::IntelHex, 0x10, hello, 5), ":0500100068656C6C6FD7\n:00000001FF\n");
    // Base64 of "hello" (RFC 4648 test vectors style).
    EXPECT_EQ(exportAll(TransferFormat::Base64, 0, hello, 2), "aGVsbG8=\n");
    EXPECT_EQ(exportAll(TransferFormat::Hexdump, 0x10, hello, 3),
              "00000010: 6865 6c6c 6f                             hello\n");
    const std::string srec = exportAll(TransferFormat::SRecord, 0x10, hello, 5);
    EXPECT_NE(srec.find("\nS108001068656C6C6FD3\n"), std::string::npos) << srec;
    EXPECT_NE(srec.find("\nS9030000FC\n"), std::string::npos) << srec;
    EXPECT_EQ(exportAll(TransferFormat::C, 0, hello, 5),
              "/* test */\nconst unsigned char shm_data[5] = {\n    0x68, 0x65, 0x6c, 0x6c, 0x6f,\n};\n");
    EXPECT_EQ(exportAll(TransferFormat::Python, 0, hello, 5),
              "# test\ndata = (\n    b'\\x68\\x65\\x6c\\x6c\\x6f'\n)\n");
    // Past 4 GiB Intel HEX and S-records cannot say the address.
    EXPECT_FALSE(ExportEncoder(TransferFormat::IntelHex, 0xffffffff, 2, "x").check().ok());
    EXPECT_TRUE(ExportEncoder(TransferFormat::SRecord, 0xfffffffe, 2, "x").check().ok());
}

TEST(Transfer, BadInputIsRefusedWithTheLine)
{
    Result<std::vector<ImportBlock>> blocks = decodeImport(TransferFormat::IntelHex, ":0500100068656C6C6FD8\n");
    ASSERT_FALSE(blocks.ok());
    EXPECT_NE(blocks.error().message().find("line 1: bad checksum"), std::string::npos) << blocks.error().message();
    EXPECT_FALSE(decodeImport(TransferFormat::IntelHex, "0500100068656C6C6F03\n").ok());
    EXPECT_FALSE(decodeImport(TransferFormat::SRecord, "S108001068656C6C6FD4\n").ok());
    EXPECT_FALSE(decodeImport(TransferFormat::Base64, "aGVs*G8=").ok());
    EXPECT_FALSE(decodeImport(TransferFormat::Hexdump, "00000010: 68zz\n").ok());
    EXPECT_FALSE(decodeImport(TransferFormat::C, "x").ok());
    // Two records for the same bytes.
    EXPECT_FALSE(decodeImport(TransferFormat::IntelHex, ":0500100068656C6C6FD7\n:0500100068656C6C6FD7\n").ok());
}

TEST(Transfer, GapsGiveBlocksAndRelocationKeepsDistances)
{
    const std::string text = ":0500100068656C6C6FD7\n:020000040001F9\n:0100000041BE\n:00000001FF\n";
    Result<std::vector<ImportBlock>> blocks = decodeImport(TransferFormat::IntelHex, text);
    ASSERT_TRUE(blocks.ok()) << blocks.error().message();
    ASSERT_EQ(blocks->size(), 2u);
    EXPECT_EQ((*blocks)[0].offset, 0x10u);
    EXPECT_EQ((*blocks)[1].offset, 0x10000u);
    EXPECT_EQ((*blocks)[1].bytes, std::vector<std::uint8_t> { 'A' });
    relocateBlocks(*blocks, 0x100);
    EXPECT_EQ((*blocks)[0].offset, 0x100u);
    EXPECT_EQ((*blocks)[1].offset, 0x100u + 0x10000u - 0x10u);
}
