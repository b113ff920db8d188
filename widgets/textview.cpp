#include "widgets/textview.h"

#include "widgets/bytesource.h"
#include "widgets/elidedlabel.h"
#include "widgets/writequeue.h"

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSettings>
#include <QStringDecoder>
#include <QStringEncoder>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <QVBoxLayout>
#include <algorithm>
#include <cstring>

namespace shmscope {

namespace {

// The first read is small (most strings are short and the view polls 20 times a second); longer
// strings are read in doubling chunks up to the NUL. Even sizes keep UTF-16 units whole.
constexpr qsizetype kFirstChunk = 256;
constexpr qsizetype kMaxChunk = 64 * 1024;

QString hexOffset(quint64 offset)
{
    return QStringLiteral("0x") + QString::number(offset, 16);
}

} // namespace

TextView::TextView(QWidget* parent)
    : QWidget(parent)
{
    m_offsetEdit = new QLineEdit(this);
    m_offsetEdit->setText(QStringLiteral("0"));
    m_offsetEdit->setToolTip(tr("Byte offset of the string: decimal or 0x-hex. Press Enter to apply."));
    m_offsetEdit->setMaximumWidth(m_offsetEdit->fontMetrics().horizontalAdvance(QLatin1Char('0')) * 22);

    m_encodingBox = new QComboBox(this);
    m_encodingBox->addItem(tr("UTF-8"), QVariant::fromValue(Encoding::Utf8));
    m_encodingBox->addItem(tr("UTF-16LE"), QVariant::fromValue(Encoding::Utf16LE));
    m_encodingBox->setToolTip(tr("How the string's bytes are decoded and edits encoded"));

    m_infoLabel = new ElidedLabel(this);
    m_infoLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* offsetLabel = new QLabel(tr("&Offset:"), this);
    offsetLabel->setBuddy(m_offsetEdit);
    auto* encodingLabel = new QLabel(tr("&Encoding:"), this);
    encodingLabel->setBuddy(m_encodingBox);

    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(6, 4, 6, 4); // the view itself has no margins, so it can sit flush in a splitter
    bar->addWidget(offsetLabel);
    bar->addWidget(m_offsetEdit);
    bar->addSpacing(12);
    bar->addWidget(encodingLabel);
    bar->addWidget(m_encodingBox);
    bar->addSpacing(12);
    bar->addWidget(m_infoLabel, 1);

    m_editor = new QPlainTextEdit(this);
    m_editor->setPlaceholderText(tr("The NUL-terminated string at the offset; edits are written at once."));

    m_messageLabel = new QLabel(this);
    m_messageLabel->setWordWrap(true);
    m_messageLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_messageLabel->setVisible(false);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_editor, 1);
    layout->addWidget(m_messageLabel);
    m_messageLabel->setContentsMargins(6, 2, 6, 2);

    // The view keeps its own undo history (see writeEdit()); QTextDocument's would replay steps at
    // positions someone else's change has moved. Its keys and context menu entries are taken over.
    m_editor->setUndoRedoEnabled(false);
    m_editor->installEventFilter(this);
    m_editor->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_editor, &QWidget::customContextMenuRequested, this, &TextView::showContextMenu);

    connect(m_editor, &QPlainTextEdit::textChanged, this, &TextView::onEditorTextChanged);
    connect(m_offsetEdit, &QLineEdit::editingFinished, this, &TextView::onOffsetEdited);
    connect(m_encodingBox, &QComboBox::activated, this, &TextView::onEncodingActivated);
    m_pollTimer.setInterval(m_pollInterval);
    connect(&m_pollTimer, &QTimer::timeout, this, &TextView::poll);

    load(true);
}

TextView::~TextView()
{
    // ~QWidget closes the window, which takes the focus from the offset field and makes it emit
    // editingFinished() into a TextView that no longer exists.
    disconnect(m_offsetEdit, nullptr, this, nullptr);
    disconnect(m_editor, nullptr, this, nullptr);
    if (m_source)
        disconnect(m_source, nullptr, this, nullptr);
}

void TextView::setSource(ByteSource* source)
{
    if (m_source == source)
        return;
    dropPending(tr("the view now shows another object"));
    if (m_source) {
        disconnect(m_source, nullptr, this, nullptr);
        disconnect(m_source->writeQueue(), nullptr, this, nullptr);
    }
    m_source = source;
    clearHistory();
    if (source) {
        connect(source->writeQueue(), &WriteQueue::cancelled, this, &TextView::onWritesCancelled);
        connect(source, &ByteSource::contentsChanged, this, &TextView::onSourceRangeChanged);
        // Another view of this process (the hex view) writing into the string is a change for us too;
        // our own writes are filtered out by m_writing.
        connect(source, &ByteSource::bytesWritten, this, &TextView::onSourceRangeChanged);
        connect(source, &ByteSource::sizeChanged, this, &TextView::onSourceSizeChanged);
        connect(source, &QObject::destroyed, this, [this] {
            m_pending.clear(); // the queue went with the source
            m_pollTimer.stop();
            clearHistory();
            load(true);
        });
    }
    load(true);
    updatePollTimer(isVisible());
}

ByteSource* TextView::source() const
{
    return m_source.data();
}

void TextView::setOffset(quint64 offset)
{
    const QString shown = hexOffset(offset);
    if (m_offsetEdit->text() != shown)
        m_offsetEdit->setText(shown);
    if (offset == m_offset)
        return;
    dropPending(tr("the view now shows the string at %1").arg(hexOffset(offset)));
    m_offset = offset;
    showMessage({});
    clearHistory();
    load(true);
    Q_EMIT offsetChanged(offset);
}

void TextView::setEncoding(Encoding encoding)
{
    const int index = m_encodingBox->findData(QVariant::fromValue(encoding));
    if (index >= 0)
        m_encodingBox->setCurrentIndex(index);
    if (!m_encodingKey.isEmpty())
        QSettings().setValue(m_encodingKey, encodingSettingsValue(encoding));
    if (encoding == m_encoding)
        return;
    dropPending(tr("the encoding changed"));
    m_encoding = encoding;
    clearHistory();
    load(true);
}

QString TextView::encodingSettingsValue(Encoding encoding)
{
    return encoding == Encoding::Utf16LE ? QStringLiteral("utf-16le") : QStringLiteral("utf-8");
}

void TextView::setEncodingSettingsKey(const QString& key)
{
    m_encodingKey = key;
    if (key.isEmpty())
        return;
    // Unknown values (a newer version, a hand-edited file) fall back to the default.
    const QString stored = QSettings().value(key).toString();
    const Encoding encoding = stored == encodingSettingsValue(Encoding::Utf16LE) ? Encoding::Utf16LE : Encoding::Utf8;
    const int index = m_encodingBox->findData(QVariant::fromValue(encoding));
    if (index >= 0)
        m_encodingBox->setCurrentIndex(index);
    if (encoding != m_encoding) {
        dropPending(tr("the encoding changed"));
        m_encoding = encoding;
        clearHistory();
        load(true);
    }
}

void TextView::setPollInterval(int ms)
{
    m_pollInterval = ms;
    if (ms > 0)
        m_pollTimer.setInterval(ms);
    updatePollTimer(isVisible());
}

void TextView::reload()
{
    load(false);
}

QString TextView::text() const
{
    return m_editor->toPlainText();
}

QString TextView::message() const
{
    return m_messageLabel->text();
}

bool TextView::parseOffsetText(const QString& text, quint64* offset)
{
    const QString t = text.trimmed();
    if (t.isEmpty())
        return false;
    const bool hex = t.startsWith(QLatin1String("0x"), Qt::CaseInsensitive);
    const QString digits = hex ? t.mid(2) : t;
    if (digits.isEmpty())
        return false;
    // toULongLong alone would accept signs and spaces inside; only digits are an offset.
    for (const QChar c : digits) {
        const bool ok
            = hex ? (c.isDigit() || (c.toLower() >= QLatin1Char('a') && c.toLower() <= QLatin1Char('f'))) : c.isDigit();
        if (!ok || c.unicode() > 0x7f)
            return false;
    }
    bool ok = false;
    const quint64 value = digits.toULongLong(&ok, hex ? 16 : 10); // fails on overflow
    if (!ok)
        return false;
    if (offset)
        *offset = value;
    return true;
}

// ---- reading and showing -------------------------------------------------------------------------

TextView::StringBytes TextView::readString(bool mustShow) const
{
    // A string is read in several chunks; another process may be rewriting it meanwhile. The source
    // makes the chunks one consistent snapshot (its lock, or reading until two reads agree).
    StringBytes result;
    if (!m_source) {
        result.readable = false;
        return result;
    }
    const auto reader = [this, &result](QByteArray* snapshot) {
        result = readStringOnce();
        *snapshot = result.bytes;
        snapshot->append(char(result.terminated ? 1 : 0)).append(char(result.readable ? 1 : 0));
        return true; // an unreadable string is an answer too (result says why)
    };
    // With nothing earlier to keep showing, a held lock must not leave the view empty.
    const bool ok = m_source->readConsistent(
        reader, mustShow ? ByteSource::WhenLocked::BestEffort : ByteSource::WhenLocked::Wait);
    if (!ok) {
        // The reader itself always answers, so no snapshot was to be had: a writer holds the object's
        // lock (MappingByteSource), or someone rewrites the string faster than it can be read twice
        // alike (detect-and-retry). load() keeps the last whole string unless it must show something.
        result = StringBytes();
        result.readable = false;
        result.unsettled = true;
        result.error = tr("Cannot read the string at %1: %2").arg(hexOffset(m_offset), m_source->errorString());
    }
    return result;
}

TextView::StringBytes TextView::readStringOnce() const
{
    StringBytes result;
    if (!m_source) {
        result.readable = false;
        return result;
    }
    const quint64 size = m_source->size();
    if (m_offset >= size) {
        result.readable = false;
        result.error
            = tr("Offset %1 is at or past the end of the object (%2 bytes).").arg(hexOffset(m_offset)).arg(size);
        return result;
    }
    const qsizetype unit = terminatorLength();
    qsizetype limit = qsizetype(std::min<quint64>(size - m_offset, quint64(kMaxStringBytes) + quint64(unit)));
    limit -= limit % unit; // a trailing half UTF-16 unit is no character
    QByteArray buf;
    qsizetype pos = 0;
    qsizetype chunk = kFirstChunk;
    while (pos < limit) {
        const qsizetype n = std::min(chunk, limit - pos);
        buf.resize(pos + n);
        if (!m_source->read(m_offset + quint64(pos), buf.data() + pos, n)) {
            if (pos == 0) {
                result.readable = false;
                result.error = tr("Cannot read the string at %1: %2").arg(hexOffset(m_offset), m_source->errorString());
                return result;
            }
            buf.resize(pos); // the object shrank under us: show what could be read
            break;
        }
        for (qsizetype i = pos; i + unit <= pos + n; i += unit) {
            if (buf.at(i) == '\0' && (unit == 1 || buf.at(i + 1) == '\0')) {
                buf.truncate(i);
                result.bytes = buf;
                result.terminated = true;
                return result;
            }
        }
        pos += n;
        chunk = std::min(chunk * 2, kMaxChunk);
    }
    if (buf.size() > kMaxStringBytes)
        buf.truncate(kMaxStringBytes);
    result.bytes = buf;
    return result;
}

QString TextView::decode(const QByteArray& bytes) const
{
    // ConvertInitialBom: a BOM in the bytes is content and must survive a round trip through an edit.
    QStringDecoder decoder(m_encoding == Encoding::Utf8 ? QStringConverter::Utf8 : QStringConverter::Utf16LE,
                           QStringConverter::Flag::ConvertInitialBom);
    return decoder.decode(bytes);
}

QByteArray TextView::encode(const QString& text) const
{
    QStringEncoder encoder(m_encoding == Encoding::Utf8 ? QStringConverter::Utf8 : QStringConverter::Utf16LE,
                           QStringConverter::Flag::ConvertInitialBom);
    return encoder.encode(text);
}

int TextView::terminatorLength() const
{
    return m_encoding == Encoding::Utf8 ? 1 : 2;
}

void TextView::load(bool force)
{
    // Edits waiting for the lock are shown over the text they were made on; others' changes are merged
    // into them when they are written (writeEdit()), and the reload happens after.
    if (!m_pending.isEmpty() && !force)
        return;
    const StringBytes now = readString(force);
    // No consistent snapshot right now (a writer holds the object's lock, or a view without the lock
    // while another process rewrites the string nonstop): keep showing the last whole string; the next
    // poll or notification tries again.
    if (now.unsettled && !force)
        return;
    const bool same
        = now.bytes == m_shown.bytes && now.terminated == m_shown.terminated && now.readable == m_shown.readable;
    if (same && !force)
        return;
    const QString oldError = m_shown.error;
    m_shown = now;
    const QString oldText = m_text;
    m_text = decode(now.bytes);
    if (m_text != oldText)
        transformHistory(editBetween(oldText, m_text)); // someone else's change: the history follows it
    if (m_editor->toPlainText() != m_text) {
        applyText(m_text);
        if (!force)
            Q_EMIT textReloaded();
    }
    if (!now.readable && !now.error.isEmpty())
        showMessage(now.error);
    else if (force || (!oldError.isEmpty() && message() == oldError))
        showMessage({}); // a read problem that has gone away is no longer worth a message
    updateInfo();
    updateEditable();
}

void TextView::applyText(const QString& text, qsizetype cursorPosition)
{
    // Replace only the part that differs, through a QTextCursor on the document: the editor's own
    // cursor, its selection and the scroll position are adjusted by QTextDocument like for any edit,
    // so a change elsewhere in the text does not move them. setPlainText() would reset all three.
    const QString old = m_editor->toPlainText();
    const Edit change = editBetween(old, text);
    const qsizetype prefix = change.position;
    const qsizetype suffix = old.size() - change.position - change.removed;

    // Where the user's cursor and selection end go: unchanged before the edit, shifted after it, and
    // kept at the start when the edit begins exactly there (QTextDocument would push them behind
    // text inserted at their position, as if the user had typed it). A merge knows better where the
    // cursor belongs (behind the user's own text) and says so with `cursorPosition`.
    const qsizetype inserted = change.inserted.size();
    const auto mapPosition = [&](int position) {
        if (position <= prefix)
            return position;
        if (position >= old.size() - suffix)
            return int(position + text.size() - old.size());
        return int(std::min<qsizetype>(position, prefix + inserted));
    };
    const QTextCursor userCursor = m_editor->textCursor();
    int anchor = mapPosition(userCursor.anchor());
    int position = mapPosition(userCursor.position());
    const bool userEdit = cursorPosition >= 0 && cursorPosition <= text.size();
    if (userEdit)
        anchor = position = int(cursorPosition);

    // What the user is reading: the first visible line. QPlainTextEdit scrolls by lines (its scroll
    // bar's value is the first visible block's first line number plus lines into it), so lines
    // inserted or removed above it would slide the text under the user's eyes; keep that line on top.
    QTextDocument* doc = m_editor->document();
    QScrollBar* scrollBar = m_editor->verticalScrollBar();
    const int scrollValue = scrollBar->value();
    const QTextBlock topBlock = m_editor->cursorForPosition(QPoint(0, 0)).block();
    const int topBlockStart = topBlock.position();
    const int topBlockLine = topBlock.firstLineNumber();

    m_applying = true;
    if (change.removed > 0 || !change.inserted.isEmpty()) {
        QTextCursor cursor(doc);
        cursor.setPosition(int(prefix));
        cursor.setPosition(int(prefix + change.removed), QTextCursor::KeepAnchor);
        cursor.insertText(change.inserted); // not recorded: the editor's own undo is off (see the constructor)
    }
    QTextCursor adjusted = m_editor->textCursor();
    if (adjusted.anchor() != anchor || adjusted.position() != position) {
        adjusted.setPosition(anchor);
        adjusted.setPosition(position, QTextCursor::KeepAnchor);
        m_editor->setTextCursor(adjusted); // may scroll to the cursor: undone below
    }
    if (scrollValue > 0) {
        const QTextBlock top = doc->findBlock(mapPosition(topBlockStart));
        if (top.isValid() && prefix < topBlockStart)
            scrollBar->setValue(scrollValue + top.firstLineNumber() - topBlockLine);
        else
            scrollBar->setValue(scrollValue); // a change below: stay where the user was reading
    }
    if (userEdit)
        m_editor->ensureCursorVisible(); // right after the user's own edit (merged), its place is on screen
    m_applying = false;
}

void TextView::updateInfo()
{
    QString info;
    if (!m_source)
        info = tr("No source");
    else if (!m_shown.readable)
        info = tr("Nothing readable at %1").arg(hexOffset(m_offset));
    else if (m_shown.terminated)
        info = tr("%1 bytes + NUL at %2").arg(m_shown.bytes.size()).arg(hexOffset(m_offset));
    else if (m_shown.bytes.size() >= kMaxStringBytes)
        info = tr("%1 bytes shown, no NUL within 1 MiB").arg(m_shown.bytes.size());
    else
        info = tr("%1 bytes, no NUL before the end").arg(m_shown.bytes.size());
    m_infoLabel->setFullText(info);
}

void TextView::updateEditable()
{
    const bool editable = m_source && m_source->isWritable() && m_shown.readable;
    m_editor->setReadOnly(!editable);
    if (m_source && !m_source->isWritable())
        m_editor->setToolTip(tr("The object is attached read-only"));
    else
        m_editor->setToolTip({});
}

void TextView::showMessage(const QString& message)
{
    m_messageLabel->setText(message);
    m_messageLabel->setVisible(!message.isEmpty());
}

// ---- editing -----------------------------------------------------------------------------------------

void TextView::refuse(const QString& message)
{
    applyText(m_text); // revert; the cursor falls back to where the refused edit happened
    showMessage(message);
    Q_EMIT editRefused(message);
}

void TextView::onEditorTextChanged()
{
    if (m_applying)
        return; // our own reload or revert, not the user's edit
    const QString edited = m_editor->toPlainText();
    const QString shown = pendingText(); // the object's text plus the edits waiting for the lock
    if (edited == shown)
        return;
    const auto refuseKeepingWaiting = [this, &shown](const QString& message) {
        applyText(shown);
        showMessage(message);
        Q_EMIT editRefused(message);
    };
    if (!m_source) {
        refuseKeepingWaiting(tr("There is no object to write to."));
        return;
    }
    if (!m_source->isWritable()) {
        refuseKeepingWaiting(tr("The object is attached read-only: the text was not changed."));
        return;
    }
    if (edited.contains(QChar(0))) {
        refuseKeepingWaiting(tr("The text cannot contain a NUL character: it would end the string."));
        return;
    }
    // The user's change as one Edit on the text it was made on. The cursor (behind typed text, at the
    // place of a deletion) says where it was when the text alone is ambiguous ("a" typed into "aaa").
    const QTextCursor userCursor = m_editor->textCursor();
    const Edit userEdit = editBetween(shown, edited, userCursor.hasSelection() ? -1 : userCursor.position());
    // Only a cursor right behind the user's own inserted text is moved explicitly after a merge; any
    // other cursor (a selection, a programmatic edit elsewhere) is mapped like for a reload.
    const bool cursorAtEdit
        = !userCursor.hasSelection() && userCursor.position() == userEdit.position + userEdit.inserted.size();
    submitEdit(userEdit, cursorAtEdit, EditOrigin::Typing);
}

QString TextView::pendingText() const
{
    QString text = m_text;
    for (const PendingEdit& pending : m_pending)
        text = applyEdit(text, pending.edit);
    return text;
}

void TextView::submitEdit(const Edit& edit, bool cursorAtEdit, EditOrigin origin, quint64 stepId)
{
    // Every edit goes through the source's WriteQueue: written at once when nothing waits for the lock,
    // else kept (the editor shows it) behind the edits made before it, in this view or another.
    if (origin == EditOrigin::Typing && !m_redoSteps.isEmpty()) {
        m_redoSteps.clear(); // typing ends what could be redone, as recordStep() does
        emitHistoryAvailability();
    }
    m_pending.append(PendingEdit { edit, cursorAtEdit, origin, stepId, 0 });
    WriteQueue::Operation operation;
    operation.context = this;
    operation.attempt = [this] { return attemptFirstPending(); };
    // cancel() is answered as a whole (onWritesCancelled()); remove() is only called by undo().
    operation.dropped = [] {};
    const qsizetype count = m_pending.size();
    WriteQueue* queue = m_source->writeQueue();
    const quint64 id = queue->submit(std::move(operation));
    if (queue->isQueued(id) && m_pending.size() == count)
        m_pending.last().queueId = id; // still waiting: this edit is the newest
    emitHistoryAvailability();
}

bool TextView::attemptFirstPending()
{
    if (m_pending.isEmpty() || !m_source)
        return true;
    PendingEdit& first = m_pending.first();
    const QString expected = applyEdit(m_text, first.edit); // what the later edits were made on
    Edit edit = first.edit;
    const WriteOutcome outcome = writeEdit(&edit, first.cursorAtEdit, first.origin, first.stepId);
    if (outcome == WriteOutcome::Busy) {
        // Still waiting. A merge round may have met another writer's text (m_text follows it) and
        // rebased this edit onto it: the edits behind it follow.
        const QString now = applyEdit(m_text, edit);
        PendingEdit head = m_pending.takeFirst();
        head.edit = edit;
        rebasePending(expected, now);
        m_pending.prepend(head);
        if (now != expected)
            applyText(pendingText());
        return false;
    }
    if (m_pending.isEmpty())
        return true;
    m_pending.removeFirst();
    // Written (perhaps merged) or refused: the object holds m_text now. The edits behind were made on
    // `expected`: they follow the difference.
    rebasePending(expected, m_text);
    if (!m_pending.isEmpty())
        applyText(pendingText());
    emitHistoryAvailability();
    return true;
}

void TextView::rebasePending(const QString& from, const QString& to)
{
    if (from == to)
        return;
    QString before = from;
    QString after = to;
    for (PendingEdit& pending : m_pending) {
        const Edit remote = editBetween(before, after);
        const Edit moved = rebaseEdit(pending.edit, remote);
        before = applyEdit(before, pending.edit);
        after = applyEdit(after, moved);
        pending.edit = moved;
    }
}

void TextView::dropPending(const QString& why)
{
    if (m_pending.isEmpty())
        return;
    const int count = int(m_pending.size());
    const QList<PendingEdit> dropped = std::exchange(m_pending, {});
    if (m_source) {
        for (const PendingEdit& pending : dropped)
            m_source->writeQueue()->remove(pending.queueId);
    }
    const QString message = tr("%n edit(s) waiting for the lock were not written: %1", nullptr, count).arg(why);
    showMessage(message);
    Q_EMIT editRefused(message);
    emitHistoryAvailability();
}

void TextView::onWritesCancelled()
{
    if (m_pending.isEmpty())
        return;
    // Nothing of the waiting edits was written. The typing among them stays in the history as redo
    // steps marked not written (the editor shows the object's text again, as after an undo): the
    // first edit applies to m_text, so it is redone first (the last of m_redoSteps).
    QList<UndoStep> steps; // in the order typed; keys in a row make one step, as in recordStep()
    QString text = m_text;
    for (const PendingEdit& pending : std::as_const(m_pending)) {
        const Edit& edit = pending.edit;
        if (pending.origin == EditOrigin::Typing) {
            UndoStep* last = steps.isEmpty() ? nullptr : &steps.last();
            if (last && edit.removed == 0 && last->removed.isEmpty() && !edit.inserted.isEmpty()
                && edit.position == last->position + last->inserted.size()) {
                last->inserted += edit.inserted;
            } else {
                steps.append(UndoStep { edit.position, text.mid(edit.position, edit.removed), edit.inserted,
                                        m_nextStepId++, true });
            }
        }
        text = applyEdit(text, edit);
    }
    std::reverse(steps.begin(), steps.end()); // the first typed is redone first: the last of m_redoSteps
    const int count = int(m_pending.size());
    m_pending.clear();
    m_coalesceTyping = false;
    m_redoSteps.append(steps);
    applyText(m_text);
    showMessage(
        tr("%n edit(s) waiting for the lock were cancelled and not written; Redo writes them.", nullptr, count));
    emitHistoryAvailability();
}

TextView::WriteOutcome TextView::writeEdit(Edit* userEditInOut, bool cursorAtEdit, EditOrigin origin, quint64 stepId)
{
    const Edit userEdit = *userEditInOut;
    // The editor shows m_text with userEdit applied; the object should still hold m_shown.
    Edit local = userEdit;
    qsizetype cursorAfter = local.position + local.inserted.size();
    StringBytes base = m_shown; // the bytes `local` is based on; the object must still hold them
    QString baseText = m_text;
    QString target = applyEdit(baseText, local);
    const QByteArray terminator(terminatorLength(), '\0');
    int attempt = 0;
    for (;;) {
        ++attempt;
        const QByteArray encoded = encode(target);
        const quint64 size = m_source->size();
        const quint64 needed = quint64(encoded.size()) + quint64(terminator.size());
        if (m_offset >= size || needed > size - m_offset) {
            if (attempt == 1) {
                refuse(tr("The text does not fit: %1 bytes plus the terminating NUL at offset %2 would end past the "
                          "end of the object (%3 bytes). The edit was undone.")
                           .arg(encoded.size())
                           .arg(hexOffset(m_offset))
                           .arg(size));
            } else {
                // The other writer's text is in the object already (others see it): it stays, and ours
                // goes. What was not written is quoted so that the user can type or paste it again.
                m_shown = base;
                m_text = baseText;
                refuse(tr("Someone else changed the text meanwhile, and with their change yours does not fit "
                          "(%1 bytes plus the NUL, %2 bytes from offset %3 to the end of the object). Your edit "
                          "was undone: %4")
                           .arg(encoded.size())
                           .arg(size > m_offset ? size - m_offset : 0)
                           .arg(hexOffset(m_offset), describeLostEdit(userEdit)));
            }
            return WriteOutcome::Refused;
        }

        // Someone else may have changed the string since `base` (notices take a moment, our poll runs
        // every 50 ms): writing the whole string blindly would overwrite their text. The check and the
        // write happen under the object's lock together (writeIf), so nobody slips in between; if the
        // string changed, the check leaves what it found in `current`, read under that same lock.
        StringBytes current;
        const auto unchanged = [this, &base, &current] {
            current = readStringOnce(); // under the lock where the source has one: read once
            return current.readable && current.bytes == base.bytes && current.terminated == base.terminated;
        };
        bool changedMeanwhile = false;
        m_writing = true;
        const bool written = m_source->writeIf(m_offset, encoded + terminator, unchanged, &changedMeanwhile);
        m_writing = false;
        if (!written && m_source->lockWasBusy()) {
            // Another process holds the lock (the WriteQueue tries once, never waits): the edit waits,
            // rebased onto what an earlier round of this loop found; the history already follows that.
            if (attempt > 1) {
                m_shown = base;
                m_text = baseText;
            }
            *userEditInOut = local;
            return WriteOutcome::Busy;
        }
        if (written) {
            const QString removedText = baseText.mid(local.position, local.removed);
            m_text = target;
            m_shown = StringBytes();
            m_shown.bytes = encoded;
            m_shown.terminated = true;
            if (attempt > 1)
                applyText(target, cursorAtEdit ? cursorAfter : -1); // the merged text, our cursor behind our text
            recordStep(origin, UndoStep { local.position, removedText, local.inserted, 0 }, stepId);
            showMessage({});
            updateInfo();
            if (attempt > 1)
                Q_EMIT editMerged(attempt);
            return WriteOutcome::Written;
        }
        if (!changedMeanwhile) {
            if (attempt > 1) {
                m_shown = base;
                m_text = baseText;
            }
            refuse(tr("Could not write the text at %1: %2").arg(hexOffset(m_offset), m_source->errorString()));
            return WriteOutcome::Refused;
        }
        if (!current.readable || attempt >= kMaxMergeAttempts) {
            // The string is gone (the object shrank) or others won every race: show what is there now.
            const QString message = !current.readable
                ? tr("The text could not be read back to merge your edit: %1. Your edit was not written: %2")
                      .arg(current.error, describeLostEdit(userEdit))
                : tr("Others kept changing the text: your edit was not written after %1 attempts: %2")
                      .arg(attempt)
                      .arg(describeLostEdit(userEdit));
            m_shown = base;
            m_text = baseText;
            load(true);
            showMessage(message);
            Q_EMIT editRefused(message);
            return WriteOutcome::Refused;
        }
        // Rebase: the other writer's change as one Edit on the same base, ours transformed to apply
        // after it. The merged text is written in the next round, compared against `current`. The
        // history follows their change like on a reload.
        const QString currentText = decode(current.bytes);
        const Edit remote = editBetween(baseText, currentText);
        transformHistory(remote);
        local = rebaseEdit(local, remote, &cursorAfter);
        base = current;
        baseText = currentText;
        target = applyEdit(currentText, local);
    }
}

// ---- undo history ----------------------------------------------------------------------------------

void TextView::recordStep(EditOrigin origin, const UndoStep& step, quint64 stepId)
{
    switch (origin) {
    case EditOrigin::Typing: {
        m_redoSteps.clear();
        // Keys in a row make one step, as in QTextDocument: characters typed one after the other (not
        // across a line break), backspaces going left, deletes staying in place.
        bool merged = false;
        if (m_coalesceTyping && !m_undoSteps.isEmpty()) {
            UndoStep& top = m_undoSteps.last();
            if (step.removed.isEmpty() && !step.inserted.isEmpty() && !top.inserted.isEmpty()
                && step.position == top.position + top.inserted.size() && !step.inserted.contains(QLatin1Char('\n'))
                && !top.inserted.endsWith(QLatin1Char('\n'))) {
                top.inserted += step.inserted;
                merged = true;
            } else if (step.inserted.isEmpty() && top.inserted.isEmpty() && !step.removed.isEmpty()) {
                if (step.position + step.removed.size() == top.position) { // backspace
                    top.position = step.position;
                    top.removed.prepend(step.removed);
                    merged = true;
                } else if (step.position == top.position) { // delete
                    top.removed += step.removed;
                    merged = true;
                }
            }
        }
        if (!merged) {
            UndoStep added = step;
            added.id = m_nextStepId++;
            m_undoSteps.append(added);
        }
        m_coalesceTyping = true;
        break;
    }
    case EditOrigin::Undo: {
        // The step undone leaves the undo history for the redo history, as the forward edit again:
        // what the undo wrote back is what a redo removes, and the other way round.
        if (!m_undoSteps.isEmpty() && m_undoSteps.last().id == stepId)
            m_undoSteps.removeLast();
        m_redoSteps.append(UndoStep { step.position, step.inserted, step.removed, stepId });
        m_coalesceTyping = false;
        break;
    }
    case EditOrigin::Redo:
        if (!m_redoSteps.isEmpty() && m_redoSteps.last().id == stepId)
            m_redoSteps.removeLast();
        m_undoSteps.append(UndoStep { step.position, step.removed, step.inserted, stepId });
        m_coalesceTyping = false;
        break;
    }
    emitHistoryAvailability();
}

void TextView::transformHistory(const Edit& remote)
{
    // Someone else's change `remote` (on m_text) is moved back through the undo steps, newest first,
    // into each step's coordinates (like rebaseEdit(), backwards): a step wholly behind it shifts, a step
    // wholly before it stays, a step it touches is dropped with all older ones — undoing those would
    // overwrite their change or need the dropped step's text.
    m_redoSteps.clear(); // redo re-applies old text over the new: not after someone else's change
    Edit moved = remote;
    for (qsizetype k = m_undoSteps.size() - 1; k >= 0; --k) {
        UndoStep& step = m_undoSteps[k];
        const qsizetype stepEnd = step.position + step.inserted.size();
        if (moved.position + moved.removed <= step.position) {
            step.position += moved.inserted.size() - moved.removed;
        } else if (moved.position >= stepEnd) {
            moved.position -= step.inserted.size() - step.removed.size();
        } else {
            m_undoSteps.remove(0, k + 1);
            break;
        }
    }
    m_coalesceTyping = m_coalesceTyping && !m_undoSteps.isEmpty();
    emitHistoryAvailability();
}

void TextView::clearHistory()
{
    m_undoSteps.clear();
    m_redoSteps.clear();
    m_coalesceTyping = false;
    emitHistoryAvailability();
}

void TextView::emitHistoryAvailability()
{
    if (canUndo() != m_undoWasAvailable) {
        m_undoWasAvailable = canUndo();
        Q_EMIT undoAvailable(m_undoWasAvailable);
    }
    if (canRedo() != m_redoWasAvailable) {
        m_redoWasAvailable = canRedo();
        Q_EMIT redoAvailable(m_redoWasAvailable);
    }
}

void TextView::undo()
{
    if (!canUndo() || !m_source || m_editor->isReadOnly())
        return;
    if (!m_pending.isEmpty()) {
        // The newest edit still waiting for the lock is taken back: it is never written.
        const PendingEdit newest = m_pending.takeLast();
        if (newest.queueId != 0)
            m_source->writeQueue()->remove(newest.queueId);
        applyText(pendingText(), newest.edit.position);
        m_coalesceTyping = false;
        emitHistoryAvailability();
        return;
    }
    const UndoStep step = m_undoSteps.last();
    if (m_text.mid(step.position, step.inserted.size()) != step.inserted) {
        clearHistory(); // cannot happen if the history followed every change; never write a wrong text
        return;
    }
    // Put back what the step removed; the cursor goes behind it, as QTextDocument's undo does.
    const Edit edit { step.position, step.inserted.size(), step.removed };
    applyText(applyEdit(m_text, edit), edit.position + edit.inserted.size());
    submitEdit(edit, true, EditOrigin::Undo, step.id);
}

void TextView::redo()
{
    if (!canRedo() || !m_source || m_editor->isReadOnly())
        return;
    const UndoStep step = m_redoSteps.last();
    if (m_text.mid(step.position, step.removed.size()) != step.removed) {
        clearHistory();
        return;
    }
    const Edit edit { step.position, step.removed.size(), step.inserted };
    applyText(applyEdit(m_text, edit), edit.position + edit.inserted.size());
    submitEdit(edit, true, EditOrigin::Redo, step.id);
}

bool TextView::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_editor && (event->type() == QEvent::ShortcutOverride || event->type() == QEvent::KeyPress)) {
        auto* key = static_cast<QKeyEvent*>(event);
        if (key->key() == Qt::Key_Escape && key->modifiers() == Qt::NoModifier && m_source
            && m_source->writeQueue()->isWaiting()) {
            // Esc drops the edits waiting for the lock (all views'): see onWritesCancelled().
            event->accept();
            if (event->type() == QEvent::KeyPress)
                m_source->writeQueue()->cancel();
            return true;
        }
        const bool isUndo = key->matches(QKeySequence::Undo);
        const bool isRedo = key->matches(QKeySequence::Redo);
        if (isUndo || isRedo) {
            // Ours, not a window shortcut's (the hex view's undo in the Edit menu) while the editor has
            // the focus; and never the editor's own (it is off).
            event->accept();
            if (event->type() == QEvent::KeyPress) {
                if (isUndo)
                    undo();
                else
                    redo();
            }
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void TextView::showContextMenu(const QPoint& position)
{
    QMenu* menu = m_editor->createStandardContextMenu(position);
    // Its Undo and Redo entries (named by Qt "edit-undo" and "edit-redo") drive the editor's own,
    // disabled history: point them at the view's.
    for (QAction* action : menu->actions()) {
        const bool isUndo = action->objectName() == QLatin1String("edit-undo");
        const bool isRedo = action->objectName() == QLatin1String("edit-redo");
        if (!isUndo && !isRedo)
            continue;
        disconnect(action, &QAction::triggered, nullptr, nullptr);
        action->setEnabled(isUndo ? canUndo() : canRedo());
        connect(action, &QAction::triggered, this, isUndo ? &TextView::undo : &TextView::redo);
    }
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->popup(m_editor->viewport()->mapToGlobal(position));
}

QString TextView::describeLostEdit(const Edit& edit)
{
    if (edit.inserted.isEmpty())
        return tr("deleting %n character(s).", nullptr, int(edit.removed));
    // A long paste is quoted by its ends; the quote is for the user to recognise it.
    constexpr qsizetype kQuoted = 60;
    QString quoted = edit.inserted;
    if (quoted.size() > kQuoted)
        quoted = quoted.left(kQuoted / 2) + QChar(0x2026) + quoted.right(kQuoted / 2);
    quoted.replace(QLatin1Char('\n'), QChar(0x21b5));
    return tr("“%1”.").arg(quoted);
}

TextView::Edit TextView::editBetween(const QString& before, const QString& after, qsizetype endHint)
{
    const qsizetype common = std::min(before.size(), after.size());
    const auto fromEnd = [](const QString& s, qsizetype i) { return s.at(s.size() - 1 - i); };
    qsizetype prefix = 0;
    qsizetype suffix = 0;
    if (endHint >= 0 && endHint <= after.size()) {
        // Suffix first, no longer than what lies behind the hint: the edit then ends at the hint
        // whenever the texts allow it.
        const qsizetype suffixLimit = std::min(common, after.size() - endHint);
        while (suffix < suffixLimit && fromEnd(before, suffix) == fromEnd(after, suffix))
            ++suffix;
        while (prefix < common - suffix && before.at(prefix) == after.at(prefix))
            ++prefix;
    } else {
        while (prefix < common && before.at(prefix) == after.at(prefix))
            ++prefix;
        while (suffix < common - prefix && fromEnd(before, suffix) == fromEnd(after, suffix))
            ++suffix;
    }
    // Never split a surrogate pair (both texts hold the same pair there, so one check suffices).
    if (prefix > 0 && before.at(prefix - 1).isHighSurrogate())
        --prefix;
    if (suffix > 0 && before.at(before.size() - suffix).isLowSurrogate())
        --suffix;
    Edit edit;
    edit.position = prefix;
    edit.removed = before.size() - prefix - suffix;
    edit.inserted = after.mid(prefix, after.size() - prefix - suffix);
    return edit;
}

QString TextView::applyEdit(const QString& text, const Edit& edit)
{
    const qsizetype position = std::clamp<qsizetype>(edit.position, 0, text.size());
    const qsizetype removed = std::clamp<qsizetype>(edit.removed, 0, text.size() - position);
    return text.left(position) + edit.inserted + text.mid(position + removed);
}

TextView::Edit TextView::rebaseEdit(const Edit& local, const Edit& remote, qsizetype* insertedEnd)
{
    // The usual transformation of two concurrent replacements of one text (operational transformation,
    // e.g. Ellis & Gibbs 1989; here for single ranges only, which is what typing produces).
    const qsizetype localEnd = local.position + local.removed;
    const qsizetype remoteEnd = remote.position + remote.removed;
    const qsizetype delta = remote.inserted.size() - remote.removed; // how remote moved what follows it
    Edit result = local;
    qsizetype end = 0;
    if (localEnd <= remote.position) {
        // Entirely before the remote change (or two insertions at one place: ours first, as a reload
        // keeps our cursor in front of text inserted at it): unchanged.
        end = result.position + result.inserted.size();
    } else if (local.position >= remoteEnd) {
        // Entirely behind it: shifted by what it inserted minus what it removed.
        result.position += delta;
        end = result.position + result.inserted.size();
    } else {
        // Overlapping ranges: every base character of their union was removed by one of the two, so
        // the union goes, and both inserted texts take its place, the earlier-starting one first.
        const qsizetype unionStart = std::min(local.position, remote.position);
        const qsizetype unionEnd = std::max(localEnd, remoteEnd);
        result.position = unionStart;
        result.removed = unionEnd + delta - unionStart; // the union, in the remote's result
        if (local.position <= remote.position) {
            result.inserted = local.inserted + remote.inserted;
            end = unionStart + local.inserted.size();
        } else {
            result.inserted = remote.inserted + local.inserted;
            end = unionStart + result.inserted.size();
        }
    }
    if (insertedEnd)
        *insertedEnd = end;
    return result;
}

void TextView::onOffsetEdited()
{
    quint64 offset = 0;
    if (!parseOffsetText(m_offsetEdit->text(), &offset)) {
        showMessage(
            tr("“%1” is not an offset: type a decimal number or 0x followed by hex digits.").arg(m_offsetEdit->text()));
        return;
    }
    setOffset(offset);
}

void TextView::onEncodingActivated(int index)
{
    setEncoding(m_encodingBox->itemData(index).value<Encoding>());
}

void TextView::onSourceRangeChanged(quint64 offset, quint64 length)
{
    if (m_writing || length == 0)
        return;
    // The string and its terminator; a change there or right behind an unterminated string matters.
    const quint64 stringEnd = m_offset + quint64(m_shown.bytes.size()) + quint64(terminatorLength());
    const quint64 changeEnd = offset > ~quint64(0) - length ? ~quint64(0) : offset + length;
    if (changeEnd <= m_offset || (m_shown.terminated && offset >= stringEnd))
        return;
    load(false);
}

void TextView::onSourceSizeChanged()
{
    load(false);
    updateEditable();
}

void TextView::poll()
{
    if (!m_source)
        return;
    m_source->refresh(); // may emit sizeChanged()
    load(false);
}

void TextView::updatePollTimer(bool visible)
{
    if (m_source && visible && m_pollInterval > 0)
        m_pollTimer.start(m_pollInterval);
    else
        m_pollTimer.stop();
}

void TextView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    load(false);
    updatePollTimer(true);
}

void TextView::hideEvent(QHideEvent* event)
{
    QWidget::hideEvent(event);
    updatePollTimer(false);
}

} // namespace shmscope
