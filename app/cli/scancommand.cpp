// `shmscope-cli scan` (issue 12, "Value scan"): the first scan writes a state file, each next scan
// narrows it and prints the remaining candidates.
#include "app/shared/numberparse.h"
#include "app/shared/rawarguments.h"
#include "cli.h"
#include "core/mapping.h"
#include "core/valuescan.h"
#include "exitcode.h"
#include "hexformat.h"
#include "inspectcommands.h"
#include "output.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace shmscope {

namespace {

// The test options of a next scan (exactly one) and of a first scan (--value, --range, --unknown).
struct TestOption {
    const char* name;
    ScanTest test;
    bool takesValue;
};
constexpr TestOption kTests[] = {
    { "value", ScanTest::Equal, true },
    { "range", ScanTest::Between, true },
    { "unknown", ScanTest::Any, false },
    { "changed", ScanTest::Changed, false },
    { "unchanged", ScanTest::Unchanged, false },
    { "increased", ScanTest::Increased, false },
    { "decreased", ScanTest::Decreased, false },
    { "increased-by", ScanTest::IncreasedBy, true },
    { "decreased-by", ScanTest::DecreasedBy, true },
};

int printCandidates(const QCommandLineParser& parser, const ValueScan& scan, const Mapping& mapping)
{
    bool ok = false;
    const uint limit = parser.value(QStringLiteral("limit")).toUInt(&ok);
    Result<std::vector<ScanCandidate>> candidates = scan.candidates(0, ok ? limit : 20);
    if (!candidates)
        return reportError(candidates.error());
    const ScanSpec& spec = scan.spec();
    const std::size_t width = valueWidth(spec.type);
    const QString type = QString::fromLatin1(valueTypeName(spec.type).data());
    QJsonArray array;
    QStringList lines;
    for (const ScanCandidate& candidate : *candidates) {
        std::vector<std::uint8_t> now(width);
        const bool live = mapping.read(candidate.offset, now.data(), width).ok();
        const QString value
            = live ? fromStd(ValueScan::formatValue(spec.type, spec.endian, now.data())) : QStringLiteral("?");
        const QString previous = fromStd(ValueScan::formatValue(spec.type, spec.endian, candidate.previous.data()));
        QJsonObject item;
        item[QStringLiteral("offset")] = QString::number(candidate.offset);
        item[QStringLiteral("value")] = value;
        item[QStringLiteral("previous")] = previous;
        array.append(item);
        lines << QStringLiteral("%1 %2 = %3 (scanned: %4)")
                     .arg(formatHexOffset(candidate.offset, 8), type, value, previous);
    }
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonObject result;
        result[QStringLiteral("address")] = fromStd(spec.address);
        result[QStringLiteral("type")] = type;
        result[QStringLiteral("count")] = QString::number(scan.count());
        result[QStringLiteral("scans")] = QString::number(scan.scans());
        result[QStringLiteral("candidates")] = array;
        const QByteArray json = QJsonDocument(result).toJson(QJsonDocument::Indented);
        writeStdout(json.constData(), std::size_t(json.size()));
        return toInt(ExitCode::Ok);
    }
    printLine(Cli::tr("%1 candidate(s) after %2 scan(s)").arg(scan.count()).arg(scan.scans()));
    for (const QString& line : std::as_const(lines))
        printLine(line);
    if (scan.count() > std::uint64_t(lines.size()))
        printLine(Cli::tr("… %1 more (--limit)").arg(scan.count() - std::uint64_t(lines.size())));
    return toInt(ExitCode::Ok);
}

int runScan(const QCommandLineParser& parser, const QStringList& positional)
{
    Result<Address> address = parseAddress(argumentBytes(positional.at(0)).toStdString());
    if (!address)
        return reportError(address.error());
    const QString name = fromStd(toString(*address));
    const bool next = parser.isSet(QStringLiteral("state"));
    if (next == parser.isSet(QStringLiteral("output")))
        return reportUsageError(
            Cli::tr("scan %1: give -o STATE for a first scan or --state STATE for a next scan").arg(name));

    ScanCondition condition;
    int tests = 0;
    for (const TestOption& option : kTests) {
        const QString key = QLatin1String(option.name);
        if (!parser.isSet(key))
            continue;
        ++tests;
        condition.test = option.test;
        if (!option.takesValue)
            continue;
        const QString value = parser.value(key);
        if (option.test == ScanTest::Between) {
            const qsizetype dots = value.indexOf(QStringLiteral(".."));
            if (dots < 0)
                return reportUsageError(Cli::tr("scan %1: --range takes LOW..HIGH").arg(name));
            condition.a = value.left(dots).toStdString();
            condition.b = value.mid(dots + 2).toStdString();
        } else {
            condition.a = value.toStdString();
        }
    }
    if (tests != 1) {
        return reportUsageError(
            next ? Cli::tr("scan %1: give one test: --changed, --unchanged, --increased, --decreased, "
                           "--increased-by N, --decreased-by N, --value V or --range LOW..HIGH")
                       .arg(name)
                 : Cli::tr("scan %1: give one of --value V, --range LOW..HIGH or --unknown").arg(name));
    }

    Result<std::unique_ptr<Mapping>> attached = attachMapping(*address, Access::ReadOnly);
    if (!attached)
        return reportError(attached.error());
    const Mapping& mapping = **attached;
    const MappingScanSource source(mapping);
    const QString canonical = fromStd(toString(mapping.address()));

    if (next) {
        const std::string statePath = argumentBytes(parser.value(QStringLiteral("state"))).toStdString();
        Result<ValueScan> scan = ValueScan::load(statePath);
        if (!scan)
            return reportError(scan.error());
        if (scan->spec().address != toString(mapping.address()))
            return reportUsageError(
                Cli::tr("scan %1: the state %2 is of %3")
                    .arg(canonical, parser.value(QStringLiteral("state")), fromStd(scan->spec().address)));
        if (mapping.size() < scan->spec().size)
            return reportUsageError(
                Cli::tr("scan %1: the object shrank to %2 since the first scan (%3)")
                    .arg(canonical, byteCountText(mapping.size()), byteCountText(scan->spec().size)));
        for (const char* option : { "type", "big-endian", "step" }) {
            if (parser.isSet(QLatin1String(option)))
                return reportUsageError(
                    Cli::tr("scan %1: --%2 belongs to the first scan").arg(canonical, QLatin1String(option)));
        }
        Result<bool> done = scan->next(source, condition);
        if (!done)
            return reportError(done.error());
        return printCandidates(parser, *scan, mapping);
    }

    ScanSpec spec;
    spec.address = toString(mapping.address());
    spec.size = mapping.size();
    const std::optional<ValueType> type = parseValueType(parser.value(QStringLiteral("type")).toStdString());
    if (!type)
        return reportUsageError(
            Cli::tr("scan %1: unknown type '%2' (use i8, u8, i16, u16, i32, u32, i64, u64, f32 or f64)")
                .arg(canonical, parser.value(QStringLiteral("type"))));
    spec.type = *type;
    spec.endian = parser.isSet(QStringLiteral("big-endian")) ? Endian::Big : Endian::Little;
    if (parser.isSet(QStringLiteral("step"))) {
        QString error;
        const std::optional<std::uint64_t> step = parseSize(parser.value(QStringLiteral("step")), &error);
        if (!step || *step == 0)
            return reportUsageError(
                Cli::tr("scan %1: --step: %2").arg(canonical, step ? Cli::tr("must be at least 1") : error));
        spec.step = *step;
    }
    const std::string statePath = argumentBytes(parser.value(QStringLiteral("output"))).toStdString();
    Result<std::optional<ValueScan>> scan = ValueScan::first(source, spec, condition, statePath);
    if (!scan)
        return reportError(scan.error());
    return printCandidates(parser, **scan, mapping);
}

} // namespace

QList<Command> scanCommands()
{
    QList<QCommandLineOption> options {
        QCommandLineOption({ QStringLiteral("o"), QStringLiteral("output") },
                           Cli::tr("First scan: write the scan state to FILE (must not exist)."),
                           QStringLiteral("FILE")),
        QCommandLineOption(QStringLiteral("state"), Cli::tr("Next scan: narrow the scan state in FILE (rewritten)."),
                           QStringLiteral("FILE")),
        QCommandLineOption(
            { QStringLiteral("t"), QStringLiteral("type") },
            Cli::tr("First scan: value type i8, u8, i16, u16, i32, u32, i64, u64, f32 or f64 (default u32)."),
            QStringLiteral("TYPE"), QStringLiteral("u32")),
        QCommandLineOption(QStringLiteral("big-endian"),
                           Cli::tr("First scan: values are big-endian (default little).")),
        QCommandLineOption(
            QStringLiteral("step"),
            Cli::tr(
                "First scan: bytes between candidates (default the type's width: aligned; 1 finds unaligned values)."),
            QStringLiteral("N")),
        QCommandLineOption(QStringLiteral("value"), Cli::tr("Keep values equal to V."), QStringLiteral("V")),
        QCommandLineOption(QStringLiteral("range"), Cli::tr("Keep values from LOW to HIGH (inclusive)."),
                           QStringLiteral("LOW..HIGH")),
        QCommandLineOption(QStringLiteral("unknown"), Cli::tr("First scan: keep every value (unknown initial value).")),
        QCommandLineOption(QStringLiteral("changed"), Cli::tr("Keep values that changed since the last scan.")),
        QCommandLineOption(QStringLiteral("unchanged"), Cli::tr("Keep values that did not change.")),
        QCommandLineOption(QStringLiteral("increased"), Cli::tr("Keep values that grew.")),
        QCommandLineOption(QStringLiteral("decreased"), Cli::tr("Keep values that shrank.")),
        QCommandLineOption(QStringLiteral("increased-by"), Cli::tr("Keep values that grew by exactly N."),
                           QStringLiteral("N")),
        QCommandLineOption(QStringLiteral("decreased-by"), Cli::tr("Keep values that shrank by exactly N."),
                           QStringLiteral("N")),
        QCommandLineOption(QStringLiteral("limit"), Cli::tr("Print at most N candidates (default 20)."),
                           QStringLiteral("N"), QStringLiteral("20")),
        QCommandLineOption(QStringLiteral("json"), Cli::tr("Print JSON (offsets and the count as strings).")),
    };
    return { Command {
        QStringLiteral("scan"),
        Cli::tr("Find where a value lives: a first scan, then next scans that narrow the candidates"),
        QStringLiteral(
            "scan ADDRESS (-o STATE [--type T] (--value V | --range L..H | --unknown) | --state STATE TEST)"),
        Cli::tr(
            "The Cheat Engine / scanmem workflow on a shared object. The first scan (-o STATE) keeps the offsets\n"
            "whose value is V, in a range, or any value (--unknown), and writes them with their values to STATE.\n"
            "Each next scan (--state STATE) keeps those whose value passes TEST against the value the last scan\n"
            "saw: --changed, --unchanged, --increased, --decreased, --increased-by N, --decreased-by N, --value V,\n"
            "--range L..H; then STATE holds the rest. Prints the count and the first candidates with their value\n"
            "now and when scanned. Values are aligned to their width unless --step says otherwise. Memory: one\n"
            "bit per candidate offset; the previous values stay in STATE on disk (after --unknown, as large as\n"
            "the object). Holes are read as zeros without being touched."),
        options,
        { QStringLiteral("ADDRESS") },
        runScan,
    } };
}

} // namespace shmscope
