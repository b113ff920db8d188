// The Open dialog as a new user meets it (issue 9, items 14 and 20): labels with mnemonics reach their
// field, a message about bad input goes away once the input changes, changing the kind clears the
// name, a file-backed create needs a path the user chose, and creating asks first (File ▸ Open or
// Create… of a real main window, the confirmation answered both ways).
#include "app/gui/mainwindow.h"
#include "app/gui/mappingsession.h"
#include "app/gui/opendialog.h"
#include "core/catalog.h"
#include "core/mapping.h"
#include "mnemonics.h"

#include <QAbstractButton>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <functional>
#include <string>

using namespace shmscope;

namespace {

// The field that the label reading `labelText` ("&Size:") is the buddy label of.
template<typename T>
T* fieldOf(const QWidget* dialog, const QString& labelText)
{
    const auto labels = dialog->findChildren<QLabel*>();
    for (const QLabel* label : labels) {
        if (label->text() == labelText)
            return qobject_cast<T*>(label->buddy());
    }
    return nullptr;
}

QComboBox* kindBox(const QWidget* dialog)
{
    return fieldOf<QComboBox>(dialog, QStringLiteral("&Kind:"));
}

QCheckBox* createBox(const QWidget* dialog)
{
    const auto boxes = dialog->findChildren<QCheckBox*>();
    return boxes.size() == 1 ? boxes.first() : nullptr;
}

void selectKind(QComboBox* kinds, Kind kind)
{
    kinds->setCurrentIndex(kinds->findData(static_cast<int>(kind)));
}

bool exists(const Address& address)
{
    return describeObject(address).ok();
}

} // namespace

class TestOpenDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void labelsReachTheirFields();
    void messageGoesWhenTheInputChanges();
    void changingTheKindClearsTheName();
    void fileCreateNeedsAChosenPath();
    void createAsksFirst_data();
    void createAsksFirst();

private:
    /// Runs `step` once a modal widget of type T is shown (polled from the event loop: the dialogs run
    /// their own exec() loops). The poll stops at the end of the test function.
    template<typename T>
    void whenModal(std::function<void(T*)> step);

    QTemporaryDir m_dir;
    Address m_posix;
    QList<QTimer*> m_polls;
};

void TestOpenDialog::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("shmscope-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_opendialog_%1").arg(QCoreApplication::applicationPid()));
    QVERIFY(m_dir.isValid());
    m_posix.kind = Kind::Posix;
    m_posix.name = "/shmscope-test-" + std::to_string(QCoreApplication::applicationPid()) + "-opendialog";
}

void TestOpenDialog::cleanup()
{
    for (QTimer* poll : std::as_const(m_polls))
        delete poll;
    m_polls.clear();
    (void)removeObject(m_posix);
    // Windows and dialogs left by a failed step.
    const auto windows = QApplication::topLevelWidgets();
    for (QWidget* window : windows) {
        if (window->isVisible())
            window->close();
    }
}

template<typename T>
void TestOpenDialog::whenModal(std::function<void(T*)> step)
{
    auto* poll = new QTimer;
    m_polls << poll;
    poll->setInterval(10);
    connect(poll, &QTimer::timeout, poll, [poll, step] {
        if (auto* widget = qobject_cast<T*>(QApplication::activeModalWidget()); widget && widget->isVisible()) {
            poll->stop();
            step(widget);
        }
    });
    poll->start();
}

// Item 20: "&Name:" was shown literally (a label without a buddy); every label with a mnemonic has a
// field to focus, and no two entries of the dialog share a mnemonic.
void TestOpenDialog::labelsReachTheirFields()
{
    OpenDialog dialog;
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QStringList texts;
    const auto labels = dialog.findChildren<QLabel*>();
    for (const QLabel* label : labels) {
        if (!label->isVisible() || test::mnemonicOf(label->text()).isNull())
            continue;
        QVERIFY2(label->buddy(),
                 qPrintable(QStringLiteral("label '%1' has a mnemonic but no buddy").arg(label->text())));
        texts << label->text();
    }
    QVERIFY(texts.contains(QStringLiteral("&Name:")));
    QVERIFY(fieldOf<QLineEdit>(&dialog, QStringLiteral("&Name:")));
    const auto buttons = dialog.findChildren<QAbstractButton*>();
    for (const QAbstractButton* button : buttons) {
        if (button->isVisible())
            texts << button->text();
    }
    const QStringList clashes = test::mnemonicClashes(texts);
    QVERIFY2(clashes.isEmpty(), qPrintable(clashes.join(QStringLiteral("; "))));

    // Alt+N focuses the name field.
    QLineEdit* name = fieldOf<QLineEdit>(&dialog, QStringLiteral("&Name:"));
    fieldOf<QLineEdit>(&dialog, QStringLiteral("&Mode:"))->setEnabled(true);
    fieldOf<QLineEdit>(&dialog, QStringLiteral("&Mode:"))->setFocus();
    QTest::keyClick(&dialog, Qt::Key_N, Qt::AltModifier);
    QTRY_VERIFY(name->hasFocus());
}

// Item 20: the message about bad input stayed after the input was fixed.
void TestOpenDialog::messageGoesWhenTheInputChanges()
{
    OpenDialog dialog;
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto* name = fieldOf<QLineEdit>(&dialog, QStringLiteral("&Name:"));
    auto* size = fieldOf<QLineEdit>(&dialog, QStringLiteral("&Size:"));
    QVERIFY(name && size);

    name->clear();
    dialog.accept();
    QVERIFY(dialog.isVisible());
    QVERIFY2(dialog.message().startsWith(QStringLiteral("open: ")), qPrintable(dialog.message())); // no name
    QTest::keyClicks(name, QStringLiteral("x"));
    QVERIFY2(dialog.message().isEmpty(), qPrintable(dialog.message()));

    createBox(&dialog)->setChecked(true);
    size->setText(QStringLiteral("12Q"));
    dialog.accept();
    QVERIFY(dialog.isVisible());
    QVERIFY(dialog.message().contains(QStringLiteral("12Q")));
    size->setFocus();
    QTest::keyClick(size, Qt::Key_Backspace);
    QVERIFY2(dialog.message().isEmpty(), qPrintable(dialog.message()));
}

// Item 14: switched to "File-backed" the dialog kept the POSIX name "/shmscope-demo", a path in /.
void TestOpenDialog::changingTheKindClearsTheName()
{
    OpenDialog dialog;
    dialog.setRequest(demoRequest());
    auto* name = fieldOf<QLineEdit>(&dialog, QStringLiteral("&Name:"));
    QVERIFY(name);
    QCOMPARE(name->text(), QStringLiteral("/shmscope-demo"));
    selectKind(kindBox(&dialog), Kind::File);
    QVERIFY2(name->text().isEmpty(), qPrintable(name->text()));
    QCOMPARE(fieldOf<QLineEdit>(&dialog, QStringLiteral("&File:")), name); // the field is a path field now

    // A request of the kind shown fills the field as before.
    OpenRequest file;
    file.address = Address { Kind::File, m_dir.filePath(QStringLiteral("a.dat")).toStdString(), 0 };
    dialog.setRequest(file);
    QCOMPARE(name->text(), m_dir.filePath(QStringLiteral("a.dat")));
    selectKind(kindBox(&dialog), Kind::Posix);
    QVERIFY(name->text().isEmpty());
}

// Item 14: a file-backed create needs a path the user chose; none (or a relative one) is refused with a
// message that says how to choose one, and the dialog stays open.
void TestOpenDialog::fileCreateNeedsAChosenPath()
{
    OpenDialog dialog;
    dialog.setRequest(demoRequest()); // create checked, as the demo is opened
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    selectKind(kindBox(&dialog), Kind::File);
    QVERIFY(createBox(&dialog)->isChecked());
    dialog.accept();
    QVERIFY(dialog.isVisible());
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    QVERIFY2(dialog.message().contains(QStringLiteral("Browse")), qPrintable(dialog.message()));

    QLineEdit* path = fieldOf<QLineEdit>(&dialog, QStringLiteral("&File:"));
    QVERIFY(path);
    path->setText(QStringLiteral("relative.dat"));
    dialog.accept();
    QVERIFY(dialog.isVisible());
    QVERIFY2(dialog.message().contains(QStringLiteral("full path")), qPrintable(dialog.message()));
    QVERIFY(!QFile::exists(QStringLiteral("relative.dat")));
}

void TestOpenDialog::createAsksFirst_data()
{
    QTest::addColumn<int>("kind");
    QTest::newRow("posix") << int(Kind::Posix);
    QTest::newRow("file") << int(Kind::File);
}

// Item 14: File ▸ Open or Create… of a main window: accepting a create asks first (naming kind, name,
// size and mode); "Cancel" creates nothing and keeps the dialog, "Create" creates and opens.
void TestOpenDialog::createAsksFirst()
{
    QFETCH(int, kind);
    const Address address = Kind(kind) == Kind::Posix
        ? m_posix
        : Address { Kind::File, m_dir.filePath(QStringLiteral("created.dat")).toStdString(), 0 };
    const QString name = QString::fromStdString(address.name);
    QVERIFY(!exists(address));

    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QAction* open = nullptr;
    const auto actions = window.findChildren<QAction*>();
    for (QAction* action : actions) {
        if (action->shortcut() == QKeySequence(QKeySequence::Open))
            open = action;
    }
    QVERIFY(open);

    QStringList asked; // the questions, as shown
    bool existedWhileAsked = true;
    bool cancelKeptTheDialog = false;
    bool createClosedTheDialog = false;
    whenModal<OpenDialog>([&](OpenDialog* dialog) {
        selectKind(kindBox(dialog), Kind(kind));
        QLineEdit* field = fieldOf<QLineEdit>(
            dialog, Kind(kind) == Kind::Posix ? QStringLiteral("&Name:") : QStringLiteral("&File:"));
        QLineEdit* size = fieldOf<QLineEdit>(dialog, QStringLiteral("&Size:"));
        QLineEdit* mode = fieldOf<QLineEdit>(dialog, QStringLiteral("&Mode:"));
        if (!field || !size || !mode) {
            dialog->reject();
            return;
        }
        field->setText(name);
        createBox(dialog)->setChecked(true);
        size->setText(QStringLiteral("8K"));
        mode->setText(QStringLiteral("0640"));

        // First answer: Cancel.
        whenModal<QMessageBox>([&](QMessageBox* box) {
            asked << box->text() + u'\n' + box->informativeText();
            existedWhileAsked = exists(address);
            box->button(QMessageBox::Cancel)->click();
        });
        dialog->accept();
        cancelKeptTheDialog = dialog->isVisible() && !exists(address) && !dialog->message().isEmpty();
        if (!cancelKeptTheDialog) {
            dialog->reject();
            return;
        }
        // Second answer: Create.
        whenModal<QMessageBox>([&](QMessageBox* box) {
            asked << box->text() + u'\n' + box->informativeText();
            for (QAbstractButton* button : box->buttons()) {
                if (box->buttonRole(button) == QMessageBox::AcceptRole)
                    button->click();
            }
        });
        dialog->accept();
        createClosedTheDialog = !dialog->isVisible();
        if (!createClosedTheDialog)
            dialog->reject();
    });
    open->trigger(); // returns when the dialog closed

    QVERIFY2(!asked.isEmpty(), "the create was not confirmed");
    QVERIFY(!existedWhileAsked);
    QVERIFY(cancelKeptTheDialog);
    QVERIFY(createClosedTheDialog);
    QCOMPARE(asked.size(), 2);
    const QString question = asked.first();
    QVERIFY2(question.contains(name), qPrintable(question));
    QVERIFY2(question.contains(Kind(kind) == Kind::Posix ? QStringLiteral("POSIX") : QStringLiteral("File-backed")),
             qPrintable(question));
    QVERIFY2(question.contains(QLocale().toString(8192)), qPrintable(question));
    QVERIFY2(question.contains(QStringLiteral("0640")), qPrintable(question));
    QVERIFY(exists(address));
    QVERIFY(window.session());
    QCOMPARE(window.session()->source() != nullptr, true);
    if (Kind(kind) == Kind::File)
        QVERIFY(QFile::remove(name));
}

QTEST_MAIN(TestOpenDialog)
#include "tst_opendialog.moc"
