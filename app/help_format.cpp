// SPDX-License-Identifier: MIT
#include "help_format.hpp"

#include "terminal.hpp"

namespace mfa::app {

namespace {

constexpr std::size_t k_name_column = 26;

// Where a continuation of `line` starts: under the description of an
// indented "NAME  description" line, else under the line's own indent.
std::size_t continuation_indent(std::string_view line)
{
  const std::size_t lead = line.find_first_not_of(' ');
  if (lead == std::string_view::npos) {
    return 0;
  }
  if (lead >= 2) {
    const std::size_t gap = line.find("  ", lead);
    if (gap != std::string_view::npos) {
      const std::size_t description = line.find_first_not_of(' ', gap);
      if (description != std::string_view::npos && description < line.size() / 2 + 1) {
        return description;
      }
    }
  }
  return lead;
}

void wrap_line(std::string& out, std::string_view line, std::size_t columns)
{
  const std::size_t indent = continuation_indent(line);
  std::string_view rest = line;
  while (display_width(rest) > columns) {
    // The last space that ends a line within `columns`, past the indent.
    std::size_t cut = rest.rfind(' ', columns);
    if (cut == std::string_view::npos || cut <= indent) {
      cut = rest.find(' ', columns);
      if (cut == std::string_view::npos) {
        break;
      }
    }
    std::string_view head = rest.substr(0, cut);
    while (!head.empty() && head.back() == ' ') {
      head.remove_suffix(1);
    }
    out.append(head).append("\n");
    rest.remove_prefix(cut);
    rest.remove_prefix(std::min(rest.find_first_not_of(' '), rest.size()));
    out.append(indent, ' ');
  }
  out.append(rest);
}

} // namespace

HelpFormatter::HelpFormatter()
{
  column_width(k_name_column);
}

std::string HelpFormatter::make_help(const CLI::App* app, std::string name, CLI::AppFormatMode mode) const
{
  return wrap_lines(CLI::Formatter::make_help(app, std::move(name), mode), k_help_columns);
}

std::string HelpFormatter::make_footer(const CLI::App* app) const
{
  std::string footer = CLI::Formatter::make_footer(app);
  const CLI::App* root = app;
  while (root->get_parent() != nullptr) {
    root = root->get_parent();
  }
  if (root == app) {
    return footer;
  }
  const auto globals = root->get_options([root](const CLI::Option* opt) {
    return opt->nonpositional() && opt != root->get_help_ptr() && opt != root->get_version_ptr();
  });
  // Named only: their descriptions are in mfa --help.
  std::string names;
  for (const auto* opt : globals) {
    names += (names.empty() ? "" : ", ") + make_option_name(opt, false) + make_option_opts(opt);
  }
  const std::string section = "Global options (see mfa --help):\n  " + names + "\n";
  return footer.empty() ? section : footer + "\n" + section;
}

std::string wrap_lines(std::string_view text, std::size_t columns)
{
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    wrap_line(out, text.substr(0, end), columns);
    if (end == std::string_view::npos) {
      break;
    }
    out.push_back('\n');
    text.remove_prefix(end + 1);
  }
  return out;
}

std::string examples(std::initializer_list<std::string_view> lines)
{
  std::string footer = lines.size() > 1 ? "Examples:" : "Example:";
  for (const auto line : lines) {
    footer.append("\n  ").append(line);
  }
  return footer;
}

} // namespace mfa::app
