// SPDX-License-Identifier: MIT
// Moving enrollments out (and, next, in): otpauth:// URIs an authenticator
// app or another MFA server reads.
#include "core/rules.hpp"
#include "crypto/secret.hpp"
#include "storage/store.hpp"

#include <mfa/otpauth.hpp>
#include <mfa/transfer.hpp>
#include <mfa/users.hpp>

namespace mfa {

Outcome<std::vector<ExportedEnrollment>> export_enrollments(Database& db, std::optional<std::string_view> name,
                                                            std::string_view actor)
{
  using Result = Outcome<std::vector<ExportedEnrollment>>;
  return detail::with_store(db, [&](detail::Store& impl) -> Result {
    // One write transaction: what is exported is what is audited.
    auto transaction = impl.write();
    const Settings settings = detail::current_settings(impl);
    std::vector<User> users;
    if (name) {
      auto user = impl.find_user(*name);
      if (!user) {
        return Result::failure(Status::no_such_user, detail::no_such_user_message(*name));
      }
      if (user->enrollment != EnrollmentState::active) {
        return Result::failure(Status::not_allowed, "user '" + user->name + "' has no active enrollment to export");
      }
      users.push_back(std::move(*user));
    } else {
      UserFilter filter;
      filter.enrollment = EnrollmentState::active;
      users = impl.list_users(filter);
    }
    std::vector<ExportedEnrollment> exported;
    exported.reserve(users.size());
    for (const User& user : users) {
      const auto enrollment = impl.enrollment(user.id);
      if (!enrollment) {
        impl.damaged("enrollments", "user_id", std::to_string(user.id), "is missing for an active user");
      }
      const SecretBytes secret = open_secret(impl.key().bytes(), user.id, enrollment->sealed_secret);
      exported.push_back({user.name, build_otpauth_uri({settings.issuer, user.name,
                                                         {secret.bytes().begin(), secret.bytes().end()},
                                                         enrollment->params})});
      detail::audit(impl, actor, "enroll.export", detail::AuditTarget::user, user.name, "active", "exported",
                    "otpauth URI");
    }
    transaction.commit();
    return Result::success(std::move(exported));
  });
}

} // namespace mfa
