#!/usr/bin/env bash
# ctest packaging_manpages: the generated man pages render without a groff warning and hold what the
# programs' --help says: every command of `shmscope-cli --help` with its synopsis and every option of
# `shmscope-cli COMMAND --help`, every option of `shmscope --help`, the exit codes, the address syntax
# and examples.
#
#   tests/packaging/manpages.sh MAN_DIR CLI GUI
set -euo pipefail
man_dir=$1 cli=$2 gui=$3
fail() { echo "packaging_manpages: $*" >&2; exit 1; }
export LC_ALL=C.UTF-8 QT_QPA_PLATFORM=offscreen
unset LANGUAGE

# The page as a reader sees it (man's formatting without bold/underline, hyphenation or justification).
render() {
    local warnings
    warnings=$(groff -man -ww -z "$1" 2>&1) || fail "groff failed on $1: $warnings"
    [[ -z $warnings ]] || fail "groff warns about $1: $warnings"
    MANWIDTH=200 man --nh --nj -l "$1" 2>/dev/null | col -b
}
has() { # has PAGE_TEXT WHAT TEXT
    grep -qF -- "$3" <<<"$1" || fail "the $2 page lacks '$3'"
}

cli_page=$(render "$man_dir/shmscope-cli.1")
gui_page=$(render "$man_dir/shmscope.1")
options() { sed -n 's/^  \(-[[:alnum:]], \)\{0,1\}\(--[[:alnum:]][[:alnum:]-]*\).*/\2/p'; }

commands=$("$cli" --help | sed -n '/^Commands:$/,/^$/s/^  \([a-z][a-z-]*\)  .*/\1/p')
[[ $(wc -l <<<"$commands") -ge 7 ]] || fail "shmscope-cli --help lists too few commands: $commands"
for command in $commands; do
    help=$("$cli" "$command" --help)
    synopsis=$(sed -n '1s/^Usage: [^ ]* //p' <<<"$help")
    has "$cli_page" shmscope-cli "shmscope-cli $synopsis"
    for option in $(options <<<"$help"); do
        # the option's line as --help lays it out, e.g. "-o, --offset <OFFSET>"
        line=$(grep -E -- "^  (-[[:alnum:]], )?$option( |$)" <<<"$help")
        term=$(sed 's/^  //; s/  .*//' <<<"$line")
        words=$(sed 's/^  [^ ].*[^ ]  \+//' <<<"$line" | cut -d ' ' -f 1-4)
        # an item: the term at the start of a line (its description beside it or under it)
        grep -qE -- "^ +$(sed 's/[][\.*^$]/\\&/g' <<<"$term")( |$)" <<<"$cli_page" ||
            fail "the shmscope-cli page has no item '$term' ($command)"
        has "$cli_page" shmscope-cli "$words"
    done
done
top=$("$cli" --help)
for option in $(options <<<"$top"); do has "$cli_page" shmscope-cli "$option"; done
for section in NAME SYNOPSIS COMMANDS ADDRESSES "EXIT STATUS" OPTIONS EXAMPLES "SEE ALSO"; do
    grep -qx "$section" <<<"$cli_page" || fail "the shmscope-cli page has no section $section"
done
for code in 0 1 2 3 4 5; do
    text=$(sed -n "/^Exit codes:\$/,/^\$/s/^  $code  //p" <<<"$top")
    [[ -n $text ]] || fail "shmscope-cli --help does not explain exit code $code"
    grep -qE "^ +$code +$text" <<<"$cli_page" || fail "the shmscope-cli page lacks exit code $code: $text"
done
for kind in posix:/NAME file:PATH sysv:KEY sysvid:ID '\xHH'; do has "$cli_page" shmscope-cli "$kind"; done

gui_help=$("$gui" --help)
for option in $(options <<<"$gui_help"); do has "$gui_page" shmscope "$option"; done
for section in NAME SYNOPSIS DESCRIPTION OPTIONS "EXIT STATUS" EXAMPLES; do
    grep -qx "$section" <<<"$gui_page" || fail "the shmscope page has no section $section"
done
has "$gui_page" shmscope "[kind:]name"
echo "packaging_manpages: $(wc -w <<<"$commands") commands and their options, exit codes 0-5, addresses and examples"
