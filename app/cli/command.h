#pragma once

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QList>
#include <QString>
#include <QStringList>
#include <functional>

namespace shmscope {

/// One subcommand of shmscope-cli: its help and options, and the function that runs it.
struct Command {
    QString name; ///< what the user types: "create"
    QString summary; ///< one line for the tool's command list
    QString synopsis; ///< the usage line after the program name: "create ADDRESS --size N [--mode MODE] [--exist-ok]"
    QString description; ///< paragraphs shown by `COMMAND --help` between the usage line and the options
    QList<QCommandLineOption> options; ///< the command's options (--help is added by the caller)
    QStringList arguments; ///< names of the required positional arguments, e.g. {"ADDRESS"}
    /// Runs the command once the options parsed and the positional arguments were counted; returns
    /// the exit code. `positional` holds exactly arguments.size() entries.
    std::function<int(const QCommandLineParser& parser, const QStringList& positional)> run;
};

/// The commands about all objects of the machine: holders, usage, clean (inventorycommands.cpp).
QList<Command> inventoryCommands();

/// All commands, translated for the current locale, in the order `--help` lists them.
QList<Command> allCommands();

} // namespace shmscope
