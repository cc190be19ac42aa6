#!/usr/bin/env python3
"""Every Cyrillic query of xscript.jsonl, romanised under each iuliia schema.

A payment or a customer file carries a Russian name in whatever Latin spelling the
clerk's system produced: BGN/PCGN, a passport's ICAO form, GOST 7.79, Yandex's or
Telegram's habits. This writes one benchmark case per Cyrillic case of the public
`xscript.jsonl` and per schema (class `cyrillic_person/<schema>`, `cyrillic_org/…`),
for `redline eval`.

    python3 scripts/cross-script/romanised.py bench/xscript.jsonl \
        crates/names/data/iuliia > /tmp/romanised.jsonl
    ./target/release/redline eval /tmp/romanised.jsonl
"""
import glob
import json
import os
import re
import sys


def transliterate_letters(word, schema):
    mapping = schema.get("mapping") or {}
    prev_mapping = schema.get("prev_mapping") or {}
    next_mapping = schema.get("next_mapping") or {}
    out = []
    for i, c in enumerate(word):
        lower = c.lower()
        prev = word[i - 1].lower() if i > 0 else ""
        nxt = word[i + 1].lower() if i + 1 < len(word) else ""
        if prev + lower in prev_mapping:
            latin = prev_mapping[prev + lower]
        elif nxt and lower + nxt in next_mapping:
            latin = next_mapping[lower + nxt]
        else:
            latin = mapping.get(lower, lower)
        if c.isupper() and latin:
            latin = latin[0].upper() + latin[1:]
        out.append(latin)
    return "".join(out)


def transliterate_word(word, schema):
    endings = schema.get("ending_mapping") or {}
    for ending in sorted(endings, key=len, reverse=True):
        if len(word) > len(ending) and word.lower().endswith(ending):
            stem = word[: -len(ending)]
            return transliterate_letters(stem, schema) + endings[ending]
    return transliterate_letters(word, schema)


def main():
    bench, schema_dir = sys.argv[1], sys.argv[2]
    schemas = {
        os.path.basename(path)[:-5]: json.load(open(path, encoding="utf-8"))
        for path in sorted(glob.glob(os.path.join(schema_dir, "*.json")))
        if not path.endswith("uz.json")  # Uzbek, not a Russian romanisation
    }
    for line in open(bench, encoding="utf-8"):
        case = json.loads(line)
        if not case["class"].startswith("cyrillic"):
            continue
        for name, schema in schemas.items():
            out = dict(case)
            out["name"] = re.sub(r"\w+", lambda m: transliterate_word(m.group(0), schema), case["name"])
            out["id"] = f"{case['id']}|{name}"
            out["class"] = f"{case['class']}/{name}"
            print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
