// Test helper: answer a modal dialog (a QMessageBox) that the code under test is about to show with exec().
#pragma once

#include <QApplication>
#include <QMessageBox>
#include <QTimer>
#include <functional>

namespace shmscope::test {

/// Calls `answer` with the application's modal QMessageBox once it is visible, then stops: polled every
/// 10 ms from the dialog's own event loop. A single zero-time timer is not enough: it can fire in that
/// loop before the box is shown and active, and the test would then wait for the dialog forever.
/// `context` (not owned) owns the poll timer: destroying it stops an answer that never came.
inline void answerWhenShown(QObject* context, std::function<void(QMessageBox*)> answer)
{
    auto* poll = new QTimer(context);
    poll->setInterval(10);
    QObject::connect(poll, &QTimer::timeout, poll, [poll, answer = std::move(answer)] {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        if (!box || !box->isVisible())
            return;
        poll->stop();
        poll->deleteLater();
        answer(box);
    });
    poll->start();
}

} // namespace shmscope::test
