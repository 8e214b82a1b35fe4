// SPDX-License-Identifier: MIT
#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <optional>
#include <string>
#include <utility>

namespace mfa::detail {

// An open file descriptor, closed when destroyed.
class Fd
{
public:
  Fd() = default;
  explicit Fd(int fd) : m_fd(fd) {}
  ~Fd();
  Fd(Fd&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
  Fd& operator=(Fd&& other) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return m_fd; }

private:
  int m_fd = -1;
};

// Whether a file with this owner may be trusted: the invoking user's own or
// root's. Any other account could have planted it.
bool trusted_owner(uid_t uid);

// Whether the process is root or a member of group `gid`.
bool in_group(gid_t gid);

// Whether a file at `path`, with status `st`, owned by another account, was
// shared through a group rather than planted: the process is in the file's
// group, and the file's folder is a group-shared one of that group (setgid,
// the same group, not writable by others), as `mfa init --group` makes it.
// Only members of the group could have put a file there.
bool shared_through_group(const std::string& path, const struct stat& st);

// The group a new database, key file and folder are shared with
// (`mfa init --group`), or none for private ones.
using SharedGroup = std::optional<gid_t>;

// "mfa", or "1234" when the group has no name.
std::string group_name(gid_t gid);
// "mfa (gid 1234)"
std::string group_text(gid_t gid);

enum class FolderCheck
{
  any,    // an existing folder is used as it is
  shared, // with a group, an existing folder must be group-shared already
};

// "nobody (uid 65534)", or "uid 1234" when the account has no name.
std::string user_text(uid_t uid);

// "0644"
std::string mode_text(mode_t mode);

// Creates the folder that holds `file_path` (and its parents) with mode 0700
// where they do not exist; with a group, with mode 2770 and of that group
// (and with FolderCheck::shared an existing folder that holds the file must
// be a group-shared one of that group already). Throws StorageError naming
// the folder on failure.
void create_parent_folders(const std::string& file_path, SharedGroup group = std::nullopt,
                           FolderCheck check = FolderCheck::any);

// The library never changes the process umask (a threaded host would race
// with it): it creates a file with open(..., 0600) and then sets its mode
// with fchmod, a folder with mkdir(..., 0700) and then chmod, so that no
// umask, permissive or strict, decides a mode. SQLite gives the -wal and
// -shm files it creates the database file's own mode (robust_open), so
// they follow the file this sets.

// Gives a new file `fd` (named `path`, for messages) its group and mode:
// `group_mode` with a group, else exactly 0600. Throws StorageError.
void share_new_file(int fd, const std::string& path, SharedGroup group, mode_t group_mode);

// Whether two paths name the same file: the same inode when both exist,
// else the same absolute path once "." and ".." are resolved.
bool same_file(const std::string& a, const std::string& b);

// Syncs the folder that holds `file_path`, and each folder above it (any of
// them may have just been made), so that a file just linked into it
// survives a crash. Throws StorageError naming the folder that holds it; a
// folder above that cannot be synced (not readable) is left.
void sync_folders_of(const std::string& file_path);

// The text of errno, for messages.
std::string errno_text(int error);

} // namespace mfa::detail
