#include "sessionstatus.h"

#include "app/gui/mappingsession.h"

#include <QCoreApplication>
#include <QLocale>
#include <QStringList>

namespace shmscope {

namespace {

QString bytesText(quint64 size)
{
    return QCoreApplication::translate("shmscope::MainWindow", "%1 bytes (%2)")
        .arg(QLocale().toString(size),
             QLocale().formattedDataSize(static_cast<qint64>(size), 1, QLocale::DataSizeIecFormat));
}

} // namespace

QString sessionWindowTitle(const MappingSession* session)
{
    if (!session)
        return QCoreApplication::translate("shmscope::MainWindow", "ShmScope");
    if (session->isRemoved())
        return QCoreApplication::translate("shmscope::MainWindow", "%1 (removed) — ShmScope")
            .arg(session->addressText());
    return QCoreApplication::translate("shmscope::MainWindow", "%1 — ShmScope").arg(session->addressText());
}

QString sessionStateText(const MappingSession* session)
{
    if (!session)
        return {};
    QStringList parts;
    if (session->isRemoved()) {
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
    QString notice
        = QCoreApplication::translate("shmscope::MainWindow", "%1 already existed: opened it at its size of %2")
              .arg(address, bytesText(actualSize));
    if (requestedSize != 0 && requestedSize != actualSize)
        notice += QCoreApplication::translate("shmscope::MainWindow", ", not the %1 asked for")
                      .arg(bytesText(requestedSize));
    return notice;
}

} // namespace shmscope
