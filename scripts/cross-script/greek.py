#!/usr/bin/env python3
"""Listed and unlisted people's names written in Greek letters, as Greek records
write foreign names (`μπ` for b, `ντ` for d, `τζ` for j, `χ` for kh and h, `τσ` for ch).

Positives: one case per listed person of `ssb-persons.jsonl` whose source name is
plain Latin (class `greek`); negatives: the plain-Latin names of
`negatives-us.jsonl` and `negatives-global.jsonl` (class `greek_negative`).

    python3 scripts/cross-script/greek.py bench > /tmp/greek.jsonl
    ./target/release/redline eval /tmp/greek.jsonl
"""
import json
import os
import re
import sys

PAIRS = [("kh", "χ"), ("ch", "τσ"), ("sh", "σ"), ("zh", "ζ"), ("ts", "τσ"), ("th", "θ"),
         ("ph", "φ"), ("ps", "ψ"), ("ks", "ξ"), ("ou", "ου"), ("oo", "ου"), ("ee", "ι"),
         ("ye", "γιε"), ("ya", "για"), ("yu", "γιου"), ("yo", "γιο")]
LETTERS = {"a": "α", "b": "μπ", "d": "ντ", "g": "γκ", "v": "β", "e": "ε", "i": "ι", "o": "ο",
           "u": "ου", "y": "ι", "h": "χ", "j": "τζ", "f": "φ", "x": "ξ", "w": "ου", "c": "κ",
           "q": "κ", "k": "κ", "l": "λ", "m": "μ", "n": "ν", "p": "π", "r": "ρ", "s": "σ",
           "t": "τ", "z": "ζ"}


def greek_word(word):
    word, out, i = word.lower(), [], 0
    while i < len(word):
        for latin, greek in PAIRS:
            if word.startswith(latin, i):
                out.append(greek)
                i += len(latin)
                break
        else:
            greek = LETTERS.get(word[i])
            if greek and (not out or out[-1] != greek):
                out.append(greek)
            i += 1
    text = "".join(out)
    if text.endswith("σ"):
        text = text[:-1] + "ς"
    return text[:1].upper() + text[1:]


def greek(name):
    return " ".join(greek_word(t) for t in re.split(r"[\s\-]+", name) if t)


def main():
    bench = sys.argv[1]
    seen = set()
    for line in open(os.path.join(bench, "ssb-persons.jsonl"), encoding="utf-8"):
        case = json.loads(line)
        source = case.get("source_name") or ""
        if case.get("family") != "benign" or not case["expected"] or "," not in source:
            continue
        entity = case["expected"][0]
        last, first = [part.strip() for part in source.split(",", 1)]
        full = f"{first} {last}"
        if entity in seen or re.search(r"[^A-Za-z \-]", full):
            continue
        seen.add(entity)
        print(json.dumps({"id": f"{case['id']}-greek", "name": greek(full), "expected": [entity],
                          "class": "greek", "family": "cross_script", "source_name": full},
                         ensure_ascii=False))
    for file in ("negatives-us.jsonl", "negatives-global.jsonl"):
        for line in open(os.path.join(bench, file), encoding="utf-8"):
            case = json.loads(line)
            if re.search(r"[^A-Za-z \-]", case["name"]):
                continue
            print(json.dumps({"id": f"{case['id']}-greek", "name": greek(case["name"]),
                              "expected": [], "class": "greek_negative", "family": "negative"},
                             ensure_ascii=False))


if __name__ == "__main__":
    main()
