// SPDX-License-Identifier: MIT
#include "core/rules.hpp"
#include "storage/audit_writer.hpp"
#include "storage/database_impl.hpp"
#include "util/text.hpp"

#include <mfa/audit.hpp>
#include <mfa/clock.hpp>

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <algorithm>
#include <array>

namespace mfa {

namespace {

// Every action append_audit() is called with, in the contract's order.
constexpr std::array<std::string_view, 12> k_actions = {
  "options.set", "users.add", "users.set", "users.import", "users.remove", "enroll", "enroll.confirm",
  "verify", "backup-codes.generate", "reset", "unlock", "audit.prune",
};

std::optional<std::string> optional_text(const SQLite::Column& column)
{
  if (column.isNull()) {
    return std::nullopt;
  }
  return column.getString();
}

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

std::vector<AuditEntry> audit_log(Database& db, const AuditQuery& query)
{
  return detail::with_sql(db, [&](detail::DatabaseImpl& impl) {
    // Every filter is SQL: the time bounds and the order are served by the
    // index on (at) (whose entries end in the row id), the user by the one
    // on (target_kind, target).
    std::string sql = "SELECT id, at, actor, action, target, old_value, new_value, reason FROM audit WHERE 1";
    if (query.user) {
      // The name as given and trimmed, as load_user() finds users.
      sql += " AND target_kind = 'user' AND target IN (:user, :trimmed)";
    }
    if (query.action) {
      sql += " AND action = :action";
    }
    if (query.since) {
      sql += " AND at >= :since";
    }
    if (query.until) {
      sql += " AND at < :until";
    }
    sql += " ORDER BY at DESC, id DESC";
    if (query.limit) {
      sql += " LIMIT :limit";
    }
    SQLite::Statement statement(impl.sql(), sql);
    if (query.user) {
      statement.bind(":user", *query.user);
      statement.bind(":trimmed", std::string(detail::trim_name(*query.user)));
    }
    if (query.action) {
      statement.bind(":action", *query.action);
    }
    if (query.since) {
      statement.bind(":since", static_cast<int64_t>(*query.since));
    }
    if (query.until) {
      statement.bind(":until", static_cast<int64_t>(*query.until));
    }
    if (query.limit) {
      statement.bind(":limit", std::max(0, *query.limit));
    }
    std::vector<AuditEntry> entries;
    while (statement.executeStep()) {
      entries.push_back({statement.getColumn(0).getInt64(), statement.getColumn(1).getInt64(),
                         statement.getColumn(2).getString(), statement.getColumn(3).getString(),
                         statement.getColumn(4).getString(), optional_text(statement.getColumn(5)),
                         optional_text(statement.getColumn(6)), optional_text(statement.getColumn(7))});
    }
    return entries;
  });
}

bool audit_mentions_user(Database& db, const std::string& name)
{
  return detail::with_sql(db, [&](detail::DatabaseImpl& impl) {
    SQLite::Statement statement(impl.sql(), "SELECT 1 FROM audit WHERE target_kind = 'user' AND target IN (?1, ?2) LIMIT 1");
    statement.bind(1, name);
    statement.bind(2, std::string(detail::trim_name(name)));
    return statement.executeStep();
  });
}

AuditPrunePlan plan_audit_prune(Database& db, std::int64_t before)
{
  return detail::with_sql(db, [&](detail::DatabaseImpl& impl) {
    SQLite::Statement count(impl.sql(), "SELECT count(*), coalesce(max(id), 0) FROM audit WHERE at < ?");
    count.bind(1, static_cast<int64_t>(before));
    count.executeStep();
    return AuditPrunePlan{before, count.getColumn(0).getInt64(), count.getColumn(1).getInt64()};
  });
}

std::int64_t prune_audit(Database& db, const AuditPrunePlan& plan, std::string_view actor)
{
  if (plan.rows == 0) {
    return 0;
  }
  return detail::with_sql(db, [&](detail::DatabaseImpl& impl) -> std::int64_t {
    auto& sql = impl.sql();
    SQLite::Transaction transaction(sql, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement remove(sql, "DELETE FROM audit WHERE at < ? AND id <= ?");
    remove.bind(1, static_cast<int64_t>(plan.before));
    remove.bind(2, static_cast<int64_t>(plan.last_id));
    const std::int64_t removed = remove.exec();
    if (removed == 0) { // another prune got there first
      return 0;
    }
    detail::audit(impl, actor, "audit.prune", detail::AuditTarget::log, "audit", std::nullopt, std::nullopt,
                         "removed " + std::to_string(removed) + (removed == 1 ? " row" : " rows") + " from before "
                           + format_rfc3339(plan.before));
    transaction.commit();
    return removed;
  });
}

} // namespace mfa
