// SPDX-License-Identifier: MIT
#pragma once

#include "storage/store.hpp"

#include <vector>

namespace mfa::detail {

class DatabaseImpl;

// Appends rows to the audit log, in order, at the database clock's time (the
// SQLite store's append_audit() and append_audits()). An actor or a reason is
// stored with control characters escaped (escape_text, combining marks kept).
void append_audits(DatabaseImpl& db, const std::vector<AuditRecord>& entries);

} // namespace mfa::detail
