#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks the layer rules of ARCHITECTURE.md from the #include lines.

Usage: check_layers.py SOURCE_DIR

Every file under lib/src/LAYER/ may include the headers of the layers that
LAYER may use, the public headers <mfa/...>, the C++ standard library and
POSIX; a third-party library's headers only in the one layer that owns it.
app/ never includes lib/src. pam/ is a C program of the C ABI: of libmfa
it includes <mfa/mfa.h> only, and it alone includes PAM's headers. Lists
each breach and exits 1 if there is any.
"""
import pathlib
import re
import sys

# Which layers each layer may include ("" for its own files).
USES = {
    "util": {"util"},
    "crypto": {"crypto", "util"},
    "otp": {"otp", "crypto", "util"},
    "qr": {"qr", "util"},
    "storage": {"storage", "crypto", "otp", "util"},
    "core": {"core", "storage", "crypto", "otp", "util"},
    "c_api": {"c_api", "util"},
}
# Third-party headers, by the layer that alone may use them.
OWNED = {
    "SQLiteCpp/": "storage",
    "sqlite3.h": "storage",
    "libpq-fe.h": "storage",
    "openssl/": "crypto",
    "qrcodegen/": "qr",
}
# What core/ may include of storage/: the seam, no SQLite type in it.
SEAM = {"storage/store.hpp"}

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)


def main():
    root = pathlib.Path(sys.argv[1])
    breaches = []
    layers = sorted(p.name for p in (root / "lib/src").iterdir() if p.is_dir())
    for layer in layers:
        if layer not in USES:
            breaches.append(f"lib/src/{layer}/: a folder ARCHITECTURE.md and this check do not know")
            continue
        for path in sorted((root / "lib/src" / layer).glob("*.[ch]pp")):
            rel = path.relative_to(root)
            for kind, name in INCLUDE.findall(path.read_text(encoding="utf-8")):
                if kind == '"':
                    used = name.split("/")[0] if "/" in name else ""
                    if used not in USES[layer]:
                        breaches.append(f"{rel}: includes \"{name}\"; {layer}/ may use only {sorted(USES[layer])}")
                    elif layer == "core" and used == "storage" and name not in SEAM:
                        breaches.append(f"{rel}: includes \"{name}\"; core/ reaches storage only through {sorted(SEAM)}")
                    continue
                for prefix, owner in OWNED.items():
                    if name.startswith(prefix) and owner != layer:
                        breaches.append(f"{rel}: includes <{name}>, which only {owner}/ may use")
    for path in sorted((root / "app").rglob("*.[ch]pp")):
        for kind, name in INCLUDE.findall(path.read_text(encoding="utf-8")):
            if kind == '"' and name.split("/")[0] in USES:
                breaches.append(f"{path.relative_to(root)}: includes \"{name}\" from lib/src; the app uses <mfa/...> only")
            for prefix, owner in OWNED.items():
                if kind == "<" and name.startswith(prefix):
                    breaches.append(f"{path.relative_to(root)}: includes <{name}>, which only lib/src/{owner}/ may use")
    for path in sorted((root / "pam").glob("*.[ch]")):
        rel = path.relative_to(root)
        for kind, name in INCLUDE.findall(path.read_text(encoding="utf-8")):
            if kind == '"' and "/" in name:
                breaches.append(f"{rel}: includes \"{name}\"; pam/ includes only its own headers and <mfa/mfa.h>")
            elif kind == "<" and name.startswith("mfa/") and name != "mfa/mfa.h":
                breaches.append(f"{rel}: includes <{name}>; pam/ uses libmfa's C ABI <mfa/mfa.h> only")
            elif kind == "<" and any(name.startswith(prefix) for prefix in OWNED):
                breaches.append(f"{rel}: includes <{name}>, which pam/ may not use")
    for path in sorted(root.rglob("*.[ch]*")):
        rel = path.relative_to(root)
        if (rel.parts[0] == "pam" or rel.parts[:2] == ("tests", "pam") or rel.parts[0].startswith((".", "build"))
                or path.suffix not in (".c", ".h", ".cpp", ".hpp")):
            continue
        for kind, name in INCLUDE.findall(path.read_text(encoding="utf-8", errors="replace")):
            if kind == "<" and name.startswith("security/"):
                breaches.append(f"{rel}: includes <{name}>; only pam/ (and its tests) use PAM's headers")
    for line in breaches:
        print(line)
    print(f"{len(layers)} layers checked, {len(breaches)} breaches")
    return 1 if breaches else 0


if __name__ == "__main__":
    sys.exit(main())
