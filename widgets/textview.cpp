#include "widgets/textview.h"

#include "widgets/bytesource.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSettings>
#include <QStringDecoder>
#include <QStringEncoder>
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

    m_infoLabel = new QLabel(this);
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
    if (m_source)
        disconnect(m_source, nullptr, this, nullptr);
    m_source = source;
    if (source) {
        connect(source, &ByteSource::contentsChanged, this, &TextView::onSourceRangeChanged);
        // Another view of this process (the hex view) writing into the string is a change for us too;
        // our own writes are filtered out by m_writing.
        connect(source, &ByteSource::bytesWritten, this, &TextView::onSourceRangeChanged);
        connect(source, &ByteSource::sizeChanged, this, &TextView::onSourceSizeChanged);
        connect(source, &QObject::destroyed, this, [this] {
            m_pollTimer.stop();
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
    m_offset = offset;
    showMessage({});
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
    m_encoding = encoding;
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
        m_encoding = encoding;
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

TextView::StringBytes TextView::readString() const
{
    // A string is read in several chunks; another process may be rewriting it meanwhile. The source
    // makes the chunks one consistent snapshot (its lock, or reading until two reads agree).
    StringBytes result;
    if (!m_source) {
        result.readable = false;
        return result;
    }
    const bool ok = m_source->readConsistent([this, &result](QByteArray* snapshot) {
        result = readStringOnce();
        *snapshot = result.bytes;
        snapshot->append(char(result.terminated ? 1 : 0)).append(char(result.readable ? 1 : 0));
        return true; // an unreadable string is an answer too (result says why)
    });
    if (!ok) {
        // Only detect-and-retry fails (the reader itself always answers): someone is rewriting the
        // string faster than it can be read twice alike.
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
    const StringBytes now = readString();
    // No consistent snapshot right now (a read-only view while another process rewrites the string
    // nonstop): keep showing the last whole string; the next poll or notification tries again.
    if (now.unsettled && !force)
        return;
    const bool same
        = now.bytes == m_shown.bytes && now.terminated == m_shown.terminated && now.readable == m_shown.readable;
    if (same && !force)
        return;
    const QString oldError = m_shown.error;
    m_shown = now;
    m_text = decode(now.bytes);
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

void TextView::applyText(const QString& text)
{
    // Replace only the part that differs, through a QTextCursor on the document: the editor's own
    // cursor, its selection and the scroll position are adjusted by QTextDocument like for any edit,
    // so a change elsewhere in the text does not move them. setPlainText() would reset all three.
    const QString old = m_editor->toPlainText();
    const qsizetype common = std::min(old.size(), text.size());
    qsizetype prefix = 0;
    while (prefix < common && old.at(prefix) == text.at(prefix))
        ++prefix;
    if (prefix > 0 && old.at(prefix - 1).isHighSurrogate())
        --prefix; // never split a surrogate pair
    qsizetype suffix = 0;
    while (suffix < common - prefix && old.at(old.size() - 1 - suffix) == text.at(text.size() - 1 - suffix))
        ++suffix;
    if (suffix > 0 && old.at(old.size() - suffix).isLowSurrogate())
        --suffix;

    // Where the user's cursor and selection end go: unchanged before the edit, shifted after it, and
    // kept at the start when the edit begins exactly there (QTextDocument would push them behind
    // text inserted at their position, as if the user had typed it).
    const qsizetype inserted = text.size() - prefix - suffix;
    const auto mapPosition = [&](int position) {
        if (position <= prefix)
            return position;
        if (position >= old.size() - suffix)
            return int(position + text.size() - old.size());
        return int(std::min<qsizetype>(position, prefix + inserted));
    };
    const QTextCursor userCursor = m_editor->textCursor();
    const int anchor = mapPosition(userCursor.anchor());
    const int position = mapPosition(userCursor.position());

    m_applying = true;
    QTextDocument* doc = m_editor->document();
    // Keep programmatic changes out of the undo stack (disabling it also clears it): Ctrl+Z must not
    // "undo" someone else's edit by writing the old text back.
    doc->setUndoRedoEnabled(false);
    QTextCursor cursor(doc);
    cursor.setPosition(int(prefix));
    cursor.setPosition(int(old.size() - suffix), QTextCursor::KeepAnchor);
    cursor.insertText(text.mid(prefix, text.size() - prefix - suffix));
    doc->setUndoRedoEnabled(true);
    QTextCursor adjusted = m_editor->textCursor();
    if (adjusted.anchor() != anchor || adjusted.position() != position) {
        adjusted.setPosition(anchor);
        adjusted.setPosition(position, QTextCursor::KeepAnchor);
        m_editor->setTextCursor(adjusted);
    }
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
    m_infoLabel->setText(info);
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
    if (edited == m_text)
        return;
    if (!m_source) {
        refuse(tr("There is no object to write to."));
        return;
    }
    if (!m_source->isWritable()) {
        refuse(tr("The object is attached read-only: the text was not changed."));
        return;
    }
    const QByteArray encoded = encode(edited);
    const QByteArray terminator(terminatorLength(), '\0');
    if (edited.contains(QChar(0))) {
        refuse(tr("The text cannot contain a NUL character: it would end the string."));
        return;
    }
    const quint64 size = m_source->size();
    const quint64 needed = quint64(encoded.size()) + quint64(terminator.size());
    if (m_offset >= size || needed > size - m_offset) {
        refuse(tr("The text does not fit: %1 bytes plus the terminating NUL at offset %2 would end past the end of "
                  "the object (%3 bytes). The edit was undone.")
                   .arg(encoded.size())
                   .arg(hexOffset(m_offset))
                   .arg(size));
        return;
    }
    // Someone else may have changed the string since we last looked (notices take a moment, our poll
    // runs every 50 ms): writing the whole string now would silently overwrite their text. The check
    // and the write happen under the object's lock together (writeIf), so nobody can slip in between;
    // if the string changed, show theirs instead and drop this edit.
    const auto unchanged = [this] {
        const StringBytes current = readStringOnce(); // under the lock where the source has one: read once
        return current.readable && current.bytes == m_shown.bytes && current.terminated == m_shown.terminated;
    };
    bool changedMeanwhile = false;
    m_writing = true;
    const bool written = m_source->writeIf(m_offset, encoded + terminator, unchanged, &changedMeanwhile); // one write
    m_writing = false;
    if (changedMeanwhile) {
        const QString message = tr("The text was changed by someone else meanwhile; your last edit was not written.");
        load(true);
        showMessage(message);
        Q_EMIT editRefused(message);
        return;
    }
    if (!written) {
        refuse(tr("Could not write the text at %1: %2").arg(hexOffset(m_offset), m_source->errorString()));
        return;
    }
    m_text = edited;
    m_shown.bytes = encoded;
    m_shown.terminated = true;
    m_shown.readable = true;
    showMessage({});
    updateInfo();
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
