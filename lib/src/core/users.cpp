// SPDX-License-Identifier: MIT
#include "core/rules.hpp"
#include "storage/store.hpp"
#include "util/names.hpp"
#include "util/text.hpp"

#include <mfa/text.hpp>
#include <mfa/users.hpp>

#include <array>

namespace mfa {

namespace {

std::string describe(const NewUser& user)
{
  return detail::describe_user(user.type, user.auth, user.email);
}

} // namespace

namespace {

constexpr std::array<detail::Named<UserType>, 2> k_user_types = {{
  {UserType::internal, "internal"},
  {UserType::external, "external"},
}};
constexpr std::array<detail::Named<AuthMethod>, 2> k_auth_methods = {{
  {AuthMethod::password, "password"},
  {AuthMethod::sso, "sso"},
}};
constexpr std::array<detail::Named<EnrollmentState>, 3> k_enrollment_states = {{
  {EnrollmentState::none, "none"},
  {EnrollmentState::pending, "pending"},
  {EnrollmentState::active, "active"},
}};

} // namespace

const char* to_string(UserType type)
{
  return detail::name_of(k_user_types, type);
}

const char* to_string(AuthMethod auth)
{
  return detail::name_of(k_auth_methods, auth);
}

const char* to_string(EnrollmentState state)
{
  return detail::name_of(k_enrollment_states, state);
}

std::optional<UserType> parse_user_type(std::string_view text)
{
  return detail::parse_name(k_user_types, text);
}

std::optional<AuthMethod> parse_auth_method(std::string_view text)
{
  return detail::parse_name(k_auth_methods, text);
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
  return detail::with_store(db, [&](detail::Store& impl) {
    auto transaction = impl.write();
    if (impl.find_user(user.name)) {
      return Result::failure(Status::not_allowed, "user '" + user.name + "' already exists");
    }
    impl.insert_user(user);
    detail::audit(impl, actor, "users.add", detail::AuditTarget::user, user.name, std::nullopt,
                         describe(user));
    auto added = *impl.find_user(user.name);
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
  return detail::with_store(db, [&](detail::Store& impl) {
    auto transaction = impl.write();
    const auto user = impl.find_user(name);
    if (!user) {
      return Result::failure(Status::no_such_user, detail::no_such_user_message(name));
    }
    bool changed = false;
    // One audit row per field that changes.
    auto change = [&](const char* column, const std::string& old_value, const std::string& new_value) {
      if (old_value == new_value) {
        return;
      }
      changed = true;
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
    if (changed) {
      const auto email = changes.email ? std::optional<std::string>(*changes.email) : user->email;
      impl.update_user(user->id, changes.type.value_or(user->type), changes.auth.value_or(user->auth), email);
    }
    auto updated = *impl.find_user(name);
    transaction.commit();
    return Result::success(std::move(updated));
  });
}

std::optional<EnrollmentState> parse_enrollment_state(std::string_view text)
{
  return detail::parse_name(k_enrollment_states, text);
}

std::vector<User> list_users(Database& db, std::string_view search)
{
  UserFilter filter;
  filter.search = search;
  return list_users(db, filter);
}

std::vector<User> list_users(Database& db, const UserFilter& filter)
{
  return detail::with_store(db, [&](detail::Store& impl) { return impl.list_users(filter); });
}

Outcome<User> find_user(Database& db, std::string_view name)
{
  return detail::with_store(db, [&](detail::Store& impl) {
    if (auto user = impl.find_user(name)) {
      return Outcome<User>::success(std::move(*user));
    }
    return Outcome<User>::failure(Status::no_such_user, detail::no_such_user_message(name));
  });
}

Outcome<User> remove_user(Database& db, std::string_view name, std::string_view actor)
{
  using Result = Outcome<User>;
  return detail::with_store(db, [&](detail::Store& impl) {
    auto transaction = impl.write();
    auto user = impl.find_user(name);
    if (!user) {
      return Result::failure(Status::no_such_user, detail::no_such_user_message(name));
    }
    impl.remove_user(user->id);
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
  return detail::with_store(db, [&](detail::Store& impl) { return impl.user_names(); });
}

} // namespace mfa
