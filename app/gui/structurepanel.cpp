// The Structure panel: layout picker, base offset, the live tree and its error line (see structurepanel.h).
#include "structurepanel.h"

#include "app/gui/recentlist.h"
#include "app/shared/layoutparams.h"
#include "app/shared/numberparse.h"
#include "core/mapping.h"
#include "structures/builtinlayouts.h"
#include "widgets/elidedlabel.h"
#include "widgets/hexview.h"
#include "widgets/mappingbytesource.h"
#include "widgets/structuredelegate.h"
#include "widgets/structuremodel.h"
#include "widgets/structureoverlay.h"
#include "widgets/structureviewsync.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QTreeView>
#include <QVBoxLayout>

namespace shmscope {

namespace {

const auto kRecentKey = QStringLiteral("structure/recentLayouts");
const auto kLayoutKey = QStringLiteral("structure/layout"); // "builtin:NAME" or "file:PATH"
const auto kBuiltinPrefix = QStringLiteral("builtin:");
const auto kFilePrefix = QStringLiteral("file:");
constexpr int kKindRole = Qt::UserRole; // "builtin", "file" or "open"
constexpr int kValueRole = Qt::UserRole + 1; // the name or path
constexpr int kReloadDelayMs = 150; // an editor's save is several file events: reload once after them

QString fromStd(const std::string& text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

} // namespace

StructurePanel::StructurePanel(QWidget* parent)
    : QWidget(parent)
    , m_layoutCombo(new QComboBox)
    , m_offsetEdit(new QLineEdit(QStringLiteral("0")))
    , m_tree(new QTreeView)
    , m_errorLine(new ElidedLabel)
    , m_model(new StructureModel(this))
    , m_overlay(new StructureOverlay(m_model, this))
    , m_watcher(new QFileSystemWatcher(this))
{
    m_layoutCombo->setObjectName(QStringLiteral("structureLayout"));
    m_layoutCombo->setPlaceholderText(tr("Choose a layout"));
    m_layoutCombo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_layoutCombo->setMinimumContentsLength(12);
    m_layoutCombo->setAccessibleName(tr("Layout"));
    m_offsetEdit->setObjectName(QStringLiteral("structureOffset"));
    m_offsetEdit->setToolTip(tr("Where the layout starts in the object: decimal or 0x-hex bytes"));
    m_offsetEdit->setMaximumWidth(fontMetrics().horizontalAdvance(QStringLiteral("0x0000000000")) + 12);
    m_offsetEdit->setAccessibleName(tr("Base offset"));

    m_tree->setObjectName(QStringLiteral("structureTree"));
    m_tree->setModel(m_model);
    m_tree->setItemDelegate(new StructureDelegate(m_tree));
    m_tree->setUniformRowHeights(true); // a 100,000-element array scrolls without measuring every row
    m_tree->setAlternatingRowColors(true);
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tree->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed
                            | QAbstractItemView::SelectedClicked);
    m_tree->setAccessibleName(tr("Fields"));
    const QFontMetrics metrics = fontMetrics();
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(StructureModel::ValueColumn, QHeaderView::Stretch);
    m_tree->setColumnWidth(StructureModel::NameColumn,
                           metrics.horizontalAdvance(QStringLiteral("count_plus_one__")) + 40);
    m_tree->setColumnWidth(StructureModel::TypeColumn, metrics.horizontalAdvance(QStringLiteral("str(UTF-16LE)")));
    m_tree->setColumnWidth(StructureModel::ValueColumn,
                           metrics.horizontalAdvance(QStringLiteral("0x00000000 (hwnd)__")));
    m_tree->setColumnWidth(StructureModel::OffsetColumn, metrics.horizontalAdvance(QStringLiteral("0x00000000")));

    m_errorLine->setObjectName(QStringLiteral("structureError"));
    m_errorLine->setForegroundRole(QPalette::PlaceholderText);

    auto* top = new QHBoxLayout;
    auto* layoutLabel = new QLabel(tr("&Layout:"));
    layoutLabel->setBuddy(m_layoutCombo);
    auto* offsetLabel = new QLabel(tr("O&ffset:"));
    offsetLabel->setBuddy(m_offsetEdit);
    top->addWidget(layoutLabel);
    top->addWidget(m_layoutCombo, 1);
    top->addWidget(offsetLabel);
    top->addWidget(m_offsetEdit);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(m_tree, 1);
    layout->addWidget(m_errorLine);

    connect(m_layoutCombo, &QComboBox::activated, this, &StructurePanel::layoutChosen);
    connect(m_offsetEdit, &QLineEdit::editingFinished, this, [this] { setBaseOffsetText(m_offsetEdit->text()); });
    connect(m_model, &StructureModel::decoded, this, &StructurePanel::showModelError);
    connect(m_model, &StructureModel::editRefused, this, &StructurePanel::setMessage);
    m_reloadTimer.setSingleShot(true);
    m_reloadTimer.setInterval(kReloadDelayMs);
    connect(&m_reloadTimer, &QTimer::timeout, this, &StructurePanel::fileChanged);
    connect(m_watcher, &QFileSystemWatcher::fileChanged, &m_reloadTimer, qOverload<>(&QTimer::start));
    // An editor that saves by renaming a new file over the old one: the old path stops being watched;
    // the folder's change says when the new file is there.
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, [this] {
        if (!m_layoutFile.isEmpty() && QFileInfo::exists(m_layoutFile) && !m_watcher->files().contains(m_layoutFile))
            m_reloadTimer.start();
    });

    // The layout used last time.
    const QString last = QSettings().value(kLayoutKey).toString();
    if (last.startsWith(kBuiltinPrefix))
        useBuiltinLayout(last.mid(kBuiltinPrefix.size()));
    else if (last.startsWith(kFilePrefix))
        useLayoutFile(last.mid(kFilePrefix.size()));
    fillLayoutCombo();
}

StructurePanel::~StructurePanel() = default;

void StructurePanel::setHexView(HexView* view)
{
    if (m_hexView && m_hexView != view && m_hexView->fieldOverlay() == m_overlay)
        m_hexView->setFieldOverlay(nullptr);
    m_hexView = view;
    if (view) {
        view->setFieldOverlay(m_overlay); // the fields' colours under their bytes
        connect(view, &HexView::pollIntervalChanged, m_model, &StructureModel::setPollInterval);
    }
    delete m_sync;
    m_sync = new StructureViewSync(m_tree, m_model, view, this);
    m_model->setWriter([this](quint64 offset, const QByteArray& bytes, QString* error) {
        if (!m_hexView) {
            *error = tr("no hex view to write through");
            return false;
        }
        // The hex view's edit path: the write queue under the object's lock, one undo step, announced.
        QString refused;
        const QMetaObject::Connection c = connect(m_hexView, &HexView::editRefused, this,
                                                  [&refused](const QString& message) { refused = message; });
        const bool written = m_hexView->editBytes(offset, bytes);
        disconnect(c);
        if (!written)
            *error = refused.isEmpty() ? tr("the hex view refused the write") : refused;
        return written;
    });
}

void StructurePanel::setSource(ByteSource* source)
{
    m_source = source;
    if (m_hexView)
        m_model->setPollInterval(m_hexView->pollInterval());
    m_model->setSource(source);
    if (m_schema)
        applyLayout(m_layoutName, m_schema); // the parameters of the new object
}

bool StructurePanel::useBuiltinLayout(const QString& name)
{
    const structures::BuiltinLayout* builtin = structures::findBuiltinLayout(name.toStdString());
    if (!builtin) {
        setMessage(tr("Layout %1: there is no built-in layout of that name").arg(name));
        return false;
    }
    const structures::LoadResult loaded = structures::loadLayout(builtin->text, builtin->name);
    if (!loaded) {
        setMessage(tr("Layout %1: %2").arg(name, fromStd(loaded.error->text())));
        return false;
    }
    if (!m_layoutFile.isEmpty()) {
        m_watcher->removePaths(m_watcher->files() + m_watcher->directories());
        m_layoutFile.clear();
    }
    QSettings().setValue(kLayoutKey, QString(kBuiltinPrefix + name));
    m_message.clear();
    applyLayout(name, loaded.schema);
    return true;
}

bool StructurePanel::useLayoutFile(const QString& path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    const structures::LoadResult loaded = structures::loadLayoutFile(absolute.toStdString());
    if (!loaded) {
        setMessage(tr("Layout %1").arg(fromStd(loaded.error->text())));
        return false;
    }
    if (!m_watcher->files().isEmpty() || !m_watcher->directories().isEmpty())
        m_watcher->removePaths(m_watcher->files() + m_watcher->directories());
    m_layoutFile = absolute;
    m_watcher->addPath(absolute);
    m_watcher->addPath(QFileInfo(absolute).absolutePath());
    QSettings().setValue(kLayoutKey, QString(kFilePrefix + absolute));
    rememberRecent(kRecentKey, absolute, kMaxRecent);
    m_message.clear();
    applyLayout(absolute, loaded.schema);
    return true;
}

void StructurePanel::fileChanged()
{
    if (m_layoutFile.isEmpty())
        return;
    if (!QFileInfo::exists(m_layoutFile)) {
        setMessage(tr("Layout %1: the file is gone; the layout read last is kept").arg(m_layoutFile));
        return;
    }
    if (!m_watcher->files().contains(m_layoutFile))
        m_watcher->addPath(m_layoutFile); // replaced by a rename: watch the new file
    const structures::LoadResult loaded = structures::loadLayoutFile(m_layoutFile.toStdString());
    if (!loaded) {
        setMessage(tr("Layout %1 (the layout read last is kept)").arg(fromStd(loaded.error->text())));
        return;
    }
    m_message.clear();
    applyLayout(m_layoutFile, loaded.schema);
}

void StructurePanel::applyLayout(const QString& name, std::shared_ptr<const structures::Schema> schema)
{
    m_schema = std::move(schema);
    m_layoutName = name;
    std::map<std::string, structures::Value> params;
    QString error;
    // A root parameter read from another mapping (-shm-param): seed 001's size companion.
    const auto* mapped = qobject_cast<const MappingByteSource*>(m_source.data());
    for (const structures::Param& p : m_schema->root->params) {
        if (!p.source) {
            error = tr("Layout %1 needs a value for its parameter '%2', which the panel cannot give")
                        .arg(name, fromStd(p.id));
            continue;
        }
        if (!mapped) {
            error = tr("Layout %1: parameter '%2' comes from another mapping, which a snapshot does not have")
                        .arg(name, fromStd(p.id));
            continue;
        }
        Result<Address> companion = paramSourceAddress(*p.source, mapped->mapping().address());
        if (!companion) {
            error = tr("Layout %1: parameter '%2': %3").arg(name, fromStd(p.id), fromStd(companion.error().message()));
            continue;
        }
        Result<structures::Value> value = readParamSource(*p.source, *companion);
        if (!value) {
            error = tr("Layout %1: parameter '%2': %3").arg(name, fromStd(p.id), fromStd(value.error().message()));
            continue;
        }
        params[p.id] = *value;
    }
    if (!m_source)
        error.clear(); // nothing shown yet: the parameters are read when an object is
    m_message = error;
    m_model->setLayout(m_schema, std::move(params));
    fillLayoutCombo();
    showModelError();
}

bool StructurePanel::setBaseOffsetText(const QString& text)
{
    QString error;
    const std::optional<std::uint64_t> offset = parseOffset(text.trimmed(), &error);
    if (!offset) {
        setMessage(tr("Structure offset: %1; the offset stays %2").arg(error).arg(m_model->baseOffset()));
        return false;
    }
    m_message.clear();
    if (*offset != m_model->baseOffset())
        m_model->setBaseOffset(*offset);
    showModelError();
    return true;
}

void StructurePanel::layoutChosen(int index)
{
    const QString kind = m_layoutCombo->itemData(index, kKindRole).toString();
    const QString value = m_layoutCombo->itemData(index, kValueRole).toString();
    if (kind == QLatin1String("builtin")) {
        useBuiltinLayout(value);
    } else if (kind == QLatin1String("file")) {
        useLayoutFile(value);
    } else if (kind == QLatin1String("open")) {
        const QString start = m_layoutFile.isEmpty() ? QString() : QFileInfo(m_layoutFile).absolutePath();
        const QString path = QFileDialog::getOpenFileName(this, tr("Open Kaitai Struct Layout"), start,
                                                          tr("Kaitai Struct layouts (*.ksy);;All files (*)"));
        if (!path.isEmpty())
            useLayoutFile(path);
    }
    fillLayoutCombo(); // the entry of the layout in use (a refused choice leaves the old one)
}

void StructurePanel::fillLayoutCombo()
{
    const QSignalBlocker blocker(m_layoutCombo);
    m_layoutCombo->clear();
    int current = -1;
    for (const structures::BuiltinLayout& b : structures::builtinLayouts()) {
        const QString name = fromStd(b.name);
        m_layoutCombo->addItem(name);
        const int i = m_layoutCombo->count() - 1;
        m_layoutCombo->setItemData(i, QStringLiteral("builtin"), kKindRole);
        m_layoutCombo->setItemData(i, name, kValueRole);
        m_layoutCombo->setItemData(i, fromStd(b.title), Qt::ToolTipRole);
        if (m_layoutFile.isEmpty() && name == m_layoutName)
            current = i;
    }
    const QStringList recent = QSettings().value(kRecentKey).toStringList();
    if (!recent.isEmpty())
        m_layoutCombo->insertSeparator(m_layoutCombo->count());
    for (const QString& path : recent) {
        m_layoutCombo->addItem(QFileInfo(path).fileName());
        const int i = m_layoutCombo->count() - 1;
        m_layoutCombo->setItemData(i, QStringLiteral("file"), kKindRole);
        m_layoutCombo->setItemData(i, path, kValueRole);
        m_layoutCombo->setItemData(i, path, Qt::ToolTipRole);
        if (!m_layoutFile.isEmpty() && path == m_layoutFile)
            current = i;
    }
    m_layoutCombo->insertSeparator(m_layoutCombo->count());
    m_layoutCombo->addItem(tr("Open .ksy File…"));
    m_layoutCombo->setItemData(m_layoutCombo->count() - 1, QStringLiteral("open"), kKindRole);
    m_layoutCombo->setCurrentIndex(current);
}

void StructurePanel::setMessage(const QString& message)
{
    m_message = message;
    showModelError();
}

void StructurePanel::showModelError()
{
    const QString text = m_message.isEmpty() ? m_model->error() : m_message;
    m_errorLine->setFullText(text);
    m_errorLine->setToolTip(text);
}

QString StructurePanel::errorText() const
{
    return m_errorLine->fullText();
}

} // namespace shmscope
