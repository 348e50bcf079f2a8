"""(actor, role, era) relations from Kiwi-tagged sentences and the mentions of a review.

A package of small constructions (``constructions/``, one module per family), each a registered
function reading one Korean shape over a sentence view (``view``); configuration lists which run
(``relations.constructions``). The role step (``roles``) and era assignment (``eras``) are separate
passes over the same views; ``extractor`` ties them together.
"""

from .eras import Era, EraConfig
from .extractor import DEFAULT_CONSTRUCTIONS, RELATION_COLUMNS, RelationExtractor, load_confidence, sentence_views
from .lexicon import Lexicon
from .registry import REGISTRY, construction, resolve

__all__ = [
    "DEFAULT_CONSTRUCTIONS",
    "Era",
    "EraConfig",
    "Lexicon",
    "load_confidence",
    "REGISTRY",
    "RELATION_COLUMNS",
    "RelationExtractor",
    "construction",
    "resolve",
    "sentence_views",
]
