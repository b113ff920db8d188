# bash completion for shmscope-cli and shmscope (ShmScope), installed into bash-completion's
# completions folder under both names (packaging/CMakeLists.txt). Every list is asked from the program
# being completed, so it cannot drift from it: the commands from the "Commands:" section of
# `shmscope-cli --help`, the options from `shmscope-cli COMMAND --help` (`shmscope --help`), and the
# object addresses from the live `shmscope-cli list --json`. Tested by tests/packaging/completion.sh.

# The commands `PROGRAM --help` lists, one per line.
_shmscope_commands()
{
    "$1" --help 2>/dev/null | sed -n '/^Commands:$/,/^$/s/^  \([a-z][a-z-]*\)  .*/\1/p'
}

# The long options `PROGRAM [COMMAND] --help` lists, one per line; with a first argument "values",
# only those that take a value ("--offset <OFFSET>").
_shmscope_options()
{
    local pattern='s/^  \(-[[:alnum:]], \)\{0,1\}\(--[[:alnum:]][[:alnum:]-]*\).*/\2/p'
    if [[ $1 == values ]]; then
        shift
        pattern='s/^  \(-[[:alnum:]], \)\{0,1\}\(--[[:alnum:]][[:alnum:]-]*\) <.*/\2/p'
    fi
    "$@" --help 2>/dev/null | sed -n "$pattern"
}

# The addresses of the objects on the machine now, as `shmscope-cli list` prints them (escaped, one
# per line), read from its JSON output. $1 is the shmscope-cli to ask.
_shmscope_addresses()
{
    "$1" list --json 2>/dev/null |
        sed -n 's/^ *"address": "\(.*\)",\{0,1\}$/\1/p' |
        sed 's/\\\(["\\/]\)/\1/g'
}

# Sets COMPREPLY to the candidates (one per line on stdin) that start with the word being completed
# ($1, whole: bash splits "posix:/demo" at the colon), each without the part before the last ':' or
# '=' of that word (which bash keeps), and quoted for the shell.
_shmscope_reply()
{
    local word=$1 candidate kept=
    [[ $word == *[:=]* ]] && kept=${word%"${word##*[:=]}"}
    COMPREPLY=()
    while IFS= read -r candidate; do
        [[ -n $candidate && $candidate == "$word"* ]] || continue
        candidate=${candidate#"$kept"}
        # %q would escape a leading '~' or '=' needlessly; a plain candidate is kept as it is.
        if [[ $candidate == *[![:alnum:]/:._+@%,-]* ]]; then
            printf -v candidate '%q' "$candidate"
        fi
        COMPREPLY+=("$candidate")
    done
}

# The word being completed, whole: from COMP_LINE up to the cursor when bash set them, otherwise
# the current word of COMP_WORDS joined with the ':' pieces before it.
_shmscope_current_word()
{
    if [[ -n ${COMP_LINE-} ]]; then
        local line=${COMP_LINE:0:COMP_POINT}
        printf '%s\n' "${line##*[[:space:]]}"
        return
    fi
    local i=$COMP_CWORD word=${COMP_WORDS[COMP_CWORD]}
    while ((i > 1)) && [[ ${COMP_WORDS[i - 1]} == : || $word == :* ]]; do
        ((i--))
        word=${COMP_WORDS[i]}$word
    done
    printf '%s\n' "$word"
}

# Completes an ADDRESS argument: existing objects (a POSIX one also by its bare name), or a file
# after "file:". $1 is the shmscope-cli to ask, $2 the word.
_shmscope_complete_address()
{
    local cli=$1 word=$2
    if [[ $word == file:* ]]; then
        _shmscope_reply "$word" < <(compgen -f -- "${word#file:}" | sed 's/^/file:/')
        return
    fi
    local addresses
    addresses=$(_shmscope_addresses "$cli")
    # posix:/demo is also "demo" (the kind and the slash are optional)
    _shmscope_reply "$word" < <(
        printf '%s\n' "$addresses"
        [[ $word != *:* && -n $word ]] && printf '%s\n' "$addresses" | sed -n 's|^posix:/||p'
    )
}

# Completes the value of option $2 of the command line: --format's values, files for --file.
# Returns 1 when $2 takes no value.
_shmscope_complete_value()
{
    local option=$2 word=$3
    case $option in
        --format | -f) _shmscope_reply "$word" < <(printf '%s\n' hex raw text) ;;
        --file) _shmscope_reply "$word" < <(compgen -f -- "$word") ;;
        *) return 1 ;;
    esac
    return 0
}

_shmscope_cli()
{
    local program=${COMP_WORDS[0]} word previous=
    word=$(_shmscope_current_word)
    ((COMP_CWORD > 1)) && previous=${COMP_WORDS[COMP_CWORD - 1]}
    if ((COMP_CWORD == 1)); then
        if [[ $word == -* ]]; then
            _shmscope_reply "$word" < <(printf '%s\n' --help --version)
        else
            _shmscope_reply "$word" < <(_shmscope_commands "$program")
        fi
        return
    fi
    local command=${COMP_WORDS[1]}
    if [[ $command == help ]]; then
        ((COMP_CWORD == 2)) && _shmscope_reply "$word" < <(_shmscope_commands "$program")
        return
    fi
    if [[ $previous == -* ]] && _shmscope_options values "$program" "$command" | grep -qx -- "$previous"; then
        _shmscope_complete_value "$program" "$previous" "$word" || COMPREPLY=()
        return
    fi
    if [[ $word == -* ]]; then
        _shmscope_reply "$word" < <(_shmscope_options "$program" "$command")
    elif [[ $command != list ]]; then
        _shmscope_complete_address "$program" "$word"
    fi
}

_shmscope_gui()
{
    local program=${COMP_WORDS[0]} word previous= cli=shmscope-cli
    word=$(_shmscope_current_word)
    ((COMP_CWORD > 1)) && previous=${COMP_WORDS[COMP_CWORD - 1]}
    # the shmscope-cli installed next to this shmscope, else the one on the PATH
    [[ $program == */* && -x ${program%/*}/shmscope-cli ]] && cli=${program%/*}/shmscope-cli
    if [[ $previous == -* ]] && _shmscope_options values "$program" | grep -qx -- "$previous"; then
        COMPREPLY=()
        return
    fi
    if [[ $word == -* ]]; then
        _shmscope_reply "$word" < <(_shmscope_options "$program")
    else
        _shmscope_complete_address "$cli" "$word"
    fi
}

complete -F _shmscope_cli shmscope-cli
complete -F _shmscope_gui shmscope
