// Names are bytes, in the GUI: a window on an object whose name is not UTF-8 and holds control
// characters shows it escaped (title, status bar), and two objects whose names differ only in bytes
// that a UTF-8 decoder would merge (0xff, U+FFFD) are two objects with two notification buses.
#include "app/gui/mainwindow.h"
#include "app/gui/mappingsession.h"
#include "app/gui/openrequest.h"
#include "app/shared/notificationbus.h"
#include "core/mapping.h"

#include <QLabel>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTest>
#include <string>

using namespace shmscope;

namespace {

bool hasControlCharacter(const QString& text)
{
    for (const QChar c : text) {
        if (c.unicode() < 0x20 || (c.unicode() >= 0x7f && c.unicode() < 0xa0))
            return true;
    }
    return false;
}

} // namespace

class TestGuiNames : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("shmscope-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_guinames_%1").arg(QCoreApplication::applicationPid()));
        m_base = "/shmscope-test-" + std::to_string(QCoreApplication::applicationPid()) + "-guinames-";
    }

    void cleanup()
    {
        for (const Address& address : m_created)
            (void)removeObject(address);
        m_created.clear();
    }

    void windowShowsTheNameEscaped()
    {
        OpenRequest request;
        request.address = Address { Kind::Posix, m_base + "obj\xff\n\x1b[31m", 0 };
        request.create = true;
        request.options.size = 4096;
        m_created.push_back(request.address);
        const QString escaped = QString::fromStdString("posix:" + m_base + "obj\\xff\\x0a\\x1b[31m");

        MainWindow window;
        QString error;
        QVERIFY2(window.openMapping(request, &error), qPrintable(error));
        QVERIFY2(window.windowTitle().contains(escaped), qPrintable(window.windowTitle()));
        QVERIFY(!hasControlCharacter(window.windowTitle()));
        bool inStatusBar = false;
        const auto labels = window.statusBar()->findChildren<QLabel*>();
        for (const QLabel* label : labels) {
            QVERIFY2(!hasControlCharacter(label->text()), qPrintable(label->text()));
            inStatusBar = inStatusBar || label->text().contains(escaped);
        }
        QVERIFY2(inStatusBar, "the status bar does not show the escaped address");
    }

    void namesThatDifferInBytesAreDifferentObjects()
    {
        OpenRequest byteFF;
        byteFF.address = Address { Kind::Posix, m_base + "obj\xff", 0 };
        byteFF.create = true;
        byteFF.options.size = 4096;
        OpenRequest replacement = byteFF;
        replacement.address.name = m_base + "obj\xef\xbf\xbd";
        m_created.push_back(byteFF.address);
        m_created.push_back(replacement.address);

        QString error;
        const auto first = MappingSession::open(byteFF, &error);
        QVERIFY2(first, qPrintable(error));
        const auto second = MappingSession::open(replacement, &error);
        QVERIFY2(second, qPrintable(error));
        QCOMPARE(first->addressText(), QString::fromStdString("posix:" + m_base + "obj\\xff"));
        QCOMPARE(second->addressText(), QString::fromStdString("posix:" + m_base + "obj\xef\xbf\xbd"));
        QVERIFY(first->bus()->address() != second->bus()->address());
        QVERIFY(first->bus()->directory() != second->bus()->directory());
    }

private:
    std::string m_base;
    std::vector<Address> m_created;
};

QTEST_MAIN(TestGuiNames)
#include "tst_guinames.moc"
