#!/usr/bin/env python3
"""Build gazetteers/weapons.tsv from the Oryx loss lists and the hand-made rows.

Usage: python3 tools/build_weapons.py [SHARED_WEAPONS_DIR] [OUTPUT]

SHARED_WEAPONS_DIR defaults to ../shared/gazetteer-sources/weapons relative to the
repository root (falling back to /work/shared/...), OUTPUT to gazetteers/weapons.tsv.
Stdlib only. The output is deterministic: same inputs, same bytes.

Pipeline (documented for users in gazetteers/CATALOGUE.md):
 1. read every system name of oryx/totals_by_system_wide.csv, strip the scraper's
    leading count tokens and sum the loss counts per cleaned name;
 2. drop what is not a weapon (trucks, radars, command posts, engineering vehicles ...)
    or is not usable as a text match ("Unknown tank");
 3. reduce each name to its family ("152mm 2S3(M) Akatsiya" -> "2S3 Akatsiya"):
    the base designation plus the most frequent popular name, keeping every variant
    designation ("2S3M", "T-80BVM") as an alias;
 4. categorise it: the PetroIvaniuk equipment list gives the Oryx category for the
    models it knows; keyword and designation rules cover the rest; names no rule
    covers are dropped and listed on stderr;
 5. merge tools/weapons-extra.tsv (hand-made rows): a hand row with the same name as
    an Oryx family overrides its category and origin and adds its aliases;
 6. give every surface form to one row only (hand rows first, then Oryx families by
    loss count) and drop aliases that collide with English words or names.
"""

import csv
import json
import os
import re
import sys
from collections import defaultdict

CATEGORIES = {
    "missile", "cruise missile", "ballistic missile", "drone", "loitering munition",
    "rocket artillery", "artillery", "tank", "armoured vehicle", "aircraft",
    "helicopter", "air defence", "naval", "munition", "small arms", "chemical",
}

# Oryx equipment categories (PetroIvaniuk list) to ours; None drops the model.
ORYX_CATEGORY = {
    "Tanks": "tank",
    "Armoured Fighting Vehicles": "armoured vehicle",
    "Infantry Fighting Vehicles": "armoured vehicle",
    "Armoured Personnel Carriers": "armoured vehicle",
    "Mine-Resistant Ambush Protected": "armoured vehicle",
    "Infantry Mobility Vehicles": "armoured vehicle",
    "Self-Propelled Anti-Tank Missile Systems": "armoured vehicle",
    "Towed Artillery": "artillery",
    "Self-Propelled Artillery": "artillery",
    "Multiple Rocket Launchers": "rocket artillery",
    "Anti-Aircraft Guns": "air defence",
    "Self-Propelled Anti-Aircraft Guns": "air defence",
    "Surface-To-Air Missile Systems": "air defence",
    "Aircraft": "aircraft",
    "Helicopters": "helicopter",
    "Unmanned Combat Aerial Vehicles": "drone",
    "Reconnaissance Unmanned Aerial Vehicles": "drone",
    "Naval Ships": "naval",
    "Engineering Vehicles And Equipment": None,
    "Trucks, Vehicles and Jeeps": None,
    "Command Posts And Communications Stations": None,
    "Radars": None,
    "Jammers And Deception Systems": None,
    "Artillery Support Vehicles And Equipment": None,
}

# Support equipment: not weapons, so not in the catalogue. Checked after the
# aircraft/helicopter/drone keywords so that "transport helicopter" stays.
NOT_A_WEAPON = re.compile(
    r"\b(unknown|truck|tanker|jeep|van|bus|pickup|suv|car|radar|jamm\w*|ew|command|"
    r"communications?|signals?|station|relay|bridge|pontoon|recovery|engineering|"
    r"engineer|crane|excavator|tractor|ambulance|medical|workshop|generator|"
    r"mine-clearing|clearing|minelayer|mine launcher|layer|transloader|reloader|"
    r"transport vehicle|supply|logistics|ugv|robotic|decontamination|fuel|train|"
    r"trench-digging|drilling|smoke|counter-uav|counter-uas|cbrn|chemical reconnaissance|"
    r"forward observer|fire direction|artillery reconnaissance|observation|tugboat|tug|"
    r"rescue|hydrographic|training vessel|cargo|towing|radiosonde|satcom|antenna|mast|"
    r"weather|avtozaks|trailer|low-loader|platform|vessel|sadko|volunteer|converted|"
    r"makeshift|weaponised|armed|with|based|caterpillar)\b|"
    r"^(Ural|KamAZ|Kamaz|GAZ-\d|ZiL|KrAZ-\d|MAZ|UAZ|MAN|DAF|Mercedes|Iveco Trakker|Toyota)",
    re.IGNORECASE,
)

# Names that are no text match ("Unknown tank") or a combination of two systems
# ("MT-LB with ZU-23 AA gun", listed under each system on its own).
UNUSABLE = re.compile(r"^\(?unknown\b|\bwith\b|-based\b|weaponised|\bfor the\b|control station|^NA$|transporter",
                      re.IGNORECASE)

# Keyword rules on the whole Oryx name, first match wins.
KEYWORD_CATEGORY = [
    (r"loitering munition|\bKUB-BLA\b|\bLancet\b", "loitering munition"),
    (r"helicopter", "helicopter"),
    (r"\bUA?V\b|\bUCAV\b|\bdrone\b", "drone"),
    (r"(?<!anti-)aircraft|\bbomber\b|flying boat", "aircraft"),
    (r"launcher for S-|\bfor (Buk|Tor|S-\d)", "air defence"),
    (r"HMMWV|MaxxPro|Kirpi|M-ATV|Saxon|Titan-S|Stridsvagn|\bBWP\b|Konkurs|Shturm", "armoured vehicle"),
]
DESCRIPTOR_CATEGORY = [
    (r"\bMRLS?\b|rocket", "rocket artillery"),
    (r"\bSAM\b|anti-aircraft|\bAA gun\b|\bTEL(AR)?\b|\bTLAR\b|\bSPAAG\b", "air defence"),
    (r"howitzer|mortar|field[- ]gun|\bgun\b|self-propelled gun", "artillery"),
    (r"class|\bboat\b|ship|submarine|cruiser|corvette|frigate|minesweeper|landing craft|gunboat",
     "naval"),
    (r"\btank\b", "tank"),
    (r"\b(MRAP|IMV|APC|IFV|AFV|armou?red|mobility vehicle|reconnaissance vehicle|"
     r"combat vehicle)\b", "armoured vehicle"),
]

# Designation families (on the cleaned name, after the calibre is removed).
FAMILY_CATEGORY = [
    (r"^(9K5\d)", "rocket artillery"),
    (r"^(9K1[1-3]\d)", "armoured vehicle"),
    (r"^(2S6|2K22|ZSU|ZU-23|S-60|KS-19|AZP|9K\d|Buk|Tor|Osa|Strela|Pantsir|S-[1-5]\d\d|"
     r"Gepard|IRIS-T|NASAMS|Patriot|MIM-|Stinger|Igla|Verba|Stormer|Avenger|Crotale|"
     r"Skyguard|Viktor)", "air defence"),
    (r"^(BM-\d|TOS-|9P1[34]\d|9K5\d|2B17|2B26|Grad|Uragan|Smerch|Tornado|M142|HIMARS|"
     r"M270|RM-70|Vilkha|MARS|LRU|Bureviy|RAK-|APR-40)", "rocket artillery"),
    (r"^(2S\d|2A\d|2B\d|D-\d|M-\d|M777|M109|M101|M119|L119|FH-?70|PzH|AS-?90|Caesar|"
     r"AHS Krab|Krab|Zuzana|DANA|ShKH|Archer|Bohdana|TRF1|M1064|2S22)", "artillery"),
    (r"^(T-\d|PT-91|Leopard|Challenger|M1 |M1A|M55S|M-55S|Abrams|Strv|BMPT)", "tank"),
    (r"^(BMP|BMD|BTR|BRDM|BRM|MT-LB|M113|M2A|M2 |M3A|Bradley|Stryker|Marder|CV90|YPR|"
     r"VAB|MaxxPro|M1224|Kozak|Tigr|GAZ Tigr|HMMWV|M11\d\d|Cougar|Mastiff|Bushmaster|"
     r"Senator|Roshel|Kirpi|Vepr|Spartan|Saxon|Dingo|AMX-10|Novator|Varta|Dozor|KrAZ Cobra|"
     r"KrAZ Spartan|Shrek|Typhoon|Linza|Patrol-A|Otokar|Pbv|BvS|Bandvagn|Sisu|Patria|"
     r"AMN|Iveco LMV|Rys|Gyurza|UAT-D|Husky|Wolfhound|Jackal|FV\d|Warrior|Viking|"
     r"Panthera|Oncilla|Ladoga|OT-64|BVP|Pinzgauer|Land Rover|MRAP|Valkyrja|ASU-1|M577)",
     "armoured vehicle"),
    (r"^(Su-\d|MiG-\d|Tu-2|Tu-9|Tu-16|Il-\d|An-\d|Yak-\d|L-39|Be-\d|A-50|F-16|Mirage|"
     r"S-70)", "aircraft"),
    (r"^(Mi-\d|Ka-\d|Airbus H)", "helicopter"),
    (r"^(Orlan|Forpost|Orion|Eleron|ZALA|Supercam|Leleka|Bayraktar|Mohajer|Shahed|Furia|"
     r"A1-SM|Granat|Takhion|Switchblade|Warmate|Puma|Raven|ScanEagle|Tu-14\d|UJ-22|"
     r"Spectator|Shark|Lastochka|Merlin|Grifon|Korsar|Inokhodets|Tekever|Albatros|"
     r"Chaklun|Penguin|Quantum|FlyEye|Sparrow|Mara|Orlik|PD-\d|Navodchik|Gerbera)", "drone"),
    (r"^Project ", "naval"),
]

# Country of origin by designation; first match wins. Rows with no match keep the
# equipment list's manufacturer or stay empty.
ORIGIN = [
    (r"^(2S22|BTR-[347]\b|Bohdana)", "Ukraine"),
    (r"^(T-90|T-72B3|T-80BVM|BMP-3|BMD-4|BTR-82|BTR-MDM|BMPT|Ka-52|Su-3[045]|Su-57|"
     r"MiG-31|Pantsir|Tor-M2|2S19|2S33|2S35|2S43|Tornado|TOS|Orlan|ZALA|Supercam|Eleron|"
     r"Forpost|Orion|Lancet|Granat|Takhion|Merlin|Grifon|Lastochka|Korsar|Tigr|GAZ Tigr|"
     r"Typhoon|Linza|Patrol-A|Remdiesel|Akhmat|S-400|Buk-M3|Verba|Tu-160|Kinzhal|Kalibr|"
     r"Project 22|Project 11356|Project 0|Project 1171|Project 636)", "Russia"),
    (r"^(T-\d|BMP|BMD|BTR|BRDM|BRM|MT-LB|2S\d|2A\d|2B\d|9K\d|9P\d|9A\d|BM-\d|D-\d|M-\d|"
     r"Su-\d|MiG-\d|Mi-\d|Ka-\d|Tu-\d|An-\d|Il-\d|Yak-\d|ZSU|ZU-|S-60|KS-19|S-[1-3]\d\d|"
     r"Buk|Tor|Osa|Strela|Igla|Project)", "Soviet Union"),
    (r"^(M(?!19\d\d)\d|HMMWV|Bradley|Abrams|Stryker|MaxxPro|Cougar|HIMARS|F-16|NASAMS|Patriot|"
     r"MIM-|Stinger|Switchblade|Puma|Raven|ScanEagle|Oshkosh|International|Humvee)",
     "United States"),
    (r"^(Leopard|Marder|Gepard|PzH|Dingo|Bergepanzer|MAN |IRIS-T|Biber)", "Germany"),
    (r"^(Challenger|AS-?90|FV\d|Mastiff|Husky|Wolfhound|Jackal|Stormer|Spartan|Saxon|"
     r"Warrior|Land Rover|Supacat)", "United Kingdom"),
    (r"^(Caesar|AMX|VAB|TRF1)", "France"),
    (r"^(Kozak|Varta|BTR-[347]|Bohdana|2S22|Leleka|A1-SM|Shark|Novator|Dovbush|Triton|"
     r"KrAZ|Bogdan|Spectator|UJ-22|Furia|Valkyrja|ASU-1|Dozor|Oncilla|Bars|Vilkha|"
     r"Neptune|Bureviy|Gyurza|UAT-D|Shrek|Mara|Chaklun)", "Ukraine"),
    (r"^(DANA|ShKH|RM-70|BVP|OT-64)", "Czechoslovakia"),
    (r"^(Zuzana)", "Slovakia"),
    (r"^(PT-91|AHS Krab|Krab|Rosomak|Warmate|FlyEye|Piorun)", "Poland"),
    (r"^(Bushmaster)", "Australia"),
    (r"^(YPR)", "Netherlands"),
    (r"^(CV90|Pbv|BvS|Bandvagn|Archer|Strv)", "Sweden"),
    (r"^(Kirpi|Bayraktar|Otokar)", "Turkey"),
    (r"^(Mohajer|Shahed)", "Iran"),
    (r"^(Senator|Roshel)", "Canada"),
    (r"^(Sisu|Patria)", "Finland"),
    (r"^(Iveco|Lince|Puma 6x6)", "Italy"),
]

# Designation families the Oryx names spell in several ways: the regex on the cleaned
# name picks the canonical family name so that "9A310M1 TELAR (for Buk-M1)" and
# "Buk-M1" land in the same row.
FAMILY_OVERRIDE = [
    (r"\bBuk\b|Buk-M", "Buk"),
    (r"\bTor\b|Tor-M|9K33[0-2]", "Tor"),
    (r"S-300", "S-300"),
    (r"S-400", "S-400"),
    (r"S-350|50P6", "S-350 Vityaz"),
    (r"\bPatriot\b|MIM-104", "Patriot"),
    (r"IRIS-T", "IRIS-T"),
    (r"NASAMS", "NASAMS"),
    (r"Pantsir", "Pantsir"),
    (r"Tunguska|2K22", "2K22 Tunguska"),
    (r"Shilka|ZSU-23-4", "ZSU-23-4 Shilka"),
    (r"\bOsa\b|9K33\b", "9K33 Osa"),
    (r"Strela-10|9K35", "9K35 Strela-10"),
    (r"Igla|9K3[18]\b|9K310", "9K38 Igla"),
    (r"\b2S7\b|Pion|Malka", "2S7 Pion"),
    (r"Msta-B|2A65", "2A65 Msta-B"),
    (r"Msta-S|2S19", "2S19 Msta-S"),
    (r"Bohdana|2S22", "2S22 Bohdana"),
    (r"Grad-1|9P138", "9P138 Grad-1"),
    (r"BM-21", "BM-21 Grad"),
    (r"Uragan-1M|9K512", "9K512 Uragan-1M"),
    (r"BM-27", "BM-27 Uragan"),
    (r"BM-3[01]|Smerch\b", "BM-30 Smerch"),
    (r"TOS-1", "TOS-1A"),
    (r"Kartograf|Orlan-20", "Orlan-20"),
    (r"Kornet", "Kornet"),
    (r"Konkurs", "Konkurs"),
    (r"Moskva", "Moskva"),
    (r"Mi-24|Mi-35", "Mi-24"),
    (r"Mi-8|Mi-17", "Mi-8"),
    (r"HMMWV", "HMMWV"),
    (r"MaxxPro|M1224", "MaxxPro"),
    (r"M1A1|Abrams", "M1 Abrams"),
    (r"M2A\d|Bradley", "M2 Bradley"),
    (r"Roshel Senator", "Roshel Senator"),
    (r"Tigr", "GAZ Tigr"),
]

# Popular names and aliases that are English words, common names or other brands:
# kept out of the alias list (the row still matches by designation).
RISKY = {
    "Alligator", "Tor", "Osa", "Strela", "Tornado", "Bradley", "Leopard", "Challenger",
    "Fury", "Vampire", "Lancet", "Patriot", "Hurricane", "Tiger", "Typhoon", "Cobra",
    "Varta", "Spartan", "Senator", "Patrol", "Mastiff", "Husky", "Wolfhound", "Jackal",
    "Bison", "Saxon", "Warrior", "Viking", "Nona", "Malka", "Shark", "Novator", "Dozor",
    "Orion", "Forpost", "Shrek", "Panthera", "Oncilla", "Vepr", "Penguin", "Sparrow",
    "Merlin", "Puma", "Raven", "Phoenix", "Valkyrja", "Terminator", "Magnolia", "Buran",
    "Triton", "Defiant", "Chaklun", "Mara", "Orlik", "Spectator", "Dingo", "Biber",
    "Akhmat", "Kozak", "Granat", "Kub", "Krab", "Caesar", "Archer", "Hunter", "Eagle",
    "Scorpion", "Storm", "Shadow", "Rys", "Triumf", "Flap Lid", "Taran", "Tigr",
    "Korsar", "Shkval", "Pion", "Bars", "Obr", "Project", "Improved", "Kilo",
    "Avenger", "Ladoga", "Stormer", "Oraln", "FFG", "BOV", "Sapfir", "Ukraine", "Russia",
    "ZALA", "ZALA Aero", "Guardian", "Sultan", "Bulldog", "Samaritan", "Fighter", "Ural",
    "Land Rover",
    # The armoured Ural-4320VV would otherwise give its family name to every Ural truck.
    "Ural-4320",
}

CALIBRE = re.compile(r"^\d+(?:[.,/]\d+)*mm\s+")
LEADING_COUNTS = re.compile(r"^(?:\d+\s+)+(?=\S)")
# The designation's family base: "T-72B3" -> "T-72", "2S3(M)" -> "2S3", "M777A2" -> "M777".
BASE = re.compile(r"^(?:[A-Za-z]{1,6}-?\d+|\d[A-Z]\d+)(?=$|[A-Za-z(/])")
HAS_DIGIT = re.compile(r"\d")
NAME_WORD = re.compile(r"^[A-Z][a-z]+(?:-[A-Z0-9][A-Za-z0-9]*)?$")
# Capitalised words in Oryx names that are not a system's popular name.
NOT_POPULAR = {"Ukraine", "Russia", "Ural", "Infantry", "Carrier", "Vehicle", "Assault",
               "Stealth", "Protected", "Tactical", "Fighter", "Aero", "Mobility", "Improved",
               "Unknown", "Civilian", "Heavy", "Light", "Mobile", "Recon", "Guard", "Sea",
               "Artillery", "System", "Anti-Aircraft", "Gun"}
DESCRIPTOR_WORDS = {"Obr.", "Obr", "SA", "TEL", "TELAR", "TLAR", "UAV", "UCAV", "MRL", "MRLS",
                    "SAM", "IMV", "MRAP", "APC", "IFV", "AFV", "ATGM", "HVM", "ODS-SA"}


# The scrape spells some designations with Cyrillic look-alikes ("ZALA 421-16Е").
HOMOGLYPHS = str.maketrans("АВЕКМНОРСТХаеорсх", "ABEKMHOPCTXaeopcx")


def clean(raw):
    """The scraped name without count tokens, quotes and trailing punctuation."""
    s = LEADING_COUNTS.sub("", raw.strip()).translate(HOMOGLYPHS)
    s = s.replace("''", "'").replace('"', "'")
    s = re.sub(r"\(\d+, \w+\)", "", s)
    return re.sub(r"\s+", " ", s).strip(" :;,")


def first_match(rules, text, flags=0):
    """The value of the first (pattern, value) rule whose pattern occurs in text."""
    for pattern, value in rules:
        if re.search(pattern, text, flags):
            return value
    return None


def categorise(name, known):
    """Our category for a cleaned Oryx name, or None to drop it."""
    if UNUSABLE.search(name):
        return None
    if name in known:
        return known[name]
    core = CALIBRE.sub("", name)
    category = first_match(KEYWORD_CATEGORY, name, re.IGNORECASE)
    if category:
        return category
    if NOT_A_WEAPON.search(name):
        return None
    return first_match(FAMILY_CATEGORY, core) or first_match(DESCRIPTOR_CATEGORY, name)


def family(name):
    """(family key, variant designations, popular names) of a cleaned Oryx name."""
    core = CALIBRE.sub("", name)
    core = re.sub(r"\((?:launcher )?for ([^)]*)\)", r"\1", core)
    override = first_match(FAMILY_OVERRIDE, core)
    tokens = [t.strip("'") for t in core.split()]
    variants, popular = [], []
    key = None
    for i, token in enumerate(tokens):
        if not token or token in DESCRIPTOR_WORDS or token[0].islower() or \
                re.match(r"^\d+x\d+$", token):
            continue
        if key is None and HAS_DIGIT.search(token):
            # "Leopard 2A4": the word before the number is part of the family.
            words = [t for t in tokens[:i] if t[:1].isupper() and t not in NOT_POPULAR]
            prefix = " ".join(words) + " " if words else ""
            base = BASE.match(token)
            if base:
                key = prefix + base.group(0)
            else:
                lead = re.match(r"^\d+", token)
                key = prefix + (lead.group(0) if lead and prefix else token)
            # "M109A3/A4/A5" and "Su-27/MiG-29" list variants: keep the first.
            head = token.split("/")[0]
            variants.append(prefix + head.replace("(", "").replace(")", ""))
            variants.append(prefix + re.sub(r"\(.*?\)", "", head))
        elif key is not None and not popular and NAME_WORD.match(token) \
                and token not in NOT_POPULAR:
            # Only the word right after the designation names the system.
            popular.append(token)
        elif key is not None:
            break
    if key is None:
        # No designation: the leading capitalised words are the name ("GAZ Tigr").
        words = []
        for t in tokens:
            if not t or not t[0].isupper() or t in DESCRIPTOR_WORDS or t in NOT_POPULAR:
                break
            words.append(t)
        key = " ".join(words[:2]) if words else core
    if override:
        key = override
    return key, variants, popular


def naval_family(name):
    """Naval rows are named by ship class: "Project 775 Ropucha-class landing ship"."""
    m = re.search(r"([A-Z][a-z]+(?:[- ][IVX]+)?)[- ]class", name, re.IGNORECASE)
    project = re.search(r"Project ([\w.-]+)", name)
    aliases = []
    if project:
        aliases.append("Project " + project.group(1))
    if m and m.group(1).lower() not in {"improved", "the"}:
        cls = m.group(1).replace(" ", "-")
        return cls + "-class", aliases + [cls + " class", cls + "-class ships"]
    return (aliases[0] if aliases else re.sub(r"\s*\(.*", "", name)), aliases


def load_equipment(path):
    """Cleaned model name -> (category or None, manufacturer) from PetroIvaniuk's list."""
    known, origin = {}, {}
    with open(path, encoding="utf-8") as f:
        for item in json.load(f):
            name = clean(item["model"])
            known[name] = ORYX_CATEGORY.get(item["equipment_oryx"])
            origin[name] = re.sub(r"^the ", "", item["manufacturer"])
    return known, origin


def load_oryx(path):
    """Cleaned Oryx name -> total losses over both sides."""
    totals = defaultdict(int)
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            name = clean(row["system"])
            if len(name) > 1:
                totals[name] += int(row["total"] or 0)
    return totals


def oryx_rows(weapons_dir, log):
    known, manufacturer = load_equipment(
        os.path.join(weapons_dir, "oryx-equipment", "russia_losses_equipment_oryx.json"))
    totals = load_oryx(os.path.join(weapons_dir, "oryx", "totals_by_system_wide.csv"))
    families = {}
    dropped = []
    for name, total in sorted(totals.items()):
        category = categorise(name, known)
        if category is None:
            dropped.append((total, name))
            continue
        if category == "naval":
            key, aliases = naval_family(name)
            popular = []
        else:
            key, aliases, popular = family(name)
        row = families.setdefault(key, {
            "kind": "system", "key": key, "category": category, "origin": "",
            "aliases": [], "popular": defaultdict(int), "total": 0, "source": "oryx"})
        row["total"] += total
        row["aliases"].extend(aliases)
        for word in popular:
            row["popular"][word] += total
        if not row["origin"] and manufacturer.get(name):
            row["origin"] = manufacturer[name]
    for total, name in sorted(dropped, reverse=True):
        log.write(f"dropped\t{total}\t{name}\n")
    rows = []
    for key, row in families.items():
        row["origin"] = first_match(ORIGIN, key) or row["origin"]
        row["name"] = display_name(key, row["popular"], row["total"])
        row["aliases"] += [w for w in row["popular"] if w not in RISKY
                           and row["popular"][w] * 2 >= row["total"]]
        if row["category"] in {"tank", "armoured vehicle", "aircraft", "helicopter"} and \
                re.match(r"^[\w-]*\d$", key):
            row["aliases"].append(key + "s")
        if "-" in key and re.match(r"^[A-Za-z]{1,4}-\d+$", key):
            row["aliases"].append(key.replace("-", ""))
        rows.append(row)
    return rows


def display_name(key, popular, total):
    """The family name plus its most used popular name: "2S3" + "Akatsiya"."""
    if not popular or not HAS_DIGIT.search(key) or " " in key:
        return key
    best = max(sorted(popular), key=lambda w: popular[w])
    # A name used by a minority of the family's losses is a variant's, not the family's.
    if best in key or popular[best] * 2 < total:
        return key
    return f"{key} {best}"


def read_extra(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#") or line.startswith("kind\t"):
                continue
            fields = line.split("\t")
            if len(fields) != 5:
                sys.exit(f"{path}:{number}: expected 5 tab-separated fields, got {len(fields)}")
            kind, name, category, origin, aliases = fields
            if kind not in {"system", "class"} or category not in CATEGORIES:
                sys.exit(f"{path}:{number}: bad kind or category: {kind!r} {category!r}")
            rows.append({"kind": kind, "name": name, "key": name, "category": category,
                         "origin": origin, "aliases": [a for a in aliases.split("|") if a],
                         "total": 0, "source": "hand"})
    return rows


def merge(hand, oryx, log):
    """Hand rows first; an Oryx family named like a hand row or one of its aliases
    folds into it. Oryx families whose only name is a risky word are dropped."""
    by_form = {}
    for row in hand:
        if row["kind"] == "system":
            for form in [row["name"]] + row["aliases"]:
                by_form.setdefault(form, row)
    out = list(hand)
    for row in sorted(oryx, key=lambda r: (-r["total"], r["name"])):
        target = by_form.get(row["name"]) or by_form.get(row["key"])
        if target is not None:
            target["aliases"] += [row["key"]] + row["aliases"]
            log.write(f"merged\t{row['name']}\tinto\t{target['name']}\n")
        elif row["name"] in RISKY:
            log.write(f"risky\t{row['name']}\n")
        else:
            by_form[row["name"]] = row
            out.append(row)
    return out


def usable(alias):
    """A surface form worth matching: two or more characters, not a risky word."""
    return len(alias) >= 2 and alias not in RISKY and not alias.isdigit()


def assign_aliases(rows, log):
    """Every surface form belongs to one row: the first that claims it."""
    owner = {}
    for row in rows:
        owner.setdefault(row["name"].lower(), row["name"])
    for row in rows:
        kept = []
        for alias in row["aliases"]:
            alias = alias.strip()
            if not usable(alias) or alias == row["name"] or alias in kept:
                continue
            claimed = owner.setdefault(alias.lower(), row["name"])
            if claimed != row["name"]:
                log.write(f"alias\t{alias}\tof\t{row['name']}\talready\t{claimed}\n")
                continue
            kept.append(alias)
        row["aliases"] = kept


def write(rows, path):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("# Weapons catalogue for sitrep. Generated by tools/build_weapons.py from the\n")
        f.write("# Oryx loss lists (CC BY 4.0, via scarnecchia/oryx_data), the PetroIvaniuk\n")
        f.write("# equipment list (MIT) and tools/weapons-extra.tsv (hand-made). Do not edit by\n")
        f.write("# hand: see gazetteers/CATALOGUE.md.\n")
        f.write("kind\tname\tcategory\torigin\taliases\n")
        for row in rows:
            f.write("\t".join([row["kind"], row["name"], row["category"], row["origin"],
                               "|".join(row["aliases"])]) + "\n")


def main(argv):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    default_dir = os.path.join(root, "..", "shared", "gazetteer-sources", "weapons")
    if not os.path.isdir(default_dir):
        default_dir = "/work/shared/gazetteer-sources/weapons"
    weapons_dir = argv[1] if len(argv) > 1 else default_dir
    output = argv[2] if len(argv) > 2 else os.path.join(root, "gazetteers", "weapons.tsv")
    if not os.path.isdir(weapons_dir):
        sys.exit(f"{weapons_dir}: not a directory (the Oryx sources are needed)")
    log = sys.stderr
    hand = read_extra(os.path.join(root, "tools", "weapons-extra.tsv"))
    rows = merge(hand, oryx_rows(weapons_dir, log), log)
    assign_aliases(rows, log)
    systems = [r for r in rows if r["kind"] == "system"]
    classes = [r for r in rows if r["kind"] == "class"]
    order = sorted(systems, key=lambda r: (r["category"], r["name"].lower())) + \
        sorted(classes, key=lambda r: (r["category"], r["name"].lower()))
    write(order, output)
    log.write(f"wrote {output}: {len(systems)} systems "
              f"({sum(r['source'] == 'hand' for r in systems)} hand-made), "
              f"{len(classes)} classes\n")


if __name__ == "__main__":
    main(sys.argv)
