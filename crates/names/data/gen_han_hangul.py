#!/usr/bin/env python3
"""Derives han_hangul.txt: the Korean reading of each Han character.

Usage: python3 gen_han_hangul.py readings.tsv > han_hangul.txt

Input: Unihan_Readings rows `U+XXXX<TAB>kHangul<TAB>금:0E 김:0N` (Unicode 15.0).
Each character takes the first reading flagged N (used in names: 金 is 김 in
names, 금 otherwise), else its first reading. Output, like han_pinyin.txt: one
line per hangul syllable, `syllable<TAB>characters`, syllables in code-point
order, characters in code-point order.
"""
import collections
import sys


def main(path):
    by_syllable = collections.defaultdict(list)
    for line in open(path, encoding="utf-8"):
        if line.startswith("#"):
            continue
        parts = line.rstrip("\n").split("\t")
        if len(parts) != 3 or parts[1] != "kHangul":
            continue
        char = chr(int(parts[0][2:], 16))
        readings = [r.split(":") for r in parts[2].split()]
        named = [r[0] for r in readings if len(r) > 1 and "N" in r[1]]
        reading = named[0] if named else readings[0][0]
        by_syllable[reading].append(char)
    print("# Korean reading of Han characters (Unihan kHangul, name readings first); see README.md")
    for syllable in sorted(by_syllable):
        print(syllable + "\t" + "".join(sorted(by_syllable[syllable])))


if __name__ == "__main__":
    main(sys.argv[1])
