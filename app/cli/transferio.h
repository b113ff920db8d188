#pragma once

#include "core/scansource.h"
#include "core/transfer.h"

#include <QByteArray>
#include <QString>
#include <optional>
#include <vector>

namespace shmscope {

// `read --format c|python|base64|ihex|srec` and `write --format hexdump|base64|ihex|srec`: the CLI side of
// core/transfer.h.

/// Whether `name` is a format that exportRange() writes (c, python, base64, ihex, srec and their aliases;
/// not raw and hex, which `read` prints itself).
bool isExportFormat(const QString& name);

/// Prints bytes [offset, end) of `source` to stdout in `format`, streamed 64 KiB at a time (holes read
/// as zeros without touching them). `label` names the source in the C/Python comment and the S0 header.
/// Returns the exit code (errors reported: usage for an IntelHex/SRecord range past 4 GiB).
int exportRange(const ScanSource& source, std::uint64_t offset, std::uint64_t end, TransferFormat format,
                const QString& label);

/// Decodes `input` for `write --format NAME`: the blocks, placed so that the lowest lands on `offset`
/// when given (address-carrying formats keep their own addresses without it; raw and base64 go to
/// `offset` or 0). On bad input returns nullopt with a one-line `error`.
std::optional<std::vector<ImportBlock>> importBlocks(const QByteArray& input, TransferFormat format,
                                                     std::optional<std::uint64_t> offset, QString* error);

} // namespace shmscope
