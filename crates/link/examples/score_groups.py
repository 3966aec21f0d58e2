import json, sqlite3, sys, itertools, collections
# Pairwise precision/recall of the duplicate groups of a store against a `crosscheck-bench gen`
# truth file: planted copies and whole planted stories. Usage: score_groups.py TRUTH STORE_DIR
truth, store = sys.argv[1], sys.argv[2]
pairs=set(); story={}
for line in open(truth):
    r=json.loads(line)
    if r['type']=='duplicates':
        for a,b in itertools.combinations(sorted(r['docs']),2): pairs.add((a,b))
    if r['type']=='story':
        for d in r['docs']: story[d]=r['story']
db=sqlite3.connect(store+'/crosscheck.sqlite3')
ids=set(x for (x,) in db.execute('select id from documents'))
groups=collections.defaultdict(list)
for g,d in db.execute('select group_id, doc_id from duplicate_members'): groups[g].append(d)
pred=set()
for m in groups.values():
    for a,b in itertools.combinations(sorted(m),2): pred.add((a,b))
tp=len(pred&pairs)
stored_true={p for p in pairs if p[0] in ids and p[1] in ids}
same=sum(1 for p in pred-pairs if story.get(p[0])==story.get(p[1]) and p[0] in story)
print(f"groups {len(groups)} sizes max {max(map(len,groups.values()),default=0)} predicted {len(pred)} true {len(pairs)} (both stored {len(stored_true)}) correct {tp} false-same-story {same} false-other {len(pred)-tp-same}")
print(f"copies: precision {tp/max(len(pred),1):.4f} recall {tp/max(len(pairs),1):.4f} recall-of-stored {len(pred&stored_true)/max(len(stored_true),1):.4f}")
sp=set()
members=collections.defaultdict(list)
for d,st in story.items():
    if d in ids: members[st].append(d)
for m in members.values():
    for a,b in itertools.combinations(sorted(m),2): sp.add((a,b))
c=len(pred&sp)
print(f"same story (stored docs): pairs {len(sp)} precision {c/max(len(pred),1):.4f} recall {c/max(len(sp),1):.4f}")
