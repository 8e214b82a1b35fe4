// SPDX-License-Identifier: MIT
#include "core/rules.hpp"
#include "storage/store.hpp"
#include "util/names.hpp"

#include <mfa/policy.hpp>

#include <array>

namespace mfa {

namespace {

constexpr std::array<detail::Named<Decision>, 5> k_decisions = {{
  {Decision::none, "none"},
  {Decision::enroll_required, "enroll-required"},
  {Decision::enroll_optional, "enroll-optional"},
  {Decision::verify, "verify"},
  {Decision::locked, "locked"},
}};

} // namespace

const char* to_string(Decision decision)
{
  return detail::name_of(k_decisions, decision);
}

Mode class_mode(const Settings& settings, UserType type)
{
  return type == UserType::external ? settings.external_mfa : settings.internal_mfa;
}

Decision decide(const Settings& settings, UserType type, AuthMethod auth, EnrollmentState enrollment, bool locked)
{
  const Mode mode = class_mode(settings, type);
  if (auth == AuthMethod::sso || mode == Mode::off) {
    return Decision::none;
  }
  if (locked) {
    return Decision::locked;
  }
  if (enrollment == EnrollmentState::active) {
    return Decision::verify;
  }
  return mode == Mode::required ? Decision::enroll_required : Decision::enroll_optional;
}

Outcome<UserStatus> user_status(Database& db, std::string_view name)
{
  return detail::with_store(db, [&](detail::Store& impl) {
    auto snapshot = impl.read(); // the settings and the user agree
    const Settings settings = detail::current_settings(impl);
    auto user = impl.find_user(name);
    if (!user) {
      return Outcome<UserStatus>::failure(Status::no_such_user, detail::no_such_user_message(name));
    }
    UserStatus status;
    status.locked = detail::is_locked(*user, impl.now());
    status.option = class_mode(settings, user->type);
    status.decision = decide(settings, user->type, user->auth, user->enrollment, status.locked);
    status.user = std::move(*user);
    return Outcome<UserStatus>::success(std::move(status));
  });
}

} // namespace mfa
