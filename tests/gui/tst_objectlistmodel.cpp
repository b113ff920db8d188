// The catalog table of the open dialog, checked with QAbstractItemModelTester against real objects.
#include "app/gui/objectlistmodel.h"
#include "core/mapping.h"

#include <QAbstractItemModelTester>
#include <QScopeGuard>
#include <QTest>
#include <unistd.h>

using namespace shmscope;

class TestObjectListModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void listsAMappedObjectWithThisProcess()
    {
        const std::string name = "/shmscope-test-" + std::to_string(::getpid()) + "-objlist";
        const Address address { Kind::Posix, name, 0 };
        CreateOptions options;
        options.size = 12345;
        options.mode = 0640;
        auto created = createMapping(address, options);
        QVERIFY2(created, created ? "" : created.error().message().c_str());
        const auto remove = qScopeGuard([&] { (void)removeObject(address); }); // also when a check fails

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
};

QTEST_GUILESS_MAIN(TestObjectListModel)
#include "tst_objectlistmodel.moc"
