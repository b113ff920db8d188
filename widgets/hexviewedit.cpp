// HexView's editing: typing, editBytes() and the undo steps' writes, all through the source's
// WriteQueue (the commands themselves are in hexeditcommands.*).

#include "core/journal.h"
#include "widgets/bytesource.h"
#include "widgets/hexeditcommands.h"
#include "widgets/hexview.h"
#include "widgets/hexviewdetail.h"
#include "widgets/writequeue.h"

#include <QUndoStack>
#include <algorithm>
#include <climits>
#include <cstdio>
#include <string>

namespace shmscope {

using namespace hexviewdetail;

namespace {

// The user action the native-call journal files a write under: "edit 1 byte at 0x10", "undo 4 bytes at
// 0x20". A journal::RenderLabel: printed only when the journal shows the action, never while editing.
std::string editActionLabel(const char* what, std::uint64_t offset, std::uint64_t length)
{
    char label[96];
    std::snprintf(label, sizeof label, "%s %llu %s at 0x%llx", what, static_cast<unsigned long long>(length),
                  length == 1 ? "byte" : "bytes", static_cast<unsigned long long>(offset));
    return label;
}

} // namespace

bool HexView::isPending(quint64 offset) const
{
    if (!m_source)
        return false;
    const QList<WriteQueue::Preview> previews = m_source->writeQueue()->previews();
    return std::any_of(previews.cbegin(), previews.cend(), [offset](const WriteQueue::Preview& preview) {
        return offset >= preview.offset && offset - preview.offset < quint64(preview.bytes.size());
    });
}

bool HexView::readShown(quint64 offset, char* out) const
{
    if (!m_source)
        return false;
    bool shown = false;
    for (const WriteQueue::Preview& preview : m_source->writeQueue()->previews()) {
        if (offset >= preview.offset && offset - preview.offset < quint64(preview.bytes.size())) {
            *out = preview.bytes.at(qsizetype(offset - preview.offset));
            shown = true;
        }
    }
    return shown || m_source->read(offset, out, 1);
}

void HexView::onWritesCancelled()
{
    // The edits that waited were taken back without being written: the view shows the object's bytes
    // again, and the steps that are wholly "not written" move to the redo side of the stack (where the
    // view now is; their undo() writes nothing), marked so in their text: Redo queues them again.
    m_runOpen = false;
    int index = m_undoStack->index();
    while (index > 0) {
        const auto* command = dynamic_cast<const ByteEditCommand*>(m_undoStack->command(index - 1));
        if (!command || !command->isEntirelyNotWritten())
            break;
        --index;
    }
    m_undoStack->setIndex(index);
    viewport()->update();
}

void HexView::typeText(const QString& text)
{
    const quint64 size = sourceSize();
    if (!m_source || size == 0) {
        Q_EMIT editRefused(tr("Nothing to edit: the view is empty."));
        return;
    }
    if (!m_source->isWritable()) {
        Q_EMIT editRefused(
            tr("The view is read-only: the byte at offset %1 was not changed.").arg(hexOffset(m_cursor)));
        return;
    }
    // Typing overwrites at the cursor; a selection would suggest it replaces the selected bytes.
    if (m_selectionActive)
        setSelectionState(false, 0);
    for (const QChar ch : text) {
        // A character continues the typing run (one undo step) when nothing happened since the last
        // one: the cursor, nibble and pane are where typing left them and no undo, redo or other edit
        // changed the stack.
        const bool continues = m_runOpen && m_undoStack->index() == m_runStackIndex && m_cursor == m_runCursor
            && m_nibble == m_runNibble && m_pane == m_runPane;
        if (!continues)
            ++m_typingRun;
        if (m_pane == Pane::Hex) {
            const int digit = hexDigitValue(ch);
            if (digit < 0) {
                Q_EMIT editRefused(tr("“%1” is not a hexadecimal digit: type 0–9 or a–f in the hex pane.").arg(ch));
                return;
            }
            // Read the byte now rather than trusting the last poll: another process may have changed
            // the nibble that is kept. A byte still waiting for the lock keeps the nibble typed before.
            char old = 0;
            if (!readShown(m_cursor, &old)) {
                Q_EMIT editRefused(tr("Cannot edit offset %1: %2").arg(hexOffset(m_cursor), m_source->errorString()));
                return;
            }
            const uchar oldValue = uchar(old);
            const uchar value
                = m_nibble == 0 ? uchar((digit << 4) | (oldValue & 0x0f)) : uchar((oldValue & 0xf0) | digit);
            if (!writeUndoable(m_cursor, QByteArray(1, char(value)), m_typingRun))
                return;
            if (m_nibble == 0)
                moveCursorTo(m_cursor, 1);
            else
                moveCursorTo(m_cursor + 1 < size ? m_cursor + 1 : m_cursor, 0);
        } else {
            const char16_t u = ch.unicode();
            if (u > 0xff || !isPrintableAscii(uchar(u))) {
                Q_EMIT editRefused(tr("“%1” is not a printable ASCII character: only characters 0x20–0x7e fit in one "
                                      "byte of the ASCII pane.")
                                       .arg(ch));
                return;
            }
            if (!writeUndoable(m_cursor, QByteArray(1, char(u)), m_typingRun))
                return;
            moveCursorTo(m_cursor + 1 < size ? m_cursor + 1 : m_cursor, 0);
        }
        m_runOpen = true;
        m_runStackIndex = m_undoStack->index();
        m_runCursor = m_cursor;
        m_runNibble = m_nibble;
        m_runPane = m_pane;
    }
}

bool HexView::writeUndoable(quint64 offset, const QByteArray& bytes, int typingRun)
{
    // The write goes through the source's WriteQueue: at once when nothing waits for the lock (the old
    // bytes are read in the same step as the write, ByteSource::exchange(), so that undo restores exactly
    // what it replaced), else queued and shown as waiting; the GUI thread never waits for the lock. The
    // source emits bytesWritten() when the bytes are written, which marks them as our own change
    // (onSourceBytesWritten) and announces them to other instances.
    auto piece = std::make_shared<HexEditPiece>();
    piece->offset = offset;
    piece->after = bytes;
    if (!queuePiece(piece))
        return false; // failed at once (read-only, past the end, vanished): editRefused() said why
    m_undoStack->push(new ByteEditCommand(this, piece, typingRun));
    return true;
}

bool HexView::queuePiece(const std::shared_ptr<HexEditPiece>& piece)
{
    if (!m_source)
        return false;
    ByteSource* source = m_source;
    piece->state = HexEditPiece::State::Waiting;
    auto failure = std::make_shared<QString>();
    WriteQueue::Operation operation;
    operation.offset = piece->offset;
    operation.preview = piece->after;
    operation.context = this;
    operation.attempt = [source, piece, failure] {
        const journal::Action action(&editActionLabel, "edit", piece->offset, quint64(piece->after.size()));
        QByteArray before;
        if (source->exchange(piece->offset, piece->after, &before)) {
            piece->before = before;
            piece->state = HexEditPiece::State::Written;
            return true;
        }
        if (source->lockWasBusy())
            return false;
        piece->state = HexEditPiece::State::NotWritten;
        *failure = source->errorString();
        return true;
    };
    operation.finished = [this, piece, failure] {
        piece->queueId = 0;
        if (piece->state == HexEditPiece::State::NotWritten)
            Q_EMIT editRefused(tr("Could not write offset %1: %2").arg(hexOffset(piece->offset), *failure));
        if (piece->owner)
            piece->owner->updateText();
        viewport()->update();
    };
    operation.dropped = [this, piece] {
        piece->queueId = 0;
        piece->state = HexEditPiece::State::NotWritten;
        if (piece->owner)
            piece->owner->updateText();
        viewport()->update();
    };
    const quint64 id = source->writeQueue()->submit(std::move(operation));
    if (piece->state == HexEditPiece::State::Waiting)
        piece->queueId = id;
    return piece->state != HexEditPiece::State::NotWritten;
}

void HexView::dropPiece(HexEditPiece& piece)
{
    if (m_source && piece.queueId != 0)
        m_source->writeQueue()->remove(piece.queueId); // its dropped() marks it not written
}

bool HexView::dropStepWrite(HexEditStep& step)
{
    return m_source && step.queueId != 0 && m_source->writeQueue()->remove(step.queueId);
}

void HexView::queueStepWrite(ByteEditCommand* command, bool redo)
{
    m_runOpen = false;
    if (!m_source) {
        Q_EMIT editRefused(redo ? tr("Cannot redo: the view shows nothing.")
                                : tr("Cannot undo: the view shows nothing."));
        command->setObsolete(true);
        return;
    }
    quint64 offset = 0;
    QByteArray before;
    QByteArray after;
    if (!command->writtenPart(&offset, &before, &after))
        return;
    const QByteArray expected = redo ? before : after;
    const QByteArray replacement = redo ? after : before;
    // Compare and write in one step (for shared memory one pass under the object's lock): the bytes
    // are restored only if they still hold what this step expects, with no writer in between.
    struct Outcome {
        ByteSource::CompareResult result = ByteSource::CompareResult::Failed;
        QByteArray current;
        QString error;
    };
    auto outcome = std::make_shared<Outcome>();
    ByteSource* source = m_source;
    const std::shared_ptr<HexEditStep> step = command->sharedStep();
    WriteQueue::Operation operation;
    operation.offset = offset;
    operation.preview = replacement;
    operation.context = this;
    operation.attempt = [source, offset, expected, replacement, outcome, redo] {
        const journal::Action action(&editActionLabel, redo ? "redo" : "undo", offset, quint64(replacement.size()));
        outcome->result = source->compareExchange(offset, expected, replacement, &outcome->current);
        if (outcome->result == ByteSource::CompareResult::Failed && source->lockWasBusy())
            return false;
        outcome->error = source->errorString();
        return true;
    };
    operation.finished = [this, step, offset, expected, replacement, redo, outcome] {
        step->queueId = 0;
        finishStepWrite(step, offset, expected, replacement, redo, int(outcome->result), outcome->current,
                        outcome->error);
    };
    operation.dropped = [step] {
        step->queueId = 0; // the object keeps what it held
        if (step->command)
            step->command->updateText();
    };
    const quint64 id = source->writeQueue()->submit(std::move(operation));
    if (source->writeQueue()->isQueued(id))
        step->queueId = id;
}

void HexView::stepApplied(HexEditStep& step, bool redo)
{
    step.objectHoldsAfter = redo;
    if (step.command)
        step.command->updateText();
}

void HexView::stepFailed(HexEditStep& step, quint64 offset, bool redo, const QString& why)
{
    Q_EMIT editRefused(
        (redo ? tr("Could not redo the edit at offset %1: %2") : tr("Could not undo the edit at offset %1: %2"))
            .arg(hexOffset(offset), why));
    if (step.command)
        step.command->setObsolete(true); // QUndoStack drops it (now, or when it next gets to it)
}

void HexView::finishStepWrite(const std::shared_ptr<HexEditStep>& step, quint64 offset, const QByteArray& expected,
                              const QByteArray& replacement, bool redo, int resultCode, const QByteArray& now,
                              const QString& error)
{
    const auto result = ByteSource::CompareResult(resultCode);
    if (result == ByteSource::CompareResult::Written) {
        stepApplied(*step, redo);
        return;
    }
    if (result == ByteSource::CompareResult::Failed) {
        stepFailed(*step, offset, redo, error);
        return;
    }
    // Someone else wrote these bytes after us (`now` holds theirs): restoring blindly would destroy
    // their data, so the conflict handler decides — outside the lock, since it may ask the user.
    bool overwrite = false;
    if (m_undoConflictHandler)
        overwrite = m_undoConflictHandler(UndoConflict { offset, expected, now, replacement, redo });
    Q_EMIT undoConflicted(offset, quint64(expected.size()), overwrite);
    if (!overwrite) {
        Q_EMIT editRefused((redo ? tr("Redo skipped: the %n byte(s) at offset %1 were changed by someone else since.",
                                      nullptr, int(std::min<qsizetype>(expected.size(), INT_MAX)))
                                 : tr("Undo skipped: the %n byte(s) at offset %1 were changed by someone else since.",
                                      nullptr, int(std::min<qsizetype>(expected.size(), INT_MAX))))
                               .arg(hexOffset(offset)));
        if (step->command)
            step->command->setObsolete(true);
        return;
    }
    // Overwriting was the explicit choice: a plain write, queued like any other.
    if (!m_source) {
        stepFailed(*step, offset, redo, tr("the view shows nothing"));
        return;
    }
    ByteSource* source = m_source;
    auto written = std::make_shared<bool>(false);
    auto why = std::make_shared<QString>();
    WriteQueue::Operation operation;
    operation.offset = offset;
    operation.preview = replacement;
    operation.context = this;
    operation.attempt = [source, offset, replacement, written, why] {
        *written = source->write(offset, replacement);
        if (!*written && source->lockWasBusy())
            return false;
        *why = source->errorString();
        return true;
    };
    operation.finished = [this, step, offset, redo, written, why] {
        step->queueId = 0;
        if (*written)
            stepApplied(*step, redo);
        else
            stepFailed(*step, offset, redo, *why);
    };
    operation.dropped = [step] {
        step->queueId = 0;
        if (step->command)
            step->command->updateText();
    };
    const quint64 id = source->writeQueue()->submit(std::move(operation));
    if (source->writeQueue()->isQueued(id))
        step->queueId = id;
}

bool HexView::editBytes(quint64 offset, const QByteArray& bytes)
{
    const quint64 size = sourceSize();
    if (!m_source || size == 0) {
        Q_EMIT editRefused(tr("Nothing to edit: the view is empty."));
        return false;
    }
    if (!m_source->isWritable()) {
        Q_EMIT editRefused(tr("The view is read-only: nothing was written at offset %1.").arg(hexOffset(offset)));
        return false;
    }
    if (bytes.isEmpty() || offset >= size || quint64(bytes.size()) > size - offset) {
        Q_EMIT editRefused(tr("Cannot write %1 bytes at offset %2: the source holds %3 bytes; nothing was changed.")
                               .arg(bytes.size())
                               .arg(hexOffset(offset))
                               .arg(size));
        return false;
    }
    m_runOpen = false;
    return writeUndoable(offset, bytes, -1);
}

} // namespace shmscope
