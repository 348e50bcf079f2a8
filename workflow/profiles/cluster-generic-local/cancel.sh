#!/usr/bin/env bash
# cancel.sh JOBID...: stop the jobs (like scancel) and mark them failed.
state=".snakemake/cluster-local"
for id in "$@"; do
    pid="$(cat "$state/$id.pid" 2> /dev/null || true)"
    if [ -n "$pid" ]; then
        kill -- "-$pid" 2> /dev/null || kill "$pid" 2> /dev/null || true
    fi
    [ -f "$state/$id.exit" ] || echo 143 > "$state/$id.exit"
done
exit 0
