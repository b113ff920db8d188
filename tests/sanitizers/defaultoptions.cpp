// The sanitizers' default options, linked into every program of a sanitizer build (SHMSCOPE_SANITIZERS,
// the dev-asan preset): the tests, the programs they start (shmscope-cli, shmscope-testpeer, busprobe, a
// second GUI instance) and the same programs started by hand all run with them, without an environment.
// ASAN_OPTIONS and UBSAN_OPTIONS still override them one by one.
//
// LeakSanitizer has no suppressions: the whole suite runs without a leak report, Qt's and fontconfig's
// included. A leak of ShmScope's own code gets an owner, never a suppression.
//
// The runtimes call these functions (weak in the runtime) once at startup, before main.

extern "C" {

// AddressSanitizer: LeakSanitizer's check at exit on (the default on Linux x86-64; stated so that a
// changed default cannot drop the leak check silently). SIGBUS stays with ASan (handle_sigbus=1, the
// default): the core's SIGBUS guard chains to the handler it finds, which tests/core/tst_sigbusguard
// expects of a sanitizer build.
const char* __asan_default_options()
{
    return "detect_leaks=1";
}

// UndefinedBehaviorSanitizer: a finding stops the program with its stack (the build also compiles with
// -fno-sanitize-recover=undefined, so that no finding is only printed).
const char* __ubsan_default_options()
{
    return "print_stacktrace=1:halt_on_error=1";
}

} // extern "C"
