#pragma once

// Internal to shmscope_core (Windows): the one layer through which the Windows backend makes the API
// calls the native-call journal (core/journal.h) shows. Each function does exactly what the API
// function of the same name does — same arguments, same result, GetLastError() preserved across the
// recording — and, when somebody listens, records one raw ApiCall row (journal::recorded(),
// core/journalrecord.h) that decodes (journal::Call::decode()) to the arguments named as the
// Windows headers name them (`CreateFileMappingW(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 65536,
// L"Local\\demo") = 0x5c`, `MapViewOfFile(0x5c, FILE_MAP_COPY, 0, 0, 65536)`,
// `WaitForSingleObject(0x60, 5000) = WAIT_ABANDONED`, `PostMessageW(HWND_BROADCAST, 0xc123, …)`), the
// error by name and text (`= NULL ERROR_FILE_NOT_FOUND (The system cannot find the file specified.)`),
// also ERROR_ALREADY_EXISTS after a successful CreateFileMappingW/CreateMutexW of an existing object.
// When nobody listens: one relaxed atomic load, then the plain call.

#include <windows.h>

namespace shmscope::detail::win {

/// CreateFileMappingW: a section backed by `file` (INVALID_HANDLE_VALUE: the pagefile); NULL on failure.
HANDLE createFileMappingW(HANDLE file, LPSECURITY_ATTRIBUTES security, DWORD protect, DWORD sizeHigh, DWORD sizeLow,
                          const wchar_t* name);
/// OpenFileMappingW: an existing named section; NULL on failure.
HANDLE openFileMappingW(DWORD access, BOOL inherit, const wchar_t* name);
/// MapViewOfFile; `bytes` 0 maps to the end of the section.
void* mapViewOfFile(HANDLE section, DWORD access, DWORD offsetHigh, DWORD offsetLow, SIZE_T bytes);
/// UnmapViewOfFile.
BOOL unmapViewOfFile(const void* view);
/// FlushViewOfFile; `bytes` 0 flushes the whole view.
BOOL flushViewOfFile(const void* view, SIZE_T bytes);
/// FlushFileBuffers.
BOOL flushFileBuffers(HANDLE file);
/// CloseHandle.
BOOL closeHandle(HANDLE handle);
/// CreateMutexW: a named mutex, created or opened (ERROR_ALREADY_EXISTS); NULL on failure.
HANDLE createMutexW(LPSECURITY_ATTRIBUTES security, BOOL initialOwner, const wchar_t* name);
/// WaitForSingleObject; `milliseconds` may be INFINITE. Result WAIT_OBJECT_0, WAIT_ABANDONED,
/// WAIT_TIMEOUT or WAIT_FAILED (a failure: GetLastError() says why).
DWORD waitForSingleObject(HANDLE handle, DWORD milliseconds);
/// ReleaseMutex.
BOOL releaseMutex(HANDLE mutex);
/// PostMessageW (HWND_BROADCAST: to every top-level window of the session).
BOOL postMessageW(HWND window, UINT message, WPARAM wParam, LPARAM lParam);
/// CreateFileW; INVALID_HANDLE_VALUE on failure.
HANDLE createFileW(const wchar_t* path, DWORD access, DWORD share, LPSECURITY_ATTRIBUTES security, DWORD disposition,
                   DWORD flags, HANDLE templateFile);
/// RegisterWindowMessageW: the message id (0xC000–0xFFFF), 0 on failure.
UINT registerWindowMessageW(const wchar_t* name);

} // namespace shmscope::detail::win
