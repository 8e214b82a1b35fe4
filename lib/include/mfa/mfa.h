/* SPDX-License-Identifier: MIT */
/*
 * libmfa's C ABI: plain C (C99 and later, and C++), for applications that
 * cannot use the C++ API: Python (ctypes, cffi), Node (N-API), Go (cgo),
 * PHP FFI, a PAM module. Link with -lmfa (pkg-config --cflags --libs mfa).
 *
 * Every function returns; none lets a C++ exception out. Return codes equal
 * the exit codes of the `mfa` command. A handle is for one thread at a time:
 * open one handle per thread (opening is cheap; the database file may be
 * shared by any number of handles and processes).
 */
#ifndef MFA_MFA_H
#define MFA_MFA_H

#include <mfa/export.hpp>

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Return codes: the `mfa` command's exit codes. */
#define MFA_OK 0           /* success; mfa_verify: the code was accepted */
#define MFA_REJECTED 1     /* the code was wrong, reused, malformed, or a backup code while they are disabled */
#define MFA_INVALID 2      /* a bad argument: an empty code, an actor with a control character */
#define MFA_NO_SUCH_USER 3 /* the user does not exist */
#define MFA_NOT_ALLOWED 4  /* not in this state: SSO user, MFA off for the user's class, not enrolled, pending */
#define MFA_LOCKED 5       /* the user is locked out (even for a right code) */
#define MFA_STORAGE 6      /* storage or key problem, an unexpected failure, or a NULL argument */

/* Decisions: what a login of a user needs (mfa_decide). */
#define MFA_DECISION_NONE 0            /* nothing: MFA off for the user's class, or an SSO user */
#define MFA_DECISION_ENROLL_REQUIRED 1 /* must enroll now (a pending enrollment still needs confirming) */
#define MFA_DECISION_ENROLL_OPTIONAL 2 /* may enroll, or skip it */
#define MFA_DECISION_VERIFY 3          /* enrolled: must pass a code (mfa_verify) */
#define MFA_DECISION_LOCKED 4          /* locked out after too many failures */

/* An open database with its key. */
typedef struct mfa_db mfa_db;

/* The library's version, "MAJOR.MINOR.PATCH" (static). */
MFA_API const char *mfa_version(void);

/*
 * Opens the existing database `db` (a path) with the key file `key_file`,
 * or, when key_file is NULL or "", the file mfa.key beside the database (a
 * PostgreSQL URI has no "beside": its key file must be named). Reads no
 * environment variable and no configuration file. Never creates a file: a
 * missing database is MFA_STORAGE (run `mfa init`); an older schema is
 * migrated, as by every mfa command. On MFA_OK *out is a new handle for
 * mfa_close; on failure *out is NULL and mfa_last_error(NULL) says why.
 * MFA_STORAGE: no database, an unusable database, a key file missing, too
 * open or wrong, a NULL or empty db, a NULL out.
 */
MFA_API int mfa_open(const char *db, const char *key_file, mfa_db **out);

/* Closes a handle; NULL is ignored. */
MFA_API void mfa_close(mfa_db *db);

/*
 * What a login of `user` needs now: on MFA_OK *decision is one of the
 * MFA_DECISION_* values. A locked user is MFA_OK with MFA_DECISION_LOCKED.
 * An unknown user is MFA_NO_SUCH_USER, and *decision is left untouched (it
 * is never MFA_DECISION_NONE for a user who does not exist). Reads only.
 */
MFA_API int mfa_decide(mfa_db *db, const char *user, int *decision);

/*
 * The login check of `user` with `code` (a TOTP code or an unused backup
 * code): MFA_OK only when the code is accepted. MFA_REJECTED: wrong, reused
 * (a time step is accepted once), malformed, or a backup code while they are
 * disabled; every rejection counts towards the lock-out. MFA_LOCKED,
 * MFA_NO_SUCH_USER, MFA_NOT_ALLOWED (SSO user, MFA off for the user's class,
 * not enrolled, pending enrollment), MFA_INVALID (an empty code, an actor
 * with a control character; not counted). Every attempt is audited under
 * `actor`; NULL or "" audits it as "c-api".
 */
MFA_API int mfa_verify(mfa_db *db, const char *user, const char *code, const char *actor);

/*
 * Until when `user` is locked out: on MFA_OK *until is 0 when the user is
 * not locked out now, else the Unix time at which the lock ends, or
 * MFA_LOCKED_UNTIL_UNLOCK for a lock that only `mfa unlock` ends. Reads
 * only. An unknown user is MFA_NO_SUCH_USER, *until untouched.
 */
#define MFA_LOCKED_UNTIL_UNLOCK 253402300799LL /* 9999-12-31T23:59:59Z */
MFA_API int mfa_locked_until(mfa_db *db, const char *user, long long *until);

/*
 * For a password and a code typed in one answer (pam_mfa's forward_pass):
 * on MFA_OK *offset is where the code starts in `response`, which ends in
 * it, and the password is the *offset bytes before it (possibly none). The
 * code is read from the end: a backup code with its dash (xxxxx-xxxxx),
 * else as many digits as the user's enrollment has, else a backup code
 * without its dash. MFA_REJECTED: nothing at the end reads as a code
 * (*offset untouched). MFA_NO_SUCH_USER, MFA_NOT_ALLOWED as for
 * mfa_verify. Reads only, counts no failure: pass the code to mfa_verify.
 */
MFA_API int mfa_split_response(mfa_db *db, const char *user, const char *response, size_t *offset);

/*
 * Reads the configuration file `path` as the mfa command reads --config
 * (`database = ...`, `key_file = ...`, `#` comments): on MFA_OK `database`
 * and `key_file` hold its values, NUL-terminated ("" for one it does not
 * set). NULL or "" reads /etc/mfa/mfa.conf, and then a missing file is an
 * empty configuration; a named file must exist. MFA_INVALID: the file
 * cannot be read, has an unknown key or a malformed line, or a value does
 * not fit its buffer (of database_size or key_file_size bytes);
 * MFA_STORAGE: a NULL buffer. Opens nothing else; mfa_last_error(NULL)
 * says why it failed.
 */
MFA_API int mfa_read_config(const char *path, char *database, size_t database_size, char *key_file,
                            size_t key_file_size);

/* A static sentence for a return code; an unknown code has one too. */
MFA_API const char *mfa_strerror(int code);

/*
 * The message of the last call on this handle: "" after MFA_OK, else a
 * sentence for a person (it names the user, the path, the reason). With
 * NULL: the message of the last mfa_open or mfa_read_config on this
 * thread. Valid until the next call on the same handle (or, for NULL, the
 * next mfa_open or mfa_read_config on this thread). Never NULL.
 */
MFA_API const char *mfa_last_error(mfa_db *db);

#ifdef __cplusplus
}
#endif

#endif /* MFA_MFA_H */
