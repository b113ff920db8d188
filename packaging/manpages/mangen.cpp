// shmscope-mangen: writes the man page of a ShmScope program from what the program itself prints for
// --version and --help (and, with --commands, for `COMMAND --help` of every command its --help lists),
// so that the page cannot drift from the option tables behind --help (app/cli/command.h, the
// QCommandLineParser of app/gui/openrequest.cpp). Run at build time by packaging/manpages/CMakeLists.txt.
//
//   shmscope-mangen PROGRAM NAME --date YYYY-MM-DD [--commands] [--see-also TEXT] --output NAME.1
//
// The help text is read the way it is laid out: "Usage: …" first, then the description; a short line
// "Heading:" (or "Heading: text") starts a section ("Exit codes" becomes EXIT STATUS); lines indented
// by two spaces are items ("TERM  text", the text possibly continued on deeper-indented lines), other
// lines are paragraphs. The program runs in the C locale, so the page is in English.
// Exit status: 0, or 1 with a message on stderr when the program could not be run, printed no usage,
// or the page could not be written (then no file is left).
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QProcess>
#include <QRegularExpression>
#include <QSaveFile>
#include <QTextStream>
#include <cstdio>

namespace {

struct Item {
    QString term;
    QStringList text;
    qsizetype indent = 0;
};

struct Block {
    bool items = false; // a list of items, or one paragraph of `lines`
    QStringList lines;
    QList<Item> entries;
};

struct Section {
    QString title;
    QList<Block> blocks;
};

struct Help {
    QString usage; // what follows the program name on the usage line
    QList<Section> sections; // the first is the description (title "DESCRIPTION")
};

// Runs PROGRAM with `arguments` in the C locale; returns its standard output, or an empty string
// with `error` set when it could not run or failed.
QString runProgram(const QString& program, const QStringList& arguments, QString* error)
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("LC_ALL"), QStringLiteral("C.UTF-8"));
    environment.remove(QStringLiteral("LANGUAGE"));
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    process.setProcessEnvironment(environment);
    process.start(program, arguments);
    if (!process.waitForFinished(30000) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        *error = QStringLiteral("%1 %2: %3 %4")
                     .arg(program, arguments.join(QLatin1Char(' ')), process.errorString(),
                          QString::fromUtf8(process.readAllStandardError()));
        return {};
    }
    return QString::fromUtf8(process.readAllStandardOutput());
}

bool isHeading(const QString& line, QString* title, QString* rest)
{
    static const QRegularExpression heading(QStringLiteral("^([A-Z][A-Za-z]*(?: [a-z]+){0,2}):(?: (.*))?$"));
    const QRegularExpressionMatch match = heading.match(line);
    if (line.size() > 40 || !match.hasMatch())
        return false;
    *title = match.captured(1);
    *rest = match.captured(2);
    return true;
}

Help parseHelp(const QString& text)
{
    static const QRegularExpression item(QStringLiteral("^(\\S.*?)\\s{2,}(\\S.*)$"));
    Help help;
    QStringList lines = text.split(QLatin1Char('\n'));
    if (lines.isEmpty() || !lines.first().startsWith(QLatin1String("Usage: ")))
        return help;
    // "Usage: PATH/program rest": the program is named by the page, not by the path it ran from.
    const QString usage = lines.takeFirst().mid(7);
    help.usage = usage.mid(usage.indexOf(QLatin1Char(' ')) + 1);
    help.sections.append(Section { QStringLiteral("DESCRIPTION"), {} });
    bool newParagraph = true;
    for (const QString& line : std::as_const(lines)) {
        QList<Block>& blocks = help.sections.last().blocks;
        QString title;
        QString rest;
        if (line.trimmed().isEmpty()) {
            newParagraph = true;
        } else if (isHeading(line, &title, &rest)) {
            help.sections.append(Section { title, {} });
            if (!rest.isEmpty())
                help.sections.last().blocks.append(Block { false, { rest }, {} });
            newParagraph = true;
        } else if (line.startsWith(QLatin1String("  "))) {
            const QString content = line.trimmed();
            const qsizetype leading = line.indexOf(content);
            if (!blocks.isEmpty() && blocks.last().items && !blocks.last().entries.isEmpty()
                && leading > blocks.last().entries.last().indent) {
                blocks.last().entries.last().text.append(content);
                continue;
            }
            if (blocks.isEmpty() || !blocks.last().items)
                blocks.append(Block { true, {}, {} });
            const QRegularExpressionMatch match = item.match(content);
            if (match.hasMatch())
                blocks.last().entries.append(Item { match.captured(1), { match.captured(2) }, leading });
            else
                blocks.last().entries.append(Item { content, {}, leading });
            newParagraph = true;
        } else {
            if (newParagraph || blocks.isEmpty() || blocks.last().items)
                blocks.append(Block { false, {}, {} });
            blocks.last().lines.append(line.trimmed());
            newParagraph = false;
        }
    }
    return help;
}

// Text for roff: backslashes and hyphens escaped, characters outside ASCII as \[uXXXX], and a line
// that would start with a control character ('.' or '\'') protected.
QString roff(const QString& text)
{
    QString out;
    for (const QChar c : text) {
        if (c == QLatin1Char('\\'))
            out += QLatin1String("\\e");
        else if (c == QLatin1Char('-'))
            out += QLatin1String("\\-");
        else if (c.unicode() > 0x7e)
            out += QLatin1String("\\[u")
                + QString::number(c.unicode(), 16).toUpper().rightJustified(4, QLatin1Char('0')) + QLatin1Char(']');
        else
            out += c;
    }
    if (out.startsWith(QLatin1Char('.')) || out.startsWith(QLatin1Char('\'')))
        out.prepend(QLatin1String("\\&"));
    return out;
}

QString manTitle(const QString& title)
{
    if (title == QLatin1String("Exit codes"))
        return QStringLiteral("EXIT STATUS");
    return title.toUpper();
}

void writeBlocks(QTextStream& out, const QList<Block>& blocks)
{
    for (const Block& block : blocks) {
        if (!block.items) {
            out << ".PP\n";
            for (const QString& line : block.lines)
                out << roff(line) << '\n';
            continue;
        }
        for (const Item& entry : block.entries) {
            out << ".TP\n\\fB" << roff(entry.term) << "\\fR\n";
            for (const QString& line : entry.text)
                out << roff(line) << '\n';
        }
    }
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("PROGRAM"), QStringLiteral("The program to document."));
    parser.addPositionalArgument(QStringLiteral("NAME"),
                                 QStringLiteral("The name of the page (the installed program)."));
    const QCommandLineOption date(QStringLiteral("date"), QStringLiteral("The page's date."), QStringLiteral("DATE"));
    const QCommandLineOption commands(QStringLiteral("commands"),
                                      QStringLiteral("Document every command of the Commands section."));
    const QCommandLineOption seeAlso(QStringLiteral("see-also"), QStringLiteral("The SEE ALSO line."),
                                     QStringLiteral("TEXT"));
    const QCommandLineOption output(QStringLiteral("output"), QStringLiteral("The file to write."),
                                    QStringLiteral("FILE"));
    parser.addOptions({ date, commands, seeAlso, output });
    parser.process(app);
    if (parser.positionalArguments().size() != 2 || !parser.isSet(output)) {
        std::fputs("usage: shmscope-mangen PROGRAM NAME --date DATE [--commands] [--see-also TEXT] --output FILE\n",
                   stderr);
        return 2;
    }
    const QString program = parser.positionalArguments().at(0);
    const QString name = parser.positionalArguments().at(1);

    QString error;
    const QString version = runProgram(program, { QStringLiteral("--version") }, &error).trimmed();
    const Help help = parseHelp(runProgram(program, { QStringLiteral("--help") }, &error));
    if (!error.isEmpty() || help.usage.isEmpty()) {
        std::fprintf(stderr, "shmscope-mangen: %s: %s\n", qPrintable(program),
                     qPrintable(error.isEmpty() ? QStringLiteral("no usage line in --help") : error));
        return 1;
    }

    QString page;
    QTextStream out(&page);
    // "shmscope 0.1.0 (commit …)": the page names the version, not the commit.
    const QString release = QStringLiteral("ShmScope ") + version.section(QLatin1Char(' '), 1, 1);
    out << ".\\\" Generated by shmscope-mangen from `" << name << " --help`; do not edit.\n";
    out << ".TH \"" << roff(name.toUpper()) << "\" \"1\" \"" << parser.value(date) << "\" \"" << release
        << "\" \"User Commands\"\n";
    const Section& description = help.sections.first();
    QString summary = description.blocks.isEmpty() || description.blocks.first().items
        ? name
        : description.blocks.first().lines.first();
    if (summary.endsWith(QLatin1Char('.')))
        summary.chop(1);
    out << ".SH NAME\n" << roff(name) << " \\- " << roff(summary) << '\n';
    out << ".SH SYNOPSIS\n.B " << roff(name) << '\n' << roff(help.usage) << '\n';
    for (const Section& section : help.sections) {
        out << ".SH " << manTitle(section.title) << '\n';
        writeBlocks(out, section.blocks);
        if (!parser.isSet(commands) || section.title != QLatin1String("Commands"))
            continue;
        for (const Block& block : section.blocks) {
            for (const Item& entry : block.entries) {
                const Help command = parseHelp(runProgram(program, { entry.term, QStringLiteral("--help") }, &error));
                if (!error.isEmpty() || command.usage.isEmpty()) {
                    std::fprintf(stderr, "shmscope-mangen: %s %s --help: %s\n", qPrintable(program),
                                 qPrintable(entry.term), qPrintable(error));
                    return 1;
                }
                out << ".SS \"" << roff(entry.term) << "\"\n.nf\n\\fB" << roff(name) << "\\fR " << roff(command.usage)
                    << "\n.fi\n";
                for (const Section& part : command.sections) {
                    if (part.title != QLatin1String("DESCRIPTION"))
                        out << ".PP\n\\fI" << roff(part.title) << ":\\fR\n";
                    writeBlocks(out, part.blocks);
                }
            }
        }
    }
    if (parser.isSet(seeAlso))
        out << ".SH \"SEE ALSO\"\n" << roff(parser.value(seeAlso)) << '\n';
    out.flush();
    QSaveFile file(parser.value(output));
    if (!file.open(QIODevice::WriteOnly) || file.write(page.toUtf8()) < 0 || !file.commit()) {
        std::fprintf(stderr, "shmscope-mangen: %s: %s\n", qPrintable(file.fileName()), qPrintable(file.errorString()));
        return 1;
    }
    return 0;
}
