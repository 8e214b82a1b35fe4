// SPDX-License-Identifier: MIT
#pragma once

namespace CLI {
class App;
}

namespace mfa::app {

class Context;

// Each adds one command group to the root command.
void setup_init(CLI::App& root, Context& ctx);
void setup_options(CLI::App& root, Context& ctx);
void setup_users(CLI::App& root, Context& ctx);
void setup_enroll(CLI::App& root, Context& ctx);
void setup_verify(CLI::App& root, Context& ctx);
void setup_backup_codes(CLI::App& root, Context& ctx);
void setup_helpdesk(CLI::App& root, Context& ctx);
void setup_audit(CLI::App& root, Context& ctx);
void setup_db(CLI::App& root, Context& ctx);
void setup_key(CLI::App& root, Context& ctx);

} // namespace mfa::app
