"""Glue for the thin workflow scripts: log to the rule's log file, fail with a clear message."""

from __future__ import annotations

import errno
import logging
import os
import sys
import traceback

# write failures that are about the place, not the code: one line naming the path, no traceback
PLACE_ERRORS = {
    errno.ENOSPC: "no space left on the device (disk full)",
    errno.EDQUOT: "disk quota exceeded",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
}


def place_error(exc: BaseException, where: str = "(unknown path)") -> str | None:
    """``cannot write|access PATH: REASON`` for a full, read-only or forbidden location; None for other errors.

    ``where`` names the place when the error does not (a failed ``write`` or ``close`` carries no file name).
    """
    if not isinstance(exc, OSError) or exc.errno not in PLACE_ERRORS:
        return None
    path = os.fsdecode(exc.filename) if exc.filename else where
    verb = "cannot write" if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS) else "cannot access"
    return f"{verb} {path}: {PLACE_ERRORS[exc.errno]} [{errno.errorcode[exc.errno]}]"


class _LogFile(logging.FileHandler):
    """The rule's log file; when it cannot be written (disk full), one line on stderr and the terminal only."""

    broken = False

    def emit(self, record: logging.LogRecord) -> None:
        if not self.broken:
            super().emit(record)

    def handleError(self, record: logging.LogRecord) -> None:
        exc = sys.exc_info()[1]
        if not isinstance(exc, OSError):
            super().handleError(record)
            return
        self.broken = True  # not removed from the logger here: that would skip the next handler of this record
        try:
            self.close()
        except OSError:
            pass
        msg = place_error(exc, self.baseFilename) or f"cannot write the log file {self.baseFilename}: {exc}"
        sys.stderr.write(f"{msg}; logging to the terminal only\n")


def run_logged(snakemake, main) -> None:
    """Call ``main(snakemake)`` with logging sent to ``snakemake.log[0]``.

    A ``SystemExit`` with a message (a deliberate stop, e.g. ``strict``) and a full, read-only or
    forbidden output location end the job with that one line, logged; anything else with the traceback.
    """
    logfile = snakemake.log[0] if len(snakemake.log) else None
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    log_problem = None
    if logfile:
        try:
            handlers.insert(0, _LogFile(logfile, mode="w", encoding="utf-8"))
        except OSError as e:
            log_problem = place_error(e, logfile) or f"cannot open the log file {logfile}: {e}"
    logging.basicConfig(
        level=logging.INFO, handlers=handlers, force=True, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    log = logging.getLogger("valuechain")
    if log_problem:
        log.warning("%s; logging to the terminal only", log_problem)
    try:
        main(snakemake)
    except SystemExit as e:
        if isinstance(e.code, str):
            log.error("%s", e.code)
            raise SystemExit(1) from None
        raise
    except Exception as e:
        msg = place_error(e, "an output of this job (" + ", ".join(map(str, snakemake.output)) + ")")
        if msg is None:
            log.error("stage failed:\n%s", traceback.format_exc())
            raise
        log.error("%s", msg)
        raise SystemExit(1) from None
