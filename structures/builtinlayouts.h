#pragma once

// The layouts ShmScope ships (structures/layouts/*.ksy, compiled in): seed 003's data areas, seed
// 004's text buffer, seed 001's region with its size companion, Python's ShareableList.
// Sources: the seed articles (shared/seeds/001, 003 and 004, which describe these layouts) and
// CPython's Lib/multiprocessing/shared_memory.py (class ShareableList) for the list's layout.

#include "structures/schema.h"

#include <string>
#include <vector>

namespace shmscope::structures {

/// A built-in layout: its name (the file name without .ksy, e.g. "python_shareable_list"), its
/// meta/title and its .ksy text.
struct BuiltinLayout {
    std::string name;
    std::string title;
    std::string text;
};

/// All built-in layouts, sorted by name. Each one loads without error (tested).
const std::vector<BuiltinLayout>& builtinLayouts();

/// The built-in layout called `name`, or nullptr.
const BuiltinLayout* findBuiltinLayout(const std::string& name);

/// Loads `fileOrName`: a built-in layout when one has that name and no such file exists, else the
/// file (see loadLayoutFile()). An unknown name that is not a file either is an error naming both.
LoadResult loadLayoutByName(const std::string& fileOrName);

} // namespace shmscope::structures
