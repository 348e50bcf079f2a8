#!/usr/bin/env bash
# submit.sh JOBSCRIPT: start the jobscript in the background, print a job id (like `sbatch --parsable`).
# The job's exit code ends up in .snakemake/cluster-local/<id>.exit, read by status.sh.
set -euo pipefail
jobscript="$1"
state=".snakemake/cluster-local"
mkdir -p "$state"
id="local-$(date +%s%N)-$$"
cp "$jobscript" "$state/$id.sh"
runner='bash "$1.sh"; code=$?; echo "$code" > "$1.exit.tmp"; mv "$1.exit.tmp" "$1.exit"'
if command -v setsid > /dev/null; then
    setsid bash -c "$runner" job "$state/$id" > "$state/$id.log" 2>&1 < /dev/null &
else
    bash -c "$runner" job "$state/$id" > "$state/$id.log" 2>&1 < /dev/null &
fi
echo $! > "$state/$id.pid"
echo "$id"
