#!/usr/bin/env python3
"""Generate han_simplified.tsv: traditional Han character -> simplified form.

Input, under DATA_DIR (a folder holding this published file; see README.md in
this folder for its origin):
  translit/unihan/simplified_variants.tsv   Unihan kSimplifiedVariant
                                             (Unicode licence v3)

Rule: for each character c with simplified variants, take the first listed
variant; keep the pair only when that variant differs from c (`乾` lists itself
first and is kept as is) and both are single Basic Multilingual Plane
characters (goods descriptions are written with BMP characters; the rest only
makes the table larger).  Output: `traditional<TAB>simplified`, sorted by code
point.  Usage:
  python3 gen_han_simplified.py DATA_DIR > han_simplified.tsv
"""
import sys
from pathlib import Path


def main():
    root = Path(sys.argv[1])
    pairs = {}
    path = root / "translit" / "unihan" / "simplified_variants.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) != 2:
            continue
        trad, variants = parts[0], parts[1].split()
        if len(trad) != 1 or not variants:
            continue
        simp = variants[0]
        if len(simp) != 1 or simp == trad:
            continue
        if ord(trad) > 0xFFFF or ord(simp) > 0xFFFF:
            continue
        pairs[trad] = simp
    for trad in sorted(pairs):
        print(f"{trad}\t{pairs[trad]}")


main()
