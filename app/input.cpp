// SPDX-License-Identifier: MIT
#include "input.hpp"

#include "failure.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace mfa::app {

std::string read_input(const std::string& path)
{
  if (path == "-") {
    std::ostringstream text;
    text << std::cin.rdbuf();
    return text.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Failure(ExitStatus::usage, "cannot read " + path + ": " + std::strerror(errno));
  }
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string read_line_from_stdin(const char* prompt, bool stdin_is_terminal)
{
  if (stdin_is_terminal) {
    std::fputs(prompt, stderr);
    std::fflush(stderr);
  }
  std::string line;
  std::getline(std::cin, line);
  if (!line.empty() && line.back() == '\r') {
    line.pop_back();
  }
  return line;
}

} // namespace mfa::app
