// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <istream>
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
  // Makes at least `count` bytes ready unless the input ends first; whether
  // one is. Takes only what the stream holds already, or one more read of
  // it: never more than the stream gives at once.
  bool fill(std::size_t count = 1);
  int peek() { return m_pos < m_end || fill() ? static_cast<unsigned char>(m_data[m_pos]) : k_end; }
  int take()
  {
    const int c = peek();
    if (c != k_end) {
      ++m_pos;
      ++m_bytes;
    }
    return c;
  }
  // Appends to `field` the bytes before the next one that `stop` is true
  // for (or the end), taking them.
  template<typename Stop>
  void take_run(std::string& field, Stop stop);
  std::optional<CsvRecord> fail(std::string message, std::size_t line);

  static constexpr int k_end = std::char_traits<char>::eof();

  std::streambuf* m_in = nullptr;  // nothing for a view
  std::vector<char> m_buffer;      // what was taken from m_in and not yet read
  const char* m_data = nullptr;    // the view, or m_buffer's bytes
  std::size_t m_pos = 0;           // the next byte of m_data
  std::size_t m_end = 0;           // the end of m_data
  std::size_t m_fields = 0;        // of the last record: room for as many in the next
  std::size_t m_bytes = 0;
  std::size_t m_line = 1;
  std::string m_error;
  std::size_t m_error_line = 0;
};

} // namespace mfa::detail
