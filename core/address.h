#pragma once

#include "core/error.h"
#include "core/nameescape.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace shmscope {

/// The kinds of named shared memory ShmScope can attach to.
enum class Kind {
    Posix, ///< an shm_open object (/dev/shm/NAME on Linux); the default kind on Linux
    File, ///< a regular file mapped with mmap (file-backed mapping)
    SysV, ///< a System V segment by key (shmget)
    SysVId, ///< a System V segment by shmid (shmat on the id)
    Win, ///< a Windows named file mapping (Local\ or Global\); reserved for the Windows backend
};

/// An object's address, in the syntax shared by the GUI, the CLI and saved settings: `[kind:]name`.
///  - `posix:/demo`, `posix:demo`, `demo`  → Kind::Posix, name "/demo" (leading slash added)
///  - `file:/var/tmp/zj.dat`               → Kind::File, name is the path as given
///  - `sysv:0x2a`, `sysv:42`               → Kind::SysV, key 42 (decimal or 0x-hex, 32 bits)
///  - `sysvid:32769`                       → Kind::SysVId, shmid 32769
///  - `win:Local\ZJ`                       → Kind::Win, name as given (parsed on every platform)
///
/// Names are bytes (core/nameescape.h): in the text form the name is written with the reversible
/// escape of escapeName() — `posix:/obj\xff` is the object whose name ends in the byte 0xff,
/// `posix:/a\x0ab` one with a newline in it, `file:/tmp/back\\x41` the path `/tmp/back\x41` —
/// and a backslash that starts no escape is literal (`win:Local\ZJ`).
struct Address {
    Kind kind = Kind::Posix;
    /// The name's bytes, exactly as the system call takes them (never escaped):
    /// Posix: "/name"; File: the path; Win: the name (UTF-8); empty for SysV/SysVId.
    std::string name;
    std::uint32_t key = 0; ///< SysV: the key (key_t bits); SysVId: the shmid

    friend bool operator==(const Address&, const Address&) = default;
};

/// Parses `[kind:]name`. Without a kind prefix the platform default applies (posix on Linux, win on
/// Windows). `text` may hold raw bytes (any but NUL, e.g. a command-line argument as it came), and
/// the name may use the escapes of unescapeName() (`\xHH`, `\\`); both spell the same name, so
/// what toString() printed can be pasted back. The checks below apply to the unescaped bytes.
/// Errors (ErrorCode::InvalidArgument, operation "parse", object `text` as given): empty text, a NUL
/// byte (raw or `\x00`), unknown kind, an empty name, a POSIX name that is ".", "..", contains '/'
/// after the leading one, or is longer than NAME_MAX (255) bytes; a System V key or id that is not a
/// 32-bit decimal or 0x-hex number.
Result<Address> parseAddress(std::string_view text);

/// Prints the canonical form: `posix:/name`, `file:PATH`, `sysv:0x0000002a`, `sysvid:N`, `win:NAME`,
/// the name escaped with escapeName(): valid UTF-8 on one line, without control characters, so it
/// can be shown anywhere (terminal, JSON, QString, window title) and still names exactly one object.
/// parseAddress(toString(a)) == a for every valid Address. This text is also the object's identity
/// for other ShmScope instances (the notification bus is keyed by it).
std::string toString(const Address& address);

/// The prefix word of a kind without the colon: "posix", "file", "sysv", "sysvid", "win".
std::string_view kindName(Kind kind);

} // namespace shmscope
