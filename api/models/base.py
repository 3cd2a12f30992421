"""What every response model shares: its configuration, and the page of a paginated list."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["EXACT", "LOOSE", "Page"]

T = TypeVar("T")

# A response shape that spells a record exactly as causal_web.model.serialise does (or a result
# as its to_dict does). A key the library adds but the model does not describe is passed through,
# so the response still equals the CLI's --json and never fails for want of documentation;
# tests/api/test_models.py fails until the model describes it.
EXACT = ConfigDict(populate_by_name=True, extra="allow")
# A response shape for a library result owned elsewhere (stats, diffs, ledgers): unknown keys
# are dropped from the response, which the CLI = API tests catch.
LOOSE = ConfigDict(populate_by_name=True)


class Page(BaseModel, Generic[T]):
    """One page of a list: ``items`` holds at most ``limit`` entries, starting at ``offset``."""

    model_config = LOOSE

    total: int = Field(description="How many entries match, over all pages.")
    limit: int
    offset: int
    items: list[T]
