#!/usr/bin/python3
"""Federated dose-model training on localhost (`genodose dose train --federated`): time and
bytes exchanged per boosting round for 3 and 10 sites, and the federated model beside the same
procedure on the pooled rows.

The IWPC development sites are dealt into N groups (site s -> group (s-1) mod N), one worker
per group, with the shipped model's grid point (extended, sqrt, depth 3, pseudo-Huber, linear
base, eta 0.05, subsample 0.8, colsample 0.8). Bytes: every worker runs under strace, and the
bytes its sendto/sendmsg/write calls on sockets return are summed; per round = (bytes with 100
rounds - bytes with 50 rounds) / 50, so the one-off exchanges (tracker handshake, settings
check, linear base, sketch, calibration histogram) cancel out; they are reported separately as
the 50-round total minus 50 x per round. Time per round: the boosting loop's wall time (without
strace) / rounds, the slowest worker.

Usage: benchmarks/dose/federated.py GENODOSE [IWPC_CSV] [CYP2C9_PHENOTYPES]
"""
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))
top = os.path.dirname(os.path.dirname(here))
genodose = sys.argv[1]
iwpc = sys.argv[2] if len(sys.argv) > 2 else os.path.join(top, "..", "shared", "data", "iwpc", "iwpc_dev.csv")
phenotypes = sys.argv[3] if len(sys.argv) > 3 else os.path.join(top, "..", "shared", "data", "pgx", "phenotype", "CYP2C9.json")
tracker_script = os.path.join(top, "scripts", "federated-tracker.py")
work = tempfile.mkdtemp(prefix="genodose-federated.")
rows = list(csv.reader(open(iwpc, newline="")))
site_column = rows[0].index("Project Site")


def point(rounds):
    # Written once: the workers of a run read it while later ones start.
    path = os.path.join(work, f"point{rounds}.json")
    if os.path.exists(path):
        return path
    json.dump({"feature_sets": ["extended"], "transforms": ["sqrt"], "max_depths": [3], "min_child_weights": [20],
               "objectives": ["reg:pseudohubererror"], "linear_base": [True], "max_rounds": rounds}, open(path, "w"))
    return path


def split(n):
    files = []
    for g in range(n):
        path = os.path.join(work, f"sites{n}_group{g}.csv")
        with open(path, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(rows[0])
            w.writerows(r for r in rows[1:] if (int(r[site_column]) - 1) % n == g)
        files.append(path)
    return files


def socket_bytes(trace):
    # strace -yy names each descriptor: count only the calls on TCP sockets.
    total = 0
    for line in open(trace):
        m = re.search(r"(sendto|sendmsg|write)\((\d+)<(TCP|UNIX|socket)[^>]*>.*\) = (\d+)$", line)
        if m:
            total += int(m.group(4))
    return total


def run(files, rounds, traced):
    n = len(files)
    tracker = subprocess.Popen(["/usr/bin/python3", tracker_script, "--workers", str(n), "--port", "0", "--timeout", "600"],
                               stdout=subprocess.PIPE, text=True)
    address = tracker.stdout.readline().split()[1]
    workers, traces = [], []
    for rank, path in enumerate(files):
        command = [genodose, "dose", "train", "--federated", "--tracker", address, "--workers", str(n), "--rank", str(rank),
                   "--site-data", path, "--cyp2c9-phenotypes", phenotypes, "--grid", point(rounds),
                   "--output", os.path.join(work, f"model{n}_{rank}.json")]
        if traced:
            trace = os.path.join(work, f"trace{n}_{rounds}_{rank}")
            traces.append(trace)
            command = ["strace", "-f", "-qq", "-yy", "-e", "trace=sendto,sendmsg,write", "-o", trace] + command
        log = open(os.path.join(work, f"worker{n}_{rounds}_{rank}.log"), "w")
        workers.append((subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log), log.name))
    for w, _ in workers:
        w.wait()
    logs = [open(name).read() for _, name in workers]
    workers = [w for w, _ in workers]
    tracker.wait()
    if any(w.returncode for w in workers):
        sys.exit("a worker failed:\n" + "\n".join(logs))
    seconds = max(float(re.search(r"rounds in ([0-9.e-]+) s", log).group(1)) for log in logs)
    return seconds, [socket_bytes(t) for t in traces]


def pooled(rounds):
    path = os.path.join(work, "pooled.csv")
    with open(path, "w", newline="") as f:
        csv.writer(f).writerows(rows)
    out = subprocess.run([genodose, "dose", "train", "--federated", "--site-data", path, "--cyp2c9-phenotypes", phenotypes,
                          "--grid", point(rounds), "--output", os.path.join(work, "pooled.json")],
                         capture_output=True, text=True, check=True).stderr
    return float(re.search(r"rounds in ([0-9.e-]+) s", out).group(1))


# Per worker the bytes are not comparable between runs: the tracker assigns the tree/ring
# roles (ranks) anew each time; the total over the workers is.
print("| sites | workers' patients (min-max) | s per round (slowest worker) | bytes sent per round, all workers | one-off bytes, all workers |")
print("|---:|---|---:|---:|---:|")
for n in (3, 10):
    files = split(n)
    sizes = [sum(1 for _ in open(f)) - 1 for f in files]
    seconds, _ = run(files, 100, False)
    _, b50 = run(files, 50, True)
    _, b100 = run(files, 100, True)
    per_round = [(b - a) / 50 for a, b in zip(b50, b100)]
    one_off = sum(b50) - 50 * sum(per_round)
    print(f"| {n} | {min(sizes)}-{max(sizes)} | {seconds / 100:.4f} | {sum(per_round):,.0f} | {one_off:,.0f} |")
print()
print(f"pooled (one process, all {len(rows) - 1} rows): {pooled(100) / 100:.4f} s per round")
print(f"work folder: {work}")
