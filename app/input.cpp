// SPDX-License-Identifier: MIT
#include "input.hpp"

#include "failure.hpp"

#include <termios.h>
#include <unistd.h>

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

namespace {

// Turns off echo on standard input for its lifetime, when it is a terminal.
class NoEcho
{
public:
  NoEcho()
  {
    if (::tcgetattr(STDIN_FILENO, &m_saved) == 0) {
      termios quiet = m_saved;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      m_active = ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet) == 0;
    }
  }
  ~NoEcho()
  {
    if (m_active) {
      ::tcsetattr(STDIN_FILENO, TCSANOW, &m_saved);
      std::fputc('\n', stderr);
    }
  }
  NoEcho(const NoEcho&) = delete;
  NoEcho& operator=(const NoEcho&) = delete;

private:
  termios m_saved{};
  bool m_active = false;
};

} // namespace

std::string read_code(const std::optional<std::string>& given, bool stdin_is_terminal)
{
  if (given && *given != "-") {
    return *given;
  }
  NoEcho quiet; // before the prompt, so that nothing typed after it shows
  if (stdin_is_terminal) {
    std::fputs("Code: ", stderr);
    std::fflush(stderr);
  }
  // A code is short: a longer line is kept only far enough to be refused.
  constexpr std::size_t k_keep = 1024;
  std::string line;
  for (int c = std::cin.get(); c != EOF && c != '\n'; c = std::cin.get()) {
    if (line.size() < k_keep) {
      line += static_cast<char>(c);
    }
  }
  if (!line.empty() && line.back() == '\r') {
    line.pop_back();
  }
  return line;
}

} // namespace mfa::app
