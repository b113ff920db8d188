#pragma once

#include "core/snapshot.h"
#include "widgets/bytesource.h"

#include <memory>

namespace shmscope {

/// A snapshot file (core/snapshot.h) as a read-only ByteSource, for the hex view beside the live one
/// ("side by side at the same offset"). Offset 0 is the snapshot's first byte. Owns the SnapshotFile.
class SnapshotByteSource final : public ByteSource
{
    Q_OBJECT
public:
    /// Takes ownership of `file` (not null).
    explicit SnapshotByteSource(std::unique_ptr<SnapshotFile> file, QObject* parent = nullptr);
    /// Emits aboutToBeDestroyed() while still whole.
    ~SnapshotByteSource() override;
    /// The file shown.
    const SnapshotFile& file() const { return *m_file; }

    quint64 size() const override;
    bool isWritable() const override { return false; }
    bool read(quint64 offset, char* out, qsizetype length) const override;
    /// Always false: a snapshot is not edited.
    bool write(quint64 offset, const QByteArray& bytes) override;
    bool dataExtents(quint64 offset, quint64 length, int maxExtents, QList<Extent>* extents) const override;

private:
    std::unique_ptr<SnapshotFile> m_file;
};

} // namespace shmscope
