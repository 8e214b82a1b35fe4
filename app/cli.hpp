// SPDX-License-Identifier: MIT
#pragma once

#include <exception>
#include <string>

namespace CLI {
class App;
}

namespace mfa::app {

class Context;

// Builds the whole command tree: global options and every command group.
void setup_cli(CLI::App& app, Context& ctx);

// A one-line message for a parse error that names the command and, for a
// missing or unknown subcommand, the ones that exist.
std::string explain_parse_error(CLI::App& app, const std::exception& error);

// Whether --json is among the arguments, known before parsing so that even
// a parse error is reported as JSON.
bool json_requested(int argc, const char* const* argv);

} // namespace mfa::app
