// SPDX-License-Identifier: MIT
#include <mfa/version.hpp>

namespace mfa {

const char* version() noexcept
{
  return MFA_VERSION;
}

} // namespace mfa
