// SPDX-License-Identifier: MIT
#include <mfa/base32.hpp>

namespace mfa {

namespace {

constexpr std::string_view k_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

int value_of(char c)
{
  if (c >= 'A' && c <= 'Z') {
    return c - 'A';
  }
  if (c >= 'a' && c <= 'z') {
    return c - 'a';
  }
  if (c >= '2' && c <= '7') {
    return c - '2' + 26;
  }
  return -1;
}

} // namespace

std::string base32_encode(std::span<const std::uint8_t> bytes)
{
  std::string out;
  out.reserve((bytes.size() * 8 + 4) / 5);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (auto byte : bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += k_alphabet[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) {
    out += k_alphabet[(buffer << (5 - bits)) & 31];
  }
  return out;
}

Parsed<std::vector<std::uint8_t>> base32_decode(std::string_view text)
{
  using Result = Parsed<std::vector<std::uint8_t>>;
  std::vector<std::uint8_t> out;
  std::uint32_t buffer = 0;
  int bits = 0;
  std::size_t symbols = 0;
  bool padding = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ' ') {
      continue;
    }
    if (c == '=') {
      padding = true;
      continue;
    }
    const int v = value_of(c);
    if (v < 0) {
      return Result::failure("invalid base32 character '" + std::string(1, c) + "' at position "
                             + std::to_string(i + 1) + " (allowed: A-Z and 2-7)");
    }
    if (padding) {
      return Result::failure("base32 padding '=' is only allowed at the end");
    }
    buffer = ((buffer << 5) | static_cast<std::uint32_t>(v)) & 0xFFFu;
    bits += 5;
    ++symbols;
    if (bits >= 8) {
      out.push_back(static_cast<std::uint8_t>(buffer >> (bits - 8)));
      bits -= 8;
    }
  }
  // 1, 3 and 6 symbols past a full 8-symbol group are lengths no encoder makes.
  const auto rest = symbols % 8;
  if (rest == 1 || rest == 3 || rest == 6) {
    return Result::failure("base32 text has an impossible length (" + std::to_string(symbols) + " symbols)");
  }
  if (padding && rest == 0) {
    return Result::failure("stray base32 padding '=' where none belongs");
  }
  if (bits > 0 && (buffer & ((1u << bits) - 1)) != 0) {
    return Result::failure("base32 text has non-zero trailing bits");
  }
  return out;
}

} // namespace mfa
