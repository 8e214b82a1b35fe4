// SPDX-License-Identifier: MIT
#include "input.hpp"

#include "failure.hpp"

#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace mfa::app {

std::string read_input(const std::string& path, std::size_t max_bytes)
{
  std::ifstream file;
  if (path != "-") {
    file.open(path, std::ios::binary);
    if (!file) {
      throw Failure(ExitStatus::usage, "cannot read " + path + ": " + std::strerror(errno));
    }
  }
  std::istream& in = path == "-" ? std::cin : file;
  std::string text;
  char buffer[65536];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    const auto got = static_cast<std::size_t>(in.gcount());
    if (text.size() + got > max_bytes) {
      ::explicit_bzero(buffer, sizeof buffer);
      ::explicit_bzero(text.data(), text.size());
      throw Failure(ExitStatus::usage, (path == "-" ? std::string("standard input") : path) + " is longer than "
                                         + std::to_string(max_bytes / (1024 * 1024)) + " MiB");
    }
    text.append(buffer, got);
  }
  ::explicit_bzero(buffer, sizeof buffer);
  return text;
}

namespace {

// The terminal's settings while echo is off, for the signal handler.
termios g_echo_saved{};

// A signal that ends the process while echo is off (Ctrl-C at the prompt,
// say) puts echo back first, then ends it as the signal would have.
extern "C" void restore_echo_and_die(int signal_number)
{
  ::tcsetattr(STDIN_FILENO, TCSANOW, &g_echo_saved);
  const char newline = '\n';
  [[maybe_unused]] const auto written = ::write(STDERR_FILENO, &newline, 1);
  ::signal(signal_number, SIG_DFL);
  ::raise(signal_number);
}

constexpr int k_ending_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

// Turns off echo on standard input for its lifetime, when it is a terminal,
// and puts it back however the process ends.
class NoEcho
{
public:
  NoEcho()
  {
    if (::tcgetattr(STDIN_FILENO, &m_saved) != 0) {
      return;
    }
    g_echo_saved = m_saved;
    struct sigaction restore{};
    restore.sa_handler = restore_echo_and_die;
    sigemptyset(&restore.sa_mask);
    for (std::size_t i = 0; i < std::size(k_ending_signals); ++i) {
      ::sigaction(k_ending_signals[i], &restore, &m_previous[i]);
    }
    termios quiet = m_saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    m_active = ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet) == 0;
    m_handlers = true;
  }
  ~NoEcho()
  {
    if (m_active) {
      ::tcsetattr(STDIN_FILENO, TCSANOW, &m_saved);
      std::fputc('\n', stderr);
    }
    if (m_handlers) {
      for (std::size_t i = 0; i < std::size(k_ending_signals); ++i) {
        ::sigaction(k_ending_signals[i], &m_previous[i], nullptr);
      }
    }
  }
  NoEcho(const NoEcho&) = delete;
  NoEcho& operator=(const NoEcho&) = delete;

private:
  termios m_saved{};
  struct sigaction m_previous[std::size(k_ending_signals)]{};
  bool m_active = false;
  bool m_handlers = false;
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
