/* SPDX-License-Identifier: MIT */
/*
 * Who, besides root, can change what a path leads to: pam_mfa runs as root
 * (sshd, sudo, login) and must never let another account steer root's own
 * opens and writes (pam_oath's CVE-2024-47191 followed a symbolic link
 * planted in a home folder). Before the module opens a file, it walks the
 * file's path as the kernel would, and then opens it with the file-system
 * rights of whoever else could have changed it, never more.
 */
#ifndef PAM_MFA_TRUSTED_PATH_H
#define PAM_MFA_TRUSTED_PATH_H

#include <stddef.h>
#include <sys/types.h>

/* The accounts other than root that can change the paths walked so far:
 * the one that owns a folder, a symbolic link's target or the file (owner),
 * and the group that may write a folder or the file (group). */
struct path_writers {
  int has_owner;
  uid_t owner;
  int has_group;
  gid_t group;
};

/* Whether a missing last component is acceptable (a configuration file
 * that need not exist) or an error. */
enum path_kind { PATH_MUST_EXIST, PATH_MAY_BE_MISSING };

/*
 * Walks `path` (absolute) component by component, following symbolic links
 * as open(2) would, and adds to `writers` every account that can change a
 * folder looked in, or the file. Returns 0, or -1 with a sentence in
 * `why` (of `why_size` bytes): a relative path, a component missing, not a
 * folder, too many links, a folder or file every user may write, one with
 * an access control list (whose writers its mode does not show), or two
 * different accounts (or groups) that could each change it.
 */
int path_writers_add(struct path_writers *writers, const char *path, enum path_kind kind, char *why,
                     size_t why_size);

/* The file-system identity (setfsuid/setfsgid, Linux) the module had before
 * switching, to switch back. */
struct fs_identity {
  int switched;
  uid_t uid;      /* the file-system identity before the switch */
  gid_t gid;
  uid_t as_uid;   /* the one switched to */
  gid_t *groups;  /* the supplementary groups before the switch (dropped during it) */
  int group_count;
};

/*
 * When `writers` names an account or a group, switches this thread's
 * file-system identity to it (an owner with its own primary group, or the
 * user "nobody" with the group) and drops the supplementary groups, so
 * that every file opened until fs_identity_restore is opened with those
 * rights only; with nobody named, changes nothing. Only root switches. An
 * owner and a group that owner is not in are refused: together they would
 * have rights neither has. Returns 0, or -1 with `why` (nothing changed).
 */
int fs_identity_switch(const struct path_writers *writers, struct fs_identity *saved, char *why, size_t why_size);

/* Switches back to the identity fs_identity_switch saved (groups too). */
void fs_identity_restore(struct fs_identity *saved);

#endif
