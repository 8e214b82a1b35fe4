// SPDX-License-Identifier: MIT
#include "file_util.hpp"

#include <mfa/error.hpp>

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cstdio>

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

Fd::~Fd()
{
  if (m_fd >= 0) {
    ::close(m_fd);
  }
}

Fd& Fd::operator=(Fd&& other) noexcept
{
  if (this != &other) {
    if (m_fd >= 0) {
      ::close(m_fd);
    }
    m_fd = std::exchange(other.m_fd, -1);
  }
  return *this;
}

bool trusted_owner(uid_t uid)
{
  return uid == ::geteuid() || uid == 0;
}

std::string user_text(uid_t uid)
{
  std::string text = "uid " + std::to_string(uid);
  passwd entry{};
  passwd* found = nullptr;
  std::array<char, 4096> buffer{};
  if (::getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found) == 0 && found && found->pw_name) {
    text = std::string(found->pw_name) + " (" + text + ")";
  }
  return text;
}

std::string mode_text(mode_t mode)
{
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
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
