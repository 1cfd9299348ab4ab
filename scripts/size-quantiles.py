#!/usr/bin/env python3
"""Derives the package-size quantile tables the simulator ships from Debian "Packages" size lists.

Usage: scripts/size-quantiles.py SIZES.tsv NAME SOURCE-NOTE > table.quantiles
SIZES.tsv has one "package<TAB>size-in-bytes" line per package (as ../shared/data/ holds for
Debian 12 bookworm main and bookworm-security main, amd64, indexes of 2026-11).
The output has 1001 quantiles (q = 0, 0.001, ..., 1) by the nearest-rank method, one per line.
"""
import math
import statistics
import sys


def main():
    path, name, note = sys.argv[1], sys.argv[2], sys.argv[3]
    sizes = sorted(int(line.split('\t')[1]) for line in open(path) if line.strip())
    n = len(sizes)

    def q(p):
        return sizes[max(0, min(n - 1, math.ceil(p * n) - 1))] if p > 0 else sizes[0]

    print(f"# {name}: package sizes in bytes, 1001 quantiles (q = 0, 0.001, ..., 1), nearest rank")
    print(f"# source: {note}")
    print(f"# packages: {n}; median {q(0.5)}; p90 {q(0.9)}; p99 {q(0.99)}; mean {round(statistics.fmean(sizes))}; max {sizes[-1]}")
    for i in range(1001):
        print(q(i / 1000))


if __name__ == "__main__":
    main()
