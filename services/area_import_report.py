"""What a boundary import found and did: the validation report, problem by problem."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from services.messages import render


class Severity(StrEnum):
    ERROR = "error"  # blocks the whole import
    WARNING = "warning"  # reported; the feature is imported


@dataclass(frozen=True)
class Problem:
    severity: Severity
    key: str
    params: dict[str, Any] = field(default_factory=dict)
    feature: int | None = None  # 1-based position in the file; None: the file as a whole
    code: str | None = None
    name: str | None = None

    def where(self) -> str:
        if self.feature is None:
            return "file"
        label = " ".join(part for part in (self.code, self.name) if part)
        return f"#{self.feature}" + (f" {label}" if label else "")

    def message(self, locale: str = "en") -> str:
        return render(self.key, locale, **self.params)

    def line(self, locale: str = "en") -> str:
        return f"{self.severity.value.upper():<7} {self.where()}: {self.message(locale)}"


@dataclass
class ImportReport:
    format: str | None = None
    crs: str | None = None
    features: int = 0
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = False
    written: bool = False
    created: int = 0
    changed: int = 0
    unchanged: int = 0

    def add(self, severity: Severity, key: str, feature: Any = None, **params: Any) -> None:
        """Record a problem; ``feature`` is anything with ``index``, ``code`` and ``name``."""
        self.problems.append(
            Problem(
                severity,
                key,
                params,
                feature=getattr(feature, "index", None),
                code=getattr(feature, "code", None),
                name=getattr(feature, "name", None),
            )
        )

    def error(self, key: str, feature: Any = None, **params: Any) -> None:
        self.add(Severity.ERROR, key, feature, **params)

    def warning(self, key: str, feature: Any = None, **params: Any) -> None:
        self.add(Severity.WARNING, key, feature, **params)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    def problem_keys(self) -> list[str]:
        """Problem keys in order (what tests and scripts look at)."""
        return [p.key for p in self.problems]

    def lines(self, locale: str = "en") -> list[str]:
        ordered = sorted(self.problems, key=lambda p: (p.feature or 0, p.severity != "error"))
        return [p.line(locale) for p in ordered]
