// SPDX-License-Identifier: MIT
// The options parser on any text: option names and values never crash it;
// a name it finds is that option's name in some case; and a value it
// accepts, shown (format_option_value) and parsed again, is the same value.
#include "check.hpp"

#include <mfa/options.hpp>

#include <string>

namespace {

bool same_ignoring_case(std::string_view a, std::string_view b)
{
  auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) {
      return false;
    }
  }
  return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  const auto text = fuzz::text(data, size);
  if (const auto key = mfa::find_option(text)) {
    FUZZ_CHECK(same_ignoring_case(mfa::option_info(*key).name, text));
  }
  // "NAME=VALUE" tries VALUE for that option; otherwise the text is tried
  // as a value of every option.
  const auto equals = text.find('=');
  const auto named = equals == std::string_view::npos ? std::nullopt : mfa::find_option(text.substr(0, equals));
  for (const auto& info : mfa::option_infos()) {
    if (named && *named != info.key) {
      continue;
    }
    const auto value_text = named ? text.substr(equals + 1) : text;
    const auto value = mfa::parse_option_value(info.key, value_text);
    if (!value) {
      continue;
    }
    const auto shown = mfa::format_option_value(*value);
    const auto again = mfa::parse_option_value(info.key, shown);
    FUZZ_CHECK(again && *again == *value);
    FUZZ_CHECK(mfa::format_option_value(*again) == shown);
  }
  return 0;
}
