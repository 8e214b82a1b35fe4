// SPDX-License-Identifier: MIT
#pragma once

#include <mfa/options.hpp>

namespace mfa::detail {

class DatabaseImpl;

// The settings as the current transaction sees them. Every decision made
// inside a write transaction reads them here, after the transaction began,
// never from a copy read before it.
Settings current_settings(DatabaseImpl& db);

} // namespace mfa::detail
