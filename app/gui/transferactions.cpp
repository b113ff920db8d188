#include "transferactions.h"

#include "widgets/bytesource.h"
#include "widgets/bytesourcescan.h"
#include "widgets/hexview.h"

#include <QAction>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QSaveFile>
#include <QUndoStack>

namespace shmscope {

TransferActions::TransferActions(HexView* view, QWidget* dialogParent)
    : QObject(dialogParent)
    , m_view(view)
    , m_dialogParent(dialogParent)
    , m_exportAction(new QAction(tr("&Export Selection…"), this))
    , m_importAction(new QAction(tr("&Import…"), this))
{
    m_exportAction->setStatusTip(
        tr("Save the selection (or the whole object) as raw, C, Python, base64, hexdump, Intel HEX or S-record"));
    m_importAction->setStatusTip(tr("Write a raw, hexdump, base64, Intel HEX or S-record file into the object"));
    connect(m_exportAction, &QAction::triggered, this, &TransferActions::exportInteractively);
    connect(m_importAction, &QAction::triggered, this, &TransferActions::importInteractively);
}

TransferFormat TransferActions::formatForPath(const QString& path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("hex") || suffix == QLatin1String("ihex"))
        return TransferFormat::IntelHex;
    if (suffix == QLatin1String("srec") || suffix == QLatin1String("s19") || suffix == QLatin1String("s28")
        || suffix == QLatin1String("s37") || suffix == QLatin1String("mot"))
        return TransferFormat::SRecord;
    if (suffix == QLatin1String("c") || suffix == QLatin1String("h"))
        return TransferFormat::C;
    if (suffix == QLatin1String("py"))
        return TransferFormat::Python;
    if (suffix == QLatin1String("b64") || suffix == QLatin1String("base64"))
        return TransferFormat::Base64;
    if (suffix == QLatin1String("txt") || suffix == QLatin1String("xxd") || suffix == QLatin1String("dump"))
        return TransferFormat::Hexdump;
    return TransferFormat::Raw;
}

bool TransferActions::exportBytes(const ByteSource& source, quint64 offset, quint64 length, TransferFormat format,
                                  const QString& label, QIODevice& out, QString* error)
{
    ExportEncoder encoder(format, offset, length, label.toStdString());
    if (Status status = encoder.check(); !status) {
        *error = QString::fromStdString(status.error().detail);
        return false;
    }
    auto send = [&](const std::string& text) {
        if (text.empty() || out.write(text.data(), qint64(text.size())) == qint64(text.size()))
            return true;
        *error = out.errorString();
        return false;
    };
    if (!send(encoder.begin()))
        return false;
    const ByteSourceScan scan(source);
    constexpr quint64 kChunk = 64 * 1024;
    std::vector<std::uint8_t> buffer(std::size_t(qMin(kChunk, length)));
    DataCursor cursor(scan); // one extent question per run of data, not per chunk
    for (quint64 pos = offset; pos < offset + length;) {
        const std::size_t count = std::size_t(qMin(kChunk, offset + length - pos));
        Status status = cursor.nextData(pos, offset + length).ok()
            ? cursor.read(pos, count, buffer.data())
            : Status(cursor.nextData(pos, offset + length).error());
        if (!status) {
            *error = QString::fromStdString(status.error().message());
            return false;
        }
        if (!send(encoder.encode(buffer.data(), count)))
            return false;
        pos += count;
    }
    return send(encoder.finish());
}

bool TransferActions::importBytes(const QByteArray& input, TransferFormat format, std::optional<quint64> offset,
                                  QString* error)
{
    ByteSource* source = m_view ? m_view->source() : nullptr;
    if (!source) {
        *error = tr("No object is open.");
        return false;
    }
    Result<std::vector<ImportBlock>> blocks
        = decodeImport(format, std::string_view(input.constData(), std::size_t(input.size())));
    if (!blocks) {
        *error = QString::fromStdString(blocks.error().detail);
        return false;
    }
    if (blocks->empty()) {
        *error = tr("The file holds no bytes.");
        return false;
    }
    if (!offset && !formatCarriesAddresses(format))
        offset = m_view->cursorOffset();
    if (offset)
        relocateBlocks(*blocks, *offset);
    const quint64 size = source->size();
    for (const ImportBlock& block : *blocks) {
        if (block.offset > size || block.bytes.size() > size - block.offset) {
            *error = tr("%n byte(s) at offset 0x%1 do not fit in the object; nothing written", nullptr,
                        int(qMin<std::size_t>(block.bytes.size(), INT_MAX)))
                         .arg(block.offset, 0, 16);
            return false;
        }
    }
    // One Undo step for the whole import; each block is an edit of the view (under the lock, announced).
    m_view->undoStack()->beginMacro(tr("Import %1").arg(QString::fromLatin1(transferFormatName(format).data())));
    bool ok = true;
    for (const ImportBlock& block : *blocks) {
        if (!m_view->editBytes(
                block.offset,
                QByteArray(reinterpret_cast<const char*>(block.bytes.data()), qsizetype(block.bytes.size())))) {
            ok = false;
            *error = tr("The write at offset 0x%1 failed: %2").arg(block.offset, 0, 16).arg(source->errorString());
            break;
        }
    }
    m_view->undoStack()->endMacro();
    return ok;
}

void TransferActions::exportInteractively()
{
    ByteSource* source = m_view ? m_view->source() : nullptr;
    if (!source || source->size() == 0)
        return;
    const QString path = QFileDialog::getSaveFileName(
        m_dialogParent, tr("Export Selection"), QString(),
        tr("Intel HEX (*.hex);;Motorola S-record (*.srec *.s19 *.s28 *.s37);;C array (*.c *.h);;Python bytes (*.py);;"
           "Base64 (*.b64);;Hexdump (*.txt);;Raw bytes (*)"));
    if (path.isEmpty())
        return;
    const quint64 offset = m_view->hasSelection() ? m_view->selectionStart() : 0;
    const quint64 length = m_view->hasSelection() ? m_view->selectionLength() : source->size();
    QSaveFile file(path);
    QString error;
    const bool ok = file.open(QIODevice::WriteOnly)
        && exportBytes(*source, offset, length, formatForPath(path), QFileInfo(path).fileName(), file, &error)
        && file.commit();
    if (!ok)
        QMessageBox::warning(m_dialogParent, tr("Export Selection"),
                             tr("Cannot export to %1: %2")
                                 .arg(QDir::toNativeSeparators(path), error.isEmpty() ? file.errorString() : error));
}

void TransferActions::importInteractively()
{
    if (!m_view || !m_view->source())
        return;
    const QString path = QFileDialog::getOpenFileName(
        m_dialogParent, tr("Import"), QString(),
        tr("Intel HEX (*.hex);;Motorola S-record (*.srec *.s19 *.s28 *.s37);;Base64 (*.b64);;Hexdump (*.txt);;"
           "Raw bytes (*)"));
    if (path.isEmpty())
        return;
    QFile file(path);
    QString error;
    if (!file.open(QIODevice::ReadOnly) || file.size() > qint64(4) * 1024 * 1024 * 1024) {
        error = file.errorString();
    } else {
        const TransferFormat format = formatForPath(path);
        if (importBytes(file.readAll(),
                        format == TransferFormat::C || format == TransferFormat::Python ? TransferFormat::Raw : format,
                        std::nullopt, &error))
            return;
    }
    QMessageBox::warning(m_dialogParent, tr("Import"),
                         tr("Cannot import %1: %2").arg(QDir::toNativeSeparators(path), error));
}

} // namespace shmscope
