/* SPDX-License-Identifier: MIT */
/*
 * libpq reads its PG* environment variables (PGHOSTADDR, PGPASSFILE,
 * PGSERVICEFILE, PGTARGETSESSIONATTRS, ...) and HOME (~/.pgpass,
 * ~/.postgresql/root.crt, ~/.pg_service.conf) whenever it connects. In a
 * set-user-ID program such as sudo or su (the kernel's AT_SECURE), that
 * environment is the caller's: it could send root's connection to another
 * server, or make root trust another certificate. For the connection only,
 * pam_mfa hides those variables and points HOME at the effective user's
 * own home; the environment is exactly as it was once it is restored.
 */
#ifndef PAM_MFA_CALLER_ENVIRONMENT_H
#define PAM_MFA_CALLER_ENVIRONMENT_H

enum { CALLER_ENVIRONMENT_MAX = 64, CALLER_ENVIRONMENT_NAME_MAX = 256 };

struct caller_environment {
  int hidden;
  int count;
  char *entries[CALLER_ENVIRONMENT_MAX + 1]; /* "NAME=VALUE" copies: PG* and HOME */
};

/* In a set-user-ID program, hides the caller's PG* variables and HOME (see
 * above); elsewhere does nothing. Returns 0, or -1 (nothing changed) when
 * there are too many such variables, a name too long, or no memory. */
int caller_environment_hide(struct caller_environment *saved);

/* Puts back what caller_environment_hide took away, and wipes its copies. */
void caller_environment_restore(struct caller_environment *saved);

#endif
