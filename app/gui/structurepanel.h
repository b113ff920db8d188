#pragma once

#include "widgets/bytesource.h"

#include <QPointer>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QWidget>
#include <memory>

class QComboBox;
class QFileSystemWatcher;
class QLineEdit;
class QTreeView;

namespace shmscope {

namespace structures {
struct Schema;
}

class ElidedLabel;
class HexView;
class StructureModel;
class StructureOverlay;
class StructureViewSync;

/// The Structure panel (issue 11): the object's bytes as the fields of a Kaitai Struct (.ksy) layout.
/// A layout is picked from the built-ins (structures/layouts), the recent .ksy files (QSettings
/// "structure/recentLayouts", at most kMaxRecent) or "Open .ksy File…", and attached at a base offset
/// (default 0; decimal or 0x-hex). The tree (StructureModel) is live and editable; the hex view follows
/// the tree's current row and the tree the hex view's cursor (StructureViewSync); overlay() colours the
/// fields in the hex view. A .ksy file is reloaded when it changes on disk, also when an editor saves by
/// writing a new file and renaming it over the old one (the path is watched again, and its folder too,
/// so a file that was briefly missing is picked up when it comes back). The line under the tree says
/// what went wrong: a layout that does not load (file, line, key), the decoder's first error, a refused
/// edit.
///
/// It lives in app/gui, not widgets: it keeps the user's recent layouts in QSettings, opens a file dialog,
/// and reads a layout's -shm-param values from other mappings (app/shared/layoutparams.h); the model,
/// overlay, editors and sync it puts together are in widgets.
class StructurePanel : public QWidget
{
    Q_OBJECT
public:
    /// The recent .ksy files kept.
    static constexpr int kMaxRecent = 8;

    explicit StructurePanel(QWidget* parent = nullptr);
    ~StructurePanel() override;

    /// The hex view whose source is decoded, whose selection follows the tree and whose edits the tree
    /// makes (not owned); the panel's overlay() is set as its field overlay (HexView::setFieldOverlay()), so
    /// the decoded fields are coloured under their bytes. Call once, before setSource().
    void setHexView(HexView* view);
    /// The bytes to decode (normally the hex view's source; not owned; nullptr: none).
    void setSource(ByteSource* source);

    /// Uses the built-in layout `name` (structures::builtinLayouts()). False, with the error line set and
    /// nothing else changed, when there is none.
    bool useBuiltinLayout(const QString& name);
    /// Loads the .ksy file at `path`, watches it and adds it to the recent ones. False, with the error
    /// line set (file, line, key) and the layout shown before kept, when it does not load.
    bool useLayoutFile(const QString& path);
    /// Sets the base offset from text (decimal or 0x-hex). False, with the error line set and the offset
    /// unchanged, when it does not parse.
    bool setBaseOffsetText(const QString& text);

    /// The name shown for the current layout (a built-in's name or the file's path), empty for none.
    QString layoutName() const { return m_layoutName; }
    /// The text of the line under the tree (empty when all is well).
    QString errorText() const;
    StructureModel* model() const { return m_model; }
    /// The field colours for HexView::setFieldOverlay() (owned by the panel).
    StructureOverlay* overlay() const { return m_overlay; }
    QTreeView* treeView() const { return m_tree; }
    QComboBox* layoutCombo() const { return m_layoutCombo; }
    QLineEdit* offsetEdit() const { return m_offsetEdit; }

private:
    void layoutChosen(int index);
    void fillLayoutCombo();
    void applyLayout(const QString& name, std::shared_ptr<const structures::Schema> schema);
    void setMessage(const QString& message);
    void showModelError();
    void fileChanged();
    bool resolveParams(QString* error);

    QComboBox* m_layoutCombo;
    QLineEdit* m_offsetEdit;
    QTreeView* m_tree;
    ElidedLabel* m_errorLine;
    StructureModel* m_model;
    StructureOverlay* m_overlay;
    StructureViewSync* m_sync = nullptr;
    QFileSystemWatcher* m_watcher;
    QTimer m_reloadTimer; // coalesces the change signals of one save
    QPointer<HexView> m_hexView;
    QPointer<ByteSource> m_source;
    QString m_layoutName; // built-in name or file path
    QString m_layoutFile; // the file watched, empty for a built-in
    std::shared_ptr<const structures::Schema> m_schema;
    QString m_message; // a message that is not the decoder's (layout load, offset, edit)
};

} // namespace shmscope
