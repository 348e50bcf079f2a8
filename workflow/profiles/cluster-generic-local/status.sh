#!/usr/bin/env bash
# status.sh JOBID: print running, success or failed (the cluster-generic status protocol).
# The runner started by submit.sh always writes <id>.exit when the job ends (cancel.sh too).
state=".snakemake/cluster-local"
id="$1"
if [ -f "$state/$id.exit" ]; then
    if [ "$(cat "$state/$id.exit")" = "0" ]; then echo success; else echo failed; fi
elif [ -f "$state/$id.sh" ]; then
    echo running
else
    echo failed  # unknown job id
fi
