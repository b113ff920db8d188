#pragma once

#include "app/gui/openrequest.h"

#include <QDialog>

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace shmscope {

class ObjectListModel;

/// "Open or create a mapping": the objects on this machine (select one to fill the form), then kind,
/// name or file, create-if-missing with size and mode, and the access (read-write, read-only,
/// copy-on-write). Accepting validates the input and keeps the dialog open with a message on error;
/// the message goes away as soon as the input changes.
///
/// Changing the kind clears the name (a POSIX name is no file path). A file is named by its absolute
/// path, chosen with Browse… or typed; accepting a file-backed create without one is refused. Accepting
/// a create of an object that does not exist yet asks first, naming the kind, name, size and mode; "no"
/// keeps the dialog open and nothing is created.
class OpenDialog : public QDialog
{
    Q_OBJECT
public:
    explicit OpenDialog(QWidget* parent = nullptr);

    /// Pre-fills the form from a request (e.g. the mapping shown now).
    void setRequest(const OpenRequest& request);
    /// The request the user built; valid after the dialog was accepted.
    OpenRequest request() const { return m_request; }

    /// Validates the form; when it would create an object that does not exist yet, asks (a QMessageBox
    /// naming kind, name, size and mode) and stays open unless the user agrees.
    void accept() override;

    /// The message shown under the form (why the input was refused; empty when none).
    QString message() const;

private:
    void refreshObjects();
    void useSelectedObject();
    void updateKindWidgets();
    /// The kind changed: the name typed for the former kind means nothing for the new one.
    void kindChanged();
    /// Asks whether to create the object of m_request; true when the user agrees.
    bool confirmCreate();
    void browseFile();
    /// Validates the form into m_request; false with a message shown in the dialog on bad input.
    bool buildRequest();

    ObjectListModel* m_objects = nullptr;
    QTableView* m_objectView = nullptr;
    QComboBox* m_kind = nullptr;
    QLabel* m_nameLabel = nullptr; ///< "Name:" or "File:", after the kind
    QLineEdit* m_name = nullptr;
    QPushButton* m_browse = nullptr;
    QCheckBox* m_create = nullptr;
    QLineEdit* m_size = nullptr;
    QLineEdit* m_mode = nullptr;
    QButtonGroup* m_access = nullptr;
    QLabel* m_message = nullptr;
    OpenRequest m_request;
    Kind m_shownKind = Kind::Posix; ///< the kind the name field was filled for
};

} // namespace shmscope
