// SPDX-License-Identifier: MIT
#include "core/rules.hpp"
#include "storage/audit_writer.hpp"
#include "storage/database_impl.hpp"
#include "util/text.hpp"
#include "storage/user_store.hpp"

#include <mfa/text.hpp>
#include <mfa/users.hpp>

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

namespace mfa {

namespace {

std::string describe(const NewUser& user)
{
  return detail::describe_user(user.type, user.auth, user.email);
}

void insert_user(detail::DatabaseImpl& impl, const NewUser& user)
{
  SQLite::Statement insert(impl.sql(),
                           "INSERT INTO users (name, type, auth, email, created_at) VALUES (?, ?, ?, ?, ?)");
  insert.bind(1, user.name);
  insert.bind(2, to_string(user.type));
  insert.bind(3, to_string(user.auth));
  if (user.email && !user.email->empty()) {
    insert.bind(4, *user.email);
  }
  insert.bind(5, static_cast<int64_t>(impl.now()));
  insert.exec();
}

} // namespace

const char* to_string(UserType type)
{
  return type == UserType::external ? "external" : "internal";
}

const char* to_string(AuthMethod auth)
{
  return auth == AuthMethod::sso ? "sso" : "password";
}

const char* to_string(EnrollmentState state)
{
  switch (state) {
  case EnrollmentState::pending:
    return "pending";
  case EnrollmentState::active:
    return "active";
  case EnrollmentState::none:
    break;
  }
  return "none";
}

std::optional<UserType> parse_user_type(std::string_view text)
{
  const auto lower = detail::ascii_lower(text);
  if (lower == "internal") {
    return UserType::internal;
  }
  if (lower == "external") {
    return UserType::external;
  }
  return std::nullopt;
}

std::optional<AuthMethod> parse_auth_method(std::string_view text)
{
  const auto lower = detail::ascii_lower(text);
  if (lower == "password") {
    return AuthMethod::password;
  }
  if (lower == "sso") {
    return AuthMethod::sso;
  }
  return std::nullopt;
}

std::optional<std::string> user_name_problem(std::string_view name)
{
  if (name.empty()) {
    return "a user name cannot be empty";
  }
  const auto length = detail::printable_utf8_length(name);
  if (!length) {
    return text_problem("a user name", name);
  }
  if (*length > 256) {
    return "a user name is at most 256 characters (this one has " + std::to_string(*length) + ")";
  }
  return std::nullopt;
}

std::optional<std::string> email_problem(std::string_view email)
{
  if (email.empty()) {
    return std::nullopt;
  }
  const auto at = email.find('@');
  const auto length = detail::printable_utf8_length(email);
  if (!length || *length > 254 || at == std::string_view::npos || at == 0 || at + 1 == email.size()
      || email.find('@', at + 1) != std::string_view::npos || email.find(' ') != std::string_view::npos) {
    std::string message = "'";
    message.append(email).append("' is not an e-mail address (expected one like name@example.com)");
    return message;
  }
  return std::nullopt;
}

Outcome<User> add_user(Database& db, const NewUser& given, std::string_view actor)
{
  using Result = Outcome<User>;
  NewUser user = given;
  user.name = detail::trim_name(given.name);
  if (auto problem = user_name_problem(user.name)) {
    return Result::failure(Status::invalid, *problem);
  }
  if (auto problem = email_problem(user.email.value_or(""))) {
    return Result::failure(Status::invalid, *problem);
  }
  return detail::with_sql(db, [&](detail::DatabaseImpl& impl) {
    auto& sql = impl.sql();
    SQLite::Transaction transaction(sql, SQLite::TransactionBehavior::IMMEDIATE);
    if (detail::load_user(impl, user.name)) {
      return Result::failure(Status::not_allowed, "user '" + user.name + "' already exists");
    }
    insert_user(impl, user);
    detail::audit(impl, actor, "users.add", detail::AuditTarget::user, user.name, std::nullopt,
                         describe(user));
    auto added = *detail::load_user(impl, user.name);
    transaction.commit();
    return Result::success(std::move(added));
  });
}

Outcome<User> update_user(Database& db, std::string_view name, const UserChanges& changes, std::string_view actor)
{
  using Result = Outcome<User>;
  if (changes.email) {
    if (auto problem = email_problem(*changes.email)) {
      return Result::failure(Status::invalid, *problem);
    }
  }
  return detail::with_sql(db, [&](detail::DatabaseImpl& impl) {
    auto& sql = impl.sql();
    SQLite::Transaction transaction(sql, SQLite::TransactionBehavior::IMMEDIATE);
    const auto user = detail::load_user(impl, name);
    if (!user) {
      return Result::failure(Status::no_such_user, detail::no_such_user_message(name));
    }
    auto change = [&](const char* column, const std::string& old_value, const std::string& new_value) {
      if (old_value == new_value) {
        return;
      }
      SQLite::Statement update(sql, std::string("UPDATE users SET ") + column + " = ? WHERE id = ?");
      if (!new_value.empty()) {
        update.bind(1, new_value);
      }
      update.bind(2, static_cast<int64_t>(user->id));
      update.exec();
      detail::audit(impl, actor, "users.set", detail::AuditTarget::user, user->name,
                           std::string(column) + "=" + old_value, std::string(column) + "=" + new_value);
    };
    if (changes.type) {
      change("type", to_string(user->type), to_string(*changes.type));
    }
    if (changes.auth) {
      change("auth", to_string(user->auth), to_string(*changes.auth));
    }
    if (changes.email) {
      change("email", user->email.value_or(""), *changes.email);
    }
    auto updated = *detail::load_user(impl, name);
    transaction.commit();
    return Result::success(std::move(updated));
  });
}

std::optional<EnrollmentState> parse_enrollment_state(std::string_view text)
{
  const auto lower = detail::ascii_lower(text);
  for (const auto state : {EnrollmentState::none, EnrollmentState::pending, EnrollmentState::active}) {
    if (lower == to_string(state)) {
      return state;
    }
  }
  return std::nullopt;
}

std::vector<User> list_users(Database& db, std::string_view search)
{
  UserFilter filter;
  filter.search = search;
  return list_users(db, filter);
}

std::vector<User> list_users(Database& db, const UserFilter& filter)
{
  return detail::with_sql(db, [&](detail::DatabaseImpl& impl) {
    std::vector<User> users;
    // instr(), not LIKE: % and _ in the search are plain characters.
    SQLite::Statement query(impl.sql(), std::string(detail::k_select_users) + R"sql(
      WHERE (?1 = '' OR instr(lower(u.name), lower(?1)) > 0 OR instr(lower(coalesce(u.email, '')), lower(?1)) > 0)
        AND (?2 IS NULL OR coalesce(u.locked_until, 0) > ?2)
        AND (?3 IS NULL OR coalesce(e.state, 'none') = ?3)
        AND (?4 IS NULL OR u.type = ?4)
        AND (?5 IS NULL OR u.auth = ?5)
      ORDER BY u.name)sql");
    query.bind(1, filter.search);
    if (filter.locked) {
      query.bind(2, static_cast<int64_t>(impl.now()));
    }
    if (filter.enrollment) {
      query.bind(3, to_string(*filter.enrollment));
    }
    if (filter.type) {
      query.bind(4, to_string(*filter.type));
    }
    if (filter.auth) {
      query.bind(5, to_string(*filter.auth));
    }
    while (query.executeStep()) {
      users.push_back(detail::read_user(query));
    }
    return users;
  });
}

Outcome<User> find_user(Database& db, std::string_view name)
{
  return detail::with_sql(db, [&](detail::DatabaseImpl& impl) {
    if (auto user = detail::load_user(impl, name)) {
      return Outcome<User>::success(std::move(*user));
    }
    return Outcome<User>::failure(Status::no_such_user, detail::no_such_user_message(name));
  });
}

Outcome<User> remove_user(Database& db, std::string_view name, std::string_view actor)
{
  using Result = Outcome<User>;
  return detail::with_sql(db, [&](detail::DatabaseImpl& impl) {
    auto& sql = impl.sql();
    SQLite::Transaction transaction(sql, SQLite::TransactionBehavior::IMMEDIATE);
    auto user = detail::load_user(impl, name);
    if (!user) {
      return Result::failure(Status::no_such_user, detail::no_such_user_message(name));
    }
    SQLite::Statement remove(sql, "DELETE FROM users WHERE id = ?");
    remove.bind(1, static_cast<int64_t>(user->id));
    remove.exec();
    detail::audit(impl, actor, "users.remove", detail::AuditTarget::user, user->name,
                         std::string(to_string(user->type)) + ", " + to_string(user->auth) + ", enrollment "
                           + to_string(user->enrollment),
                         std::nullopt);
    transaction.commit();
    return Result::success(std::move(*user));
  });
}

std::vector<std::string> user_names(Database& db)
{
  return detail::with_sql(db, [&](detail::DatabaseImpl& impl) {
    std::vector<std::string> names;
    SQLite::Statement query(impl.sql(), "SELECT name FROM users ORDER BY name");
    while (query.executeStep()) {
      names.push_back(query.getColumn(0).getString());
    }
    return names;
  });
}

} // namespace mfa
