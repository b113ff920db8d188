#pragma once

// The Python peer (tests/helpers/shmpeer.py) as a separate process attached to a POSIX object, driven
// by commands on its stdin ("write OFFSET HEX", "add OFFSET N", ...; see the script). For the GUI tests
// that need another process writing the object. Needs SHMSCOPE_SHMPEER (the script's path) defined.

#include <QByteArray>
#include <QProcess>
#include <QString>

namespace shmscope::test {

class PythonPeer
{
public:
    /// How long ask() waits for an answer, in ms.
    static constexpr int kTimeoutMs = 60000;

    /// Starts the peer on the object `name` (without the leading slash).
    explicit PythonPeer(const QString& name)
    {
        m_process.start(QStringLiteral("python3"), { QStringLiteral(SHMSCOPE_SHMPEER), name });
    }
    /// Asks it to quit; kills it after 5 s.
    ~PythonPeer()
    {
        m_process.write("quit\n");
        m_process.closeWriteChannel();
        if (!m_process.waitForFinished(5000))
            m_process.kill();
    }
    PythonPeer(const PythonPeer&) = delete;
    PythonPeer& operator=(const PythonPeer&) = delete;

    /// Sends a command; returns the answer line ("ok", or "ok VALUE"), empty when none came.
    QByteArray ask(const QByteArray& command)
    {
        m_process.write(command + '\n');
        QByteArray answer;
        while (!answer.endsWith('\n') && m_process.waitForReadyRead(kTimeoutMs))
            answer += m_process.readAllStandardOutput();
        return answer.trimmed();
    }

private:
    QProcess m_process;
};

} // namespace shmscope::test
