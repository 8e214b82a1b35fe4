#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""libmfa.so exports exactly its public API (lib/libmfa.map).

  check_exports.py NM LIBMFA_SO INCLUDE_DIR

- every dynamic symbol the library defines is of namespace mfa (not
  mfa::detail) or a C function mfa_* declared in INCLUDE_DIR/mfa.h (when
  that header exists; before it does, no mfa_* symbol may be exported);
- every exported C++ function is declared with MFA_API in a public header
  (a free function), or in the body of a `class MFA_API` there (a member);
  every exported typeinfo, typeinfo name and vtable is of such a class;
- the other way round, as many of each name as the headers declare: each
  MFA_API free function, each out-of-line member of an MFA_API class, and
  the typeinfo, typeinfo name and vtable of each MFA_API class with a base
  (an exception class, which an application catches by type).
The headers are read with regular expressions: comments and preprocessor
lines are dropped, then statements are cut at ';' and at braces.
"""

import collections
import pathlib
import re
import subprocess
import sys


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    text = re.sub(r'"(?:\\.|[^"\\])*"', '""', text)
    return "\n".join(line for line in text.split("\n") if not line.lstrip().startswith("#"))


def declared_name(statement):
    """The name a declaration statement declares: the identifier (or
    operator) before its first top-level '(' (a function), else the last
    identifier before any initializer (a variable)."""
    statement = re.sub(r"\boperator\s*\(\s*\)", "operator__call", statement)
    depth = 0
    for i, c in enumerate(statement):
        if c == "<":
            depth += 1
        elif c == ">":
            depth -= 1
        elif c == "(" and depth == 0:
            head = statement[:i].rstrip()
            m = re.search(r"(operator\s*\S+?|~?\w+)$", head)
            name = re.sub(r"\s+", "", m.group(1)).replace("operator__call", "operator()") if m else None
            return name, True
    m = re.search(r"(\w+)\s*(?:=.*|\[.*)?$", statement.strip(), flags=re.S)
    return (m.group(1) if m else None), False


def statements(body):
    """Top-level statements of a class body or a namespace: (text, has_body)."""
    out, start, i = [], 0, 0
    while i < len(body):
        c = body[i]
        if c == ";":
            out.append((body[start:i], False))
            start = i + 1
        elif c == "{":
            depth, j = 1, i + 1
            while j < len(body) and depth:
                depth += {"{": 1, "}": -1}.get(body[j], 0)
                j += 1
            out.append((body[start:i], True))
            i, start = j - 1, j
        i += 1
    return out


def read_headers(include_dir):
    """(free functions, classes): Counter of MFA_API free function names;
    {class: (Counter of out-of-line member names, has a base)}."""
    free = collections.Counter()
    classes = {}
    for header in sorted(pathlib.Path(include_dir).glob("*.hpp")):
        text = strip_comments(header.read_text())
        for m in re.finditer(r"\b(class|struct)\s+MFA_API\s+(\w+)([^;{]*)\{", text):
            name, bases = m.group(2), m.group(3)
            depth, j = 1, m.end()
            while depth:
                depth += {"{": 1, "}": -1}.get(text[j], 0)
                j += 1
            members = collections.Counter()
            for statement, has_body in statements(text[m.end():j - 1]):
                statement = re.sub(r"^\s*(public|private|protected)\s*:", "", statement).strip()
                if has_body or re.search(r"=\s*(default|delete)\s*$", statement) \
                        or re.match(r"(friend|using|typedef|struct|class|enum)\b", statement):
                    continue
                member, is_function = declared_name(statement)
                if is_function:
                    members[member] += 1
            classes[name] = (members, ":" in bases or "virtual" in text[m.end():j])
        for m in re.finditer(r"(?<!class )(?<!struct )\bMFA_API\b([^;{]*)", text):
            if re.search(r"\b(class|struct)\s*$", text[:m.start()]):
                continue
            name, _ = declared_name(m.group(1))
            free[name] += 1
    return free, classes


def read_c_header(include_dir):
    """Names of the functions <mfa/mfa.h> declares, or None without it."""
    header = pathlib.Path(include_dir) / "mfa.h"
    if not header.exists():
        return None
    text = re.sub(r"\btypedef\b[^;]*;", " ", strip_comments(header.read_text()))
    return set(re.findall(r"\b(mfa_\w+)\s*\(", text))


def split_top(text, sep):
    """Splits on sep outside of <> () []."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(text):
        c = text[i]
        if c in "<([":
            depth += 1
        elif c in ">)]":
            depth -= 1
        elif depth == 0 and text.startswith(sep, i):
            parts.append(text[start:i])
            i += len(sep)
            start = i
            continue
        i += 1
    parts.append(text[start:])
    return parts


def qualified_name(demangled):
    """['mfa', 'Class', 'member'] of a demangled function or variable."""
    text = re.sub(r"\[abi:\w+\]", "", demangled)
    text = re.sub(r"(\s+(const|volatile|&|&&|noexcept))+$", "", text)
    if text.endswith(")"):
        depth, i = 0, len(text) - 1
        while i >= 0:
            depth += {")": 1, "(": -1}.get(text[i], 0)
            if depth == 0:
                break
            i -= 1
        text = text[:i]
    text = split_top(text.strip(), " ")[-1]  # a template's return type
    return [re.sub(r"<.*>$", "", part) for part in split_top(text, "::")]


def dynamic_symbols(nm, library):
    def run(*flags):
        out = subprocess.run([nm, "-D", "--defined-only", "-p", *flags, library],
                             check=True, capture_output=True, text=True).stdout
        return [line.split(" ", 2) for line in out.splitlines()]

    mangled, demangled = run(), run("-C")
    assert len(mangled) == len(demangled)
    symbols = []
    for (_, kind, name), (_, kind2, pretty) in zip(mangled, demangled):
        assert kind == kind2
        if kind == "A":  # a version node (MFA_0), not a symbol
            continue
        symbols.append((re.sub(r"@.*", "", name), re.sub(r"@.*", "", pretty)))
    return symbols


def main():
    nm, library, include_dir = sys.argv[1:4]
    free, classes = read_headers(include_dir)
    c_functions = read_c_header(include_dir)
    problems = []
    exported_free = collections.Counter()
    exported_members = collections.defaultdict(collections.Counter)
    exported_class_data = collections.defaultdict(set)
    seen = set()

    for name, pretty in dynamic_symbols(nm, library):
        if not name.startswith("_Z"):
            if not re.fullmatch(r"mfa_\w+", name):
                problems.append(f"exported, not of the public API: {name}")
            elif c_functions is None or name not in c_functions:
                problems.append(f"exported, not declared in <mfa/mfa.h>: {name}")
            continue
        if not re.match(r"_Z(T[ISV])?NK?3mfa", name) or re.match(r"_Z(T[ISV])?NK?3mfa6detail", name):
            problems.append(f"exported, not of namespace mfa (or in mfa::detail): {pretty}")
            continue
        m = re.fullmatch(r"(typeinfo|typeinfo name|vtable) for mfa::(\w+)", pretty)
        if m:
            if m.group(2) not in classes:
                problems.append(f"exported {m.group(1)} of a class no header declares MFA_API: {pretty}")
            exported_class_data[m.group(2)].add(m.group(1))
            continue
        if pretty in seen:  # complete and base object constructors (C1, C2) demangle alike
            continue
        seen.add(pretty)
        parts = qualified_name(pretty)
        if len(parts) == 2:
            exported_free[parts[1]] += 1
        elif len(parts) == 3 and parts[1] in classes:
            exported_members[parts[1]][parts[2]] += 1
        else:
            problems.append(f"exported, not declared MFA_API in a public header: {pretty}")

    for name in sorted(set(free) | set(exported_free)):
        if free[name] != exported_free[name]:
            problems.append(f"mfa::{name}: the headers declare {free[name]} with MFA_API, "
                            f"libmfa exports {exported_free[name]}")
    for cls, (members, polymorphic) in sorted(classes.items()):
        for member in sorted(set(members) | set(exported_members[cls])):
            if members[member] != exported_members[cls][member]:
                problems.append(f"mfa::{cls}::{member}: the header declares {members[member]} out of line, "
                                f"libmfa exports {exported_members[cls][member]}")
        if polymorphic:
            for what in ("typeinfo", "typeinfo name", "vtable"):
                if what not in exported_class_data[cls]:
                    problems.append(f"not exported: {what} for mfa::{cls}")
    for name in sorted(set(c_functions or ()) - {n for n, _ in dynamic_symbols(nm, library)}):
        problems.append(f"declared in <mfa/mfa.h>, not exported: {name}")

    for problem in problems:
        print(problem)
    if problems:
        return 1
    print(f"ok: {sum(exported_free.values())} functions, "
          f"{sum(sum(c.values()) for c in exported_members.values())} members of {len(classes)} classes, "
          f"{len(c_functions or ())} C functions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
