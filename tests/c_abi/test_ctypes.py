# SPDX-License-Identifier: MIT
"""libmfa's C ABI from Python through ctypes, as an application would use it.

Run by test_ctypes.sh (the built library) and tests/packaging/test_install.sh
(the installed one) over the database of fixture.sh:
    test_ctypes.py LIBRARY DATABASE CODE OTHER_KEY MISSING VERSION
Decides and verifies logins and gets every return code at least once.
"""
import ctypes
import os
import sys
import time

MFA_OK, MFA_REJECTED, MFA_INVALID, MFA_NO_SUCH_USER, MFA_NOT_ALLOWED, MFA_LOCKED, MFA_STORAGE = range(7)
NONE, ENROLL_REQUIRED, ENROLL_OPTIONAL, VERIFY, LOCKED = range(5)

failures = []
returned = set()


def load(path):
    lib = ctypes.CDLL(path)
    lib.mfa_version.restype = ctypes.c_char_p
    lib.mfa_version.argtypes = []
    lib.mfa_open.restype = ctypes.c_int
    lib.mfa_open.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]
    lib.mfa_close.restype = None
    lib.mfa_close.argtypes = [ctypes.c_void_p]
    lib.mfa_decide.restype = ctypes.c_int
    lib.mfa_decide.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int)]
    lib.mfa_verify.restype = ctypes.c_int
    lib.mfa_verify.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p]
    lib.mfa_strerror.restype = ctypes.c_char_p
    lib.mfa_strerror.argtypes = [ctypes.c_int]
    lib.mfa_last_error.restype = ctypes.c_char_p
    lib.mfa_last_error.argtypes = [ctypes.c_void_p]
    lib.mfa_locked_until.restype = ctypes.c_int
    lib.mfa_locked_until.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_longlong)]
    lib.mfa_split_response.restype = ctypes.c_int
    lib.mfa_split_response.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p,
                                       ctypes.POINTER(ctypes.c_size_t)]
    lib.mfa_read_config.restype = ctypes.c_int
    lib.mfa_read_config.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p,
                                    ctypes.c_size_t]
    return lib


def b(text):
    return None if text is None else text.encode()


def expect(condition, what):
    if not condition:
        failures.append(what)
        print("FAILED:", what, file=sys.stderr)


def expect_code(want, got, what):
    returned.add(got)
    expect(got == want, f"{what} returned {got}, expected {want}")


def check_config(lib, database, key):
    """mfa_read_config reads a configuration file as the mfa command does."""
    def read(path, size=4096):
        db, key_file = ctypes.create_string_buffer(size), ctypes.create_string_buffer(size)
        rc = lib.mfa_read_config(b(path), db, size, key_file, size)
        return rc, db.value.decode(), key_file.value.decode()

    with open("c-abi.conf", "w") as f:
        f.write(f"# the login database\ndatabase = {database}\nkey_file = {key}\n")
    expect(read("c-abi.conf") == (MFA_OK, database, key), f"mfa_read_config: {read('c-abi.conf')}")
    rc, _, _ = read("c-abi.conf", len(database))
    expect_code(MFA_INVALID, rc, "mfa_read_config into a buffer too small")
    expect("buffer" in lib.mfa_last_error(None).decode(), "the message says the buffer is too small")
    with open("c-abi-db-only.conf", "w") as f:
        f.write(f"database = {database}\n")
    expect(read("c-abi-db-only.conf") == (MFA_OK, database, ""), "a key it does not set is empty")
    with open("c-abi-bad.conf", "w") as f:
        f.write("database = /x\ncolour = blue\n")
    expect_code(MFA_INVALID, read("c-abi-bad.conf")[0], "mfa_read_config(unknown key)")
    expect("colour" in lib.mfa_last_error(None).decode(), "the message names the unknown key")
    expect_code(MFA_INVALID, read("no-such.conf")[0], "mfa_read_config(a named file that is missing)")
    expect_code(MFA_STORAGE, lib.mfa_read_config(b"c-abi.conf", None, 0, None, 0), "mfa_read_config(NULL)")
    if not os.path.exists("/etc/mfa/mfa.conf"):
        expect(read(None) == (MFA_OK, "", ""), "no system-wide file: an empty configuration")


def main(library, database, code, other_key, missing, version):
    lib = load(library)
    expect(lib.mfa_version().decode() == version, "mfa_version is the CLI's version")
    sentences = [lib.mfa_strerror(c).decode() for c in range(7)]
    expect(all(sentences) and len(set(sentences)) == 7, f"a distinct sentence per code: {sentences}")
    expect("unknown" in lib.mfa_strerror(99).decode(), "an unknown code has a sentence")

    def last(handle=None):
        return lib.mfa_last_error(handle).decode()

    def open_db(path, key=None):
        handle = ctypes.c_void_p(1)
        rc = lib.mfa_open(b(path), b(key), ctypes.byref(handle))
        expect(rc == MFA_OK or handle.value is None, "a failed mfa_open leaves out NULL")
        return rc, handle

    rc, _ = open_db(missing)
    expect_code(MFA_STORAGE, rc, "mfa_open(missing)")
    expect(missing in last() and "mfa init" in last(), f"the message names the path and mfa init: {last()}")
    expect_code(MFA_STORAGE, open_db(database + ".missing")[0], "mfa_open(missing, in a folder that exists)")
    expect_code(MFA_STORAGE, open_db(database, other_key)[0], "mfa_open(database, another database's key)")
    expect_code(MFA_STORAGE, open_db(None)[0], "mfa_open(NULL)")
    expect_code(MFA_STORAGE, lib.mfa_open(b(database), None, None), "mfa_open(database, NULL, NULL)")
    lib.mfa_close(None)

    rc, db = open_db(database)
    expect_code(MFA_OK, rc, "mfa_open(database)")
    if rc != MFA_OK:
        print("cannot open:", last(), file=sys.stderr)
        return 1

    def decide(user):
        decision = ctypes.c_int(42)
        rc = lib.mfa_decide(db, b(user), ctypes.byref(decision))
        return rc, decision.value

    for user, want in [("alice", VERIFY), ("bob", ENROLL_REQUIRED), ("eve", ENROLL_OPTIONAL), ("sam", NONE)]:
        expect(decide(user) == (MFA_OK, want), f"decision of {user}: {decide(user)}, expected {want}")
    rc, decision = decide("ghost")
    expect_code(MFA_NO_SUCH_USER, rc, "mfa_decide(ghost)")
    expect(decision == 42, "an unknown user's decision is left untouched")
    expect("ghost" in last(db), f"the message names the user: {last(db)}")

    def verify(user, text, actor=None):
        return lib.mfa_verify(db, b(user), b(text), b(actor))

    expect_code(MFA_INVALID, verify("alice", ""), "verify with an empty code")
    expect_code(MFA_OK, verify("alice", code), "verify alice's code")
    expect(last(db) == "", "no message after MFA_OK")
    expect_code(MFA_REJECTED, verify("alice", code, "web-login"), "the same code again")
    expect("reused" in last(db), f"the replay is refused as reused: {last(db)}")
    expect_code(MFA_NO_SUCH_USER, verify("ghost", code), "verify ghost")
    expect_code(MFA_NOT_ALLOWED, verify("bob", code), "verify bob (not enrolled)")
    expect_code(MFA_NOT_ALLOWED, verify("sam", code), "verify sam (SSO)")
    expect_code(MFA_STORAGE, verify("alice", None), "verify with a NULL code")
    for _ in range(5):
        expect_code(MFA_REJECTED, verify("lou", "12345", "c-abi-test"), "verify lou with a malformed code")
    expect(decide("lou") == (MFA_OK, LOCKED), f"lou is locked: {decide('lou')}")
    expect_code(MFA_LOCKED, verify("lou", "123456"), "verify lou while locked")
    until = ctypes.c_longlong(-1)
    expect_code(MFA_OK, lib.mfa_locked_until(db, b"lou", ctypes.byref(until)), "mfa_locked_until(lou)")
    expect(time.time() < until.value <= time.time() + 16 * 60, f"lou's lock ends within 15 minutes: {until.value}")
    offset = ctypes.c_size_t(99)
    expect_code(MFA_OK, lib.mfa_split_response(db, b"alice", b"s3cret 987654", ctypes.byref(offset)),
                "mfa_split_response(alice)")
    expect(offset.value == 7, f"the password is the 7 bytes before the code: {offset.value}")
    lib.mfa_close(db)
    check_config(lib, database, other_key)

    missed = set(range(7)) - returned
    expect(not missed, f"every return code was seen; not: {sorted(missed)}")
    if failures:
        print(f"{len(failures)} checks failed", file=sys.stderr)
        return 1
    print("test_ctypes: every check passed, every return code seen")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 7:
        sys.exit("usage: test_ctypes.py LIBRARY DATABASE CODE OTHER_KEY MISSING VERSION")
    sys.exit(main(*sys.argv[1:]))
