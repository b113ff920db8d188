#include "transferio.h"

#include "exitcode.h"
#include "output.h"

#include <algorithm>
#include <string>

namespace shmscope {

bool isExportFormat(const QString& name)
{
    const std::optional<TransferFormat> format = parseTransferFormat(name.toStdString());
    return format && *format != TransferFormat::Raw && *format != TransferFormat::Hexdump;
}

int exportRange(const ScanSource& source, std::uint64_t offset, std::uint64_t end, TransferFormat format,
                const QString& label)
{
    constexpr std::uint64_t kChunk = 64 * 1024;
    ExportEncoder encoder(format, offset, end - offset, label.toStdString());
    if (Status status = encoder.check(); !status)
        return reportUsageError(QStringLiteral("read %1: %2").arg(label, fromStd(status.error().detail)));
    auto send = [](const std::string& text) { return text.empty() || writeStdout(text.data(), text.size()); };
    if (!send(encoder.begin()))
        return toInt(ExitCode::Failure);
    std::vector<std::uint8_t> buffer(std::size_t(std::min(kChunk, end - offset)));
    DataCursor cursor(source); // one extent question per run of data, not per chunk
    for (std::uint64_t pos = offset; pos < end;) {
        const std::size_t count = std::size_t(std::min(kChunk, end - pos));
        if (Result<std::uint64_t> next = cursor.nextData(pos, end); !next)
            return reportError(next.error());
        if (Status status = cursor.read(pos, count, buffer.data()); !status)
            return reportError(status.error());
        if (!send(encoder.encode(buffer.data(), count)))
            return toInt(ExitCode::Failure);
        pos += count;
    }
    return send(encoder.finish()) ? toInt(ExitCode::Ok) : toInt(ExitCode::Failure);
}

std::optional<std::vector<ImportBlock>> importBlocks(const QByteArray& input, TransferFormat format,
                                                     std::optional<std::uint64_t> offset, QString* error)
{
    Result<std::vector<ImportBlock>> blocks
        = decodeImport(format, std::string_view(input.constData(), std::size_t(input.size())));
    if (!blocks) {
        *error = fromStd(blocks.error().detail);
        return std::nullopt;
    }
    if (offset || !formatCarriesAddresses(format))
        relocateBlocks(*blocks, offset.value_or(0));
    return std::move(blocks).value();
}

} // namespace shmscope
