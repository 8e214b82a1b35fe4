// SPDX-License-Identifier: MIT
#include "outcome_exit.hpp"

namespace mfa::app {

ExitStatus exit_for(Status status)
{
  switch (status) {
  case Status::ok:
    return ExitStatus::success;
  case Status::invalid:
    return ExitStatus::usage;
  case Status::no_such_user:
    return ExitStatus::no_such_user;
  case Status::not_allowed:
    return ExitStatus::not_allowed;
  case Status::rejected:
    return ExitStatus::rejected;
  case Status::locked:
    return ExitStatus::locked;
  }
  return ExitStatus::storage;
}

nlohmann::ordered_json user_json(const User& user)
{
  return {{"name", user.name},
          {"type", to_string(user.type)},
          {"auth", to_string(user.auth)},
          {"email", optional_json(user.email)},
          {"enrollment", to_string(user.enrollment)}};
}

} // namespace mfa::app
