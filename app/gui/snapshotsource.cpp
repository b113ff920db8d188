#include "snapshotsource.h"

namespace shmscope {

SnapshotByteSource::SnapshotByteSource(std::unique_ptr<SnapshotFile> file, QObject* parent)
    : ByteSource(parent)
    , m_file(std::move(file))
{ }

SnapshotByteSource::~SnapshotByteSource()
{
    Q_EMIT aboutToBeDestroyed();
}

quint64 SnapshotByteSource::size() const
{
    return m_file->info().size;
}

bool SnapshotByteSource::read(quint64 offset, char* out, qsizetype length) const
{
    return length >= 0 && readSparse(*m_file, offset, out, std::size_t(length)).ok();
}

bool SnapshotByteSource::write(quint64, const QByteArray&)
{
    return false;
}

bool SnapshotByteSource::dataExtents(quint64 offset, quint64 length, int maxExtents, QList<Extent>* extents) const
{
    Result<std::vector<shmscope::Extent>> found = m_file->dataExtents(offset, length, std::size_t(qMax(1, maxExtents)));
    if (!found)
        return false;
    extents->clear();
    for (const shmscope::Extent& extent : *found)
        extents->append({ extent.offset, extent.length });
    return true;
}

} // namespace shmscope
