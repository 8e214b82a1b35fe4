// SPDX-License-Identifier: MIT
#pragma once

#include <sys/types.h>

#include <string>

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

// Creates the folder that holds `file_path` (and its parents) with mode 0700
// where they do not exist. Throws mfa::Error naming the folder on failure.
void create_parent_folders(const std::string& file_path);

// The text of errno, for messages.
std::string errno_text(int error);

} // namespace mfa::detail
