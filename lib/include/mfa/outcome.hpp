// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <utility>

namespace mfa {

// How an operation on a user ended. Everything but `ok` is an expected
// outcome that a caller reports; faults are thrown as mfa::Error instead.
enum class Status
{
  ok,
  invalid,      // bad input: a malformed name, e-mail, file row, an empty code
  no_such_user, // the user does not exist
  not_allowed,  // not in the current state: SSO, MFA off, not enrolled, exists
  rejected,     // a code was rejected
  locked,       // the user is locked out
};

// The status, a sentence for a person when it is not ok, and the value (which
// some operations fill in even when rejected, to say why).
template<typename T>
struct Outcome
{
  Status status = Status::ok;
  std::string message;
  T value{};

  bool ok() const { return status == Status::ok; }

  static Outcome success(T value) { return {Status::ok, {}, std::move(value)}; }
  static Outcome failure(Status status, std::string message, T value = {})
  {
    return {status, std::move(message), std::move(value)};
  }
};

} // namespace mfa
