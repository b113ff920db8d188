// Root parameters of a layout read from another mapping (see layoutparams.h).
#include "layoutparams.h"

#include "core/mapping.h"

namespace shmscope {

Result<Address> paramSourceAddress(const structures::ParamSource& source, const Address& object)
{
    std::string text = source.mapping;
    if (text.find(':') == std::string::npos) {
        Address same = object;
        same.name = object.kind == Kind::Posix ? "/" + text : text;
        if (object.kind == Kind::Win)
            same.name = "Local\\" + text;
        text = toString(same);
    }
    return parseAddress(text);
}

Result<structures::Value> readParamSource(const structures::ParamSource& source, const Address& companion)
{
    Result<std::unique_ptr<Mapping>> attached = attachMapping(companion, Access::ReadOnly);
    if (!attached)
        return attached.error();
    const structures::TypeRef& t = source.type;
    unsigned char bytes[8] = {};
    if (Status read = (*attached)->read(source.offset, bytes, std::size_t(t.width)); !read)
        return read.error();
    std::uint64_t v = 0;
    for (int i = 0; i < t.width; ++i)
        v = (v << 8) | bytes[t.endian == structures::Endian::Big ? i : t.width - 1 - i];
    if (t.isSigned && t.width < 8 && ((v >> (t.width * 8 - 1)) & 1))
        v |= ~std::uint64_t(0) << (t.width * 8);
    return structures::Value::ofInt(std::int64_t(v));
}

} // namespace shmscope
