#!/usr/bin/env python3
"""Draw the passages of eval/attribution-gold.jsonl from the shared corpus (stdlib only).

Usage: tools/sample_attribution_gold.py SHARED_DIR > skeleton.jsonl

The procedure is stated in eval/ATTRIBUTION-METHOD.md. The corpus texts keep no paragraph
breaks, so a "paragraph" here is a run of three consecutive sentences: each text is split
into sentences after ".", "!" or "?" followed by whitespace and an upper-case letter or an
opening quote, and the sentences are grouped in threes from the start of the text (the last
group may be shorter). Groups of 20 to 150 words (split on whitespace) are the candidates.
One random.Random(3) draws 20 candidates uniformly without replacement from each source, in
the order FA-KES, Kremlin, Zelensky; candidates are listed in file order. The output lines
have empty "claims", to be annotated by hand.
"""

import csv
import json
import random
import re
import sys
from pathlib import Path

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")
SOURCES = [
    ("fa-kes", "corpus/fa-kes/FA-KES-Dataset.csv", "latin-1", "article_content"),
    ("kremlin", "corpus/zelenskyy-putin/putin.csv", "utf-8", "body"),
    ("zelensky", "corpus/zelenskyy-putin/zelenskyy.csv", "utf-8", "body"),
]
PER_SOURCE = 20


def paragraphs(text):
    sentences = [s for s in SENTENCE_END.split(" ".join(text.split())) if s]
    return [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]


def candidates(shared, path, encoding, column):
    csv.field_size_limit(1 << 30)
    with open(shared / path, encoding=encoding, newline="") as f:
        for row_no, row in enumerate(csv.DictReader(f)):
            for par_no, par in enumerate(paragraphs(row[column] or "")):
                if 20 <= len(par.split()) <= 150:
                    yield f"{row_no}.{par_no}", par


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: sample_attribution_gold.py SHARED_DIR")
    shared = Path(sys.argv[1])
    rng = random.Random(3)
    for source, path, encoding, column in SOURCES:
        pool = list(candidates(shared, path, encoding, column))
        for key, text in rng.sample(pool, PER_SOURCE):
            line = {"id": f"{source}-{key}", "source": source, "text": text, "claims": []}
            print(json.dumps(line, ensure_ascii=False))


if __name__ == "__main__":
    main()
