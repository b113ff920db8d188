#pragma once

// Internal to shmscope_core (Windows): the one layer through which the Windows backend makes the API
// calls the native-call journal (core/journal.h) shows. Each function does exactly what the API
// function of the same name does — same arguments, same result, GetLastError() preserved across the
// recording — and, when somebody listens, records one ApiCall row with the arguments named as the
// Windows headers name them (`CreateFileMappingW(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 65536,
// L"Local\\demo") = 0x5c`, `MapViewOfFile(0x5c, FILE_MAP_COPY, 0, 0, 65536)`,
// `WaitForSingleObject(0x60, 5000) = WAIT_ABANDONED`, `PostMessageW(HWND_BROADCAST, 0xc123, …)`), the
// error by name and text (`= NULL ERROR_FILE_NOT_FOUND (The system cannot find the file specified.)`),
// also ERROR_ALREADY_EXISTS after a successful CreateFileMappingW/CreateMutexW of an existing object.
// When nobody listens: one relaxed atomic load, then the plain call.

#include <windows.h>

namespace shmscope::detail::win {

HANDLE createFileMappingW(HANDLE file, LPSECURITY_ATTRIBUTES security, DWORD protect, DWORD sizeHigh, DWORD sizeLow,
                          const wchar_t* name);
HANDLE openFileMappingW(DWORD access, BOOL inherit, const wchar_t* name);
/// MapViewOfFile; `bytes` 0 maps to the end of the section.
void* mapViewOfFile(HANDLE section, DWORD access, DWORD offsetHigh, DWORD offsetLow, SIZE_T bytes);
BOOL unmapViewOfFile(const void* view);
/// FlushViewOfFile; `bytes` 0 flushes the whole view.
BOOL flushViewOfFile(const void* view, SIZE_T bytes);
BOOL flushFileBuffers(HANDLE file);
BOOL closeHandle(HANDLE handle);
HANDLE createMutexW(LPSECURITY_ATTRIBUTES security, BOOL initialOwner, const wchar_t* name);
/// WaitForSingleObject; `milliseconds` may be INFINITE. Result WAIT_OBJECT_0, WAIT_ABANDONED,
/// WAIT_TIMEOUT or WAIT_FAILED (a failure: GetLastError() says why).
DWORD waitForSingleObject(HANDLE handle, DWORD milliseconds);
BOOL releaseMutex(HANDLE mutex);
BOOL postMessageW(HWND window, UINT message, WPARAM wParam, LPARAM lParam);
HANDLE createFileW(const wchar_t* path, DWORD access, DWORD share, LPSECURITY_ATTRIBUTES security, DWORD disposition,
                   DWORD flags, HANDLE templateFile);
UINT registerWindowMessageW(const wchar_t* name);

/// Records `length` bytes stored at `base + offset` of a view (a MemoryStore row), after they were stored.
void recordStore(const void* base, unsigned long long offset, const void* data, size_t length);

} // namespace shmscope::detail::win
