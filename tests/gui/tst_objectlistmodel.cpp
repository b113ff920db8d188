// The catalog table of the open dialog, checked with QAbstractItemModelTester against real objects.
#include "app/gui/objectlistmodel.h"
#include "app/shared/translations.h"
#include "core/mapping.h"

#include <QAbstractItemModelTester>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QTest>
#include <grp.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace shmscope;

class TestObjectListModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // The translations the application installs: the English plural forms of "%n process(es)".
    void initTestCase() { installTranslations(*QCoreApplication::instance(), QStringLiteral(SHMSCOPE_QM_DIR)); }

    void listsAMappedObjectWithThisProcess()
    {
        const std::string name = "/shmscope-test-" + std::to_string(::getpid()) + "-objlist";
        const Address address { Kind::Posix, name, 0 };
        CreateOptions options;
        options.size = 12345;
        options.mode = 0640;
        auto created = createMapping(address, options);
        QVERIFY2(created, created ? "" : created.error().message().c_str());
        auto removeOnFailure = qScopeGuard([&] { (void)removeObject(address); }); // a failed check returns early

        ObjectListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY2(model.refresh(), qPrintable(model.errorString()));
        QCOMPARE(model.columnCount(), int(ObjectListModel::ColumnCount));

        int row = -1;
        for (int i = 0; i < model.rowCount(); ++i) {
            if (model.index(i, 0).data(ObjectListModel::AddressRole).toString()
                == QString::fromStdString("posix:" + name))
                row = i;
        }
        QVERIFY2(row >= 0, "the created object is not listed");
        QCOMPARE(model.object(row).size, quint64(12345));
        QCOMPARE(model.index(row, ObjectListModel::ModeColumn).data().toString(), QStringLiteral("0640"));
        const QString pids = model.index(row, ObjectListModel::ProcessesColumn).data().toString();
        QVERIFY2(pids.split(QStringLiteral(", ")).contains(QString::number(::getpid())), qPrintable(pids));

        // Refreshing after the object is gone drops its row.
        created->mapping.reset();
        QVERIFY(removeObject(address));
        QVERIFY(model.refresh());
        for (int i = 0; i < model.rowCount(); ++i)
            QVERIFY(model.index(i, 0).data(ObjectListModel::AddressRole).toString()
                    != QString::fromStdString("posix:" + name));
    }

    // Names are bytes: the table shows an object whose name is not UTF-8 and holds control characters
    // escaped on one line, and its address text opens exactly that object.
    void showsNamesEscaped()
    {
        const std::string base = "/shmscope-test-" + std::to_string(::getpid()) + "-objlist-names";
        const Address address { Kind::Posix, base + "\xff\n\x1b[31m", 0 };
        auto created = createMapping(address, CreateOptions { 4096, 0600, true });
        QVERIFY2(created, created ? "" : created.error().message().c_str());
        const auto remove = qScopeGuard([&] {
            created->mapping.reset();
            (void)removeObject(address);
        });

        ObjectListModel model;
        QVERIFY2(model.refresh(), qPrintable(model.errorString()));
        int row = -1;
        for (int i = 0; i < model.rowCount(); ++i) {
            if (model.object(i).address == address)
                row = i;
        }
        QVERIFY2(row >= 0, "the object is not listed under its bytes");
        const QString shown = model.index(row, ObjectListModel::AddressColumn).data().toString();
        QCOMPARE(shown, QString::fromStdString("posix:" + base + "\\xff\\x0a\\x1b[31m"));
        const QString addressText
            = model.index(row, ObjectListModel::SizeColumn).data(ObjectListModel::AddressRole).toString();
        QCOMPARE(addressText, shown);
        const auto parsed = parseAddress(addressText.toStdString());
        QVERIFY2(parsed, parsed ? "" : parsed.error().message().c_str());
        QVERIFY(*parsed == address);
    }

    // As a user who cannot read other users' /proc/PID/maps, an object mapped by root only must not
    // show an empty processes cell ("nobody"): it says how many processes could not be inspected.
    void saysUnknownWhenProcessesCannotBeInspected()
    {
        if (::geteuid() != 0)
            QSKIP("needs root: the model runs as user 65534 against a mapping held by root");
        const Address address { Kind::Posix, "/shmscope-test-" + std::to_string(::getpid()) + "-objlist-uninspected",
                                0 };
        auto created = createMapping(address, CreateOptions { 4096, 0644, true });
        QVERIFY2(created, created ? "" : created.error().message().c_str());
        const auto remove = qScopeGuard([&] {
            created->mapping.reset();
            (void)removeObject(address);
        });

        // The model runs in a child that became user 65534; it sends the cell's text back.
        int channel[2];
        QCOMPARE(::pipe(channel), 0);
        const pid_t child = ::fork();
        QVERIFY(child >= 0);
        if (child == 0) {
            ::close(channel[0]);
            created->mapping.reset(); // only the parent (root) maps the object now
            if (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0)
                ::_exit(100);
            ObjectListModel model;
            QByteArray text = "refresh failed";
            if (model.refresh()) {
                text = "not listed";
                for (int i = 0; i < model.rowCount(); ++i) {
                    if (model.object(i).address == address)
                        text = model.index(i, ObjectListModel::ProcessesColumn).data().toString().toUtf8();
                }
            }
            const bool written = ::write(channel[1], text.constData(), size_t(text.size())) == text.size();
            ::_exit(written ? 0 : 101);
        }
        ::close(channel[1]);
        QByteArray text;
        char buffer[256];
        ssize_t count;
        while ((count = ::read(channel[0], buffer, sizeof buffer)) > 0)
            text.append(buffer, count);
        ::close(channel[0]);
        int status = 0;
        QCOMPARE(::waitpid(child, &status, 0), child);
        QVERIFY(WIFEXITED(status));
        if (WEXITSTATUS(status) == 100)
            QSKIP("cannot become user 65534 here");
        QCOMPARE(WEXITSTATUS(status), 0);
        const QRegularExpressionMatch match
            = QRegularExpression(QStringLiteral("^unknown \\((\\d+) process(es)? could not be inspected\\)$"))
                  .match(QString::fromUtf8(text));
        QVERIFY2(match.hasMatch(), text.constData());
        QVERIFY(match.captured(1).toInt() >= 1);
    }
};

QTEST_GUILESS_MAIN(TestObjectListModel)
#include "tst_objectlistmodel.moc"
