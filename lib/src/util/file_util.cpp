// SPDX-License-Identifier: MIT
#include "util/file_util.hpp"

#include <mfa/error.hpp>

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <vector>

#include <cstring>
#include <filesystem>
#include <system_error>

namespace mfa::detail {

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

bool in_group(gid_t gid)
{
  if (::geteuid() == 0 || ::getegid() == gid) {
    return true;
  }
  const int count = ::getgroups(0, nullptr);
  if (count <= 0) {
    return false;
  }
  std::vector<gid_t> groups(static_cast<std::size_t>(count));
  const int got = ::getgroups(count, groups.data());
  for (int i = 0; i < got; ++i) {
    if (groups[static_cast<std::size_t>(i)] == gid) {
      return true;
    }
  }
  return false;
}

namespace {

bool group_shared_folder(const struct stat& folder, gid_t gid)
{
  return S_ISDIR(folder.st_mode) && (folder.st_mode & S_ISGID) != 0 && folder.st_gid == gid
         && (folder.st_mode & S_IWOTH) == 0;
}

} // namespace

bool shared_through_group(const std::string& path, const struct stat& st)
{
  if (!in_group(st.st_gid)) {
    return false;
  }
  auto folder = std::filesystem::path(path).parent_path();
  struct stat folder_st{};
  return ::stat(folder.empty() ? "." : folder.c_str(), &folder_st) == 0 && group_shared_folder(folder_st, st.st_gid);
}

std::string group_name(gid_t gid)
{
  group entry{};
  group* found = nullptr;
  std::array<char, 4096> buffer{};
  if (::getgrgid_r(gid, &entry, buffer.data(), buffer.size(), &found) == 0 && found && found->gr_name) {
    return found->gr_name;
  }
  return std::to_string(gid);
}

std::string group_text(gid_t gid)
{
  return group_name(gid) + " (gid " + std::to_string(gid) + ")";
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

bool same_file(const std::string& a, const std::string& b)
{
  struct stat sa{};
  struct stat sb{};
  if (::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0) {
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
  }
  std::error_code error;
  const auto absolute_a = std::filesystem::absolute(a, error).lexically_normal();
  const auto absolute_b = std::filesystem::absolute(b, error).lexically_normal();
  return absolute_a == absolute_b;
}

void sync_folders_of(const std::string& file_path)
{
  auto folder = std::filesystem::absolute(file_path).lexically_normal().parent_path();
  bool first = true;
  for (;;) {
    Fd fd(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0 || ::fsync(fd.get()) != 0) {
      if (first) {
        throw StorageError("cannot sync folder " + folder.string() + ": " + errno_text(errno));
      }
    }
    first = false;
    if (!folder.has_relative_path()) {
      return; // the root
    }
    folder = folder.parent_path();
  }
}

void create_parent_folders(const std::string& file_path, SharedGroup group, FolderCheck check)
{
  const auto folder = std::filesystem::path(file_path).parent_path();
  // The missing folders, outermost first, each made 0700, or 2770 of the
  // group (a member must be able to pass through every one of them).
  std::vector<std::filesystem::path> missing;
  for (auto at = folder; !at.empty(); at = at.parent_path()) {
    struct stat st{};
    if (::stat(at.c_str(), &st) == 0) {
      if (group && at == folder && check == FolderCheck::shared && !group_shared_folder(st, *group)) {
        throw StorageError("folder " + folder.string() + " already exists and is not shared with group "
                           + group_text(*group) + " (it must be setgid, of that group, not writable by others); "
                           + "run: chgrp " + group_name(*group) + " " + folder.string() + " && chmod 2770 "
                           + folder.string() + ", or give a path in a new folder");
      }
      break;
    }
    missing.push_back(at);
    if (at == at.parent_path()) {
      break;
    }
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    const auto& at = *it;
    if (::mkdir(at.c_str(), 0700) != 0) {
      if (errno != EEXIST) {
        throw StorageError("cannot create folder " + at.string() + ": " + errno_text(errno));
      }
      if (!group) {
        continue; // another process made it meanwhile: its mode is its maker's
      }
    } else if (!group) {
      if (::chmod(at.c_str(), 0700) != 0) {
        throw StorageError("cannot make folder " + at.string() + " private: " + errno_text(errno));
      }
      continue;
    }
    if (::chown(at.c_str(), static_cast<uid_t>(-1), *group) != 0 || ::chmod(at.c_str(), 02770) != 0) {
      throw StorageError("cannot give folder " + at.string() + " to group " + group_text(*group) + ": "
                         + errno_text(errno));
    }
  }
}

void share_new_file(int fd, const std::string& path, SharedGroup group, mode_t group_mode)
{
  if (!group) {
    if (::fchmod(fd, 0600) != 0) {
      throw StorageError("cannot make " + path + " private: " + errno_text(errno));
    }
    return;
  }
  if (::fchown(fd, static_cast<uid_t>(-1), *group) != 0 || ::fchmod(fd, group_mode) != 0) {
    throw StorageError("cannot give " + path + " to group " + group_text(*group) + ": " + errno_text(errno));
  }
}

std::string errno_text(int error)
{
  return std::strerror(error);
}

} // namespace mfa::detail
