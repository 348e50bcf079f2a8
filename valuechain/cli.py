"""Console entry point: ``valuechain userdict``, ``valuechain extract`` and ``valuechain add``."""

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


def _add_doc() -> str:
    from .fetch import add

    return add.__doc__ or ""


def _add_arguments(ap: argparse.ArgumentParser) -> None:
    from .fetch.add import add_arguments

    add_arguments(ap)


def _add(args) -> int:
    from .fetch.add import run

    return run(args)


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
    a = sub.add_parser(
        "add",
        help="fetch review pages by URL into reviews_dir and the review sheet",
        description=_add_doc(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_arguments(a)
    a.set_defaults(func=_add)
    args = ap.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
