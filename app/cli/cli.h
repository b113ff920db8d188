#pragma once

#include <QCoreApplication>
#include <QStringList>

namespace shmscope {

/// The command-line tool: `shmscope-cli COMMAND [options]`. Also the translation context
/// ("shmscope::Cli") of every user-visible string of the CLI, so free functions write Cli::tr().
class Cli
{
    Q_DECLARE_TR_FUNCTIONS(Cli)

public:
    /// Runs the command named in `arguments` (argumentsFromArgv() of app/shared/rawarguments.h: the
    /// program, then the command and its options, with bytes that are not UTF-8 preserved; commands
    /// take an ADDRESS's bytes with argumentBytes()). Prints results to stdout and errors to stderr; returns the exit
    /// code (see ExitCode). Needs a QCoreApplication; runs an event loop only for `watch`.
    static int run(const QStringList& arguments);

    /// The tool's help: usage, commands, address syntax, number syntax, exit codes.
    static QString helpText();
};

} // namespace shmscope
