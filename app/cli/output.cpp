#include "output.h"

#include "app/shared/rawarguments.h"
#include "cli.h"
#include "core/nameescape.h"

#include <QCoreApplication>
#include <cstdio>

namespace shmscope {

bool writeStdout(const char* data, std::size_t size)
{
    if (size > 0 && std::fwrite(data, 1, size, stdout) != size)
        return false;
    return std::fflush(stdout) == 0;
}

bool printLine(const QString& line)
{
    const QByteArray bytes = line.toUtf8() + '\n';
    return writeStdout(bytes.constData(), std::size_t(bytes.size()));
}

void printError(const QString& message)
{
    // The prefix names the tool, as coreutils do, so the line makes sense in a script's log. A message
    // may quote an argument as typed (bytes that are not UTF-8, an ESC, a newline): it is escaped so
    // that the error stays one line and nothing reaches the terminal raw.
    const std::string text = printableText(argumentBytes(message).toStdString());
    const QByteArray bytes
        = QCoreApplication::applicationName().toUtf8() + ": " + QByteArray(text.data(), qsizetype(text.size())) + '\n';
    std::fwrite(bytes.constData(), 1, std::size_t(bytes.size()), stderr);
    std::fflush(stderr);
}

int reportError(const Error& error)
{
    printError(fromStd(error.message()));
    return toInt(exitCodeFor(error.code));
}

QString byteCountText(std::uint64_t count)
{
    return count == 1 ? Cli::tr("1 byte") : Cli::tr("%1 bytes").arg(count);
}

int reportUsageError(const QString& message)
{
    printError(message);
    return toInt(ExitCode::Usage);
}

} // namespace shmscope
