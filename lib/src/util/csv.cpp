// SPDX-License-Identifier: MIT
#include "util/csv.hpp"

namespace mfa::detail {

namespace {

constexpr int k_eof = std::char_traits<char>::eof();

// Reads a string_view in place.
class ViewBuffer : public std::streambuf
{
public:
  explicit ViewBuffer(std::string_view text)
  {
    char* begin = const_cast<char*>(text.data()); // only ever read
    setg(begin, begin, begin + text.size());
  }
};

} // namespace

CsvReader::CsvReader(std::string_view text) : m_view(std::make_unique<ViewBuffer>(text)), m_in(m_view.get())
{
  skip_bom();
}

CsvReader::CsvReader(std::istream& in) : m_in(in.rdbuf())
{
  skip_bom();
}

void CsvReader::skip_bom()
{
  // A stream cannot give back what it read: bytes that only began like the
  // mark are kept and read again as text.
  static constexpr std::string_view k_bom = "\xEF\xBB\xBF";
  while (m_ahead.size() < k_bom.size() && m_in->sgetc() == static_cast<unsigned char>(k_bom[m_ahead.size()])) {
    m_ahead += static_cast<char>(m_in->sbumpc());
  }
  if (m_ahead == k_bom) {
    m_ahead.clear();
    m_bytes = k_bom.size();
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
  if (!m_error.empty() || peek() == k_eof) {
    return std::nullopt;
  }
  CsvRecord record;
  record.line = m_line;
  std::string field;
  bool quoted = false;     // inside quotes now
  bool was_quoted = false; // this field began with a quote
  for (int next = peek(); next != k_eof; next = peek()) {
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
      record.fields.push_back(std::move(field));
      field.clear();
      was_quoted = false;
      continue;
    }
    if (c == '\r' && peek() == '\n') {
      continue;
    }
    if (c == '\n') {
      ++m_line;
      record.fields.push_back(std::move(field));
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
  record.fields.push_back(std::move(field));
  return record;
}

} // namespace mfa::detail
