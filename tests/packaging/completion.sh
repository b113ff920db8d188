#!/usr/bin/env bash
# ctest packaging_completion: the bash completion (packaging/completion/shmscope.bash) driven in a
# real bash as bash drives it (COMP_WORDS split at ':' as COMP_WORDBREAKS does, COMP_CWORD, COMP_LINE,
# COMP_POINT), against objects this test creates with the built shmscope-cli: a subcommand, an option,
# an option's value, an object by its address and by its bare name, a name with a space, and an
# object removed since (no longer offered: the list is live).
#
#   tests/packaging/completion.sh COMPLETION_SCRIPT CLI GUI
set -euo pipefail
script=$1 cli=$2 gui=$3
prefix=shmscope-test-$$-completion
objects=("posix:/$prefix-alpha" "posix:/$prefix-beta gamma")
fail() { echo "packaging_completion: $*" >&2; exit 1; }
cleanup() {
    for object in "${objects[@]}"; do "$cli" remove "$object" >/dev/null 2>&1 || true; done
}
trap cleanup EXIT
for object in "${objects[@]}"; do "$cli" create "$object" --size 4K >/dev/null; done

# complete FUNCTION LINE: what FUNCTION offers for the command line LINE (cursor at its end), one
# candidate per line, computed in a new bash that sourced only the completion script.
complete_line() {
    bash --norc --noprofile -c '
        set -u
        source "$1"
        line=$3
        # split as readline does with the default COMP_WORDBREAKS: at blanks, ":" a word of its own
        # (quoted spaces stay in their word)
        words=()
        eval "raw=($(sed "s/:/ : /g" <<<"$line"))"
        words=("${raw[@]}")
        [[ $line == *" " ]] && words+=("")
        COMP_WORDS=("${words[@]}")
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        COMP_LINE=$line
        COMP_POINT=${#line}
        "$2"
        printf "%s\n" "${COMPREPLY[@]}"
    ' completion "$script" "$1" "$2"
}
expect() { # expect FUNCTION LINE EXPECTED...: exactly these candidates
    local got expected
    got=$(complete_line "$1" "$2" | sort)
    expected=$(printf '%s\n' "${@:3}" | sort)
    [[ $got == "$expected" ]] || fail "'$2' completed to [$(tr '\n' ' ' <<<"$got")], expected [$(tr '\n' ' ' <<<"$expected")]"
    echo "packaging_completion: '$2' → $(tr '\n' ' ' <<<"$got")"
}

expect _shmscope_cli "$cli wr" write
expect _shmscope_cli "$cli re" read remove
expect _shmscope_cli "$cli help wa" watch
expect _shmscope_cli "$cli read --f" --format
expect _shmscope_cli "$cli write posix:/x --n" --no-nul
expect _shmscope_cli "$cli read posix:/x --format r" raw
# an address: bash keeps "posix:" (before the last ':'), the candidates are the rest
expect _shmscope_cli "$cli info posix:/$prefix-a" "/$prefix-alpha"
expect _shmscope_cli "$cli read $prefix-b" "$prefix-beta\\ gamma"
expect _shmscope_cli "$cli remove posix:/$prefix-" "/$prefix-alpha" "/$prefix-beta\\ gamma"
# shmscope asks the shmscope-cli beside it, else the one on the PATH (the build keeps them apart)
export PATH=$(dirname "$cli"):$PATH
expect _shmscope_gui "$gui posix:/$prefix-al" "/$prefix-alpha"
expect _shmscope_gui "$gui --read" --read-only

"$cli" remove "posix:/$prefix-alpha" >/dev/null
expect _shmscope_cli "$cli info posix:/$prefix-" "/$prefix-beta\\ gamma"
