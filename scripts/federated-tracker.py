#!/usr/bin/python3
"""Coordinator of federated dose-model training (`genodose dose train --federated`): starts
XGBoost's rabit tracker (python3-xgboost, the Debian package; hence /usr/bin/python3) for N
site workers and waits until they finish. The tracker only introduces the workers to each
other (host, port and rank of each); it sees no patient data and no model.

Usage: scripts/federated-tracker.py --workers N [--host 127.0.0.1] [--port 9091] [--timeout 600]
Prints "tracker HOST:PORT" when ready, then exits 0 when every worker has finished, or 1 after
--timeout seconds (a worker that never connected or never finished).
"""
import argparse
import sys
import threading

from xgboost.tracker import RabitTracker

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--workers", type=int, required=True)
parser.add_argument("--host", default="127.0.0.1")
parser.add_argument("--port", type=int, default=9091)
parser.add_argument("--timeout", type=float, default=600)
args = parser.parse_args()
if args.workers < 1:
    parser.error("--workers must be >= 1")

tracker = RabitTracker(host_ip=args.host, n_workers=args.workers, port=args.port)
tracker.start(args.workers)
print(f"tracker {args.host}:{tracker.port}", flush=True)
waiter = threading.Thread(target=tracker.join, daemon=True)
waiter.start()
waiter.join(args.timeout)
if waiter.is_alive():
    print(f"federated-tracker: not every worker finished within {args.timeout:.0f} s", file=sys.stderr)
    sys.exit(1)
