#!/usr/bin/env python3
"""Derives person_names.txt from rigour's person-name corpus.

Usage: python3 gen_person_names.py person_names.txt.gz > person_names.txt
       gzip -9n person_names.txt

Input: one name group per line, `form1, form2, ... => GROUP` (a Wikidata given or
family name and its spellings across scripts). Output: the forms of every group
that has both a Latin form and a form in another script, one group per line,
comma-separated, in the input's order, without the group id (Redline reads a
foreign spelling to the group's Latin spellings and needs nothing else). Groups
wholly in one script are left out: they cannot read one script into another.
"""
import gzip
import sys
import unicodedata


def is_latin(form):
    return all(
        "LATIN" in unicodedata.name(c, "") for c in form if c.isalpha()
    )


def main(path):
    out = sys.stdout
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            forms, _, _group = line.rstrip("\n").rpartition(" => ")
            forms = forms.split(", ")
            if any(is_latin(x) for x in forms) and not all(is_latin(x) for x in forms):
                out.write(", ".join(forms) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
