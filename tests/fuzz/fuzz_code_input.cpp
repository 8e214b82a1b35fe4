// SPDX-License-Identifier: MIT
// The code normaliser (classify_code, which verify and enroll --confirm
// share, over normalize_backup_code) on any text. It never crashes, and
// what its header promises holds:
// - more than k_max_code_bytes bytes is malformed;
// - empty exactly when the text is nothing but spaces and tabs;
// - totp: the text without spaces and tabs, 6 or 8 ASCII digits;
// - backup: normalize_backup_code of the text without spaces and tabs;
// - malformed or empty carry no text;
// - spaces and tabs anywhere change nothing, and classifying the result's
//   text again gives the same result (idempotence).
// normalize_backup_code: 10 characters of the alphabet, idempotent, and its
// display form "xxxxx-xxxxx", in upper case too, normalises to the same.
#include "check.hpp"

#include "otp/code_input.hpp"

#include "crypto/backup_code.hpp"

#include <algorithm>
#include <string>

namespace {

using mfa::detail::CodeKind;
using mfa::detail::classify_code;

constexpr std::string_view k_alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

bool same(const mfa::detail::TypedCode& a, const mfa::detail::TypedCode& b)
{
  return a.kind == b.kind && a.text == b.text;
}

void check_backup_normaliser(std::string_view text)
{
  const auto code = mfa::normalize_backup_code(text);
  if (!code) {
    return;
  }
  FUZZ_CHECK(code->size() == mfa::k_backup_code_length);
  for (char c : *code) {
    FUZZ_CHECK(k_alphabet.find(c) != std::string_view::npos);
  }
  FUZZ_CHECK(mfa::normalize_backup_code(*code) == code);
  std::string shown = code->substr(0, 5) + "-" + code->substr(5);
  FUZZ_CHECK(mfa::normalize_backup_code(shown) == code);
  std::transform(shown.begin(), shown.end(), shown.begin(),
                 [](char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; });
  FUZZ_CHECK(mfa::normalize_backup_code(shown) == code);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  const auto typed = fuzz::text(data, size);
  check_backup_normaliser(typed);

  const auto result = classify_code(typed);
  if (size > mfa::detail::k_max_code_bytes) {
    FUZZ_CHECK(result.kind == CodeKind::malformed && result.text.empty());
    return 0;
  }
  std::string compact;
  std::copy_if(typed.begin(), typed.end(), std::back_inserter(compact), [](char c) { return c != ' ' && c != '\t'; });
  FUZZ_CHECK((result.kind == CodeKind::empty) == compact.empty());
  const bool digits = std::all_of(compact.begin(), compact.end(), [](char c) { return c >= '0' && c <= '9'; });
  switch (result.kind) {
  case CodeKind::totp:
    FUZZ_CHECK(digits && (compact.size() == 6 || compact.size() == 8) && result.text == compact);
    break;
  case CodeKind::backup:
    FUZZ_CHECK(!(digits && (compact.size() == 6 || compact.size() == 8)));
    FUZZ_CHECK(mfa::normalize_backup_code(compact) == result.text);
    break;
  case CodeKind::empty:
  case CodeKind::malformed:
    FUZZ_CHECK(result.text.empty());
    FUZZ_CHECK(result.kind == CodeKind::empty || !mfa::normalize_backup_code(compact));
    break;
  }
  if (result.kind == CodeKind::totp || result.kind == CodeKind::backup) {
    FUZZ_CHECK(same(classify_code(result.text), result));
  }
  // A space or a tab put in anywhere (while the text stays short enough).
  if (size < mfa::detail::k_max_code_bytes) {
    const std::size_t at = size == 0 ? 0 : data[0] % (size + 1);
    std::string spaced(typed);
    spaced.insert(at, 1, size % 2 == 0 ? ' ' : '\t');
    FUZZ_CHECK(same(classify_code(spaced), result));
  }
  return 0;
}
