"""Supply links: who sells, makes or rents what to whom (config/links.yaml verb classes)."""

from __future__ import annotations

from ..frames import Frame, Phrase
from ..links import LinkCtx, maker_of
from ..registry import FoundLink, construction
from ..view import DETERMINERS, inside, render

DESIGNED = {"설계", "디자인", "개발", "만들", "주문", "기획"}  # a product is its designer's
_MONEY = {"돈", "자금", "현금", "달러", "원", "억", "조", "대출", "자본", "투자금"}


def object_text(ctx: LinkCtx, phrases: list[Phrase]) -> str:
    """What flows: the object's own nouns (an owner's name and determiners left out)."""
    for p in phrases:
        actors = [(m["start"], m["end"]) for m in p.ents if m["label"] in ("ORG", "PERSON")]
        toks = [t for t in p.toks if t.text not in DETERMINERS and t.tag != "MM" and not inside(t, actors)]
        if toks:
            return render(ctx.text, toks)
    return ""


def _pairs(sources: list[dict], targets: list[dict], type_: str, obj: str) -> list[FoundLink]:
    return [FoundLink(s["key"], type_, t["key"], obj) for s in sources for t in targets if s["key"] != t["key"]]


_NOT_GOODS = {"자리", "경영권", "바통", "권한", "권리", "자리를", "직책", "지휘봉"}


def _not_goods(ctx: LinkCtx, f: Frame) -> bool:
    """Is the object a stake or a post rather than something sold?"""
    return _stake(ctx, f) or any(t.text in _NOT_GOODS for p in f.phrases("obj") for t in p.head_nouns())


def _stake(ctx: LinkCtx, f: Frame) -> bool:
    """Is the object a stake (지분, 주식): buying it is an investment, not a purchase of goods?"""
    nouns = ctx.lex.links.verbs.get("stake_nouns", set())
    return any(t.text in nouns for p in f.phrases("obj") for t in p.head_nouns())


def sold_organisations(ctx: LinkCtx, f: Frame) -> list[dict]:
    """Organisations named as the whole object (``누리를 한빛에 넘겼다``): selling one is an acquisition
    by the buyer, no supply of goods."""
    return [m for m in f.named("obj", ctx.lex.company_nouns) if m["label"] == "ORG"]


def _is_money(p: list[Phrase]) -> bool:
    return any(t.text in _MONEY for ph in p for t in ph.head_nouns())


def _receivers(f: Frame) -> list[dict]:
    """Who receives: the dative named (``누리에``), else the owner of the dative place or product
    (``누리 데이터센터에``, ``누리가 지은 슈퍼컴퓨터에``)."""
    named = f.actors("dat")
    if named:
        return named
    out = []
    for p in f.phrases("dat"):
        out += p.owners()
        if p.rel is not None and p.rel is not f:
            out += p.rel.subjects()
    return out


@construction("supply_to", "link", 0.8)
def supply_to(ctx: LinkCtx) -> list[FoundLink]:
    """``한빛전자는 누리테크에 센서를 납품한다``, ``누리테크에 센서를 파는 한빛전자``: the subject supplies
    the dative the object."""
    out = []
    for f in ctx.frames:
        if _not_goods(ctx, f) or sold_organisations(ctx, f):
            continue  # "지분을 넘긴다" (capital), "자리를 넘겼다" (a post), "누리를 넘겼다" (a sale: acquisition)
        if f.voice == "active" and ctx.lex.links.is_("supply", f.verbs) and not _is_money(f.phrases("obj")):
            out += _pairs(f.subjects(), _receivers(f), "supplies", object_text(ctx, f.phrases("obj")))
    return out


@construction("supply_received", "link", 0.75)
def supply_received(ctx: LinkCtx) -> list[FoundLink]:
    """``누리테크는 한빛전자로부터 센서를 공급받는다`` / ``사들인다`` / ``장비를 받는다``: the source supplies the subject;
    ``한빛전자가 누리테크로부터 센서를 수주했다``: the subject supplies the one who ordered."""
    out = []
    lx = ctx.lex.links
    for f in ctx.frames:
        obj = object_text(ctx, f.phrases("obj"))
        frm = f.actors("src") or f.actors("loc")
        if _stake(ctx, f):
            continue  # buying a stake is capital
        if (f.voice == "received" and lx.is_("supply", f.verbs)) or lx.is_("purchase", f.verbs) or _goods_got(ctx, f):
            owners = [m for p in f.phrases("obj") for m in p.owners()]  # "누리의 장비를 들였다"
            out += _pairs(frm or owners, f.subjects(), "supplies", obj)
        elif lx.is_("order", f.verbs):
            out += _pairs(f.subjects(), frm or f.actors("dat"), "supplies", obj)
    return out


def _goods_got(ctx: LinkCtx, f: Frame) -> bool:
    """``한빛은 누리에서 장비를 받는다``: a product noun received from someone (not money, a stake or a
    degree: those are capital or people links)."""
    nouns = [t.text for p in f.phrases("obj") for t in p.head_nouns()]
    return f.verb == "받" and bool(nouns) and nouns[-1] in ctx.refs.classifiers


def _made_by(p: Phrase) -> list[dict]:
    """Placeholders for the makers of the products a phrase names (``블랙웰 GPU``: 블랙웰's maker)."""
    return [{"key": maker_of(m["key"])} for m in p.products()]


def _owners_of(f: Frame) -> list[dict]:
    """Whose product the object is: ``누리의 GPU``, ``누리 GPU``, ``누리가 설계한 칩``; with a subject of
    its own, a topic product too: ``누리의 칩은 한빛이 찍는다``."""
    phrases = f.phrases("obj")
    if f.phrases("subj"):
        phrases = phrases + [p for p in f.phrases("topic") if not p.actors()]
    out = []
    for p in phrases:
        out += p.owners() or _made_by(p)
        designed = p.rel is not None and p.rel is not f and DESIGNED & p.rel.verbs
        if designed:  # "누리가 설계한 칩", not "누리가 쓰는 서버"
            out += p.rel.subjects()
    return out


@construction("product_use", "link", 0.7)
def product_use(ctx: LinkCtx) -> list[FoundLink]:
    """``누리의 GPU를 활용해 서버를 조립하는 한빛시스템``, ``누리 칩을 탑재한 한빛폰``: the product's owner
    supplies the one who uses it."""
    out = []
    for f in ctx.frames:
        if f.voice == "active" and ctx.lex.links.is_("use", f.verbs) and not _not_goods(ctx, f):
            out += _pairs(_owners_of(f), f.subjects(), "supplies", object_text(ctx, f.phrases("obj")))
    return out


@construction("manufacture_for", "link", 0.75)
def manufacture_for(ctx: LinkCtx) -> list[FoundLink]:
    """``누리테크가 설계한 칩을 양산하는 한빛전자``, ``누리 칩을 위탁생산하는 한빛``, ``한빛은 누리의
    GPU를 패키징한다``, ``누리의 칩을 설계하는 한빛``: the subject makes (or designs) the owner's product."""
    out = []
    lx = ctx.lex.links
    for f in ctx.frames:
        if not (lx.is_("manufacture", f.verbs) or lx.is_("design", f.verbs)):
            continue
        obj = object_text(ctx, f.phrases("obj") or f.phrases("subj") + f.phrases("topic"))
        verb = ctx.lex.business_noun(f.verb)
        what = f"{obj} {verb}".strip() if obj else verb
        if f.voice == "active":
            out += _pairs(f.subjects(), _owners_of(f), "manufactures_for", what)
        elif f.voice == "passive":  # "누리 칩은 한빛 5나노 공정에서 생산된다": the place makes it
            makers = [m for c in ("loc", "ins", "dat") for p in f.phrases(c) for m in p.all_actors()]
            products = [q for p in f.phrases("subj") + f.phrases("topic") for q in (p.owners() or _made_by(p))]
            out += _pairs(makers, products, "manufactures_for", what)
    return out


@construction("outsource_to", "link", 0.7)
def outsource_to(ctx: LinkCtx) -> list[FoundLink]:
    """``누리는 한빛전자에 칩 생산을 맡긴다``: the dative makes for the subject; ``한빛은 누리의 테스트
    물량을 위탁받는다``: the subject makes for the owner."""
    out = []
    for f in ctx.frames:
        if not ctx.lex.links.is_("outsource", f.verbs):
            continue
        obj = object_text(ctx, f.phrases("obj"))
        if f.voice == "active":
            out += _pairs(f.actors("dat"), f.subjects(), "manufactures_for", obj)
        elif f.voice == "received":  # "한빛은 누리의 테스트 물량을 위탁받는다"
            out += _pairs(f.subjects(), _owners_of(f) or f.actors("src"), "manufactures_for", obj)
    return out


@construction("rent_to", "link", 0.75)
def rent_to(ctx: LinkCtx) -> list[FoundLink]:
    """``한빛클라우드는 누리랩에 GPU를 빌려준다`` (the subject rents to the dative), ``누리랩은
    한빛클라우드에서 GPU를 빌린다`` (the source rents to the subject); money lent is capital."""
    out = []
    lx = ctx.lex.links
    for f in ctx.frames:
        obj_ph = f.phrases("obj")
        if _is_money(obj_ph):
            continue  # money lent is capital (invest_in)
        obj = object_text(ctx, obj_ph)
        if f.voice == "active" and lx.is_("rent", f.verbs):
            out += _pairs(f.subjects(), f.actors("dat"), "rents_to", obj)
        elif lx.is_("rent_from", f.verbs) and not f.aux:
            owners = [m for p in obj_ph for m in p.owners()]  # "누리의 TPU를 빌려 쓴다"
            out += _pairs(
                f.actors("src") or f.actors("loc") or f.actors("dat") or owners, f.subjects(), "rents_to", obj
            )
    return out


@construction("component_of", "link", 0.7)
def component_of(ctx: LinkCtx) -> list[FoundLink]:
    """``한빛의 센서가 누리 로봇에 들어간다``, ``한빛의 HBM은 누리봇에 실렸다``: the maker of the part
    supplies the maker of the product it goes into."""
    out = []
    for f in ctx.frames:
        if not ctx.lex.links.is_("component", f.verbs):
            continue
        parts = [p for p in f.phrases("subj") + f.phrases("topic")]
        suppliers = [m for p in parts for m in (p.owners() or _made_by(p))]
        customers = [m for p in f.phrases("dat") for m in (p.actors() or p.owners() or _made_by(p))]
        out += _pairs(suppliers, customers, "supplies", object_text(ctx, parts))
    return out


@construction("contract", "link", 0.7)
def contract(ctx: LinkCtx) -> list[FoundLink]:
    """``한빛은 누리와 전력 구매 계약을 맺었다`` (누리 supplies 한빛), ``한빛은 누리와 센서 공급 계약을
    체결했다`` (한빛 supplies 누리): a contract with a named party says who sells by its noun."""
    out = []
    lx = ctx.lex.links
    for f in ctx.frames:
        for p in f.phrases("obj"):
            words = {t.text for t in p.head_nouns()}
            if "계약" not in words or not f.actors("com"):
                continue
            what = object_text(ctx, [p]).replace("계약", "").strip()
            if words & lx.verbs.get("purchase", set()):
                out += _pairs(f.actors("com"), f.subjects(), "supplies", what)
            elif words & lx.verbs.get("supply", set()):
                out += _pairs(f.subjects(), f.actors("com"), "supplies", what)
    return out
