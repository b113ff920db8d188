#pragma once

#include "core/transfer.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <optional>

class QAction;
class QIODevice;
class QWidget;

namespace shmscope {

class ByteSource;
class HexView;

/// File ▸ Export Selection… and File ▸ Import… (issue 12, "Export and import"): the hex view's selection
/// (or the whole object) to a file as raw, C array, Python bytes, base64, xxd hexdump, Intel HEX or
/// Motorola S-record (core/transfer.h); and a raw, hexdump, base64, Intel HEX or S-record file back
/// into the object through the hex view's edit path (HexView::editBytes(): written under the object's
/// lock, announced to the other instances, one Undo step for the whole import).
class TransferActions : public QObject
{
    Q_OBJECT
public:
    /// Actions for `view` (not owned); `dialogParent` parents the file dialogs and messages.
    TransferActions(HexView* view, QWidget* dialogParent);

    QAction* exportAction() const { return m_exportAction; }
    QAction* importAction() const { return m_importAction; }

    /// Writes `length` bytes at `offset` of `source` to `out` in `format`, 64 KiB at a time (holes read as
    /// zeros without touching them). False with a one-line `error` (a read or write failure, Intel HEX or
    /// S-record past 4 GiB).
    static bool exportBytes(const ByteSource& source, quint64 offset, quint64 length, TransferFormat format,
                            const QString& label, QIODevice& out, QString* error);
    /// Decodes `input` and writes its blocks into the view's source as one undoable edit; `offset` places
    /// the lowest block there (default: the addresses in the input; raw and base64 go to the cursor).
    /// Checks every block fits before writing any. False with `error` (nothing written).
    bool importBytes(const QByteArray& input, TransferFormat format, std::optional<quint64> offset, QString* error);

    /// The format a file name's suffix implies (.hex/.ihex → IntelHex, .srec/.s19/.s28/.s37/.mot → SRecord,
    /// .c/.h → C, .py → Python, .b64/.base64 → Base64, .txt/.xxd/.dump → Hexdump, else Raw).
    static TransferFormat formatForPath(const QString& path);

private:
    void exportInteractively();
    void importInteractively();

    QPointer<HexView> m_view;
    QWidget* m_dialogParent;
    QAction* m_exportAction;
    QAction* m_importAction;
};

} // namespace shmscope
