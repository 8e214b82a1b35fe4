// SPDX-License-Identifier: MIT
#include "storage/keyfile.hpp"

#include "util/file_util.hpp"
#include "util/text.hpp"
#include "crypto/secret.hpp"

#include <mfa/error.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <string_view>

namespace mfa::detail {

namespace {

constexpr std::string_view k_hex = "0123456789abcdef";

std::string read_all(int fd)
{
  std::string text;
  text.reserve(4096 + 256); // one allocation: no copy of the key left in freed memory
  std::array<std::uint8_t, 256> buffer{};
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      break;
    }
    text.append(reinterpret_cast<const char*>(buffer.data()), static_cast<std::size_t>(n));
    if (text.size() > 4096) {
      break;
    }
  }
  cleanse(buffer);
  return text;
}

std::optional<LoadedKey> read_key(const std::string& path, gid_t database_group)
{
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
  if (fd.get() < 0) {
    if (errno == ENOENT) {
      return std::nullopt;
    }
    if (errno == ELOOP) {
      throw KeyError("key file " + path + " is a symbolic link; mfa reads only a regular file: give its real path");
    }
    throw KeyError("cannot read key file " + path + ": " + errno_text(errno));
  }
  struct stat st{};
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
    throw KeyError("key file " + path + " is not a regular file");
  }
  if (!trusted_owner(st.st_uid) && !shared_through_group(path, st)) {
    throw KeyError("key file " + path + " belongs to " + user_text(st.st_uid)
                   + ", not to you or root, and not through a group-shared folder; another account may have "
                     "planted it: refusing it");
  }
  if ((st.st_mode & 007) != 0) {
    throw KeyError("key file " + path + " is open to others (mode " + mode_text(st.st_mode) + "); run: chmod 600 "
                   + path);
  }
  if ((st.st_mode & 020) != 0) {
    throw KeyError("key file " + path + " is writable by group " + group_text(st.st_gid) + " (mode "
                   + mode_text(st.st_mode) + "); a key is never group-writable: run: chmod g-w " + path);
  }
  if ((st.st_mode & 070) != 0 && st.st_gid != database_group) {
    throw KeyError("key file " + path + " is readable by group " + group_text(st.st_gid) + " (mode "
                   + mode_text(st.st_mode) + "); only a key of the database's own group, "
                   + group_name(database_group) + ", may be group-readable: run: chgrp " + group_name(database_group)
                   + " " + path + " (a shared database), or chmod 600 " + path);
  }
  std::string text = read_all(fd.get());
  if (!text.empty() && text.back() == '\n') {
    text.pop_back();
  }
  LoadedKey loaded;
  bool valid = text.size() == 2 * k_key_size;
  for (std::size_t i = 0; valid && i < k_key_size; ++i) {
    const int hi = hex_digit(text[2 * i]);
    const int lo = hex_digit(text[2 * i + 1]);
    valid = hi >= 0 && lo >= 0;
    loaded.key.bytes()[i] = static_cast<std::uint8_t>(valid ? hi * 16 + lo : 0);
  }
  cleanse({reinterpret_cast<std::uint8_t*>(text.data()), text.size()});
  if (!valid) {
    throw KeyError("key file " + path + " is not an mfa key (expected 64 hexadecimal digits)");
  }
  return loaded;
}

LoadedKey create_key(const std::string& path, const RandomSource& random, gid_t database_group, SharedGroup group)
{
  create_parent_folders(path, group);
  LoadedKey made;
  random(made.key.bytes());
  std::string text;
  text.reserve(2 * k_key_size + 1); // one allocation: no copy of the key left in freed memory
  for (auto byte : made.key.bytes()) {
    text += k_hex[byte >> 4];
    text += k_hex[byte & 15];
  }
  text += '\n';

  // Write a temporary file, then link it into place: link() never replaces
  // an existing file, so two processes racing agree on one key.
  const std::string temp = path + ".tmp." + std::to_string(::getpid());
  {
    Fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (fd.get() < 0) {
      throw KeyError("cannot create key file " + path + ": " + errno_text(errno));
    }
    try {
      share_new_file(fd.get(), path, group, 0640);
    } catch (const Error& e) {
      ::unlink(temp.c_str());
      throw KeyError(e.what());
    }
    const bool written = ::write(fd.get(), text.data(), text.size()) == static_cast<ssize_t>(text.size())
                         && ::fsync(fd.get()) == 0;
    cleanse({reinterpret_cast<std::uint8_t*>(text.data()), text.size()});
    if (!written) {
      const int error = errno;
      ::unlink(temp.c_str());
      throw KeyError("cannot write key file " + path + ": " + errno_text(error));
    }
  }
  const int linked = ::link(temp.c_str(), path.c_str());
  const int error = errno;
  ::unlink(temp.c_str());
  if (linked == 0) {
    made.created = true;
    return made;
  }
  if (error == EEXIST) {
    if (auto other = read_key(path, database_group)) {
      return *other;
    }
  }
  throw KeyError("cannot create key file " + path + ": " + errno_text(error));
}

} // namespace

Key::~Key()
{
  cleanse(m_bytes);
}

LoadedKey load_key(const std::string& path, KeyCreation creation, const RandomSource& random, gid_t database_group,
                   SharedGroup group)
{
  if (auto loaded = read_key(path, database_group)) {
    return *loaded;
  }
  if (creation == KeyCreation::forbidden) {
    throw KeyError("key file " + path
                   + " is missing; the database was sealed with a key: give its key file with --key-file or "
                     "MFA_KEY_FILE");
  }
  return create_key(path, random, database_group, group);
}

Bytes key_check(const Key& key)
{
  return hmac(Algorithm::sha256, key.bytes(), as_bytes("mfa key check v1"));
}

DataKey make_data_key(std::uint32_t id, const RandomSource& random)
{
  DataKey made;
  random(made.key.bytes());
  made.id = id;
  return made;
}

Bytes wrap_data_key(const Key& key_file_key, const DataKey& data_key, const RandomSource& random)
{
  return mfa::wrap_data_key(std::span<const std::uint8_t>(key_file_key.bytes()), data_key.id,
                       std::span<const std::uint8_t>(data_key.key.bytes()), random);
}

DataKey open_data_key(const Key& key_file_key, const Bytes& wrapped, const std::string& key_file,
                      const std::string& database)
{
  try {
    const auto opened = mfa::unwrap_data_key(key_file_key.bytes(), wrapped);
    DataKey key;
    std::copy(opened.key.bytes().begin(), opened.key.bytes().end(), key.key.bytes().begin());
    key.id = opened.id;
    return key;
  } catch (const KeyError&) {
    throw KeyError("key file " + key_file + " does not belong to database " + database);
  }
}

std::vector<SealedRow> reseal_under_data_key(const std::vector<SealedRow>& rows, const Key& key_file_key,
                                             const DataKey& data_key, const RandomSource& random)
{
  std::vector<SealedRow> resealed;
  resealed.reserve(rows.size());
  for (const auto& row : rows) {
    try {
      const auto secret = open_secret_v1(key_file_key.bytes(), row.user_id, row.sealed);
      resealed.push_back({row.user_id, seal_secret(data_key.key.bytes(), data_key.id, row.user_id, secret.bytes(), random)});
    } catch (const KeyError&) {
      resealed.push_back(row);
    }
  }
  return resealed;
}

LoadedKey load_or_create_key(const std::string& path, const std::string& like, const RandomSource& random)
{
  struct stat st{};
  SharedGroup group;
  gid_t readable_group = static_cast<gid_t>(-1);
  if (::stat(like.c_str(), &st) == 0 && (st.st_mode & 040) != 0) {
    group = st.st_gid;
    readable_group = st.st_gid;
  }
  auto loaded = load_key(path, KeyCreation::allowed, random, readable_group, group);
  // Made now or earlier (by hand, say: it may still be in the page cache
  // only), the file and the folders that lead to it go to disk first.
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (fd.get() < 0 || ::fsync(fd.get()) != 0) {
    throw KeyError("cannot sync key file " + path + ": " + errno_text(errno));
  }
  sync_folders_of(path);
  return loaded;
}

} // namespace mfa::detail
