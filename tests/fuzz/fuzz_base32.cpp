// SPDX-License-Identifier: MIT
// base32_decode on any text: it never crashes, and what it accepts is
// canonical: encoding the bytes gives the text back without its spaces and
// padding, in upper case. And any bytes round-trip through encode, decode.
#include "check.hpp"

#include <mfa/base32.hpp>

#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  const auto text = fuzz::text(data, size);
  const auto decoded = mfa::base32_decode(text);
  if (decoded) {
    std::string canonical;
    for (char c : text) {
      if (c != ' ' && c != '=') {
        canonical += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
      }
    }
    FUZZ_CHECK(mfa::base32_encode(*decoded) == canonical);
  } else {
    FUZZ_CHECK(!decoded.error().empty());
  }

  const std::vector<std::uint8_t> bytes(data, data + size);
  const auto encoded = mfa::base32_encode(bytes);
  FUZZ_CHECK(encoded.size() == (size * 8 + 4) / 5);
  const auto back = mfa::base32_decode(encoded);
  FUZZ_CHECK(back && *back == bytes);
  return 0;
}
