#pragma once

// Internal to shmscope_core: the one layer through which the POSIX backend makes its OS calls, so that
// the native-call journal (core/journal.h) sees each of them. Every function does exactly what the
// system call (or C library function) of the same name does — same arguments, same result, errno set
// the same way (and preserved across the recording) — and, when somebody listens, records one raw journal
// row (journal::recorded(), core/journalrecord.h) that decodes to what strace would print for the call.
// When nobody listens: one relaxed atomic load, then the plain call.
//
// Rows are named after what the kernel sees, so that they agree with strace: fstat() is recorded as
// the newfstatat(fd, "", …, AT_EMPTY_PATH) glibc makes, shmOpen() as glibc's openat(AT_FDCWD,
// "/dev/shm/NAME", flags|O_NOFOLLOW|O_CLOEXEC, mode) with `via` "shm_open".

#include <cstddef>
#include <cstdint>
#include <fcntl.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/types.h>

namespace shmscope::detail::sys {

/// openat(2). `mode` is recorded only with O_CREAT or O_TMPFILE, as strace does. Returns the fd or -1.
int openat(int dirfd, const char* path, int flags, mode_t mode = 0);
/// shm_open(3) of glibc: opens "/dev/shm" + name (name starts with '/'); recorded as the openat it makes.
int shmOpen(const char* name, int flags, mode_t mode);
/// shm_unlink(3) of glibc: recorded as the unlink("/dev/shm/NAME") it makes.
int shmUnlink(const char* name);
/// close(2).
int close(int fd);
/// fstat: made as fstatat(fd, "", st, AT_EMPTY_PATH), the newfstatat system call glibc uses.
int fstat(int fd, struct stat* st);
/// fstatat(2) (newfstatat).
int fstatat(int dirfd, const char* path, struct stat* st, int flags);
/// ftruncate(2). `length` in bytes.
int ftruncate(int fd, off_t length);
/// fchmod(2).
int fchmod(int fd, mode_t mode);
/// fchmodat(2) (flags 0), for chmod of a path.
int fchmodat(int dirfd, const char* path, mode_t mode);
/// fchown(2).
int fchown(int fd, uid_t owner, gid_t group);
/// posix_fallocate(3) semantics (returns 0 or the error number; errno untouched): the fallocate(2)
/// system call with mode 0, which glibc's posix_fallocate makes; where the file system does not
/// support it (EOPNOTSUPP), posix_fallocate itself (recorded as a library call: it writes zeros).
int reserve(int fd, off_t offset, off_t length);
/// mmap(2). Returns MAP_FAILED on error.
void* mmap(void* address, std::size_t length, int protection, int flags, int fd, off_t offset);
/// munmap(2).
int munmap(void* address, std::size_t length);
/// msync(2).
int msync(void* address, std::size_t length, int flags);
/// fcntl(2) with a lock command (F_OFD_SETLK, F_OFD_SETLKW, F_OFD_GETLK, F_SETLK …) and its struct flock.
int fcntlLock(int fd, int command, struct flock* lock);
/// lseek(2).
off_t lseek(int fd, off_t offset, int whence);
/// unlinkat(2).
int unlinkat(int dirfd, const char* path, int flags);
/// unlink(2).
int unlink(const char* path);
/// linkat(2).
int linkat(int olddirfd, const char* oldpath, int newdirfd, const char* newpath, int flags);
/// readlinkat(2). Returns the length read or -1.
ssize_t readlinkat(int dirfd, const char* path, char* buffer, std::size_t size);
/// shmget(2).
int shmget(key_t key, std::size_t size, int flags);
/// shmat(2). Returns (void*)-1 on error.
void* shmat(int shmid, const void* address, int flags);
/// shmdt(2).
int shmdt(const void* address);
/// shmctl(2) with IPC_STAT, IPC_SET or IPC_RMID (`info` may be null for IPC_RMID).
int shmctl(int shmid, int command, struct shmid_ds* info);
/// realpath(3) (a library call: it makes several system calls of its own). The caller frees the result.
char* realpath(const char* path);

} // namespace shmscope::detail::sys
