#!/usr/bin/env python3
"""Consistency check for the gold test set (corpus.jsonl + gold.jsonl in this folder).

usage: python3 testdata/gold/check.py [DIR]
       python3 testdata/gold/check.py --as-extraction [DIR] > perfect.jsonl


Checks that both files parse, ids line up, gold objects carry exactly the SCHEMA.md keys,
every alias / quantity text / date text occurs verbatim in its article, aliases belong to a
listed entity and never repeat the canonical name, event types come from the fixed
vocabulary and their actor/target/place are listed entities, resolved dates are well formed
(weekday names resolve to that weekday within the week before the article date), and the
duplicate relation is symmetric. Prints problems and exits 1 if there are any.

--as-extraction prints the gold rewritten in the extraction format of SCHEMA.md (entities as a
list, no spans), a "perfect prediction" for checking a scorer: score.py reads predicted
entities from `entities`, so scoring gold.jsonl against itself reports 0 for entities.
"""
import datetime as dt
import json
import os
import re
import sys

KEYS = ["id", "persons", "organizations", "locations", "aliases", "attributions", "quantities", "dates", "events",
        "duplicates_of"]
EVENT_TYPES = set("withdraw evacuate kill wound attack capture fund build meet criticize threaten support advance "
                  "reduce replace other".split())
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def load(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as e:
                    sys.exit(f"{path}:{n}: not JSON: {e}")
    return rows


def valid_resolved(r):
    parts = r.split("/")
    if len(parts) > 2 or not all(ISO.match(p) for p in parts):
        return False
    try:
        for p in parts:
            if len(p) == 10:
                dt.date.fromisoformat(p)
    except ValueError:
        return False
    return True


def check(d):
    corpus = load(os.path.join(d, "corpus.jsonl"))
    gold = load(os.path.join(d, "gold.jsonl"))
    problems = []
    bad = problems.append
    docs = {c["id"]: c for c in corpus}
    if [c["id"] for c in corpus] != [g["id"] for g in gold]:
        bad("corpus and gold ids differ or are in a different order")
    for c in corpus:
        if sorted(c) != sorted(["id", "url", "outlet", "date", "title", "text"]):
            bad(f"{c['id']}: corpus keys {sorted(c)}")
        if c["date"] is not None and not re.match(r"^\d{4}-\d{2}-\d{2}$", c["date"]):
            bad(f"{c['id']}: corpus date {c['date']!r}")
    for g in gold:
        gid = g["id"]
        if list(g) != KEYS:
            bad(f"{gid}: keys {list(g)}")
            continue
        doc = docs.get(gid)
        if doc is None:
            bad(f"{gid}: not in corpus")
            continue
        text = doc["text"]
        names = {}
        for key in ("persons", "organizations", "locations"):
            for name in g[key]:
                if name in names:
                    bad(f"{gid}: {name!r} listed twice ({names[name]}, {key})")
                names[name] = key
        for name, forms in g["aliases"].items():
            if name not in names:
                bad(f"{gid}: aliases for unlisted entity {name!r}")
            if not forms:
                bad(f"{gid}: empty alias list for {name!r}")
            for a in forms:
                if a == name:
                    bad(f"{gid}: alias repeats canonical {name!r}")
                if a not in text:
                    bad(f"{gid}: alias {a!r} not in text")
        for name in names:
            if name not in text and not any(a in text for a in g["aliases"].get(name, [])):
                bad(f"{gid}: entity {name!r} has no surface form in the text")
        for q in g["quantities"]:
            if q["text"] not in text:
                bad(f"{gid}: quantity text {q['text']!r} not in text")
            if not isinstance(q["value"], (int, float)) or not q["unit"]:
                bad(f"{gid}: quantity {q}")
        date = dt.date.fromisoformat(doc["date"]) if doc["date"] else None
        for x in g["dates"]:
            if x["text"] not in text:
                bad(f"{gid}: date text {x['text']!r} not in text")
            r = x["resolved"]
            if r is not None and not valid_resolved(r):
                bad(f"{gid}: resolved {r!r} malformed")
            day = x["text"].split()[-1]
            if day in WEEKDAYS and r is not None:
                if date is None:
                    bad(f"{gid}: weekday {x['text']!r} resolved without an article date")
                else:
                    rd = dt.date.fromisoformat(r)
                    if WEEKDAYS[rd.weekday()] != day or not (0 <= (date - rd).days <= 13):
                        bad(f"{gid}: {x['text']!r} -> {r} does not fit article date {date}")
        for a in g["attributions"]:
            if sorted(a) != ["content", "cue", "source"] or not all(a.values()):
                bad(f"{gid}: attribution {a}")
        for e in g["events"]:
            if e["type"] not in EVENT_TYPES:
                bad(f"{gid}: event type {e['type']!r}")
            for role in ("actor", "target", "place"):
                if e[role] is not None and e[role] not in names:
                    bad(f"{gid}: event {role} {e[role]!r} is not a listed entity")
            if e["date"] is not None and not valid_resolved(e["date"]):
                bad(f"{gid}: event date {e['date']!r}")
        for other in g["duplicates_of"]:
            if other == gid or other not in docs:
                bad(f"{gid}: duplicates_of {other!r}")
    dup = {g["id"]: set(g["duplicates_of"]) for g in gold}
    for a, others in dup.items():
        for b in others:
            if a not in dup.get(b, set()):
                bad(f"duplicates not symmetric: {a} -> {b}")
    return problems, corpus


def as_extraction(d):
    types = {"persons": "person", "organizations": "organization", "locations": "location"}
    for g in load(os.path.join(d, "gold.jsonl")):
        entities = [{"name": n, "type": t, "aliases": g["aliases"].get(n, []), "mentions": []}
                    for key, t in types.items() for n in g[key]]
        out = {"id": g["id"], "entities": entities}
        for key in ("attributions", "quantities", "dates", "events", "duplicates_of"):
            out[key] = g[key]
        out["copy_of"] = None
        print(json.dumps(out, ensure_ascii=False))


def main():
    args = [a for a in sys.argv[1:] if a != "--as-extraction"]
    d = args[0] if args else os.path.dirname(os.path.abspath(__file__))
    if "--as-extraction" in sys.argv[1:]:
        as_extraction(d)
        return
    problems, corpus = check(d)
    for p in problems:
        print(p)
    words = [len(c["text"].split()) for c in corpus]
    print(f"{len(corpus)} articles, {min(words)}-{max(words)} words; {len(problems)} problem(s)")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
