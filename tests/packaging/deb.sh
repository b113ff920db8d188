#!/usr/bin/env bash
# ctest packaging_deb and packaging_deb_scratch: builds the .deb from the build (cpack, into a private
# folder), checks its control fields (shlib Depends, maintainer, section, description) and contents,
# installs it, runs the installed `shmscope-cli --version`, `shmscope --version` and the GUI
# (offscreen, for a second, on an object this test made: the object's info must list the GUI's pid),
# finds the desktop file, the icon, the man page and the completion where a desktop, man and bash
# look for them, and removes the package again.
#
#   tests/packaging/deb.sh BUILD_DIR APP_ID [auto|scratch]
#
# Where it installs:
#  - auto, as root with dpkg: `dpkg -i` into the system and `dpkg --purge` at the end — unless the
#    package is installed already or a file it holds exists (e.g. from a `cmake --install` to /usr):
#    then the system is left alone and the scratch root is used instead. One run at a time installs
#    (flock on /run/lock/shmscope-deb-test.lock; a second suite waits). The package is purged on any
#    exit, also a failure midway or a signal; a run killed with SIGKILL leaves a marker naming its
#    pid, and the next run purges what that run installed.
#  - scratch (or not root): `dpkg-deb -x` into a private folder, the programs run from there.
set -euo pipefail
build_dir=$(realpath "$1") app_id=$2 mode=${3:-auto}
package=shmscope
lock=/run/lock/shmscope-deb-test.lock
marker=/run/lock/shmscope-deb-test.installed
object=posix:/shmscope-test-$$-deb
work=$(mktemp -d "${TMPDIR:-/tmp}/shmscope-deb-test.XXXXXX")
installed_by_us=false gui_pid= cli=$build_dir/app/cli/shmscope-cli
say() { echo "packaging_deb: $*"; }
fail() { echo "packaging_deb: $*" >&2; exit 1; }

cleanup() {
    local status=$?
    set +e
    if [[ -n $gui_pid ]]; then
        kill "$gui_pid" 2>/dev/null
        wait "$gui_pid" 2>/dev/null
    fi
    "$cli" remove "$object" >/dev/null 2>&1
    if $installed_by_us; then
        if dpkg --purge "$package" >"$work/purge.log" 2>&1; then
            rm -f "$marker"
        else
            echo "packaging_deb: dpkg --purge $package failed:" >&2
            cat "$work/purge.log" >&2
            status=1
        fi
    fi
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- build and inspect the package -----------------------------------------------------------------
cpack --config "$build_dir/CPackConfig.cmake" -B "$work/cpack" >"$work/cpack.log" 2>&1 || {
    cat "$work/cpack.log" >&2
    fail "cpack failed"
}
debs=("$work"/cpack/"$package"_*.deb)
[[ ${#debs[@]} == 1 && -f ${debs[0]} ]] || fail "cpack made no single .deb: ${debs[*]}"
deb=${debs[0]}
field() { dpkg-deb -f "$deb" "$1"; }
version=$("$cli" --version | cut -d ' ' -f 2)
[[ $(field Package) == "$package" ]] || fail "Package: $(field Package)"
[[ $(field Version) == "$version" ]] || fail "Version: $(field Version), the programs say $version"
[[ $(field Section) == devel ]] || fail "Section: $(field Section)"
[[ $(field Maintainer) == *@* ]] || fail "Maintainer: '$(field Maintainer)'"
[[ -n $(field Description) ]] || fail "no Description"
# computed by dpkg-shlibdeps from the programs' libraries, with versions
for library in libc6 libqt6core6 libqt6widgets6 libqt6network6 libstdc++6; do
    [[ $(field Depends) == *"$library ("* ]] || fail "Depends lacks $library: $(field Depends)"
done
say "$(basename "$deb"): Depends: $(field Depends)"
dpkg-deb -c "$deb" | awk '$1 !~ /^d/ { sub(/^\./, "", $6); print $6 }' >"$work/files"
for path in /usr/bin/shmscope /usr/bin/shmscope-cli "/usr/share/applications/$app_id.desktop" \
    "/usr/share/metainfo/$app_id.metainfo.xml" "/usr/share/icons/hicolor/scalable/apps/$app_id.svg" \
    "/usr/share/icons/hicolor/48x48/apps/$app_id.png" /usr/share/man/man1/shmscope-cli.1.gz \
    /usr/share/man/man1/shmscope.1.gz /usr/share/bash-completion/completions/shmscope-cli; do
    grep -qx -- "$path" "$work/files" || fail "the package lacks $path"
done

# ---- install -------------------------------------------------------------------------------------------
if [[ $mode == auto ]] && ((EUID != 0)); then
    mode=scratch
    say "not root: installing into a scratch root"
elif [[ $mode == auto ]] && ! command -v dpkg >/dev/null; then
    mode=scratch
    say "no dpkg: installing into a scratch root"
fi
if [[ $mode == auto ]]; then
    mkdir -p "$(dirname "$lock")"
    exec 9>"$lock"
    flock -w 300 9 || fail "another run held $lock for 5 minutes"
    # a run killed with SIGKILL (ctest's timeout) could not purge: do it for it
    if [[ -f $marker ]] && ! kill -0 "$(cat "$marker")" 2>/dev/null; then
        say "purging the package a killed run (pid $(cat "$marker")) left installed"
        dpkg --purge "$package" >"$work/purge.log" 2>&1 || { cat "$work/purge.log" >&2; fail "could not purge"; }
        rm -f "$marker"
    fi
    if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'installed'; then
        mode=scratch
        say "$package is installed on this system already: leaving it alone, installing into a scratch root"
    elif existing=$(while read -r path; do [[ -e $path ]] && echo "$path"; done <"$work/files") && [[ -n $existing ]]; then
        mode=scratch
        say "files of the package exist already ($(head -n 1 <<<"$existing") …): installing into a scratch root"
    fi
fi
if [[ $mode == auto ]]; then
    echo $$ >"$marker"
    installed_by_us=true # from here on, cleanup purges whatever got installed
    dpkg -i "$deb" >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log" >&2; fail "dpkg -i failed"; }
    root=
    say "installed with dpkg -i"
else
    dpkg-deb -x "$deb" "$work/root"
    root=$work/root
    say "extracted into a scratch root"
fi

# ---- run what was installed ----------------------------------------------------------------------------
for program in shmscope-cli shmscope; do
    expected=$(QT_QPA_PLATFORM=offscreen "$build_dir/app/$([[ $program == shmscope ]] && echo gui || echo cli)/$program" --version)
    out=$(cd / && env -u DISPLAY -u WAYLAND_DISPLAY "$root/usr/bin/$program" --version)
    [[ $out == "$expected" ]] || fail "installed $program --version: '$out', expected '$expected'"
    say "installed $out"
done
cli=$root/usr/bin/shmscope-cli
"$cli" create "$object" --size 4K >/dev/null
mkdir -m 0700 "$work/home" "$work/runtime"
HOME=$work/home XDG_CONFIG_HOME=$work/home/.config XDG_RUNTIME_DIR=$work/runtime QT_QPA_PLATFORM=offscreen \
    "$root/usr/bin/shmscope" "$object" >"$work/gui.log" 2>&1 &
gui_pid=$!
sleep 1
kill -0 "$gui_pid" 2>/dev/null || { cat "$work/gui.log" >&2; fail "the installed GUI ended within a second"; }
"$cli" info "$object" --json | grep -qE "^ +$gui_pid,?\$" ||
    fail "the installed GUI (pid $gui_pid) does not map $object: $("$cli" info "$object")"
kill -TERM "$gui_pid"
gui_status=0
wait "$gui_pid" || gui_status=$?
gui_pid=
((gui_status == 0)) || { cat "$work/gui.log" >&2; fail "the GUI ended with $gui_status on SIGTERM"; }
say "the installed GUI ran offscreen on $object and closed on SIGTERM"

# ---- where a desktop, man and bash find it ---------------------------------------------------------------
desktop=
for dir in $(tr ':' ' ' <<<"${XDG_DATA_DIRS:-/usr/local/share:/usr/share}"); do
    [[ -f $root$dir/applications/$app_id.desktop ]] && desktop=$root$dir/applications/$app_id.desktop && break
done
[[ -n $desktop ]] || fail "$app_id.desktop is not in the applications folder of XDG_DATA_DIRS"
icon=$(sed -n 's/^Icon=//p' "$desktop")
[[ -f $root/usr/share/icons/hicolor/48x48/apps/$icon.png && -f $root/usr/share/icons/hicolor/scalable/apps/$icon.svg ]] ||
    fail "the icon $icon of $desktop is not in the hicolor theme"
exec_line=$(sed -n 's/^Exec=//p' "$desktop")
[[ -x $root/usr/bin/${exec_line%% *} ]] || fail "Exec=$exec_line is not an installed program"
say "desktop file $desktop, icon $icon"
man_excluded=false
if [[ -z $root && ! -e /usr/share/man/man1/shmscope-cli.1.gz ]] &&
    grep -hs '^path-exclude' /etc/dpkg/dpkg.cfg /etc/dpkg/dpkg.cfg.d/* | grep -q '/usr/share/man'; then
    # a slim container image: dpkg is told not to unpack man pages; read the one in the package
    man_excluded=true
    dpkg-deb -x "$deb" "$work/man-root"
    say "dpkg's configuration excludes /usr/share/man here: checking the package's own man page"
fi
if $man_excluded; then
    MANWIDTH=100 man -l "$work/man-root/usr/share/man/man1/shmscope-cli.1.gz" 2>/dev/null |
        grep -qE "^ *shmscope-cli +- +Inspect" || fail "the packaged man page does not render"
elif [[ -z $root ]] && command -v man >/dev/null; then
    page=$(man -w shmscope-cli) || fail "man does not find shmscope-cli"
    [[ $page == /usr/share/man/man1/shmscope-cli.1.gz ]] || fail "man -w shmscope-cli: $page"
    MANPAGER=cat MANWIDTH=100 man shmscope-cli 2>/dev/null | grep -qE "^ *shmscope-cli +- +Inspect" || fail "man shmscope-cli shows no NAME line"
else
    MANWIDTH=100 man -l "$root/usr/share/man/man1/shmscope-cli.1.gz" 2>/dev/null | grep -qE "^ *shmscope-cli +- +Inspect" ||
        fail "the installed man page does not render"
fi
say "man shmscope-cli shows the page"
completions=$root/usr/share/bash-completion/completions
offered=$(bash --norc --noprofile -c '
    source "$1/shmscope-cli"
    COMP_WORDS=("$2" wr); COMP_CWORD=1; COMP_LINE="$2 wr"; COMP_POINT=${#COMP_LINE}
    _shmscope_cli; printf "%s\n" "${COMPREPLY[@]}"' completion "$completions" "$cli")
[[ $offered == write ]] || fail "the installed completion offers '$offered' for 'wr'"
if [[ -z $root && -f /usr/share/bash-completion/bash_completion ]]; then
    # bash-completion's own loader finds it by the command's name
    bash --norc --noprofile -c 'source /usr/share/bash-completion/bash_completion
        _completion_loader shmscope-cli; complete -p shmscope-cli' | grep -q _shmscope_cli ||
        fail "bash-completion does not load the completion of shmscope-cli"
fi
say "the installed bash completion completes 'wr' to write"

# ---- remove ---------------------------------------------------------------------------------------------
"$cli" remove "$object" >/dev/null
cli=$build_dir/app/cli/shmscope-cli
if $installed_by_us; then
    dpkg --purge "$package" >"$work/purge.log" 2>&1 || { cat "$work/purge.log" >&2; fail "dpkg --purge failed"; }
    installed_by_us=false
    rm -f "$marker"
    while read -r path; do [[ ! -e $path ]] || fail "$path is still there after dpkg --purge"; done <"$work/files"
    say "removed with dpkg --purge; none of its files is left"
fi
