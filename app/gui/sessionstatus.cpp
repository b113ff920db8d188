#include "sessionstatus.h"

#include "app/gui/mappingsession.h"

#include <QCoreApplication>
#include <QLocale>
#include <QStringList>

namespace shmscope {

namespace {

// "8.0 KiB"; the exact "8,192 bytes" when `other` would look the same rounded.
QString sizeText(quint64 size, quint64 other)
{
    const QLocale locale;
    const auto rounded = [&locale](quint64 bytes) {
        return locale.formattedDataSize(static_cast<qint64>(bytes), 1, QLocale::DataSizeIecFormat);
    };
    if (size < 1024 || rounded(size) == rounded(other))
        return QCoreApplication::translate("shmscope::MainWindow", "%1 bytes").arg(locale.toString(size));
    return rounded(size);
}

} // namespace

QString sessionWindowTitle(const MappingSession* session)
{
    if (!session)
        return QCoreApplication::translate("shmscope::MainWindow", "ShmScope");
    // What the view is besides a plain, live, read-write one: each state a word or two.
    QStringList states;
    if (session->isReplaced())
        states << QCoreApplication::translate("shmscope::MainWindow", "removed; a new object has its name");
    else if (session->isRemoved())
        states << QCoreApplication::translate("shmscope::MainWindow", "removed");
    if (session->access() == Access::ReadOnly)
        states << QCoreApplication::translate("shmscope::MainWindow", "read-only");
    else if (session->access() == Access::CopyOnWrite)
        states << QCoreApplication::translate("shmscope::MainWindow", "copy-on-write");
    const QString address = session->addressText();
    if (states.isEmpty())
        return QCoreApplication::translate("shmscope::MainWindow", "%1 — ShmScope").arg(address);
    return QCoreApplication::translate("shmscope::MainWindow", "%1 (%2) — ShmScope")
        .arg(address, states.join(QCoreApplication::translate("shmscope::MainWindow", ", ")));
}

QString sessionStateText(const MappingSession* session)
{
    if (!session)
        return {};
    QStringList parts;
    if (session->isReplaced()) {
        // Said once the name is back: the view still shows the removed object, and reopening shows
        // the new one (never switched to behind the user's back: its bytes are different ones).
        parts << QCoreApplication::translate("shmscope::MainWindow",
                                             "%1 was removed; a new object of that name exists — File ▸ Reopen "
                                             "shows it (this view shows the last bytes of the removed one)")
                     .arg(session->addressText());
    } else if (session->isRemoved()) {
        parts << (session->removedBy() != 0
                      ? QCoreApplication::translate("shmscope::MainWindow",
                                                    "REMOVED by process %1: this view shows the last bytes of an "
                                                    "object that no longer has a name")
                            .arg(session->removedBy())
                      : QCoreApplication::translate("shmscope::MainWindow",
                                                    "REMOVED: this view shows the last bytes of an object that no "
                                                    "longer has a name"));
    }
    if (!session->notificationsError().isEmpty()) {
        parts << QCoreApplication::translate("shmscope::MainWindow", "notifications off: %1")
                     .arg(session->notificationsError());
    }
    return parts.join(QStringLiteral(" · "));
}

QString existedNotice(const QString& address, quint64 actualSize, quint64 requestedSize)
{
    if (requestedSize == 0 || requestedSize == actualSize)
        return QCoreApplication::translate("shmscope::MainWindow", "%1 already existed: opened it at its size of %2")
            .arg(address, sizeText(actualSize, actualSize));
    return QCoreApplication::translate("shmscope::MainWindow",
                                       "%1 already existed: opened it at its %2, not the %3 asked for")
        .arg(address, sizeText(actualSize, requestedSize), sizeText(requestedSize, actualSize));
}

} // namespace shmscope
