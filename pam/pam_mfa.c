/* SPDX-License-Identifier: MIT */
/*
 * pam_mfa: the mfa database's policy and codes for any PAM login (sshd,
 * sudo, login), over libmfa's C ABI. The decision is the library's; this
 * module only asks for the code, maps the library's answer to a PAM result
 * and keeps root's file access within what the database's owners could do
 * anyway (trusted_path.h). See pam_mfa(8).
 */
#define _GNU_SOURCE
#include "caller_environment.h"
#include "trusted_path.h"

#include <mfa/mfa.h>

#include <security/pam_ext.h>
#include <security/pam_modules.h>

#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#define PAM_MFA_EXPORT __attribute__((visibility("default")))

enum { PATH_SIZE = 4096, WHY_SIZE = 512 };

static const char k_code_prompt[] = "Verification code: ";
/* SQLite's files beside a database: walked before it is opened, given back
 * to its owner after. */
static const char *const k_companions[] = {"-wal", "-shm", "-journal"};
enum { COMPANION_COUNT = sizeof k_companions / sizeof k_companions[0] };
static const char k_forward_prompt[] = "Password & verification code: ";

struct options {
  const char *config; /* NULL: /etc/mfa/mfa.conf, which need not exist */
  const char *db;
  const char *key_file;
  int unknown_ignore;
  int forward_pass;
  int debug;
};

/* A value argument NAME=VALUE: *value is VALUE when `arg` is one. */
static int value_of(const char *arg, const char *name, const char **value)
{
  const size_t length = strlen(name);
  if (strncmp(arg, name, length) != 0 || arg[length] != '=') {
    return 0;
  }
  *value = arg + length + 1;
  return 1;
}

static int parse_options(pam_handle_t *pamh, int argc, const char **argv, struct options *options)
{
  int i;
  memset(options, 0, sizeof *options);
  for (i = 0; i < argc; ++i) {
    const char *arg = argv[i];
    const char *value = NULL;
    if (strcmp(arg, "forward_pass") == 0) {
      options->forward_pass = 1;
    } else if (strcmp(arg, "debug") == 0) {
      options->debug = 1;
    } else if (strcmp(arg, "unknown=ignore") == 0) {
      options->unknown_ignore = 1;
    } else if (value_of(arg, "config", &value) || value_of(arg, "db", &value) || value_of(arg, "key_file", &value)) {
      if (*value == '\0') {
        pam_syslog(pamh, LOG_ERR, "argument \"%s\" has no value: refused", arg);
        return PAM_SERVICE_ERR;
      }
      *(arg[0] == 'c' ? &options->config : arg[0] == 'd' ? &options->db : &options->key_file) = value;
    } else {
      pam_syslog(pamh, LOG_ERR, "unknown argument \"%s\": refused", arg);
      return PAM_SERVICE_ERR;
    }
  }
  return PAM_SUCCESS;
}

/* Frees a response from the conversation, wiped first: it holds a code (and
 * with forward_pass a password). */
static void wipe(char *secret)
{
  if (secret != NULL) {
    explicit_bzero(secret, strlen(secret));
    free(secret);
  }
}

/* A message to the person logging in, unless the application asked for
 * silence. */
static void tell(pam_handle_t *pamh, int flags, const char *message)
{
  if (!(flags & PAM_SILENT)) {
    pam_error(pamh, "%s", message);
  }
}

/* Where the database and its key are: the arguments, else the
 * configuration file's values; both copied into `db` and `key_file`. */
static int find_database(pam_handle_t *pamh, const struct options *options, struct path_writers *writers, char *db,
                         char *key_file)
{
  char why[WHY_SIZE];
  struct fs_identity saved;
  int rc;
  const char *config = options->config != NULL ? options->config : "/etc/mfa/mfa.conf";
  if (path_writers_add(writers, config, options->config != NULL ? PATH_MUST_EXIST : PATH_MAY_BE_MISSING, why,
                       sizeof why)
        != 0
      || fs_identity_switch(writers, &saved, why, sizeof why) != 0) {
    pam_syslog(pamh, LOG_ERR, "configuration file %s refused: %s", config, why);
    return PAM_AUTHINFO_UNAVAIL;
  }
  rc = mfa_read_config(options->config, db, PATH_SIZE, key_file, PATH_SIZE);
  fs_identity_restore(&saved);
  if (rc != MFA_OK) {
    pam_syslog(pamh, LOG_ERR, "%s", mfa_last_error(NULL));
    return PAM_AUTHINFO_UNAVAIL;
  }
  if ((options->db != NULL && (size_t)snprintf(db, PATH_SIZE, "%s", options->db) >= PATH_SIZE)
      || (options->key_file != NULL && (size_t)snprintf(key_file, PATH_SIZE, "%s", options->key_file) >= PATH_SIZE)) {
    pam_syslog(pamh, LOG_ERR, "db= or key_file= is longer than %d bytes: refused", PATH_SIZE - 1);
    return PAM_AUTHINFO_UNAVAIL;
  }
  if (db[0] == '\0') {
    pam_syslog(pamh, LOG_ERR, "no database: give db=PATH, or set database in %s", config);
    return PAM_AUTHINFO_UNAVAIL;
  }
  return PAM_SUCCESS;
}

/* Walks the paths the library will open: the database (with its -wal,
 * -shm and -journal files, and the key beside it when none is named) and
 * the key file. A PostgreSQL URI has no path. */
static int check_paths(pam_handle_t *pamh, const char *db, const char *key_file, struct path_writers *writers)
{
  char why[WHY_SIZE];
  /* mfa::is_postgres_uri's rule: anything else is a file, and walked. */
  const int postgres = strncmp(db, "postgresql://", 13) == 0 || strncmp(db, "postgres://", 11) == 0;
  if (!postgres) {
    char path[PATH_SIZE + 16];
    size_t i;
    if (path_writers_add(writers, db, PATH_MUST_EXIST, why, sizeof why) != 0) {
      pam_syslog(pamh, LOG_ERR, "database %s refused: %s", db, why);
      return PAM_AUTHINFO_UNAVAIL;
    }
    for (i = 0; i < COMPANION_COUNT; ++i) {
      snprintf(path, sizeof path, "%s%s", db, k_companions[i]);
      if (path_writers_add(writers, path, PATH_MAY_BE_MISSING, why, sizeof why) != 0) {
        pam_syslog(pamh, LOG_ERR, "database file %s refused: %s", path, why);
        return PAM_AUTHINFO_UNAVAIL;
      }
    }
    if (key_file[0] == '\0') { /* mfa.key beside the database */
      const char *slash = strrchr(db, '/');
      snprintf(path, sizeof path, "%.*s/mfa.key", (int)(slash - db), db);
      if (path_writers_add(writers, path, PATH_MAY_BE_MISSING, why, sizeof why) != 0) {
        pam_syslog(pamh, LOG_ERR, "key file %s refused: %s", path, why);
        return PAM_AUTHINFO_UNAVAIL;
      }
    }
  }
  if (key_file[0] != '\0' && path_writers_add(writers, key_file, PATH_MUST_EXIST, why, sizeof why) != 0) {
    pam_syslog(pamh, LOG_ERR, "key file %s refused: %s", key_file, why);
    return PAM_AUTHINFO_UNAVAIL;
  }
  return PAM_SUCCESS;
}

/* The file rights a login opens files with (trusted_path.h), given back to
 * the process around each prompt: the application's conversation (a
 * terminal, a pinentry) runs with the application's own rights. */
struct rights {
  const struct path_writers *writers;
  struct fs_identity saved;
};

static int prompt(pam_handle_t *pamh, struct rights *rights, char **response, const char *text)
{
  char why[WHY_SIZE];
  int rc;
  fs_identity_restore(&rights->saved);
  rc = pam_prompt(pamh, PAM_PROMPT_ECHO_OFF, response, "%s", text);
  if (fs_identity_switch(rights->writers, &rights->saved, why, sizeof why) != 0) {
    pam_syslog(pamh, LOG_ERR, "%s", why);
    wipe(*response);
    *response = NULL;
    return PAM_AUTHINFO_UNAVAIL;
  }
  return rc;
}

/* The lock's end, for the person locked out. */
static void tell_locked(pam_handle_t *pamh, int flags, mfa_db *db, const char *user)
{
  long long until = 0;
  char message[256];
  if (mfa_locked_until(db, user, &until) != MFA_OK || until == 0) {
    snprintf(message, sizeof message, "Too many wrong codes: this account is locked out for now.");
  } else if (until >= MFA_LOCKED_UNTIL_UNLOCK) {
    snprintf(message, sizeof message, "Too many wrong codes: this account is locked out until an administrator "
                                      "unlocks it.");
  } else {
    char when[64] = "";
    const time_t end = (time_t)until;
    struct tm local;
    if (localtime_r(&end, &local) != NULL) {
      strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S %Z", &local);
    }
    snprintf(message, sizeof message, "Too many wrong codes: this account is locked out until %s.", when);
  }
  tell(pamh, flags, message);
}

/* Asks for the code (with forward_pass: the password and the code in one
 * answer, the password handed on as PAM_AUTHTOK) and verifies it. */
static int ask_and_verify(pam_handle_t *pamh, int flags, const struct options *options, struct rights *rights,
                          mfa_db *db, const char *user, const char *actor)
{
  char *response = NULL;
  const char *code;
  int rc;
  rc = prompt(pamh, rights, &response, options->forward_pass ? k_forward_prompt : k_code_prompt);
  if (rc != PAM_SUCCESS || response == NULL) {
    wipe(response);
    pam_syslog(pamh, LOG_ERR, "user %s: the application's conversation gave no answer", user);
    return rc == PAM_AUTHINFO_UNAVAIL ? rc : PAM_CONV_ERR;
  }
  code = response;
  if (options->forward_pass) {
    size_t offset = 0;
    rc = mfa_split_response(db, user, response, &offset);
    if (rc != MFA_OK && rc != MFA_REJECTED) {
      pam_syslog(pamh, LOG_ERR, "%s", mfa_last_error(db));
      wipe(response);
      return rc == MFA_STORAGE ? PAM_AUTHINFO_UNAVAIL : PAM_AUTH_ERR;
    }
    if (rc == MFA_REJECTED) {
      /* Only a password: it goes on, and the code is asked for alone. */
      rc = pam_set_item(pamh, PAM_AUTHTOK, response);
      wipe(response);
      response = NULL;
      if (rc == PAM_SUCCESS) {
        rc = prompt(pamh, rights, &response, k_code_prompt);
        rc = rc == PAM_SUCCESS && response == NULL ? PAM_CONV_ERR : rc;
      }
      if (rc != PAM_SUCCESS) {
        wipe(response);
        return rc == PAM_AUTHINFO_UNAVAIL || rc == PAM_BUF_ERR ? rc : PAM_CONV_ERR;
      }
      code = response;
    } else {
      const char saved = response[offset];
      response[offset] = '\0';
      rc = pam_set_item(pamh, PAM_AUTHTOK, response);
      response[offset] = saved;
      if (rc != PAM_SUCCESS) {
        wipe(response);
        return rc;
      }
      code = response + offset;
    }
  }
  rc = mfa_verify(db, user, code, actor);
  wipe(response);
  switch (rc) {
  case MFA_OK:
    if (options->debug) {
      pam_syslog(pamh, LOG_DEBUG, "user %s: code accepted", user);
    }
    return PAM_SUCCESS;
  case MFA_LOCKED:
    pam_syslog(pamh, LOG_NOTICE, "%s", mfa_last_error(db));
    tell_locked(pamh, flags, db, user);
    return PAM_MAXTRIES;
  case MFA_NO_SUCH_USER:
    pam_syslog(pamh, LOG_NOTICE, "%s", mfa_last_error(db));
    return options->unknown_ignore ? PAM_IGNORE : PAM_USER_UNKNOWN;
  case MFA_STORAGE:
    pam_syslog(pamh, LOG_ERR, "%s", mfa_last_error(db));
    return PAM_AUTHINFO_UNAVAIL;
  default: /* rejected, an empty code, or the user's state changed meanwhile */
    pam_syslog(pamh, LOG_NOTICE, "user %s: %s", user, mfa_last_error(db));
    return PAM_AUTH_ERR;
  }
}

/* What the user's decision asks of this login. */
static int authenticate(pam_handle_t *pamh, int flags, const struct options *options, struct rights *rights,
                        mfa_db *db, const char *user, const char *actor)
{
  int decision = -1;
  const int rc = mfa_decide(db, user, &decision);
  if (rc == MFA_NO_SUCH_USER) {
    if (options->debug || !options->unknown_ignore) {
      pam_syslog(pamh, options->unknown_ignore ? LOG_DEBUG : LOG_NOTICE, "%s", mfa_last_error(db));
    }
    return options->unknown_ignore ? PAM_IGNORE : PAM_USER_UNKNOWN;
  }
  if (rc != MFA_OK) {
    pam_syslog(pamh, LOG_ERR, "%s", mfa_last_error(db));
    return rc == MFA_STORAGE ? PAM_AUTHINFO_UNAVAIL : PAM_USER_UNKNOWN;
  }
  if (options->debug) {
    static const char *const names[] = {"none", "enroll-required", "enroll-optional", "verify", "locked"};
    pam_syslog(pamh, LOG_DEBUG, "user %s: decision %s", user,
               decision >= 0 && decision <= MFA_DECISION_LOCKED ? names[decision] : "unknown");
  }
  switch (decision) {
  case MFA_DECISION_NONE:
  case MFA_DECISION_ENROLL_OPTIONAL:
    return PAM_IGNORE;
  case MFA_DECISION_ENROLL_REQUIRED:
    pam_syslog(pamh, LOG_NOTICE, "user %s must enroll first: refused", user);
    tell(pamh, flags, "This account needs a second factor and has none yet: ask an administrator to enroll it.");
    return PAM_AUTH_ERR;
  case MFA_DECISION_LOCKED:
    pam_syslog(pamh, LOG_NOTICE, "user %s is locked out: refused", user);
    tell_locked(pamh, flags, db, user);
    return PAM_MAXTRIES;
  case MFA_DECISION_VERIFY:
    return ask_and_verify(pamh, flags, options, rights, db, user, actor);
  default:
    pam_syslog(pamh, LOG_ERR, "user %s: unknown decision %d: refused", user, decision);
    return PAM_AUTHINFO_UNAVAIL;
  }
}

/* Opened with a group's rights as "nobody", SQLite made its -wal and -shm
 * files nobody's: they go back to the database file's owner, so that no
 * process of the account nobody can ever change them. Each is opened
 * without following a link and changed only when it is nobody's file. */
static void give_back_companions(const char *db, uid_t as_uid)
{
  struct stat database;
  char path[PATH_SIZE + 16];
  size_t i;
  int fd = open(db, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    return;
  }
  if (fstat(fd, &database) != 0 || !S_ISREG(database.st_mode)) {
    close(fd);
    return;
  }
  close(fd);
  for (i = 0; i < COMPANION_COUNT; ++i) {
    struct stat st;
    snprintf(path, sizeof path, "%s%s", db, k_companions[i]);
    fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
      continue;
    }
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == as_uid && fchown(fd, database.st_uid, (gid_t)-1) != 0) {
      /* left as it is: still the group's, as the database is */
    }
    close(fd);
  }
}

PAM_MFA_EXPORT int pam_sm_authenticate(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
  struct options options;
  struct path_writers writers = {0, 0, 0, 0};
  struct rights rights;
  struct passwd account;
  struct passwd *found = NULL;
  char account_buffer[4096];
  struct caller_environment environment;
  char db_path[PATH_SIZE];
  char key_file[PATH_SIZE];
  char actor[256];
  char why[WHY_SIZE];
  const char *user = NULL;
  const void *service = NULL;
  mfa_db *db = NULL;
  int rc = parse_options(pamh, argc, argv, &options);
  if (rc != PAM_SUCCESS) {
    return rc;
  }
  rc = pam_get_user(pamh, &user, NULL);
  if (rc != PAM_SUCCESS) {
    pam_syslog(pamh, LOG_ERR, "no user name: %s", pam_strerror(pamh, rc));
    return rc;
  }
  if (user == NULL || user[0] == '\0') {
    return PAM_USER_UNKNOWN;
  }
  /* The account's own name: with a name service that ignores case, "ALICE"
   * logs in as alice, and must not pass as a user mfa does not know. */
  if (getpwnam_r(user, &account, account_buffer, sizeof account_buffer, &found) == 0 && found != NULL) {
    user = found->pw_name;
  }
  if (pam_get_item(pamh, PAM_SERVICE, &service) != PAM_SUCCESS || service == NULL) {
    service = "unknown";
  }
  snprintf(actor, sizeof actor, "pam:%s", (const char *)service);

  rc = find_database(pamh, &options, &writers, db_path, key_file);
  if (rc == PAM_SUCCESS) {
    rc = check_paths(pamh, db_path, key_file, &writers);
  }
  if (rc != PAM_SUCCESS) {
    return rc;
  }
  rights.writers = &writers;
  if (fs_identity_switch(&writers, &rights.saved, why, sizeof why) != 0) {
    pam_syslog(pamh, LOG_ERR, "%s", why);
    return PAM_AUTHINFO_UNAVAIL;
  }
  if (options.debug) {
    pam_syslog(pamh, LOG_DEBUG, "database %s, key file %s, file rights of %s", db_path,
               key_file[0] != '\0' ? key_file : "beside it", rights.saved.switched ? "its owners" : "this process");
  }
  if (caller_environment_hide(&environment) != 0) {
    pam_syslog(pamh, LOG_ERR, "cannot set the caller's PG* variables aside: refused");
    rc = PAM_AUTHINFO_UNAVAIL;
  } else {
    rc = mfa_open(db_path, key_file, &db); /* a PostgreSQL connection is made here, and only here */
    caller_environment_restore(&environment);
    if (rc != MFA_OK) {
      pam_syslog(pamh, LOG_ERR, "%s", mfa_last_error(NULL));
      rc = PAM_AUTHINFO_UNAVAIL;
    }
  }
  if (db != NULL) {
    rc = authenticate(pamh, flags, &options, &rights, db, user, actor);
    mfa_close(db);
  }
  {
    const int as_nobody = rights.saved.switched && !writers.has_owner;
    const uid_t as_uid = rights.saved.as_uid;
    fs_identity_restore(&rights.saved);
    if (as_nobody) {
      give_back_companions(db_path, as_uid);
    }
  }
  return rc;
}

PAM_MFA_EXPORT int pam_sm_setcred(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
  (void)pamh;
  (void)flags;
  (void)argc;
  (void)argv;
  return PAM_SUCCESS;
}
