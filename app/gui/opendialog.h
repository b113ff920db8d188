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
/// copy-on-write). Accepting validates the input and keeps the dialog open with a message on error.
class OpenDialog : public QDialog
{
    Q_OBJECT
public:
    explicit OpenDialog(QWidget* parent = nullptr);

    /// Pre-fills the form from a request (e.g. the mapping shown now).
    void setRequest(const OpenRequest& request);
    /// The request the user built; valid after the dialog was accepted.
    OpenRequest request() const { return m_request; }

    void accept() override;

private:
    void refreshObjects();
    void useSelectedObject();
    void updateKindWidgets();
    void browseFile();
    /// Validates the form into m_request; false with a message shown in the dialog on bad input.
    bool buildRequest();

    ObjectListModel* m_objects = nullptr;
    QTableView* m_objectView = nullptr;
    QComboBox* m_kind = nullptr;
    QLineEdit* m_name = nullptr;
    QPushButton* m_browse = nullptr;
    QCheckBox* m_create = nullptr;
    QLineEdit* m_size = nullptr;
    QLineEdit* m_mode = nullptr;
    QButtonGroup* m_access = nullptr;
    QLabel* m_message = nullptr;
    OpenRequest m_request;
};

} // namespace shmscope
