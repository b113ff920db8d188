#pragma once

#include <string>
#include <string_view>

namespace shmscope {

// Object names are bytes, not text: a POSIX name or a file path may hold any byte but '/' and NUL,
// including bytes that are not UTF-8 and control characters (newline, ESC). ShmScope keeps names
// byte-exact from the command line to the system call, and prints them with ONE reversible escape,
// which parseAddress() (core/address.h) reads back:
//
//  - a byte that is not part of well-formed UTF-8 (Unicode 15, table 3-7: no overlong forms, no
//    surrogates, nothing above U+10FFFF) is printed as `\xHH` (two lowercase hex digits);
//  - so is each byte of a character that would change the terminal or the layout instead of showing
//    itself: the C0 controls U+0000–U+001F (newline, tab, ESC …), DEL U+007F, the C1 controls
//    U+0080–U+009F, the line and paragraph separators U+2028/U+2029 and the bidirectional formatting
//    characters U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069 (a name cannot reorder the
//    line it is shown in);
//  - a backslash is printed as `\\` where it would otherwise start an escape (before another
//    backslash, before an escaped byte, or before `x` and two hex digits), and as a lone `\`
//    everywhere else, so that `win:Local\ZJ` prints and parses as it always did;
//  - every other character (printable ASCII, space, any other well-formed UTF-8) is printed as is.
//
// Reading back, `\\` is one backslash and `\x` followed by two hex digits (either case) is that byte;
// a backslash before anything else is a literal backslash. The result of escapeName() is therefore
// valid UTF-8 without control characters (safe for a terminal, a QString, JSON and a window title),
// and unescapeName(escapeName(b)) == b for every byte string b. A consequence to know when typing: a
// literal backslash followed by `x` and two hex digits (a Windows path such as `C:\x86`) must be
// written doubled (`C:\\x86`).

/// The printable, reversible form of the name bytes `bytes` (rules above). Never fails.
std::string escapeName(std::string_view bytes);

/// The bytes that escapeName() printed as `text`: `\\` → `\`, `\xHH` → the byte 0xHH, anything else
/// as is (also a backslash that starts neither). Never fails; the result may contain any byte,
/// including NUL (`\x00`), which callers must check for.
std::string unescapeName(std::string_view text);

/// `text` made safe to print on one line, for messages that quote input or paths: the same `\xHH`
/// escapes as escapeName() for bytes that are not well-formed UTF-8 and for the control and
/// formatting characters listed above, but backslashes are left alone, so text that escapeName()
/// already produced passes unchanged (printableText(escapeName(b)) == escapeName(b)). Not
/// reversible in general: use escapeName() for names that must be read back.
std::string printableText(std::string_view text);

} // namespace shmscope
