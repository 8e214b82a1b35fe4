// SPDX-License-Identifier: MIT
#pragma once

#include <exception>
#include <string>
#include <string_view>

namespace CLI {
class App;
}

namespace mfa::app {

class Context;

// Builds the command tree: global options and every command group or, with
// `only` (a word named_command() gave), the global options and the one group
// that has that command. A parse on the smaller tree reads the same command
// the same way; its errors, help and version are said from the whole tree.
void setup_cli(CLI::App& app, Context& ctx, std::string_view only = {});

// The top-level command a command line names: its first word that is neither
// a global option nor a global option's value, when that word is a command.
// Empty when it names none, or when a word before it is anything else
// (--help, --version, an unknown flag, --).
std::string_view named_command(int argc, const char* const* argv);

// A one-line message for a parse error that names the command and, for a
// missing or unknown subcommand, the ones that exist.
std::string explain_parse_error(CLI::App& app, const std::exception& error);

// Whether --json is among the arguments, known before parsing so that even
// a parse error is reported as JSON.
bool json_requested(int argc, const char* const* argv);

} // namespace mfa::app
