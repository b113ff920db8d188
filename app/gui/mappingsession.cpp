#include "mappingsession.h"

#include "app/shared/notificationbus.h"
#include "widgets/mappingbytesource.h"

#include <QCoreApplication>

namespace shmscope {

MappingSession::MappingSession(std::unique_ptr<MappingByteSource> source, QString addressText, Access access)
    : m_source(std::move(source))
    , m_addressText(std::move(addressText))
    , m_access(access)
{
}

MappingSession::~MappingSession() = default;

std::unique_ptr<MappingSession> MappingSession::open(const OpenRequest& request, QString* error, bool* existed)
{
    std::unique_ptr<Mapping> mapping;
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
    auto source = std::make_unique<MappingByteSource>(std::move(mapping));
    std::unique_ptr<MappingSession> session(new MappingSession(std::move(source), addressText, request.access));

    // A copy-on-write view's edits are private: there is nothing to announce, but it still listens.
    session->m_bus = new NotificationBus(addressText, NotificationBus::Role::Gui, session.get());
    if (!session->m_bus->start()) {
        *error = QCoreApplication::translate("shmscope", "join notifications of %1: %2")
                     .arg(addressText, session->m_bus->errorString());
        return nullptr;
    }

    MappingSession* self = session.get();
    ByteSource* bytes = self->m_source.get();
    if (request.access != Access::CopyOnWrite) {
        connect(bytes, &ByteSource::bytesWritten, self->m_bus,
            [bus = self->m_bus](quint64 offset, quint64 length) { bus->announceChanged(offset, length); });
    }
    connect(self->m_bus, &NotificationBus::changed, bytes,
        [bytes](quint64 offset, quint64 length, qint64) { bytes->announceExternalChange(offset, length); });
    connect(self->m_bus, &NotificationBus::resized, bytes, [bytes](quint64, qint64) { bytes->refresh(); });
    connect(self->m_bus, &NotificationBus::removed, self, &MappingSession::objectRemoved);
    connect(self->m_bus, &NotificationBus::peersChanged, self, &MappingSession::peersChanged);
    connect(bytes, &ByteSource::sizeChanged, self, &MappingSession::sizeChanged);
    return session;
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
