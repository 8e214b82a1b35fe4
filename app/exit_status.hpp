// SPDX-License-Identifier: MIT
#pragma once

namespace mfa::app {

// The contract's exit codes.
enum class ExitStatus
{
  success = 0,
  rejected = 1,
  usage = 2,
  no_such_user = 3,
  not_allowed = 4,
  locked = 5,
  storage = 6,
};

} // namespace mfa::app
