import json, sqlite3, sys, itertools, collections
# Pairwise precision/recall of the duplicate groups of a store against a `crosscheck-bench gen`
# truth file. Usage: score_groups.py TRUTH STORE_DIR
#
# Only documents the store holds count (ingest drops byte-identical texts).
# * copies: a true pair is two planted copies of one base article (base/wire/rewrite/trim) both
#   stored; a predicted pair is two documents of one *copy cluster*: the components, inside one
#   stored group, of the stored pairs whose wording similarity (exact 3-word-shingle Jaccard)
#   reaches 0.15, i.e. the copy links (link DESIGN.md). Independent reports of the same story are
#   not predicted copies unless their wording reaches that.
# * same story: a true pair is two stored documents of one planted story (copies, independent
#   reports, contradictions, updates, denials); a predicted pair is two members of one group.
#   Recall is also given over true pairs dated at most one day apart (the tool's date gate).
# * copies-in-groups: the old copy figure, predicted = all group pairs (counts independent
#   reports of one story as false copies by construction).
COPY_LINK = 0.15
truth, store = sys.argv[1], sys.argv[2]
pairs = set(); story = {}
for line in open(truth):
    r = json.loads(line)
    if r['type'] == 'duplicates':
        for a, b in itertools.combinations(sorted(r['docs']), 2): pairs.add((a, b))
    if r['type'] == 'story':
        for d in r['docs']: story[d] = r['story']
db = sqlite3.connect(store + '/crosscheck.sqlite3')
ids = set(x for (x,) in db.execute('select id from documents'))
groups = collections.defaultdict(list)
for g, d in db.execute('select group_id, doc_id from duplicate_members'): groups[g].append(d)
parent = {}
def find(x):
    while parent.get(x, x) != x:
        parent[x] = parent.get(parent[x], parent[x]); x = parent[x]
    return x
for a, b, s in db.execute('select doc_a, doc_b, similarity from duplicate_pairs'):
    if s >= COPY_LINK:
        ra, rb = find(a), find(b)
        if ra != rb: parent[max(ra, rb)] = min(ra, rb)
clusters = collections.defaultdict(list)
for m in groups.values():
    for d in m: clusters[find(d)].append(d)
def pairs_of(lists):
    out = set()
    for m in lists:
        for a, b in itertools.combinations(sorted(set(m)), 2): out.add((a, b))
    return out
pred = pairs_of(groups.values())
copy_pred = pairs_of(clusters.values())
stored_true = {p for p in pairs if p[0] in ids and p[1] in ids}
def pr(pred, true):
    c = len(pred & true)
    return c / max(len(pred), 1), c / max(len(true), 1)
sp = set(); members = collections.defaultdict(list)
for d, st in story.items():
    if d in ids: members[st].append(d)
sp = pairs_of(members.values())
# The tool's definition of one story includes a date gate: reports more than a day apart are
# not grouped (an update three days later is a new story for it), so recall is also given over
# the true pairs dated at most one day apart.
import datetime
day = {i: datetime.date.fromisoformat(dt[:10]) for i, dt in db.execute('select id, date from documents') if dt}
sp_gate = {p for p in sp if p[0] in day and p[1] in day and abs((day[p[0]] - day[p[1]]).days) <= 1}
sizes = sorted(map(len, groups.values()), reverse=True)
print(f"stored {len(ids)} groups {len(groups)} largest {sizes[:5]} copy clusters {sum(1 for c in clusters.values() if len(c) > 1)}")
p, r = pr(copy_pred, stored_true)
print(f"copies (copy links): predicted {len(copy_pred)} true {len(stored_true)} precision {p:.4f} recall {r:.4f}")
p, r = pr(pred, stored_true)
print(f"copies-in-groups (all group pairs): precision {p:.4f} recall {r:.4f}")
p, r = pr(pred, sp)
print(f"same story: predicted {len(pred)} true {len(sp)} precision {p:.4f} recall {r:.4f}")
print(f"same story, true pairs at most 1 day apart: true {len(sp_gate)} recall {len(pred & sp_gate) / max(len(sp_gate), 1):.4f}")
variant = {}
for line in open(truth):
    r = json.loads(line)
    if r['type'] == 'duplicates': variant.update(r['variants'])
kinds = collections.Counter()
for a, b in copy_pred - stored_true:
    if story.get(a) == story.get(b):
        kinds['same story: ' + '+'.join(sorted((variant.get(a, 'independent'), variant.get(b, 'independent'))))] += 1
    else:
        kinds['other story'] += 1
print("false copy pairs:", dict(kinds.most_common(8)))
