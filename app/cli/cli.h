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
    /// Runs the command named in `arguments` (QCoreApplication::arguments(): the program, then the
    /// command and its options). Prints results to stdout and errors to stderr; returns the exit code
    /// (see ExitCode). Needs a QCoreApplication; runs an event loop only for `watch`.
    static int run(const QStringList& arguments);

    /// The tool's help: usage, commands, address syntax, number syntax, exit codes.
    static QString helpText();
};

} // namespace shmscope
