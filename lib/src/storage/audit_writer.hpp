// SPDX-License-Identifier: MIT
#pragma once

#include "storage/store.hpp"

namespace mfa::detail {

class DatabaseImpl;

// Appends one row to the audit log at the database clock's time (the SQLite
// store's append_audit()). An actor or a reason is stored with control
// characters escaped (escape_text, combining marks kept).
void append_audit(DatabaseImpl& db, const AuditRecord& entry);

} // namespace mfa::detail
