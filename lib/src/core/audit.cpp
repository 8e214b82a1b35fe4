// SPDX-License-Identifier: MIT
#include "core/rules.hpp"
#include "storage/store.hpp"
#include "util/text.hpp"

#include <mfa/audit.hpp>
#include <mfa/clock.hpp>

#include <algorithm>
#include <array>

namespace mfa {

namespace {

// Every action append_audit() is called with, in the contract's order.
constexpr std::array<std::string_view, 16> k_actions = {
  "options.set", "users.add",   "users.set", "users.import", "users.remove", "enroll",  "enroll.confirm",
  "verify",      "backup-codes.generate", "reset",     "unlock",       "audit.prune",  "db.copy", "enroll.export",
  "enroll.import", "key.rotate",
};


// Days from 1970-01-01 to the given proleptic Gregorian date.
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day)
{
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto year_of_era = static_cast<unsigned>(year - era * 400);
  const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<std::int64_t>(day_of_era) - 719468;
}

unsigned days_in_month(std::int64_t year, unsigned month)
{
  constexpr std::array<unsigned, 12> k_days = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : k_days[month - 1];
}

// Reads exactly `width` digits at `pos` and moves past them.
std::optional<unsigned> digits(std::string_view text, std::size_t& pos, std::size_t width)
{
  if (pos + width > text.size()) {
    return std::nullopt;
  }
  unsigned value = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (text[i] < '0' || text[i] > '9') {
      return std::nullopt;
    }
    value = value * 10 + static_cast<unsigned>(text[i] - '0');
  }
  pos += width;
  return value;
}

bool expect(std::string_view text, std::size_t& pos, std::string_view one_of)
{
  if (pos < text.size() && one_of.find(text[pos]) != std::string_view::npos) {
    ++pos;
    return true;
  }
  return false;
}

// Reads groups of digits of the given widths, `separator` between them:
// "2026-11-30" as {4, 2, 2} and '-'.
template<std::size_t N>
std::optional<std::array<unsigned, N>> digit_groups(std::string_view text, std::size_t& pos,
                                                    const std::array<std::size_t, N>& widths, char separator)
{
  std::array<unsigned, N> values{};
  for (std::size_t i = 0; i < N; ++i) {
    if (i > 0 && !expect(text, pos, std::string_view(&separator, 1))) {
      return std::nullopt;
    }
    const auto value = digits(text, pos, widths[i]);
    if (!value) {
      return std::nullopt;
    }
    values[i] = *value;
  }
  return values;
}

// The time of day and offset of an RFC 3339 date-time, from `pos` after the
// date: seconds to add to the date's midnight, or nothing.
std::optional<std::int64_t> parse_time_of_day(std::string_view text, std::size_t pos)
{
  const auto hms = digit_groups<3>(text, pos, {2, 2, 2}, ':');
  if (!hms || (*hms)[0] > 23 || (*hms)[1] > 59 || (*hms)[2] > 60) { // 60: a leap second
    return std::nullopt;
  }
  std::int64_t seconds = (*hms)[0] * 3600 + (*hms)[1] * 60 + (*hms)[2];
  if (expect(text, pos, ".")) {
    bool any_digit = false;
    bool nonzero = false;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      nonzero = nonzero || text[pos] != '0';
      any_digit = true;
      ++pos;
    }
    if (!any_digit) {
      return std::nullopt;
    }
    seconds += nonzero ? 1 : 0; // rounds up: see parse_audit_time()
  }
  if (expect(text, pos, "Zz")) {
    return pos == text.size() ? std::optional(seconds) : std::nullopt;
  }
  if (pos >= text.size() || (text[pos] != '+' && text[pos] != '-')) {
    return std::nullopt;
  }
  const int sign = text[pos++] == '+' ? 1 : -1;
  const auto offset = digit_groups<2>(text, pos, {2, 2}, ':');
  if (!offset || (*offset)[0] > 23 || (*offset)[1] > 59 || pos != text.size()) {
    return std::nullopt;
  }
  return seconds - sign * static_cast<std::int64_t>((*offset)[0] * 3600 + (*offset)[1] * 60);
}

} // namespace

std::span<const std::string_view> audit_actions()
{
  return k_actions;
}

std::optional<std::int64_t> parse_audit_time(std::string_view text)
{
  std::size_t pos = 0;
  const auto ymd = digit_groups<3>(text, pos, {4, 2, 2}, '-');
  if (!ymd) {
    return std::nullopt;
  }
  const auto [year, month, day] = *ymd;
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) {
    return std::nullopt;
  }
  const std::int64_t midnight = days_from_civil(year, month, day) * 86400;
  if (pos == text.size()) {
    return midnight;
  }
  // RFC 3339 allows a space for the T (section 5.6, NOTE).
  if (!expect(text, pos, "Tt ")) {
    return std::nullopt;
  }
  const auto time_of_day = parse_time_of_day(text, pos);
  if (!time_of_day) {
    return std::nullopt;
  }
  return midnight + *time_of_day;
}

namespace {

// The names a user filter matches: as given and trimmed, as find_user() finds users.
std::vector<std::string> names_of(const std::string& name)
{
  std::vector<std::string> names{name};
  if (const std::string trimmed(detail::trim_name(name)); trimmed != name) {
    names.push_back(trimmed);
  }
  return names;
}

} // namespace

std::vector<AuditEntry> audit_log(Database& db, const AuditQuery& query)
{
  return detail::with_store(db, [&](detail::Store& store) {
    return store.audit_entries(query, query.user ? names_of(*query.user) : std::vector<std::string>{});
  });
}

bool audit_mentions_user(Database& db, const std::string& name)
{
  return detail::with_store(db, [&](detail::Store& store) { return store.audit_mentions_user(names_of(name)); });
}

AuditPrunePlan plan_audit_prune(Database& db, std::int64_t before)
{
  return detail::with_store(db, [&](detail::Store& store) { return store.audit_before(before); });
}

std::int64_t prune_audit(Database& db, const AuditPrunePlan& plan, std::string_view actor)
{
  if (plan.rows == 0) {
    return 0;
  }
  return detail::with_store(db, [&](detail::Store& store) -> std::int64_t {
    auto transaction = store.write();
    const std::int64_t removed = store.remove_audit(plan.before, plan.last_id);
    if (removed == 0) { // another prune got there first
      return 0;
    }
    detail::audit(store, actor, "audit.prune", detail::AuditTarget::log, "audit", std::nullopt, std::nullopt,
                  "removed " + std::to_string(removed) + (removed == 1 ? " row" : " rows") + " from before "
                    + format_rfc3339(plan.before));
    transaction.commit();
    return removed;
  });
}

} // namespace mfa
