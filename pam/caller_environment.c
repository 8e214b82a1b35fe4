/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "caller_environment.h"

#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

extern char **environ;

static int taken(const char *entry)
{
  return strncmp(entry, "PG", 2) == 0 || strncmp(entry, "HOME=", 5) == 0;
}

static void wipe_copies(struct caller_environment *saved)
{
  int i;
  for (i = 0; i < saved->count; ++i) {
    explicit_bzero(saved->entries[i], strlen(saved->entries[i])); /* PGPASSWORD is one */
    free(saved->entries[i]);
  }
  saved->count = 0;
}

int caller_environment_hide(struct caller_environment *saved)
{
  struct passwd entry;
  struct passwd *found = NULL;
  char buffer[4096];
  char **variable;
  int i;

  saved->hidden = 0;
  saved->count = 0;
  if (getauxval(AT_SECURE) == 0) {
    return 0;
  }
  for (variable = environ; variable != NULL && *variable != NULL; ++variable) {
    if (!taken(*variable)) {
      continue;
    }
    if (strcspn(*variable, "=") >= CALLER_ENVIRONMENT_NAME_MAX || saved->count == CALLER_ENVIRONMENT_MAX || (saved->entries[saved->count] = strdup(*variable)) == NULL) {
      wipe_copies(saved);
      return -1;
    }
    ++saved->count;
  }
  for (i = 0; i < saved->count; ++i) {
    const size_t length = strcspn(saved->entries[i], "=");
    char name[CALLER_ENVIRONMENT_NAME_MAX];
    memcpy(name, saved->entries[i], length);
    name[length] = '\0';
    unsetenv(name);
  }
  if (getpwuid_r(geteuid(), &entry, buffer, sizeof buffer, &found) == 0 && found != NULL) {
    setenv("HOME", found->pw_dir, 1);
  }
  saved->hidden = 1;
  return 0;
}

void caller_environment_restore(struct caller_environment *saved)
{
  int i;
  if (!saved->hidden) {
    return;
  }
  unsetenv("HOME");
  for (i = 0; i < saved->count; ++i) {
    char *equals = strchr(saved->entries[i], '=');
    if (equals != NULL) {
      *equals = '\0';
      setenv(saved->entries[i], equals + 1, 1);
      *equals = '=';
    }
  }
  wipe_copies(saved);
  saved->hidden = 0;
}
