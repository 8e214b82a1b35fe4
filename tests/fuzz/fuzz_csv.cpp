// SPDX-License-Identifier: MIT
// The CSV reader on any text: it never crashes and always ends; records
// start on increasing lines; and when the whole text reads without error,
// writing the records out again (every field quoted) reads back the same.
#include "check.hpp"

#include "util/csv.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace {

std::vector<std::vector<std::string>> read_all(std::string_view text, bool& ok)
{
  mfa::detail::CsvReader reader(text);
  std::vector<std::vector<std::string>> records;
  const auto lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
  std::size_t last_line = 0;
  while (auto record = reader.next()) {
    FUZZ_CHECK(record->line > last_line && record->line <= lines);
    FUZZ_CHECK(!record->fields.empty());
    FUZZ_CHECK(records.size() <= text.size());
    last_line = record->line;
    records.push_back(std::move(record->fields));
  }
  ok = reader.error().empty();
  if (!ok) {
    FUZZ_CHECK(reader.error_line() >= 1 && reader.error_line() <= lines);
  }
  return records;
}

std::string write_all(const std::vector<std::vector<std::string>>& records)
{
  std::string out;
  for (const auto& fields : records) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
      out += i == 0 ? "\"" : ",\"";
      for (char c : fields[i]) {
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
      }
      out += '"';
    }
    out += '\n';
  }
  return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  bool ok = false;
  const auto records = read_all(fuzz::text(data, size), ok);
  if (ok) {
    const auto written = write_all(records);
    bool again_ok = false;
    FUZZ_CHECK(read_all(written, again_ok) == records);
    FUZZ_CHECK(again_ok);
  }
  return 0;
}
