#include "opendialog.h"

#include "app/gui/objectlistmodel.h"
#include "app/shared/numberparse.h"
#include "core/catalog.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QRadioButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>
#include <tuple>

namespace shmscope {

namespace {
// Combo box order; the item data is the Kind.
constexpr Kind kKinds[] = { Kind::Posix, Kind::File, Kind::SysV, Kind::SysVId };

// "rw-r-----" for 0640.
QString permissionText(std::uint32_t mode)
{
    QString text;
    for (int shift = 6; shift >= 0; shift -= 3) {
        text += (mode >> shift) & 4 ? QLatin1Char('r') : QLatin1Char('-');
        text += (mode >> shift) & 2 ? QLatin1Char('w') : QLatin1Char('-');
        text += (mode >> shift) & 1 ? QLatin1Char('x') : QLatin1Char('-');
    }
    return text;
}
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
    // What each kind is underneath, as the item's tooltip (the combo box shows the current one's).
    const QString kindTips[] = {
        tr("A named object in /dev/shm (tmpfs), opened with shm_open and mapped with mmap(MAP_SHARED): "
           "every process that maps it sees the same pages. Removed with shm_unlink."),
        tr("A regular file opened with open and mapped with mmap: MAP_SHARED edits reach the file (flushed "
           "with msync), and processes mapping the same file share its page cache."),
        tr("A System V segment found by its key (shmget, decimal or 0x-hex) and attached with shmat. "
           "It lives until it is removed (IPC_RMID) and the last process detaches."),
        tr("A System V segment by its id (the shmid ipcs shows), attached with shmat without looking up "
           "a key; it cannot be created by id."),
    };
    for (int i = 0; i < m_kind->count(); ++i)
        m_kind->setItemData(i, kindTips[i], Qt::ToolTipRole);
    m_kind->setToolTip(kindTips[0]);
    connect(m_kind, &QComboBox::currentIndexChanged, this,
            [this](int index) { m_kind->setToolTip(m_kind->itemData(index, Qt::ToolTipRole).toString()); });
    connect(m_kind, &QComboBox::currentIndexChanged, this, &OpenDialog::kindChanged);

    m_name = new QLineEdit;
    // An explicit label with a buddy: QFormLayout gives one only to a widget field, not to a row layout.
    m_nameLabel = new QLabel(tr("&Name:"));
    m_nameLabel->setBuddy(m_name);
    m_browse = new QPushButton(tr("&Browse…"));
    connect(m_browse, &QPushButton::clicked, this, &OpenDialog::browseFile);
    auto* nameRow = new QHBoxLayout;
    nameRow->addWidget(m_name);
    nameRow->addWidget(m_browse);

    m_create = new QCheckBox(tr("Cr&eate if missing"));
    m_size = new QLineEdit(QStringLiteral("64K"));
    m_size->setToolTip(tr("Bytes, or with a suffix K, M, G (powers of 1024). For files, 0 maps the file's own size."));
    m_mode = new QLineEdit(QStringLiteral("0600"));
    m_mode->setToolTip(tr("Permission bits in octal, applied exactly (the umask does not filter them)."));
    connect(m_create, &QCheckBox::toggled, m_size, &QWidget::setEnabled);
    connect(m_create, &QCheckBox::toggled, m_mode, &QWidget::setEnabled);

    m_access = new QButtonGroup(this);
    auto* accessRow = new QHBoxLayout;
    const std::tuple<Access, QString, QString> accesses[] = {
        { Access::ReadWrite, tr("Read-&write"),
          tr("Opened for reading and writing and mapped with PROT_READ | PROT_WRITE and MAP_SHARED (shmat "
             "for System V): your edits change the object itself, every process that maps it sees them, and "
             "other ShmScope instances are told.") },
        { Access::ReadOnly, tr("Read-&only"),
          tr("Opened read-only and mapped with PROT_READ and MAP_SHARED (shmat with SHM_RDONLY for System V): "
             "you see every change others make, and edits are refused. Needs only read permission.") },
        { Access::CopyOnWrite, tr("Co&py-on-write (private edits)"),
          tr("Opened read-only and mapped with MAP_PRIVATE: a page you edit is copied for this window alone "
             "(copy-on-write), so the object and other processes never see your edits. Needs only read "
             "permission. Not for System V segments (shmat has no private mode).") },
    };
    for (const auto& [access, label, tip] : accesses) {
        auto* button = new QRadioButton(label);
        button->setToolTip(tip);
        m_access->addButton(button, static_cast<int>(access));
        accessRow->addWidget(button);
    }
    accessRow->addStretch();
    m_access->button(static_cast<int>(Access::ReadWrite))->setChecked(true);

    auto* form = new QFormLayout;
    form->addRow(tr("&Kind:"), m_kind);
    form->addRow(m_nameLabel, nameRow);
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

    // A message says what was wrong with the input: it goes as soon as the input changes.
    for (QLineEdit* edit : { m_name, m_size, m_mode })
        connect(edit, &QLineEdit::textChanged, m_message, &QLabel::clear);
    connect(m_create, &QCheckBox::toggled, m_message, &QLabel::clear);
    connect(m_access, &QButtonGroup::idToggled, m_message, &QLabel::clear);

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
    if (!buildRequest())
        return;
    // Create-or-attach creates only what is missing; an object that exists is attached without asking.
    if (m_request.create && !describeObject(m_request.address).ok() && !confirmCreate()) {
        m_message->setText(tr("Nothing was created."));
        return;
    }
    QDialog::accept();
}

QString OpenDialog::message() const
{
    return m_message->text();
}

bool OpenDialog::confirmCreate()
{
    const std::string address = toString(m_request.address);
    const QString name = QString::fromStdString(address.substr(address.find(':') + 1));
    const quint64 size = m_request.options.size;
    const QString sizeText = size == 0 && m_request.address.kind == Kind::File
        ? tr("the file's own size")
        : tr("%1 (%2 bytes)")
              .arg(QLocale().formattedDataSize(static_cast<qint64>(size), 1, QLocale::DataSizeIecFormat),
                   QLocale().toString(size));
    QMessageBox box(QMessageBox::Question, tr("Create Object"),
                    tr("%1 does not exist. Create it?").arg(QString::fromStdString(address)), QMessageBox::NoButton,
                    this);
    box.setObjectName(QStringLiteral("confirmCreate"));
    box.setInformativeText(tr("Kind: %1\nName: %2\nSize: %3\nMode: %4 (%5)")
                               .arg(m_kind->currentText(), name, sizeText, formatMode(m_request.options.mode),
                                    permissionText(m_request.options.mode)));
    QPushButton* create = box.addButton(tr("&Create"), QMessageBox::AcceptRole);
    box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    return box.clickedButton() == create;
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

void OpenDialog::kindChanged()
{
    const auto kind = static_cast<Kind>(m_kind->currentData().toInt());
    if (kind != m_shownKind) {
        m_shownKind = kind;
        m_name->clear();
    }
    m_message->clear();
    updateKindWidgets();
}

void OpenDialog::updateKindWidgets()
{
    const auto kind = static_cast<Kind>(m_kind->currentData().toInt());
    m_browse->setVisible(kind == Kind::File);
    m_nameLabel->setText(kind == Kind::File ? tr("&File:") : tr("&Name:"));
    m_create->setEnabled(kind != Kind::SysVId);
    if (kind == Kind::SysVId)
        m_create->setChecked(false);
    switch (kind) {
    case Kind::Posix:
        m_name->setPlaceholderText(tr("/name (a leading slash is optional)"));
        break;
    case Kind::File:
        m_name->setPlaceholderText(tr("full path of the file to map: Browse… to choose it"));
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
    const QString start = m_name->text().trimmed().isEmpty() ? QDir::homePath() : m_name->text().trimmed();
    const QString path = QFileDialog::getSaveFileName(this, tr("File to Map"), start, QString(), nullptr,
                                                      QFileDialog::DontConfirmOverwrite);
    if (!path.isEmpty())
        m_name->setText(path);
}

bool OpenDialog::buildRequest()
{
    const auto kind = static_cast<Kind>(m_kind->currentData().toInt());
    const QString text = QString::fromUtf8(kindName(kind).data(), static_cast<qsizetype>(kindName(kind).size())) + u':'
        + m_name->text().trimmed();
    // A file is named by a path the user chose: a relative one would land wherever the GUI was started.
    if (kind == Kind::File && m_name->text().trimmed().isEmpty()) {
        m_message->setText(m_create->isChecked()
                               ? tr("create: no file chosen: choose where to create the file with Browse…")
                               : tr("open: no file chosen: choose the file to map with Browse…"));
        return false;
    }
    if (kind == Kind::File && !QDir::isAbsolutePath(m_name->text().trimmed())) {
        m_message->setText(
            tr("open %1: not a full path: choose the file with Browse… or type its full path").arg(text));
        return false;
    }
    const auto address = parseAddress(text.toStdString());
    if (!address) {
        // Said as what the user did (open), not as the parser's step.
        const QString why = QString::fromStdString(address.error().detail);
        m_message->setText(m_name->text().trimmed().isEmpty() ? tr("open: %1").arg(why)
                                                              : tr("open %1: %2").arg(text, why));
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
