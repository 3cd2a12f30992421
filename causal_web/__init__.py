"""causal-web: a knowledge graph of CMOCs for realist syntheses.

>>> import causal_web
>>> kb = causal_web.load()          # the bundled IOC dataset
>>> len(kb.cmocs) > 0
True
"""

from causal_web.errors import CausalWebError, DataValidationError, QueryError, UnknownIdError
from causal_web.knowledge_base import KnowledgeBase, load
from causal_web.model.loading import load_dataset, read_dataset
from causal_web.model.records import (
    CMOC,
    CausalLink,
    Concept,
    Dataset,
    EvidenceItem,
    Nesting,
    Part,
    Phase,
    Polarity,
    Source,
    Valence,
)

__all__ = [
    "CMOC",
    "CausalLink",
    "CausalWebError",
    "Concept",
    "DataValidationError",
    "Dataset",
    "EvidenceItem",
    "KnowledgeBase",
    "Nesting",
    "Part",
    "Phase",
    "Polarity",
    "QueryError",
    "Source",
    "UnknownIdError",
    "Valence",
    "load",
    "load_dataset",
    "read_dataset",
]

__version__ = "0.1.0"
