// SPDX-License-Identifier: MIT
#pragma once

#include <mfa/error.hpp>

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

// The status, a sentence for a person when it is not ok, and the result.
//
// It fails closed: value() is the result of a successful operation and
// throws BadOutcomeAccess when the status is not ok, so a failed outcome is
// never read as a result (user_status() of an unknown user has no decision,
// not `none`). details() is what a failed outcome still tells: why a code was
// rejected (VerifyResult's accepted=false, reason, drift, locked_until), the
// user and state a confirmation left, the failing index of a batch, the bad
// rows of an import. It is the same object as value() when ok(), and a
// default one where an operation has nothing to tell; never read a decision,
// an acceptance or a result from it, only what to report.
template<typename T>
class Outcome
{
public:
  Status status = Status::ok;
  std::string message;

  Outcome() = default;

  bool ok() const { return status == Status::ok; }

  // The result; throws BadOutcomeAccess (status and message) unless ok().
  const T& value() const&
  {
    check();
    return m_value;
  }
  T& value() &
  {
    check();
    return m_value;
  }
  T&& value() &&
  {
    check();
    return std::move(m_value);
  }

  // What the outcome tells whatever its status (above): for reporting only.
  const T& details() const& { return m_value; }
  T&& details() && { return std::move(m_value); }

  static Outcome success(T value) { return Outcome(Status::ok, {}, std::move(value)); }
  static Outcome failure(Status how, std::string why, T details = {})
  {
    return Outcome(how, std::move(why), std::move(details));
  }

private:
  Outcome(Status how, std::string why, T value) : status(how), message(std::move(why)), m_value(std::move(value))
  {
  }

  void check() const
  {
    if (!ok()) {
      throw BadOutcomeAccess(status, message);
    }
  }

  T m_value{};
};

} // namespace mfa
