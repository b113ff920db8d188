#!/usr/bin/env bash
# ctest packaging_version: `--version` of shmscope-cli and shmscope prints the project version and the
# git commit of the sources, as git says now; and cmake/BuildCommit.cmake, run on a copy of a few
# source files without .git (a release tarball, here unpacked inside this git work tree and outside
# any), yields "" so that the programs say "unknown commit".
#
#   tests/packaging/version.sh SOURCE_DIR VERSION CLI GUI
set -euo pipefail
source_dir=$1 version=$2 cli=$3 gui=$4
fail() { echo "packaging_version: $*" >&2; exit 1; }

commit=
if git -C "$source_dir" rev-parse --show-toplevel >/dev/null 2>&1 &&
    [[ $(realpath "$(git -C "$source_dir" rev-parse --show-toplevel)") == $(realpath "$source_dir") ]]; then
    commit=$(git -C "$source_dir" describe --always --dirty --abbrev=12 --match=NoTagS)
fi
suffix="(unknown commit)"
[[ -n $commit ]] && suffix="(commit $commit)"
for program in "$cli" "$gui"; do
    name=$(basename "$program")
    out=$(QT_QPA_PLATFORM=offscreen "$program" --version)
    [[ $out == "$name $version $suffix" ]] || fail "$name --version: '$out', expected '$name $version $suffix'"
    echo "packaging_version: $out"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/shmscope-version-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
header=$work/commit.h
git init -q "$work/outer"
git -C "$work/outer" -c user.name=test -c user.email=test@shmscope.invalid commit -q --allow-empty -m outer
# the second tree lies inside another git work tree: that repository's commit is not the tarball's
for tree in "$work/tarball" "$work/outer/shmscope-$version"; do
    mkdir -p "$tree"
    cp "$source_dir/CMakeLists.txt" "$tree/"
    cmake -DSOURCE_DIR="$tree" -DOUTPUT="$header" -P "$source_dir/cmake/BuildCommit.cmake"
    grep -qx '#define SHMSCOPE_COMMIT ""' "$header" || fail "BuildCommit.cmake in $tree: $(grep define "$header")"
done
cmake -DSOURCE_DIR="$source_dir" -DOUTPUT="$header" -P "$source_dir/cmake/BuildCommit.cmake"
grep -qx "#define SHMSCOPE_COMMIT \"$commit\"" "$header" || fail "BuildCommit.cmake in $source_dir: $(grep define "$header")"
echo "packaging_version: a tree without its own .git says \"unknown commit\""
