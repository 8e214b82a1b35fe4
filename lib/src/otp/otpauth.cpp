// SPDX-License-Identifier: MIT
#include "util/text.hpp"

#include <mfa/base32.hpp>
#include <mfa/otpauth.hpp>

#include <map>

namespace mfa {

namespace {

constexpr std::string_view k_prefix = "otpauth://totp/";

bool unreserved(unsigned char c)
{
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
         || c == '_' || c == '~';
}

std::optional<std::string> percent_decode(std::string_view text)
{
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) {
      return std::nullopt;
    }
    const int hi = detail::hex_digit(text[i + 1]);
    const int lo = detail::hex_digit(text[i + 2]);
    if (hi < 0 || lo < 0) {
      return std::nullopt;
    }
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

} // namespace

std::string percent_encode(std::string_view text)
{
  static constexpr char k_hex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (unreserved(c)) {
      out += ch;
    } else {
      out += '%';
      out += k_hex[c >> 4];
      out += k_hex[c & 15];
    }
  }
  return out;
}

std::string build_otpauth_uri(const OtpauthUri& uri)
{
  std::string out(k_prefix);
  if (!uri.issuer.empty()) {
    out += percent_encode(uri.issuer) + ":";
  }
  out += percent_encode(uri.account);
  out += "?secret=" + base32_encode(uri.secret);
  if (!uri.issuer.empty()) {
    out += "&issuer=" + percent_encode(uri.issuer);
  }
  // Only what differs from the defaults every authenticator assumes: a
  // shorter URI makes a smaller QR code.
  const TotpParams defaults;
  if (uri.params.algorithm != defaults.algorithm) {
    out += std::string("&algorithm=") + to_string(uri.params.algorithm);
  }
  if (uri.params.digits != defaults.digits) {
    out += "&digits=" + std::to_string(uri.params.digits);
  }
  if (uri.params.period != defaults.period) {
    out += "&period=" + std::to_string(uri.params.period);
  }
  return out;
}

Parsed<OtpauthUri> parse_otpauth_uri(std::string_view text)
{
  using Result = Parsed<OtpauthUri>;
  if (!detail::iequals(text.substr(0, k_prefix.size()), k_prefix)) {
    return Result::failure("not an otpauth://totp/ URI");
  }
  text.remove_prefix(k_prefix.size());
  if (const auto hash = text.find('#'); hash != std::string_view::npos) {
    return Result::failure("an otpauth URI has no fragment ('#' must be percent-encoded)");
  }
  const auto question = text.find('?');
  const std::string_view label = text.substr(0, question);
  const std::string_view query = question == std::string_view::npos ? std::string_view{} : text.substr(question + 1);

  OtpauthUri uri;
  std::optional<std::string> label_issuer;
  const auto colon = label.find(':');
  const auto account = percent_decode(colon == std::string_view::npos ? label : label.substr(colon + 1));
  if (colon != std::string_view::npos) {
    label_issuer = percent_decode(label.substr(0, colon));
    if (!label_issuer) {
      return Result::failure("bad percent-encoding in the issuer of the label");
    }
  }
  if (!account) {
    return Result::failure("bad percent-encoding in the account name of the label");
  }
  if (account->empty()) {
    return Result::failure("the label has no account name");
  }
  uri.account = *account;

  std::map<std::string, std::string> params;
  std::size_t start = 0;
  while (start <= query.size() && !query.empty()) {
    const auto end = std::min(query.find('&', start), query.size());
    const std::string_view pair = query.substr(start, end - start);
    start = end + 1;
    if (pair.empty()) {
      continue;
    }
    const auto eq = pair.find('=');
    const std::string name = detail::ascii_lower(pair.substr(0, eq));
    const auto value = percent_decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1));
    if (!value) {
      return Result::failure("bad percent-encoding in parameter '" + name + "'");
    }
    if (!params.emplace(name, *value).second) {
      return Result::failure("parameter '" + name + "' is given twice");
    }
  }

  const auto secret = params.find("secret");
  if (secret == params.end() || secret->second.empty()) {
    return Result::failure("the URI has no secret");
  }
  auto bytes = base32_decode(secret->second);
  if (!bytes) {
    return Result::failure("bad secret: " + bytes.error());
  }
  if (bytes->size() < 10) {
    return Result::failure("the secret is shorter than 80 bits");
  }
  uri.secret = *bytes;

  if (auto it = params.find("issuer"); it != params.end()) {
    if (label_issuer && *label_issuer != it->second) {
      return Result::failure("the issuer parameter differs from the label's issuer");
    }
    uri.issuer = it->second;
  } else if (label_issuer) {
    uri.issuer = *label_issuer;
  }

  if (auto it = params.find("algorithm"); it != params.end()) {
    const auto algorithm = parse_algorithm(it->second);
    if (!algorithm) {
      return Result::failure("unknown algorithm '" + it->second + "' (SHA1, SHA256 or SHA512)");
    }
    uri.params.algorithm = *algorithm;
  }
  if (auto it = params.find("digits"); it != params.end()) {
    const auto digits = detail::parse_int(it->second);
    if (!digits || (*digits != 6 && *digits != 8)) {
      return Result::failure("digits must be 6 or 8, not '" + it->second + "'");
    }
    uri.params.digits = *digits;
  }
  if (auto it = params.find("period"); it != params.end()) {
    const auto period = detail::parse_int(it->second);
    if (!period || *period < 15 || *period > 300) {
      return Result::failure("period must be 15 to 300 seconds, not '" + it->second + "'");
    }
    uri.params.period = *period;
  }
  return uri;
}

} // namespace mfa
