#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""<mfa/mfa.hpp> includes every public C++ header, and only those.

  check_umbrella.py INCLUDE_DIR
"""

import pathlib
import re
import sys

folder = pathlib.Path(sys.argv[1])
headers = {p.name for p in folder.glob("*.hpp")} - {"mfa.hpp"}
included = set(re.findall(r"^#include <mfa/([\w.]+)>", (folder / "mfa.hpp").read_text(), flags=re.M))
for name in sorted(headers - included):
    print(f"<mfa/mfa.hpp> does not include <mfa/{name}>")
for name in sorted(included - headers):
    print(f"<mfa/mfa.hpp> includes <mfa/{name}>, which is not a public header")
sys.exit(1 if headers != included else 0)
