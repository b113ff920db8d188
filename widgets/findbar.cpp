#include "widgets/findbar.h"

#include "widgets/bytesource.h"
#include "widgets/elidedlabel.h"
#include "widgets/hexview.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QStyle>
#include <QToolButton>

namespace shmscope {

namespace {
constexpr int kProgressSteps = 1000;
}

FindBar::FindBar(QWidget* parent)
    : QWidget(parent)
    , m_search(new ByteSearch(this))
    , m_edit(new QLineEdit(this))
    , m_encoding(new QComboBox(this))
    , m_previous(new QToolButton(this))
    , m_next(new QToolButton(this))
    , m_progress(new QProgressBar(this))
    , m_cancel(new QToolButton(this))
    , m_status(new ElidedLabel(this))
    , m_close(new QToolButton(this))
{
    m_edit->setPlaceholderText(tr("Find…"));
    m_edit->setClearButtonEnabled(true);
    m_edit->installEventFilter(this);
    m_encoding->addItem(tr("Hex bytes"), QVariant::fromValue(ByteSearch::Encoding::Hex));
    m_encoding->addItem(tr("Text (UTF-8)"), QVariant::fromValue(ByteSearch::Encoding::Utf8));
    m_encoding->addItem(tr("Text (UTF-16LE)"), QVariant::fromValue(ByteSearch::Encoding::Utf16Le));
    m_previous->setText(tr("Previous"));
    m_previous->setToolTip(tr("Find the previous match (Shift+F3)"));
    m_next->setText(tr("Next"));
    m_next->setToolTip(tr("Find the next match (F3)"));
    m_progress->setRange(0, kProgressSteps);
    m_progress->setTextVisible(false);
    m_progress->setMaximumWidth(160);
    m_cancel->setText(tr("Cancel"));
    m_cancel->setToolTip(tr("Stop the search (Esc)"));
    m_close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    m_close->setAutoRaise(true);
    m_close->setToolTip(tr("Close the find bar (Esc)"));

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    layout->addWidget(new QLabel(tr("Find:"), this));
    layout->addWidget(m_edit, 1);
    layout->addWidget(m_encoding);
    layout->addWidget(m_previous);
    layout->addWidget(m_next);
    layout->addWidget(m_progress);
    layout->addWidget(m_cancel);
    layout->addWidget(m_status, 1);
    layout->addWidget(m_close);
    setRunning(false);

    connect(m_next, &QToolButton::clicked, this, &FindBar::findNext);
    connect(m_previous, &QToolButton::clicked, this, &FindBar::findPrevious);
    connect(m_cancel, &QToolButton::clicked, this, &FindBar::cancel);
    connect(m_close, &QToolButton::clicked, this, [this] {
        cancel();
        hide();
        if (m_view)
            m_view->setFocus();
    });
    connect(m_search, &ByteSearch::progressed, this, [this](quint64 done, quint64 total) {
        m_progress->setValue(total == 0 ? kProgressSteps : int(done * kProgressSteps / total));
    });
    connect(m_search, &ByteSearch::found, this, [this](quint64 offset, quint64 length, bool wrapped) {
        setRunning(false);
        if (m_view) {
            m_view->setSelection(offset, length);
        }
        showStatus(wrapped ? tr("Found at 0x%1 (wrapped around)").arg(offset, 0, 16)
                           : tr("Found at 0x%1").arg(offset, 0, 16));
        Q_EMIT matchSelected(offset, length);
    });
    connect(m_search, &ByteSearch::notFound, this, [this] {
        setRunning(false);
        showStatus(tr("Not found"), true);
    });
    connect(m_search, &ByteSearch::failed, this, [this](const QString& message) {
        setRunning(false);
        showStatus(message, true);
    });
    connect(m_search, &ByteSearch::canceled, this, [this] {
        setRunning(false);
        showStatus(tr("Search cancelled"));
    });
}

FindBar::~FindBar()
{
    m_search->cancel();
}

void FindBar::setHexView(HexView* view)
{
    cancel();
    m_view = view;
}

void FindBar::activate()
{
    show();
    m_edit->setFocus(Qt::ShortcutFocusReason);
    m_edit->selectAll();
}

void FindBar::setPattern(const QString& text, ByteSearch::Encoding encoding)
{
    m_edit->setText(text);
    m_encoding->setCurrentIndex(m_encoding->findData(QVariant::fromValue(encoding)));
}

QString FindBar::patternText() const
{
    return m_edit->text();
}

ByteSearch::Encoding FindBar::encoding() const
{
    return m_encoding->currentData().value<ByteSearch::Encoding>();
}

QString FindBar::statusText() const
{
    return m_status->fullText();
}

bool FindBar::findNext()
{
    return startSearch(ByteSearch::Direction::Forward);
}

bool FindBar::findPrevious()
{
    return startSearch(ByteSearch::Direction::Backward);
}

bool FindBar::startSearch(ByteSearch::Direction direction)
{
    ByteSource* source = m_view ? m_view->source() : nullptr;
    if (!source) {
        showStatus(tr("find: no mapping is shown"), true);
        return false;
    }
    QString error;
    const auto pattern = ByteSearch::patternFor(m_edit->text(), encoding(), &error);
    if (!pattern) {
        showStatus(error, true);
        return false;
    }
    // Next starts one byte after the current match (the selection), so repeated F3 walks the matches;
    // without a selection the match may start at the cursor itself. Previous finds a match that starts
    // before the selection or the cursor.
    const quint64 anchor = m_view->hasSelection() ? m_view->selectionStart() : m_view->cursorOffset();
    const quint64 from = direction == ByteSearch::Direction::Forward && m_view->hasSelection() ? anchor + 1 : anchor;
    if (!m_search->start(source, *pattern, from, direction, true)) {
        showStatus(tr("find: the search could not start"), true);
        return false;
    }
    m_progress->setValue(0);
    setRunning(true);
    showStatus(direction == ByteSearch::Direction::Forward ? tr("Searching forward…") : tr("Searching backward…"));
    return true;
}

void FindBar::cancel()
{
    m_search->cancel();
}

void FindBar::setRunning(bool running)
{
    m_progress->setVisible(running);
    m_cancel->setVisible(running);
}

void FindBar::showStatus(const QString& text, bool error)
{
    m_status->setFullText(text);
    QPalette palette = m_status->palette();
    palette.setColor(QPalette::WindowText,
                     error ? QColor(Qt::red).darker(120) : this->palette().color(QPalette::WindowText));
    m_status->setPalette(palette);
}

bool FindBar::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_edit && event->type() == QEvent::KeyPress) {
        auto* key = static_cast<QKeyEvent*>(event);
        if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
            if (key->modifiers() & Qt::ShiftModifier)
                findPrevious();
            else
                findNext();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void FindBar::keyPressEvent(QKeyEvent* event)
{
    if (event->key() == Qt::Key_Escape) {
        if (isSearching()) {
            cancel();
        } else {
            hide();
            if (m_view)
                m_view->setFocus();
        }
        event->accept();
        return;
    }
    QWidget::keyPressEvent(event);
}

} // namespace shmscope
