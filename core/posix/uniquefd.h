#pragma once

#include "core/posix/syscalls.h"

#include <unistd.h>
#include <utility>

namespace shmscope::detail {

/// Owns one file descriptor: -1 when empty, closed when destroyed or reset. Move-only.
class UniqueFd
{
public:
    UniqueFd() = default;
    explicit UniqueFd(int fd)
        : m_fd(fd)
    { }
    UniqueFd(UniqueFd&& other) noexcept
        : m_fd(std::exchange(other.m_fd, -1))
    { }
    UniqueFd& operator=(UniqueFd&& other) noexcept
    {
        if (this != &other)
            reset(std::exchange(other.m_fd, -1));
        return *this;
    }
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;
    ~UniqueFd() { reset(); }

    /// The descriptor, still owned by this object (-1 when empty).
    int get() const { return m_fd; }
    bool valid() const { return m_fd >= 0; }
    /// Closes the current descriptor (if any) and takes ownership of `fd`.
    void reset(int fd = -1)
    {
        if (m_fd >= 0)
            sys::close(m_fd);
        m_fd = fd;
    }

    /// Gives up ownership: returns the descriptor (the caller closes it) and leaves this object empty.
    int release() { return std::exchange(m_fd, -1); }

private:
    int m_fd = -1;
};

} // namespace shmscope::detail
