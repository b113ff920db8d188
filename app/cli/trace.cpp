#include "trace.h"

#include <string>
#include <unistd.h>

namespace shmscope {

namespace {

void writeLine(std::string line)
{
    line += '\n';
    const char* data = line.data();
    std::size_t left = line.size();
    while (left > 0) {
        const ssize_t written = ::write(STDERR_FILENO, data, left);
        if (written <= 0)
            return;
        data += written;
        left -= static_cast<std::size_t>(written);
    }
}

} // namespace

TraceListener::TraceListener()
{
    journal::addListener(this);
}

TraceListener::~TraceListener()
{
    journal::removeListener(this);
}

void TraceListener::actionBegan(const journal::ActionInfo& action)
{
    m_calls = 0;
    writeLine("--- action " + std::to_string(action.id) + ": " + action.label() + " ---");
}

void TraceListener::callRecorded(journal::Call&& call)
{
    ++m_calls;
    writeLine(call.straceLine());
}

void TraceListener::actionEnded(const journal::ActionInfo& action)
{
    std::string line = "+++ action " + std::to_string(action.id) + ": " + std::to_string(m_calls)
        + (m_calls == 1 ? " call" : " calls");
    if (const std::string faults = action.faultText(); !faults.empty())
        line += ", " + faults;
    writeLine(line + " +++");
}

} // namespace shmscope
