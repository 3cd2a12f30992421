"""What a SPARQL request text is, found by tokenising it the way a SPARQL parser does.

The endpoint must decide some things before a query reaches a worker: its form (so the
response format can be negotiated and updates refused), whether it calls a remote ``SERVICE``
(always refused: the read-only endpoint makes no outbound requests), whether it names its own
dataset with ``FROM``/``FROM NAMED`` (then the default graph is not the union) and how deeply
it nests (pyoxigraph's recursive parser overflows its stack on a few thousand brackets).

A full parse would answer these too, but rdflib's parser takes 15 to 30 ms on the named
queries, more than pyoxigraph needs to run them. A tokeniser is enough, because in the SPARQL
grammar a bare word (not in a string, an IRI, a comment, a variable, a prefixed name, a blank
node label or a language tag) is always a keyword: so the word ``SERVICE`` anywhere outside
those is the SERVICE keyword. The tokeniser applies ``\\u``/``\\U`` escapes to the whole text
first, as the grammar says, and fails closed: text it cannot tokenise is refused as malformed,
so nothing can hide from it inside a construct it misreads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from causal_web.errors import QueryError

__all__ = [
    "MAX_NESTING",
    "QUERY_FORMS",
    "UPDATE_KEYWORDS",
    "QueryShape",
    "QueryTextError",
    "QueryTooDeepError",
    "ServiceRefusedError",
    "cap_select",
    "inspect_query",
    "unescape_codepoints",
]

MAX_NESTING = 256
"""The deepest nesting of ``{``, ``(`` and ``[`` a query may have. Real queries stay far below
it; pyoxigraph's parser overflows its stack somewhere past 2,000 braces."""

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)


class QueryTextError(QueryError):
    """The text cannot be tokenised as SPARQL (an unterminated string, a stray character)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "query")


class ServiceRefusedError(QueryError):
    """The query uses SERVICE, which would make the server send requests elsewhere."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "query")


class QueryTooDeepError(QueryError):
    """The query nests brackets deeper than :data:`MAX_NESTING`."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "query")


@dataclass(frozen=True, slots=True)
class QueryShape:
    """What :func:`inspect_query` found in a request text."""

    form: str | None
    """SELECT, ASK, CONSTRUCT, DESCRIBE, UPDATE, or None when no keyword starts it."""
    has_service: bool
    has_dataset: bool
    """True when the query has a FROM or FROM NAMED clause."""
    depth: int
    text: str
    """The query with its codepoint escapes applied: what the caps below are spliced into."""
    limit: int | None = None
    """The value of the query's own top-level LIMIT, if it has one."""
    limit_span: tuple[int, int] | None = None
    tail: int = 0
    """Where a solution modifier may be added: before a trailing VALUES clause, or the end."""


_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

# PN_CHARS without the characters that only a local name may hold; \w covers the letters and
# digits of every script, which is what PN_CHARS_BASE spells out by ranges.
_NAME_CHAR = r"[\w\-\u00B7\u0300-\u036F\u203F\u2040]"
_LOCAL_ESCAPE = r"\\[_~.\-!$&'()*+,;=/?#@%]"
_LOCAL = rf"(?:{_NAME_CHAR}|[.:%]|{_LOCAL_ESCAPE})*"
_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<string>"{3}(?:"{0,2}(?:[^"\\]|\\.))*"{3}
              | '{3}(?:'{0,2}(?:[^'\\]|\\.))*'{3}
              | "(?:[^"\\\n\r]|\\.)*"
              | '(?:[^'\\\n\r]|\\.)*')
  | (?P<quote>["'])
  | (?P<variable>[?$][\w\u00B7\u0300-\u036F\u203F\u2040]+)
  | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<pname>(?:[^\W\d]"""
    + _NAME_CHAR
    + r"""*(?:\.+"""
    + _NAME_CHAR
    + r"""+)*)?:"""
    + _LOCAL
    + r""")
  | (?P<word>[^\W\d_]\w*)
  | (?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)
  | (?P<open>[{(\[])
  | (?P<close>[})\]])
  | (?P<punct>\^\^|&&|\|\||!=|<=|>=|[;,.=!<>|&*/+\-^?])
    """,
    re.VERBOSE,
)


def unescape_codepoints(text: str) -> str:
    """``text`` with its ``\\uXXXX`` and ``\\UXXXXXXXX`` escapes replaced by the characters
    (SPARQL applies them to the whole query string before parsing it)."""

    def replace(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else match.group(0)

    return _ESCAPE.sub(replace, text)


def inspect_query(text: str, *, max_nesting: int = MAX_NESTING) -> QueryShape:
    """Tokenise a SPARQL request and report its form, SERVICE use, dataset clause and depth.

    Raises :class:`QueryTextError` for text that cannot be SPARQL tokens and
    :class:`QueryTooDeepError` as soon as the nesting passes ``max_nesting``. It does not
    raise for SERVICE: callers decide (see :func:`causal_web.rdf.sparql.check_query`).
    """
    source = unescape_codepoints(text).lstrip("\ufeff")
    if _ESCAPE.search(source):
        # An escape that spells another escape would be read twice by whatever parses the
        # result; no honest query needs one.
        raise QueryTextError("The query is not valid SPARQL: its \\u escapes spell further escapes.")
    form: str | None = None
    seen_keyword = after_limit = False
    limit: int | None = None
    limit_span: tuple[int, int] | None = None
    tail: int | None = None
    has_service = has_dataset = False
    depth = deepest = 0
    position, end = 0, len(source)
    while position < end:
        match = _TOKEN.match(source, position)
        if match is None:
            raise QueryTextError(
                f"The query is not valid SPARQL: unexpected character {source[position]!r} at "
                f"position {position}."
            )
        kind = match.lastgroup
        if after_limit and kind not in ("space", "comment"):
            after_limit = False
            if kind == "number" and match.group().isdigit():
                limit, limit_span = int(match.group()), match.span()
        if kind == "quote":
            raise QueryTextError(
                f"The query is not valid SPARQL: a string at position {position} never ends."
            )
        if kind == "word":
            keyword = match.group().upper()
            if not seen_keyword and keyword not in ("PREFIX", "BASE"):
                seen_keyword = True
                if keyword in QUERY_FORMS:
                    form = keyword
                elif keyword in UPDATE_KEYWORDS:
                    form = "UPDATE"
            if keyword == "SERVICE":
                has_service = True
            elif keyword == "FROM":
                has_dataset = True
            elif depth == 0 and keyword == "LIMIT":
                after_limit = True
            elif depth == 0 and keyword == "VALUES" and tail is None:
                tail = match.start()
        elif kind == "open":
            depth += 1
            if depth > max_nesting:
                raise QueryTooDeepError(
                    f"The query nests brackets more than {max_nesting} deep; it is refused before it "
                    "runs. Flatten the nested groups or expressions."
                )
            deepest = max(deepest, depth)
        elif kind == "close":
            depth = max(depth - 1, 0)
        position = match.end()
    return QueryShape(
        form,
        has_service,
        has_dataset,
        deepest,
        source,
        limit,
        limit_span,
        end if tail is None else tail,
    )


def cap_select(shape: QueryShape, max_rows: int) -> str:
    """The text of a SELECT query that returns at most ``max_rows`` solutions: its own LIMIT
    lowered to ``max_rows`` when larger, or a LIMIT added after its solution modifiers."""
    text = shape.text
    if shape.limit_span is not None:
        if shape.limit is not None and shape.limit <= max_rows:
            return text
        start, stop = shape.limit_span
        return f"{text[:start]}{max_rows}{text[stop:]}"
    # On a line of its own, so that a comment ending the query cannot swallow it.
    return f"{text[: shape.tail]}\nLIMIT {max_rows}\n{text[shape.tail :]}"
