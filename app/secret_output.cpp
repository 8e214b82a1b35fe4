// SPDX-License-Identifier: MIT
#include "secret_output.hpp"

#include "failure.hpp"

#include <mfa/error.hpp>
#include <mfa/qr.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace mfa::app {

SecretFiles::~SecretFiles()
{
  for (const auto& file : m_staged) {
    ::unlink(file.temp.c_str());
  }
}

void SecretFiles::write(const std::string& path, std::string_view content)
{
  struct stat st{};
  if (::lstat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    throw Failure(ExitStatus::usage, "cannot write " + path + ": it is not a regular file; nothing was enrolled");
  }
  const std::string temp = path + ".mfa-new." + std::to_string(::getpid());
  try {
    write_private_file(temp, content);
  } catch (const mfa::Error& e) {
    std::string message = e.what(); // names the temporary file: name the file asked for
    if (const auto at = message.find(temp); at != std::string::npos) {
      message.replace(at, temp.size(), path);
    }
    throw Failure(ExitStatus::usage, message + "; nothing was enrolled");
  }
  m_staged.push_back({path, temp});
}

void SecretFiles::keep()
{
  auto staged = std::move(m_staged);
  m_staged.clear();
  std::string failed;
  for (const auto& file : staged) {
    if (::rename(file.temp.c_str(), file.path.c_str()) != 0) {
      failed += (failed.empty() ? "" : ", ") + file.path + " (" + std::strerror(errno) + "; its QR code is in "
                + file.temp + ")";
    }
  }
  if (!failed.empty()) {
    throw Failure(ExitStatus::usage, "enrolled, but cannot put in place: " + failed);
  }
}

void flush_stdout()
{
  errno = 0;
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
    const int error = errno;
    throw Failure(ExitStatus::usage, std::string("cannot write to standard output")
                                       + (error ? std::string(": ") + std::strerror(error) : std::string())
                                       + "; nothing was enrolled");
  }
}

} // namespace mfa::app
