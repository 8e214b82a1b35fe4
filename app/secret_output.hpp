// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mfa::app {

// The files a command writes that hold a secret (enrollment QR codes in
// SVG). Written before the database commits the secret; removed again
// unless keep() is called, so that a failed command leaves no file behind
// for a secret that was never stored.
class SecretFiles
{
public:
  SecretFiles() = default;
  ~SecretFiles();
  SecretFiles(const SecretFiles&) = delete;
  SecretFiles& operator=(const SecretFiles&) = delete;

  // Writes the file (mode 0600, atomically). A file that cannot be written
  // is a usage Failure (exit 2) naming it.
  void write(const std::string& path, std::string_view content);
  void keep() { m_written.clear(); }

private:
  std::vector<std::string> m_written;
};

// Flushes stdout; output that could not be written (a closed pipe, a full
// disk) is a usage Failure, so that a secret nobody saw is not committed.
void flush_stdout();

} // namespace mfa::app
