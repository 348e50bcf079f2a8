"""Console entry point: ``valuechain userdict`` and ``valuechain extract``."""

from __future__ import annotations

import argparse
import sys


def _userdict(args) -> int:
    from .gazetteer import write_userdict

    n = write_userdict(args.gazetteer, args.out)
    print(f"wrote {n} words to {args.out}")
    return 0


def _extract(args) -> int:
    from .extract import extract_lines

    return extract_lines(args.input, args.output, args.config)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="valuechain", description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    u = sub.add_parser("userdict", help="rebuild the Kiwi user dictionary from the gazetteer")
    u.add_argument("--gazetteer", default="resources/gazetteer.tsv")
    u.add_argument("--out", default="resources/kiwi_userdict.tsv")
    u.set_defaults(func=_userdict)
    x = sub.add_parser("extract", help="entity mentions of each line of a text file, as JSON lines")
    x.add_argument("input")
    x.add_argument("-o", "--output", default="-")
    x.add_argument("--config", default="config/config.yaml")
    x.set_defaults(func=_extract)
    args = ap.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
