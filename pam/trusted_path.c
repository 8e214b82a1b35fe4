/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "trusted_path.h"

#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

enum { MAX_LINKS = 40, NOBODY = 65534 };

static int fail(char *why, size_t why_size, const char *format, ...) __attribute__((format(printf, 3, 4)));

static int fail(char *why, size_t why_size, const char *format, ...)
{
  va_list args;
  va_start(args, format);
  vsnprintf(why, why_size, format, args);
  va_end(args);
  return -1;
}

/* Whether `path` has a POSIX access control list (for a folder, also the
 * default one its new files get). */
static int has_acl(const char *path, const struct stat *st)
{
  return lgetxattr(path, "system.posix_acl_access", NULL, 0) > 0
         || (S_ISDIR(st->st_mode) && lgetxattr(path, "system.posix_acl_default", NULL, 0) > 0);
}

/* Adds whoever besides root may change `st` (found at `path`). */
static int note(struct path_writers *writers, const char *path, const struct stat *st, char *why, size_t why_size)
{
  if (has_acl(path, st)) {
    return fail(why, why_size, "%s has an access control list: who may write it is not in its mode", path);
  }
  if (st->st_mode & S_IWOTH) {
    return fail(why, why_size, "%s may be written by every user", path);
  }
  if (st->st_uid != 0) {
    if (writers->has_owner && writers->owner != st->st_uid) {
      return fail(why, why_size, "%s belongs to user %lu, and another part of the path to user %lu", path,
                  (unsigned long)st->st_uid, (unsigned long)writers->owner);
    }
    writers->has_owner = 1;
    writers->owner = st->st_uid;
  }
  if ((st->st_mode & S_IWGRP) && st->st_gid != 0) {
    if (writers->has_group && writers->group != st->st_gid) {
      return fail(why, why_size, "%s may be written by group %lu, and another part of the path by group %lu", path,
                  (unsigned long)st->st_gid, (unsigned long)writers->group);
    }
    writers->has_group = 1;
    writers->group = st->st_gid;
  }
  return 0;
}

/* Whether only slashes are left of `rest`. */
static int at_end(const char *rest)
{
  while (*rest == '/') {
    ++rest;
  }
  return *rest == '\0';
}

int path_writers_add(struct path_writers *writers, const char *path, enum path_kind kind, char *why,
                     size_t why_size)
{
  char done[PATH_MAX] = "";  /* the folder reached, free of links ("" is the root) */
  char todo[2 * PATH_MAX];   /* what is left to walk */
  const char *rest = todo;
  struct stat st;
  int links = 0;

  if (path == NULL || path[0] != '/') {
    return fail(why, why_size, "%s is not an absolute path", path != NULL ? path : "(none)");
  }
  if (strlen(path) >= sizeof todo) {
    return fail(why, why_size, "the path %.64s... is too long", path);
  }
  strcpy(todo, path);
  if (lstat("/", &st) != 0 || note(writers, "/", &st, why, why_size) != 0) {
    return fail(why, why_size, "cannot trust the root folder");
  }
  for (;;) {
    char candidate[PATH_MAX];
    size_t length;
    int last;
    while (*rest == '/') {
      ++rest;
    }
    if (*rest == '\0') {
      return 0;
    }
    length = strcspn(rest, "/");
    if (length == 1 && rest[0] == '.') {
      rest += length;
      continue;
    }
    if (length == 2 && rest[0] == '.' && rest[1] == '.') {
      char *slash = strrchr(done, '/');
      if (slash != NULL) {
        *slash = '\0';
      }
      rest += length;
      continue;
    }
    if ((size_t)snprintf(candidate, sizeof candidate, "%s/%.*s", done, (int)length, rest) >= sizeof candidate) {
      return fail(why, why_size, "the path %.64s... is too long", path);
    }
    rest += length;
    last = at_end(rest);
    if (lstat(candidate, &st) != 0) {
      if (errno == ENOENT && kind == PATH_MAY_BE_MISSING) { /* nor is the file */
        return 0;
      }
      return fail(why, why_size, "cannot look at %s: %s", candidate, strerror(errno));
    }
    if (S_ISLNK(st.st_mode)) {
      /* The link is in `done`, checked already; walk on through its target. */
      char target[PATH_MAX];
      char next[2 * PATH_MAX];
      const ssize_t size = readlink(candidate, target, sizeof target - 1);
      if (++links > MAX_LINKS) {
        return fail(why, why_size, "too many symbolic links in %s", path);
      }
      if (size < 0) {
        return fail(why, why_size, "cannot read the symbolic link %s: %s", candidate, strerror(errno));
      }
      target[size] = '\0';
      if ((size_t)snprintf(next, sizeof next, "%s/%s", target, rest) >= sizeof next) {
        return fail(why, why_size, "the path %.64s... is too long", path);
      }
      strcpy(todo, next);
      rest = todo;
      if (target[0] == '/') {
        done[0] = '\0';
      }
      continue;
    }
    if (note(writers, candidate, &st, why, why_size) != 0) {
      return -1;
    }
    if (!last && !S_ISDIR(st.st_mode)) {
      return fail(why, why_size, "%s is not a folder", candidate);
    }
    strcpy(done, candidate);
  }
}

/* Whether the account `uid` is in group `gid` (its primary group or a
 * supplementary one). */
static int member_of(uid_t uid, gid_t gid)
{
  struct passwd entry;
  struct passwd *found = NULL;
  char buffer[4096];
  gid_t groups[256];
  int count = (int)(sizeof groups / sizeof groups[0]);
  int i;
  if (getpwuid_r(uid, &entry, buffer, sizeof buffer, &found) != 0 || found == NULL) {
    return 0;
  }
  if (found->pw_gid == gid) {
    return 1;
  }
  if (getgrouplist(found->pw_name, found->pw_gid, groups, &count) < 0) {
    return 0;
  }
  for (i = 0; i < count; ++i) {
    if (groups[i] == gid) {
      return 1;
    }
  }
  return 0;
}

int fs_identity_switch(const struct path_writers *writers, struct fs_identity *saved, char *why, size_t why_size)
{
  struct passwd entry;
  struct passwd *found = NULL;
  char buffer[4096];
  uid_t uid = NOBODY;
  gid_t gid = NOBODY;
  int count;

  saved->switched = 0;
  saved->groups = NULL;
  saved->group_count = 0;
  if ((!writers->has_owner && !writers->has_group) || geteuid() != 0) {
    return 0;
  }
  if (writers->has_owner && writers->has_group && !member_of(writers->owner, writers->group)) {
    return fail(why, why_size, "the path may be changed by user %lu and by group %lu, which that user is not in",
                (unsigned long)writers->owner, (unsigned long)writers->group);
  }
  if (writers->has_owner) {
    uid = writers->owner;
    if (getpwuid_r(uid, &entry, buffer, sizeof buffer, &found) == 0 && found != NULL) {
      gid = found->pw_gid;
    }
  } else if (getpwnam_r("nobody", &entry, buffer, sizeof buffer, &found) == 0 && found != NULL) {
    uid = found->pw_uid;
    gid = found->pw_gid;
  }
  if (writers->has_group) {
    gid = writers->group;
  }
  /* The supplementary groups (under sudo, the caller's) would add their
   * rights to every open: set aside for the switch. */
  count = getgroups(0, NULL);
  if (count < 0 || (count > 0 && (saved->groups = calloc((size_t)count, sizeof(gid_t))) == NULL)
      || (count > 0 && getgroups(count, saved->groups) != count) || setgroups(0, NULL) != 0) {
    free(saved->groups);
    saved->groups = NULL;
    return fail(why, why_size, "cannot set this process's supplementary groups aside");
  }
  saved->group_count = count;
  saved->gid = (gid_t)setfsgid(gid);
  saved->uid = (uid_t)setfsuid(uid);
  saved->as_uid = uid;
  saved->switched = 1;
  if ((uid_t)setfsuid((uid_t)-1) != uid || (gid_t)setfsgid((gid_t)-1) != gid) {
    fs_identity_restore(saved);
    return fail(why, why_size, "cannot take the file rights of user %lu and group %lu", (unsigned long)uid,
                (unsigned long)gid);
  }
  return 0;
}

void fs_identity_restore(struct fs_identity *saved)
{
  if (saved->switched) {
    setfsuid(saved->uid);
    setfsgid(saved->gid);
    if (setgroups((size_t)saved->group_count, saved->groups) != 0) {
      /* Cannot happen as root; the process keeps fewer groups, never more. */
    }
    free(saved->groups);
    saved->groups = NULL;
    saved->group_count = 0;
    saved->switched = 0;
  }
}
