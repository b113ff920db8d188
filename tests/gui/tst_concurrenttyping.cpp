// Concurrent typing, issue 4: six GUI instances on one object, each a separate process (this
// executable started again with `--child ADDRESS`, a real MainWindow, offscreen). Two of them each
// receive 500 key events (QTest key events into their text view), interleaved in time; the four others
// watch. Within a generous deadline all six show the same text, and it is the object's content as the
// core reads it under the object's lock.
//
// No timing is asserted (a loaded 2-core VM); how long convergence took is printed (qInfo) as a figure.
// SHMSCOPE_TYPING_KEYS=<n> changes the number of keys per typing instance (default 500).
//
// Child commands, one per line on stdin; answers on stdout, one line each:
//   type N CHAR MS   types N key clicks of CHAR at the end of its text view's text, one every MS ms (its event loop
//   runs
//                    between keys, so notices and polls of the others interleave); answers
//                    "typed <refused>" with the number of its edits the view refused meanwhile
//                    (another instance wrote between the key and the write: that key is dropped)
//   peers            "peers <n>": MainWindow's peer count
//   text             "text: <the text view's text>"
//   quit             exits
// It prints "ready" once its window is exposed and its mapping open.
#include "app/gui/mainwindow.h"
#include "app/gui/mappingsession.h"
#include "core/mapping.h"
#include "stdincommands.h"
#include "widgets/textview.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QPlainTextEdit>
#include <QProcess>
#include <QSocketNotifier>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <cstdio>
#include <memory>
#include <unistd.h>
#include <vector>

using namespace shmscope;

namespace {

constexpr int kInstances = 6;
constexpr int kTypists = 2;
constexpr int kKeyIntervalMs = 1;
constexpr quint64 kObjectSize = 64 * 1024;

int runChild(const QString& addressText)
{
    QStandardPaths::setTestModeEnabled(true);
    setvbuf(stdout, nullptr, _IOLBF, 0);
    MainWindow window;
    OpenRequest request;
    request.address = *parseAddress(addressText.toStdString());
    QString error;
    if (!window.openMapping(request, &error)) {
        std::fprintf(stderr, "child: %s\n", qPrintable(error));
        return 1;
    }
    // This test is about UTF-8 text whatever an earlier run remembered for the address.
    window.textView()->setEncoding(TextView::Encoding::Utf8);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window))
        return 1;
    int refused = 0;
    QObject::connect(window.textView(), &TextView::editRefused, &window, [&refused] { ++refused; });
    std::printf("ready\n");
    std::fflush(stdout);

    QTimer typer;
    int keysLeft = 0;
    char keyChar = 'x';
    QObject::connect(&typer, &QTimer::timeout, &window, [&] {
        if (keysLeft <= 0)
            return;
        // Each key at the end of the text, like a user appending: the other typist's text that arrived
        // meanwhile lands before it (the view keeps a cursor in front of text inserted at its place),
        // so the a/b pattern of the result shows how the two interleaved in time.
        QPlainTextEdit* editor = window.textView()->editor();
        editor->moveCursor(QTextCursor::End);
        QTest::keyClick(editor, keyChar);
        if (--keysLeft == 0) {
            typer.stop();
            std::printf("typed %d\n", refused);
            std::fflush(stdout);
        }
    });

    auto handle = [&](const QString& command) {
        const QStringList words = command.split(QLatin1Char(' '));
        if (words.value(0) == QStringLiteral("type") && words.size() == 4) {
            QPlainTextEdit* editor = window.textView()->editor();
            editor->setFocus();
            editor->moveCursor(QTextCursor::End);
            keysLeft = words.at(1).toInt();
            keyChar = words.at(2).isEmpty() ? 'x' : words.at(2).at(0).toLatin1();
            refused = 0;
            typer.start(words.at(3).toInt());
        } else if (command == QStringLiteral("peers")) {
            std::printf("peers %d\n", window.session()->peerCount());
        } else if (command == QStringLiteral("text")) {
            std::printf("text: %s\n", window.textView()->editor()->toPlainText().toUtf8().constData());
        } else if (command == QStringLiteral("quit")) {
            QApplication::quit();
        }
        std::fflush(stdout);
    };
    StdinCommands commands(handle);
    return QApplication::exec();
}

} // namespace

class TestConcurrentTyping : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        // Instances find each other below XDG_RUNTIME_DIR: a private one keeps this test apart from
        // any real instance and from parallel tests. Children inherit it.
        QVERIFY(m_runtime.isValid());
        qputenv("XDG_RUNTIME_DIR", m_runtime.path().toUtf8());
        m_keys = qEnvironmentVariableIntValue("SHMSCOPE_TYPING_KEYS");
        if (m_keys <= 0)
            m_keys = 500;
    }

    void init()
    {
        m_name = QStringLiteral("/shmscope-tst-typing-%1-%2").arg(::getpid()).arg(++m_counter);
        m_address = Address { Kind::Posix, m_name.toStdString(), 0 };
        CreateOptions options;
        options.size = kObjectSize; // zero-filled: the string starts empty
        auto created = createMapping(m_address, options);
        QVERIFY2(created, created ? "" : created.error().message().c_str());
        m_mapping = std::move(created->mapping);
    }

    void cleanup()
    {
        // Bounded: ask politely, then kill; nothing outlives the test.
        for (auto& child : m_children) {
            if (child->state() != QProcess::NotRunning)
                child->write("quit\n");
        }
        for (auto& child : m_children) {
            if (child->state() != QProcess::NotRunning && !child->waitForFinished(5000))
                child->kill();
            child->waitForFinished(5000);
        }
        m_children.clear();
        m_mapping.reset();
        (void)removeObject(m_address);
    }

    void twoTypistsFourWatchers()
    {
        for (int i = 0; i < kInstances; ++i)
            QVERIFY2(startChild(), qPrintable(QStringLiteral("instance %1 did not start").arg(i)));
        // Everyone connected to everyone: notices reach all (the views' polls would converge anyway).
        for (int i = 0; i < kInstances; ++i)
            QTRY_COMPARE_WITH_TIMEOUT(ask(i, "peers", "peers ").toInt(), kInstances - 1, 15000);

        // Both typists start at once and type concurrently, one key per ms each, with their event
        // loops (and so the other's notices and their polls) running between keys.
        QElapsedTimer clock;
        clock.start();
        const char letters[kTypists] = { 'a', 'b' };
        // QProcess::write() only queues: hand each command to its pipe now, or the second typist would
        // get its command only once the test next served its process (after the first had finished).
        for (int t = 0; t < kTypists; ++t)
            m_children.at(t)->write(QStringLiteral("type %1 %2 %3\n")
                                        .arg(m_keys)
                                        .arg(QLatin1Char(letters[t]))
                                        .arg(kKeyIntervalMs)
                                        .toUtf8());
        for (int t = 0; t < kTypists; ++t)
            QVERIFY(m_children.at(t)->waitForBytesWritten(5000));
        int refused[kTypists] = {};
        for (int t = 0; t < kTypists; ++t) {
            const QByteArray answer = waitForLine(t, "typed ", 60000);
            QVERIFY2(!answer.isNull(), qPrintable(QStringLiteral("typist %1 did not finish").arg(t)));
            refused[t] = answer.toInt();
        }
        const qint64 typedMs = clock.elapsed();

        // All six converge on one text, and it is the object's content.
        QString content;
        QStringList texts;
        const auto converged = [&] {
            content = objectText();
            texts.clear();
            for (int i = 0; i < kInstances; ++i)
                texts.append(ask(i, "text", "text:"));
            for (const QString& text : texts) {
                if (text != content)
                    return false;
            }
            return true;
        };
        QElapsedTimer settle;
        settle.start();
        QDeadlineTimer deadline(20000);
        bool same = converged();
        while (!same && !deadline.hasExpired()) {
            QTest::qWait(50);
            same = converged();
        }
        const qint64 settleMs = settle.elapsed();
        if (!same) {
            for (int i = 0; i < kInstances; ++i)
                qWarning("instance %d: %lld chars: %s", i, qlonglong(texts.value(i).size()),
                         qPrintable(texts.value(i).left(80)));
            qWarning("object: %lld chars: %s", qlonglong(content.size()), qPrintable(content.left(80)));
        }
        QVERIFY2(same, "the six instances did not converge on the object's content within 20 s");

        // The typing really happened, in both, and only their keys are in it.
        const qsizetype as = content.count(QLatin1Char('a'));
        const qsizetype bs = content.count(QLatin1Char('b'));
        QCOMPARE(as + bs, content.size());
        QVERIFY(as > 0);
        QVERIFY(bs > 0);
        // Each typist's keys are in the text or were refused (its view reverted them and said so).
        QCOMPARE(as + refused[0], qsizetype(m_keys));
        QCOMPARE(bs + refused[1], qsizetype(m_keys));
        qInfo("%d keys per typist in %lld ms; text %lld chars (a %lld, b %lld; refused %d and %d); all six equal to "
              "the object %lld ms after the last key (upper bound: includes querying six processes)",
              m_keys, typedMs, qlonglong(content.size()), qlonglong(as), qlonglong(bs), refused[0], refused[1],
              settleMs);
        // How interleaved the typing was: the number of a/b alternations in the text (0 = one after the other).
        int switches = 0;
        for (qsizetype i = 1; i < content.size(); ++i)
            switches += content.at(i) != content.at(i - 1) ? 1 : 0;
        qInfo("%d a/b alternations; text starts %s", switches, qPrintable(content.left(60)));
        QVERIFY2(switches > 0, "the two typists did not type at the same time");
    }

private:
    bool startChild()
    {
        auto child = std::make_unique<QProcess>();
        child->setProgram(QCoreApplication::applicationFilePath());
        child->setArguments({ QStringLiteral("--child"), QString::fromStdString(toString(m_address)) });
        child->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        child->start();
        m_children.push_back(std::move(child));
        if (!m_children.back()->waitForStarted(10000))
            return false;
        return !waitForLine(int(m_children.size()) - 1, "ready", 30000).isNull();
    }

    // The rest of the first line of child `index` starting with `prefix` (empty, not null, when
    // nothing follows), or a null QByteArray when none came within `ms`.
    QByteArray waitForLine(int index, const QByteArray& prefix, int ms)
    {
        QProcess* child = m_children.at(index).get();
        QDeadlineTimer deadline(ms);
        while (!deadline.hasExpired()) {
            while (child->canReadLine()) {
                const QByteArray line = child->readLine();
                if (line.startsWith(prefix)) {
                    QByteArray rest = line.mid(prefix.size());
                    rest.chop(1); // the newline
                    return rest.isNull() ? QByteArray("") : rest;
                }
            }
            if (child->state() == QProcess::NotRunning)
                return {};
            child->waitForReadyRead(50);
        }
        return {};
    }

    QString ask(int index, const char* command, const QByteArray& prefix)
    {
        m_children.at(index)->write(QByteArray(command) + '\n');
        m_children.at(index)->waitForBytesWritten(5000);
        const QByteArray answer = waitForLine(index, prefix, 15000);
        return answer.isNull() ? QStringLiteral("<no answer>") : QString::fromUtf8(answer).trimmed();
    }

    // The NUL-terminated UTF-8 string at offset 0, read with the core under the object's lock.
    QString objectText()
    {
        auto guard = m_mapping->lock(std::chrono::seconds(5));
        if (!guard)
            return QStringLiteral("<lock failed>");
        QByteArray bytes(qsizetype(kObjectSize), '\0');
        if (!m_mapping->read(0, bytes.data(), std::size_t(bytes.size())))
            return QStringLiteral("<read failed>");
        return QString::fromUtf8(bytes.left(bytes.indexOf('\0')));
    }

    QTemporaryDir m_runtime;
    std::vector<std::unique_ptr<QProcess>> m_children;
    std::unique_ptr<Mapping> m_mapping;
    QString m_name;
    Address m_address;
    int m_counter = 0;
    int m_keys = 500;
};

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    if (argc == 3 && qstrcmp(argv[1], "--child") == 0)
        return runChild(QString::fromLocal8Bit(argv[2]));
    TestConcurrentTyping test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_concurrenttyping.moc"
