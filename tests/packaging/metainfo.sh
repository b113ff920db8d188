#!/usr/bin/env bash
# ctest packaging_metainfo: the AppStream metainfo (configured into the build folder) passes
# `appstreamcli validate --no-net`; its id is the application id, it launches the desktop file of that
# id, and its newest release is the project version (so a version bump without a release entry fails).
#
#   tests/packaging/metainfo.sh METAINFO APP_ID VERSION
set -euo pipefail
metainfo=$1 app_id=$2 version=$3
fail() { echo "packaging_metainfo: $*" >&2; exit 1; }

[[ $(basename "$metainfo") == "$app_id.metainfo.xml" ]] || fail "$metainfo is not named after $app_id"
appstreamcli validate --no-net "$metainfo" || fail "appstreamcli validate --no-net failed for $metainfo"
grep -q "<id>$app_id</id>" "$metainfo" || fail "the component id is not $app_id"
grep -q "<launchable type=\"desktop-id\">$app_id.desktop</launchable>" "$metainfo" ||
    fail "it does not launch $app_id.desktop"
for tag in description screenshots releases content_rating; do
    grep -q "<$tag" "$metainfo" || fail "no <$tag>"
done
newest=$(grep -o '<release version="[^"]*"' "$metainfo" | head -n 1 | sed 's/.*"\(.*\)"/\1/')
[[ $newest == "$version" ]] || fail "the newest release is '$newest', the project version is $version: add a <release>"
echo "packaging_metainfo: $metainfo is valid; newest release $newest"
