"""Exceptions evsupply raises: located data problems and bad parameters."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


class EvsupplyError(Exception):
    """Base class of every error evsupply raises on purpose."""

    def _render_traceback_(self) -> list[str]:
        """What IPython and Jupyter show for this error: its message alone, since the message says what is wrong
        and where; a traceback into evsupply's code would only bury it."""
        return [f"{type(self).__name__}: {self}"]


@dataclass(frozen=True)
class Problem:
    """One broken rule, located in a data file."""

    file: str
    rule: str
    message: str
    line: int | None = None
    column: str | None = None
    value: str | None = None
    level: str = "error"  # "error" breaks the data; "warning" is reported and the data stays usable

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line is not None else "")
        parts = [where] if self.level == "error" else [f"warning: {where}"]
        if self.column is not None:
            parts.append(f"column '{self.column}'")
        if self.value is not None:
            shown = self.value if len(self.value) <= 60 else self.value[:57] + "..."
            parts.append(f"value {shown!r}")
        parts.append(f"[{self.rule}] {self.message}")
        return ": ".join(parts)


class DataError(EvsupplyError, ValueError):
    """The tables break one or more rules; `problems` lists every one of them."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        n = len(self.problems)
        head = f"{n} data problem{'s' if n != 1 else ''} found"
        body = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{head}:\n{body}" if body else head)


class ParameterError(EvsupplyError, ValueError):
    """A function or notebook parameter has an unknown name, a wrong type or an invalid value."""

    def __init__(self, name: str, problem: str, choices: Sequence[object] | None = None) -> None:
        self.name = name
        self.problem = problem
        self.choices = tuple(choices) if choices is not None else None
        message = f"parameter '{name}': {problem}"
        if self.choices is not None:
            listed = ", ".join(repr(c) for c in self.choices[:40])
            more = f" (and {len(self.choices) - 40} more)" if len(self.choices) > 40 else ""
            message += f". Valid choices: {listed}{more}"
        super().__init__(message)
