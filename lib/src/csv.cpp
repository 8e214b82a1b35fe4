// SPDX-License-Identifier: MIT
#include "csv.hpp"

namespace mfa::detail {

CsvReader::CsvReader(std::string_view text) : m_text(text)
{
  if (m_text.substr(0, 3) == "\xEF\xBB\xBF") {
    m_pos = 3;
  }
}

std::optional<CsvRecord> CsvReader::next()
{
  if (m_pos >= m_text.size() || !m_error.empty()) {
    return std::nullopt;
  }
  CsvRecord record;
  record.line = m_line;
  std::string field;
  bool quoted = false;      // inside quotes now
  bool was_quoted = false;  // this field began with a quote
  while (m_pos < m_text.size()) {
    const char c = m_text[m_pos];
    if (c == '\0') {
      // A text file never holds one; a UTF-16 file holds many.
      m_error = "a NUL character (is the file UTF-16 or binary? save it as UTF-8)";
      m_error_line = m_line;
      return std::nullopt;
    }
    if (quoted) {
      if (c == '"') {
        if (m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '"') {
          field += '"';
          m_pos += 2;
          continue;
        }
        quoted = false;
        ++m_pos;
        continue;
      }
      if (c == '\n') {
        ++m_line;
      }
      field += c;
      ++m_pos;
      continue;
    }
    if (c == '"') {
      if (!field.empty() || was_quoted) {
        m_error = "a quote inside an unquoted field (quote the whole field and double the quote)";
        m_error_line = m_line;
        return std::nullopt;
      }
      quoted = true;
      was_quoted = true;
      ++m_pos;
      continue;
    }
    if (c == ',') {
      record.fields.push_back(std::move(field));
      field.clear();
      was_quoted = false;
      ++m_pos;
      continue;
    }
    if (c == '\r' && m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '\n') {
      ++m_pos;
      continue;
    }
    if (c == '\n') {
      ++m_pos;
      ++m_line;
      break;
    }
    if (was_quoted) {
      m_error = "text after the closing quote of a field";
      m_error_line = m_line;
      return std::nullopt;
    }
    field += c;
    ++m_pos;
  }
  if (quoted) {
    m_error = "a quoted field is not closed";
    m_error_line = record.line;
    return std::nullopt;
  }
  record.fields.push_back(std::move(field));
  return record;
}

} // namespace mfa::detail
