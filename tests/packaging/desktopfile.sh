#!/usr/bin/env bash
# ctest packaging_desktop_file: the desktop file passes desktop-file-validate, is named after the
# application id, names the icon by that id (and the icon exists under that name), and starts shmscope.
#
#   tests/packaging/desktopfile.sh SOURCE_DIR APP_ID
set -euo pipefail
source_dir=$1 app_id=$2
desktop=$source_dir/packaging/$app_id.desktop
fail() { echo "packaging_desktop_file: $*" >&2; exit 1; }

[[ -f $desktop ]] || fail "no desktop file named after the application id: $desktop"
desktop-file-validate "$desktop" || fail "desktop-file-validate found problems in $desktop"
value() { sed -n "s/^$1=//p" "$desktop"; }
[[ $(value Icon) == "$app_id" ]] || fail "Icon=$(value Icon), expected the application id $app_id"
[[ -f $source_dir/packaging/icons/$app_id.svg ]] || fail "no icon packaging/icons/$app_id.svg"
[[ $(value Exec) == shmscope* ]] || fail "Exec=$(value Exec) does not start shmscope"
[[ $(value Type) == Application ]] || fail "Type=$(value Type)"
echo "packaging_desktop_file: $desktop is valid; Icon=$app_id"
