// SPDX-License-Identifier: MIT
#include <mfa/outcome.hpp>

namespace mfa {
namespace {

const char* status_name(Status status)
{
  switch (status) {
  case Status::ok: return "ok";
  case Status::invalid: return "invalid";
  case Status::no_such_user: return "no_such_user";
  case Status::not_allowed: return "not_allowed";
  case Status::rejected: return "rejected";
  case Status::locked: return "locked";
  }
  return "unknown";
}

} // namespace

BadOutcomeAccess::BadOutcomeAccess(Status status, const std::string& message)
  : Error(std::string("value() of a failed outcome (") + status_name(status) + ")"
          + (message.empty() ? "" : ": " + message)),
    m_status(status)
{
}

} // namespace mfa
