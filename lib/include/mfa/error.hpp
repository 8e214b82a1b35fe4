// SPDX-License-Identifier: MIT
#pragma once

#include <mfa/export.hpp>

#include <stdexcept>
#include <string>

namespace mfa {

enum class Status; // <mfa/outcome.hpp>

// Base of every fault libmfa throws. Expected outcomes (a rejected code, an
// unknown user, a refused state change) are returned as values, never thrown.
class MFA_API Error : public std::runtime_error
{
public:
  using std::runtime_error::runtime_error;
};

// The database cannot be used: not a database, corrupt, newer schema,
// read-only, or locked for longer than the busy timeout.
class MFA_API StorageError : public Error
{
public:
  using Error::Error;
};

// The key file is missing, unreadable, malformed, too permissive, or does not
// belong to this database; or a sealed secret failed to open.
class MFA_API KeyError : public Error
{
public:
  using Error::Error;
};

// A caller passed a value the library's own rules refuse (a TOTP period of
// 0, say): a programming error in the caller, thrown before any arithmetic.
class MFA_API InvalidArgument : public Error
{
public:
  using Error::Error;
};

// A configuration file cannot be used: unreadable, an unknown key, or a
// line that is not `key = value`. The message names the file and line.
class MFA_API ConfigError : public Error
{
public:
  using Error::Error;
};

// value() of an Outcome whose status is not ok: a programming error in the
// caller, which must test ok() (or the status) first. what() names the
// status and carries the outcome's message; status() is that status.
class MFA_API BadOutcomeAccess : public Error
{
public:
  BadOutcomeAccess(Status status, const std::string& message);
  Status status() const noexcept { return m_status; }

private:
  Status m_status;
};

} // namespace mfa
