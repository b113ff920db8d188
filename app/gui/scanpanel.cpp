#include "scanpanel.h"

#include "widgets/bookmarks.h"
#include "widgets/bytesource.h"
#include "widgets/bytesourcescan.h"
#include "widgets/hexview.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QThread>
#include <QVBoxLayout>

namespace shmscope {

namespace {

struct Mode {
    const char* text;
    ScanTest test;
    int operands; // value fields used
};

const Mode kFirstModes[] = {
    { QT_TRANSLATE_NOOP("shmscope::ScanPanel", "Exact value"), ScanTest::Equal, 1 },
    { QT_TRANSLATE_NOOP("shmscope::ScanPanel", "Value between"), ScanTest::Between, 2 },
    { QT_TRANSLATE_NOOP("shmscope::ScanPanel", "Unknown initial value"), ScanTest::Any, 0 },
};
const Mode kNextModes[] = {
    { QT_TRANSLATE_NOOP("shmscope::ScanPanel", "Changed"), ScanTest::Changed, 0 },
    { QT_TRANSLATE_NOOP("shmscope::ScanPanel", "Unchanged"), ScanTest::Unchanged, 0 },
    { QT_TRANSLATE_NOOP("shmscope::ScanPanel", "Increased"), ScanTest::Increased, 0 },
    { QT_TRANSLATE_NOOP("shmscope::ScanPanel", "Decreased"), ScanTest::Decreased, 0 },
    { QT_TRANSLATE_NOOP("shmscope::ScanPanel", "Increased by"), ScanTest::IncreasedBy, 1 },
    { QT_TRANSLATE_NOOP("shmscope::ScanPanel", "Decreased by"), ScanTest::DecreasedBy, 1 },
    { QT_TRANSLATE_NOOP("shmscope::ScanPanel", "Equal to"), ScanTest::Equal, 1 },
    { QT_TRANSLATE_NOOP("shmscope::ScanPanel", "Value between"), ScanTest::Between, 2 },
};

QString offsetText(quint64 offset)
{
    return QStringLiteral("0x%1").arg(offset, 8, 16, QLatin1Char('0'));
}

} // namespace

ScanPanel::ScanPanel(QWidget* parent)
    : QWidget(parent)
{
    m_type = new QComboBox;
    m_type->setObjectName(QStringLiteral("scanType"));
    for (int i = 0; i <= int(ValueType::F64); ++i)
        m_type->addItem(QString::fromLatin1(valueTypeName(ValueType(i)).data()), i);
    m_type->setCurrentIndex(int(ValueType::U32));
    m_bigEndian = new QCheckBox(tr("&Big endian"));
    m_aligned = new QCheckBox(tr("&Aligned"));
    m_aligned->setChecked(true);
    m_aligned->setToolTip(tr("Only offsets that are a multiple of the value's size (unchecked: every byte)"));
    m_firstMode = new QComboBox;
    m_firstMode->setObjectName(QStringLiteral("firstScanMode"));
    for (const Mode& mode : kFirstModes)
        m_firstMode->addItem(tr(mode.text));
    m_nextMode = new QComboBox;
    m_nextMode->setObjectName(QStringLiteral("nextScanMode"));
    for (const Mode& mode : kNextModes)
        m_nextMode->addItem(tr(mode.text));
    m_value = new QLineEdit;
    m_value->setObjectName(QStringLiteral("scanValue"));
    m_value->setPlaceholderText(tr("value (decimal or 0x…)"));
    m_value2 = new QLineEdit;
    m_value2->setPlaceholderText(tr("up to"));
    m_firstButton = new QPushButton(tr("&First Scan"));
    m_nextButton = new QPushButton(tr("&Next Scan"));
    m_cancelButton = new QPushButton(tr("Cancel"));
    m_bookmarkButton = new QPushButton(tr("Add Boo&kmark"));
    m_progress = new QProgressBar;
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(false);
    m_status = new QLabel(tr("No scan yet."));
    m_status->setWordWrap(true);
    m_table = new QTableWidget(0, 3);
    m_table->setObjectName(QStringLiteral("scanResults"));
    m_table->setHorizontalHeaderLabels({ tr("Offset"), tr("Value"), tr("Last Scan") });
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);

    auto* typeRow = new QHBoxLayout;
    typeRow->addWidget(m_type);
    typeRow->addWidget(m_bigEndian);
    typeRow->addWidget(m_aligned);
    typeRow->addStretch();
    auto* valueRow = new QHBoxLayout;
    valueRow->addWidget(m_value);
    valueRow->addWidget(m_value2);
    auto* form = new QFormLayout;
    // Rows whose field is a layout get a label with an explicit buddy (else the '&' shows literally).
    auto* typeLabel = new QLabel(tr("&Type:"));
    typeLabel->setBuddy(m_type);
    form->addRow(typeLabel, typeRow);
    form->addRow(tr("F&irst scan:"), m_firstMode);
    form->addRow(tr("Ne&xt scan:"), m_nextMode);
    auto* valueLabel = new QLabel(tr("&Value:"));
    valueLabel->setBuddy(m_value);
    form->addRow(valueLabel, valueRow);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_firstButton);
    buttons->addWidget(m_nextButton);
    buttons->addWidget(m_cancelButton);
    buttons->addStretch();
    buttons->addWidget(m_bookmarkButton);
    // The settings and buttons on the left, the candidates on the right: the dock spans the window's
    // width below the panes and has little height.
    auto* controls = new QVBoxLayout;
    controls->addLayout(form);
    controls->addLayout(buttons);
    controls->addWidget(m_progress);
    controls->addWidget(m_status);
    controls->addStretch();
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addLayout(controls, 2);
    layout->addWidget(m_table, 3);

    auto report = [this](bool ok, const QString& error) {
        if (!ok)
            m_status->setText(error);
    };
    connect(m_firstButton, &QPushButton::clicked, this, [this, report] {
        QString error;
        report(startFirstScan(&error), error);
    });
    connect(m_nextButton, &QPushButton::clicked, this, [this, report] {
        QString error;
        report(startNextScan(&error), error);
    });
    connect(m_cancelButton, &QPushButton::clicked, this, &ScanPanel::cancel);
    connect(m_bookmarkButton, &QPushButton::clicked, this, [this] { addBookmark(m_table->currentRow()); });
    connect(m_table, &QTableWidget::cellActivated, this, [this](int row, int) { openInHexView(row); });
    connect(m_table, &QTableWidget::cellDoubleClicked, this, [this](int row, int) { openInHexView(row); });
    connect(m_table, &QTableWidget::currentCellChanged, this, &ScanPanel::updateControls);
    connect(m_firstMode, &QComboBox::currentIndexChanged, this, &ScanPanel::updateControls);
    connect(m_nextMode, &QComboBox::currentIndexChanged, this, &ScanPanel::updateControls);
    m_refresh.setInterval(500);
    connect(&m_refresh, &QTimer::timeout, this, &ScanPanel::refreshValues);
    m_progressTimer.setInterval(100);
    connect(&m_progressTimer, &QTimer::timeout, this, [this] {
        const std::uint64_t total = m_total.load();
        m_progress->setValue(total == 0 ? 0 : int(m_done.load() * 1000 / total));
    });
    updateControls();
}

ScanPanel::~ScanPanel()
{
    stopWorker();
}

void ScanPanel::stopWorker()
{
    disconnect(m_sourceGoing);
    if (!m_thread)
        return;
    m_cancel = true;
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
    m_progressTimer.stop();
}

void ScanPanel::setHexView(HexView* view)
{
    m_view = view;
    updateControls();
}

void ScanPanel::setBookmarkModel(BookmarkModel* model)
{
    m_bookmarks = model;
}

void ScanPanel::setAddress(const QString& address)
{
    stopWorker();
    m_address = address;
    m_scan.reset();
    m_shown.clear();
    m_table->setRowCount(0);
    m_refresh.stop();
    m_status->setText(tr("No scan yet."));
    updateControls();
}

ScanCondition ScanPanel::condition(bool first) const
{
    const Mode& mode
        = first ? kFirstModes[qMax(0, m_firstMode->currentIndex())] : kNextModes[qMax(0, m_nextMode->currentIndex())];
    ScanCondition condition;
    condition.test = mode.test;
    if (mode.operands >= 1)
        condition.a = m_value->text().trimmed().toStdString();
    if (mode.operands >= 2)
        condition.b = m_value2->text().trimmed().toStdString();
    return condition;
}

bool ScanPanel::startFirstScan(QString* error)
{
    return start(true, error);
}

bool ScanPanel::startNextScan(QString* error)
{
    return start(false, error);
}

bool ScanPanel::start(bool first, QString* error)
{
    ByteSource* source = m_view ? m_view->source() : nullptr;
    if (!source || m_address.isEmpty()) {
        *error = tr("No object is open.");
        return false;
    }
    if (m_thread) {
        *error = tr("A scan is running.");
        return false;
    }
    if (!first && !m_scan) {
        *error = tr("Run a first scan before a next scan.");
        return false;
    }
    ScanSpec spec;
    if (first) {
        spec.address = m_address.toStdString();
        spec.size = source->size();
        spec.type = ValueType(m_type->currentData().toInt());
        spec.endian = m_bigEndian->isChecked() ? Endian::Big : Endian::Little;
        spec.step = m_aligned->isChecked() ? 0 : 1;
    } else {
        spec = m_scan->spec();
        if (source->size() < spec.size) {
            *error = tr("The object shrank since the first scan: start a new scan.");
            return false;
        }
    }
    const ScanCondition scanCondition = condition(first);
    if (Status status = ValueScan::checkCondition(spec, scanCondition, first); !status) {
        *error = QString::fromStdString(status.error().detail);
        return false;
    }
    if (!m_dir.isValid()) {
        *error = tr("No temporary folder for the scan state.");
        return false;
    }
    const std::string statePath
        = QFile::encodeName(m_dir.filePath(QStringLiteral("scan-%1.state").arg(++m_stateNumber))).toStdString();
    // A first scan replaces the candidates only when it completes (cancelled: they stay as they were).
    m_cancel = false;
    m_done = 0;
    m_total = spec.size;
    m_pendingScan.reset();
    m_pendingError.clear();
    m_pendingCancelled = false;
    m_thread = QThread::create([this, source, spec, scanCondition, statePath, first] {
        const ByteSourceScan scan(*source);
        const ScanProgress progress = [this](std::uint64_t done, std::uint64_t total) {
            m_done = done;
            m_total = total;
            return !m_cancel.load();
        };
        if (first) {
            Result<std::optional<ValueScan>> result = ValueScan::first(scan, spec, scanCondition, statePath, progress);
            if (!result)
                m_pendingError = QString::fromStdString(result.error().message());
            else if (!result->has_value())
                m_pendingCancelled = true;
            else
                m_pendingScan = std::move(**result);
        } else {
            Result<bool> result = m_scan->next(scan, scanCondition, progress);
            if (!result)
                m_pendingError = QString::fromStdString(result.error().message());
            else if (!*result)
                m_pendingCancelled = true;
        }
    });
    connect(m_thread, &QThread::finished, this, &ScanPanel::onFinished);
    m_status->setText(first ? tr("Scanning…") : tr("Narrowing…"));
    m_progress->setValue(0);
    m_progressTimer.start();
    m_thread->start();
    // The worker reads the source: a source destroyed now is let go while still whole (as Cancel: the
    // candidates stay as they were).
    m_sourceGoing = connect(source, &ByteSource::aboutToBeDestroyed, this, [this] {
        stopWorker();
        m_progress->setValue(0);
        m_status->setText(tr("Cancelled: the object was closed."));
        updateControls();
    });
    updateControls();
    return true;
}

void ScanPanel::cancel()
{
    m_cancel = true;
}

void ScanPanel::onFinished()
{
    if (!m_thread)
        return;
    disconnect(m_sourceGoing);
    m_thread->wait();
    m_thread->deleteLater();
    m_thread = nullptr;
    m_progressTimer.stop();
    m_progress->setValue(m_pendingError.isEmpty() && !m_pendingCancelled ? 1000 : 0);
    if (m_pendingScan) {
        if (m_scan)
            QFile::remove(QFile::decodeName(QByteArray::fromStdString(m_scan->path()))); // the old state
        m_scan = std::move(m_pendingScan);
    }
    m_pendingScan.reset();
    QString message = m_pendingError;
    if (m_pendingCancelled)
        message = tr("Cancelled: the candidates are as before.");
    m_shown.clear();
    if (m_scan) {
        Result<std::vector<ScanCandidate>> candidates = m_scan->candidates(0, std::size_t(kMaxRows));
        if (candidates)
            m_shown = std::move(candidates).value();
        else if (message.isEmpty())
            message = QString::fromStdString(candidates.error().message());
    }
    m_table->setRowCount(int(m_shown.size()));
    for (std::size_t i = 0; i < m_shown.size(); ++i) {
        m_table->setItem(int(i), 0, new QTableWidgetItem(offsetText(m_shown[i].offset)));
        m_table->setItem(int(i), 1, new QTableWidgetItem);
        const ScanSpec& spec = m_scan->spec();
        m_table->setItem(int(i), 2,
                         new QTableWidgetItem(QString::fromStdString(
                             ValueScan::formatValue(spec.type, spec.endian, m_shown[i].previous.data()))));
    }
    refreshValues();
    if (m_scan && !m_shown.empty())
        m_refresh.start();
    else
        m_refresh.stop();
    const quint64 count = candidateCount();
    const QString counted = m_scan
        ? tr("%n candidate(s) after %1 scan(s)", nullptr, int(qMin<quint64>(count, INT_MAX))).arg(m_scan->scans())
        : tr("No scan yet.");
    m_status->setText(message.isEmpty() ? counted : message + QLatin1Char(' ') + counted);
    m_table->resizeColumnsToContents();
    updateControls();
    Q_EMIT finished(count, message);
}

void ScanPanel::refreshValues()
{
    ByteSource* source = m_view ? m_view->source() : nullptr;
    if (!source || !m_scan)
        return;
    const ScanSpec& spec = m_scan->spec();
    const std::size_t width = valueWidth(spec.type);
    std::vector<std::uint8_t> bytes(width);
    for (std::size_t i = 0; i < m_shown.size(); ++i) {
        QTableWidgetItem* item = m_table->item(int(i), 1);
        if (!item)
            continue;
        const bool ok = source->read(m_shown[i].offset, reinterpret_cast<char*>(bytes.data()), qsizetype(width));
        const QString text = ok ? QString::fromStdString(ValueScan::formatValue(spec.type, spec.endian, bytes.data()))
                                : QStringLiteral("?");
        if (item->text() != text)
            item->setText(text);
    }
}

QList<quint64> ScanPanel::shownOffsets() const
{
    QList<quint64> offsets;
    for (const ScanCandidate& candidate : m_shown)
        offsets.append(candidate.offset);
    return offsets;
}

bool ScanPanel::addBookmark(int row)
{
    if (!m_bookmarks || !m_scan || row < 0 || std::size_t(row) >= m_shown.size())
        return false;
    const QString type = QString::fromLatin1(valueTypeName(m_scan->spec().type).data());
    return m_bookmarks->addBookmark(tr("%1 at %2").arg(type, offsetText(m_shown[std::size_t(row)].offset)),
                                    m_shown[std::size_t(row)].offset)
        >= 0;
}

bool ScanPanel::openInHexView(int row)
{
    if (!m_view || !m_scan || row < 0 || std::size_t(row) >= m_shown.size())
        return false;
    const quint64 offset = m_shown[std::size_t(row)].offset;
    m_view->setCursorOffset(offset);
    m_view->setSelection(offset, valueWidth(m_scan->spec().type));
    m_view->setFocus();
    return true;
}

void ScanPanel::updateControls()
{
    const bool open = m_view && m_view->source() && !m_address.isEmpty();
    const bool running = m_thread != nullptr;
    m_firstButton->setEnabled(open && !running);
    m_nextButton->setEnabled(open && !running && m_scan.has_value());
    m_cancelButton->setEnabled(running);
    m_type->setEnabled(!running);
    m_bigEndian->setEnabled(!running);
    m_aligned->setEnabled(!running);
    m_bookmarkButton->setEnabled(m_bookmarks && m_table->currentRow() >= 0);
    // The value fields the selected test needs: the next-scan test once there is a scan.
    const Mode& mode
        = m_scan ? kNextModes[qMax(0, m_nextMode->currentIndex())] : kFirstModes[qMax(0, m_firstMode->currentIndex())];
    m_value->setEnabled(mode.operands >= 1);
    m_value2->setVisible(mode.operands >= 2);
}

} // namespace shmscope
