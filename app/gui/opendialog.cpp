#include "opendialog.h"

#include "app/gui/objectlistmodel.h"
#include "app/shared/numberparse.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace shmscope {

namespace {
// Combo box order; the item data is the Kind.
constexpr Kind kKinds[] = { Kind::Posix, Kind::File, Kind::SysV, Kind::SysVId };
} // namespace

OpenDialog::OpenDialog(QWidget* parent)
    : QDialog(parent)
    , m_objects(new ObjectListModel(this))
{
    setWindowTitle(tr("Open or Create a Mapping"));

    auto* proxy = new QSortFilterProxyModel(this);
    proxy->setSourceModel(m_objects);
    m_objectView = new QTableView;
    m_objectView->setModel(proxy);
    m_objectView->setSortingEnabled(true);
    m_objectView->sortByColumn(ObjectListModel::AddressColumn, Qt::AscendingOrder);
    m_objectView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_objectView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_objectView->verticalHeader()->hide();
    m_objectView->horizontalHeader()->setStretchLastSection(true);
    m_objectView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    auto* refresh = new QPushButton(tr("&Refresh"));
    connect(refresh, &QPushButton::clicked, this, &OpenDialog::refreshObjects);
    connect(m_objectView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &OpenDialog::useSelectedObject);
    connect(m_objectView, &QTableView::doubleClicked, this, [this] {
        useSelectedObject();
        accept();
    });

    m_kind = new QComboBox;
    m_kind->addItem(tr("POSIX shared memory (shm_open)"), QVariant::fromValue(static_cast<int>(Kind::Posix)));
    m_kind->addItem(tr("File-backed mapping (mmap of a file)"), QVariant::fromValue(static_cast<int>(Kind::File)));
    m_kind->addItem(tr("System V segment by key"), QVariant::fromValue(static_cast<int>(Kind::SysV)));
    m_kind->addItem(tr("System V segment by id"), QVariant::fromValue(static_cast<int>(Kind::SysVId)));
    connect(m_kind, &QComboBox::currentIndexChanged, this, &OpenDialog::updateKindWidgets);

    m_name = new QLineEdit;
    m_browse = new QPushButton(tr("&Browse…"));
    connect(m_browse, &QPushButton::clicked, this, &OpenDialog::browseFile);
    auto* nameRow = new QHBoxLayout;
    nameRow->addWidget(m_name);
    nameRow->addWidget(m_browse);

    m_create = new QCheckBox(tr("&Create if missing"));
    m_size = new QLineEdit(QStringLiteral("64K"));
    m_size->setToolTip(tr("Bytes, or with a suffix K, M, G (powers of 1024). For files, 0 maps the file's own size."));
    m_mode = new QLineEdit(QStringLiteral("0600"));
    m_mode->setToolTip(tr("Permission bits in octal, applied exactly (the umask does not filter them)."));
    connect(m_create, &QCheckBox::toggled, m_size, &QWidget::setEnabled);
    connect(m_create, &QCheckBox::toggled, m_mode, &QWidget::setEnabled);

    m_access = new QButtonGroup(this);
    auto* accessRow = new QHBoxLayout;
    const std::pair<Access, QString> accesses[] = {
        { Access::ReadWrite, tr("Read-&write") },
        { Access::ReadOnly, tr("Read-&only") },
        { Access::CopyOnWrite, tr("Co&py-on-write (private edits)") },
    };
    for (const auto& [access, label] : accesses) {
        auto* button = new QRadioButton(label);
        m_access->addButton(button, static_cast<int>(access));
        accessRow->addWidget(button);
    }
    accessRow->addStretch();
    m_access->button(static_cast<int>(Access::ReadWrite))->setChecked(true);

    auto* form = new QFormLayout;
    form->addRow(tr("&Kind:"), m_kind);
    form->addRow(tr("&Name:"), nameRow);
    form->addRow(QString(), m_create);
    form->addRow(tr("&Size:"), m_size);
    form->addRow(tr("&Mode:"), m_mode);
    form->addRow(tr("Access:"), accessRow);

    m_message = new QLabel;
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QPalette palette = m_message->palette();
    palette.setColor(QPalette::WindowText, QColor(0xc0, 0x1c, 0x28));
    m_message->setPalette(palette);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Open | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &OpenDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &OpenDialog::reject);

    auto* listHeader = new QHBoxLayout;
    listHeader->addWidget(new QLabel(tr("Objects on this machine:")));
    listHeader->addStretch();
    listHeader->addWidget(refresh);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(listHeader);
    layout->addWidget(m_objectView, 1);
    layout->addLayout(form);
    layout->addWidget(m_message);
    layout->addWidget(buttons);

    m_size->setEnabled(false);
    m_mode->setEnabled(false);
    updateKindWidgets();
    refreshObjects();
    resize(760, 560);
}

void OpenDialog::setRequest(const OpenRequest& request)
{
    m_kind->setCurrentIndex(m_kind->findData(static_cast<int>(request.address.kind)));
    const std::string text = toString(request.address);
    // The name field holds what follows "kind:".
    m_name->setText(QString::fromStdString(text.substr(text.find(':') + 1)));
    m_create->setChecked(request.create);
    m_size->setText(QString::number(request.options.size));
    m_mode->setText(QStringLiteral("0%1").arg(request.options.mode, 0, 8));
    m_access->button(static_cast<int>(request.access))->setChecked(true);
}

void OpenDialog::accept()
{
    if (buildRequest())
        QDialog::accept();
}

void OpenDialog::refreshObjects()
{
    if (!m_objects->refresh())
        m_message->setText(m_objects->errorString());
    m_objectView->resizeColumnsToContents();
}

void OpenDialog::useSelectedObject()
{
    const QModelIndex current = m_objectView->currentIndex();
    if (!current.isValid())
        return;
    const auto address = parseAddress(current.data(ObjectListModel::AddressRole).toString().toStdString());
    if (!address)
        return;
    OpenRequest request = m_request;
    request.address = *address;
    request.create = false;
    request.access = static_cast<Access>(m_access->checkedId());
    setRequest(request);
}

void OpenDialog::updateKindWidgets()
{
    const auto kind = static_cast<Kind>(m_kind->currentData().toInt());
    m_browse->setVisible(kind == Kind::File);
    m_create->setEnabled(kind != Kind::SysVId);
    if (kind == Kind::SysVId)
        m_create->setChecked(false);
    switch (kind) {
    case Kind::Posix:
        m_name->setPlaceholderText(tr("/name (a leading slash is optional)"));
        break;
    case Kind::File:
        m_name->setPlaceholderText(tr("path of the file to map"));
        break;
    case Kind::SysV:
        m_name->setPlaceholderText(tr("key, decimal or 0x-hex"));
        break;
    case Kind::SysVId:
        m_name->setPlaceholderText(tr("shmid, decimal"));
        break;
    case Kind::Win:
        break;
    }
}

void OpenDialog::browseFile()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("File to Map"), m_name->text(), QString(), nullptr,
                                                      QFileDialog::DontConfirmOverwrite);
    if (!path.isEmpty())
        m_name->setText(path);
}

bool OpenDialog::buildRequest()
{
    const auto kind = static_cast<Kind>(m_kind->currentData().toInt());
    const QString text = QString::fromUtf8(kindName(kind).data(), static_cast<qsizetype>(kindName(kind).size())) + u':'
        + m_name->text().trimmed();
    const auto address = parseAddress(text.toStdString());
    if (!address) {
        m_message->setText(QString::fromStdString(address.error().message()));
        return false;
    }
    OpenRequest request;
    request.address = *address;
    request.access = static_cast<Access>(m_access->checkedId());
    request.create = m_create->isChecked();
    if (request.create) {
        QString why;
        const auto size = parseSize(m_size->text(), &why);
        if (!size) {
            m_message->setText(tr("open %1: size: %2").arg(text, why));
            return false;
        }
        const auto mode = parseMode(m_mode->text(), &why);
        if (!mode) {
            m_message->setText(tr("open %1: mode: %2").arg(text, why));
            return false;
        }
        request.options.size = *size;
        request.options.mode = *mode;
    }
    m_request = request;
    return true;
}

} // namespace shmscope
