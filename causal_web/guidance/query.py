"""The guidance of one knowledge base, built once: the functions the CLI and the API call."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from causal_web.errors import QueryError, UnknownIdError
from causal_web.guidance.diagnostic import Instrument, no_instrument, read_instrument, score_answers
from causal_web.guidance.files import GUIDANCE_FOLDER, GuidanceDataError
from causal_web.guidance.prompts import PROMPT_LABEL, ActionPrompt, derive_prompts, group_prompts
from causal_web.guidance.typology import (
    Stages,
    Typology,
    no_stages,
    read_stages,
    read_typology,
    vocabulary_typology,
)
from causal_web.model.records import Dataset
from causal_web.model.serialise import ioc_type_to_dict
from causal_web.model.validation import ValidationReport
from causal_web.resources import bundled_data_dir

if TYPE_CHECKING:
    from causal_web.knowledge_base import KnowledgeBase

__all__ = [
    "Guidance",
    "action_guidance",
    "check_guidance",
    "diagnose",
    "diagnostic_instrument",
    "get_collaboration_type",
    "guidance_of",
    "list_collaboration_types",
    "list_stages",
    "read_guidance_files",
]


class Guidance:
    """The guidance files of a data folder, checked, and the action prompts its CMOCs give.

    The prompts are derived on first use (they cannot fail, and at scale deriving them costs
    more than the rest of start-up), so that checking the files at start-up stays cheap. An
    index derives them when it is built (:mod:`causal_web.index.warm`) and keeps them."""

    __slots__ = ("_dataset", "_prompts", "instrument", "stages", "typology")

    def __init__(self, typology: Typology, stages: Stages, instrument: Instrument, dataset: Dataset) -> None:
        self.typology = typology
        self.stages = stages
        self.instrument = instrument
        self._dataset: Dataset | None = dataset
        self._prompts: list[ActionPrompt] | None = None

    @property
    def prompts(self) -> list[ActionPrompt]:
        """Every action prompt of the data (:func:`~causal_web.guidance.prompts.derive_prompts`)."""
        prompts = self._prompts
        if prompts is None:
            dataset = self._dataset
            assert dataset is not None
            stages_of = {cmoc: self.stages.stages_of(cmoc) for cmoc in dataset.cmocs}
            prompts = self._prompts = derive_prompts(dataset, stages_of)
            self._dataset = None
        return prompts


def read_guidance_files(dataset: Dataset, folder: Path | None) -> Guidance:
    """The guidance of ``folder`` checked against ``dataset``: its files when it has a guidance
    folder, otherwise (or with no folder) the dataset's IOC types, no stages and no instrument.
    Raises :class:`~causal_web.guidance.files.GuidanceDataError` naming the file, record and field."""
    if folder is not None and (folder / GUIDANCE_FOLDER).is_dir():
        typology = read_typology(dataset, folder)
        stages = read_stages(dataset, folder)
        instrument = read_instrument(dataset, folder)
    else:
        typology, stages, instrument = vocabulary_typology(dataset), no_stages(), no_instrument()
    return Guidance(typology, stages, instrument, dataset)


def check_guidance(dataset: Dataset, folder: Path, report: ValidationReport) -> None:
    """Add a problem to ``report`` when a guidance file of ``folder`` is malformed or cites
    records that ``dataset`` does not hold (``causal-web validate`` runs this)."""
    try:
        read_guidance_files(dataset, folder)
    except GuidanceDataError as error:
        report.add("guidance.file", error.file, error.record, error.field, error.detail)


def guidance_of(kb: KnowledgeBase) -> Guidance:
    """The guidance files of the knowledge base's data folder, read and checked once and kept
    on it (:meth:`~causal_web.knowledge_base.KnowledgeBase.kept`)."""
    return kb.kept("guidance", lambda: _read_guidance_of(kb))


def _read_guidance_of(kb: KnowledgeBase) -> Guidance:
    if kb.data_dir is not None:
        return read_guidance_files(kb.dataset, Path(kb.data_dir))
    try:  # no data folder (a remote store): the bundled guidance, if it fits the records
        return read_guidance_files(kb.dataset, bundled_data_dir())
    except GuidanceDataError:
        return read_guidance_files(kb.dataset, None)


def list_collaboration_types(kb: KnowledgeBase) -> dict:
    """The typology: its notice and every collaboration type with its cited attributes."""
    typology = guidance_of(kb).typology
    types = [_with_ioc_type(kb, t.to_dict()) for t in typology.types.values()]
    return {"typology": typology.header(), "total": len(types), "items": types}


def _with_ioc_type(kb: KnowledgeBase, body: dict) -> dict:
    ioc = kb.dataset.ioc_types.get(body["ioc_type"] or "")
    if ioc is not None:
        body["ioc_type_record"] = ioc_type_to_dict(ioc)
    return body


def get_collaboration_type(kb: KnowledgeBase, type_id: str) -> dict:
    """One collaboration type; :class:`UnknownIdError` for an ID the typology does not hold."""
    typology = guidance_of(kb).typology
    kind = typology.types.get(type_id)
    if kind is None:
        raise UnknownIdError("collaboration type", type_id, typology.types)
    return {**_with_ioc_type(kb, kind.to_dict()), "typology": typology.header()}


def list_stages(kb: KnowledgeBase) -> dict:
    """The life-cycle stages with their citation and (curator) mappings."""
    return guidance_of(kb).stages.to_dict(kb.dataset)


def action_guidance(kb: KnowledgeBase, ioc_type: str | None = None, stage: str | None = None) -> dict:
    """The action prompts, grouped by mechanism and ranked by evidence, optionally only those that
    apply to a collaboration type (its own CMOCs and the general ones) or to a stage (the curator's
    mapping)."""
    guidance = guidance_of(kb)
    prompts = guidance.prompts
    notes = []
    if ioc_type:
        kind = guidance.typology.types.get(ioc_type)
        if kind is None:
            raise UnknownIdError("collaboration type", ioc_type, guidance.typology.types)
        own = set(kind.values("cmocs"))
        prompts = [p for p in prompts if p.cmoc in own or not p.ioc_types]
        if not own:
            notes.append(f"No CMOC is stated for {kind.label}: only the general prompts apply.")
    if stage:
        if stage not in guidance.stages.stages:
            raise QueryError(
                f"unknown stage {stage!r}; the stages are {', '.join(guidance.stages.stages)}",
                parameter="stage",
            )
        mapped = guidance.stages.records_of(stage)
        prompts = [p for p in prompts if p.cmoc in mapped]
        notes.append("Stage mappings are the curator's inference: no source ties CMOCs to stages.")
    ranking = prompts[0].evidence.scorer if prompts else "evidence-bases"
    return {
        "label": PROMPT_LABEL,
        "notice": f"Action prompts {PROMPT_LABEL}, which are not transcribed "
        "(coverage ledger: report-guidance).",
        "filters": {"ioc_type": ioc_type, "stage": stage},
        "ranking": ranking,
        "notes": notes,
        "total": len(prompts),
        "groups": group_prompts(kb.dataset, prompts),
    }


def diagnostic_instrument(kb: KnowledgeBase) -> dict:
    """The instrument as the API serves it: its header and its items."""
    instrument = guidance_of(kb).instrument
    return {
        "instrument": instrument.header(),
        "mechanisms": list(instrument.mechanisms.values()),
        "items": [item.to_dict() for item in instrument.items.values()],
        "maturity": {k: v for k, v in instrument.maturity.items()},
    }


def diagnose(kb: KnowledgeBase, answers: object) -> dict:
    """Score answers (:class:`~causal_web.guidance.diagnostic.AnswerError` when bad) and attach,
    to each mechanism at risk, the action prompts of its weak items' CMOCs."""
    guidance = guidance_of(kb)
    result = score_answers(guidance.instrument, kb.dataset, answers)
    by_cmoc: dict[str, list[ActionPrompt]] = {}
    for prompt in guidance.prompts:
        by_cmoc.setdefault(prompt.cmoc, []).append(prompt)
    for mechanism in result["mechanisms"]:
        weak = mechanism["weak_items"] if mechanism["at_risk"] else []
        cmocs = list(dict.fromkeys(c for i in weak for c in guidance.instrument.items[i].cmocs))
        mechanism["prompts"] = [p.to_dict() for c in cmocs for p in by_cmoc.get(c, [])]
    return result
