# The Debian package (CPack's DEB generator) made from the install rules (packaging/CMakeLists.txt):
#   cpack --config build/CPackConfig.cmake -B OUTDIR       → OUTDIR/shmscope_VERSION_ARCH.deb
# Installed under /usr; its Depends are computed by dpkg-shlibdeps from the programs' libraries
# (Qt 6.4 and libc of the system it is built on). tests/packaging/deb.sh builds, installs, runs and
# removes it.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME shmscope)
set(CPACK_PACKAGE_VENDOR "The ShmScope developers")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "inspector for named shared memory (GUI and command line)")
set(CPACK_PACKAGE_DESCRIPTION
    "ShmScope lists the shared-memory objects on the machine and the processes
that map them, attaches to one by name (read-write, read-only or
copy-on-write), shows its bytes live in a hex view and a text view with
changed bytes highlighted, and lets you edit them. Several instances on one
object announce their edits to each other. POSIX shared memory, System V
segments and memory-mapped files are supported.
The package holds the desktop inspector (shmscope) and the command-line tool
(shmscope-cli).")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "The ShmScope developers <dev@shmscope.invalid>")
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/shmscope/shmscope")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The Qt platform plugin the GUI needs on a desktop is not a shared-library dependency.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "qt6-qpa-plugins")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "bash-completion")
include(CPack)
