// SPDX-License-Identifier: MIT
#include "file_util.hpp"

#include <mfa/error.hpp>

#include <sys/stat.h>

#include <cstring>
#include <filesystem>
#include <system_error>

namespace mfa::detail {

UmaskGuard::UmaskGuard() : m_previous(::umask(077))
{
}

UmaskGuard::~UmaskGuard()
{
  ::umask(m_previous);
}

void create_parent_folders(const std::string& file_path)
{
  const auto folder = std::filesystem::path(file_path).parent_path();
  if (folder.empty()) {
    return;
  }
  UmaskGuard guard;
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec) {
    throw StorageError("cannot create folder " + folder.string() + ": " + ec.message());
  }
}

std::string errno_text(int error)
{
  return std::strerror(error);
}

} // namespace mfa::detail
