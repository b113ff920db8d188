#include "objectformat.h"

#include "app/shared/numberparse.h"
#include "cli.h"
#include "core/nameescape.h"
#include "output.h"
#include "textcolumns.h"

#include <QDateTime>
#include <QJsonArray>
#include <algorithm>

namespace shmscope {

namespace {

QString formatPids(const ObjectInfo& info)
{
    QStringList pids;
    for (int pid : info.pids)
        pids << QString::number(pid);
    if (info.address.kind == Kind::SysV || info.address.kind == Kind::SysVId) {
        // System V counts attachments of processes whose /proc/PID/maps we may not read: say so.
        if (info.attachCount > info.pids.size())
            pids << QStringLiteral("+%1").arg(info.attachCount - info.pids.size());
        return pids.isEmpty() ? QStringLiteral("-") : pids.join(QLatin1Char(','));
    }
    // For POSIX objects and files nothing counts the processes we could not inspect for us: an
    // empty list then means "unknown", not "nobody".
    if (!info.pidsComplete()) {
        const QString unknown = uninspectedText(info.uninspectedProcesses);
        return pids.isEmpty() ? unknown : pids.join(QLatin1Char(',')) + QStringLiteral(" + ") + unknown;
    }
    return pids.isEmpty() ? QStringLiteral("-") : pids.join(QLatin1Char(','));
}

} // namespace

QString uninspectedText(std::uint32_t processes)
{
    return Cli::tr("unknown (%n process(es) could not be inspected)", nullptr, static_cast<int>(processes));
}

QString formatLocalTime(std::int64_t secondsSinceEpoch)
{
    if (secondsSinceEpoch <= 0)
        return QStringLiteral("-");
    return QDateTime::fromSecsSinceEpoch(secondsSinceEpoch).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QStringList formatObjectTable(const std::vector<ObjectInfo>& objects)
{
    QList<QStringList> rows;
    rows << QStringList { Cli::tr("ADDRESS"), Cli::tr("SIZE"),     Cli::tr("MODE"),
                          Cli::tr("OWNER"),   Cli::tr("MODIFIED"), Cli::tr("PIDS") };
    for (const ObjectInfo& info : objects) {
        rows << QStringList {
            fromStd(toString(info.address)),    fromStd(formatBytes(info.size)),    formatMode(info.mode),
            fromStd(printableText(info.owner)), formatLocalTime(info.modifiedTime), formatPids(info)
        };
    }
    QList<qsizetype> widths(rows.first().size(), 0);
    for (const QStringList& row : std::as_const(rows)) {
        for (qsizetype i = 0; i < row.size(); ++i)
            widths[i] = std::max(widths[i], displayWidth(row[i]));
    }
    QStringList lines;
    for (const QStringList& row : std::as_const(rows)) {
        QString line;
        for (qsizetype i = 0; i < row.size(); ++i) {
            // The size column is right-aligned so that magnitudes line up; the last column is not padded.
            if (i == 1)
                line += padLeft(row[i], widths[i]);
            else if (i + 1 < row.size())
                line += padRight(row[i], widths[i]);
            else
                line += row[i];
            if (i + 1 < row.size())
                line += QLatin1String("  ");
        }
        lines << line;
    }
    return lines;
}

QStringList formatObjectDetails(const ObjectInfo& info)
{
    QList<QPair<QString, QString>> fields;
    fields << qMakePair(Cli::tr("address"), fromStd(toString(info.address)));
    // The exact count, and the rounded one when it says something more ("65536 bytes (64 KiB)").
    const QString exact = byteCountText(info.size);
    const QString rounded = fromStd(formatBytes(info.size));
    fields << qMakePair(Cli::tr("size"), rounded == exact ? exact : Cli::tr("%1 (%2)").arg(exact, rounded));
    fields << qMakePair(Cli::tr("mode"), formatMode(info.mode));
    fields << qMakePair(Cli::tr("owner"), Cli::tr("%1 (uid %2)").arg(fromStd(printableText(info.owner))).arg(info.uid));
    fields << qMakePair(Cli::tr("modified"), formatLocalTime(info.modifiedTime));
    fields << qMakePair(Cli::tr("pids"), formatPids(info));
    if (info.address.kind == Kind::SysV || info.address.kind == Kind::SysVId) {
        fields << qMakePair(Cli::tr("shmid"), QString::number(info.systemVId));
        fields << qMakePair(Cli::tr("nattch"), QString::number(info.attachCount));
    }
    qsizetype width = 0;
    for (const auto& field : std::as_const(fields))
        width = std::max(width, displayWidth(field.first) + 1);
    QStringList lines;
    for (const auto& field : std::as_const(fields))
        lines << padRight(field.first + QLatin1Char(':'), width + 1) + field.second;
    return lines;
}

QJsonArray holdersToJson(const std::vector<Holder>& holders)
{
    QJsonArray array;
    for (const Holder& holder : holders) {
        QJsonArray uses;
        for (const auto& [flag, word] :
             { std::pair { MapsReadWrite, "map rw" }, std::pair { MapsReadOnly, "map ro" },
               std::pair { MapsPrivate, "map private" }, std::pair { HoldsDescriptor, "fd" } }) {
            if (holder.uses & flag)
                uses.append(QLatin1String(word));
        }
        array.append(QJsonObject { { QStringLiteral("pid"), holder.pid },
                                   { QStringLiteral("name"), fromStd(printableText(holder.name)) },
                                   { QStringLiteral("uses"), uses },
                                   { QStringLiteral("mappings"), qint64(holder.mappings) },
                                   { QStringLiteral("descriptors"), qint64(holder.descriptors) } });
    }
    return array;
}

QJsonObject objectToJson(const ObjectInfo& info)
{
    QJsonObject object;
    // The escaped canonical form, as the table prints it: valid UTF-8 (JSON strings must be), and
    // what the CLI's ADDRESS argument takes back.
    object.insert(QStringLiteral("address"), fromStd(toString(info.address)));
    object.insert(
        QStringLiteral("kind"),
        QString::fromLatin1(kindName(info.address.kind).data(), qsizetype(kindName(info.address.kind).size())));
    // QJsonValue keeps qint64 exact (it stores integers, not only doubles).
    object.insert(QStringLiteral("size"), qint64(info.size));
    object.insert(QStringLiteral("mode"), formatMode(info.mode));
    object.insert(QStringLiteral("uid"), qint64(info.uid));
    object.insert(QStringLiteral("owner"), fromStd(info.owner));
    // ISO 8601 with the local offset ("2024-05-01T12:00:00+02:00"): unambiguous and still local.
    const QDateTime modified = QDateTime::fromSecsSinceEpoch(info.modifiedTime);
    object.insert(QStringLiteral("modified"), modified.toOffsetFromUtc(modified.offsetFromUtc()).toString(Qt::ISODate));
    object.insert(QStringLiteral("modifiedEpoch"), qint64(info.modifiedTime));
    QJsonArray pids;
    for (int pid : info.pids)
        pids.append(pid);
    object.insert(QStringLiteral("pids"), pids);
    object.insert(QStringLiteral("pidsComplete"), info.pidsComplete());
    object.insert(QStringLiteral("uninspectedProcesses"), qint64(info.uninspectedProcesses));
    object.insert(QStringLiteral("attachCount"), qint64(info.attachCount));
    object.insert(QStringLiteral("allocated"), qint64(info.allocated));
    object.insert(QStringLiteral("changedEpoch"), qint64(info.changedTime));
    object.insert(QStringLiteral("holders"), holdersToJson(info.holders));
    object.insert(QStringLiteral("timedOutProcesses"), qint64(info.timedOutProcesses));
    if (info.address.kind == Kind::SysV || info.address.kind == Kind::SysVId) {
        if (info.address.kind == Kind::SysV)
            object.insert(QStringLiteral("key"), qint64(info.address.key));
        object.insert(QStringLiteral("shmid"), qint64(info.systemVId));
    }
    return object;
}

} // namespace shmscope
