"""The floor of the benchmarks: a bare `csv.reader` pass over an export, counting rows."""

import csv
import sys

rows = 0
with open(sys.argv[1], newline="", encoding="utf-8-sig") as handle:
    for _row in csv.reader(handle):
        rows += 1
print(rows)
