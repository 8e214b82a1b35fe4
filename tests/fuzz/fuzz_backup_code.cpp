// SPDX-License-Identifier: MIT
// The backup-code normaliser on any text: it never crashes; what it returns
// is 10 characters of the alphabet, and normalising that again changes
// nothing; the display form "xxxxx-xxxxx" and upper case normalise to it too.
#include "check.hpp"

#include <mfa/backup_code.hpp>

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  const auto code = mfa::normalize_backup_code(fuzz::text(data, size));
  if (!code) {
    return 0;
  }
  FUZZ_CHECK(code->size() == mfa::k_backup_code_length);
  for (char c : *code) {
    FUZZ_CHECK(std::string_view("0123456789abcdefghjkmnpqrstvwxyz").find(c) != std::string_view::npos);
  }
  FUZZ_CHECK(mfa::normalize_backup_code(*code) == code);
  std::string shown = code->substr(0, 5) + "-" + code->substr(5);
  FUZZ_CHECK(mfa::normalize_backup_code(shown) == code);
  for (auto& c : shown) {
    c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  FUZZ_CHECK(mfa::normalize_backup_code(shown) == code);
  return 0;
}
