// SPDX-License-Identifier: MIT
#include "keyfile.hpp"

#include "file_util.hpp"
#include "text.hpp"

#include <mfa/error.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <string_view>

namespace mfa::detail {

namespace {

constexpr std::string_view k_hex = "0123456789abcdef";

class Fd
{
public:
  explicit Fd(int fd) : m_fd(fd) {}
  ~Fd()
  {
    if (m_fd >= 0) {
      ::close(m_fd);
    }
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return m_fd; }

private:
  int m_fd;
};

std::string read_all(int fd)
{
  std::string text;
  char buffer[256];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      break;
    }
    text.append(buffer, static_cast<std::size_t>(n));
    if (text.size() > 4096) {
      break;
    }
  }
  return text;
}

std::optional<LoadedKey> read_key(const std::string& path)
{
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (fd.get() < 0) {
    if (errno == ENOENT) {
      return std::nullopt;
    }
    throw KeyError("cannot read key file " + path + ": " + errno_text(errno));
  }
  struct stat st{};
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
    throw KeyError("key file " + path + " is not a regular file");
  }
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    throw KeyError("key file " + path + " is readable by group or others (mode " + mode
                   + "); run: chmod 600 " + path);
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

LoadedKey create_key(const std::string& path, const RandomSource& random)
{
  create_parent_folders(path);
  LoadedKey made;
  random(made.key.bytes());
  std::string text;
  for (auto byte : made.key.bytes()) {
    text += k_hex[byte >> 4];
    text += k_hex[byte & 15];
  }
  text += '\n';

  // Write a temporary file, then link it into place: link() never replaces
  // an existing file, so two processes racing agree on one key.
  const std::string temp = path + ".tmp." + std::to_string(::getpid());
  {
    UmaskGuard guard;
    Fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (fd.get() < 0) {
      throw KeyError("cannot create key file " + path + ": " + errno_text(errno));
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
    if (auto other = read_key(path)) {
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

LoadedKey load_key(const std::string& path, KeyCreation creation, const RandomSource& random)
{
  if (auto loaded = read_key(path)) {
    return *loaded;
  }
  if (creation == KeyCreation::forbidden) {
    throw KeyError("key file " + path
                   + " is missing; the database was sealed with a key: give its key file with --key-file or "
                     "MFA_KEY_FILE");
  }
  return create_key(path, random);
}

Bytes key_check(const Key& key)
{
  return hmac(Algorithm::sha256, key.bytes(), as_bytes("mfa key check v1"));
}

} // namespace mfa::detail
