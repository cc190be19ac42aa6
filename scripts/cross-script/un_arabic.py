#!/usr/bin/env python3
"""Real names in Arabic script against the SDN's Latin spellings of the same people.

The UN list gives many of its people in their original script
(`NAME_ORIGINAL_SCRIPT`); the OFAC SDN lists many of the same people in Latin only.
This pairs them: each UN person whose Latin name finds an SDN entry at 0.97 or more
(screened with the `redline` binary given) becomes a case whose query is the Arabic-
script name and whose expected entity is that SDN entry. Evaluate against the SDN
alone, so that the UN's own Arabic-script record does not answer for it:

    python3 scripts/cross-script/un_arabic.py <(zcat testdata/un/consolidated-2026-02-27.xml.gz) \
        ./target/release/redline > /tmp/un-arabic.jsonl
    ./target/release/redline eval --source ofac-sdn /tmp/un-arabic.jsonl
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET


def main():
    un_xml, redline = sys.argv[1], sys.argv[2]
    people = []
    for person in ET.parse(un_xml).getroot().iter("INDIVIDUAL"):
        original = (person.findtext("NAME_ORIGINAL_SCRIPT") or "").strip()
        if not re.search("[\u0600-\u06FF]", original):
            continue
        parts = (person.findtext(k) or "" for k in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"))
        latin = re.sub(r"\s+", " ", " ".join(parts)).strip()
        people.append((person.findtext("DATAID"), latin, original))
    with tempfile.TemporaryDirectory() as tmp:
        latin_in, latin_out = os.path.join(tmp, "in.jsonl"), os.path.join(tmp, "out.jsonl")
        with open(latin_in, "w", encoding="utf-8") as f:
            for dataid, latin, _ in people:
                f.write(json.dumps({"id": dataid, "name": latin}) + "\n")
        subprocess.run([redline, "screen", "--input", latin_in, "--output", latin_out,
                        "--source", "ofac-sdn", "--threshold", "0.97"],
                       check=True, stdout=subprocess.DEVNULL)
        sdn = {}
        for line in open(latin_out, encoding="utf-8"):
            result = json.loads(line)
            if result.get("matches"):
                sdn[result["id"]] = result["matches"][0]["entity_id"]
    for dataid, latin, original in people:
        if dataid in sdn:
            print(json.dumps({"id": f"un-sc:{dataid}", "name": original, "expected": [sdn[dataid]],
                              "class": "arabic_original_script", "family": "cross_script",
                              "source_name": latin}, ensure_ascii=False))


if __name__ == "__main__":
    main()
