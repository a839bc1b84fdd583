#!/usr/bin/env python3
"""Select the passages of eval/weapons-gold.jsonl from the shared corpus.

Usage: python3 tools/sample_weapons_gold.py [CORPUS_DIR] > /tmp/weapons-sample.jsonl

Prints one JSON line per selected passage, with an empty "weapons" list to be filled
in by hand. The procedure is described in eval/WEAPONS-METHOD.md; in short:

 * units: every record of the four corpus files is split into paragraphs (non-empty
   lines), and a paragraph longer than 120 words into chunks of whole sentences of
   60 to about 150 words (most Kremlin, Zelensky and FA-KES bodies are one long line);
 * 30 units are drawn, 10 from each of FA-KES, the Kremlin and the Zelensky files,
   among the units that contain at least one word of KEYWORDS;
 * 10 more units are drawn uniformly from all units of all four files, with no filter;
 * all draws use random.Random(2026), in that order, and never take two units of the
   same paragraph.

Stdlib only; deterministic.
"""

import csv
import json
import os
import random
import re
import sys

KEYWORDS = re.compile(
    r"\b(missiles?|rockets?|drones?|UAVs?|shell(s|ing|ed)|artillery|howitzers?|mortars?|"
    r"bombs?|bombing|bombardment|air ?strikes?|airstrikes?|tanks?|armou?red|weapons?|"
    r"munitions?|aircraft|warplanes?|jets?|helicopters?|chemical|sarin|chlorine|rifles?|"
    r"guns?|grenades?|mines?|air defen[cs]e|warships?|HIMARS|Javelins?|Patriot)\b",
    re.IGNORECASE,
)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“'‘(])")
MAX_WORDS = 120
CHUNK_WORDS = 60

# (label, path under the corpus, encoding, record-key column or None for row number,
#  body column)
SOURCES = [
    ("fa-kes", "fa-kes/FA-KES-Dataset.csv", "latin-1", "unit_id", "article_content"),
    ("putin", "zelenskyy-putin/putin.csv", "utf-8", None, "body"),
    ("zelenskyy", "zelenskyy-putin/zelenskyy.csv", "utf-8", None, "body"),
]
SEED = ("belgorod", "seed/belgorod-strikes.txt")


def chunks(paragraph):
    """(byte offset, text) of the paragraph, or of its sentence-aligned chunks."""
    if len(paragraph.split()) <= MAX_WORDS:
        return [(0, paragraph)]
    out, start, words = [], 0, 0
    cuts = [m.start() for m in SENTENCE_END.finditer(paragraph)] + [len(paragraph)]
    last = 0
    for cut in cuts:
        words += len(paragraph[last:cut].split())
        last = cut
        if words >= CHUNK_WORDS or cut == len(paragraph):
            text = paragraph[start:cut].strip()
            if text:
                offset = len(paragraph[:start].encode("utf-8"))
                offset += len(paragraph[start:].encode("utf-8")) - \
                    len(paragraph[start:].lstrip().encode("utf-8"))
                out.append((offset, text))
            start, words = cut, 0
    return out


def units_of(label, record, body):
    paragraphs = [p for p in body.split("\n") if p.strip()]
    for number, paragraph in enumerate(paragraphs, 1):
        for offset, text in chunks(paragraph.strip()):
            yield {"source": label, "record": str(record), "paragraph": number,
                   "para_offset": offset, "text": text}


def load(corpus):
    units = []
    csv.field_size_limit(1 << 30)
    for label, rel, encoding, key, body in SOURCES:
        with open(os.path.join(corpus, rel), encoding=encoding, newline="") as f:
            for row_number, row in enumerate(csv.DictReader(f), 1):
                record = row[key] if key else row_number
                units.extend(units_of(label, record, row[body] or ""))
    with open(os.path.join(corpus, SEED[1]), encoding="utf-8") as f:
        units.extend(units_of(SEED[0], 1, f.read()))
    return units


def main(argv):
    corpus = argv[1] if len(argv) > 1 else "/work/shared/corpus"
    units = load(corpus)
    rng = random.Random(2026)
    taken, seen = [], set()

    def draw(pool, n, how):
        pool = [u for u in pool if (u["source"], u["record"], u["paragraph"]) not in seen]
        for unit in rng.sample(pool, n):
            seen.add((unit["source"], unit["record"], unit["paragraph"]))
            taken.append(dict(unit, selection=how))

    for label, *_ in SOURCES:
        draw([u for u in units if u["source"] == label and KEYWORDS.search(u["text"])],
             10, "keyword")
    draw(units, 10, "uniform")
    for unit in taken:
        line = {"id": f"{unit['source']}#{unit['record']}#p{unit['paragraph']}",
                "para_offset": unit["para_offset"], "selection": unit["selection"],
                "text": unit["text"], "weapons": []}
        print(json.dumps(line, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv)
