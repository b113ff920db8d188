#include "aboutbox.h"

#include "app/shared/buildinfo.h"

#include <QApplication>
#include <QIcon>
#include <QMessageBox>

namespace shmscope {

QString aboutText()
{
    const QString commit = buildCommit();
    const QString license = QStringLiteral(SHMSCOPE_LICENSE);
    QString text = QCoreApplication::translate("shmscope::AboutBox", "<p><b>ShmScope %1</b></p>")
                       .arg(QStringLiteral(SHMSCOPE_VERSION));
    text += QCoreApplication::translate(
        "shmscope::AboutBox",
        "<p>An inspector for named shared memory: attach to POSIX, System V and file-backed mappings, watch "
        "their bytes change live, edit them, and see what other instances do.</p>");
    text += QLatin1String("<p>");
    text += commit.isEmpty()
        ? QCoreApplication::translate("shmscope::AboutBox", "Built from an unknown commit.")
        : QCoreApplication::translate("shmscope::AboutBox", "Built from git commit %1.").arg(commit.toHtmlEscaped());
    text += QLatin1String("<br>");
    text += QCoreApplication::translate("shmscope::AboutBox", "Qt %1 (built with Qt %2).")
                .arg(QString::fromLatin1(qVersion()), QStringLiteral(QT_VERSION_STR));
    text += QLatin1String("<br>");
    text += license.isEmpty()
        ? QCoreApplication::translate("shmscope::AboutBox",
                                      "Licence: none chosen yet; all rights reserved by the ShmScope developers.")
        : QCoreApplication::translate("shmscope::AboutBox", "Licence: %1.").arg(license.toHtmlEscaped());
    text += QLatin1String("<br>");
    text += QCoreApplication::translate("shmscope::AboutBox", "Application id: %1.")
                .arg(QStringLiteral(SHMSCOPE_APP_ID));
    text += QLatin1String("</p>");
    return text;
}

void showAboutBox(QWidget* parent)
{
    QMessageBox box(parent);
    box.setWindowTitle(QCoreApplication::translate("shmscope::AboutBox", "About ShmScope"));
    box.setTextFormat(Qt::RichText);
    box.setText(aboutText());
    box.setTextInteractionFlags(Qt::TextSelectableByMouse);
    const QIcon icon = QIcon::fromTheme(QStringLiteral(SHMSCOPE_APP_ID), QApplication::windowIcon());
    if (!icon.isNull())
        box.setIconPixmap(icon.pixmap(64, 64));
    box.setStandardButtons(QMessageBox::Ok);
    box.exec();
}

} // namespace shmscope
