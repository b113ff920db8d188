#pragma once

// Internal to shmscope_widgets: the undo steps of HexView's edits and what they share with the writes
// queued on the source's WriteQueue (hexviewedit.cpp queues them).

#include <QByteArray>
#include <QList>
#include <QUndoCommand>
#include <memory>

namespace shmscope {

class ByteEditCommand;
class HexView;

// The bytes one queued exchange writes for an edit of the view (a typed key, a paste, editBytes()).
// Shared by the undo step (ByteEditCommand) and the operation on the source's WriteQueue, which
// fills in what the write replaced once it is done.
struct HexEditPiece {
    enum class State { Waiting, Written, NotWritten };
    quint64 offset = 0;
    QByteArray after; // what it writes
    QByteArray before; // what the write replaced (once Written)
    State state = State::Waiting;
    quint64 queueId = 0; // its operation on the WriteQueue while Waiting
    ByteEditCommand* owner = nullptr; // the undo step it belongs to; null once that is gone
};

// What the object holds of an undo step, shared with a queued undo or redo write of it.
struct HexEditStep {
    bool objectHoldsAfter = true; // the step's written bytes are in the object (not the ones they replaced)
    quint64 queueId = 0; // a waiting undo/redo write of the step, 0 when none
    ByteEditCommand* command = nullptr; // null once the step is gone
};

// One edit of the view: the pieces written (or waiting to be) in order. Typed characters of one run
// (same run number, each at or right after the previous one) merge into one command, so that one undo
// takes back a typed word. Undo and redo are writes like edits: queued on the source's WriteQueue, a
// compare-and-write (HexView::queueStepWrite()) that checks the bytes are still what this step left
// there; a step that does not apply any more marks itself obsolete, and QUndoStack (Qt >= 5.9) then
// drops it. Pieces still waiting for the lock are simply taken back by an undo (never written); pieces
// that were cancelled (WriteQueue::cancel()) are "not written" and a redo queues them again.
class ByteEditCommand : public QUndoCommand
{
public:
    using Piece = HexEditPiece;
    using State = HexEditPiece::State;

    ByteEditCommand(HexView* view, std::shared_ptr<Piece> piece, int typingRun);

    ~ByteEditCommand() override;

    // Typed commands share one id (so QUndoStack offers them to mergeWith()); the others never merge.
    int id() const override { return m_run >= 0 ? 1 : -1; }

    void redo() override;

    void undo() override;

    bool mergeWith(const QUndoCommand* other) override;

    // The bytes written so far, as one range: `before` what they replaced (the oldest piece's value of
    // each byte), `after` their latest value. Pieces are written in order and each starts within or
    // right after the ones before it, so the written ones form one range. False when none is written.
    bool writtenPart(quint64* offset, QByteArray* before, QByteArray* after) const;

    HexEditStep& step() { return *m_step; }
    std::shared_ptr<HexEditStep> sharedStep() const { return m_step; }
    // True when nothing of the step was written and all of it is "not written" (cancelled).
    bool isEntirelyNotWritten() const;

    void updateText();

private:
    bool hasWritten() const;
    bool hasNotWritten() const;
    void range(quint64* start, quint64* end) const;

    HexView* m_view;
    QList<std::shared_ptr<Piece>> m_pieces;
    int m_run;
    std::shared_ptr<HexEditStep> m_step;
    bool m_pushed = true;
    bool m_wantsAfter = true; // where the stack has the step: done (true) or undone
    bool m_everUndone = false;
};

} // namespace shmscope
