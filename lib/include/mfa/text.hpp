// SPDX-License-Identifier: MIT
#pragma once

#include <mfa/export.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace mfa {

enum class Combining
{
  escape, // for a person: "e" + U+0301 must look different from "é"
  keep,   // for a program that reads the name back (shell completion)
};

// `text` made safe to show a person on one line: control characters (C0, DEL,
// C1), invisible format characters (bidirectional overrides and isolates,
// zero-width characters, line and paragraph separators) and, unless kept,
// combining diacritical marks (U+0300 to U+036F) become escapes: \n, \r, \t,
// \xHH below U+0080, \uHHHH above; a byte that is not UTF-8 becomes \xHH.
// Everything else, the backslash included, is kept as it is.
// Throws nothing.
MFA_API std::string escape_text(std::string_view text, Combining combining = Combining::escape);

// Why `text` cannot be kept as `what` ("an actor", "a reason"): it is not
// UTF-8, or it holds a control or an invisible format character (what
// escape_text() would escape, combining marks aside). Nothing when it can.
// Throws nothing.
MFA_API std::optional<std::string> text_problem(std::string_view what, std::string_view text);

} // namespace mfa
