#include "objectbrowserworker.h"

#include "core/nameescape.h"

#include <QSet>
#include <ctime>

namespace shmscope {

namespace {

// A /dev/shm ranking as long as the whole list: the dock shows the total only.
constexpr std::size_t kUsageEntries = 0;

} // namespace

std::shared_ptr<const BrowserSnapshot> ObjectBrowserWorker::takeSnapshot(std::chrono::seconds grace,
                                                                         std::chrono::milliseconds budget,
                                                                         const QStringList& knownFiles)
{
    auto snapshot = std::make_shared<BrowserSnapshot>();
    snapshot->grace = grace;
    snapshot->takenAt = std::time(nullptr);
    InventoryOptions options;
    options.perProcessBudget = budget;
    options.includeMappedFiles = true;
    for (const QString& path : knownFiles)
        options.knownFiles.push_back(path.toStdString());
    Result<Inventory> inventory = takeInventory(options);
    if (!inventory) {
        snapshot->error = QString::fromStdString(inventory.error().message());
        return snapshot;
    }
    snapshot->inventory = std::move(*inventory);
    const LeftoverEvidence evidence = findLeftoverEvidence();
    const Inventory& listed = snapshot->inventory;
    snapshot->verdicts.reserve(listed.objects.size() + listed.files.size() + listed.semaphores.size());
    for (const std::vector<ObjectInfo>* rows : { &listed.objects, &listed.files, &listed.semaphores }) {
        for (const ObjectInfo& object : *rows)
            snapshot->verdicts.push_back(judgeStale(object, evidence, grace, snapshot->takenAt));
    }
    snapshot->qtSemaphores = findQtSemaphoreLeftovers(grace, snapshot->takenAt);
    if (Result<ShmUsage> usage = measureShmUsage(snapshot->inventory, kUsageEntries))
        snapshot->usage = std::move(*usage);
    return snapshot;
}

void ObjectBrowserWorker::refresh(qint64 graceSeconds, qint64 budgetMs, const QStringList& knownFiles)
{
    Q_EMIT refreshed(takeSnapshot(std::chrono::seconds(graceSeconds), std::chrono::milliseconds(budgetMs), knownFiles));
}

void ObjectBrowserWorker::clean(const QStringList& addresses, const QStringList& semaphoreKeyFiles, qint64 graceSeconds)
{
    const QSet<QString> wanted(addresses.begin(), addresses.end());
    const QSet<QString> wantedKeyFiles(semaphoreKeyFiles.begin(), semaphoreKeyFiles.end());
    CleanOptions options;
    options.grace = std::chrono::seconds(graceSeconds);
    options.select = [&wanted](const ObjectInfo& object, const StaleVerdict&) {
        return wanted.contains(QString::fromStdString(toString(object.address)));
    };
    options.qtSemaphores = !wantedKeyFiles.isEmpty();
    options.selectSemaphore = [&wantedKeyFiles](const QtSemaphoreLeftover& leftover) {
        return wantedKeyFiles.contains(QString::fromStdString(leftover.keyFile));
    };
    Result<CleanReport> report = cleanStaleObjects(options);
    if (!report) {
        Q_EMIT cleaned({}, {}, {}, QString::fromStdString(report.error().message()));
        return;
    }
    QStringList removed, kept, failed;
    for (const CleanAction& action : report->actions) {
        const QString address = QString::fromStdString(toString(action.object.address));
        if (action.error)
            failed << QString::fromStdString(action.error->message());
        else if (action.removed)
            removed << tr("%1: %2").arg(address, QString::fromStdString(printableText(action.verdict.reason)));
        else
            kept << tr("%1: %2").arg(address, QString::fromStdString(printableText(action.verdict.reason)));
    }
    for (const QtSemaphoreLeftover& leftover : report->semaphoreSets) {
        const QString keyFile = QString::fromStdString(printableText(leftover.keyFile));
        const QString reason = QString::fromStdString(printableText(leftover.verdict.reason));
        if (leftover.error)
            failed << QString::fromStdString(leftover.error->message());
        else if (leftover.removed)
            removed << tr("%1 (QSystemSemaphore): %2").arg(keyFile, reason);
        else
            kept << tr("%1 (QSystemSemaphore): %2").arg(keyFile, reason);
    }
    Q_EMIT cleaned(removed, kept, failed, {});
}

} // namespace shmscope
