#!/usr/bin/env bash
# "Copy as C program" on Windows, checked for real under Wine (issue 10; run by ctest in the Wine build,
# tools/wine-test): winjournalprogram.exe makes a section and an edit and writes the edit's C program;
# this script compiles that program with the Wine build's mingw-w64 C compiler, runs it under Wine in
# the same prefix (it opens the section by name and stores the byte), and lets winjournalprogram.exe
# check the section's byte. Passes when the compiled program ran without a difference from the journal
# and its store reached the section.
#
#   tst_winjournalprogram.sh HELPER.exe CC WINE
set -uo pipefail
helper=$1 cc=$2 wine=$3
work=$(mktemp -d "${TMPDIR:-/tmp}/shmscope-test-$$-program.XXXXXX")
helper_pid=
cleanup() {
    [[ -n $helper_pid ]] && kill "$helper_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "tst_winjournalprogram: $*" >&2; exit 1; }

# Wine maps the Unix root to Z:.
win_path() { echo "Z:${1//\//\\}"; }
source_c=$work/action.c
go_on=$work/go-on
"$wine" "$helper" "$(win_path "$source_c")" "$(win_path "$go_on")" >"$work/helper.log" 2>&1 &
helper_pid=$!

deadline=$((SECONDS + 120))
until grep -q '^ready' "$work/helper.log" 2>/dev/null; do
    kill -0 "$helper_pid" 2>/dev/null || { cat "$work/helper.log"; fail "the helper ended before it was ready"; }
    ((SECONDS < deadline)) || { cat "$work/helper.log"; fail "the helper was not ready after 120 s"; }
    sleep 0.1
done
cat "$work/helper.log"
[[ -s $source_c ]] || fail "no program at $source_c"

# The command line the program's own comment gives, with the Wine build's compiler.
"$cc" -std=c11 -Wall -Werror -o "$work/action.exe" "$source_c" -luser32 >"$work/cc.log" 2>&1 ||
    { cat "$work/cc.log"; cat -n "$source_c"; fail "the program does not compile"; }
timeout 120 "$wine" "$work/action.exe" >"$work/action.log" 2>&1
status=$?
tr -d '\r' <"$work/action.log"
((status == 0)) || { cat -n "$source_c"; fail "the program exited with $status (1: a call did not do what the journal said)"; }
grep -q '^MapViewOfFile(' <(tr -d '\r' <"$work/action.log") || fail "the program printed no MapViewOfFile"
grep -q '^memcpy(' <(tr -d '\r' <"$work/action.log") || fail "the program printed no memcpy"
# Only a create that found the object says ERROR_ALREADY_EXISTS; a later call does not repeat it.
if grep -E '^(MapViewOfFile|UnmapViewOfFile|CloseHandle)\(.*ERROR_ALREADY_EXISTS' <(tr -d '\r' <"$work/action.log"); then
    fail "a call printed the error an earlier call left (GetLastError not cleared before it)"
fi

touch "$go_on"
wait "$helper_pid"
helper_status=$?
helper_pid=
tr -d '\r' <"$work/helper.log" | tail -n 1
((helper_status == 0)) || fail "the section does not hold the program's byte (helper exit $helper_status)"
echo "tst_winjournalprogram: the compiled program's store reached the section"
