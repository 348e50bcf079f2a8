"""Colours shared by the HTML, the SVG figures and the CSS (one palette for the whole report)."""

from __future__ import annotations

# label -> (background, foreground/border)
LABEL_COLORS = {
    "ORG": ("#dbeafe", "#1d4ed8"),
    "PERSON": ("#ffedd5", "#c2410c"),
    "PRODUCT": ("#dcfce7", "#15803d"),
    "WORK": ("#f3e8ff", "#7e22ce"),
    "LOC": ("#fef3c7", "#a16207"),
    "DATE": ("#e5e7eb", "#374151"),
}
OTHER_COLOR = ("#f1f5f9", "#475569")

# diagram columns
ERA_COLORS = {
    "gold_rush": {"bg": "#fffbeb", "line": "#d97706", "ink": "#92400e", "head": "#b45309"},
    "ai": {"bg": "#eef2ff", "line": "#6366f1", "ink": "#3730a3", "head": "#4338ca"},
}

# link families: (colour, SVG stroke-dasharray, CSS text-decoration-style); colour and dash both differ, so
# the families stay apart in grey print and for colour-blind readers
LINK_FAMILY_STYLE = {
    "supply": ("#0f766e", "", "solid"),
    "capital": ("#be185d", "7 4", "dashed"),
    "market": ("#b45309", "2 3", "dotted"),
    "make": ("#6d28d9", "", "solid"),
    "people": ("#475569", "1 3", "wavy"),
}
OTHER_LINK_STYLE = ("#64748b", "", "solid")


def link_style(family: str) -> tuple[str, str, str]:
    """(colour, dash array, underline style) of a link family."""
    return LINK_FAMILY_STYLE.get(family, OTHER_LINK_STYLE)


def label_colors(label: str) -> tuple[str, str]:
    return LABEL_COLORS.get(label, OTHER_COLOR)


def css_vars() -> str:
    """CSS classes for mention labels, generated from the palette."""
    rules = []
    for lab, (bg, fg) in [*LABEL_COLORS.items(), ("OTHER", OTHER_COLOR)]:
        k = lab.lower()
        rules.append(
            f".l-{k}{{background:{bg};box-shadow:inset 0 -2px 0 {fg}}}"
            f".l-{k}::after{{color:{fg}}}"
            f".sw-{k}{{background:{bg};border-color:{fg}}}"
        )
    for fam, (color, _dash, deco) in [*LINK_FAMILY_STYLE.items(), ("other", OTHER_LINK_STYLE)]:
        rules.append(
            f".lk-{fam}{{text-decoration-color:{color};text-decoration-style:{deco}}}"
            f".lk-{fam}::after{{color:{color};border-color:{color}}}"
            f".lksw-{fam}{{stroke:{color}}}"
        )
    return "\n".join(rules)


def mix(c1: str, c2: str, t: float) -> str:
    """Linear blend of two #rrggbb colours (t=0 -> c1)."""
    t = max(0.0, min(1.0, t))
    a = [int(c1[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(c2[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(a, b))
