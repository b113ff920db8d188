#include "structures/builtinlayouts.h"

#include <algorithm>
#include <filesystem>

namespace shmscope::structures {

namespace detail {
const std::vector<std::pair<std::string, std::string>>& embeddedLayouts(); // builtinlayouts_data.cpp
}

const std::vector<BuiltinLayout>& builtinLayouts()
{
    static const std::vector<BuiltinLayout> layouts = [] {
        std::vector<BuiltinLayout> list;
        for (const auto& [name, text] : detail::embeddedLayouts()) {
            BuiltinLayout b { name, {}, text };
            if (const LoadResult loaded = loadLayout(text, name))
                b.title = loaded.schema->title;
            list.push_back(std::move(b));
        }
        std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
        return list;
    }();
    return layouts;
}

const BuiltinLayout* findBuiltinLayout(const std::string& name)
{
    for (const BuiltinLayout& b : builtinLayouts())
        if (b.name == name)
            return &b;
    return nullptr;
}

LoadResult loadLayoutByName(const std::string& fileOrName)
{
    std::error_code error;
    const bool isFile = std::filesystem::exists(fileOrName, error);
    if (!isFile) {
        if (const BuiltinLayout* b = findBuiltinLayout(fileOrName))
            return loadLayout(b->text, b->name);
        LoadResult r;
        r.error = LayoutError { fileOrName, {}, "no such file, and no built-in layout of that name (see 'layouts')" };
        return r;
    }
    return loadLayoutFile(fileOrName);
}

} // namespace shmscope::structures
