#pragma once

#include "core/error.h"
#include "exitcode.h"

#include <QByteArray>
#include <QString>
#include <cstddef>
#include <cstdint>
#include <string>

namespace shmscope {

// How shmscope-cli talks to its caller: results on stdout, one line per error on stderr.
// stdout is flushed after every line so that pipes and tests see each line as soon as it exists
// (stdio would buffer whole blocks when stdout is not a terminal).

/// Writes `line` and a newline to stdout as UTF-8, then flushes. Returns false when stdout cannot be
/// written (e.g. the reading end of a pipe was closed and SIGPIPE is ignored).
bool printLine(const QString& line);

/// Writes `size` bytes to stdout unchanged, then flushes. Returns false on a write error.
bool writeStdout(const char* data, std::size_t size);

/// Writes "shmscope-cli: MESSAGE" and a newline to stderr, MESSAGE made one printable line
/// (printableText() of core/nameescape.h, after argumentBytes() recovered quoted argv bytes).
void printError(const QString& message);

/// Prints error.message() through printError() and returns the exit code for error.code.
int reportError(const Error& error);

/// Prints a usage error ("shmscope-cli: MESSAGE") and returns ExitCode::Usage.
int reportUsageError(const QString& message);

/// A byte count for messages: "1 byte", "4096 bytes" (exact, unlike formatBytes()).
QString byteCountText(std::uint64_t count);

/// A std::string from the core (UTF-8) as a QString. Names must go through toString() or
/// escapeName() first: raw name bytes that are not UTF-8 would become U+FFFD here.
inline QString fromStd(const std::string& text)
{
    return QString::fromStdString(text);
}

} // namespace shmscope
