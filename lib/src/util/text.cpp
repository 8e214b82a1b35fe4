// SPDX-License-Identifier: MIT
#include "util/text.hpp"

#include <mfa/text.hpp>

#include <algorithm>
#include <cstdint>

namespace mfa::detail {

std::string ascii_lower(std::string_view text)
{
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return out;
}

bool iequals(std::string_view a, std::string_view b)
{
  return ascii_lower(a) == ascii_lower(b);
}

bool icontains(std::string_view haystack, std::string_view needle)
{
  return ascii_lower(haystack).find(ascii_lower(needle)) != std::string::npos;
}

std::string_view trim(std::string_view text)
{
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    return {};
  }
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

std::string_view trim_name(std::string_view text)
{
  const auto first = text.find_first_not_of(' ');
  if (first == std::string_view::npos) {
    return {};
  }
  return text.substr(first, text.find_last_not_of(' ') - first + 1);
}

namespace {

struct CodePoint
{
  std::uint32_t value = 0;
  std::size_t length = 0; // bytes
};

// The code point at the start of `text`, or nothing when it does not start
// with a well-formed UTF-8 sequence (no overlong forms, no surrogates).
std::optional<CodePoint> decode_utf8(std::string_view text)
{
  const auto lead = static_cast<std::uint8_t>(text[0]);
  CodePoint cp;
  if (lead < 0x80) {
    return CodePoint{lead, 1};
  }
  if (lead >= 0xC2 && lead <= 0xDF) {
    cp = {lead & 0x1Fu, 2};
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    cp = {lead & 0x0Fu, 3};
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    cp = {lead & 0x07u, 4};
  } else {
    return std::nullopt;
  }
  if (cp.length > text.size()) {
    return std::nullopt;
  }
  for (std::size_t k = 1; k < cp.length; ++k) {
    const auto next = static_cast<std::uint8_t>(text[k]);
    if ((next & 0xC0) != 0x80) {
      return std::nullopt;
    }
    cp.value = (cp.value << 6) | (next & 0x3Fu);
  }
  const bool overlong = (cp.length == 3 && cp.value < 0x800) || (cp.length == 4 && cp.value < 0x10000);
  const bool surrogate = cp.value >= 0xD800 && cp.value <= 0xDFFF;
  if (overlong || surrogate || cp.value > 0x10FFFF) {
    return std::nullopt;
  }
  return cp;
}

bool is_control(std::uint32_t cp)
{
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

// Characters that show nothing yet change what a person sees: bidirectional
// controls (the "Trojan Source" set) reorder the rest of a line, zero-width
// ones make two names look the same, separators break a line.
bool is_invisible_format(std::uint32_t cp)
{
  return cp == 0xAD || cp == 0x61C || cp == 0x180E || (cp >= 0x200B && cp <= 0x200F)
         || (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x2066 && cp <= 0x206F)
         || cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFB);
}

bool is_combining_diacritic(std::uint32_t cp)
{
  return cp >= 0x300 && cp <= 0x36F;
}

void append_hex(std::string& out, const char* prefix, std::uint32_t value, int digits)
{
  static constexpr char k_hex[] = "0123456789abcdef";
  out += prefix;
  for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) {
    out += k_hex[(value >> shift) & 0xFu];
  }
}

} // namespace

std::optional<std::size_t> printable_utf8_length(std::string_view text)
{
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size(); ++count) {
    const auto cp = decode_utf8(text.substr(i));
    if (!cp || is_control(cp->value) || is_invisible_format(cp->value)) {
      return std::nullopt;
    }
    i += cp->length;
  }
  return count;
}

int hex_digit(char c)
{
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

std::optional<int> parse_int(std::string_view text)
{
  if (text.empty() || text.size() > 9) {
    return std::nullopt;
  }
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
  }
  return value;
}

} // namespace mfa::detail

namespace mfa {

std::string escape_text(std::string_view text, Combining combining)
{
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto cp = detail::decode_utf8(text.substr(i));
    if (!cp) {
      detail::append_hex(out, "\\x", static_cast<std::uint8_t>(text[i]), 2);
      ++i;
      continue;
    }
    const std::uint32_t c = cp->value;
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x80 && detail::is_control(c)) {
      detail::append_hex(out, "\\x", c, 2);
    } else if (detail::is_control(c) || detail::is_invisible_format(c)
               || (combining == Combining::escape && detail::is_combining_diacritic(c))) {
      detail::append_hex(out, "\\u", c, 4);
    } else {
      out.append(text.substr(i, cp->length));
    }
    i += cp->length;
  }
  return out;
}

std::optional<std::string> text_problem(std::string_view what, std::string_view text)
{
  if (detail::printable_utf8_length(text)) {
    return std::nullopt;
  }
  return std::string(what) + " must be printable UTF-8 without control characters (found '" + escape_text(text)
         + "')";
}

} // namespace mfa
