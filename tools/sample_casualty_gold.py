#!/usr/bin/env python3
"""Draw the passages of eval/casualties-gold.jsonl from the shared corpus (stdlib only).

Usage: tools/sample_casualty_gold.py SHARED_DIR > skeleton.jsonl            (the 80 of the dev set)
       tools/sample_casualty_gold.py SHARED_DIR --held-out > skeleton.jsonl (the 40 held out)

The procedure is stated in eval/CASUALTIES-METHOD.md. Passages are made as for the
attribution sample (tools/sample_attribution_gold.py): each text's whitespace is collapsed,
it is split into sentences after ".", "!" or "?" followed by whitespace and an upper-case
letter or an opening quote, and the sentences are grouped in threes from the start. A
candidate is a group of 10 to 150 words in which a number (digits) or a number word
stands at most six words from a casualty word (CASUALTY below). Candidates are listed in
file order, source by source (FA-KES, Kremlin, Zelensky), and one random.Random(17) draws
80 of the pooled list uniformly without replacement. With --held-out, one
random.Random(18) then draws 40 more from the candidates the first draw left. The output
lines have empty "figures", to be annotated by hand.
"""

import csv
import json
import random
import re
import sys
from pathlib import Path

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")
SOURCES = [
    ("fa-kes", "corpus/fa-kes/FA-KES-Dataset.csv", "article_content"),
    ("kremlin", "corpus/zelenskyy-putin/putin.csv", "body"),
    ("zelensky", "corpus/zelenskyy-putin/zelenskyy.csv", "body"),
]
SAMPLE = 80
HELD_OUT = 40
WINDOW = 6
CASUALTY = re.compile(
    r"^(kill\w*|dead|deaths?|died|dies|dying|wound\w*|injur\w*|hurt|missing|captur\w*|"
    r"abduct\w*|kidnap\w*|hostages?|prisoners?|captives?|displac\w*|fled|flee\w*|"
    r"refugees?|tolls?|fatalit\w*|casualt\w*|lives|martyr\w*|executed|massacre\w*|slain|bodies)$"
)
NUMBER = re.compile(
    r"^(\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|"
    r"fifty|sixty|seventy|eighty|ninety|hundreds?|thousands?|millions?|dozens?|tens|scores)$"
)


def paragraphs(text):
    sentences = [s for s in SENTENCE_END.split(" ".join(text.split())) if s]
    return [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]


def words(text):
    return [w.strip(".,;:!?\"“”'‘’()[]").lower() for w in text.split()]


def near(ws):
    numbers = [i for i, w in enumerate(ws) if NUMBER.match(w)]
    casualties = [i for i, w in enumerate(ws) if CASUALTY.match(w)]
    return any(abs(i - j) <= WINDOW for i in numbers for j in casualties)


def candidates(shared, path, column):
    csv.field_size_limit(1 << 30)
    with open(shared / path, encoding="utf-8", errors="replace", newline="") as f:
        for row_no, row in enumerate(csv.DictReader(f)):
            for par_no, par in enumerate(paragraphs(row[column] or "")):
                ws = words(par)
                if 10 <= len(ws) <= 150 and near(ws):
                    yield f"{row_no}.{par_no}", par


def main():
    if len(sys.argv) not in (2, 3) or (len(sys.argv) == 3 and sys.argv[2] != "--held-out"):
        sys.exit("usage: sample_casualty_gold.py SHARED_DIR [--held-out]")
    shared = Path(sys.argv[1])
    pool = []
    for source, path, column in SOURCES:
        pool.extend((source, key, text) for key, text in candidates(shared, path, column))
    print(f"{len(pool)} candidates", file=sys.stderr)
    drawn = random.Random(17).sample(pool, SAMPLE)
    if len(sys.argv) == 3:
        left = [c for c in pool if c not in drawn]
        drawn = random.Random(18).sample(left, HELD_OUT)
    for source, key, text in drawn:
        line = {"id": f"{source}-{key}", "source": source, "text": text, "figures": []}
        print(json.dumps(line, ensure_ascii=False))


if __name__ == "__main__":
    main()
