#!/usr/bin/env python3
"""Look-ups of listed parties as an analyst types them, for `redline search`.

Built from the bundled OFAC SDN (2024-05-03) and the cross-script benchmark, with a
fixed seed, 150 cases per class:

- `surname`: a listed person's surname alone, as the SDN writes it (`MADURO MOROS`);
- `first_token`: the first word of an organisation's or vessel's name (`ROSNEFT`);
- `prefix`: the first letters (at least five, two short of the word) of a rare word of
  any entry's name, as typed before the word is finished (`Rosne`);
- `other_script`: a Russian person's surname in Cyrillic, an organisation's rarest
  Cyrillic word, or a Chinese person's name in characters (from `bench/xscript.jsonl`).

A look-up is kept only if it is no more ambiguous than the answer it asks for: its
words (or, for a prefix, the words it begins) stand in the primary names of at most
five SDN entries, so that finding the expected entry among the first five is possible
at all. `expected` is the entry the look-up was made from.

    python3 scripts/lookups/make.py > /tmp/lookups.jsonl
    ./target/release/redline search --input /tmp/lookups.jsonl --output /tmp/found.jsonl
"""
import csv
import gzip
import json
import random
import re
from difflib import SequenceMatcher
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PER_CLASS = 150
MAX_ENTRIES = 5


CYRILLIC = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r",
     "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"]))


def romanised(word):
    return "".join(CYRILLIC.get(c, c) for c in word.lower())


def words(text):
    return re.findall(r"[^\W_]+", text.lower())


def main():
    rng = random.Random(7)
    entries = []
    with gzip.open(ROOT / "testdata/ofac/sdn-2024-05-03.csv.gz", "rt", encoding="latin-1") as f:
        for row in csv.reader(f):
            if len(row) > 2 and row[0].strip().isdigit():
                entries.append((f"ofac-sdn:{row[0].strip()}", row[1].strip(), row[2].strip()))
    uses = defaultdict(set)
    for eid, name, _ in entries:
        for w in words(name):
            uses[w].add(eid)
    sorted_words = sorted(uses)

    def begun_by(prefix):
        found = set()
        for w in sorted_words:
            if w.startswith(prefix):
                found |= uses[w]
        return found

    def clear(query):
        return all(len(uses.get(w, ())) <= MAX_ENTRIES for w in words(query))

    cases = defaultdict(list)
    shuffled = entries[:]
    rng.shuffle(shuffled)
    for eid, name, kind in shuffled:
        if kind == "individual" and "," in name:
            surname = name.split(",")[0].strip()
            if len(surname) >= 3 and clear(surname):
                cases["surname"].append((surname, eid))
        elif kind != "individual":
            first = name.split()[0].strip(",.")
            if len(first) >= 3 and clear(first):
                cases["first_token"].append((first, eid))
        rare = [w for w in words(name) if len(w) >= 7 and len(uses[w]) <= MAX_ENTRIES and w.isalpha()]
        if rare:
            word = rng.choice(rare)
            prefix = word[: max(5, len(word) - 2)]
            if len(begun_by(prefix)) <= MAX_ENTRIES:
                cases["prefix"].append((prefix.capitalize(), eid))
    for line in open(ROOT / "bench/xscript.jsonl", encoding="utf-8"):
        case = json.loads(line)
        latin = case["source_name"]
        if case["class"] == "cyrillic_person" and "," in latin:
            surname = latin.split(",")[0]
            if clear(surname) and len(surname.split()) == 1:
                # The record may put the surname first or last: take the Cyrillic
                # word that reads most like it.
                cyrillic = max(
                    case["name"].split(),
                    key=lambda w: SequenceMatcher(None, romanised(w), surname.lower()).ratio(),
                )
                cases["other_script"].append((cyrillic, case["expected"][0]))
        elif case["class"] == "han_from_ccc":
            cases["other_script"].append((case["name"], case["expected"][0]))
    n = 0
    for cls in ("surname", "first_token", "prefix", "other_script"):
        picked = cases[cls]
        rng.shuffle(picked)
        for query, eid in picked[:PER_CLASS]:
            print(json.dumps({"id": f"lk-{n:04d}", "name": query, "expected": [eid], "class": cls}, ensure_ascii=False))
            n += 1


if __name__ == "__main__":
    main()
