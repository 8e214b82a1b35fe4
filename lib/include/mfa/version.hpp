// SPDX-License-Identifier: MIT
#pragma once

#include <mfa/export.hpp>

namespace mfa {

// The version of the libmfa that is loaded (not of the headers compiled
// against), e.g. "0.1.0": the CMake project version. Throws nothing.
MFA_API const char* version() noexcept;

} // namespace mfa
