// The subcommands about all objects of the machine: `holders` (who maps or holds one object),
// `usage` (how full /dev/shm is and who fills it) and `clean` (remove what is stale). The rules
// live in the core (core/catalog.h, core/stale.h, core/shmusage.h); this file only parses options
// and prints.
#include "app/shared/numberparse.h"
#include "app/shared/rawarguments.h"
#include "cli.h"
#include "command.h"
#include "core/catalog.h"
#include "core/nameescape.h"
#include "core/shmusage.h"
#include "core/stale.h"
#include "exitcode.h"
#include "objectformat.h"
#include "output.h"
#include "textcolumns.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <algorithm>
#include <ctime>
#include <fnmatch.h>
#include <optional>

namespace shmscope {

namespace {

constexpr std::chrono::seconds kDefaultGrace = std::chrono::minutes(10);
constexpr std::size_t kDefaultTop = 10;

const QString kOlderThan = QStringLiteral("older-than");

void printJson(const QJsonDocument& document)
{
    const QByteArray json = document.toJson(QJsonDocument::Indented);
    writeStdout(json.constData(), std::size_t(json.size()));
}

QString addressText(const Address& address)
{
    return fromStd(toString(address));
}

// "90", "90s", "15m", "1h", "2d" as seconds; nullopt for anything else.
std::optional<std::chrono::seconds> parseDuration(const QString& text)
{
    static const QRegularExpression pattern(QStringLiteral("^(\\d{1,9})\\s*([smhd]?)$"));
    const QRegularExpressionMatch match = pattern.match(text.trimmed());
    if (!match.hasMatch())
        return std::nullopt;
    const qint64 value = match.captured(1).toLongLong();
    const QString unit = match.captured(2);
    const qint64 factor = unit == QLatin1String("m") ? 60
        : unit == QLatin1String("h")                 ? 3600
        : unit == QLatin1String("d")                 ? 86400
                                                     : 1;
    return std::chrono::seconds(value * factor);
}

// The --older-than option (the grace period), default 10 minutes; on bad input a usage error naming `verb`.
std::optional<std::chrono::seconds> graceOption(const QCommandLineParser& parser, const QString& verb, int& exitCode)
{
    if (!parser.isSet(kOlderThan))
        return kDefaultGrace;
    const QString text = parser.value(kOlderThan);
    const std::optional<std::chrono::seconds> grace = parseDuration(text);
    if (!grace) {
        exitCode = reportUsageError(
            Cli::tr("%1: --older-than %2: not a duration (a number with s, m, h or d, e.g. 90s, 10m, 1h)")
                .arg(verb, text));
    }
    return grace;
}

QString ageText(std::int64_t seconds)
{
    if (seconds < 120)
        return Cli::tr("%1 s").arg(seconds);
    if (seconds < 2 * 3600)
        return Cli::tr("%1 min").arg(seconds / 60);
    if (seconds < 2 * 86400)
        return Cli::tr("%1 h").arg(seconds / 3600);
    return Cli::tr("%1 days").arg(seconds / 86400);
}

QString holderLine(const Holder& holder)
{
    return fromStd(printableText(holderText(holder)));
}

QJsonObject verdictToJson(const StaleVerdict& verdict)
{
    QJsonObject object { { QStringLiteral("state"), QLatin1String(staleStateName(verdict.state)) },
                         { QStringLiteral("reason"), fromStd(printableText(verdict.reason)) },
                         { QStringLiteral("ageSeconds"), qint64(verdict.ageSeconds) } };
    if (!verdict.leftoverOf.empty())
        object.insert(QStringLiteral("leftoverOf"), fromStd(printableText(verdict.leftoverOf)));
    if (!verdict.qtKeyFile.empty())
        object.insert(QStringLiteral("qtKeyFile"), fromStd(escapeName(verdict.qtKeyFile)));
    return object;
}

// ---- holders -------------------------------------------------------------------------------------

int runHolders(const QCommandLineParser& parser, const QStringList& positional)
{
    Result<Address> address = parseAddress(argumentBytes(positional.at(0)).toStdString());
    if (!address)
        return reportError(address.error());
    int exitCode = 0;
    const std::optional<std::chrono::seconds> grace = graceOption(parser, QStringLiteral("holders"), exitCode);
    if (!grace)
        return exitCode;
    Result<ObjectInfo> info = describeObject(*address);
    if (!info)
        return reportError(info.error());
    const StaleVerdict verdict = judgeStale(*info, findLeftoverEvidence(), *grace, std::time(nullptr));

    if (parser.isSet(QStringLiteral("json"))) {
        QJsonObject object = objectToJson(*info);
        object.insert(QStringLiteral("stale"), verdictToJson(verdict));
        printJson(QJsonDocument(object));
        return toInt(ExitCode::Ok);
    }
    printLine(Cli::tr("%1: %2, allocated %3, mode %4, owner %5, unchanged for %6")
                  .arg(addressText(info->address), fromStd(formatBytes(info->size)),
                       fromStd(formatBytes(info->allocated)), formatMode(info->mode),
                       fromStd(printableText(info->owner)), ageText(verdict.ageSeconds)));
    printLine(Cli::tr("state: %1 (%2)")
                  .arg(QLatin1String(staleStateName(verdict.state)), fromStd(printableText(verdict.reason))));
    if (!verdict.leftoverOf.empty())
        printLine(Cli::tr("looks like a leftover of: %1").arg(fromStd(printableText(verdict.leftoverOf))));
    if (info->holders.empty()) {
        printLine(Cli::tr("holders: none found"));
    } else {
        QList<QStringList> rows { { Cli::tr("PID"), Cli::tr("NAME"), Cli::tr("HOW") } };
        for (const Holder& holder : info->holders) {
            rows << QStringList { QString::number(holder.pid), fromStd(printableText(holder.name)),
                                  fromStd(holderUseText(holder.uses)) };
        }
        QList<qsizetype> widths(3, 0);
        for (const QStringList& row : rows) {
            for (int i = 0; i < 3; ++i)
                widths[i] = std::max(widths[i], displayWidth(row[i]));
        }
        for (const QStringList& row : rows)
            printLine(padRight(row[0], widths[0] + 2) + padRight(row[1], widths[1] + 2) + row[2]);
    }
    if (info->uninspectedProcesses > 0)
        printLine(uninspectedText(info->uninspectedProcesses));
    return toInt(ExitCode::Ok);
}

// ---- usage ---------------------------------------------------------------------------------------

int runUsage(const QCommandLineParser& parser, const QStringList&)
{
    std::size_t top = kDefaultTop;
    if (parser.isSet(QStringLiteral("top"))) {
        bool ok = false;
        const uint value = parser.value(QStringLiteral("top")).toUInt(&ok);
        if (!ok)
            return reportUsageError(Cli::tr("usage: --top %1: not a count").arg(parser.value(QStringLiteral("top"))));
        top = value;
    }
    Result<Inventory> inventory = takeInventory();
    if (!inventory)
        return reportError(inventory.error());
    Result<ShmUsage> usage = measureShmUsage(*inventory, top);
    if (!usage)
        return reportError(usage.error());

    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray largest;
        for (const ObjectInfo& info : usage->largest)
            largest.append(objectToJson(info));
        QJsonObject object { { QStringLiteral("path"), fromStd(usage->path) },
                             { QStringLiteral("size"), qint64(usage->size) },
                             { QStringLiteral("used"), qint64(usage->used) },
                             { QStringLiteral("free"), qint64(usage->free) },
                             { QStringLiteral("objectsAllocated"), qint64(usage->objectsAllocated) },
                             { QStringLiteral("uninspectedProcesses"), qint64(usage->uninspectedProcesses) },
                             { QStringLiteral("largest"), largest } };
        printJson(QJsonDocument(object));
        return toInt(ExitCode::Ok);
    }
    const double percent = usage->size ? 100.0 * double(usage->used) / double(usage->size) : 0.0;
    printLine(Cli::tr("%1: size %2, used %3 (%4%), free %5")
                  .arg(fromStd(usage->path), fromStd(formatBytes(usage->size)), fromStd(formatBytes(usage->used)),
                       QString::number(percent, 'f', 1), fromStd(formatBytes(usage->free))));
    printLine(Cli::tr("objects and semaphores take %1").arg(fromStd(formatBytes(usage->objectsAllocated))));
    if (usage->largest.empty())
        return toInt(ExitCode::Ok);
    QList<QStringList> rows { { Cli::tr("ALLOCATED"), Cli::tr("SIZE"), Cli::tr("OWNER"), Cli::tr("ADDRESS"),
                                Cli::tr("HOLDERS") } };
    for (const ObjectInfo& info : usage->largest) {
        QStringList holders;
        for (const Holder& holder : info.holders)
            holders << holderLine(holder);
        if (holders.isEmpty())
            holders << (info.uninspectedProcesses ? uninspectedText(info.uninspectedProcesses) : QStringLiteral("-"));
        rows << QStringList { fromStd(formatBytes(info.allocated)), fromStd(formatBytes(info.size)),
                              fromStd(printableText(info.owner)), addressText(info.address),
                              holders.join(QStringLiteral(", ")) };
    }
    QList<qsizetype> widths(5, 0);
    for (const QStringList& row : rows) {
        for (int i = 0; i < 5; ++i)
            widths[i] = std::max(widths[i], displayWidth(row[i]));
    }
    for (const QStringList& row : rows) {
        printLine(padLeft(row[0], widths[0]) + QStringLiteral("  ") + padLeft(row[1], widths[1]) + QStringLiteral("  ")
                  + padRight(row[2], widths[2] + 2) + padRight(row[3], widths[3] + 2) + row[4]);
    }
    return toInt(ExitCode::Ok);
}

// ---- clean ---------------------------------------------------------------------------------------

// True when one of `globs` (fnmatch, no special meaning for '/') matches one of the object's names:
// its address ("posix:/NAME", "sysv:0x…"), a POSIX object's NAME, or its QSharedMemory key file's name.
bool nameMatches(const QList<QByteArray>& globs, const ObjectInfo& object, const StaleVerdict& verdict)
{
    if (globs.isEmpty())
        return true;
    std::vector<std::string> names { toString(object.address) };
    if (object.address.kind == Kind::Posix)
        names.push_back(object.address.name.substr(1));
    if (!verdict.qtKeyFile.empty())
        names.push_back(verdict.qtKeyFile.substr(verdict.qtKeyFile.rfind('/') + 1));
    for (const QByteArray& glob : globs) {
        for (const std::string& name : names) {
            if (::fnmatch(glob.constData(), name.c_str(), 0) == 0)
                return true;
        }
    }
    return false;
}

int runClean(const QCommandLineParser& parser, const QStringList&)
{
    int exitCode = 0;
    const std::optional<std::chrono::seconds> grace = graceOption(parser, QStringLiteral("clean"), exitCode);
    if (!grace)
        return exitCode;
    QList<QByteArray> globs;
    for (const QString& glob : parser.values(QStringLiteral("name"))) {
        if (glob.isEmpty())
            return reportUsageError(Cli::tr("clean: --name needs a pattern"));
        globs << argumentBytes(glob);
    }
    CleanOptions options;
    options.grace = *grace;
    options.dryRun = parser.isSet(QStringLiteral("dry-run"));
    options.select = [&globs](const ObjectInfo& object, const StaleVerdict& verdict) {
        return nameMatches(globs, object, verdict);
    };
    // QSystemSemaphore leftovers too, by the name of their key file.
    options.qtSemaphores = true;
    options.selectSemaphore = [&globs](const QtSemaphoreLeftover& leftover) {
        const std::string name = leftover.keyFile.substr(leftover.keyFile.rfind('/') + 1);
        return globs.isEmpty() || std::any_of(globs.begin(), globs.end(), [&name](const QByteArray& glob) {
                   return ::fnmatch(glob.constData(), name.c_str(), 0) == 0;
               });
    };
    Result<CleanReport> report = cleanStaleObjects(options);
    if (!report)
        return reportError(report.error());

    bool failed = false;
    std::size_t removed = 0;
    QJsonArray removedJson, wouldJson, keptJson, failedJson;
    QStringList lines;
    for (const CleanAction& action : report->actions) {
        const QString address = addressText(action.object.address);
        const QString reason = fromStd(printableText(action.verdict.reason));
        QString evidence;
        if (!action.verdict.leftoverOf.empty())
            evidence = Cli::tr(" [leftover of %1]").arg(fromStd(printableText(action.verdict.leftoverOf)));
        QJsonObject entry { { QStringLiteral("address"), address },
                            { QStringLiteral("stale"), verdictToJson(action.verdict) } };
        if (action.error) {
            failed = true;
            entry.insert(QStringLiteral("error"), fromStd(action.error->message()));
            failedJson.append(entry);
            lines << Cli::tr("failed %1: %2").arg(address, fromStd(action.error->message()));
        } else if (action.removed) {
            ++removed;
            if (!action.removedKeyFile.empty())
                entry.insert(QStringLiteral("removedKeyFile"), fromStd(escapeName(action.removedKeyFile)));
            removedJson.append(entry);
            lines << Cli::tr("removed %1: %2%3").arg(address, reason, evidence);
            if (!action.removedKeyFile.empty())
                lines << Cli::tr("removed %1: the QSharedMemory key file of %2")
                             .arg(fromStd(escapeName(action.removedKeyFile)), address);
        } else if (options.dryRun) {
            wouldJson.append(entry);
            lines << Cli::tr("would remove %1: %2%3").arg(address, reason, evidence);
        } else {
            keptJson.append(entry);
            lines << Cli::tr("kept %1: no longer stale when re-checked: %2 (%3)")
                         .arg(address, QLatin1String(staleStateName(action.verdict.state)), reason);
        }
    }
    QJsonArray semaphoreJson;
    std::size_t semaphoresRemoved = 0;
    for (const QtSemaphoreLeftover& leftover : report->semaphoreSets) {
        const QString keyFile = fromStd(escapeName(leftover.keyFile));
        const QString set = leftover.semid < 0
            ? Cli::tr("the key file %1 (its semaphore set is gone)").arg(keyFile)
            : Cli::tr("semaphore set %1 (key 0x%2)").arg(leftover.semid).arg(leftover.key, 8, 16, QLatin1Char('0'));
        const QString reason = fromStd(printableText(leftover.verdict.reason));
        QJsonObject entry { { QStringLiteral("keyFile"), keyFile },
                            { QStringLiteral("key"),
                              QStringLiteral("0x%1").arg(leftover.key, 8, 16, QLatin1Char('0')) },
                            { QStringLiteral("semid"), leftover.semid },
                            { QStringLiteral("stale"), verdictToJson(leftover.verdict) } };
        QString action;
        if (leftover.error) {
            failed = true;
            action = QStringLiteral("failed");
            entry.insert(QStringLiteral("error"), fromStd(leftover.error->message()));
            lines << Cli::tr("failed %1: %2").arg(set, fromStd(leftover.error->message()));
        } else if (leftover.removed) {
            ++semaphoresRemoved;
            action = QStringLiteral("removed");
            lines << Cli::tr("removed %1: %2 [leftover of QSystemSemaphore]").arg(set, reason);
            if (leftover.semid >= 0)
                lines << Cli::tr("removed %1: the QSystemSemaphore key file of semaphore set %2")
                             .arg(keyFile)
                             .arg(leftover.semid);
        } else if (options.dryRun) {
            action = QStringLiteral("would remove");
            lines << Cli::tr("would remove %1: %2 [leftover of QSystemSemaphore]").arg(set, reason);
        } else {
            action = QStringLiteral("kept");
            lines << Cli::tr("kept %1: no longer stale when re-checked: %2 (%3)")
                         .arg(set, QLatin1String(staleStateName(leftover.verdict.state)), reason);
        }
        entry.insert(QStringLiteral("action"), action);
        semaphoreJson.append(entry);
    }
    const int code = toInt(failed ? ExitCode::Failure : ExitCode::Ok);
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonObject semaphoresKept;
        for (const auto& [state, count] : report->semaphoreSetsKept)
            semaphoresKept.insert(QLatin1String(staleStateName(state)), qint64(count));
        QJsonObject kept;
        for (const auto& [state, count] : report->kept)
            kept.insert(QLatin1String(staleStateName(state)), qint64(count));
        printJson(QJsonDocument(
            QJsonObject { { QStringLiteral("dryRun"), options.dryRun },
                          { QStringLiteral("graceSeconds"), qint64(grace->count()) },
                          { QStringLiteral("considered"), qint64(report->considered) },
                          { QStringLiteral("removed"), removedJson },
                          { QStringLiteral("wouldRemove"), wouldJson },
                          { QStringLiteral("keptOnRecheck"), keptJson },
                          { QStringLiteral("failed"), failedJson },
                          { QStringLiteral("kept"), kept },
                          { QStringLiteral("semaphoreSets"), semaphoreJson },
                          { QStringLiteral("semaphoreSetsConsidered"), qint64(report->semaphoreSetsConsidered) },
                          { QStringLiteral("semaphoreSetsKept"), semaphoresKept },
                          { QStringLiteral("uninspectedProcesses"), qint64(report->uninspectedProcesses) } }));
        return code;
    }
    for (const QString& line : lines)
        printLine(line);
    QStringList keptCounts;
    for (const auto& [state, count] : report->kept)
        keptCounts << QStringLiteral("%1 %2").arg(count).arg(QLatin1String(staleStateName(state)));
    const QString summary = options.dryRun
        ? Cli::tr("%1 of %2 objects considered would be removed").arg(wouldJson.size()).arg(report->considered)
        : Cli::tr("removed %1 of %2 objects considered").arg(removed).arg(report->considered);
    printLine(keptCounts.isEmpty() ? summary
                                   : Cli::tr("%1; left alone: %2").arg(summary, keptCounts.join(QStringLiteral(", "))));
    if (report->semaphoreSetsConsidered > 0) {
        QStringList semaphoreCounts;
        for (const auto& [state, count] : report->semaphoreSetsKept)
            semaphoreCounts << QStringLiteral("%1 %2").arg(count).arg(QLatin1String(staleStateName(state)));
        const QString line = options.dryRun ? Cli::tr("%1 of %2 QSystemSemaphore leftovers considered would be removed")
                                                  .arg(report->semaphoreSets.size())
                                                  .arg(report->semaphoreSetsConsidered)
                                            : Cli::tr("removed %1 of %2 QSystemSemaphore leftovers considered")
                                                  .arg(semaphoresRemoved)
                                                  .arg(report->semaphoreSetsConsidered);
        printLine(semaphoreCounts.isEmpty()
                      ? line
                      : Cli::tr("%1; left alone: %2").arg(line, semaphoreCounts.join(QStringLiteral(", "))));
    }
    if (report->uninspectedProcesses > 0)
        printLine(Cli::tr("%1: objects nobody was seen holding are 'unknown', not stale (other users' processes need "
                          "root, and some processes refuse inspection)")
                      .arg(uninspectedText(report->uninspectedProcesses)));
    return code;
}

} // namespace

QList<Command> inventoryCommands()
{
    const QCommandLineOption json(QStringLiteral("json"), Cli::tr("Print JSON with exact numbers instead of text."));
    const QCommandLineOption olderThan(
        kOlderThan,
        Cli::tr("Grace period: an object that changed more recently is never stale (90s, 10m, 1h, 2d; default 10m)."),
        QStringLiteral("DURATION"));
    const QString rule
        = Cli::tr("An object is stale only when no process maps it or holds a descriptor to it (matched by device and\n"
                  "inode), every process could be inspected (else its state is 'unknown'), and it has not changed for\n"
                  "the grace period. A System V segment with no attached process is 'unattached', and stale only when\n"
                  "the processes that made it and last used it are gone too: some programs keep segments on purpose.");

    QList<Command> commands;
    commands << Command {
        QStringLiteral("holders"),
        Cli::tr("Show every process that maps an object or holds a descriptor to it"),
        QStringLiteral("holders ADDRESS [--older-than D] [--json]"),
        Cli::tr("Reads /proc once: each process's maps (shared read-write, read-only or private mappings) and its\n"
                "open descriptors, and prints pid, command name and how it holds the object, then the object's\n"
                "state (in use, recent, unattached, unknown, stale, removing) and why. Processes that could not be\n"
                "inspected (other users' processes when not root, or ones that took too long) are counted.")
            + QLatin1Char('\n') + rule,
        { olderThan, json },
        { QStringLiteral("ADDRESS") },
        runHolders
    };
    commands << Command {
        QStringLiteral("usage"),
        Cli::tr("Show how full /dev/shm is and which objects take the most memory"),
        QStringLiteral("usage [--top N] [--json]"),
        Cli::tr("Prints the size, used and free bytes of the tmpfs behind /dev/shm, then its largest objects and\n"
                "semaphores by allocated memory (st_blocks: a sparse object takes less than its size) with their\n"
                "owners and holders."),
        { QCommandLineOption(QStringLiteral("top"), Cli::tr("List the N largest objects (default 10)."),
                             QStringLiteral("N")),
          json },
        {},
        runUsage
    };
    commands << Command {
        QStringLiteral("clean"),
        Cli::tr("Remove stale objects (left over by programs that are gone)"),
        QStringLiteral("clean [--dry-run] [--older-than D] [--name GLOB]... [--json]"),
        rule + QLatin1Char('\n')
            + Cli::tr(
                "Each object found stale is listed and judged again just before it is removed, and removed only if\n"
                "it is still stale and still the same object; everything else is left alone. A QSharedMemory key\n"
                "file (qipc_sharedmemory_* in the temporary folder) goes with its segment. glibc semaphores\n"
                "(sem.*) and files are never removed. QSystemSemaphore leftovers (qipc_systemsem_* key files and\n"
                "their System V semaphore sets) are removed when nobody waits on the set, the processes that last\n"
                "used it are gone, its QSharedMemory segment (if any) is unused, and it is past the grace period.\n"
                "Prints each object removed and why; exit code 1 when a removal failed."),
        { QCommandLineOption(QStringLiteral("dry-run"), Cli::tr("Only print what would be removed.")), olderThan,
          QCommandLineOption(QStringLiteral("name"),
                             Cli::tr("Consider only objects whose address (posix:/NAME, sysv:0xKEY), POSIX name, or "
                                     "QSharedMemory or QSystemSemaphore key file name matches GLOB (repeatable)."),
                             QStringLiteral("GLOB")),
          json },
        {},
        runClean
    };
    return commands;
}

} // namespace shmscope
