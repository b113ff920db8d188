// HexView's selection (anchor and cursor), the clipboard (copy in four formats, paste) and the
// context menu that offers them.

#include "core/scansource.h"
#include "widgets/bytesource.h"
#include "widgets/bytesourcescan.h"
#include "widgets/hexview.h"
#include "widgets/hexviewdetail.h"
#include "widgets/writequeue.h"

#include <QAction>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QGuiApplication>
#include <QKeyEvent>
#include <QKeySequence>
#include <QMenu>
#include <QMimeData>
#include <QRegularExpression>
#include <QUndoStack>
#include <algorithm>

namespace shmscope {

using namespace hexviewdetail;

bool HexView::handleClipboardKey(QKeyEvent* event)
{
    if (event->matches(QKeySequence::Copy)) {
        copySelection(CopyFormat::Hex);
        return true;
    }
    if (event->matches(QKeySequence::Paste)) {
        paste();
        return true;
    }
    if (event->matches(QKeySequence::SelectAll)) {
        selectAll();
        return true;
    }
    if (event->matches(QKeySequence::Undo)) {
        m_undoStack->undo();
        return true;
    }
    if (event->matches(QKeySequence::Redo)) {
        m_undoStack->redo();
        return true;
    }
    if (event->key() == Qt::Key_Escape && m_selectionActive) {
        clearSelection();
        return true;
    }
    if (event->key() == Qt::Key_Escape && m_source && m_source->writeQueue()->isWaiting()) {
        m_source->writeQueue()->cancel(); // the edits waiting for the lock: not written
        return true;
    }
    return false;
}

void HexView::contextMenuEvent(QContextMenuEvent* event)
{
    event->accept();
    QMenu* menu = createContextMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->popup(event->globalPos());
}

QMenu* HexView::createContextMenu(QWidget* parent)
{
    auto* menu = new QMenu(parent);
    const bool selected = m_selectionActive;
    const auto addCopy = [&](const QString& text, const char* name, CopyFormat format) {
        QAction* action = menu->addAction(text, this, [this, format] { copySelection(format); });
        action->setObjectName(QLatin1String(name));
        action->setEnabled(selected);
        return action;
    };
    addCopy(tr("Copy as &Hex"), "copyHex", CopyFormat::Hex)->setShortcut(QKeySequence::Copy);
    addCopy(tr("Copy as &Raw Bytes"), "copyRaw", CopyFormat::Raw);
    addCopy(tr("Copy as &C Array"), "copyCArray", CopyFormat::CArray);
    addCopy(tr("Copy as &Base64"), "copyBase64", CopyFormat::Base64);
    menu->addSeparator();
    QAction* pasteAction = menu->addAction(tr("&Paste"), this, [this] { paste(); });
    pasteAction->setObjectName(QStringLiteral("paste"));
    pasteAction->setShortcut(QKeySequence::Paste);
    pasteAction->setEnabled(m_source && m_source->isWritable() && sourceSize() > 0);
    menu->addSeparator();
    QAction* all = menu->addAction(tr("Select &All"), this, [this] { selectAll(); });
    all->setObjectName(QStringLiteral("selectAll"));
    all->setShortcut(QKeySequence::SelectAll);
    all->setEnabled(sourceSize() > 0);
    menu->addSeparator();
    QAction* pause = menu->addAction(tr("Pause Change &Scan"));
    pause->setObjectName(QStringLiteral("pauseScan"));
    pause->setCheckable(true);
    pause->setChecked(isScanPaused());
    connect(pause, &QAction::toggled, this, &HexView::setScanPaused);
    return menu;
}

// ---- selection and clipboard ---------------------------------------------------------------------

quint64 HexView::selectionStart() const
{
    return m_selectionActive ? std::min(m_anchor, m_cursor) : m_cursor;
}

quint64 HexView::selectionLength() const
{
    return m_selectionActive ? std::max(m_anchor, m_cursor) - std::min(m_anchor, m_cursor) + 1 : 0;
}

bool HexView::isSelected(quint64 offset) const
{
    return m_selectionActive && offset >= std::min(m_anchor, m_cursor) && offset <= std::max(m_anchor, m_cursor);
}

void HexView::setSelection(quint64 start, quint64 length)
{
    const quint64 size = sourceSize();
    if (length == 0 || size == 0 || start >= size) {
        clearSelection();
        return;
    }
    const quint64 last = std::min(saturatingAdd(start, length - 1), size - 1);
    moveCursorTo(last, 0);
    setSelectionState(true, start);
}

void HexView::clearSelection()
{
    setSelectionState(false, 0);
}

void HexView::selectAll()
{
    setSelection(0, sourceSize());
}

void HexView::setSelectionState(bool active, quint64 anchor)
{
    // Compared with the range last shown, not with the state before this call: the cursor (one end of
    // the selection) has usually moved already.
    const quint64 oldFirst = m_shownSelectionStart;
    const quint64 oldLength = m_shownSelectionLength;
    m_selectionActive = active && sourceSize() > 0;
    m_anchor = m_selectionActive ? std::min(anchor, sourceSize() - 1) : m_cursor;
    const quint64 newFirst = selectionStart();
    const quint64 newLength = selectionLength();
    if (oldLength == newLength && (oldFirst == newFirst || newLength == 0))
        return;
    m_shownSelectionStart = newFirst;
    m_shownSelectionLength = newLength;
    // Repaint the old and the new range (updateBytes() touches only their visible rows).
    if (oldLength > 0)
        updateBytes(oldFirst, oldFirst + oldLength - 1);
    if (newLength > 0)
        updateBytes(newFirst, newFirst + newLength - 1);
    Q_EMIT selectionChanged(newFirst, newLength);
}

bool HexView::copySelection(CopyFormat format)
{
    if (!m_selectionActive || !m_source) {
        Q_EMIT copyFailed(tr("Nothing to copy: no bytes are selected."));
        return false;
    }
    const quint64 start = selectionStart();
    const quint64 length = selectionLength();
    if (length > kMaxCopyBytes) {
        Q_EMIT copyFailed(
            tr("Cannot copy %1 bytes: the clipboard takes at most %2 bytes at once.").arg(length).arg(kMaxCopyBytes));
        return false;
    }
    QByteArray bytes(qsizetype(length), Qt::Uninitialized);
    // Up to 16 MiB in one go: holes are copied as the zeros they read as, without touching them (reading
    // a hole of a tmpfs object would make the kernel allocate it for good).
    if (!readSparse(ByteSourceScan(*m_source), start, bytes.data(), std::size_t(bytes.size()))) {
        Q_EMIT copyFailed(tr("Cannot copy the bytes at offset %1: %2").arg(hexOffset(start), m_source->errorString()));
        return false;
    }
    QGuiApplication::clipboard()->setMimeData(mimeDataFor(bytes, format));
    return true;
}

QMimeData* HexView::mimeDataFor(const QByteArray& bytes, CopyFormat format)
{
    auto* mime = new QMimeData;
    switch (format) {
    case CopyFormat::Hex: {
        QByteArray text = bytes.toHex(' ');
        mime->setText(QString::fromLatin1(text));
        break;
    }
    case CopyFormat::Raw:
        mime->setData(QStringLiteral("application/octet-stream"), bytes);
        mime->setData(QStringLiteral("text/plain"), bytes);
        break;
    case CopyFormat::CArray: {
        QString text = QStringLiteral("const unsigned char data[%1] = {").arg(bytes.size());
        for (qsizetype i = 0; i < bytes.size(); ++i) {
            text += (i % 12 == 0 ? QStringLiteral("\n    ") : QStringLiteral(" "));
            const uchar b = uchar(bytes[i]);
            text += QLatin1String("0x") + QLatin1Char(kHexDigits[b >> 4]) + QLatin1Char(kHexDigits[b & 0xf]);
            if (i + 1 < bytes.size())
                text += QLatin1Char(',');
        }
        text += QStringLiteral("\n};\n");
        mime->setText(text);
        break;
    }
    case CopyFormat::Base64:
        mime->setText(QString::fromLatin1(bytes.toBase64()));
        break;
    }
    return mime;
}

std::optional<QByteArray> HexView::parseHex(const QString& text)
{
    static const QRegularExpression separators(QStringLiteral("[\\s,;]+"));
    QByteArray out;
    for (const QString& token : text.split(separators, Qt::SkipEmptyParts)) {
        // "\x41\x42" is one token of two bytes; "0x41" and "41" one byte each.
        const bool escaped = token.contains(QLatin1String("\\x"));
        if (escaped && !token.startsWith(QLatin1String("\\x")))
            return std::nullopt;
        const QStringList parts = escaped ? token.split(QLatin1String("\\x")) : QStringList { token };
        for (qsizetype p = escaped ? 1 : 0; p < parts.size(); ++p) {
            QStringView part(parts[p]);
            bool prefixed = escaped;
            if (part.startsWith(QLatin1String("0x"), Qt::CaseInsensitive)) {
                if (escaped)
                    return std::nullopt;
                part = part.mid(2);
                prefixed = true;
            }
            if (part.isEmpty())
                return std::nullopt;
            for (const QChar ch : part) {
                if (hexDigitValue(ch) < 0)
                    return std::nullopt;
            }
            if (part.size() % 2 == 1) {
                if (!(prefixed && part.size() == 1))
                    return std::nullopt; // "abc" could be a b c or ab c: refuse rather than guess
                out.append(char(hexDigitValue(part[0])));
                continue;
            }
            for (qsizetype d = 0; d < part.size(); d += 2)
                out.append(char(hexDigitValue(part[d]) << 4 | hexDigitValue(part[d + 1])));
        }
    }
    if (out.isEmpty())
        return std::nullopt;
    return out;
}

bool HexView::paste()
{
    const QMimeData* mime = QGuiApplication::clipboard()->mimeData();
    if (!mime) {
        Q_EMIT editRefused(tr("Nothing to paste: the clipboard is empty."));
        return false;
    }
    if (mime->hasFormat(QStringLiteral("application/octet-stream")))
        return pasteBytes(mime->data(QStringLiteral("application/octet-stream")));
    return pasteText(mime->text());
}

bool HexView::pasteText(const QString& text)
{
    if (m_pane == Pane::Ascii)
        return pasteBytes(text.toUtf8());
    const std::optional<QByteArray> bytes = parseHex(text);
    if (!bytes) {
        Q_EMIT editRefused(
            tr("Cannot paste into the hex pane: the text is not hexadecimal bytes (such as “de ad be ef”)."));
        return false;
    }
    return pasteBytes(*bytes);
}

bool HexView::pasteBytes(const QByteArray& bytes)
{
    const quint64 size = sourceSize();
    if (!m_source || size == 0) {
        Q_EMIT editRefused(tr("Nothing to edit: the view is empty."));
        return false;
    }
    const quint64 at = selectionStart();
    if (!m_source->isWritable()) {
        Q_EMIT editRefused(tr("The view is read-only: nothing was pasted at offset %1.").arg(hexOffset(at)));
        return false;
    }
    if (bytes.isEmpty()) {
        Q_EMIT editRefused(tr("Nothing to paste: the clipboard holds no bytes."));
        return false;
    }
    if (quint64(bytes.size()) > size - at) {
        Q_EMIT editRefused(
            tr("Cannot paste %1 bytes at offset %2: only %3 bytes are left before the end; nothing was changed.")
                .arg(bytes.size())
                .arg(hexOffset(at))
                .arg(size - at));
        return false;
    }
    m_runOpen = false;
    if (!writeUndoable(at, bytes, -1))
        return false;
    setSelectionState(false, 0);
    moveCursorTo(std::min(at + quint64(bytes.size()), size - 1), 0);
    return true;
}

} // namespace shmscope
