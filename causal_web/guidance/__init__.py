"""Guidance derived from the evidence (docs/guidance.md): the typology of collaborations, the
life-cycle stages, action prompts, the readiness diagnostic and the maturity profile.

Each is read from data files (``<data>/guidance/*.yaml``) or derived from the records, cites
what stands behind it or is flagged as the curator's inference, and says that it is derived,
not the study's own survey, index or action statements.
"""

from causal_web.guidance.diagnostic import AnswerError, Instrument, Item, check_answers, score_answers
from causal_web.guidance.evidence import EvidenceWeight, evidence_weight
from causal_web.guidance.files import GuidanceDataError
from causal_web.guidance.prompts import PROMPT_LABEL, ActionPrompt, derive_prompts
from causal_web.guidance.query import (
    Guidance,
    action_guidance,
    diagnose,
    diagnostic_instrument,
    get_collaboration_type,
    guidance_of,
    list_collaboration_types,
    list_stages,
)
from causal_web.guidance.report import render_report
from causal_web.guidance.typology import Claim, CollaborationType, Stages, Typology

__all__ = [
    "PROMPT_LABEL",
    "ActionPrompt",
    "AnswerError",
    "Claim",
    "CollaborationType",
    "EvidenceWeight",
    "Guidance",
    "GuidanceDataError",
    "Instrument",
    "Item",
    "Stages",
    "Typology",
    "action_guidance",
    "check_answers",
    "derive_prompts",
    "diagnose",
    "diagnostic_instrument",
    "evidence_weight",
    "get_collaboration_type",
    "guidance_of",
    "list_collaboration_types",
    "list_stages",
    "render_report",
    "score_answers",
]
