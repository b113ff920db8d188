#pragma once

#include "core/mapping.h"

#include <QString>
#include <QStringList>
#include <optional>

namespace shmscope {

/// Everything needed to open a mapping in the GUI: what the open dialog and the command line produce.
struct OpenRequest {
    Address address; ///< the object
    Access access = Access::ReadWrite; ///< how the view maps it
    bool create = false; ///< create the object when missing (create-or-attach; an existing one keeps its size)
    CreateOptions options; ///< size (bytes) and mode used when creating; options.exclusive is ignored
};

/// The built-in demo mapping opened when no address is given: posix:/shmscope-demo, 64 KiB,
/// created if missing, read-write — two instances started the same way share it at once.
OpenRequest demoRequest();

/// Parses the GUI's command line `shmscope [ADDRESS] [--create --size N [--mode M]] [--read-only]
/// [--copy-on-write]` (arguments include the program name; pass argumentsFromArgv() of
/// app/shared/rawarguments.h, not QCoreApplication::arguments(), so that an ADDRESS keeps bytes that
/// are not UTF-8).
/// Returns std::nullopt and sets `error` to a one-line message on bad input (unknown option, bad
/// address, --create without --size, --read-only with --copy-on-write, …). `--help`/`--version` are
/// handled by the caller through helpText().
std::optional<OpenRequest> parseGuiArguments(const QStringList& arguments, QString* error,
                                             bool* helpRequested = nullptr);

/// The --help text of the GUI (usage, options, the address syntax).
QString guiHelpText();

} // namespace shmscope
