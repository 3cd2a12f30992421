"""Reading the text of one cell: IDs with titles, parts, inline slot tags and if-then statements.

Every function here keeps the published words: a part is a piece of the cell, trimmed, never
reworded, so each piece can be found verbatim in the records.
"""

from __future__ import annotations

import re

__all__ = ["id_and_title", "if_then", "leading_slot", "resource_response", "split_parts", "tagged_parts"]

_BULLET = re.compile(r"^\s*(?:[-*•·▪◦‣–—]|\d{1,2}[.)]|\(?[a-z]\))\s+")
_ID_TITLE = re.compile(
    r"^\s*((?:[A-Za-z]{1,12}\.?[-_ ]?)?\d{1,4}[a-z]?(?:\.\d{1,3})?)\s*[:.),–—-]\s+(\S.*)$", re.S
)
# "Number 1", "No. 1", "Nr 1": the word is not part of the ID
_NUMBER_WORD = re.compile(r"^(?:number|no|nr|n°|#)\.?[-_ ]?(?=\d)", re.I)
_SENTENCE = re.compile(r"(?<=[a-z0-9)\]%][.!?])\s+(?=[A-Z])")
# A slot's tag: "(C)", "(M)", "(M-resource)", "(M-response)", "(O)", "(I)", "(A)".
_TAGS = {
    "c": "context",
    "context": "context",
    "m": "mechanism",
    "mechanism": "mechanism",
    "o": "outcome",
    "outcome": "outcome",
    "i": "intervention",
    "intervention": "intervention",
    "a": "actor",
    "actor": "actor",
    "m resource": "mechanism_resource",
    "mr": "mechanism_resource",
    "m response": "mechanism_response",
    "mres": "mechanism_response",
    "resource": "mechanism_resource",
    "response": "mechanism_response",
    "mechanism resource": "mechanism_resource",
    "mechanism response": "mechanism_response",
    "reasoning": "mechanism_response",
}
_TRAILING_TAG = re.compile(
    r"\(\s*(c|m|o|i|a|m[\s-]*resource|m[\s-]*response|mr|mres|resource|response|reasoning)\s*\)", re.I
)
_LETTER_PAREN = re.compile(r"(?:^|[\s+,;→>-])(C|M|O|I|A|MR|Mres)\s*\(", re.S)
_LEADING = re.compile(
    r"^\s*(context|mechanism|outcome|intervention|actor|strategy|resource|response|reasoning)"
    r"(?:\s*\(?(resource|response)\)?)?\s*\d*\s*[:–—-]\s+(.*)$",
    re.I | re.S,
)
_IF_THEN = re.compile(
    r"^\s*(?:in\s+)?if\b[\s,]*(?P<if>.+?)[\s,;]+then\b[\s,]*(?P<then>.+?)"
    r"(?:[\s,;(]+because\b[\s,]*(?P<because>.+?)\)?)?\s*[.]?\s*$",
    re.I | re.S,
)


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


def id_and_title(cell: str) -> tuple[str, str]:
    """("CMO1", "Connection to help.") from "CMO1: Connection to help."; (cell, "") otherwise."""
    match = _ID_TITLE.match(cell)
    if match and len(match.group(1)) <= 20:
        return _NUMBER_WORD.sub("", match.group(1).strip()), match.group(2).strip()
    return cell.strip(), ""


def split_parts(cell: str, sentences: bool = False) -> list[str]:
    """A cell's parts: split on line breaks, bullets and ';' outside brackets (and on sentence ends
    with ``sentences``, or when every sentence is a short label such as "Reduced anxiety.")."""
    pieces: list[str] = []
    for line in cell.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = _BULLET.sub("", line).strip()
        for bullet in re.split(r"\s[•▪◦‣]\s", line):
            pieces += _split_semicolons(bullet)
    out: list[str] = []
    for piece in pieces:
        parts = [p.strip() for p in _SENTENCE.split(piece) if p.strip()]
        short = len(parts) > 1 and all(len(p.split()) <= 5 for p in parts)
        out += parts if (sentences or short) else [piece]
    return [p for p in out if p]


def _split_semicolons(text: str) -> list[str]:
    """Split on ';' outside brackets, as the curated data's cells are (one rule for both)."""
    from causal_web.model.normalise import split_cell

    return split_cell(text)


def _tag_slot(tag: str) -> str | None:
    return _TAGS.get(_words(tag))


def leading_slot(part: str) -> tuple[str | None, str]:
    """("context", "Staff shortages") from "Context 1: Staff shortages"; (None, part) otherwise."""
    match = _LEADING.match(part)
    if not match:
        return None, part
    word = match.group(1).lower()
    kind = (match.group(2) or "").lower()
    if word == "strategy":
        word = "intervention"
    if word == "mechanism" and kind:
        return f"mechanism_{kind}", match.group(3).strip()
    if word in {"resource", "response"}:
        return f"mechanism_{word}", match.group(3).strip()
    if word == "reasoning":
        return "mechanism_response", match.group(3).strip()
    return word, match.group(3).strip()


def tagged_parts(text: str) -> list[tuple[str, str]]:
    """(slot, text) of each tagged piece: "staff feel safe (C), so they speak up (M)" or
    "C (staff feel safe) + M (they speak up) → O (errors fall)". Empty when untagged."""
    found: list[tuple[str, str]] = []
    letters = list(_LETTER_PAREN.finditer(text))
    if len(letters) >= 2:
        for match in letters:
            start = match.end()
            depth, end = 1, start
            while end < len(text) and depth:
                depth += {"(": 1, ")": -1}.get(text[end], 0)
                end += 1
            slot = _tag_slot(match.group(1))
            inner = text[start : end - 1].strip()
            if slot and inner:
                found.append((slot, inner))
        if len(found) >= 2:
            return found
        found = []
    tags = list(_TRAILING_TAG.finditer(text))
    if not tags:
        return []
    start = 0
    for match in tags:
        piece = text[start : match.start()].strip(" ,;:.→>+-–—\n")
        piece = re.sub(
            r"^(?:and|so|then|which|leading to|leads to|resulting in|because)\s+", "", piece, flags=re.I
        )
        slot = _tag_slot(match.group(1))
        if slot and piece:
            found.append((slot, piece))
        start = match.end()
    return found


def resource_response(text: str) -> tuple[str, str] | None:
    """(resource, response) from "X (resource) → Y (response)", else None."""
    found = tagged_parts(text)
    slots = [s for s, _t in found]
    if slots == ["mechanism_resource", "mechanism_response"]:
        return found[0][1], found[1][1]
    return None


def if_then(text: str) -> dict[str, str] | None:
    """The clauses of "If … then … (because …)": keys ``if``, ``then`` and maybe ``because``."""
    match = _IF_THEN.match(text)
    if not match:
        return None
    clauses = {k: v.strip(" ,;.") for k, v in match.groupdict().items() if v and v.strip(" ,;.")}
    return clauses if "if" in clauses and "then" in clauses else None
