#!/usr/bin/env python3
"""Build the bundled corpus in `corpus/` from the shared material in `../shared/corpus`.

Standard library only; deterministic: the same input gives byte-identical output, so a
rebuild shows up in `git diff` only when the input or this script changed.

    python3 tools/build_corpus.py [--shared PATH] [--out PATH]

What it writes (see corpus/SOURCES.md for the licences):
  seed/belgorod-strikes.txt     copied as is
  fa-kes/FA-KES-Dataset.csv     copied as is (original bytes)
  kremlin/putin.jsonl           putin.csv, one JSON object per line
  kremlin/putin-earliest.json   the 5 earliest Kremlin statements, as a JSON array
  zelenskyy/YYYY/*.md           zelenskyy.csv, one Markdown file with YAML front matter each
  html/*.html                   6 statements rendered as news pages with og:/article: meta
Statements put into the JSON array or the HTML pages are left out of the JSONL and
Markdown files, so that no statement is indexed twice.
"""

import argparse
import csv
import html
import json
import re
import shutil
import sys
from pathlib import Path

KREMLIN = "Kremlin (en.kremlin.ru)"
PRESIDENT_UA = "President of Ukraine (president.gov.ua)"
GENERATED = ["seed", "fa-kes", "kremlin", "zelenskyy", "html"]
JSON_SAMPLE_SIZE = 5
# The earliest statement of each of these months from each source becomes an HTML page:
# the first weeks of the full-scale invasion, when both presidents spoke daily.
HTML_MONTHS = ["2022-02", "2022-03", "2022-04"]


def read_csv(path):
    csv.field_size_limit(sys.maxsize)
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def kremlin_id(link):
    """en.kremlin.ru/events/president/news/68700 → 68700: the site's own article number."""
    return link.rstrip("/").rsplit("/", 1)[-1]


def kremlin_record(row):
    """A Kremlin statement with sitrep's field names; 'NA' locations are dropped."""
    record = {
        "id": kremlin_id(row["link"]),
        "title": row["headline"].strip(),
        "url": row["link"],
        "published": row["date"],
        "dateline": row["location"].strip(),
        "summary": row["summary"].strip(),
        "body": row["body"].strip(),
        "source": KREMLIN,
    }
    return {k: v for k, v in record.items() if v and v != "NA"}


def by_date(rows):
    return sorted(rows, key=lambda r: (r["date"], r["link"]))


def html_picks(rows):
    """The earliest statement of each month in HTML_MONTHS."""
    picks = []
    for month in HTML_MONTHS:
        in_month = [r for r in by_date(rows) if r["date"].startswith(month)]
        picks.extend(in_month[:1])
    return picks


def slug(text, limit=60):
    words = re.findall(r"[a-z0-9]+", text.lower())
    out = ""
    for word in words:
        if len(out) + len(word) + 1 > limit:
            break
        out = f"{out}-{word}" if out else word
    return out or "statement"


def paragraphs(body):
    """Body lines as paragraphs; a body without newlines is one paragraph."""
    return [line.strip() for line in body.splitlines() if line.strip()]


def yaml_string(value):
    # A JSON string is a valid YAML double-quoted scalar.
    return json.dumps(value, ensure_ascii=False)


def zelenskyy_markdown(row):
    front = ["---"]
    if row["headline"].strip():
        front.append(f"title: {yaml_string(row['headline'].strip())}")
    front += [
        f"date: {row['date']}",
        f"source: {yaml_string(PRESIDENT_UA)}",
        f"url: {yaml_string(row['link'])}",
        "---",
        "",
    ]
    return "\n".join(front) + "\n" + "\n\n".join(paragraphs(row["body"])) + "\n"


def write_zelenskyy(rows, out):
    used = set()
    for row in by_date(rows):
        year = row["date"][:4]
        base = f"{row['date'][:10]}-{slug(row['headline'] or row['body'])}"
        name, n = base, 1
        while (year, name) in used:
            n += 1
            name = f"{base}-{n}"
        used.add((year, name))
        path = out / "zelenskyy" / year / f"{name}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(zelenskyy_markdown(row), encoding="utf-8")


def html_paragraphs(text, target=600):
    """Split a one-block statement into paragraphs of whole sentences, as a news site would
    show it, so that the HTML reader's paragraph extraction is exercised."""
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z\"“])", text)
    out, current = [], ""
    for sentence in sentences:
        current = f"{current} {sentence}".strip()
        if len(current) >= target:
            out.append(current)
            current = ""
    if current:
        out.append(current)
    return out


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} | {site}</title>
<meta property="og:type" content="article">
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="{site}">
<meta property="og:url" content="{url}">
<meta property="og:description" content="{description}">
<meta property="article:published_time" content="{date}">
<link rel="canonical" href="{url}">
<link rel="stylesheet" href="/static/site.css">
<script>window.dataLayer = window.dataLayer || []; dataLayer.push({{"page": "article"}});</script>
</head>
<body>
<header class="site-header">
  <a class="logo" href="/">{site}</a>
  <nav class="menu"><ul>
    <li><a href="/news">News</a></li><li><a href="/speeches">Speeches</a></li>
    <li><a href="/photos">Photos</a></li><li><a href="/search">Search</a></li>
  </ul><p class="menu-note">Subscribe to our newsletter for daily updates.</p></nav>
</header>
<main>
<article>
  <h1>{title}</h1>
  <div class="meta"><time datetime="{date}">{day}</time>{place}</div>
{body}
  <aside class="share"><p>Share this page: Facebook · Twitter · Telegram · Email</p></aside>
</article>
<aside class="related"><h2>More news</h2><p><a href="/news">All news of the day</a></p></aside>
</main>
<footer class="site-footer">
  <p>All content on this site is licensed under Creative Commons Attribution 4.0 International.</p>
  <p>Page rendered by sitrep's tools/build_corpus.py from a statement published at {url}</p>
</footer>
</body>
</html>
"""


def html_page(row, site):
    summary = row.get("summary", "").strip()
    paras = ([summary] if summary else []) + [p for line in paragraphs(row["body"]) for p in html_paragraphs(line)]
    location = row.get("location", "").strip()
    place = f' <span class="place">{html.escape(location)}</span>' if location and location != "NA" else ""
    title = row["headline"].strip()
    return PAGE.format(
        title=html.escape(title),
        site=html.escape(site),
        url=html.escape(row["link"]),
        description=html.escape((summary or row["body"])[:200].rsplit(" ", 1)[0] + "…"),
        date=row["date"],
        day=row["date"][:10],
        place=place,
        body="\n".join(f"  <p>{html.escape(p)}</p>" for p in paras),
    )


def write_html(picks, out):
    folder = out / "html"
    folder.mkdir(parents=True)
    for row, site, prefix in picks:
        name = f"{prefix}-{row['date'][:10]}-{slug(row['headline'], 40)}.html"
        (folder / name).write_text(html_page(row, site), encoding="utf-8")


def write_kremlin(rows, json_rows, out):
    folder = out / "kremlin"
    folder.mkdir(parents=True)
    with open(folder / "putin.jsonl", "w", encoding="utf-8", newline="\n") as f:
        for row in rows:
            f.write(json.dumps(kremlin_record(row), ensure_ascii=False) + "\n")
    # The JSON array keeps the collection's own column names (link, headline, date, …) so
    # that the reader's field-name mapping is exercised on real data.
    sample = [{"id": kremlin_id(r["link"]), **{k: v for k, v in r.items() if v and v != "NA"}, "source": KREMLIN}
              for r in json_rows]
    (folder / "putin-earliest.json").write_text(json.dumps(sample, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def main():
    repo = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=repo.parent / "shared", help="the shared data folder")
    parser.add_argument("--out", type=Path, default=repo / "corpus", help="the corpus folder to (re)build")
    args = parser.parse_args()
    source = args.shared / "corpus"
    if not source.is_dir():
        sys.exit(f"build_corpus: {source}: not a folder (give --shared PATH)")

    for name in GENERATED:
        shutil.rmtree(args.out / name, ignore_errors=True)
    for rel in ["seed/belgorod-strikes.txt", "fa-kes/FA-KES-Dataset.csv"]:
        (args.out / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / rel, args.out / rel)

    putin = read_csv(source / "zelenskyy-putin/putin.csv")
    zelenskyy = read_csv(source / "zelenskyy-putin/zelenskyy.csv")
    json_rows = by_date(putin)[:JSON_SAMPLE_SIZE]
    picks = [(r, PRESIDENT_UA, "zelenskyy") for r in html_picks(zelenskyy)] + [
        (r, KREMLIN, "kremlin") for r in html_picks(putin)
    ]
    taken = {r["link"] for r in json_rows} | {r["link"] for r, _, _ in picks}

    write_kremlin([r for r in putin if r["link"] not in taken], json_rows, args.out)
    write_zelenskyy([r for r in zelenskyy if r["link"] not in taken], args.out)
    write_html(picks, args.out)


if __name__ == "__main__":
    main()
