#include "widgets/hexeditcommands.h"

#include "widgets/hexview.h"
#include "widgets/hexviewdetail.h"

#include <algorithm>
#include <climits>
#include <limits>
#include <vector>

namespace shmscope {

using namespace hexviewdetail;

ByteEditCommand::ByteEditCommand(HexView* view, std::shared_ptr<Piece> piece, int typingRun)
    : m_view(view)
    , m_run(typingRun)
    , m_step(std::make_shared<HexEditStep>())
{
    m_step->command = this;
    piece->owner = this;
    m_pieces.append(std::move(piece));
    updateText();
}

ByteEditCommand::~ByteEditCommand()
{
    for (const std::shared_ptr<Piece>& piece : std::as_const(m_pieces)) {
        if (piece->owner == this)
            piece->owner = nullptr;
    }
    m_step->command = nullptr;
}

void ByteEditCommand::redo()
{
    if (m_pushed) {
        m_pushed = false; // QUndoStack::push() calls redo(); the view has written (or queued) already
        return;
    }
    m_wantsAfter = true;
    if (isObsolete())
        return;
    // An undo still waiting is simply taken back: the object never lost the step's bytes.
    if (!m_view->dropStepWrite(*m_step) && hasWritten() && !m_step->objectHoldsAfter)
        m_view->queueStepWrite(this, true);
    for (const std::shared_ptr<Piece>& piece : std::as_const(m_pieces)) {
        if (piece->state == State::NotWritten)
            m_view->queuePiece(piece);
    }
    updateText();
}

void ByteEditCommand::undo()
{
    m_wantsAfter = false;
    m_everUndone = true;
    if (isObsolete())
        return;
    // Keys still waiting for the lock are taken back (never written); what was written is restored.
    for (const std::shared_ptr<Piece>& piece : std::as_const(m_pieces)) {
        if (piece->state == State::Waiting)
            m_view->dropPiece(*piece);
    }
    if (!m_view->dropStepWrite(*m_step) && hasWritten() && m_step->objectHoldsAfter)
        m_view->queueStepWrite(this, false);
    updateText();
}

bool ByteEditCommand::mergeWith(const QUndoCommand* other)
{
    auto* o = const_cast<ByteEditCommand*>(static_cast<const ByteEditCommand*>(other));
    if (m_run < 0 || o->m_run != m_run || m_everUndone || o->m_everUndone || hasNotWritten() || o->hasNotWritten())
        return false;
    quint64 start = 0;
    quint64 end = 0;
    range(&start, &end);
    const Piece& next = *o->m_pieces.constFirst();
    if (next.offset < start || next.offset > end)
        return false;
    for (const std::shared_ptr<Piece>& piece : std::as_const(o->m_pieces)) {
        piece->owner = this;
        m_pieces.append(piece);
    }
    o->m_pieces.clear();
    updateText();
    return true;
}

bool ByteEditCommand::writtenPart(quint64* offset, QByteArray* before, QByteArray* after) const
{
    quint64 start = std::numeric_limits<quint64>::max();
    quint64 end = 0;
    for (const std::shared_ptr<Piece>& piece : m_pieces) {
        if (piece->state != State::Written)
            continue;
        start = std::min(start, piece->offset);
        end = std::max(end, piece->offset + quint64(piece->after.size()));
    }
    if (end <= start)
        return false;
    *offset = start;
    before->fill('\0', qsizetype(end - start));
    *after = *before;
    std::vector<bool> seen(size_t(end - start), false);
    for (const std::shared_ptr<Piece>& piece : m_pieces) {
        if (piece->state != State::Written)
            continue;
        const qsizetype at = qsizetype(piece->offset - start);
        for (qsizetype i = 0; i < piece->after.size(); ++i) {
            if (!seen[size_t(at + i)]) {
                (*before)[at + i] = piece->before.at(i);
                seen[size_t(at + i)] = true;
            }
            (*after)[at + i] = piece->after.at(i);
        }
    }
    return true;
}

bool ByteEditCommand::isEntirelyNotWritten() const
{
    return std::all_of(m_pieces.cbegin(), m_pieces.cend(),
                       [](const std::shared_ptr<Piece>& piece) { return piece->state == State::NotWritten; });
}

void ByteEditCommand::updateText()
{
    quint64 start = 0;
    quint64 end = 0;
    range(&start, &end);
    QString text = HexView::tr("Edit %n byte(s) at %1", nullptr, int(std::min<quint64>(end - start, INT_MAX)))
                       .arg(hexOffset(start));
    const bool waiting = m_step->queueId != 0
        || std::any_of(m_pieces.cbegin(), m_pieces.cend(),
                       [](const std::shared_ptr<Piece>& piece) { return piece->state == State::Waiting; });
    if (waiting)
        text = HexView::tr("%1 (waiting for the lock)").arg(text);
    else if (hasNotWritten() || (hasWritten() && m_step->objectHoldsAfter != m_wantsAfter))
        text = HexView::tr("%1 (not written)").arg(text);
    setText(text);
}

bool ByteEditCommand::hasWritten() const
{
    return std::any_of(m_pieces.cbegin(), m_pieces.cend(),
                       [](const std::shared_ptr<Piece>& piece) { return piece->state == State::Written; });
}

bool ByteEditCommand::hasNotWritten() const
{
    return std::any_of(m_pieces.cbegin(), m_pieces.cend(),
                       [](const std::shared_ptr<Piece>& piece) { return piece->state == State::NotWritten; });
}

void ByteEditCommand::range(quint64* start, quint64* end) const
{
    *start = std::numeric_limits<quint64>::max();
    *end = 0;
    for (const std::shared_ptr<Piece>& piece : m_pieces) {
        *start = std::min(*start, piece->offset);
        *end = std::max(*end, piece->offset + quint64(piece->after.size()));
    }
    if (*end < *start)
        *start = *end = 0;
}

} // namespace shmscope
