#pragma once

#include "core/error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shmscope {

/// The text and binary forms bytes are exported to and imported from.
enum class TransferFormat {
    Raw, ///< the bytes themselves
    C, ///< a C array: `const unsigned char NAME[N] = { 0x.., ... };` (export only)
    Python, ///< a Python bytes literal in parentheses, one b'...' per 16 bytes (export only)
    Base64, ///< RFC 4648 base64, 76 characters a line (import ignores whitespace)
    Hexdump, ///< xxd-style lines, "00000010: 4865 6c6c ...  Hell..." (import reads the offsets, as `xxd -r`)
    IntelHex, ///< Intel HEX (I32HEX: type 04 extended linear addresses), 16 data bytes a record
    SRecord, ///< Motorola S-record: S0 header, S1/S2/S3 data (by the highest address), S7/S8/S9 end
};

/// "raw", "c", "python", "base64", "hexdump" (also "xxd"), "ihex" (also "intel-hex"), "srec" (also
/// "s-record", "srecord"); nullopt for anything else.
std::optional<TransferFormat> parseTransferFormat(std::string_view name);
/// The canonical name ("ihex", "srec", ...).
std::string_view transferFormatName(TransferFormat format);
/// Whether the format's text says where each byte goes (Hexdump, IntelHex, SRecord).
bool formatCarriesAddresses(TransferFormat format);
/// Whether decodeImport() reads the format (all but C and Python).
bool formatCanBeImported(TransferFormat format);

/// One xxd-style dump line (no newline): the offset in at least 8 hex digits, a colon, up to 16 bytes
/// as 8 groups of 2 in lower-case hex, two spaces, and the bytes as ASCII with '.' for the rest; a short
/// line is padded so the ASCII column stays aligned. The one copy of this layout (the CLI's `read` uses it).
std::string hexDumpLine(std::uint64_t offset, const std::uint8_t* bytes, std::size_t count);

/// Turns bytes into one of the export formats, streamed: begin(), then encode() with the bytes in order
/// (any piece sizes), then finish(); the concatenated strings are the output. Memory: one line.
/// Addresses start at `address` (the offset in the object: Hexdump, IntelHex and SRecord write it, so
/// that an import puts the bytes back where they came from).
class ExportEncoder
{
public:
    /// `length` is the total number of bytes that will be encoded (the C array's size); `label` is a
    /// comment naming the source (C, Python) and the S0 header text (SRecord).
    ExportEncoder(TransferFormat format, std::uint64_t address, std::uint64_t length, std::string label);
    /// Checks that the format can carry the addresses: InvalidArgument when an IntelHex or SRecord
    /// export would need addresses beyond 4 GiB (their 32-bit limit).
    Status check() const;
    /// Text before the bytes (C's declaration, Python's parenthesis, SRecord's S0 record).
    std::string begin();
    /// The text for the next `count` bytes (whole lines; a partial line waits for more or for finish()).
    std::string encode(const std::uint8_t* bytes, std::size_t count);
    /// The rest: the last partial line and the closing text (C's `};`, IntelHex's end record, ...).
    std::string finish();

private:
    std::string flushLine(const std::uint8_t* bytes, std::size_t count); // one line of `count` bytes
    TransferFormat m_format;
    std::uint64_t m_address; // of the first byte in m_pending
    std::uint64_t m_length;
    std::uint64_t m_end; // the address after the last byte
    std::string m_label;
    std::vector<std::uint8_t> m_pending; // a partial line waiting for more bytes
    std::uint32_t m_upper = 0; // IntelHex: the upper 16 address bits last written (type 04)
    std::uint64_t m_records = 0; // SRecord: data records written
};

/// Bytes read from an import, destined for `offset` (absolute: the address in the input, or 0 for
/// formats that carry none).
struct ImportBlock {
    std::uint64_t offset = 0;
    std::vector<std::uint8_t> bytes;
};

/// Decodes `input` in `format` into blocks, ascending by offset, adjacent records merged. Checksums
/// (IntelHex, SRecord) are verified. Errors: InvalidArgument naming the line and what is wrong ("line 3:
/// checksum 0x12, expected 0x34"); overlapping records are refused as well. C and Python are not importable.
Result<std::vector<ImportBlock>> decodeImport(TransferFormat format, std::string_view input);

/// Moves the blocks so that the lowest offset lands on `offset` (keeping their distances): how an
/// import "into an offset" places an address-carrying file. No-op on an empty list.
void relocateBlocks(std::vector<ImportBlock>& blocks, std::uint64_t offset);

} // namespace shmscope
