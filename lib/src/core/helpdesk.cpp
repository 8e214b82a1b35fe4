// SPDX-License-Identifier: MIT
#include "core/rules.hpp"
#include "storage/store.hpp"

#include <mfa/helpdesk.hpp>
#include <mfa/text.hpp>

namespace mfa {

namespace {

std::string lock_state(const User& user, std::int64_t now)
{
  if (detail::is_locked(user, now)) {
    return detail::lock_text(*user.locked_until);
  }
  return std::to_string(user.failed_attempts) + (user.failed_attempts == 1 ? " failure" : " failures");
}

// Runs `change` on the user in one write transaction. `change` returns
// false when there is nothing to do: then nothing is written, audit included.
template<typename Change>
Outcome<HelpdeskResult> change_user(Database& db, std::string_view name, const std::optional<std::string>& reason,
                                    Change change)
{
  using Result = Outcome<HelpdeskResult>;
  if (reason) {
    if (auto problem = text_problem("a reason", *reason)) {
      return Result::failure(Status::invalid, *problem);
    }
  }
  return detail::with_store(db, [&](detail::Store& impl) {
    auto transaction = impl.write();
    const auto user = impl.find_user(name);
    if (!user) {
      return Result::failure(Status::no_such_user, detail::no_such_user_message(name));
    }
    if (!change(impl, *user)) {
      return Result::success({*user, false});
    }
    auto after = *impl.find_user(user->name);
    transaction.commit();
    return Result::success({std::move(after), true});
  });
}

} // namespace

Outcome<HelpdeskResult> reset_user(Database& db, std::string_view name, const std::optional<std::string>& reason,
                                   std::string_view actor)
{
  return change_user(db, name, reason, [&](detail::Store& impl, const User& user) {
    if (user.enrollment == EnrollmentState::none && user.failed_attempts == 0 && !user.locked_until) {
      return false;
    }
    impl.remove_enrollment(user.id);
    impl.clear_lock(user.id);
    detail::audit(impl, actor, "reset", detail::AuditTarget::user, user.name,
                         std::string("enrollment ") + to_string(user.enrollment) + ", " + lock_state(user, impl.now()),
                         "enrollment none", reason);
    return true;
  });
}

Outcome<HelpdeskResult> unlock_user(Database& db, std::string_view name, const std::optional<std::string>& reason,
                                    std::string_view actor)
{
  return change_user(db, name, reason, [&](detail::Store& impl, const User& user) {
    if (user.failed_attempts == 0 && !detail::is_locked(user, impl.now())) {
      return false;
    }
    impl.clear_lock(user.id);
    detail::audit(impl, actor, "unlock", detail::AuditTarget::user, user.name, lock_state(user, impl.now()),
                         "unlocked", reason);
    return true;
  });
}

} // namespace mfa
