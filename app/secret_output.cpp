// SPDX-License-Identifier: MIT
#include "secret_output.hpp"

#include "failure.hpp"

#include <mfa/error.hpp>
#include <mfa/qr.hpp>

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace mfa::app {

SecretFiles::~SecretFiles()
{
  for (const auto& path : m_written) {
    ::unlink(path.c_str());
  }
}

void SecretFiles::write(const std::string& path, std::string_view content)
{
  try {
    write_private_file(path, content);
  } catch (const mfa::Error& e) {
    throw Failure(ExitStatus::usage, std::string(e.what()) + "; nothing was enrolled");
  }
  m_written.push_back(path);
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
