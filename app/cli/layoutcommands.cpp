// `decode`, `layouts` and `write --layout`: shared memory seen through Kaitai Struct layouts
// (structures/). The mapping is read in place through a ByteSource over the Mapping (nothing copied
// but the bytes the layout reads), under the object's read lock when it can be taken, so a decode
// never sees a ShmScope write half done.
#include "layoutcommands.h"

#include "app/shared/layoutparams.h"
#include "app/shared/numberparse.h"
#include "app/shared/rawarguments.h"
#include "cli.h"
#include "clishared.h"
#include "core/mapping.h"
#include "exitcode.h"
#include "output.h"
#include "structures/builtinlayouts.h"
#include "structures/decoder.h"
#include "structures/fieldwriter.h"
#include "structures/format.h"

#include <chrono>

namespace shmscope {

namespace {

using namespace std::chrono_literals;
using namespace shmscope::structures;

constexpr auto kLockTimeout = 2000ms;

// The mapping's bytes for the decoder (fault-safe reads through the core).
class MappingSource : public ByteSource
{
public:
    explicit MappingSource(const Mapping& mapping)
        : m_mapping(mapping)
    { }
    std::uint64_t size() const override { return m_mapping.size(); }
    bool read(std::uint64_t offset, void* out, std::size_t length) const override
    {
        return bool(m_mapping.read(offset, out, length));
    }

private:
    const Mapping& m_mapping;
};

QString addressText(const Address& address)
{
    return fromStd(toString(address));
}

// Loads --layout; on failure prints "VERB ADDRESS: layout error" and sets exitCode (usage, 2).
std::shared_ptr<const Schema> layoutOption(const QCommandLineParser& parser, const QString& verb, const QString& name,
                                           int& exitCode)
{
    if (!parser.isSet(QStringLiteral("layout"))) {
        exitCode
            = reportUsageError(Cli::tr("%1 %2: give --layout FILE.ksy or a built-in layout's name").arg(verb, name));
        return nullptr;
    }
    const LoadResult loaded = loadLayoutByName(parser.value(QStringLiteral("layout")).toStdString());
    if (!loaded) {
        exitCode = reportUsageError(Cli::tr("%1 %2: layout %3").arg(verb, name, fromStd(loaded.error->text())));
        return nullptr;
    }
    return loaded.schema;
}

// The values of the root type's params: --param ID=INTEGER, else the -shm-param source (another
// mapping's bytes; a name without a kind takes the decoded object's kind). Returns false with
// exitCode set when one cannot be had.
bool rootParams(const Schema& schema, const Address& object, const QCommandLineParser& parser, const QString& verb,
                const QString& name, DecodeOptions& options, int& exitCode)
{
    std::map<std::string, std::string> given;
    for (const QString& p : parser.values(QStringLiteral("param"))) {
        const qsizetype eq = p.indexOf(QLatin1Char('='));
        if (eq <= 0) {
            exitCode = reportUsageError(Cli::tr("%1 %2: --param wants ID=INTEGER, not '%3'").arg(verb, name, p));
            return false;
        }
        given[p.left(eq).toStdString()] = p.mid(eq + 1).toStdString();
    }
    for (const Param& p : schema.root->params) {
        if (auto it = given.find(p.id); it != given.end()) {
            QString error;
            bool negative = !it->second.empty() && it->second[0] == '-';
            const std::optional<std::uint64_t> v
                = parseOffset(QString::fromStdString(negative ? it->second.substr(1) : it->second), &error);
            if (!v) {
                exitCode = reportUsageError(Cli::tr("%1 %2: --param %3: %4").arg(verb, name, fromStd(p.id), error));
                return false;
            }
            options.params[p.id] = Value::ofInt(negative ? -std::int64_t(*v) : std::int64_t(*v));
            given.erase(it);
            continue;
        }
        if (!p.source) {
            exitCode
                = reportUsageError(Cli::tr("%1 %2: the layout's parameter '%3' needs a value: give --param %3=VALUE")
                                       .arg(verb, name, fromStd(p.id)));
            return false;
        }
        Result<Address> companion = paramSourceAddress(*p.source, object);
        if (!companion) {
            exitCode = reportError(companion.error());
            return false;
        }
        Result<Value> read = readParamSource(*p.source, *companion);
        if (!read) {
            printError(Cli::tr("%1 %2: parameter '%3' comes from %4, which cannot be read")
                           .arg(verb, name, fromStd(p.id), addressText(*companion)));
            exitCode = reportError(read.error());
            return false;
        }
        options.params[p.id] = *read;
    }
    if (!given.empty()) {
        exitCode = reportUsageError(
            Cli::tr("%1 %2: the layout has no parameter '%3'").arg(verb, name, fromStd(given.begin()->first)));
        return false;
    }
    return true;
}

int runDecode(const QCommandLineParser& parser, const QStringList& positional)
{
    int exitCode = 0;
    const std::optional<Address> address = parseAddressArgumentShared(positional.at(0), exitCode);
    if (!address)
        return exitCode;
    const QString name = addressText(*address);
    const std::shared_ptr<const Schema> schema = layoutOption(parser, QStringLiteral("decode"), name, exitCode);
    if (!schema)
        return exitCode;
    DecodeOptions options;
    if (parser.isSet(QStringLiteral("offset"))) {
        QString error;
        const std::optional<std::uint64_t> offset = parseOffset(parser.value(QStringLiteral("offset")), &error);
        if (!offset)
            return reportUsageError(Cli::tr("decode %1: %2").arg(name, error));
        options.offset = *offset;
    }
    std::size_t maxElements = 1000;
    if (parser.isSet(QStringLiteral("elements"))) {
        QString error;
        const std::optional<std::uint64_t> n = parseOffset(parser.value(QStringLiteral("elements")), &error);
        if (!n)
            return reportUsageError(Cli::tr("decode %1: --elements: %2").arg(name, error));
        maxElements = std::size_t(*n);
    }
    if (!rootParams(*schema, *address, parser, QStringLiteral("decode"), name, options, exitCode))
        return exitCode;
    Result<std::unique_ptr<Mapping>> attached = attachMapping(*address, Access::ReadOnly);
    if (!attached)
        return reportError(attached.error());
    Mapping& mapping = **attached;
    if (options.offset > mapping.size())
        return reportUsageError(Cli::tr("decode %1: offset %2 is past the end (size %3)")
                                    .arg(name)
                                    .arg(options.offset)
                                    .arg(byteCountText(mapping.size())));
    // The read lock keeps ShmScope writers out while decoding; a reader who may not take it (a
    // System V segment it may only read) decodes without it.
    Result<LockGuard> guard = mapping.readLock(kLockTimeout);
    auto source = std::shared_ptr<const ByteSource>(std::make_shared<MappingSource>(mapping));
    std::unique_ptr<Tree> tree = Tree::decode(schema, source, options);
    // Everything printed is materialised now, under the lock.
    const std::string text = parser.isSet(QStringLiteral("json")) ? treeJson(tree->root(), maxElements) + "\n"
                                                                  : treeText(tree->root(), maxElements);
    if (!writeStdout(text.data(), text.size()))
        return toInt(ExitCode::Failure);
    if (!tree->error().empty()) {
        printError(Cli::tr("decode %1: %2: %3")
                       .arg(name, fromStd(tree->errorPath().empty() ? schema->id : tree->errorPath()),
                            fromStd(tree->error())));
        return toInt(ExitCode::Failure);
    }
    return toInt(ExitCode::Ok);
}

int runLayouts(const QCommandLineParser& parser, const QStringList&)
{
    std::string out;
    if (parser.isSet(QStringLiteral("json"))) {
        out = "[";
        bool first = true;
        for (const BuiltinLayout& b : builtinLayouts()) {
            out += std::string(first ? "\n" : ",\n") + "  {\"name\": " + jsonString(b.name)
                + ", \"title\": " + jsonString(b.title) + "}";
            first = false;
        }
        out += "\n]\n";
    } else {
        for (const BuiltinLayout& b : builtinLayouts())
            out += b.name + "  " + b.title + "\n";
    }
    return writeStdout(out.data(), out.size()) ? toInt(ExitCode::Ok) : toInt(ExitCode::Failure);
}

} // namespace

int runWriteField(const QCommandLineParser& parser, const QStringList& positional)
{
    int exitCode = 0;
    const std::optional<Address> address = parseAddressArgumentShared(positional.at(0), exitCode);
    if (!address)
        return exitCode;
    const QString name = addressText(*address);
    for (const char* other : { "text", "hex", "file", "stdin", "no-nul" })
        if (parser.isSet(QString::fromLatin1(other)))
            return reportUsageError(Cli::tr("write %1: --%2 does not go with --layout/--field/--value")
                                        .arg(name, QString::fromLatin1(other)));
    if (!parser.isSet(QStringLiteral("field")) || !parser.isSet(QStringLiteral("value")))
        return reportUsageError(Cli::tr("write %1: give --layout, --field and --value together").arg(name));
    const std::shared_ptr<const Schema> schema = layoutOption(parser, QStringLiteral("write"), name, exitCode);
    if (!schema)
        return exitCode;
    DecodeOptions options;
    if (parser.isSet(QStringLiteral("offset"))) {
        QString error;
        const std::optional<std::uint64_t> offset = parseOffset(parser.value(QStringLiteral("offset")), &error);
        if (!offset)
            return reportUsageError(Cli::tr("write %1: %2").arg(name, error));
        options.offset = *offset;
    }
    if (!rootParams(*schema, *address, parser, QStringLiteral("write"), name, options, exitCode))
        return exitCode;
    const std::string field = parser.value(QStringLiteral("field")).toStdString();
    const std::string value = argumentBytes(parser.value(QStringLiteral("value"))).toStdString();

    Result<std::unique_ptr<Mapping>> attached = attachMapping(*address, Access::ReadWrite);
    if (!attached)
        return reportError(attached.error());
    Mapping& mapping = **attached;
    if (options.offset > mapping.size())
        return reportUsageError(Cli::tr("write %1: offset %2 is past the end (size %3); nothing written")
                                    .arg(name)
                                    .arg(options.offset)
                                    .arg(byteCountText(mapping.size())));
    FieldPatch patch;
    {
        // Decode, check and write under one hold of the lock: the field is where the layout says
        // at the moment it is written.
        Result<LockGuard> guard = mapping.lock(kLockTimeout);
        if (!guard)
            return reportError(guard.error());
        auto source = std::make_shared<MappingSource>(mapping);
        std::unique_ptr<Tree> tree = Tree::decode(schema, source, options);
        Node* node = tree->find(field);
        if (!node) {
            QString why = tree->error().empty()
                ? QString()
                : Cli::tr(" (decoding stopped at %1: %2)").arg(fromStd(tree->errorPath()), fromStd(tree->error()));
            return reportUsageError(Cli::tr("write %1: layout %2 has no field '%3' here%4; nothing written")
                                        .arg(name, fromStd(schema->id), fromStd(field), why));
        }
        std::string error;
        std::optional<FieldPatch> encoded = encodeFieldValue(*node, value, *source, error);
        if (!encoded)
            return reportUsageError(Cli::tr("write %1: %2; nothing written").arg(name, fromStd(error)));
        patch = *encoded;
        if (Status written = mapping.write(patch.offset, patch.bytes.data(), patch.bytes.size()); !written)
            return reportError(written.error());
    }
    if (Status status = mapping.flush(); !status)
        return reportError(status.error());
    const QString notified = announceChange(mapping, patch.offset, patch.bytes.size());
    printLine(Cli::tr("wrote %1 = %2 (%3 at offset %4 of %5; %6)")
                  .arg(fromStd(field), fromStd(value), byteCountText(patch.bytes.size()))
                  .arg(patch.offset)
                  .arg(addressText(mapping.address()), notified));
    return toInt(ExitCode::Ok);
}

QList<Command> layoutCommands()
{
    const QCommandLineOption json(QStringLiteral("json"), Cli::tr("Print JSON instead of text."));
    QList<Command> commands;
    commands << Command {
        QStringLiteral("decode"),
        Cli::tr("Show an object's bytes as the fields of a Kaitai Struct (.ksy) layout"),
        QStringLiteral("decode ADDRESS --layout FILE.ksy|NAME [--offset O] [--param ID=V]... [--json] [--elements N]"),
        Cli::tr("Attaches read-only and decodes the object from offset O (default 0) through the layout: a .ksy\n"
                "file or a built-in layout ('layouts' lists them). Prints the tree of fields, one a line with its\n"
                "type, value and byte range (@offset+size), or with --json nested objects with type, offset, size\n"
                "and value (\"fields\" of a struct, \"elements\" of an array). Arrays list at most N elements\n"
                "(default 1000). A layout parameter comes from --param, or from the mapping its -shm-param names.\n"
                "Bytes that do not fit the layout (past the end, wrong magic) give the tree decoded so far, the\n"
                "error at the field where it happened, and exit code 1; a bad layout is a usage error (2)."),
        { QCommandLineOption({ QStringLiteral("l"), QStringLiteral("layout") },
                             Cli::tr("A .ksy file or a built-in layout's name."), QStringLiteral("LAYOUT")),
          QCommandLineOption({ QStringLiteral("o"), QStringLiteral("offset") },
                             Cli::tr("Where the layout starts in the object (decimal or 0x-hex; default 0)."),
                             QStringLiteral("OFFSET")),
          QCommandLineOption(QStringLiteral("param"), Cli::tr("A value for the layout's parameter ID."),
                             QStringLiteral("ID=V")),
          json,
          QCommandLineOption(QStringLiteral("elements"), Cli::tr("List at most N elements of each array."),
                             QStringLiteral("N")) },
        { QStringLiteral("ADDRESS") },
        runDecode
    };
    commands << Command {
        QStringLiteral("layouts"),
        Cli::tr("List the built-in layouts for decode"),
        QStringLiteral("layouts [--json]"),
        Cli::tr("Lists the layouts compiled into ShmScope, by name and title; 'decode --layout NAME' uses one."),
        { json },
        {},
        runLayouts
    };
    return commands;
}

} // namespace shmscope
