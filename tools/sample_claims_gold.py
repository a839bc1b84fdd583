#!/usr/bin/env python3
"""Draw the statements of the claims-view evaluation (eval/CLAIMS-METHOD.md).

Reads `sitrep claims QUERY [filters] --format csv` on stdin (one row per statement) and
writes a JSON-lines skeleton to stdout: every statement the view puts on the denying side
(stance `denies`, or any stance negated), then 40 of the others drawn with
random.Random(17).sample in the order the view lists them. Each line has the statement as
the view gave it and a `label` to fill in by reading the passage: `denies`, `affirms` or
`neither` (the speaker takes no side on the query's event), and `speaker_ok` (the speaker
is who makes the statement).
"""
import csv
import json
import random
import sys

rows = list(csv.DictReader(sys.stdin))
denying = [r for r in rows if r["stance"] == "denies" or r["negated"] == "true"]
others = [r for r in rows if not (r["stance"] == "denies" or r["negated"] == "true")]
for r in denying + random.Random(17).sample(others, 40):
    print(json.dumps({
        "article": r["article"],
        "paragraph": int(r["paragraph"]),
        "speaker": r["speaker"],
        "verb": r["verb"],
        "stance": r["stance"],
        "negated": r["negated"] == "true",
        "claim": r["claim"],
        "label": None,
        "speaker_ok": None,
    }, ensure_ascii=False))
