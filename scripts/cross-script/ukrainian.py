#!/usr/bin/env python3
"""People the SDN lists under its Ukraine programmes, written back in Ukrainian Cyrillic.

The SDN romanises Ukrainian names by BGN/PCGN (`Serhiy`, `Vitaliy Yuriyovych`); a
Ukrainian record has them in Cyrillic (`Сергій`, `Віталій Юрійович`). This reverses
the SDN spelling letter by letter into Ukrainian (`h` → `г`, `y` → `и`, `i` → `і`,
`ye` → `є` …; Russian names so come out with the noise real records have), surname
first, one case per individual of UKRAINE-EO13660 and UKRAINE-EO13661.

    python3 scripts/cross-script/ukrainian.py <(zcat testdata/ofac/sdn-2024-05-03.csv.gz) > /tmp/ukrainian.jsonl
    ./target/release/redline eval /tmp/ukrainian.jsonl
"""
import csv
import json
import re
import sys

REVERSE = [("shch", "щ"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("ch", "ч"), ("sh", "ш"),
           ("yu", "ю"), ("ya", "я"), ("ye", "є"), ("yi", "ї"), ("iy", "ій"), ("x", "кс"),
           ("j", "дж"), ("w", "в"), ("c", "к"), ("q", "к"), ("a", "а"), ("b", "б"), ("v", "в"),
           ("h", "г"), ("g", "ґ"), ("d", "д"), ("e", "е"), ("z", "з"), ("y", "и"), ("i", "і"),
           ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"), ("r", "р"),
           ("s", "с"), ("t", "т"), ("u", "у"), ("f", "ф")]


def cyrillic(word):
    word, out, i = word.lower(), "", 0
    while i < len(word):
        for latin, letter in REVERSE:
            if word.startswith(latin, i):
                out += letter
                i += len(latin)
                break
        else:
            i += 1
    return out[:1].upper() + out[1:]


def main():
    for row in csv.reader(open(sys.argv[1], encoding="utf-8", errors="replace")):
        if len(row) < 4 or row[2].strip() != "individual" or "," not in row[1]:
            continue
        if "UKRAINE-EO13660" not in row[3] and "UKRAINE-EO13661" not in row[3]:
            continue
        last, first = [part.strip() for part in row[1].split(",", 1)]
        if re.search(r"[^A-Za-z \-]", first + last):
            continue
        name = " ".join(cyrillic(t) for t in f"{last} {first}".split())
        print(json.dumps({"id": f"ofac-sdn:{row[0]}", "name": name, "expected": [f"ofac-sdn:{row[0]}"],
                          "class": "ukrainian", "family": "cross_script", "source_name": row[1]},
                         ensure_ascii=False))


if __name__ == "__main__":
    main()
