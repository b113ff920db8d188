#include "core/holders.h"

namespace shmscope {

std::string holderUseText(std::uint8_t uses)
{
    std::string text;
    auto add = [&text](const char* word) {
        if (!text.empty())
            text += ", ";
        text += word;
    };
    if (uses & MapsReadWrite)
        add("map rw");
    if (uses & MapsReadOnly)
        add("map ro");
    if (uses & MapsPrivate)
        add("map private");
    if (uses & HoldsDescriptor)
        add("fd");
    return text;
}

std::string holderText(const Holder& holder)
{
    const std::string uses = holderUseText(holder.uses);
    return std::to_string(holder.pid) + " (" + (holder.name.empty() ? uses : holder.name + ": " + uses) + ")";
}

} // namespace shmscope
