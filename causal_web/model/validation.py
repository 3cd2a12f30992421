"""Validation reports: every problem found, each naming its file, record and field."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

__all__ = ["Problem", "ValidationReport"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in the data, with enough context to fix it."""

    rule: str
    file: str
    record: str
    field: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = self.file or "<data>"
        if self.record:
            where += f" [{self.record}]"
        if self.field:
            where += f" {self.field}"
        return f"{self.severity.upper()} {where}: {self.message} ({self.rule})"


@dataclass(slots=True)
class ValidationReport:
    """Problems collected over a whole load, rather than stopping at the first."""

    problems: list[Problem] = field(default_factory=list)

    def add(
        self,
        rule: str,
        file: str,
        record: str,
        field_name: str,
        message: str,
        severity: str = "error",
    ) -> None:
        self.problems.append(Problem(rule, file, record, field_name, message, severity))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        errors = len(self.errors)
        warnings = len(self.problems) - errors
        head = f"{errors} error(s), {warnings} warning(s)"
        return "\n".join([head, *(str(p) for p in self.problems)])

    def to_dict(self) -> dict:
        return {
            "ok": self.ok,
            "errors": len(self.errors),
            "warnings": len(self.problems) - len(self.errors),
            "problems": [asdict(p) for p in self.problems],
        }
