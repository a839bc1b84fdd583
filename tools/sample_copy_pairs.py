#!/usr/bin/env python3
"""Draw the article pairs of eval/copies-pairs.jsonl from the FA-KES corpus (stdlib only).

Usage: tools/sample_copy_pairs.py [CSV] > skeleton.jsonl   (CSV: corpus/fa-kes/FA-KES-Dataset.csv)

The procedure is stated in eval/COPIES-METHOD.md. Rows are numbered from 0 in file order.
For every pair of rows, the Jaccard similarity of their sets of word 5-grams (words: runs
of letters and digits, lower-cased) decides the stratum:

  high   J >= 0.2                                   40 pairs
  middle 0.02 <= J < 0.2                            30 pairs
  event  J < 0.02, dates at most 2 days apart, and  30 pairs
         at least 3 title words (4+ letters) shared

"event" pairs are reports of the same kind of event in the same days, which a copy
detector must not join. One random.Random(11) draws from each stratum in that order,
pairs listed in (row, row) order. Output lines have "copy": null, to be labelled by hand.
"""

import csv
import itertools
import json
import random
import re
import sys
from datetime import date

WORD = re.compile(r"[^\W_]+")


def shingles(text, k=5):
    words = WORD.findall(text.lower())
    return {tuple(words[i : i + k]) for i in range(max(1, len(words) - k + 1))}


def day(s):
    m, d, y = (int(x) for x in s.split("/"))
    return date(y, m, d)


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "corpus/fa-kes/FA-KES-Dataset.csv"
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    sets = [shingles(r["article_content"]) for r in rows]
    titles = [{w for w in WORD.findall(r["article_title"].lower()) if len(w) >= 4} for r in rows]
    strata = {"high": [], "middle": [], "event": []}
    for i, j in itertools.combinations(range(len(rows)), 2):
        a, b = sets[i], sets[j]
        inter = len(a & b)
        jac = inter / len(a | b) if a and b else 0.0
        if jac >= 0.2:
            strata["high"].append((i, j))
        elif jac >= 0.02:
            strata["middle"].append((i, j))
        elif abs((day(rows[i]["date"]) - day(rows[j]["date"])).days) <= 2 and len(titles[i] & titles[j]) >= 3:
            strata["event"].append((i, j))
    rng = random.Random(11)
    for name, n in (("high", 40), ("middle", 30), ("event", 30)):
        pool = strata[name]
        print(f"{name}: {len(pool)} pairs", file=sys.stderr)
        for i, j in sorted(rng.sample(pool, n)):
            line = {
                "a": {"row": i, "unit_id": rows[i]["unit_id"], "source": rows[i]["source"]},
                "b": {"row": j, "unit_id": rows[j]["unit_id"], "source": rows[j]["source"]},
                "stratum": name,
                "copy": None,
            }
            print(json.dumps(line))


if __name__ == "__main__":
    main()
