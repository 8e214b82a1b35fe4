// SPDX-License-Identifier: MIT
#pragma once

#include <mfa/export.hpp>
#include <mfa/options.hpp>
#include <mfa/outcome.hpp>
#include <mfa/users.hpp>

#include <cstdint>
#include <string_view>

namespace mfa {

class Database;

// What a login of a user needs.
enum class Decision
{
  none,            // MFA is off for the user's class, or the user signs in with SSO
  enroll_required, // must enroll now (a pending enrollment still needs confirming)
  enroll_optional, // may enroll, or skip it
  verify,          // enrolled: must pass a code
  locked,          // locked out after too many failures
};

// Throws nothing.
MFA_API const char* to_string(Decision decision); // "none", "enroll-required", ...

// The option that governs a class of users.
// Throws nothing.
MFA_API Mode class_mode(const Settings& settings, UserType type);

// The article's policy, as one pure function. SSO users and classes whose
// option is Off need nothing, whatever else holds; a lock comes next; an
// active enrollment needs a code; otherwise Required makes the user enroll
// and Optional lets the user skip it.
// Throws nothing.
MFA_API Decision decide(const Settings& settings, UserType type, AuthMethod auth, EnrollmentState enrollment,
                        bool locked);

struct UserStatus
{
  User user;
  Mode option = Mode::off; // the option of the user's class
  Decision decision = Decision::none;
  bool locked = false;     // the lock is in force now
};

// The decision for one user now (the database's clock). An unknown user is
// no_such_user, with no decision: value() throws BadOutcomeAccess.
// Throws StorageError when the database cannot be read.
MFA_API Outcome<UserStatus> user_status(Database& db, std::string_view name);

} // namespace mfa
