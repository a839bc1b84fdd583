#!/usr/bin/env python3
"""Draw the passages of the second development annotation (eval/entities-gold.jsonl) and of
the attribution sample's second part (eval/attribution-gold.jsonl, ids "b-…"), stdlib only.

Usage: tools/sample_dev_gold.py SHARED_DIR entities|attribution > skeleton.jsonl

The procedure is stated in eval/ENTITIES-METHOD.md. Only sources not used so far for tuning
are drawn from: FA-KES articles of the outlets that neither earlier sample (weapons, 40
passages; attribution, 60 passages) took an article from (Jordan Times, Asharq Al-Awsat,
TASS), and president.gov.ua and Kremlin statements whose rows neither sample used.

A text is split into sentences after ".", "!" or "?" followed by white space and an
upper-case letter or an opening quote; a passage is two consecutive sentences from the
start of the text (the last may be one), kept when it has 25 to 110 words. One
random.Random(15) draws, in this order: 30 FA-KES passages and 30 president.gov.ua passages
for the entity annotation, then 20 FA-KES passages and 20 Kremlin passages for attribution,
none twice. The output lines have empty annotation lists, to be filled by hand.
"""

import csv
import json
import random
import re
import sys
from pathlib import Path

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")
NEW_OUTLETS = {"jordantimes", "asharqalawsat", "tass"}


def used_rows(repo):
    """Rows of each source that the weapons and attribution samples took."""
    used = {"fa-kes": set(), "kremlin": set(), "zelensky": set()}
    for line in open(repo / "eval/attribution-gold.jsonl", encoding="utf-8"):
        source, rest = json.loads(line)["id"].rsplit("-", 1)
        used[source].add(int(rest.split(".")[0]))
    for line in open(repo / "eval/weapons-gold.jsonl", encoding="utf-8"):
        source, record, _ = json.loads(line)["id"].split("#")
        if source == "putin":
            used["kremlin"].add(int(record) - 1)
        elif source == "zelenskyy":
            used["zelensky"].add(int(record) - 1)
    return used


def passages(text):
    sentences = [s for s in SENTENCE_END.split(" ".join(text.split())) if s]
    return [" ".join(sentences[i : i + 2]) for i in range(0, len(sentences), 2)]


def candidates(shared, source, used):
    csv.field_size_limit(1 << 30)
    if source == "fa-kes":
        path, encoding, column = "corpus/fa-kes/FA-KES-Dataset.csv", "latin-1", "article_content"
    elif source == "kremlin":
        path, encoding, column = "corpus/zelenskyy-putin/putin.csv", "utf-8", "body"
    else:
        path, encoding, column = "corpus/zelenskyy-putin/zelenskyy.csv", "utf-8", "body"
    with open(shared / path, encoding=encoding, newline="") as f:
        for row_no, row in enumerate(csv.DictReader(f)):
            if row_no in used[source]:
                continue
            if source == "fa-kes" and row["source"] not in NEW_OUTLETS:
                continue
            for par_no, par in enumerate(passages(row[column] or "")):
                if 25 <= len(par.split()) <= 110:
                    yield f"{source}-{row_no}.{par_no}", source, par


def main():
    if len(sys.argv) != 3 or sys.argv[2] not in ("entities", "attribution"):
        sys.exit("usage: sample_dev_gold.py SHARED_DIR entities|attribution")
    shared, which = Path(sys.argv[1]), sys.argv[2]
    repo = Path(__file__).resolve().parent.parent
    used = used_rows(repo)
    rng = random.Random(15)
    pools = {s: list(candidates(shared, s, used)) for s in ("fa-kes", "zelensky", "kremlin")}
    taken = set()
    draws = {"entities": [], "attribution": []}
    for target, source, n in [
        ("entities", "fa-kes", 30),
        ("entities", "zelensky", 30),
        ("attribution", "fa-kes", 20),
        ("attribution", "kremlin", 20),
    ]:
        pool = [c for c in pools[source] if c[0] not in taken]
        for key, src, text in rng.sample(pool, n):
            taken.add(key)
            draws[target].append((key, src, text))
    for key, src, text in draws[which]:
        if which == "entities":
            line = {"id": key, "source": src, "text": text, "entities": []}
        else:
            line = {"id": "b-" + key, "source": src, "text": text, "claims": []}
        print(json.dumps(line, ensure_ascii=False))


if __name__ == "__main__":
    main()
