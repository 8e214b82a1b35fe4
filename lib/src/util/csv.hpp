// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <istream>
#include <memory>
#include <optional>
#include <streambuf>
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
// records. Skips a leading UTF-8 byte-order mark. Reads a stream one record
// at a time, so a large file is never held in memory.
class CsvReader
{
public:
  explicit CsvReader(std::string_view text); // keeps a view of `text`
  explicit CsvReader(std::istream& in);      // reads `in` as it goes

  // The next record, or nothing at the end. Sets error() and returns
  // nothing on malformed quoting or a NUL character.
  std::optional<CsvRecord> next();
  const std::string& error() const { return m_error; }
  std::size_t error_line() const { return m_error_line; }
  // Bytes read so far (for progress).
  std::size_t bytes_read() const { return m_bytes; }

private:
  void skip_bom();
  // The next byte, from what skip_bom() read ahead first.
  int peek()
  {
    return m_ahead_at < m_ahead.size() ? static_cast<unsigned char>(m_ahead[m_ahead_at]) : m_in->sgetc();
  }
  int take()
  {
    ++m_bytes;
    return m_ahead_at < m_ahead.size() ? static_cast<unsigned char>(m_ahead[m_ahead_at++]) : m_in->sbumpc();
  }
  std::optional<CsvRecord> fail(std::string message, std::size_t line);

  std::unique_ptr<std::streambuf> m_view; // the string_view's buffer, if given one
  std::streambuf* m_in = nullptr;
  std::string m_ahead; // bytes that began like a byte-order mark but were not one
  std::size_t m_ahead_at = 0;
  std::size_t m_bytes = 0;
  std::size_t m_line = 1;
  std::string m_error;
  std::size_t m_error_line = 0;
};

} // namespace mfa::detail
