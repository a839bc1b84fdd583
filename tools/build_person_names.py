#!/usr/bin/env python3
"""Build gazetteers/person-names.txt: given names and surnames that are also place names.

Usage: python3 tools/build_person_names.py NAMES_DIR [--out gazetteers]

NAMES_DIR is the `names/` folder of the PyPI package `names` 0.3.0 (sdist sha256
726e46254f2ed03f1ffb5d941dae3bc67c35123941c29becd02d48d0caa2a671, MIT), which ships the
US Census Bureau's 1990 name frequency files (public domain): dist.male.first (1,219
names), dist.female.first (4,275) and dist.all.last (88,799, by frequency). Get it with

    pip download --no-deps names==0.3.0 && tar xzf names-0.3.0.tar.gz

Kept: every given name, the 10,000 most frequent surnames, and the hand-made list
gazetteers/person-names-extra.txt (given names and name words of the regions sitrep reports
on, which a US census lacks: Arabic, Persian, Russian, Ukrainian, Kurdish) - each only if
some place of gazetteers/places.tsv.gz is called so, since only such names need telling
from places. Output: one folded name per line, with `given` or `surname`.
"""

import argparse
import gzip
import unicodedata
from pathlib import Path

SURNAMES = 10000


def fold(s):
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).casefold()


def census(path, limit=None):
    names = []
    for line in open(path, encoding="ascii"):
        parts = line.split()
        if parts:
            names.append(parts[0].capitalize())
        if limit and len(names) >= limit:
            break
    return names


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names_dir", type=Path)
    ap.add_argument("--out", default="gazetteers", type=Path)
    args = ap.parse_args()
    given = census(args.names_dir / "dist.male.first") + census(args.names_dir / "dist.female.first")
    surnames = census(args.names_dir / "dist.all.last", SURNAMES)
    extra = [
        l.split("\t") for l in open(args.out / "person-names-extra.txt", encoding="utf-8")
        if l.strip() and not l.startswith("#")
    ]
    place_names = set()
    with gzip.open(args.out / "places.tsv.gz", "rt", encoding="utf-8") as f:
        next(f)
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if cols[0] in ("place", "feature"):
                place_names.update(fold(a) for a in cols[7].split("|") if a and " " not in a)
    kept = {}
    for kind, names in [("surname", surnames), ("given", given)]:
        for n in names:
            if fold(n) in place_names:
                kept[fold(n)] = kind
    for row in extra:
        name, kind = row[0].strip(), row[1].strip()
        if fold(name) in place_names:
            kept[fold(name)] = kind
    with open(args.out / "person-names.txt", "w", encoding="utf-8") as f:
        f.write("# Derived by tools/build_person_names.py: given names and surnames that are also\n")
        f.write("# place names (US Census 1990 via the PyPI package names 0.3.0, and\n")
        f.write("# person-names-extra.txt). A place so named needs a place cue in the text.\n")
        for n in sorted(kept):
            f.write(f"{n}\t{kept[n]}\n")
    print(f"{len(kept)} names", flush=True)


if __name__ == "__main__":
    main()
