# Compile check of the Windows-only Qt glue in the mingw-w64 cross build (tools/wine-test).
#
# On Windows the notification bus uses window-message broadcasts (app/shared/notificationbus_win.cpp,
# over core/broadcast.h) instead of the QLocalSocket mesh. Debian ships no Qt built for mingw-w64,
# so that glue cannot be linked here. Instead it is compiled — moc output included — by the mingw-w64
# compiler against Debian's Qt 6 headers, which are the same for every platform apart from the
# generated qconfig: type, API and platform-header errors fail the build; link errors cannot show.
# The object library is never linked.
set(SHMSCOPE_HOST_QT_INCLUDE /usr/include/x86_64-linux-gnu/qt6
    CACHE PATH "Debian's Qt 6 headers, used to compile-check the Windows Qt glue")
find_program(SHMSCOPE_HOST_MOC moc PATHS /usr/lib/qt6/libexec NO_DEFAULT_PATH NO_CMAKE_FIND_ROOT_PATH)
if(NOT EXISTS ${SHMSCOPE_HOST_QT_INCLUDE}/QtCore/QObject OR NOT SHMSCOPE_HOST_MOC)
    message(WARNING "Windows Qt glue not checked: needs Debian's qt6-base-dev (${SHMSCOPE_HOST_QT_INCLUDE}, moc)")
    return()
endif()

set(glue_dir ${PROJECT_SOURCE_DIR}/app/shared)
set(moc_dir ${CMAKE_CURRENT_BINARY_DIR}/winglue-moc)
set(moc_sources)
foreach(header notificationbus.h changecoalescer.h)
    string(REPLACE ".h" ".cpp" moc_name "moc_${header}")
    add_custom_command(
        OUTPUT ${moc_dir}/${moc_name}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${moc_dir}
        COMMAND ${SHMSCOPE_HOST_MOC} -DQ_OS_WIN -DWIN32 ${glue_dir}/${header} -o ${moc_dir}/${moc_name}
        DEPENDS ${glue_dir}/${header}
        COMMENT "moc ${header} (Windows Qt glue check)")
    list(APPEND moc_sources ${moc_dir}/${moc_name})
endforeach()

add_library(shmscope_winglue_check OBJECT
    ${glue_dir}/notificationbus_win.cpp
    ${glue_dir}/changecoalescer.cpp
    ${glue_dir}/noticecodec.cpp
    ${moc_sources})
target_include_directories(shmscope_winglue_check SYSTEM PRIVATE
    ${SHMSCOPE_HOST_QT_INCLUDE} ${SHMSCOPE_HOST_QT_INCLUDE}/QtCore ${SHMSCOPE_HOST_QT_INCLUDE}/QtNetwork)
target_include_directories(shmscope_winglue_check PRIVATE ${PROJECT_SOURCE_DIR} ${glue_dir})
target_compile_definitions(shmscope_winglue_check PRIVATE
    QT_CORE_LIB QT_NETWORK_LIB QT_NO_CAST_FROM_ASCII QT_NO_CAST_TO_ASCII QT_USE_QSTRINGBUILDER QT_NO_FOREACH
    QT_DISABLE_DEPRECATED_BEFORE=0x060400)
# Debian's headers declare Qt's symbols dllimport-less (an ELF build): mingw warns about every
# redeclaration. Nothing else is silenced.
target_compile_options(shmscope_winglue_check PRIVATE -Wno-attributes)
target_link_libraries(shmscope_winglue_check PRIVATE shmscope_core)

# Our own half of a link: every shmscope:: symbol the glue uses must exist (in the glue or the core).
find_program(SHMSCOPE_MINGW_NM NAMES ${SHMSCOPE_MINGW_PREFIX}-nm NO_CMAKE_FIND_ROOT_PATH REQUIRED)
add_custom_target(shmscope_winglue_symbols ALL
    COMMAND ${PROJECT_SOURCE_DIR}/cmake/check-own-symbols.sh ${SHMSCOPE_MINGW_NM}
            $<TARGET_OBJECTS:shmscope_winglue_check> -- $<TARGET_FILE:shmscope_core>
    DEPENDS shmscope_winglue_check shmscope_core
    COMMAND_EXPAND_LISTS
    VERBATIM)
