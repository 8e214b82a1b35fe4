// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mfa::app {

// The files a command writes that hold a secret (enrollment QR codes in
// SVG). Each is written beside its place under a temporary name before the
// database commits the secret, and moved into place by keep(), once it has;
// otherwise removed, so that a failed command leaves no file for a secret
// that was never stored, and every file that was there before is untouched.
class SecretFiles
{
public:
  SecretFiles() = default;
  ~SecretFiles();
  SecretFiles(const SecretFiles&) = delete;
  SecretFiles& operator=(const SecretFiles&) = delete;

  // Writes the file under its temporary name (mode 0600). A file that cannot
  // be written, or a path that holds something other than a regular file,
  // is a usage Failure (exit 2) naming it.
  void write(const std::string& path, std::string_view content);
  // Moves every file written into its place (a rename in the same folder).
  void keep();

private:
  struct Staged
  {
    std::string path;
    std::string temp;
  };
  std::vector<Staged> m_staged;
};

// Flushes stdout; output that could not be written (a closed pipe, a full
// disk) is a usage Failure, so that a secret nobody saw is not committed.
void flush_stdout();

} // namespace mfa::app
