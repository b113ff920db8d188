// Export and import formats: raw, C, Python, base64, xxd hexdump, Intel HEX, Motorola S-record.
// (Written here rather than with libsrecord-dev: see the note at the end of this file.)
#include "core/transfer.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace shmscope {

namespace {

const char kHex[] = "0123456789abcdef";
const char kHexUpper[] = "0123456789ABCDEF";
const char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

Error importError(std::string detail)
{
    Error error;
    error.code = ErrorCode::InvalidArgument;
    error.operation = "import";
    error.object = "input";
    error.detail = std::move(detail);
    return error;
}

void appendHex(std::string& out, std::uint64_t value, int digits, const char* alphabet = kHexUpper)
{
    for (int i = digits - 1; i >= 0; --i)
        out += alphabet[(value >> (4 * i)) & 0xf];
}

// Bytes of one output line, by format.
std::size_t lineBytes(TransferFormat format)
{
    switch (format) {
    case TransferFormat::C:
        return 12;
    case TransferFormat::Base64:
        return 57; // 76 characters
    case TransferFormat::Raw:
        return 64 * 1024;
    default:
        return 16;
    }
}

// S1 (2-byte addresses), S2 (3) or S3 (4): the smallest that holds the export's last address, for
// every record of the export (as srec_cat does).
int srecordAddressBytes(std::uint64_t end)
{
    const std::uint64_t last = end == 0 ? 0 : end - 1;
    return last > 0xffffff ? 4 : last > 0xffff ? 3 : 2;
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Appends the blocks' bytes, merging a record that continues the last block; refuses overlaps later.
void addBytes(std::vector<ImportBlock>& blocks, std::uint64_t offset, const std::uint8_t* bytes, std::size_t count)
{
    if (count == 0)
        return;
    if (!blocks.empty() && blocks.back().offset + blocks.back().bytes.size() == offset) {
        blocks.back().bytes.insert(blocks.back().bytes.end(), bytes, bytes + count);
        return;
    }
    blocks.push_back({ offset, std::vector<std::uint8_t>(bytes, bytes + count) });
}

Result<std::vector<ImportBlock>> sortedWithoutOverlaps(std::vector<ImportBlock> blocks)
{
    std::sort(blocks.begin(), blocks.end(),
              [](const ImportBlock& a, const ImportBlock& b) { return a.offset < b.offset; });
    std::vector<ImportBlock> merged;
    for (ImportBlock& block : blocks) {
        if (!merged.empty()) {
            const std::uint64_t end = merged.back().offset + merged.back().bytes.size();
            if (block.offset < end)
                return importError("two records write offset " + std::to_string(block.offset));
            if (block.offset == end) {
                merged.back().bytes.insert(merged.back().bytes.end(), block.bytes.begin(), block.bytes.end());
                continue;
            }
        }
        merged.push_back(std::move(block));
    }
    return merged;
}

// The hex bytes of a record line after its start character, checked for length and checksum.
Result<std::vector<std::uint8_t>> recordBytes(std::string_view hex, std::size_t lineNumber)
{
    if (hex.size() % 2 != 0 || hex.empty())
        return importError("line " + std::to_string(lineNumber) + ": an odd number of hex digits");
    std::vector<std::uint8_t> bytes;
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        const int high = hexValue(hex[i]);
        const int low = hexValue(hex[i + 1]);
        if (high < 0 || low < 0)
            return importError("line " + std::to_string(lineNumber) + ": '" + std::string(hex.substr(i, 2))
                               + "' is not hex");
        bytes.push_back(std::uint8_t(high << 4 | low));
    }
    return bytes;
}

Result<std::vector<ImportBlock>> decodeIntelHex(std::string_view input)
{
    std::vector<ImportBlock> blocks;
    std::uint64_t base = 0;
    std::size_t lineNumber = 0;
    bool ended = false;
    while (!input.empty()) {
        const std::size_t newline = input.find('\n');
        std::string_view line = input.substr(0, newline);
        input.remove_prefix(newline == std::string_view::npos ? input.size() : newline + 1);
        ++lineNumber;
        while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back())))
            line.remove_suffix(1);
        while (!line.empty() && std::isspace(static_cast<unsigned char>(line.front())))
            line.remove_prefix(1);
        if (line.empty())
            continue;
        if (ended)
            return importError("line " + std::to_string(lineNumber) + ": a record after the end-of-file record");
        if (line.front() != ':')
            return importError("line " + std::to_string(lineNumber) + ": an Intel HEX record starts with ':'");
        Result<std::vector<std::uint8_t>> bytes = recordBytes(line.substr(1), lineNumber);
        if (!bytes)
            return bytes.error();
        const std::vector<std::uint8_t>& r = *bytes;
        if (r.size() < 5 || r[0] + 5u != r.size())
            return importError("line " + std::to_string(lineNumber) + ": the length byte does not match the record");
        std::uint8_t sum = 0;
        for (const std::uint8_t byte : r)
            sum = std::uint8_t(sum + byte);
        if (sum != 0)
            return importError("line " + std::to_string(lineNumber) + ": bad checksum");
        const std::uint32_t address = std::uint32_t(r[1]) << 8 | r[2];
        const std::uint8_t type = r[3];
        const std::uint8_t* data = r.data() + 4;
        const std::size_t count = r[0];
        switch (type) {
        case 0x00:
            addBytes(blocks, base + address, data, count);
            break;
        case 0x01:
            ended = true;
            break;
        case 0x02:
            if (count != 2)
                return importError("line " + std::to_string(lineNumber) + ": a type 02 record holds 2 bytes");
            base = (std::uint64_t(data[0]) << 8 | data[1]) << 4;
            break;
        case 0x04:
            if (count != 2)
                return importError("line " + std::to_string(lineNumber) + ": a type 04 record holds 2 bytes");
            base = (std::uint64_t(data[0]) << 8 | data[1]) << 16;
            break;
        case 0x03:
        case 0x05:
            break; // start addresses: nothing to write
        default:
            return importError("line " + std::to_string(lineNumber) + ": unknown record type "
                               + std::to_string(int(type)));
        }
    }
    return sortedWithoutOverlaps(std::move(blocks));
}

Result<std::vector<ImportBlock>> decodeSRecord(std::string_view input)
{
    std::vector<ImportBlock> blocks;
    std::size_t lineNumber = 0;
    while (!input.empty()) {
        const std::size_t newline = input.find('\n');
        std::string_view line = input.substr(0, newline);
        input.remove_prefix(newline == std::string_view::npos ? input.size() : newline + 1);
        ++lineNumber;
        while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back())))
            line.remove_suffix(1);
        while (!line.empty() && std::isspace(static_cast<unsigned char>(line.front())))
            line.remove_prefix(1);
        if (line.empty())
            continue;
        if (line.size() < 4 || (line[0] != 'S' && line[0] != 's') || line[1] < '0' || line[1] > '9')
            return importError("line " + std::to_string(lineNumber) + ": an S-record starts with S0..S9");
        const int type = line[1] - '0';
        Result<std::vector<std::uint8_t>> bytes = recordBytes(line.substr(2), lineNumber);
        if (!bytes)
            return bytes.error();
        const std::vector<std::uint8_t>& r = *bytes;
        if (r.size() < 2 || r[0] + 1u != r.size())
            return importError("line " + std::to_string(lineNumber) + ": the count byte does not match the record");
        std::uint8_t sum = 0;
        for (const std::uint8_t byte : r)
            sum = std::uint8_t(sum + byte);
        if (sum != 0xff)
            return importError("line " + std::to_string(lineNumber) + ": bad checksum");
        static constexpr int kAddressBytes[] = { 2, 2, 3, 4, 0, 2, 3, 4, 3, 2 };
        const int addressBytes = kAddressBytes[type];
        if (type == 4 || r.size() < std::size_t(addressBytes) + 2)
            return importError("line " + std::to_string(lineNumber) + ": not a valid S" + std::to_string(type)
                               + " record");
        std::uint64_t address = 0;
        for (int i = 0; i < addressBytes; ++i)
            address = address << 8 | r[std::size_t(1 + i)];
        if (type >= 1 && type <= 3)
            addBytes(blocks, address, r.data() + 1 + addressBytes, r.size() - 2 - std::size_t(addressBytes));
    }
    return sortedWithoutOverlaps(std::move(blocks));
}

Result<std::vector<ImportBlock>> decodeBase64(std::string_view input)
{
    std::vector<std::uint8_t> bytes;
    std::uint32_t accumulator = 0;
    int bits = 0;
    int padding = 0;
    for (const char c : input) {
        if (std::isspace(static_cast<unsigned char>(c)))
            continue;
        if (c == '=') {
            ++padding;
            continue;
        }
        const char* at = std::find(kBase64, kBase64 + 64, c);
        if (at == kBase64 + 64 || padding > 0)
            return importError(std::string("'") + c + "' is not base64");
        accumulator = accumulator << 6 | std::uint32_t(at - kBase64);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            bytes.push_back(std::uint8_t(accumulator >> bits));
        }
    }
    if (padding > 2 || bits >= 6)
        return importError("the base64 text ends in the middle of a byte");
    std::vector<ImportBlock> blocks;
    if (!bytes.empty())
        blocks.push_back({ 0, std::move(bytes) });
    return blocks;
}

Result<std::vector<ImportBlock>> decodeHexdump(std::string_view input)
{
    std::vector<ImportBlock> blocks;
    std::size_t lineNumber = 0;
    while (!input.empty()) {
        const std::size_t newline = input.find('\n');
        std::string_view line = input.substr(0, newline);
        input.remove_prefix(newline == std::string_view::npos ? input.size() : newline + 1);
        ++lineNumber;
        if (line.find_first_not_of(" \t\r") == std::string_view::npos)
            continue;
        const std::size_t colon = line.find(':');
        std::uint64_t offset = 0;
        const std::string_view offsetText
            = colon == std::string_view::npos ? std::string_view() : line.substr(0, colon);
        auto [end, ec] = std::from_chars(offsetText.data(), offsetText.data() + offsetText.size(), offset, 16);
        if (colon == std::string_view::npos || ec != std::errc() || end != offsetText.data() + offsetText.size())
            return importError("line " + std::to_string(lineNumber) + ": a hexdump line starts with OFFSET:");
        // Hex pairs with single spaces between groups, up to two spaces (the ASCII column) or the end.
        std::vector<std::uint8_t> bytes;
        std::string_view rest = line.substr(colon + 1);
        std::size_t i = 0;
        while (i < rest.size()) {
            if (rest[i] == ' ') {
                if (i + 1 < rest.size() && rest[i + 1] == ' ' && !bytes.empty())
                    break;
                ++i;
                continue;
            }
            if (rest[i] == '\r')
                break;
            if (i + 1 >= rest.size() || hexValue(rest[i]) < 0 || hexValue(rest[i + 1]) < 0)
                return importError("line " + std::to_string(lineNumber) + ": '" + std::string(rest.substr(i, 2))
                                   + "' is not a hex byte");
            bytes.push_back(std::uint8_t(hexValue(rest[i]) << 4 | hexValue(rest[i + 1])));
            i += 2;
        }
        blocks.push_back({ offset, std::move(bytes) });
    }
    return sortedWithoutOverlaps(std::move(blocks));
}

} // namespace

std::optional<TransferFormat> parseTransferFormat(std::string_view name)
{
    if (name == "raw" || name == "binary")
        return TransferFormat::Raw;
    if (name == "c")
        return TransferFormat::C;
    if (name == "python" || name == "py")
        return TransferFormat::Python;
    if (name == "base64")
        return TransferFormat::Base64;
    if (name == "hexdump" || name == "xxd")
        return TransferFormat::Hexdump;
    if (name == "ihex" || name == "intel-hex")
        return TransferFormat::IntelHex;
    if (name == "srec" || name == "s-record" || name == "srecord")
        return TransferFormat::SRecord;
    return std::nullopt;
}

std::string_view transferFormatName(TransferFormat format)
{
    static constexpr std::string_view names[] = { "raw", "c", "python", "base64", "hexdump", "ihex", "srec" };
    return names[int(format)];
}

bool formatCarriesAddresses(TransferFormat format)
{
    return format == TransferFormat::Hexdump || format == TransferFormat::IntelHex || format == TransferFormat::SRecord;
}

bool formatCanBeImported(TransferFormat format)
{
    return format != TransferFormat::C && format != TransferFormat::Python;
}

std::string hexDumpLine(std::uint64_t offset, const std::uint8_t* bytes, std::size_t count)
{
    std::string line;
    int digits = 8;
    while (digits < 16 && (offset >> (4 * digits)) != 0)
        ++digits;
    appendHex(line, offset, digits, kHex);
    line += ':';
    for (std::size_t i = 0; i < 16; ++i) {
        if (i % 2 == 0)
            line += ' ';
        if (i < count) {
            line += kHex[bytes[i] >> 4];
            line += kHex[bytes[i] & 0xf];
        } else {
            line += "  ";
        }
    }
    line += "  ";
    for (std::size_t i = 0; i < count && i < 16; ++i)
        line += (bytes[i] >= 0x20 && bytes[i] < 0x7f) ? char(bytes[i]) : '.';
    return line;
}

ExportEncoder::ExportEncoder(TransferFormat format, std::uint64_t address, std::uint64_t length, std::string label)
    : m_format(format)
    , m_address(address)
    , m_length(length)
    , m_end(address + length)
    , m_label(std::move(label))
{ }

Status ExportEncoder::check() const
{
    if ((m_format == TransferFormat::IntelHex || m_format == TransferFormat::SRecord)
        && m_address + m_length > (std::uint64_t(1) << 32)) {
        Error error = importError(std::string(transferFormatName(m_format))
                                  + " addresses end at 4 GiB: export a range below it");
        error.operation = "export";
        return error;
    }
    return {};
}

std::string ExportEncoder::begin()
{
    switch (m_format) {
    case TransferFormat::C:
        return "/* " + m_label + " */\nconst unsigned char shm_data[" + std::to_string(m_length) + "] = {\n";
    case TransferFormat::Python:
        return "# " + m_label + "\ndata = (\n";
    case TransferFormat::SRecord: {
        std::string header = m_label.substr(0, 60);
        std::string record = "S0";
        std::uint8_t sum = std::uint8_t(header.size() + 3);
        appendHex(record, header.size() + 3, 2);
        record += "0000";
        for (const char c : header) {
            appendHex(record, std::uint8_t(c), 2);
            sum = std::uint8_t(sum + std::uint8_t(c));
        }
        appendHex(record, std::uint8_t(~sum), 2);
        return record + "\n";
    }
    default:
        return {};
    }
}

std::string ExportEncoder::encode(const std::uint8_t* bytes, std::size_t count)
{
    std::string out;
    const std::size_t line = lineBytes(m_format);
    if (!m_pending.empty()) { // complete the waiting line first
        const std::size_t take = std::min(count, line - m_pending.size());
        m_pending.insert(m_pending.end(), bytes, bytes + take);
        bytes += take;
        count -= take;
        if (m_pending.size() < line)
            return out;
        out += flushLine(m_pending.data(), line);
        m_pending.clear();
    }
    for (; count >= line; bytes += line, count -= line)
        out += flushLine(bytes, line);
    m_pending.assign(bytes, bytes + count);
    return out;
}

std::string ExportEncoder::flushLine(const std::uint8_t* p, std::size_t count)
{
    std::string out;
    switch (m_format) {
    case TransferFormat::Raw:
        out.assign(reinterpret_cast<const char*>(p), count);
        break;
    case TransferFormat::C:
        out += "   ";
        for (std::size_t i = 0; i < count; ++i) {
            out += " 0x";
            appendHex(out, p[i], 2, kHex);
            out += ',';
        }
        out += '\n';
        break;
    case TransferFormat::Python:
        out += "    b'";
        for (std::size_t i = 0; i < count; ++i) {
            out += "\\x";
            appendHex(out, p[i], 2, kHex);
        }
        out += "'\n";
        break;
    case TransferFormat::Base64:
        for (std::size_t i = 0; i < count; i += 3) {
            const std::uint32_t n = std::uint32_t(p[i]) << 16 | (i + 1 < count ? std::uint32_t(p[i + 1]) << 8 : 0)
                | (i + 2 < count ? p[i + 2] : 0);
            out += kBase64[n >> 18 & 63];
            out += kBase64[n >> 12 & 63];
            out += i + 1 < count ? kBase64[n >> 6 & 63] : '=';
            out += i + 2 < count ? kBase64[n & 63] : '=';
        }
        out += '\n';
        break;
    case TransferFormat::Hexdump:
        out = hexDumpLine(m_address, p, count) + "\n";
        break;
    case TransferFormat::IntelHex: {
        std::size_t written = 0;
        while (written < count) {
            const std::uint64_t address = m_address + written;
            const std::uint32_t upper = std::uint32_t(address >> 16);
            if (upper != m_upper) {
                m_upper = upper;
                const std::uint8_t sum = std::uint8_t(0x02 + 0x04 + (upper >> 8) + (upper & 0xff));
                out += ":02000004";
                appendHex(out, upper, 4);
                appendHex(out, std::uint8_t(-sum), 2);
                out += '\n';
            }
            // A record never crosses a 64 KiB boundary (its address is 16 bits).
            const std::size_t n = std::size_t(std::min<std::uint64_t>(count - written, 0x10000 - (address & 0xffff)));
            std::uint8_t sum = std::uint8_t(n + (address >> 8 & 0xff) + (address & 0xff));
            out += ':';
            appendHex(out, n, 2);
            appendHex(out, address & 0xffff, 4);
            out += "00";
            for (std::size_t i = 0; i < n; ++i) {
                appendHex(out, p[written + i], 2);
                sum = std::uint8_t(sum + p[written + i]);
            }
            appendHex(out, std::uint8_t(-sum), 2);
            out += '\n';
            written += n;
        }
        break;
    }
    case TransferFormat::SRecord: {
        const int addressBytes = srecordAddressBytes(m_end);
        out += 'S';
        out += char('1' + addressBytes - 2);
        const std::size_t recordCount = count + std::size_t(addressBytes) + 1;
        std::uint8_t sum = std::uint8_t(recordCount);
        appendHex(out, recordCount, 2);
        for (int i = addressBytes - 1; i >= 0; --i) {
            const std::uint8_t byte = std::uint8_t(m_address >> (8 * i));
            appendHex(out, byte, 2);
            sum = std::uint8_t(sum + byte);
        }
        for (std::size_t i = 0; i < count; ++i) {
            appendHex(out, p[i], 2);
            sum = std::uint8_t(sum + p[i]);
        }
        appendHex(out, std::uint8_t(~sum), 2);
        out += '\n';
        ++m_records;
        break;
    }
    }
    m_address += count;
    return out;
}

std::string ExportEncoder::finish()
{
    std::string out;
    if (!m_pending.empty())
        out += flushLine(m_pending.data(), m_pending.size());
    m_pending.clear();
    switch (m_format) {
    case TransferFormat::C:
        out += "};\n";
        break;
    case TransferFormat::Python:
        if (m_length == 0)
            out += "    b''\n";
        out += ")\n";
        break;
    case TransferFormat::IntelHex:
        out += ":00000001FF\n";
        break;
    case TransferFormat::SRecord: {
        const int addressBytes = srecordAddressBytes(m_end);
        if (m_records <= 0xffff) { // S5: the number of data records
            const std::uint8_t sum = std::uint8_t(3 + (m_records >> 8) + (m_records & 0xff));
            out += "S503";
            appendHex(out, m_records, 4);
            appendHex(out, std::uint8_t(~sum), 2);
            out += '\n';
        }
        out += 'S';
        out += char('9' - (addressBytes - 2)); // S9 (16-bit), S8 (24-bit), S7 (32-bit)
        appendHex(out, addressBytes + 1, 2);
        appendHex(out, 0, addressBytes * 2);
        appendHex(out, std::uint8_t(~std::uint8_t(addressBytes + 1)), 2);
        out += '\n';
        break;
    }
    default:
        break;
    }
    return out;
}

Result<std::vector<ImportBlock>> decodeImport(TransferFormat format, std::string_view input)
{
    switch (format) {
    case TransferFormat::Raw: {
        std::vector<ImportBlock> blocks;
        if (!input.empty())
            blocks.push_back({ 0, std::vector<std::uint8_t>(input.begin(), input.end()) });
        return blocks;
    }
    case TransferFormat::Base64:
        return decodeBase64(input);
    case TransferFormat::Hexdump:
        return decodeHexdump(input);
    case TransferFormat::IntelHex:
        return decodeIntelHex(input);
    case TransferFormat::SRecord:
        return decodeSRecord(input);
    case TransferFormat::C:
    case TransferFormat::Python:
        break;
    }
    return importError(std::string(transferFormatName(format)) + " can be exported, not imported");
}

void relocateBlocks(std::vector<ImportBlock>& blocks, std::uint64_t offset)
{
    if (blocks.empty())
        return;
    const std::uint64_t lowest = blocks.front().offset;
    for (ImportBlock& block : blocks)
        block.offset = block.offset - lowest + offset;
}

// Why not libsrecord-dev (Debian 12, 1.64-3), which the issue suggested: its headers include
// <boost/shared_ptr.hpp> but the package does not depend on libboost-dev; the Motorola classes
// (srecord/input/file/motorola.h, srecord/output/file/motorola.h) are not installed at all, although
// libsrecord.so exports them; its readers and writers take file names only (no memory streams); and an
// output error calls exit() (srecord::output::fatal_error_v), which would end the GUI. The tests check
// this code against srec_cat (package srecord, built on the same library) instead.

} // namespace shmscope
