// Concurrent typing, issue 4: six GUI instances on one object, each a separate process (this
// executable started again with `--child ADDRESS`, a real MainWindow, offscreen). Two of them each
// receive 500 key events (QTest key events into their text view), interleaved in time; the four others
// watch. Within a generous deadline all six show the same text, and it is the object's content as the
// core reads it under the object's lock. No key is lost: typist A types the letters a-z over and over,
// typist B the digits 0-9, and the final text, filtered to letters (digits), is exactly A's (B's) whole
// sequence in order — a key whose write lost the race against the other typist was merged, not dropped.
//
// No timing is asserted (a loaded 2-core VM); how long convergence took is printed (qInfo) as a figure.
// SHMSCOPE_TYPING_KEYS=<n> changes the number of keys per typing instance (default 500).
//
// Child commands, one per line on stdin; answers on stdout, one line each:
//   type N SET MS    types N key clicks at the end of its text view's text, the characters of SET over and
//                    over, one every MS ms (its event loop runs between keys, so notices and polls of the
//                    others interleave); answers "typed <refused> <merged>": how many of its edits the view
//                    refused (lost keys) and how many it merged onto the other typist's text (the other
//                    instance wrote between this one's last look and its write)
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
    int merged = 0;
    QObject::connect(window.textView(), &TextView::editRefused, &window, [&refused] { ++refused; });
    QObject::connect(window.textView(), &TextView::editMerged, &window, [&merged] { ++merged; });
    std::printf("ready\n");
    std::fflush(stdout);

    QTimer typer;
    int keysLeft = 0;
    int keysTyped = 0;
    QByteArray keySet = "x";
    QObject::connect(&typer, &QTimer::timeout, &window, [&] {
        if (keysLeft <= 0)
            return;
        // Each key at the end of the text, like a user appending: the other typist's text that arrived
        // meanwhile lands before it (the view keeps a cursor in front of text inserted at its place),
        // so the letter/digit pattern of the result shows how the two interleaved in time.
        QPlainTextEdit* editor = window.textView()->editor();
        editor->moveCursor(QTextCursor::End);
        QTest::keyClick(editor, keySet.at(keysTyped++ % keySet.size()));
        if (--keysLeft == 0) {
            typer.stop();
            std::printf("typed %d %d\n", refused, merged);
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
            keySet = words.at(2).isEmpty() ? QByteArray("x") : words.at(2).toLatin1();
            keysTyped = 0;
            refused = 0;
            merged = 0;
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
        m_name = QStringLiteral("/shmscope-test-%1-%2-typing").arg(::getpid()).arg(++m_counter);
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
        // Typist 0 types letters, typist 1 digits: each character of the result says who typed it.
        const QByteArray keySets[kTypists] = { "abcdefghijklmnopqrstuvwxyz", "0123456789" };
        // QProcess::write() only queues: hand each command to its pipe now, or the second typist would
        // get its command only once the test next served its process (after the first had finished).
        for (int t = 0; t < kTypists; ++t)
            m_children.at(t)->write(QStringLiteral("type %1 %2 %3\n")
                                        .arg(m_keys)
                                        .arg(QLatin1String(keySets[t]))
                                        .arg(kKeyIntervalMs)
                                        .toUtf8());
        for (int t = 0; t < kTypists; ++t)
            QVERIFY(m_children.at(t)->waitForBytesWritten(5000));
        int refused[kTypists] = {};
        int merged[kTypists] = {};
        for (int t = 0; t < kTypists; ++t) {
            const QByteArray answer = waitForLine(t, "typed ", 60000);
            QVERIFY2(!answer.isNull(), qPrintable(QStringLiteral("typist %1 did not finish").arg(t)));
            const QList<QByteArray> counts = answer.split(' ');
            QCOMPARE(counts.size(), 2);
            refused[t] = counts.at(0).toInt();
            merged[t] = counts.at(1).toInt();
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

        // No key lost, none doubled, each typist's in the order typed: the text filtered to one typist's
        // characters is exactly that typist's whole sequence.
        QString typed[kTypists];
        for (int t = 0; t < kTypists; ++t) {
            for (int k = 0; k < m_keys; ++k)
                typed[t].append(QLatin1Char(keySets[t].at(k % keySets[t].size())));
        }
        QString found[kTypists];
        for (const QChar c : std::as_const(content))
            found[c.isDigit() ? 1 : 0].append(c);
        qsizetype lost[kTypists] = {};
        for (int t = 0; t < kTypists; ++t)
            lost[t] = qMax<qsizetype>(0, m_keys - found[t].size());
        qInfo("%d keys per typist in %lld ms; text %lld chars (letters %lld, digits %lld); lost keys %lld and %lld; "
              "merged %d and %d, refused %d and %d; all six equal to the object %lld ms after the last key (upper "
              "bound: includes querying six processes)",
              m_keys, typedMs, qlonglong(content.size()), qlonglong(found[0].size()), qlonglong(found[1].size()),
              qlonglong(lost[0]), qlonglong(lost[1]), merged[0], merged[1], refused[0], refused[1], settleMs);
        for (int t = 0; t < kTypists; ++t) {
            QCOMPARE(refused[t], 0);
            QCOMPARE(found[t], typed[t]);
        }
        QCOMPARE(content.size(), qsizetype(kTypists) * m_keys); // nothing else in it
        // How interleaved the typing was: the number of letter/digit alternations in the text (0 = one
        // after the other).
        int switches = 0;
        for (qsizetype i = 1; i < content.size(); ++i)
            switches += content.at(i).isDigit() != content.at(i - 1).isDigit() ? 1 : 0;
        qInfo("%d letter/digit alternations; text starts %s", switches, qPrintable(content.left(60)));
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
