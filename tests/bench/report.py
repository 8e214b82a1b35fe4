#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Prints the benchmark table from the results tests/bench/run.sh left.
usage: report.py RESULTS_DIR "SIZES"
"""
import json
import platform
import subprocess
import sys
from pathlib import Path


def hyperfine(path):
    return {r["command"]: r for r in json.loads(Path(path).read_text())["results"]}


def ms(seconds):
    return f"{seconds * 1000:.2f} ms"


def spread(r):
    times = sorted(r["times"])
    q1, q3 = times[len(times) // 4], times[3 * len(times) // 4]
    return f"IQR {ms(q1)}–{ms(q3)}"


def verdict(ok):
    return "met" if ok else "NOT met"


def main():
    results, sizes = Path(sys.argv[1]), [int(s) for s in sys.argv[2].split()]
    cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"],
                         capture_output=True, text=True).stdout.strip()
    print(f"machine: {cpu}, {subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()} cores, "
          f"{platform.system()} {platform.release()}")
    print()
    print("| verify latency (whole process) | users | median | spread | mfa/oathtool | mfa/sqlite3 |")
    print("| --- | ---: | ---: | --- | ---: | ---: |")
    medians = {}
    ratios = {}
    for n in sizes:
        r = hyperfine(results / f"verify-{n}.json")
        mfa = r[f"mfa verify ({n} users)"]
        oath = r["oathtool --totp -w 1"]
        sql = r["sqlite3 durable UPDATE"]
        medians[n] = mfa["median"]
        ratios[n] = mfa["median"] / sql["median"]
        print(f"| mfa verify | {n:,} | {ms(mfa['median'])} | {spread(mfa)} | "
              f"{mfa['median'] / oath['median']:.2f} | {ratios[n]:.2f} |")
        print(f"| oathtool --totp -w 1 | {n:,} | {ms(oath['median'])} | {spread(oath)} | | |")
        print(f"| sqlite3 durable UPDATE | {n:,} | {ms(sql['median'])} | {spread(sql)} | | |")
    flat = max(medians.values()) / min(medians.values())
    print()

    g = json.loads((results / "gbench.json").read_text())["benchmarks"]
    med = {b["run_name"]: b for b in g if b.get("aggregate_name") == "median"}
    verify = med["verify_durable/min_time:3.000"]
    commit = med["sqlite_durable_commit/min_time:3.000"]
    hmac = med["hmac_code"]
    share = commit["real_time"] / verify["real_time"]
    print("| in-process (Google Benchmark, median of 5) | per call | per second |")
    print("| --- | ---: | ---: |")
    print(f"| libmfa verify_code, durable | {verify['real_time']:.0f} µs | {1e6 / verify['real_time']:,.0f} |")
    print(f"| bare durable SQLite commit, same folder | {commit['real_time']:.0f} µs | {1e6 / commit['real_time']:,.0f} |")
    print(f"| HMAC-SHA1 code only | {hmac['real_time']:.0f} ns | {1e9 / hmac['real_time']:,.0f} |")
    print()

    imp = hyperfine(results / "import.json")
    mfa_imp = imp["mfa users import (100000 rows)"]["median"]
    sql_imp = imp["sqlite3 .import (100000 rows)"]["median"]
    enr = hyperfine(results / "enroll.json")["mfa enroll --batch (10000 users)"]["median"]
    print("| provisioning | seconds | rows/s |")
    print("| --- | ---: | ---: |")
    print(f"| mfa users import, 100,000 rows | {mfa_imp:.2f} | {100000 / mfa_imp:,.0f} |")
    print(f"| sqlite3 .import, same CSV | {sql_imp:.2f} | {100000 / sql_imp:,.0f} |")
    print(f"| mfa enroll --batch, 10,000 users | {enr:.2f} | {10000 / enr:,.0f} |")
    print()

    rss = dict(line.split() for line in (results / "rss.txt").read_text().splitlines())
    print("| peak RSS | MiB |")
    print("| --- | ---: |")
    for k in ("verify", "enroll", "import"):
        print(f"| {k} | {int(rss[k]) / 1024:.1f} |")
    print()

    print("| target | figure | verdict |")
    print("| --- | --- | --- |")
    worst = max(ratios.values())
    print(f"| verify within 1.3x of the sqlite3 durable update | worst {worst:.2f}x | {verdict(worst <= 1.3)} |")
    print(f"| verify flat from {min(sizes):,} to {max(sizes):,} users (10%) | max/min {flat:.2f} | {verdict(flat <= 1.10)} |")
    print(f"| library verify >= 80% of bare durable commits | {share * 100:.0f}% | {verdict(share >= 0.8)} |")
    print(f"| users import <= 1.5x sqlite3 .import | {mfa_imp / sql_imp:.2f}x | {verdict(mfa_imp / sql_imp <= 1.5)} |")
    print(f"| peak RSS of verify < 10 MiB | {int(rss['verify']) / 1024:.1f} MiB | {verdict(int(rss['verify']) < 10240)} |")


if __name__ == "__main__":
    main()
