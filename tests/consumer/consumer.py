# SPDX-License-Identifier: MIT
"""A login front end in Python over the installed libmfa's C ABI (ctypes),
the twin of main.c: what a login of USER needs and, when it needs a code,
whether CODE passes. Exits with mfa_verify's code (0: accepted).
    consumer.py LIBRARY DATABASE USER CODE
"""
import ctypes
import sys

DECISIONS = ["none", "enroll-required", "enroll-optional", "verify", "locked"]
MFA_OK, MFA_DECISION_VERIFY = 0, 3


def main(library, database, user, code):
    mfa = ctypes.CDLL(library)
    for name, result, arguments in [
        ("mfa_version", ctypes.c_char_p, []),
        ("mfa_open", ctypes.c_int, [ctypes.c_char_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]),
        ("mfa_decide", ctypes.c_int, [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int)]),
        ("mfa_verify", ctypes.c_int, [ctypes.c_void_p] + [ctypes.c_char_p] * 3),
        ("mfa_last_error", ctypes.c_char_p, [ctypes.c_void_p]),
        ("mfa_strerror", ctypes.c_char_p, [ctypes.c_int]),
        ("mfa_close", None, [ctypes.c_void_p]),
    ]:
        getattr(mfa, name).restype, getattr(mfa, name).argtypes = result, arguments

    print("libmfa", mfa.mfa_version().decode())
    db = ctypes.c_void_p()
    rc = mfa.mfa_open(database.encode(), None, ctypes.byref(db))  # the key file beside the database
    if rc != MFA_OK:
        print(f"consumer.py: {mfa.mfa_strerror(rc).decode()}: {mfa.mfa_last_error(None).decode()}", file=sys.stderr)
        return rc
    try:
        decision = ctypes.c_int()
        rc = mfa.mfa_decide(db, user.encode(), ctypes.byref(decision))
        if rc != MFA_OK:
            print("consumer.py:", mfa.mfa_last_error(db).decode(), file=sys.stderr)
            return rc
        print("decision:", DECISIONS[decision.value])
        if decision.value == MFA_DECISION_VERIFY:
            rc = mfa.mfa_verify(db, user.encode(), code.encode(), b"consumer.py")
            print("verify:", "accepted" if rc == MFA_OK else mfa.mfa_last_error(db).decode())
        return rc
    finally:
        mfa.mfa_close(db)


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit("usage: consumer.py LIBRARY DATABASE USER CODE")
    sys.exit(main(*sys.argv[1:]))
