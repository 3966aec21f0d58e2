#!/bin/bash
# usage: runlink.sh STORE LOG — runs crosscheck link, stops it once groups are stored (the
# claims step after that is another helper's and is measured separately).
store=$1; log=$2
/usr/bin/time -v ${CROSSCHECK:-target/release/crosscheck} link --data "$store" > "$log" 2>&1 &
tpid=$!
for i in $(seq 1 36000); do
  sleep 0.2
  if grep -q "groups stored" "$log"; then
    child=$(pgrep -P $tpid)
    [ -n "$child" ] && kill $child
    break
  fi
  kill -0 $tpid 2>/dev/null || break
done
wait $tpid
grep -E "link:|Elapsed|Maximum resident" "$log"
