#pragma once

#include "app/gui/objectbrowsermodel.h"

#include <QObject>
#include <QStringList>
#include <chrono>
#include <memory>

namespace shmscope {

/// The object browser's work off the UI thread: listing (a pass over /proc that takes tens to
/// hundreds of milliseconds on a busy machine) and cleaning (a fresh pass per object removed). Lives
/// in a QThread of ObjectBrowserDock; call its slots through queued connections.
class ObjectBrowserWorker : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    /// Lists every object with its holders (at most `budget` per process, InventoryOptions), the
    /// files processes map shared and those of `knownFiles` (paths), the glibc semaphores; judges each
    /// with `grace`, measures /dev/shm. Blocking; any thread. Never null; a failed listing has `error` set.
    static std::shared_ptr<const BrowserSnapshot>
    takeSnapshot(std::chrono::seconds grace, std::chrono::milliseconds budget, const QStringList& knownFiles = {});

public Q_SLOTS:
    /// takeSnapshot() and emits refreshed().
    void refresh(qint64 graceSeconds, qint64 budgetMs, const QStringList& knownFiles);
    /// Removes those of `addresses` (canonical address texts) and of the QSystemSemaphore leftovers of
    /// `semaphoreKeyFiles` (key file paths) that are stale at the moment of removal (cleanStaleObjects()
    /// of core/stale.h: each re-checked just before), then emits cleaned().
    void clean(const QStringList& addresses, const QStringList& semaphoreKeyFiles, qint64 graceSeconds);

Q_SIGNALS:
    void refreshed(std::shared_ptr<const shmscope::BrowserSnapshot> snapshot);
    /// One line per object: "posix:/x: why" for those removed, kept (no longer stale when re-checked)
    /// and failed (the error); `error` when the listing itself failed.
    void cleaned(const QStringList& removed, const QStringList& kept, const QStringList& failed, const QString& error);
};

} // namespace shmscope
