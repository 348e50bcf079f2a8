"""Glue for the thin workflow scripts: log to the rule's log file, fail with a clear message."""

from __future__ import annotations

import logging
import sys
import traceback


def run_logged(snakemake, main) -> None:
    """Call ``main(snakemake)`` with logging sent to ``snakemake.log[0]``."""
    logfile = snakemake.log[0] if len(snakemake.log) else None
    handlers = [logging.FileHandler(logfile, mode="w", encoding="utf-8")] if logfile else []
    handlers.append(logging.StreamHandler(sys.stderr))
    logging.basicConfig(
        level=logging.INFO, handlers=handlers, force=True, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        main(snakemake)
    except Exception:
        logging.getLogger("valuechain").error("stage failed:\n%s", traceback.format_exc())
        raise
