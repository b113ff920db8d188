#include "mappingsession.h"

#include "app/shared/notificationbus.h"
#include "core/catalog.h"
#include "core/journal.h"
#include "widgets/mappingbytesource.h"

namespace shmscope {

MappingSession::MappingSession(std::unique_ptr<MappingByteSource> source, QString addressText, Access access)
    : m_source(std::move(source))
    , m_addressText(std::move(addressText))
    , m_access(access)
{
    m_presenceTimer.setInterval(kPresenceCheckMs);
    connect(&m_presenceTimer, &QTimer::timeout, this, [this] { checkPresence(); });
    m_presenceTimer.start();
}

MappingSession::~MappingSession() = default;

std::unique_ptr<MappingSession> MappingSession::open(const OpenRequest& request, QString* error, bool* existed)
{
    std::unique_ptr<Mapping> mapping;
    // The user action the journal files the create or attach under (core/journal.h).
    const journal::Action action([&] {
        return std::string(request.create ? "create " : "attach ") + toString(request.address) + ' '
            + std::string(accessName(request.access));
    });
    if (request.create) {
        CreateOptions options = request.options;
        options.exclusive = false;
        auto created = createMapping(request.address, options, request.access);
        if (!created) {
            *error = QString::fromStdString(created.error().message());
            return nullptr;
        }
        if (existed)
            *existed = created->existed;
        mapping = std::move(created->mapping);
    } else {
        auto attached = attachMapping(request.address, request.access);
        if (!attached) {
            *error = QString::fromStdString(attached.error().message());
            return nullptr;
        }
        if (existed)
            *existed = true;
        mapping = std::move(*attached);
    }

    const QString addressText = QString::fromStdString(toString(mapping->address()));
    const QString busAddress = QString::fromStdString(toString(mapping->identity())); // sysv: meets sysvid:
    // What the object is, to tell it from a new one that gets its address after it is removed.
    std::uint64_t device = 0;
    std::uint64_t inode = 0;
    std::uint32_t shmid = 0;
    if (mapping->identity().kind == Kind::SysVId) {
        shmid = mapping->identity().key;
    } else if (const Result<ObjectInfo> info = lookUpObject(mapping->address())) {
        device = info->device;
        inode = info->inode;
    }
    auto source = std::make_unique<MappingByteSource>(std::move(mapping));
    std::unique_ptr<MappingSession> session(new MappingSession(std::move(source), addressText, request.access));
    session->m_device = device;
    session->m_inode = inode;
    session->m_shmid = shmid;

    // Wired before start(): peersChanged can already fire while the bus connects to its peers.
    session->m_bus = new NotificationBus(busAddress, NotificationBus::Role::Gui, session.get());
    MappingSession* self = session.get();
    ByteSource* bytes = self->m_source.get();
    NotificationBus* bus = self->m_bus;
    // A copy-on-write view's edits are private: there is nothing to announce, but it still listens.
    if (request.access != Access::CopyOnWrite)
        connect(bytes, &ByteSource::bytesWritten, bus, &NotificationBus::announceChanged);
    connect(bus, &NotificationBus::changed, bytes,
            [bytes](quint64 offset, quint64 length, qint64) { bytes->announceExternalChange(offset, length); });
    // Lost notices (this instance stalled and a sender dropped it): re-read everything shown.
    connect(bus, &NotificationBus::noticesMissed, bytes, [bytes](qint64) {
        bytes->refresh();
        bytes->announceExternalChange(0, bytes->size());
    });
    connect(bus, &NotificationBus::resized, bytes, [bytes](quint64, qint64) { bytes->refresh(); });
    connect(bus, &NotificationBus::removed, self, &MappingSession::objectRemoved);
    connect(bus, &NotificationBus::removed, self, [self](qint64 pid) { self->checkPresence(pid); });
    connect(bus, &NotificationBus::peersChanged, self, &MappingSession::peersChanged);
    connect(bytes, &ByteSource::sizeChanged, self, &MappingSession::sizeChanged);

    if (!bus->start()) {
        // The bytes are all there: open them without notifications (as the CLI's watch does) rather
        // than refuse, and let the window say so.
        self->m_notificationsError = bus->errorString();
        delete bus;
        self->m_bus = nullptr;
    }
    self->checkPresence();
    return session;
}

void MappingSession::checkPresence(qint64 announcedBy)
{
    const Result<std::uint64_t> size = m_source->mapping().objectSize();
    const bool removed = !size && size.error().code == ErrorCode::Vanished;
    // The bus notice may come after the poll found the removal: it still says who did it.
    const qint64 removedBy = removed ? (announcedBy != 0 ? announcedBy : m_removedBy) : 0;
    const bool replaced = removed && addressNamesAnotherObject();
    if (removed != m_removed || removedBy != m_removedBy) {
        m_removed = removed;
        m_removedBy = removedBy;
        Q_EMIT removedChanged(removed);
    }
    if (replaced != m_replaced) {
        m_replaced = replaced;
        Q_EMIT replacedChanged(replaced);
    }
}

bool MappingSession::addressNamesAnotherObject() const
{
    const Mapping& mapping = m_source->mapping();
    const Result<ObjectInfo> now = lookUpObject(mapping.address());
    if (!now)
        return false; // nothing there (or nothing we may look at)
    if (mapping.identity().kind == Kind::SysVId)
        return now->systemVId != m_shmid; // IPC_RMID made the old segment's key IPC_PRIVATE
    // A removed object has no name left, so whatever has it now is another object; device and inode
    // say so also when the one at open could not be looked up.
    return now->device != m_device || now->inode != m_inode;
}

ByteSource* MappingSession::source() const
{
    return m_source.get();
}

int MappingSession::peerCount() const
{
    return m_bus ? m_bus->peerCount() : 0;
}

} // namespace shmscope
