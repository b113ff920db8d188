#include "core/broadcast.h"
#include "core/win/wincalls.h"
#include "core/win/winutil.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

// The Windows half of core/broadcast.h: one hidden top-level window per channel, created and pumped
// on the channel's own thread (a window belongs to the thread that made it, and only that thread's
// message loop receives its messages).

namespace shmscope {

namespace {

constexpr wchar_t windowClassName[] = L"ShmScopeBroadcastChannel";

class WindowChannel final : public BroadcastChannel
{
public:
    WindowChannel(std::string messageName, UINT message, Handler handler)
        : m_name(std::move(messageName))
        , m_message(message)
        , m_handler(std::move(handler))
    { }

    ~WindowChannel() override
    {
        HWND window = nullptr;
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_closing = true; // a window created after this is destroyed at once by run()
            window = m_window.load();
        }
        if (window)
            detail::win::postMessageW(window, WM_CLOSE, 0, 0);
        if (m_thread.joinable())
            m_thread.join();
    }

    // Starts the thread and waits for its window (or its failure).
    Status start()
    {
        m_thread = std::thread([this] { run(); });
        std::unique_lock<std::mutex> lock(m_mutex);
        if (!m_ready.wait_for(lock, std::chrono::seconds(10), [this] { return m_started; })) {
            Error error;
            error.code = ErrorCode::Timeout;
            error.operation = "listen";
            error.object = m_name;
            error.detail = "the channel's window was not created within 10 s";
            return error; // the destructor joins once the thread gives up
        }
        if (m_startError)
            return *m_startError;
        return {};
    }

    Status announce(std::uint64_t offset, std::uint64_t length) override { return post(encodeChange(offset, length)); }
    Status announceAll() override { return post(0); }
    unsigned messageId() const override { return m_message; }
    std::uintptr_t window() const override { return reinterpret_cast<std::uintptr_t>(m_window.load()); }

private:
    Status post(std::uint64_t lParam)
    {
        // PostMessage, never SendMessage: a hung receiver must not block us (PLATFORM-NOTES).
        if (!detail::win::postMessageW(HWND_BROADCAST, m_message, reinterpret_cast<WPARAM>(m_window.load()),
                                       static_cast<LPARAM>(lParam))) {
            const DWORD err = ::GetLastError();
            return errorFromWin32("announce", m_name, err);
        }
        return {};
    }

    static LRESULT CALLBACK windowProc(HWND window, UINT message, WPARAM wParam, LPARAM lParam)
    {
        if (message == WM_NCCREATE) {
            auto* create = reinterpret_cast<CREATESTRUCTW*>(lParam);
            ::SetWindowLongPtrW(window, GWLP_USERDATA, reinterpret_cast<LONG_PTR>(create->lpCreateParams));
        }
        auto* self = reinterpret_cast<WindowChannel*>(::GetWindowLongPtrW(window, GWLP_USERDATA));
        if (self && message == self->m_message) {
            if (reinterpret_cast<HWND>(wParam) != window && self->m_handler) { // our own broadcast: ignored
                ChangeNotice notice = decodeChange(static_cast<std::uint64_t>(lParam));
                notice.sender = static_cast<std::uintptr_t>(wParam);
                self->m_handler(notice);
            }
            return 0;
        }
        if (message == WM_CLOSE) {
            ::DestroyWindow(window);
            return 0;
        }
        if (message == WM_DESTROY) {
            ::PostQuitMessage(0);
            return 0;
        }
        return ::DefWindowProcW(window, message, wParam, lParam);
    }

    void finishStart(std::optional<Error> error)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_startError = std::move(error);
        m_started = true;
        m_ready.notify_all();
    }

    void run()
    {
        HINSTANCE instance = ::GetModuleHandleW(nullptr);
        WNDCLASSEXW windowClass = {};
        windowClass.cbSize = sizeof windowClass;
        windowClass.lpfnWndProc = &windowProc;
        windowClass.hInstance = instance;
        windowClass.lpszClassName = windowClassName;
        // A second channel finds the class registered already: that is fine.
        if (!::RegisterClassExW(&windowClass) && ::GetLastError() != ERROR_CLASS_ALREADY_EXISTS) {
            const DWORD err = ::GetLastError();
            finishStart(errorFromWin32("listen", m_name, err, "while registering the window class"));
            return;
        }
        // Top-level (no parent, not HWND_MESSAGE) and never shown: it receives HWND_BROADCAST.
        HWND window = ::CreateWindowExW(WS_EX_TOOLWINDOW, windowClassName, L"ShmScope broadcast channel", WS_POPUP, 0,
                                        0, 0, 0, nullptr, nullptr, instance, this);
        if (!window) {
            const DWORD err = ::GetLastError();
            finishStart(errorFromWin32("listen", m_name, err,
                                       "while creating the channel's window (is there a display driver?)"));
            return;
        }
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            if (m_closing) { // start() gave up waiting and the channel is being destroyed
                ::DestroyWindow(window);
                return;
            }
            m_window.store(window);
        }
        allowFromLowerIntegrity(window);
        finishStart(std::nullopt);

        MSG msg;
        while (::GetMessageW(&msg, nullptr, 0, 0) > 0) {
            ::TranslateMessage(&msg);
            ::DispatchMessageW(&msg);
        }
        m_window.store(nullptr);
    }

    // An elevated instance must still hear non-elevated ones (UIPI drops their messages otherwise).
    // Looked up at run time: ChangeWindowMessageFilterEx exists from Windows 7 on.
    void allowFromLowerIntegrity(HWND window)
    {
        using Filter = BOOL(WINAPI*)(HWND, UINT, DWORD, void*);
        if (HMODULE user32 = ::GetModuleHandleW(L"user32.dll")) {
            auto filter = reinterpret_cast<Filter>(
                reinterpret_cast<void (*)()>(::GetProcAddress(user32, "ChangeWindowMessageFilterEx")));
            if (filter)
                filter(window, m_message, 1 /* MSGFLT_ALLOW */, nullptr);
        }
    }

    std::string m_name;
    UINT m_message;
    Handler m_handler;
    std::atomic<HWND> m_window { nullptr };
    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_ready;
    bool m_started = false;
    bool m_closing = false;
    std::optional<Error> m_startError;
};

} // namespace

Result<std::unique_ptr<BroadcastChannel>> BroadcastChannel::open(const std::string& messageName, Handler handler)
{
    const UINT message = detail::win::registerWindowMessageW(detail::toWide(messageName).c_str());
    if (message == 0) {
        const DWORD err = ::GetLastError();
        return errorFromWin32("listen", messageName, err, "while registering the window message");
    }
    auto channel = std::make_unique<WindowChannel>(messageName, message, std::move(handler));
    if (Status started = channel->start(); !started)
        return started.error();
    return std::unique_ptr<BroadcastChannel>(std::move(channel));
}

} // namespace shmscope
