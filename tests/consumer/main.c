/* SPDX-License-Identifier: MIT */
/*
 * A login front end in C, over nothing but the installed <mfa/mfa.h>: asks
 * libmfa what a login of USER needs and, when it needs a code, checks CODE.
 *   consumer_c DATABASE USER CODE
 * Exits with mfa_verify's code (0: accepted), or mfa_open's or mfa_decide's.
 */
#include <mfa/mfa.h>

#include <stdio.h>

static const char *const k_decisions[] = {"none", "enroll-required", "enroll-optional", "verify", "locked"};

int main(int argc, char **argv)
{
  mfa_db *db = NULL;
  int decision = MFA_DECISION_LOCKED;
  int rc;
  if (argc != 4) {
    fputs("usage: consumer_c DATABASE USER CODE\n", stderr);
    return 2;
  }
  printf("libmfa %s\n", mfa_version());
  rc = mfa_open(argv[1], NULL, &db); /* the key file beside the database */
  if (rc != MFA_OK) {
    fprintf(stderr, "consumer_c: %s: %s\n", mfa_strerror(rc), mfa_last_error(NULL));
    return rc;
  }
  rc = mfa_decide(db, argv[2], &decision);
  if (rc == MFA_OK) {
    printf("decision: %s\n", k_decisions[decision]);
    if (decision == MFA_DECISION_VERIFY) {
      rc = mfa_verify(db, argv[2], argv[3], "consumer_c");
      printf("verify: %s\n", rc == MFA_OK ? "accepted" : mfa_last_error(db));
    }
  } else {
    fprintf(stderr, "consumer_c: %s\n", mfa_last_error(db));
  }
  mfa_close(db);
  return rc;
}
