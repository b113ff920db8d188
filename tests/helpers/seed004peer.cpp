// seed004peer — the text editor of seed 004 reduced to a test program: plain Win32, no ShmScope code.
// It uses exactly the seed's protocol: a pagefile-backed mapping "d9287e19-6f9e-45fa-897c-d392f73a0f2f"
// of 4096 TCHARs (UTF-16), the registered message "CC667211-7CE9-40C5-809A-1DA48E4014C4", and after a
// change PostMessage(HWND_BROADCAST, message, own window, 0); on the message from another window it
// re-reads the whole text (lstrcpy from the view).
//
// Usage: seed004peer echo     create-or-attach the mapping, make a hidden top-level window, print
//                             "ready" (and "existing: TEXT" if the mapping existed), wait for one
//                             message from another window, print "received: TEXT", then store
//                             "echo: TEXT", broadcast, print "sent" and exit. Gives up after 20 s.
// TEXT is printed as UTF-8. Exit codes: 0 done; 1 a Win32 call failed; 3 timed out; 2 usage.

#include <cstdio>
#include <string>
#include <windows.h>

namespace {

const DWORD memoryFileSize = 4 * 1024; // TCHARs, as in the seed
const wchar_t memoryFileName[] = L"d9287e19-6f9e-45fa-897c-d392f73a0f2f";
const wchar_t messageName[] = L"CC667211-7CE9-40C5-809A-1DA48E4014C4";

UINT textChangedMessage = 0;
wchar_t* viewOfFile = nullptr;
HWND ownWindow = nullptr;
bool echoed = false;

void printText(const char* label, const wchar_t* text)
{
    const int bytes = ::WideCharToMultiByte(CP_UTF8, 0, text, -1, nullptr, 0, nullptr, nullptr);
    std::string utf8(bytes > 0 ? static_cast<std::size_t>(bytes) : 1, '\0');
    if (bytes > 0)
        ::WideCharToMultiByte(CP_UTF8, 0, text, -1, utf8.data(), bytes, nullptr, nullptr);
    utf8.resize(utf8.size() - 1); // the NUL
    std::printf("%s%s\n", label, utf8.c_str());
}

LRESULT CALLBACK windowProc(HWND window, UINT message, WPARAM wParam, LPARAM lParam)
{
    if (message == textChangedMessage && message != 0) {
        if (reinterpret_cast<HWND>(wParam) == window)
            return 0; // our own broadcast (OnMessageTextChanged)
        wchar_t text[memoryFileSize];
        ::lstrcpyW(text, viewOfFile); // GetTextFromMemoryMappedFile
        printText("received: ", text);
        std::wstring reply = std::wstring(L"echo: ") + text;
        reply.resize(reply.size() < memoryFileSize - 1 ? reply.size() : memoryFileSize - 1);
        ::lstrcpyW(viewOfFile, reply.c_str()); // OnChangeEdtText
        ::PostMessageW(HWND_BROADCAST, textChangedMessage, reinterpret_cast<WPARAM>(ownWindow), 0);
        std::printf("sent\n");
        echoed = true;
        ::PostQuitMessage(0);
        return 0;
    }
    return ::DefWindowProcW(window, message, wParam, lParam);
}

} // namespace

int main(int argc, char** argv)
{
    std::setvbuf(stdout, nullptr, _IONBF, 0);
    if (argc != 2 || std::string(argv[1]) != "echo") {
        std::fputs("usage: seed004peer echo\n", stderr);
        return 2;
    }
    textChangedMessage = ::RegisterWindowMessageW(messageName);
    HANDLE mapping = ::CreateFileMappingW(INVALID_HANDLE_VALUE, nullptr, PAGE_READWRITE, 0,
                                          memoryFileSize * sizeof(wchar_t), memoryFileName);
    const DWORD error = ::GetLastError();
    if (!mapping) {
        std::fprintf(stderr, "CreateFileMapping failed: %lu\n", error);
        return 1;
    }
    viewOfFile = static_cast<wchar_t*>(::MapViewOfFile(mapping, FILE_MAP_ALL_ACCESS, 0, 0, 0));
    if (!viewOfFile) {
        std::fprintf(stderr, "MapViewOfFile failed: %lu\n", ::GetLastError());
        return 1;
    }

    WNDCLASSW windowClass = {};
    windowClass.lpfnWndProc = &windowProc;
    windowClass.hInstance = ::GetModuleHandleW(nullptr);
    windowClass.lpszClassName = L"Seed004Peer";
    ::RegisterClassW(&windowClass);
    // The seed's dialog is a top-level window; a hidden one receives broadcasts the same way.
    ownWindow = ::CreateWindowExW(0, L"Seed004Peer", L"IPC", WS_OVERLAPPEDWINDOW, 0, 0, 100, 100, nullptr, nullptr,
                                  windowClass.hInstance, nullptr);
    if (!ownWindow) {
        std::fprintf(stderr, "CreateWindowEx failed: %lu\n", ::GetLastError());
        return 1;
    }
    std::printf("ready\n");
    if (error == ERROR_ALREADY_EXISTS)
        printText("existing: ", viewOfFile);

    ::SetTimer(ownWindow, 1, 20000, nullptr);
    MSG msg;
    while (::GetMessageW(&msg, nullptr, 0, 0) > 0) {
        if (msg.message == WM_TIMER)
            break;
        ::DispatchMessageW(&msg);
    }
    ::UnmapViewOfFile(viewOfFile);
    ::CloseHandle(mapping);
    return echoed ? 0 : 3;
}
