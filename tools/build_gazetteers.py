#!/usr/bin/env python3
"""Build gazetteers/places.tsv.gz and gazetteers/stopnames.txt from GeoNames, Who's On First,
OurAirports and Ukraine's KATOTTG.

Reproducible and stdlib-only. Reads the GeoNames extracts in
<shared>/gazetteer-sources/geonames, the Who's On First records of the war-zone countries
(whosonfirst-admin: villages of any size, city districts, admin-2 districts), the OurAirports
list (ourairports: airports and air bases of the war-zone countries), the KATOTTG codifier
(ukraine-katottg: every Ukrainian settlement under its current official name and its official
romanisation), the English reporting corpus in <shared>/corpus (only to
count how often a name is written in lower case, see `common_words`), and the hand-made files
beside the output (english-names.tsv, place-variants.tsv, features.tsv, demonyms.tsv,
stop-extra.txt).

Usage: python3 tools/build_gazetteers.py [--shared ../shared] [--out gazetteers]

Output columns of places.tsv.gz (tab-separated, one header line):
  kind (country|region|place|feature), name (canonical English), country, region (canonical English
  name of the first-level region or empty), lat, lon, population, aliases (`|`-separated
  surface forms, Latin and Cyrillic script only, canonical name first), flags (`,`-separated:
  `capital` for a country's capital, `district` for a city district or admin-2 district,
  `village` for a place that only Who's On First or KATOTTG has (GeoNames' cities500 does
  not: most are villages of a few hundred people), `airport` for an airport or air base;
  empty for most rows).

Transliteration variants (Al-/Ar- articles, Tall/Tal/Tel, Kh-, ai/ei, Russian romanisations of
Cyrillic names, ...) are not written here: `src/extract/variants.rs` generates them from these
names when the automaton is compiled.
"""

import argparse
import csv
import gzip
import io
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

# Countries where reporting names villages: every place with population >= 500 is kept there.
CONFLICT_COUNTRIES = set(
    "UA RU BY MD GE AM AZ SY IQ IL PS LB YE IR SD SS ET SO LY ML BF NE CD AF MM".split()
)
MIN_POP_CONFLICT = 500
# Arabic-speaking countries, where reporting drops the article and the final h of GeoNames
# transliterations ("Al Fallūjah" is "Fallujah", "Jablah" is "Jabla").
ARABIC_COUNTRIES = set("SY IQ YE LB PS LY SD SO JO SA EG".split())
ARABIC_ARTICLE = re.compile(r"^(?:Al|Ar|As|Ad|An|Ash|Az|At|Ath|Adh|El)[ -]", re.IGNORECASE)
MIN_POP_ELSEWHERE = 15000

# English words for a first-level region, in order of preference for the canonical name.
REGION_WORDS = ["Oblast", "Governorate", "Province", "Region", "Krai", "District", "State"]
# Suffixes a reporter attaches to a region's base name ("Kursk region", "Aleppo province").
REGION_SUFFIXES = ["Region", "Province"]

# Calendar words: months, weekdays and the feasts reporting dates events by.
CALENDAR_WORDS = """January February March April May June July August September October
November December Monday Tuesday Wednesday Thursday Friday Saturday Sunday Ramadan Eid
Christmas Easter Passover Hanukkah Nowruz""".split()

# Lower-case occurrences in the corpus above which a name is a common English word.
COMMON_WORD_MIN_LOWER = 3


def fold(s):
    """Case-fold and strip Latin diacritics, as the Rust normaliser does (approximately)."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return s.casefold()


def strip_marks(s):
    """Drop combining diacritics ("Ḩamāh" -> "Hamah") for canonical names in facet paths."""
    s = unicodedata.normalize("NFKD", s)
    return unicodedata.normalize("NFC", "".join(c for c in s if not unicodedata.combining(c)))


def script_ok(name):
    """Latin or Cyrillic letters only (plus digits, spaces and punctuation)."""
    for c in name:
        if c.isalpha():
            n = unicodedata.name(c, "")
            if not (n.startswith("LATIN") or n.startswith("CYRILLIC")):
                return False
    return True


def good_alias(alias, canonical, trusted):
    """A surface form worth matching: right script, capitalised, not an airport code.

    Hand-made aliases (`trusted`) may be upper case ("U.S.", "DPRK").
    """
    alias = alias.strip()
    if not alias or not script_ok(alias):
        return False
    if alias == canonical or (trusted and alias[0].isupper()):
        return True
    if len(alias) < 4 or alias.isupper() or not alias[0].isupper():
        return False
    return True


def arabic_variants(names):
    """Reporting spellings of Arabic transliterations: without the article, without final h."""
    out = []
    for name in names:
        if not name.isascii() and not script_ok(name):
            continue
        bare = strip_marks(ARABIC_ARTICLE.sub("", name))
        out.append(bare)
        if bare.endswith("ah"):
            out.append(bare[:-1])
        if bare.startswith("Tall "):
            out += ["Tel " + bare[5:], "Tell " + bare[5:]]
    return [n for n in out if n and n[0].isupper() and len(n) >= 4]


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        lines = [l for l in f if not l.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def bars(s):
    return [a for a in (s or "").split("|") if a]


def common_words(corpus_dir):
    """Words that well-edited English prose writes mostly in lower case ("police", "mobile").

    Only the Kremlin and president.gov.ua statements are used: FA-KES has lost its
    capitalisation in places and would make "aleppo" look like a common word.
    """
    lower, upper = Counter(), Counter()
    word = re.compile(r"[A-Za-z]+")
    for path in sorted((corpus_dir / "zelenskyy-putin").glob("*.csv")):
        text = path.read_text(encoding="utf-8", errors="replace")
        for w in word.findall(text):
            (lower if w.islower() else upper)[w.casefold()] += 1
    return {w for w, n in lower.items() if n >= COMMON_WORD_MIN_LOWER and n > upper[w]}


def region_canonical(row, overrides):
    """English name of a first-level region: override, else an English alias, else its name."""
    code = row["admin"]
    if code in overrides:
        return overrides[code][0]
    alts = bars(row["alternates"])
    for word in REGION_WORDS:
        for a in alts:
            if a.endswith(" " + word) and script_ok(a) and a.isascii():
                return a
    return strip_marks(row["name"])


def region_base(english):
    for word in REGION_WORDS + ["City", "Republic", "Autonomous Okrug"]:
        if english.endswith(" " + word):
            return english[: -len(word) - 1]
    return None


def load_regions(geo, overrides):
    regions = {}
    with gzip.open(geo / "subdivisions.tsv.gz", "rt", encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 7 or cols[6] != "1":
                continue
            row = {"name": cols[0], "admin": cols[2], "alternates": cols[5]}
            english = region_canonical(row, overrides)
            aliases = [english] + overrides.get(row["admin"], ("", []))[1]
            aliases += [row["name"]] + bars(row["alternates"])
            regions[row["admin"]] = {"name": english, "aliases": aliases}
    return regions


# Who's On First place types taken: villages and towns, city districts, admin-2 districts.
WOF_TYPES = {"locality": "village", "localadmin": "village", "neighbourhood": "district", "county": "district"}
# Name keys of a WOF record taken as aliases: Latin-script English and unknown-language
# variants, and the Ukrainian, Russian and Belarusian names, from which the variant generator
# derives the Russian-based spellings reporting uses (Chernigov, Odessa).
WOF_NAME_KEYS = [
    "name:eng_x_preferred", "name:eng_x_variant", "name:eng_x_colloquial", "name:und_x_variant",
    "name:ukr_x_preferred", "name:rus_x_preferred", "name:bel_x_preferred",
]
# OurAirports types taken: airfields of any size and closed ones (former air bases are still
# named in reporting); heliports, seaplane bases and balloon ports are not.
AIRPORT_TYPES = {"large_airport", "medium_airport", "small_airport", "closed"}
# Words that make an airfield's name; the base before them gets the other forms reporting uses.
AIRPORT_WORDS = ["Air Force Base", "Air Base", "Airbase", "Airfield", "Air Field",
                 "International Airport", "Airport", "Aerodrome"]
AIRPORT_FORMS = ["Air Base", "air base", "Airbase", "airbase", "airfield", "Airfield",
                 "Airport", "airport", "military airport", "military airfield"]


def admin_code(cc, code):
    """GeoNames admin-1 code as the subdivisions use it: WOF writes "2.0" for "02"."""
    code = str(code or "")
    try:
        return f"{cc}.{int(float(code)):02d}"
    except ValueError:
        return f"{cc}.{code}"


def wof_records(src):
    """Current, not superseded records of the war-zone countries, one per GeoNames id."""
    seen = set()
    for path in sorted((src / "whosonfirst-admin").glob("wof-admin-*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                if r.get("wof:placetype") not in WOF_TYPES:
                    continue
                if r.get("mz:is_current") == 0 or r.get("wof:superseded_by") or r.get("edtf:deprecated"):
                    continue
                gn = r.get("gn:geonameid")
                if gn is not None:
                    if gn in seen:
                        continue
                    seen.add(gn)
                elif r["wof:placetype"] == "locality":
                    # Localities without a GeoNames row are mostly duplicates from other
                    # sources, under another spelling.
                    continue
                yield r


def wof_names(r):
    names = [r.get("wof:name") or "", r.get("gn:name") or "", r.get("gn:asciiname") or ""]
    for key in WOF_NAME_KEYS:
        v = r.get(key) or []
        names += v if isinstance(v, list) else [v]
    return [n for n in names if n]


def add_wof(src, rows, by_gnid, regions, country_name):
    """Villages, districts and towns from Who's On First that GeoNames' cities500 lacks, and
    the English and native names WOF adds to the places it has."""
    added = 0
    for r in wof_records(src):
        cc = r.get("wof:country") or r.get("iso:country")
        if cc not in country_name:
            continue
        names = [n for n in wof_names(r) if script_ok(n)]
        gn = r.get("gn:geonameid")
        if gn in by_gnid:
            by_gnid[gn][7] += names
            continue
        latin = [n for n in names if n.isascii() or script_ok(n) and not any("CYRILLIC" in unicodedata.name(c, "") for c in n)]
        if not latin:
            continue
        name = strip_marks(r.get("gn:name") or latin[0])
        if not script_ok(name) or any("CYRILLIC" in unicodedata.name(c, "") for c in name):
            name = strip_marks(latin[0])
        region = regions.get(admin_code(cc, r.get("gn:admin1_code")), {}).get("name", "")
        flags = WOF_TYPES[r["wof:placetype"]]
        row = ["place", name, country_name[cc], region, r.get("geom:latitude", ""),
               r.get("geom:longitude", ""), int(r.get("gn:population") or 0), [name] + names, flags]
        if cc in ARABIC_COUNTRIES:
            row[7] += arabic_variants(row[7])
        rows.append(row)
        if gn is not None:
            by_gnid[gn] = row
        added += 1
    return added


def add_katottg(src, rows, regions):
    """Ukraine's settlements under their official names: the KMU-2010 romanisation is added to
    the place of the same Ukrainian name in the same oblast, or makes a new place."""
    path = src / "ukraine-katottg" / "katottg.tsv"
    with open(path, encoding="utf-8") as f:
        table = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    # Oblast by its KATOTTG code, through the region aliases ("Донецька область").
    by_alias = {}
    for admin, r in regions.items():
        if admin.startswith("UA."):
            for a in r["aliases"]:
                by_alias[fold(a)] = r["name"]
    oblast = {}
    for t in table:
        if t["category"] in ("O", "K"):
            ukr = t["name"]
            for key in (ukr + " область", ukr, "місто " + ukr, ukr + " (місто)"):
                if fold(key) in by_alias:
                    oblast[t["level1"]] = by_alias[fold(key)]
                    break
    existing = defaultdict(list)
    for row in rows:
        if row[0] == "place" and row[2] == "Ukraine":
            for a in row[7]:
                existing[(row[3], fold(a))].append(row)
    added = 0
    for t in table:
        if t["category"] not in ("M", "X", "C", "T", "B"):
            continue
        region = oblast.get(t["level1"], "")
        ukr, latin = t["name"], t["name_kmu2010"]
        hits = existing.get((region, fold(ukr))) or existing.get((region, fold(latin)))
        if hits:
            best = max(hits, key=lambda r: r[6])
            best[7] += [ukr, latin]
            continue
        flags = "district" if t["category"] == "B" else "village"
        row = ["place", latin, "Ukraine", region, "", "", 0, [latin, ukr], flags]
        rows.append(row)
        existing[(region, fold(ukr))].append(row)
        added += 1
    return added


def airport_aliases(name, keywords):
    aliases = [name]
    for word in AIRPORT_WORDS:
        if name.endswith(" " + word):
            base = name[: -len(word) - 1].strip()
            if base:
                aliases += [f"{base} {form}" for form in AIRPORT_FORMS]
            break
    for k in (keywords or "").split(","):
        k = k.strip()
        if len(k.split()) >= 2 and script_ok(k):
            aliases.append(k)
    return aliases


def add_airports(src, rows, country_name):
    """Airports and air bases of the war-zone countries (and Russia) as features under the
    region of their municipality when a place of that name is known."""
    place_region = {}
    for row in rows:
        if row[0] == "place":
            place_region.setdefault((row[2], fold(row[1])), row[3])
    added = 0
    with gzip.open(src / "ourairports" / "airports.csv.gz", "rt", encoding="utf-8") as f:
        for a in csv.DictReader(f):
            cc = a["iso_country"]
            if cc not in CONFLICT_COUNTRIES or a["type"] not in AIRPORT_TYPES or cc not in country_name:
                continue
            name = strip_marks(a["name"].strip())
            if len(name.split()) < 2 or not script_ok(name):
                continue
            country = country_name[cc]
            region = place_region.get((country, fold(a["municipality"] or "")), "")
            rows.append(["feature", name, country, region, a["latitude_deg"], a["longitude_deg"], 0,
                         airport_aliases(name, a["keywords"]), "airport"])
            added += 1
    return added


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default="../shared", type=Path)
    ap.add_argument("--out", default="gazetteers", type=Path)
    args = ap.parse_args()
    geo = args.shared / "gazetteer-sources" / "geonames"
    out = args.out

    overrides = {
        r["code"]: (r["english"], bars(r["aliases"]))
        for r in read_tsv(out / "english-names.tsv")
    }
    demonyms = {r["word"] for r in read_tsv(out / "demonyms.tsv")}
    extra_stop = {
        fold(l.strip()) for l in open(out / "stop-extra.txt", encoding="utf-8")
        if l.strip() and not l.startswith("#")
    }
    # Aliases from the hand-made files are kept even when GeoNames-style filtering would
    # drop them.
    trusted = {fold(a) for o in overrides.values() for a in o[1]}

    countries = json.load(open(geo / "countries.json", encoding="utf-8"))
    country_name = {
        code: overrides.get(code, (c["name"].strip(), []))[0] for code, c in countries.items()
    }
    regions = load_regions(geo, overrides)
    with gzip.open(geo / "cities500.json.gz", "rt", encoding="utf-8") as f:
        cities = list(json.load(f).values())

    rows = []  # (kind, name, country, region, lat, lon, population, aliases, flags)
    capitals = {}
    for code, c in sorted(countries.items()):
        aliases = [country_name[code], c["name"].strip()] + overrides.get(code, ("", []))[1]
        capital = fold(c.get("capital") or "")
        capitals[country_name[code]] = capital
        rows.append(["country", country_name[code], country_name[code], "", "", "", c["population"], aliases, ""])
    for admin, r in sorted(regions.items()):
        cc = admin.split(".")[0]
        if cc not in country_name:
            continue
        base = region_base(r["name"])
        extra = [f"{base} {s}" for s in REGION_SUFFIXES] if base else []
        if base and r["name"].endswith(" Governorate"):
            extra.append(f"{base} Governorate")
        rows.append(["region", r["name"], country_name[cc], "", "", "", 0, r["aliases"] + extra, ""])

    by_name = defaultdict(list)
    by_gnid = {}
    for c in cities:
        cc = c["countrycode"]
        floor = MIN_POP_CONFLICT if cc in CONFLICT_COUNTRIES else MIN_POP_ELSEWHERE
        # cities500 also holds administrative seats whose population GeoNames does not know
        # (0); in conflict countries those are towns reporting names, so they stay.
        unknown_seat = c["population"] == 0 and cc in CONFLICT_COUNTRIES
        if (c["population"] < floor and not unknown_seat) or cc not in country_name:
            continue
        region = regions.get(f"{cc}.{c['admin1code']}", {}).get("name", "")
        row = ["place", strip_marks(c["name"]), country_name[cc], region, c["latitude"], c["longitude"],
               c["population"], [c["name"]] + c["alternatenames"], ""]
        if cc in ARABIC_COUNTRIES:
            row[7] += arabic_variants(row[7])
        rows.append(row)
        by_name[(cc, c["name"])].append(row)
        by_gnid[c["geonameid"]] = row

    for f in read_tsv(out / "features.tsv"):
        aliases = [f["name"]] + bars(f["aliases"])
        rows.append(["feature", f["name"], f["country"], "", "", "", 0, aliases, ""])
        trusted |= {fold(a) for a in aliases}

    # A country's capital is its most populous place of that name.
    best_capital = {}
    for row in rows:
        if row[0] == "place" and capitals.get(row[2]) in (fold(row[1]), fold(row[7][0])):
            if row[2] not in best_capital or row[6] > best_capital[row[2]][6]:
                best_capital[row[2]] = row
    for row in best_capital.values():
        row[8] = "capital"

    src = args.shared / "gazetteer-sources"
    counts = {
        "whosonfirst": add_wof(src, rows, by_gnid, regions, country_name),
        "katottg": add_katottg(src, rows, regions),
        "ourairports": add_airports(src, rows, country_name),
    }
    print("added: " + ", ".join(f"{k} {v}" for k, v in counts.items()), file=sys.stderr)

    missing = []
    for v in read_tsv(out / "place-variants.tsv"):
        hits = by_name.get((v["country"], v["geonames"]))
        if not hits:
            missing.append(f"{v['country']} {v['geonames']}")
            continue
        best = max(hits, key=lambda r: r[6])
        if v["english"]:
            best[1] = v["english"]
        best[7] = [best[1]] + best[7] + bars(v["variants"])
        trusted |= {fold(a) for a in bars(v["variants"])}
    if missing:
        sys.exit("place-variants.tsv: no such place: " + ", ".join(missing))

    # A region's bare base name ("Kharkiv") means the city; keep it only for regions whose
    # base names no place ("Crimea", "Donbas").
    place_names = {fold(a) for r in rows if r[0] == "place" for a in r[7]}
    common = common_words(args.shared / "corpus")
    # Demonyms that are also country names ("US", "UK") stay places.
    country_aliases = {fold(a) for r in rows if r[0] == "country" for a in r[7]}
    stop = {fold(w) for w in CALENDAR_WORDS} | ({fold(w) for w in demonyms} - country_aliases)
    stop |= extra_stop
    stop |= {w for w in (fold(a) for r in rows for a in r[7]) if w in common}

    buf = io.StringIO()
    buf.write("kind\tname\tcountry\tregion\tlat\tlon\tpopulation\taliases\tflags\n")
    for kind, name, country, region, lat, lon, pop, aliases, flags in rows:
        seen, keep = set(), []
        for a in aliases:
            a = a.strip()
            f = fold(a)
            # Hand-made upper-case aliases ("US") survive the stop list: the matcher holds
            # them to upper case, so the word "us" never meets them.
            stopped = f in stop and not (f in trusted and a.isupper())
            if not good_alias(a, name, f in trusted) or f in seen or stopped:
                continue
            if kind == "region" and f in place_names and " " not in a:
                continue
            seen.add(f)
            keep.append(a)
        if not keep:
            continue
        buf.write(f"{kind}\t{name}\t{country}\t{region}\t{lat}\t{lon}\t{pop}\t{'|'.join(keep)}\t{flags}\n")
    data = buf.getvalue().encode("utf-8")
    with open(out / "places.tsv.gz", "wb") as f:
        # mtime=0 keeps the file byte-identical across rebuilds.
        f.write(gzip.compress(data, compresslevel=9, mtime=0))

    # Each country's neighbours, by canonical name: a small place named with a cue in an
    # article about another country is taken only if its country borders one named.
    with open(out / "neighbours.tsv", "w", encoding="utf-8") as f:
        f.write("# Derived by tools/build_gazetteers.py from GeoNames' countries.json: each\n")
        f.write("# country and the countries it borders, by canonical name.\n")
        f.write("country\tneighbours\n")
        for code, c in sorted(countries.items()):
            near = [country_name[n] for n in (c.get("neighbours") or "").split(",") if n in country_name]
            f.write(f"{country_name[code]}\t{'|'.join(sorted(near))}\n")

    # Every common word, for the variant generator: a generated spelling that is one
    # ("Four" of "Al Fawr") is no pattern.
    with open(out / "common-words.txt", "w", encoding="utf-8") as f:
        f.write("# Derived by tools/build_gazetteers.py: words the Kremlin and president.gov.ua\n")
        f.write("# statements write mostly in lower case. Generated place-name variants equal to\n")
        f.write("# one of them are not matched.\n")
        for w in sorted(common | {fold(w) for w in CALENDAR_WORDS}):
            f.write(w + "\n")

    with open(out / "stopnames.txt", "w", encoding="utf-8") as f:
        f.write("# Derived by tools/build_gazetteers.py: place names that are common words,\n")
        f.write("# demonyms, calendar words. Never matched as places.\n")
        for w in sorted(stop & place_names):
            f.write(w + "\n")
    print(f"{len(rows)} entries, {len(data)} bytes raw", file=sys.stderr)


if __name__ == "__main__":
    main()
