#!/usr/bin/env bash
# check-own-symbols.sh NM OBJECT... -- LIBRARY...
# A link check limited to ShmScope's own code, for objects that cannot be linked here (the Windows Qt
# glue: no Qt for mingw-w64 in Debian). Every symbol of namespace shmscope that the objects use must
# be defined by one of the objects or the libraries; Qt's and the C++ runtime's symbols are not
# checked. Exits 1 listing the missing ones.
set -euo pipefail
nm=$1
shift
objects=() libraries=()
while (($#)) && [[ $1 != -- ]]; do objects+=("$1"); shift; done
(($#)) && shift
libraries=("$@")

defined=$("$nm" -C --defined-only "${objects[@]}" "${libraries[@]}" 2>/dev/null |
    awk '$2 ~ /^[TtDdBbRrVvWw]$/ { $1 = ""; $2 = ""; sub(/^  /, ""); print }' | sort -u)
missing=$("$nm" -C --undefined-only "${objects[@]}" 2>/dev/null |
    awk '$1 == "U" { $1 = ""; sub(/^ /, ""); print }' | grep -E '(^|[^[:alnum:]_])shmscope::' | sort -u |
    comm -23 - <(printf '%s\n' "$defined") || true)
if [[ -n $missing ]]; then
    echo "check-own-symbols: used but defined nowhere (a member declared and never written?):" >&2
    printf '  %s\n' "$missing" >&2
    exit 1
fi
echo "check-own-symbols: every shmscope:: symbol the Windows Qt glue uses is defined"
