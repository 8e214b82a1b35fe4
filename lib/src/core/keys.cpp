// SPDX-License-Identifier: MIT
#include "crypto/secret.hpp"
#include "storage/store.hpp"

#include <mfa/error.hpp>
#include <mfa/keys.hpp>
#include <mfa/users.hpp>

#include <algorithm>

namespace mfa {

KeyCheckReport check_key(Database& db)
{
  return detail::with_store(db, [&](detail::Store& impl) {
    auto snapshot = impl.read(); // every row as one moment saw it
    KeyCheckReport report;
    for (const auto state : {EnrollmentState::pending, EnrollmentState::active}) {
      UserFilter filter;
      filter.enrollment = state;
      for (const User& user : impl.list_users(filter)) {
        const auto enrollment = impl.enrollment(user.id);
        ++report.checked;
        try {
          if (!enrollment) {
            throw KeyError("no enrollment row");
          }
          (void)open_secret(impl.key().bytes(), user.id, enrollment->sealed_secret);
        } catch (const KeyError&) {
          report.failed.push_back(user.name);
        }
      }
    }
    std::sort(report.failed.begin(), report.failed.end());
    return report;
  });
}

} // namespace mfa
