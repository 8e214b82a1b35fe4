/* SPDX-License-Identifier: MIT */
/*
 * libmfa's C ABI from C: compiled as C99, linked to the shared libmfa, run
 * by test_c_abi.sh over the database that fixture.sh makes (see there for
 * its users). Decides and verifies logins and gets every return code.
 *   c_abi_test DATABASE CODE OTHER_KEY MISSING VERSION
 * CODE: alice's current TOTP code; OTHER_KEY: another database's key;
 * MISSING: a path where there is no database; VERSION: `mfa --version`'s.
 *   c_abi_test verify DATABASE USER CODE
 * One login check, for the fault cases: prints the message of the call that
 * failed and exits with its code.
 */
#include <mfa/mfa.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

static int failures;
static int returned[MFA_STORAGE + 1]; /* how often each code was returned */

static void expect(int ok, const char *what, int line)
{
  if (!ok) {
    fprintf(stderr, "c_abi_test.c:%d: FAILED: %s\n", line, what);
    ++failures;
  }
}

#define EXPECT(condition) expect((condition) != 0, #condition, __LINE__)

static void expect_code(int want, int got, const char *call, int line)
{
  if (got >= 0 && got <= MFA_STORAGE) {
    ++returned[got];
  }
  if (got != want) {
    fprintf(stderr, "c_abi_test.c:%d: FAILED: %s returned %d (%s), expected %d (%s)\n", line, call, got,
            mfa_strerror(got), want, mfa_strerror(want));
    ++failures;
  }
}

#define EXPECT_CODE(want, call) expect_code((want), (call), #call, __LINE__)

/* The decision for `user`, or -1 when mfa_decide did not return MFA_OK. */
static int decision_of(mfa_db *db, const char *user)
{
  int decision = -1;
  EXPECT_CODE(MFA_OK, mfa_decide(db, user, &decision));
  return decision;
}

static int contains(const char *text, const char *needle)
{
  return text != NULL && strstr(text, needle) != NULL;
}

static void check_static_text(const char *version)
{
  int code;
  EXPECT(strcmp(mfa_version(), version) == 0);
  for (code = MFA_OK; code <= MFA_STORAGE; ++code) {
    EXPECT(mfa_strerror(code) != NULL && mfa_strerror(code)[0] != '\0');
    EXPECT(code == MFA_OK || strcmp(mfa_strerror(code), mfa_strerror(code - 1)) != 0);
  }
  EXPECT(contains(mfa_strerror(MFA_LOCKED), "locked"));
  EXPECT(contains(mfa_strerror(-1), "unknown"));
  EXPECT(contains(mfa_strerror(MFA_STORAGE + 1), "unknown"));
}

static void check_open_failures(const char *database, const char *other_key, const char *missing)
{
  mfa_db *db = (mfa_db *)&failures; /* mfa_open must reset it */
  char beside[4096];
  EXPECT_CODE(MFA_STORAGE, mfa_open(missing, NULL, &db));
  EXPECT(db == NULL);
  EXPECT(contains(mfa_last_error(NULL), missing));
  EXPECT(contains(mfa_last_error(NULL), "mfa init"));
  sprintf(beside, "%.4000s.missing", database); /* in a folder that exists */
  EXPECT_CODE(MFA_STORAGE, mfa_open(beside, NULL, &db));
  EXPECT_CODE(MFA_STORAGE, mfa_open(database, other_key, &db)); /* a key, but not this database's */
  EXPECT(db == NULL);
  EXPECT(mfa_last_error(NULL)[0] != '\0');
  EXPECT_CODE(MFA_STORAGE, mfa_open("postgresql://localhost/mfa", NULL, &db));
  EXPECT(contains(mfa_last_error(NULL), "key_file"));
  EXPECT_CODE(MFA_STORAGE, mfa_open("", NULL, &db));
  EXPECT_CODE(MFA_STORAGE, mfa_open(NULL, NULL, &db));
  EXPECT(contains(mfa_last_error(NULL), "NULL"));
  EXPECT_CODE(MFA_STORAGE, mfa_open(database, NULL, NULL));
  mfa_close(NULL);
}

static void check_decisions(mfa_db *db)
{
  int decision = 42;
  EXPECT(decision_of(db, "alice") == MFA_DECISION_VERIFY);
  EXPECT(decision_of(db, "bob") == MFA_DECISION_ENROLL_REQUIRED);
  EXPECT(decision_of(db, "eve") == MFA_DECISION_ENROLL_OPTIONAL);
  EXPECT(decision_of(db, "sam") == MFA_DECISION_NONE);
  EXPECT(decision_of(db, "  alice  ") == MFA_DECISION_VERIFY); /* names are trimmed */
  EXPECT(mfa_last_error(db)[0] == '\0');
  /* An unknown user is never "no MFA needed": the decision is not touched. */
  EXPECT_CODE(MFA_NO_SUCH_USER, mfa_decide(db, "ghost", &decision));
  EXPECT(decision == 42);
  EXPECT(contains(mfa_last_error(db), "ghost"));
  EXPECT_CODE(MFA_STORAGE, mfa_decide(db, NULL, &decision));
  EXPECT_CODE(MFA_STORAGE, mfa_decide(db, "alice", NULL));
  EXPECT_CODE(MFA_STORAGE, mfa_decide(NULL, "alice", &decision));
  EXPECT(decision == 42);
}

static void check_verify(mfa_db *db, const char *code)
{
  EXPECT_CODE(MFA_INVALID, mfa_verify(db, "alice", "", NULL)); /* an empty code: not counted */
  EXPECT_CODE(MFA_INVALID, mfa_verify(db, "alice", code, "web\nlogin"));
  EXPECT(contains(mfa_last_error(db), "actor"));
  EXPECT_CODE(MFA_OK, mfa_verify(db, "alice", code, NULL));
  EXPECT(mfa_last_error(db)[0] == '\0');
  EXPECT_CODE(MFA_REJECTED, mfa_verify(db, "alice", code, "web-login")); /* a time step is accepted once */
  EXPECT(contains(mfa_last_error(db), "reused"));
  EXPECT_CODE(MFA_NO_SUCH_USER, mfa_verify(db, "ghost", code, NULL));
  EXPECT_CODE(MFA_NOT_ALLOWED, mfa_verify(db, "bob", code, NULL)); /* not enrolled */
  EXPECT_CODE(MFA_NOT_ALLOWED, mfa_verify(db, "sam", code, NULL)); /* SSO */
  EXPECT_CODE(MFA_STORAGE, mfa_verify(db, "alice", NULL, NULL));
  EXPECT_CODE(MFA_STORAGE, mfa_verify(db, NULL, code, NULL));
  EXPECT_CODE(MFA_STORAGE, mfa_verify(NULL, "alice", code, NULL));
}

/* Five malformed codes (each a counted failure) lock lou, whose decision is
 * then "locked" and whose verify is refused before the code is looked at. */
static void check_lockout(mfa_db *db)
{
  int attempt;
  for (attempt = 0; attempt < 5; ++attempt) {
    EXPECT_CODE(MFA_REJECTED, mfa_verify(db, "lou", "12345", "c-abi-test"));
  }
  EXPECT(contains(mfa_last_error(db), "malformed"));
  EXPECT(decision_of(db, "lou") == MFA_DECISION_LOCKED);
  EXPECT_CODE(MFA_LOCKED, mfa_verify(db, "lou", "123456", NULL));
  EXPECT(contains(mfa_last_error(db), "lou"));
}

/* Until when lou is locked (after check_lockout), and alice's responses of
 * a password and a code in one answer. */
static void check_lock_end_and_split(mfa_db *db)
{
  long long until = -1;
  size_t offset = 99;
  const long long now = (long long)time(NULL);
  EXPECT_CODE(MFA_OK, mfa_locked_until(db, "lou", &until));
  EXPECT(until > now && until <= now + 15 * 60 + 60); /* mfaLockoutMinutes 15 */
  EXPECT_CODE(MFA_OK, mfa_locked_until(db, "alice", &until));
  EXPECT(until == 0);
  until = 42;
  EXPECT_CODE(MFA_NO_SUCH_USER, mfa_locked_until(db, "ghost", &until));
  EXPECT(until == 42);
  EXPECT_CODE(MFA_STORAGE, mfa_locked_until(db, "lou", NULL));
  EXPECT_CODE(MFA_OK, mfa_split_response(db, "alice", "pass 1234567890", &offset));
  EXPECT(offset == 9); /* the enrollment's 6 digits */
  EXPECT_CODE(MFA_OK, mfa_split_response(db, "alice", "123456", &offset));
  EXPECT(offset == 0);
  EXPECT_CODE(MFA_OK, mfa_split_response(db, "alice", "pw12abcde-12345", &offset));
  EXPECT(offset == 4); /* a backup code with its dash, though it ends in digits */
  EXPECT_CODE(MFA_OK, mfa_split_response(db, "alice", "pw-abcdefghjk", &offset));
  EXPECT(offset == 3);
  offset = 99;
  EXPECT_CODE(MFA_REJECTED, mfa_split_response(db, "alice", "only a password!", &offset));
  EXPECT(offset == 99);
  EXPECT(contains(mfa_last_error(db), "no code"));
  EXPECT_CODE(MFA_NOT_ALLOWED, mfa_split_response(db, "bob", "pw123456", &offset));
  EXPECT_CODE(MFA_NO_SUCH_USER, mfa_split_response(db, "ghost", "pw123456", &offset));
  EXPECT_CODE(MFA_STORAGE, mfa_split_response(db, "alice", NULL, &offset));
  EXPECT_CODE(MFA_STORAGE, mfa_split_response(db, "alice", "pw123456", NULL));
}

static int verify_once(const char *database, const char *user, const char *code)
{
  mfa_db *db = NULL;
  int rc = mfa_open(database, NULL, &db);
  if (rc != MFA_OK) {
    printf("mfa_open: %s\n", mfa_last_error(NULL));
    return rc;
  }
  rc = mfa_verify(db, user, code, NULL);
  printf("mfa_verify: %s\n", mfa_last_error(db));
  mfa_close(db);
  return rc;
}

int main(int argc, char **argv)
{
  mfa_db *db = NULL;
  int code;
  if (argc == 5 && strcmp(argv[1], "verify") == 0) {
    return verify_once(argv[2], argv[3], argv[4]);
  }
  if (argc != 6) {
    fputs("usage: c_abi_test DATABASE CODE OTHER_KEY MISSING VERSION\n"
          "       c_abi_test verify DATABASE USER CODE\n",
          stderr);
    return 2;
  }
  check_static_text(argv[5]);
  check_open_failures(argv[1], argv[3], argv[4]);
  EXPECT_CODE(MFA_OK, mfa_open(argv[1], NULL, &db));
  EXPECT(mfa_last_error(NULL)[0] == '\0');
  if (db == NULL) {
    fprintf(stderr, "cannot open %s: %s\n", argv[1], mfa_last_error(NULL));
    return 1;
  }
  check_decisions(db);
  check_verify(db, argv[2]);
  check_lockout(db);
  check_lock_end_and_split(db);
  mfa_close(db);

  for (code = MFA_OK; code <= MFA_STORAGE; ++code) {
    if (returned[code] == 0) {
      fprintf(stderr, "c_abi_test.c: FAILED: no call returned %d (%s)\n", code, mfa_strerror(code));
      ++failures;
    }
  }
  if (failures != 0) {
    fprintf(stderr, "c_abi_test.c: %d checks failed\n", failures);
    return 1;
  }
  puts("c_abi_test: every check passed, every return code seen");
  return 0;
}
