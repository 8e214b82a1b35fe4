// SPDX-License-Identifier: MIT
#pragma once

#include <string>

namespace mfa::app {

// The whole of a file, or of standard input for "-". A file that cannot be
// read is a usage Failure naming it.
std::string read_input(const std::string& path);

// One line from standard input, without its line end; on a terminal, asks
// with `prompt` on stderr first.
std::string read_line_from_stdin(const char* prompt, bool stdin_is_terminal);

} // namespace mfa::app
