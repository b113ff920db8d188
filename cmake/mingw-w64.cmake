# Cross-compiling for 64-bit Windows with Debian's mingw-w64 (package g++-mingw-w64-x86-64-posix:
# the "posix" thread model, which std::thread and std::mutex need). Executables are linked
# statically, so they import only KERNEL32, msvcrt, ntdll and USER32, and ctest runs them through
# Wine (CMAKE_CROSSCOMPILING_EMULATOR). Used by tools/wine-test; see docs/windows.md.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(SHMSCOPE_MINGW_PREFIX x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${SHMSCOPE_MINGW_PREFIX}-gcc-posix)
set(CMAKE_CXX_COMPILER ${SHMSCOPE_MINGW_PREFIX}-g++-posix)
set(CMAKE_RC_COMPILER ${SHMSCOPE_MINGW_PREFIX}-windres)

set(CMAKE_FIND_ROOT_PATH /usr/${SHMSCOPE_MINGW_PREFIX})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")

# wine64 where Debian ships it under that name; plain wine otherwise.
find_program(SHMSCOPE_WINE NAMES wine wine64 PATHS /usr/lib/wine NO_CMAKE_FIND_ROOT_PATH)
if(SHMSCOPE_WINE)
    set(CMAKE_CROSSCOMPILING_EMULATOR ${SHMSCOPE_WINE})
endif()
