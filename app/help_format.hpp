// SPDX-License-Identifier: MIT
#pragma once

#include <CLI/CLI.hpp>

#include <initializer_list>
#include <string>
#include <string_view>

namespace mfa::app {

// Widest line of any --help text.
inline constexpr std::size_t k_help_columns = 80;

// The --help text of every command: a subcommand's help also lists the
// global options, and every line fits k_help_columns (long descriptions
// wrap under their column).
class HelpFormatter : public CLI::Formatter
{
public:
  HelpFormatter();

  std::string make_help(const CLI::App* app, std::string name, CLI::AppFormatMode mode) const override;
  std::string make_footer(const CLI::App* app) const override;
};

// `text` with every line longer than `columns` broken at spaces; a line of
// the form "  NAME   description" goes on under its description.
std::string wrap_lines(std::string_view text, std::size_t columns);

// A footer of examples: "Example:" (or "Examples:") and each line indented.
std::string examples(std::initializer_list<std::string_view> lines);

} // namespace mfa::app
