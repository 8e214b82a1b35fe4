// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mfa::detail {

struct CsvRecord
{
  std::size_t line = 0; // where the record starts, from 1
  std::vector<std::string> fields;
};

// An RFC 4180 reader: comma-separated fields, double quotes around fields
// that hold commas, quotes ("" inside) or line breaks, CRLF or LF between
// records. Skips a leading UTF-8 byte-order mark.
class CsvReader
{
public:
  explicit CsvReader(std::string_view text);

  // The next record, or nothing at the end. Sets error() and returns
  // nothing on malformed quoting or a NUL character.
  std::optional<CsvRecord> next();
  const std::string& error() const { return m_error; }
  std::size_t error_line() const { return m_error_line; }

private:
  std::string_view m_text;
  std::size_t m_pos = 0;
  std::size_t m_line = 1;
  std::string m_error;
  std::size_t m_error_line = 0;
};

} // namespace mfa::detail
