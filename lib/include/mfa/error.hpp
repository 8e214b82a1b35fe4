// SPDX-License-Identifier: MIT
#pragma once

#include <mfa/export.hpp>

#include <stdexcept>
#include <string>

namespace mfa {

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

} // namespace mfa
