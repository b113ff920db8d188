#!/usr/bin/env bash
# The suite's last ctest test (tests/CMakeLists.txt makes it depend on every other test): fails when
# the tests of this ctest run left shared-memory objects behind, names them, and removes them.
#
#   tests/check-leftovers.sh            (from ctest; run by hand, it checks since the calling shell started)
#
# Every test object carries the suite's prefix (tests/core/testsupport.h):
#  - /dev/shm entries (POSIX objects, semaphores "sem.<name>", the odd folder or link a test makes)
#    named "shmscope-test-<pid>-…", where <pid> is the test process that made it;
#  - System V segments whose key has the high byte 0x53 (unusedSysVKey()).
# One of them is a leftover of this run when it changed after ctest started (ctime of the file, of the
# segment), and the process that made it (<pid> in the name; a segment's creator pid) is gone. Objects
# from before this run, and those of test processes still running (another build's ctest on the same
# machine), are left alone.
#
# Reported but never removed (they may not be ours to remove, or the core removes them itself):
#  - a leftover of the prefix that is not a regular file of this user (a FIFO, socket, symlink or folder
#    a test made under its name);
#  - System V lock files (/dev/shm/.shmscope-sysv-<shmid>.lock, core/posix/sysvlockfile.h) of this user,
#    changed during the run, whose segment no longer exists: a test removed its segment behind the
#    core's back and left the file (the core sweeps such orphans at its next list or remove).
#
# Environment: SHMSCOPE_LEFTOVERS_SINCE (seconds since the epoch) overrides the start of the run.
set -euo pipefail

shm_dir=/dev/shm
prefix=shmscope-test-

# The start of the run: the parent's (ctest's) start time, from /proc.
process_start() {
    local pid=$1 stat ticks boot
    stat=$(<"/proc/$pid/stat")
    stat=${stat##*) } # the fields after "(comm)"; comm may hold spaces
    ticks=$(awk '{ print $20 }' <<<"$stat") # field 22 of the full line: starttime, in clock ticks after boot
    boot=$(awk '$1 == "btime" { print $2 }' /proc/stat)
    echo $((boot + ticks / $(getconf CLK_TCK)))
}
since=${SHMSCOPE_LEFTOVERS_SINCE:-$(process_start "$PPID")}

alive() { [[ -d /proc/$1 ]]; }

leftovers=()
reported=() # left in place

# /dev/shm: shmscope-test-<pid>-… and sem.shmscope-test-<pid>-…
shopt -s nullglob
for path in "$shm_dir/$prefix"* "$shm_dir/sem.$prefix"*; do
    name=${path##*/}
    rest=${name#sem.}
    rest=${rest#"$prefix"}
    pid=${rest%%-*}
    [[ $pid =~ ^[0-9]+$ ]] || continue # not the suite's pattern: not ours
    changed=$(stat -c %Z -- "$path" 2>/dev/null) || continue # removed meanwhile
    ((changed >= since)) || continue
    alive "$pid" && continue
    # Only a regular file of this user (what the suite makes) is removed: never a folder, link or
    # another's file — those are only named.
    if [[ -f $path && ! -L $path && -O $path ]]; then
        leftovers+=("$path")
        rm -f -- "$path"
    else
        reported+=("$path ($(stat -c '%F, owner %U' -- "$path" 2>/dev/null || echo 'gone meanwhile'))")
    fi
done

# System V: /proc/sysvipc/shm columns: key shmid perms size cpid lpid nattch uid gid cuid cgid atime dtime ctime …
if [[ -r /proc/sysvipc/shm ]]; then
    while read -r key shmid _ _ cpid _ _ _ _ cuid _ _ _ ctime _; do
        [[ $key =~ ^-?[0-9]+$ ]] || continue # the header line
        (((key & 0xff000000) == 0x53000000)) || continue
        ((ctime >= since)) || continue
        ((cuid == EUID)) || continue # made by another user: not ours
        alive "$cpid" && continue
        leftovers+=("System V segment key $(printf '0x%08x' "$key") (shmid $shmid, made by pid $cpid)")
        ipcrm -m "$shmid" 2>/dev/null || true
    done </proc/sysvipc/shm
fi

# System V lock files whose segment is gone: this user's, changed during the run.
if [[ -r /proc/sysvipc/shm ]]; then
    declare -A segments=()
    while read -r _ shmid _; do
        [[ $shmid =~ ^[0-9]+$ ]] && segments[$shmid]=1
    done </proc/sysvipc/shm
    for path in "$shm_dir"/.shmscope-sysv-*.lock; do
        name=${path##*/}
        shmid=${name#.shmscope-sysv-}
        shmid=${shmid%.lock}
        [[ $shmid =~ ^[0-9]+$ ]] || continue # not the core's name pattern
        [[ -O $path && ! -L $path ]] || continue # another user's: not ours
        changed=$(stat -c %Z -- "$path" 2>/dev/null) || continue
        ((changed >= since)) || continue
        [[ -n ${segments[$shmid]:-} ]] && continue # its segment still exists
        reported+=("$path (the lock file of System V segment $shmid, which no longer exists)")
    done
fi

status=0
if ((${#leftovers[@]} > 0)); then
    echo "check-leftovers: the tests left ${#leftovers[@]} object(s) behind (now removed):" >&2
    printf '  %s\n' "${leftovers[@]}" >&2
    status=1
fi
if ((${#reported[@]} > 0)); then
    echo "check-leftovers: the tests left ${#reported[@]} other node(s) behind (not removed: remove them by hand):" >&2
    printf '  %s\n' "${reported[@]}" >&2
    status=1
fi
((status == 0)) && echo "check-leftovers: no test object left behind"
exit $status
