// The Object Browser dock (app/gui/objectbrowser.h) against real objects held by real processes: a
// Python multiprocessing.shared_memory object with its Python holder, a QSharedMemory made by
// tests/helpers/qsmholder and killed with SIGKILL (stale after, not before; Clean removes it), a
// refresh held up in the worker while the UI keeps running, sorting, filtering, and the Remove
// confirmation naming the holders; file-backed objects (mapped shared by Python, or opened here) and
// glibc semaphores listed apart; Reveal in the Pages and Mappings docks with the holder selected.
#include "app/gui/mainwindow.h"
#include "app/gui/mappingsession.h"
#include "app/gui/objectbrowser.h"
#include "app/gui/objectbrowsermodel.h"
#include "app/gui/pagedocks.h"
#include "core/posix/procholders.h"
#include "modalanswer.h"
#include "widgets/elidedlabel.h"
#include "widgets/mappingcard.h"
#include "widgets/viewcardmodel.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <condition_variable>
#include <fcntl.h>
#include <mutex>
#include <pwd.h>
#include <semaphore.h>
#include <signal.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <unistd.h>

using namespace shmscope;

namespace {

constexpr int kWaitMs = 30000;

QString uniqueName(const char* tag)
{
    static int counter = 0;
    return QStringLiteral("shmscope-test-%1-%2-%3").arg(::getpid()).arg(++counter).arg(QLatin1String(tag));
}

// Refreshes and waits for the result.
bool refreshNow(ObjectBrowserDock& dock)
{
    QSignalSpy spy(&dock, &ObjectBrowserDock::refreshed);
    dock.refresh();
    return spy.wait(kWaitMs);
}

// Selects the row of `address` in the table (through the proxy).
bool select(ObjectBrowserDock& dock, const QString& address)
{
    for (int row = 0; row < dock.proxy()->rowCount(); ++row) {
        const QModelIndex index = dock.proxy()->index(row, 0);
        if (index.data(ObjectBrowserModel::AddressRole).toString() == address) {
            dock.table()->selectionModel()->setCurrentIndex(
                index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
            return true;
        }
    }
    return false;
}

// A Python process running `script` (python3 -c) with `arguments`; killed and reaped when this goes.
class PythonProcess
{
public:
    PythonProcess(const QString& script, const QStringList& arguments)
    {
        m_process.start(QStringLiteral(SHMSCOPE_PYTHON), QStringList { QStringLiteral("-c"), script } + arguments);
    }
    ~PythonProcess()
    {
        m_process.kill();
        m_process.waitForFinished();
    }
    /// Waits for its first line ("ready").
    bool ready() { return m_process.waitForReadyRead(20000); }
    qint64 pid() const { return m_process.processId(); }

private:
    QProcess m_process;
};

// Makes a multiprocessing.shared_memory object of 64 KiB named argv[1], fills its first 16 KiB, and
// sleeps holding it (mapped, with its descriptor open).
const QString kSharedMemoryScript = QStringLiteral("import sys, time\n"
                                                   "from multiprocessing import shared_memory\n"
                                                   "m = shared_memory.SharedMemory(name=sys.argv[1], create=True, "
                                                   "size=65536)\n"
                                                   "m.buf[:16384] = b'\\x02' * 16384\n"
                                                   "print('ready', flush=True)\n"
                                                   "time.sleep(60)\n");

QString cell(const ObjectBrowserDock& dock, const QString& address, int column)
{
    for (int row = 0; row < dock.model()->rowCount(); ++row) {
        const QModelIndex index = dock.model()->index(row, column);
        if (index.data(ObjectBrowserModel::AddressRole).toString() == address)
            return index.data().toString();
    }
    return {};
}

} // namespace

class TestObjectBrowser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void isADockOfTheMainWindowWithAViewMenuToggle()
    {
        MainWindow window;
        QVERIFY(window.objectBrowserDock());
        QCOMPARE(window.objectBrowserDock()->parent(), &window);
        bool found = false;
        for (QAction* menu : window.menuBar()->actions()) {
            if (!menu->menu())
                continue;
            for (QAction* action : menu->menu()->actions())
                found = found || action == window.objectBrowserDock()->toggleViewAction();
        }
        QVERIFY(found);
    }

    // The Python process is listed as a holder (map and descriptor) and the state is "in use";
    // sorting is by number, the filter narrows the rows, and Remove's question names the holder.
    void pythonHolderSortFilterAndRemoveConfirmation()
    {
        const QString name = uniqueName("py");
        const QString address = QStringLiteral("posix:/") + name;
        auto unlinkObject
            = qScopeGuard([&] { ::unlink(QFile::encodeName(QStringLiteral("/dev/shm/") + name).constData()); });
        PythonProcess python(kSharedMemoryScript, { name });
        QVERIFY(python.ready());
        const QString pid = QString::number(python.pid());

        ObjectBrowserDock dock;
        dock.setRefreshInterval(std::chrono::milliseconds(0));
        QVERIFY(refreshNow(dock));
        const QString holders = cell(dock, address, ObjectBrowserModel::HoldersColumn);
        QVERIFY2(holders.contains(pid + QStringLiteral(" (python")), qPrintable(holders));
        QVERIFY2(holders.contains(QLatin1String(": map rw, fd)")), qPrintable(holders));
        QCOMPARE(cell(dock, address, ObjectBrowserModel::StateColumn), QStringLiteral("in use"));
        QCOMPARE(cell(dock, address, ObjectBrowserModel::OwnerColumn),
                 QString::fromLocal8Bit(::getpwuid(::geteuid())->pw_name));
        QVERIFY(dock.statusLabel()->fullText().contains(QLatin1String("/dev/shm: ")));

        // Sorting by allocated bytes goes by number.
        dock.table()->sortByColumn(ObjectBrowserModel::AllocatedColumn, Qt::DescendingOrder);
        for (int row = 1; row < dock.proxy()->rowCount(); ++row) {
            QVERIFY(dock.proxy()
                        ->index(row - 1, ObjectBrowserModel::AllocatedColumn)
                        .data(ObjectBrowserModel::SortRole)
                        .toULongLong()
                    >= dock.proxy()
                           ->index(row, ObjectBrowserModel::AllocatedColumn)
                           .data(ObjectBrowserModel::SortRole)
                           .toULongLong());
        }
        // The filter matches any column: the holder's pid finds the object.
        dock.filterEdit()->setText(name);
        QCOMPARE(dock.proxy()->rowCount(), 1);
        dock.filterEdit()->setText(pid + QStringLiteral(" (python"));
        QVERIFY(dock.proxy()->rowCount() >= 1);
        QVERIFY(select(dock, address));
        dock.filterEdit()->clear();

        // Remove asks first, naming the holder; declining leaves the object.
        QVERIFY(select(dock, address));
        QString asked;
        dock.setConfirmationForTesting([&asked](const QString& text) {
            asked = text;
            return false;
        });
        QVERIFY(!dock.removeCurrent());
        QVERIFY2(asked.contains(QStringLiteral("Remove ") + address), qPrintable(asked));
        QVERIFY2(asked.contains(QLatin1String("It is held by:")), qPrintable(asked));
        QVERIFY2(asked.contains(pid + QStringLiteral(" (python")), qPrintable(asked));
        QVERIFY(QFile::exists(QStringLiteral("/dev/shm/") + name));
    }

    // A refresh held up in the worker (its reading of this process's /proc files blocked, with a
    // per-process budget long enough not to give up) leaves the UI running: timers fire, the rows
    // stay, and the result comes only after the UI thread itself releases the worker.
    void aSlowRefreshNeverBlocksTheUi()
    {
        const QString name = uniqueName("slow");
        const QString path = QStringLiteral("/dev/shm/") + name;
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadWrite)); // held open by this process: a holder to find
        file.write("x");
        file.flush();
        auto removeFile = qScopeGuard([&] { QFile::remove(path); });

        ObjectBrowserDock dock;
        dock.setRefreshInterval(std::chrono::milliseconds(0));
        dock.setPerProcessBudget(std::chrono::seconds(60));
        QVERIFY(refreshNow(dock));
        const int rows = dock.model()->rowCount();

        struct Gate {
            std::mutex mutex;
            std::condition_variable opened;
            bool open = false;
            bool entered = false;
        };
        auto gate = std::make_shared<Gate>();
        const int self = int(::getpid());
        detail::setHolderScanHookForTesting([gate, self](int pid) {
            if (pid != self)
                return;
            std::unique_lock lock(gate->mutex);
            gate->entered = true;
            gate->opened.wait_for(lock, std::chrono::seconds(30), [&] { return gate->open; });
        });
        auto openGate = [gate] {
            detail::setHolderScanHookForTesting({});
            std::lock_guard lock(gate->mutex);
            gate->open = true;
            gate->opened.notify_all();
        };
        auto release = qScopeGuard(openGate);

        QSignalSpy refreshed(&dock, &ObjectBrowserDock::refreshed);
        dock.refresh();
        QVERIFY(QTest::qWaitFor(
            [&] {
                std::lock_guard lock(gate->mutex);
                return gate->entered;
            },
            kWaitMs));
        int ticks = 0;
        QTimer timer;
        connect(&timer, &QTimer::timeout, [&ticks] { ++ticks; });
        timer.start(10);
        QVERIFY(QTest::qWaitFor([&] { return ticks >= 5; }, kWaitMs));
        QVERIFY(refreshed.isEmpty());
        QCOMPARE(dock.model()->rowCount(), rows);
        openGate(); // the UI thread opens the gate
        QVERIFY(refreshed.wait(kWaitMs));
        // This process was inspected in full (not given up), so its descriptor is seen.
        const BrowserSnapshot* snapshot = dock.model()->snapshot();
        QVERIFY(snapshot);
        QVERIFY(
            !std::count(snapshot->inventory.uninspectedPids.begin(), snapshot->inventory.uninspectedPids.end(), self));
        const QString holders = cell(dock, QStringLiteral("posix:/") + name, ObjectBrowserModel::HoldersColumn);
        QVERIFY2(holders.contains(QString::number(self) + QStringLiteral(" (")), qPrintable(holders));
    }

    // A QSharedMemory left by a killed Qt program: in use before the kill, stale after it (grace 0),
    // offered by Clean…, and removed by it with nothing else.
    void qsharedMemoryLeftoverIsStaleAfterTheKillAndCleaned()
    {
        QString letters;
        for (const QChar digit : QString::number(::getpid()))
            letters += QChar(u'a' + digit.digitValue());
        QProcess holder;
        holder.start(QStringLiteral(SHMSCOPE_QSMHOLDER),
                     { QStringLiteral("shmscope-test-%1-gui-%2").arg(::getpid()).arg(letters) });
        QVERIFY(holder.waitForReadyRead(20000));
        const QStringList fields = QString::fromLocal8Bit(holder.readLine().trimmed()).split(QLatin1Char(' '));
        QCOMPARE(fields.size(), 2);
        const QString keyFile = fields[0];
        const key_t key = key_t(fields[1].toUInt(nullptr, 16));
        const QString address = QStringLiteral("sysv:") + fields[1];
        const QString semaphoreFile = QFileInfo(keyFile).path() + QStringLiteral("/qipc_systemsem_")
            + QFileInfo(keyFile).fileName().mid(int(qstrlen("qipc_sharedmemory_")));
        auto cleanup = qScopeGuard([&] {
            holder.kill();
            holder.waitForFinished();
            const int shmid = ::shmget(key, 0, 0);
            if (shmid >= 0)
                ::shmctl(shmid, IPC_RMID, nullptr);
            const key_t semaphoreKey = ::ftok(QFile::encodeName(semaphoreFile).constData(), 'Q');
            const int semid = semaphoreKey == -1 ? -1 : ::semget(semaphoreKey, 0, 0);
            if (semid >= 0)
                ::semctl(semid, 0, IPC_RMID);
            QFile::remove(semaphoreFile);
            QFile::remove(keyFile);
        });

        ObjectBrowserDock dock;
        dock.setRefreshInterval(std::chrono::milliseconds(0));
        dock.setGracePeriod(std::chrono::seconds(0));
        QVERIFY(refreshNow(dock));
        QCOMPARE(cell(dock, address, ObjectBrowserModel::StateColumn), QStringLiteral("in use"));
        QVERIFY(!dock.staleAddresses().contains(address));

        ::kill(pid_t(holder.processId()), SIGKILL);
        QVERIFY(holder.waitForFinished(10000));
        // Within a long grace period it is only "recent".
        dock.setGracePeriod(std::chrono::hours(1));
        QVERIFY(refreshNow(dock));
        QCOMPARE(cell(dock, address, ObjectBrowserModel::StateColumn), QStringLiteral("recent"));
        dock.setGracePeriod(std::chrono::seconds(0));
        QVERIFY(refreshNow(dock));
        QCOMPARE(cell(dock, address, ObjectBrowserModel::StateColumn), QStringLiteral("stale"));
        QVERIFY(dock.staleAddresses().contains(address));

        QSignalSpy cleaned(&dock, &ObjectBrowserDock::cleaned);
        dock.cleanAddresses({ address });
        QVERIFY(cleaned.wait(kWaitMs));
        QVERIFY2(cleaned.at(0).at(0).toString().startsWith(QLatin1String("Removed 1 object")),
                 qPrintable(cleaned.at(0).at(0).toString()));
        QCOMPARE(dock.lastCleanDetails().size(), 1);
        QVERIFY(dock.lastCleanDetails().at(0).startsWith(address));
        QVERIFY(::shmget(key, 0, 0) < 0);
        QVERIFY(!QFile::exists(keyFile));
    }

    // A QSystemSemaphore left by a killed Qt program (tests/helpers/qsmholder --semaphore): not offered
    // while its process runs, offered by Clean… after the kill (grace 0), and removed with its key file;
    // a live one under the same name pattern stays.
    void qsystemSemaphoreLeftoverIsOfferedAndCleaned()
    {
        QString letters;
        for (const QChar digit : QString::number(::getpid()))
            letters += QChar(u'a' + digit.digitValue());
        QProcess victim, decoy;
        QString victimFile, decoyFile;
        auto start = [&letters](QProcess& process, const char* tag, QString& keyFile) {
            process.start(
                QStringLiteral(SHMSCOPE_QSMHOLDER),
                { QStringLiteral("--semaphore"),
                  QStringLiteral("shmscope-test-%1-%2-%3").arg(::getpid()).arg(QLatin1String(tag), letters) });
            if (!process.waitForReadyRead(20000))
                return false;
            keyFile = QString::fromLocal8Bit(process.readLine().trimmed()).section(QLatin1Char(' '), 0, 0);
            return !keyFile.isEmpty();
        };
        auto setOf = [](const QString& keyFile) {
            const key_t key = ::ftok(QFile::encodeName(keyFile).constData(), 'Q');
            return key == -1 ? -1 : ::semget(key, 0, 0);
        };
        auto cleanup = qScopeGuard([&] {
            for (QProcess* process : { &victim, &decoy }) {
                process->kill();
                process->waitForFinished();
            }
            for (const QString& file : { victimFile, decoyFile }) {
                if (file.isEmpty())
                    continue;
                if (const int semid = setOf(file); semid >= 0)
                    ::semctl(semid, 0, IPC_RMID);
                QFile::remove(file);
            }
        });
        QVERIFY(start(victim, "guisem", victimFile));
        QVERIFY(start(decoy, "guisemlive", decoyFile));

        ObjectBrowserDock dock;
        dock.setRefreshInterval(std::chrono::milliseconds(0));
        dock.setGracePeriod(std::chrono::seconds(0));
        QVERIFY(refreshNow(dock));
        QVERIFY(!dock.staleSemaphoreKeyFiles().contains(victimFile));

        ::kill(pid_t(victim.processId()), SIGKILL);
        QVERIFY(victim.waitForFinished(10000));
        QVERIFY(refreshNow(dock));
        QVERIFY(dock.staleSemaphoreKeyFiles().contains(victimFile));
        QVERIFY(!dock.staleSemaphoreKeyFiles().contains(decoyFile));

        QSignalSpy cleaned(&dock, &ObjectBrowserDock::cleaned);
        dock.cleanAddresses({}, { victimFile });
        QVERIFY(cleaned.wait(kWaitMs));
        QVERIFY2(cleaned.at(0).at(0).toString().startsWith(QLatin1String("Removed 1 object")),
                 qPrintable(cleaned.at(0).at(0).toString()));
        QCOMPARE(dock.lastCleanDetails().size(), 1);
        QVERIFY(dock.lastCleanDetails().at(0).startsWith(victimFile + QStringLiteral(" (QSystemSemaphore)")));
        QVERIFY(setOf(victimFile) < 0);
        QVERIFY(!QFile::exists(victimFile));
        QVERIFY(setOf(decoyFile) >= 0 && QFile::exists(decoyFile));
    }

    // File-backed objects: a file a Python process maps shared (listed with its holder: map and
    // descriptor), one it maps private only (not an object: not listed), and one ShmScope has opened
    // (setKnownFiles(), listed though nobody holds it). glibc semaphores are a group of their own:
    // the kind filter shows them apart, and neither they nor an unheld file is ever offered for Clean.
    void fileBackedObjectsAndSemaphoresAreListedApart()
    {
        QTemporaryDir folder(QDir::tempPath() + QStringLiteral("/shmscope-test-%1-XXXXXX").arg(::getpid()));
        QVERIFY(folder.isValid());
        const QString shared = folder.filePath(QStringLiteral("shared.bin"));
        const QString privately = folder.filePath(QStringLiteral("private.bin"));
        const QString known = folder.filePath(QStringLiteral("known.bin"));
        for (const QString& path : { shared, privately, known }) {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            QVERIFY(file.resize(65536));
        }
        PythonProcess python(QStringLiteral("import mmap, sys, time\n"
                                            "a = open(sys.argv[1], 'r+b')\n"
                                            "m = mmap.mmap(a.fileno(), 65536, mmap.MAP_SHARED)\n"
                                            "m[:4096] = b'\\x03' * 4096\n"
                                            "with open(sys.argv[2], 'r+b') as b:\n"
                                            "    p = mmap.mmap(b.fileno(), 65536, access=mmap.ACCESS_COPY)\n"
                                            "print('ready', flush=True)\n"
                                            "time.sleep(60)\n"),
                             { shared, privately });
        QVERIFY(python.ready());
        const QString pid = QString::number(python.pid());

        // A semaphore this process holds, and one nobody holds any more.
        const QByteArray heldName = "/" + uniqueName("sem-held").toLatin1();
        const QByteArray looseName = "/" + uniqueName("sem-loose").toLatin1();
        sem_t* held = ::sem_open(heldName.constData(), O_CREAT | O_EXCL, 0600, 1);
        QVERIFY(held != SEM_FAILED);
        sem_t* loose = ::sem_open(looseName.constData(), O_CREAT | O_EXCL, 0600, 1);
        QVERIFY(loose != SEM_FAILED);
        ::sem_close(loose);
        auto unlinkSemaphores = qScopeGuard([&] {
            ::sem_close(held);
            ::sem_unlink(heldName.constData());
            ::sem_unlink(looseName.constData());
        });
        const QString heldAddress = QStringLiteral("posix:/sem.") + QString::fromLatin1(heldName.mid(1));
        const QString looseAddress = QStringLiteral("posix:/sem.") + QString::fromLatin1(looseName.mid(1));

        ObjectBrowserDock dock;
        dock.setRefreshInterval(std::chrono::milliseconds(0));
        dock.setGracePeriod(std::chrono::seconds(0));
        dock.setPerProcessBudget(std::chrono::seconds(5));
        dock.setKnownFiles({ QStringLiteral("file:") + known, QStringLiteral("posix:/not-a-file") });
        QVERIFY(refreshNow(dock));

        const QString sharedAddress = QStringLiteral("file:") + shared;
        const QString holders = cell(dock, sharedAddress, ObjectBrowserModel::HoldersColumn);
        QVERIFY2(holders.contains(pid + QStringLiteral(" (python")), qPrintable(holders));
        QVERIFY2(holders.contains(QLatin1String(": map rw, fd)")), qPrintable(holders));
        QCOMPARE(cell(dock, sharedAddress, ObjectBrowserModel::StateColumn), QStringLiteral("in use"));
        QCOMPARE(cell(dock, sharedAddress, ObjectBrowserModel::SizeColumn), QStringLiteral("64.0 KiB"));
        QCOMPARE(cell(dock, sharedAddress, ObjectBrowserModel::OwnerColumn),
                 QString::fromLocal8Bit(::getpwuid(::geteuid())->pw_name));
        QCOMPARE(cell(dock, QStringLiteral("file:") + privately, ObjectBrowserModel::AddressColumn), QString());
        const QString knownAddress = QStringLiteral("file:") + known;
        // Nobody holds it: "not held" (never "stale"), or "unknown" when some process could not be
        // inspected (a busy machine can make one take longer than even this budget).
        const bool allInspected = dock.model()->snapshot()->inventory.uninspectedProcesses == 0;
        const QString unheld = allInspected ? QStringLiteral("not held") : QStringLiteral("unknown");
        QVERIFY2(cell(dock, knownAddress, ObjectBrowserModel::HoldersColumn)
                     .startsWith(allInspected ? QLatin1String("-") : QLatin1String("unknown")),
                 qPrintable(cell(dock, knownAddress, ObjectBrowserModel::HoldersColumn)));
        QCOMPARE(cell(dock, knownAddress, ObjectBrowserModel::StateColumn), unheld);

        QVERIFY2(cell(dock, heldAddress, ObjectBrowserModel::HoldersColumn).contains(QString::number(::getpid())),
                 qPrintable(cell(dock, heldAddress, ObjectBrowserModel::HoldersColumn)));
        QCOMPARE(cell(dock, looseAddress, ObjectBrowserModel::StateColumn), unheld);
        QVERIFY(!dock.staleAddresses().contains(looseAddress));
        QVERIFY(!dock.staleAddresses().contains(knownAddress));

        // The kind filter: each group alone.
        auto shownAddresses = [&dock] {
            QStringList addresses;
            for (int row = 0; row < dock.proxy()->rowCount(); ++row)
                addresses << dock.proxy()->index(row, 0).data(ObjectBrowserModel::AddressRole).toString();
            return addresses;
        };
        auto showKind = [&dock](ObjectBrowserModel::Category category) {
            dock.kindFilter()->setCurrentIndex(dock.kindFilter()->findData(static_cast<int>(category)));
        };
        showKind(ObjectBrowserModel::Category::Semaphore);
        QStringList shown = shownAddresses();
        QVERIFY(shown.contains(heldAddress) && shown.contains(looseAddress));
        for (const QString& address : shown)
            QVERIFY2(address.startsWith(QLatin1String("posix:/sem.")), qPrintable(address));
        showKind(ObjectBrowserModel::Category::File);
        shown = shownAddresses();
        QVERIFY(shown.contains(sharedAddress) && shown.contains(knownAddress));
        for (const QString& address : shown)
            QVERIFY2(address.startsWith(QLatin1String("file:")), qPrintable(address));
        showKind(ObjectBrowserModel::Category::Memory);
        shown = shownAddresses();
        QVERIFY(!shown.contains(heldAddress) && !shown.contains(sharedAddress));
        dock.kindFilter()->setCurrentIndex(0);
        QVERIFY(shownAddresses().contains(heldAddress));

        // A file is not removed from here; a semaphore may be (with the confirmation).
        QVERIFY(select(dock, sharedAddress));
        QVERIFY(dock.revealAction()->isEnabled());
        QVERIFY(dock.openAction()->isEnabled());
        QVERIFY(!dock.removeAction()->isEnabled());
        QVERIFY(select(dock, heldAddress));
        QVERIFY(dock.removeAction()->isEnabled());
        QVERIFY(
            dock.removeConfirmationText(*parseAddress(heldAddress.toStdString())).contains(QLatin1String("held by")));
    }

    // Reveal on a row of an object that is not open: asks, opens it, shows the Pages and Mappings
    // docks, and selects the holder process (the Python mapper) in the Mappings table.
    void revealOpensTheObjectAndSelectsItsHolder()
    {
        const QString name = uniqueName("reveal");
        const QString address = QStringLiteral("posix:/") + name;
        auto unlinkObject
            = qScopeGuard([&] { ::unlink(QFile::encodeName(QStringLiteral("/dev/shm/") + name).constData()); });
        PythonProcess python(kSharedMemoryScript, { name });
        QVERIFY(python.ready());
        const int pid = int(python.pid());

        MainWindow window;
        window.show();
        ObjectBrowserDock* dock = window.objectBrowserDock();
        dock->setRefreshInterval(std::chrono::milliseconds(0));
        dock->show();
        QVERIFY(refreshNow(*dock));
        QVERIFY(select(*dock, address));
        QCOMPARE(dock->revealPid(dock->model()->rowOf(*parseAddress(address.toStdString()))), pid);

        // First declined: nothing is opened.
        QString question;
        auto answer = [&question, &window](QMessageBox::StandardButton button) {
            test::answerWhenShown(&window, [&question, button](QMessageBox* box) {
                question = box->text();
                box->button(button)->click();
            });
        };
        answer(QMessageBox::Cancel);
        dock->revealAction()->trigger();
        QVERIFY2(question.contains(address), qPrintable(question));
        QVERIFY(!window.session());

        answer(QMessageBox::Open);
        dock->revealAction()->trigger();
        QVERIFY(window.session());
        QCOMPARE(window.session()->addressText(), address);
        QVERIFY(window.pageDocks()->pagesDock()->isVisible());
        QVERIFY(window.pageDocks()->mappingsDock()->isVisible());
        MappingCard* card = window.pageDocks()->mappingCard();
        QCOMPARE(card->selectedProcess(), pid);
        const QModelIndex current = card->table()->selectionModel()->currentIndex();
        QVERIFY(current.isValid());
        QCOMPARE(card->model()->index(current.row(), ViewCardModel::Pid).data().toInt(), pid);
        // The card keeps the holder selected across its own refreshes.
        card->refresh();
        QCOMPARE(card->model()
                     ->index(card->table()->selectionModel()->currentIndex().row(), ViewCardModel::Pid)
                     .data()
                     .toInt(),
                 pid);

        // Revealing the object shown asks nothing.
        question.clear();
        answer(QMessageBox::Cancel);
        dock->revealAction()->trigger();
        QVERIFY(question.isEmpty());
        QCoreApplication::processEvents(); // the single shot finds no box
        QCOMPARE(window.session()->addressText(), address);
    }

    // Not a test: the scene of a screenshot (SHMSCOPE_SCREENSHOT=OUT.png tst_objectbrowser
    // screenshotScene): the main window at 1280×800 with the Object Browser showing a file a Python
    // process maps shared, one opened before, and two semaphores, saved with QWidget::grab() so that
    // everything made is removed again when it ends.
    void screenshotScene()
    {
        const QString out = qEnvironmentVariable("SHMSCOPE_SCREENSHOT");
        if (out.isEmpty())
            QSKIP("only for screenshots (SHMSCOPE_SCREENSHOT)");
        QTemporaryDir folder(QDir::tempPath() + QStringLiteral("/shmscope-test-%1-XXXXXX").arg(::getpid()));
        QVERIFY(folder.isValid());
        const QString shared = folder.filePath(QStringLiteral("counters.bin"));
        QFile file(shared);
        QVERIFY(file.open(QIODevice::WriteOnly) && file.resize(1 << 20));
        file.close();
        QFile opened(folder.filePath(QStringLiteral("opened-before.bin")));
        QVERIFY(opened.open(QIODevice::WriteOnly) && opened.write(QByteArray(4096, 'x')) == 4096);
        opened.close();
        PythonProcess python(QStringLiteral("import mmap, sys, time\n"
                                            "a = open(sys.argv[1], 'r+b')\n"
                                            "m = mmap.mmap(a.fileno(), 1 << 20, mmap.MAP_SHARED)\n"
                                            "m[:65536] = b'\\x03' * 65536\n"
                                            "print('ready', flush=True)\n"
                                            "time.sleep(120)\n"),
                             { shared });
        QVERIFY(python.ready());
        const QByteArray heldName = "/" + uniqueName("lock").toLatin1();
        const QByteArray looseName = "/" + uniqueName("left").toLatin1();
        sem_t* held = ::sem_open(heldName.constData(), O_CREAT | O_EXCL, 0600, 1);
        QVERIFY(held != SEM_FAILED);
        ::sem_close(::sem_open(looseName.constData(), O_CREAT | O_EXCL, 0600, 1));
        auto unlinkSemaphores = qScopeGuard([&] {
            ::sem_close(held);
            ::sem_unlink(heldName.constData());
            ::sem_unlink(looseName.constData());
        });

        MainWindow window;
        window.resize(1280, 800);
        window.show();
        ObjectBrowserDock* dock = window.objectBrowserDock();
        dock->setKnownFiles({ QStringLiteral("file:") + folder.filePath(QStringLiteral("opened-before.bin")) });
        dock->show();
        dock->raise();
        window.resizeDocks({ dock }, { 420 }, Qt::Vertical);
        dock->filterEdit()->setText(QStringLiteral("shmscope-test-%1").arg(::getpid()));
        QVERIFY(refreshNow(*dock));
        dock->table()->resizeColumnsToContents();
        QTest::qWait(500);
        QVERIFY(window.grab().save(out));
    }
};

QTEST_MAIN(TestObjectBrowser)
#include "tst_objectbrowser.moc"
