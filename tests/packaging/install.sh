#!/usr/bin/env bash
# ctest packaging_install: `cmake --install` of the build into a scratch folder (DESTDIR, prefix /usr)
# puts every file in its standard place, the installed programs run from there with the build folder
# out of their way (no RUNPATH into it, no file naming it), and print their version.
#
#   tests/packaging/install.sh BUILD_DIR APP_ID
set -euo pipefail
build_dir=$(realpath "$1") app_id=$2
fail() { echo "packaging_install: $*" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/shmscope-install-test.XXXXXX")
trap 'rm -rf "$work"' EXIT

DESTDIR=$work/root cmake --install "$build_dir" --prefix /usr >"$work/install.log" || {
    cat "$work/install.log" >&2
    fail "cmake --install failed"
}
root=$work/root
for path in usr/bin/shmscope usr/bin/shmscope-cli \
    "usr/share/applications/$app_id.desktop" "usr/share/metainfo/$app_id.metainfo.xml" \
    "usr/share/icons/hicolor/scalable/apps/$app_id.svg" \
    usr/share/man/man1/shmscope.1.gz usr/share/man/man1/shmscope-cli.1.gz \
    usr/share/bash-completion/completions/shmscope usr/share/bash-completion/completions/shmscope-cli \
    usr/share/doc/shmscope/copyright; do
    [[ -f $root/$path ]] || fail "not installed: /$path"
done
for size in 16 22 24 32 48 64 128 256; do
    png=$root/usr/share/icons/hicolor/${size}x$size/apps/$app_id.png
    [[ -f $png ]] || fail "not installed: the ${size}x$size icon"
    # the PNG header: width and height, big-endian, at bytes 16 and 20
    read -r width height < <(od -An -tu1 -j16 -N8 "$png" | awk '{ print $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8 }')
    [[ $width == "$size" && $height == "$size" ]] || fail "$png is ${width}x$height, not ${size}x$size"
done
# The programs' debug information names the sources' folders; what the loader and the programs read
# must not: the RUNPATH, and every file that is not a program.
for program in shmscope shmscope-cli; do
    if readelf -d "$root/usr/bin/$program" | grep -E 'R(UN)?PATH' | grep -qF -- "$build_dir"; then
        fail "/usr/bin/$program has a RUNPATH into the build folder: $(readelf -d "$root/usr/bin/$program" | grep PATH)"
    fi
done
if grep -rlF --exclude=shmscope --exclude=shmscope-cli -- "$build_dir" "$root/usr/share" >"$work/naming"; then
    fail "installed files name the build folder: $(tr '\n' ' ' <"$work/naming")"
fi
for program in shmscope shmscope-cli; do
    out=$(cd / && QT_QPA_PLATFORM=offscreen "$root/usr/bin/$program" --version)
    [[ $out == "$program "* ]] || fail "$program --version printed '$out'"
    echo "packaging_install: installed $out"
done
echo "packaging_install: $(find "$root" -type f | wc -l) files in their places"
