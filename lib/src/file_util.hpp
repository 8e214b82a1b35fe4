// SPDX-License-Identifier: MIT
#pragma once

#include <sys/types.h>

#include <string>
#include <utility>

namespace mfa::detail {

// Sets a restrictive umask for its lifetime, so that every file and folder
// created meanwhile (the database, its -wal and -shm, the key) is private.
class UmaskGuard
{
public:
  UmaskGuard();
  ~UmaskGuard();
  UmaskGuard(const UmaskGuard&) = delete;
  UmaskGuard& operator=(const UmaskGuard&) = delete;

private:
  mode_t m_previous;
};

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

// "nobody (uid 65534)", or "uid 1234" when the account has no name.
std::string user_text(uid_t uid);

// "0644"
std::string mode_text(mode_t mode);

// Creates the folder that holds `file_path` (and its parents) with mode 0700
// where they do not exist. Throws mfa::Error naming the folder on failure.
void create_parent_folders(const std::string& file_path);

// The text of errno, for messages.
std::string errno_text(int error);

} // namespace mfa::detail
