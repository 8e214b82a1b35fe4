// SPDX-License-Identifier: MIT
#include "util/csv.hpp"

#include <algorithm>
#include <cstring>

namespace mfa::detail {

namespace {

// How much of a stream the reader holds at most (a stream that gives more
// at once is taken in parts).
constexpr std::size_t k_buffer_size = 1 << 16;

bool ends_unquoted_run(char c)
{
  return c == ',' || c == '\n' || c == '\r' || c == '"' || c == '\0';
}

bool ends_quoted_run(char c)
{
  return c == '"' || c == '\n' || c == '\0';
}

} // namespace

CsvReader::CsvReader(std::string_view text) : m_data(text.data()), m_end(text.size())
{
  skip_bom();
}

CsvReader::CsvReader(std::istream& in) : m_in(in.rdbuf())
{
  skip_bom();
}

bool CsvReader::fill(std::size_t count)
{
  if (m_in == nullptr) {
    return m_end - m_pos >= count;
  }
  // What is left moves to the front; the stream's bytes follow it.
  m_buffer.erase(m_buffer.begin(), m_buffer.begin() + static_cast<std::ptrdiff_t>(m_pos));
  m_pos = 0;
  while (m_buffer.size() < count) {
    std::streamsize ready = m_in->in_avail();
    if (ready <= 0) {
      if (m_in->sgetc() == k_end) {
        break;
      }
      ready = m_in->in_avail();
    }
    const auto want = std::min<std::size_t>(static_cast<std::size_t>(std::max<std::streamsize>(ready, 1)),
                                            k_buffer_size - std::min(k_buffer_size, m_buffer.size()));
    const auto at = m_buffer.size();
    m_buffer.resize(at + std::max<std::size_t>(want, 1));
    const auto got = static_cast<std::size_t>(
      m_in->sgetn(m_buffer.data() + at, static_cast<std::streamsize>(m_buffer.size() - at)));
    m_buffer.resize(at + got);
    if (got == 0) {
      break;
    }
  }
  m_data = m_buffer.data();
  m_end = m_buffer.size();
  return m_end >= count;
}

void CsvReader::skip_bom()
{
  // Bytes that only begin like the mark are read as text.
  static constexpr std::string_view k_bom = "\xEF\xBB\xBF";
  fill(k_bom.size());
  if (std::string_view(m_data + m_pos, std::min(k_bom.size(), m_end - m_pos)) == k_bom) {
    m_pos += k_bom.size();
    m_bytes = k_bom.size();
  }
}

template<typename Stop>
void CsvReader::take_run(std::string& field, Stop stop)
{
  while (m_pos < m_end || fill()) {
    const char* begin = m_data + m_pos;
    const char* end = std::find_if(begin, m_data + m_end, stop);
    const auto length = static_cast<std::size_t>(end - begin);
    field.append(begin, length);
    m_pos += length;
    m_bytes += length;
    if (m_pos < m_end) {
      return;
    }
  }
}

std::optional<CsvRecord> CsvReader::fail(std::string message, std::size_t line)
{
  m_error = std::move(message);
  m_error_line = line;
  return std::nullopt;
}

std::optional<CsvRecord> CsvReader::next()
{
  if (!m_error.empty() || peek() == k_end) {
    return std::nullopt;
  }
  CsvRecord record;
  record.line = m_line;
  record.fields.reserve(m_fields);
  std::string field;
  bool quoted = false;     // inside quotes now
  bool was_quoted = false; // this field began with a quote
  auto end_field = [&] {
    record.fields.push_back(std::move(field));
    field = std::string();
    was_quoted = false;
  };
  for (int next = peek(); next != k_end; next = peek()) {
    // Plain text in one run; the bytes that mean something one at a time.
    if (quoted) {
      take_run(field, [](char c) { return ends_quoted_run(c); });
    } else if (!was_quoted) {
      take_run(field, [](char c) { return ends_unquoted_run(c); });
    }
    if (peek() == k_end) {
      break;
    }
    const char c = static_cast<char>(take());
    if (c == '\0') {
      // A text file never holds one; a UTF-16 file holds many.
      return fail("a NUL character (is the file UTF-16 or binary? save it as UTF-8)", m_line);
    }
    if (quoted) {
      if (c == '"') {
        if (peek() == '"') {
          take();
          field += '"';
        } else {
          quoted = false;
        }
        continue;
      }
      if (c == '\n') {
        ++m_line;
      }
      field += c;
      continue;
    }
    if (c == '"') {
      if (!field.empty() || was_quoted) {
        return fail("a quote inside an unquoted field (quote the whole field and double the quote)", m_line);
      }
      quoted = true;
      was_quoted = true;
      continue;
    }
    if (c == ',') {
      end_field();
      continue;
    }
    if (c == '\r' && peek() == '\n') {
      continue;
    }
    if (c == '\n') {
      ++m_line;
      end_field();
      m_fields = record.fields.size();
      return record;
    }
    if (was_quoted) {
      return fail("text after the closing quote of a field", m_line);
    }
    field += c;
  }
  if (quoted) {
    return fail("a quoted field is not closed", record.line);
  }
  end_field();
  return record;
}

} // namespace mfa::detail
