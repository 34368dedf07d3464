"""The edition a book is built for: its evidence day and the year the trade target is assumed.

Made once from the build's parameters (or the defaults written here, and only here), validated
here, and handed to every loader: ``data.load(name, edition)`` keeps the rows a reader on that
day could know, by the rule the catalog declares for the dataset, so no chapter names a date
column or can forget the filter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pandas as pd

# The default edition: the evidence runs to the end of 2025; the trade chapter measures the
# $1 billion target against 2030.
DEFAULT_AS_OF = "2025-12-31"
DEFAULT_TARGET_YEAR = 2030
# The parameters a chapter may declare (each a field of Edition).
PARAMETERS = ("as_of", "target_year")

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class EditionError(ValueError):
    """A parameter that makes no edition; the message names it and what it expects."""


@dataclass(frozen=True)
class Edition:
    """The day the evidence runs to (``as_of``, YYYY-MM-DD) and the target year."""

    as_of: str = DEFAULT_AS_OF
    target_year: int = DEFAULT_TARGET_YEAR

    def __post_init__(self) -> None:
        if not (isinstance(self.as_of, str) and _ISO_DATE.fullmatch(self.as_of)):
            raise EditionError(f"as_of={self.as_of!r}: expected a date written YYYY-MM-DD")
        try:
            date.fromisoformat(self.as_of)
        except ValueError:
            raise EditionError(f"as_of={self.as_of!r}: expected a date written YYYY-MM-DD") from None
        if type(self.target_year) is not int:
            raise EditionError(
                f"target_year={self.target_year!r}: expected int, like the default {DEFAULT_TARGET_YEAR}"
            )

    @classmethod
    def from_parameters(cls, as_of: object | None = None, target_year: object | None = None) -> Edition:
        """The edition of a chapter's ``parameters`` cell: ``None`` stands for the default."""
        return cls(
            as_of=DEFAULT_AS_OF if as_of is None else as_of,  # type: ignore[arg-type]
            target_year=DEFAULT_TARGET_YEAR if target_year is None else target_year,  # type: ignore[arg-type]
        )

    @property
    def day(self) -> pd.Timestamp:
        """The evidence day as a timestamp, for comparing with dated rows."""
        return pd.Timestamp(self.as_of)

    @property
    def year(self) -> int:
        return date.fromisoformat(self.as_of).year
