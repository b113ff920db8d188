#include "cli.h"

#include "app/shared/buildinfo.h"
#include "command.h"
#include "exitcode.h"
#include "output.h"
#include "textcolumns.h"
#include "trace.h"

#include <QCommandLineParser>
#include <memory>

namespace shmscope {

namespace {

QString programName()
{
    return QCoreApplication::applicationName();
}

const Command* findCommand(const QList<Command>& commands, const QString& name)
{
    for (const Command& command : commands) {
        if (command.name == name)
            return &command;
    }
    return nullptr;
}

QCommandLineOption helpOption()
{
    return QCommandLineOption({ QStringLiteral("h"), QStringLiteral("help") }, Cli::tr("Show this help and exit."));
}

QString commandHelpText(const Command& command)
{
    QCommandLineParser parser;
    parser.addOption(helpOption());
    parser.addOptions(command.options);
    // QCommandLineParser's own usage line would read "shmscope-cli [options]" without the command;
    // replace it with the command's synopsis and keep the option table it lays out.
    QString options = parser.helpText();
    options = options.mid(options.indexOf(QLatin1Char('\n')) + 1);
    while (options.startsWith(QLatin1Char('\n')))
        options.remove(0, 1);
    QString text = Cli::tr("Usage: %1 %2").arg(programName(), command.synopsis) + QLatin1String("\n\n");
    text += command.description + QLatin1String("\n\n");
    text += options;
    if (!command.arguments.isEmpty()) {
        text += QLatin1Char('\n')
            + Cli::tr("ADDRESS is [kind:]name with kind posix (the default), file, sysv or sysvid (see '%1 --help').\n"
                      "Exit codes: 0 ok, 1 failure, 2 usage, 3 not found, 4 permission denied, 5 already exists.")
                  .arg(programName())
            + QLatin1Char('\n');
    }
    return text;
}

int runCommand(const Command& command, const QStringList& rest)
{
    QCommandLineParser parser;
    const QCommandLineOption help = helpOption();
    parser.addOption(help);
    parser.addOptions(command.options);
    const QString hint = Cli::tr("try '%1 %2 --help'").arg(programName(), command.name);
    if (!parser.parse(QStringList { programName() } + rest)) {
        QString error = parser.errorText();
        if (error.endsWith(QLatin1Char('.')))
            error.chop(1);
        return reportUsageError(Cli::tr("%1: %2 (%3)").arg(command.name, error, hint));
    }
    if (parser.isSet(help)) {
        const QByteArray text = commandHelpText(command).toUtf8();
        writeStdout(text.constData(), std::size_t(text.size()));
        return toInt(ExitCode::Ok);
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() < command.arguments.size()) {
        return reportUsageError(
            Cli::tr("%1: missing %2 (%3)").arg(command.name, command.arguments.at(positional.size()), hint));
    }
    if (positional.size() > command.arguments.size()) {
        return reportUsageError(Cli::tr("%1: unexpected argument '%2' (%3)")
                                    .arg(command.name, positional.at(command.arguments.size()), hint));
    }
    return command.run(parser, positional);
}

} // namespace

QString Cli::helpText()
{
    const QString program = programName();
    QString text
        = tr("Usage: %1 COMMAND [options]\n"
             "Inspect and change named shared memory: POSIX objects, memory-mapped files and System V segments.\n")
              .arg(program);
    text += QLatin1Char('\n') + tr("Commands:") + QLatin1Char('\n');
    const QList<Command> commands = allCommands();
    qsizetype width = 0;
    for (const Command& command : commands)
        width = std::max(width, displayWidth(command.name));
    for (const Command& command : commands)
        text += QLatin1String("  ") + padRight(command.name, width + 2) + command.summary + QLatin1Char('\n');
    text += QLatin1Char('\n') + tr("Run '%1 COMMAND --help' for the options of a command.").arg(program)
        + QLatin1Char('\n');

    text += QLatin1Char('\n') + tr("Addresses: [kind:]name") + QLatin1Char('\n');
    text += tr("  posix:/NAME   a POSIX shared memory object (/dev/shm/NAME); the default kind, the slash is optional\n"
               "  file:PATH     a file mapped into memory\n"
               "  sysv:KEY      a System V segment by key (decimal or 0x-hex)\n"
               "  sysvid:ID     a System V segment by shmid\n");
    text += tr("Names are bytes. In what this tool prints, a byte that is not UTF-8 or a control character\n"
               "(newline, tab, ESC …) is written \\xHH, and a backslash that would start such an escape \\\\;\n"
               "addresses take that form back, as well as the raw bytes: posix:/obj\\xff is the object\n"
               "whose name ends in the byte 0xff.\n");
    text += QLatin1Char('\n')
        + tr("Sizes are bytes in decimal or 0x-hex, or decimal with a unit K, M or G (powers of 1024): 4096, 0x1000, "
             "64K, 1G.\n"
             "Offsets are decimal or 0x-hex: 16, 0x10.\n");
    text += QLatin1Char('\n') + tr("Exit codes:") + QLatin1Char('\n');
    text += tr("  0  success\n"
               "  1  any other failure\n"
               "  2  usage error: unknown command or option, bad number or address, offset or length past the end\n"
               "  3  the object does not exist\n"
               "  4  permission denied\n"
               "  5  the object already exists\n"
               "  6  diff: the comparison could not be made (there, 1 means \"different\")\n");
    text += QLatin1Char('\n') + tr("Options:") + QLatin1Char('\n');
    text += tr("  -h, --help     Show this help and exit.\n"
               "  -v, --version  Show the version and exit.\n"
               "  --trace        Before the command: print every OS call the command makes to standard error,\n"
               "                 as strace prints it (arguments decoded, result, error, time in the call).\n");
    text += QLatin1Char('\n') + tr("Examples:") + QLatin1Char('\n');
    text += tr("  %1 create posix:/demo --size 64K --mode 0640\n"
               "      Create a 64 KiB POSIX object that the owner's group may read.\n"
               "  %1 write posix:/demo --offset 0x10 --text hello\n"
               "      Write \"hello\" and a NUL at offset 16; running shmscope windows show it at once.\n"
               "  %1 read posix:/demo --length 64\n"
               "      Print the first 64 bytes as a hex dump.\n"
               "  %1 watch sysv:0x2a --count 5\n"
               "      Print the next 5 changes to the System V segment with key 0x2a.\n"
               "  %1 info file:/var/tmp/data.bin --json\n"
               "      Describe a file mapping, with its processes, as JSON.\n"
               "  %1 remove posix:/demo\n"
               "      Remove the object's name.\n")
                .arg(program);
    return text;
}

int Cli::run(const QStringList& argumentsIn)
{
    const QString program = programName();
    QStringList arguments = argumentsIn;
    // --trace is global and comes before the command (after it, it could be an option's value).
    std::unique_ptr<TraceListener> trace;
    if (arguments.size() >= 2 && arguments.at(1) == QLatin1String("--trace")) {
        arguments.removeAt(1);
        trace = std::make_unique<TraceListener>();
    }
    if (arguments.size() < 2)
        return reportUsageError(tr("no command given (try '%1 --help')").arg(program));

    const QString first = arguments.at(1);
    if (first == QLatin1String("-h") || first == QLatin1String("--help")
        || (first == QLatin1String("help") && arguments.size() == 2)) {
        const QByteArray help = helpText().toUtf8();
        writeStdout(help.constData(), std::size_t(help.size()));
        return toInt(ExitCode::Ok);
    }
    if (first == QLatin1String("-v") || first == QLatin1String("--version")) {
        printLine(versionLine(program));
        return toInt(ExitCode::Ok);
    }

    const QList<Command> commands = allCommands();
    if (first == QLatin1String("help")) {
        // "help COMMAND" is the same as "COMMAND --help".
        const Command* command = findCommand(commands, arguments.at(2));
        if (!command || arguments.size() > 3)
            return reportUsageError(tr("help: unknown command '%1' (try '%2 --help')")
                                        .arg(arguments.mid(2).join(QLatin1Char(' ')), program));
        return runCommand(*command, { QStringLiteral("--help") });
    }
    if (first.startsWith(QLatin1Char('-')))
        return reportUsageError(
            tr("unknown option '%1': the command comes first (try '%2 --help')").arg(first, program));

    const Command* command = findCommand(commands, first);
    if (!command)
        return reportUsageError(tr("unknown command '%1' (try '%2 --help')").arg(first, program));
    // The user action every journal row of this run belongs to: the command as typed.
    const journal::Action action([&] { return arguments.mid(1).join(QLatin1Char(' ')).toStdString(); });
    return runCommand(*command, arguments.mid(2));
}

} // namespace shmscope
