"""Derived views of the trade data that more than one chapter needs.

Full years and partial periods are different quantities (a nine-month total is not a smaller year),
so they are separated here once rather than by each chapter.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

# Best first: a figure as reported, then an approximation, then a lower bound.
_QUALIFIER_RANK = {"exact": 0, "about": 1, "at_least": 2}


def is_full_year(frame: pd.DataFrame) -> pd.Series:
    """Whether each row's period is one calendar year."""
    start, end = frame["period_start"], frame["period_end"]
    return (
        (start.dt.month == 1)
        & (start.dt.day == 1)
        & (end.dt.month == 12)
        & (end.dt.day == 31)
        & (start.dt.year == end.dt.year)
    )


def period_label(start: pd.Timestamp, end: pd.Timestamp) -> str:
    """'2023' for a calendar year, 'Jan–May 2021' for part of one, 'Aug 2022' for a month, 'Jan
    2024–Mar 2025' otherwise."""
    if start.year == end.year and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return str(start.year)
    if start.year == end.year and start.month == end.month:
        return f"{end:%b %Y}"
    if start.year == end.year:
        return f"{start:%b}–{end:%b %Y}"
    return f"{start:%b %Y}–{end:%b %Y}"


def period_kind(start: pd.Timestamp, end: pd.Timestamp) -> str:
    """What kind of period a figure covers, in words: 'full years', 'the first quarter',
    'nine months', 'January–May'."""
    if start.year == end.year and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return "full years"
    if start.year == end.year and start.month == 1:
        months = end.month
        return {3: "the first quarter", 6: "the first half", 9: "nine months"}.get(
            months, f"{start:%B}–{end:%B}"
        )
    return f"{start:%B}–{end:%B}"


def period_kinds(frame: pd.DataFrame) -> list[str]:
    """The distinct kinds of period the rows cover, shortest first after full years."""
    rows = frame.assign(length=frame["period_end"] - frame["period_start"])
    kinds = [period_kind(r.period_start, r.period_end) for r in rows.sort_values("length").itertuples()]
    unique = list(dict.fromkeys(kinds))
    return sorted(unique, key=lambda kind: kind != "full years")


def monthly_averages(frame: pd.DataFrame) -> pd.DataFrame:
    """Each row with the months its period covers and its average per month: the only honest way
    to set a nine-month total beside a full year (it still ignores seasonality)."""
    averaged = with_labels(frame)
    span = averaged["period_end"].dt.to_period("M") - averaged["period_start"].dt.to_period("M")
    averaged["months"] = [offset.n + 1 for offset in span]
    averaged["per_month"] = averaged["value_usd_m"] / averaged["months"]
    return averaged


def with_labels(frame: pd.DataFrame) -> pd.DataFrame:
    """The trade rows with a readable period label and a full-year flag."""
    labelled = frame.copy()
    labelled["period"] = [
        period_label(s, e) for s, e in zip(frame["period_start"], frame["period_end"], strict=True)
    ]
    labelled["full_year"] = is_full_year(frame)
    return labelled


# A claimed growth rate is consistent with the levels if it is within this many percentage points
# of the rate the levels give: sources round their growth rates and their levels separately.
GROWTH_TOLERANCE_PP = 1.0


def _level(trade: pd.DataFrame, flow: str, start: pd.Timestamp, end: pd.Timestamp) -> pd.Series | None:
    """The best-qualified trade row for one flow and period ('exact' before bounds), if any."""
    rows = trade[
        (trade["flow"] == flow) & (trade["period_start"] == start) & (trade["period_end"] == end)
    ]
    if rows.empty:
        return None
    return rows.sort_values("qualifier", key=lambda q: q != "exact").iloc[0]


# The columns of ``growth_checks``, named even when no claim is known (a book dated early).
GROWTH_CHECK_COLUMNS = [
    "period", "base_period", "base_end", "flow", "claimed_pct", "source_id", "level_usd_m",
    "base_usd_m", "computed_pct", "implied_base_usd_m", "status",
]  # fmt: skip


def growth_checks(trade: pd.DataFrame, growth: pd.DataFrame) -> pd.DataFrame:
    """Each claimed growth rate next to what the levels say.

    Where both levels exist the rate is recomputed; where only the current level exists, the base
    level the claim implies is computed so a reader can judge it; otherwise the claim stays
    unverified. ``status`` is one of consistent, inconsistent, implies_base, unverifiable.
    """
    records = []
    for claim in growth.itertuples():
        current = _level(trade, claim.flow, claim.period_start, claim.period_end)
        base = _level(trade, claim.flow, claim.base_start, claim.base_end)
        record = {
            "period": period_label(claim.period_start, claim.period_end),
            "base_period": period_label(claim.base_start, claim.base_end),
            "base_end": claim.base_end,
            "flow": claim.flow,
            "claimed_pct": claim.growth_pct,
            "source_id": claim.source_id,
            "level_usd_m": current["value_usd_m"] if current is not None else float("nan"),
            "base_usd_m": base["value_usd_m"] if base is not None else float("nan"),
            "computed_pct": float("nan"),
            "implied_base_usd_m": float("nan"),
        }
        if current is not None and base is not None:
            record["computed_pct"] = (current["value_usd_m"] / base["value_usd_m"] - 1) * 100
            gap = abs(record["computed_pct"] - claim.growth_pct)
            record["status"] = "consistent" if gap <= GROWTH_TOLERANCE_PP else "inconsistent"
        elif current is not None:
            record["implied_base_usd_m"] = current["value_usd_m"] / (1 + claim.growth_pct / 100)
            record["status"] = "implies_base"
        else:
            record["status"] = "unverifiable"
        records.append(record)
    return pd.DataFrame.from_records(records, columns=GROWTH_CHECK_COLUMNS)


def full_year_changes(trade: pd.DataFrame, flow: str = "turnover") -> pd.DataFrame:
    """Year-on-year change between consecutive full calendar years the levels cover, one figure
    per year (the best qualified)."""
    years = trade[(trade["flow"] == flow) & is_full_year(trade)].copy()
    years["year"] = years["period_start"].dt.year
    # A reported figure before an approximation or a lower bound of the same year.
    years["rank"] = years["qualifier"].astype(str).map(_QUALIFIER_RANK)
    years = years.sort_values(["year", "rank"], kind="stable").drop_duplicates("year")
    consecutive = years["year"].diff() == 1
    years["change_pct"] = (years["value_usd_m"].pct_change() * 100).where(consecutive)
    return years[["year", "value_usd_m", "change_pct", "source_id"]].reset_index(drop=True)


def required_growth(current_usd_m: float, target_usd_m: float, years: float) -> float:
    """Constant annual growth (per cent) that takes turnover from current to target in ``years``."""
    if years <= 0:
        raise ValueError("the target year must come after the base year")
    return float(((target_usd_m / current_usd_m) ** (1 / years) - 1) * 100)


# The columns of ``component_checks``, named even when no period has a breakdown.
COMPONENT_CHECK_COLUMNS = [
    "period", "source_id", "turnover_usd_m", "kz_exports_usd_m", "kz_imports_usd_m", "implied",
    "sum_gap_usd_m",
]  # fmt: skip


def component_checks(trade: pd.DataFrame) -> pd.DataFrame:
    """Where a source gives turnover and both directions for one period, do they add up?

    Where only one direction is given, the other is implied (turnover minus the known one), which
    is how the trade chapter shows a balance for periods the sources report only in part.
    """
    records = []
    for (start, end, source), rows in trade.groupby(
        ["period_start", "period_end", "source_id"], observed=True
    ):
        values = dict(zip(rows["flow"].astype(str), rows["value_usd_m"], strict=True))
        if "turnover" not in values or len(values) < 2:
            continue
        exports, imports = values.get("kz_exports"), values.get("kz_imports")
        records.append(
            {
                "period": period_label(start, end),
                "source_id": source,
                "turnover_usd_m": values["turnover"],
                "kz_exports_usd_m": exports if exports is not None else values["turnover"] - imports,
                "kz_imports_usd_m": imports if imports is not None else values["turnover"] - exports,
                "implied": "kz_imports" if imports is None else "kz_exports" if exports is None else "",
                "sum_gap_usd_m": (exports + imports - values["turnover"])
                if exports is not None and imports is not None
                else float("nan"),
            }
        )
    if not records:
        return pd.DataFrame(columns=COMPONENT_CHECK_COLUMNS)
    # Several sources may repeat one breakdown: keep one per period, a reported one first.
    checks = pd.DataFrame.from_records(records)
    return (
        checks.sort_values("implied", key=lambda implied: implied != "", kind="stable")
        .drop_duplicates("period")
        .sort_index()
        .reset_index(drop=True)
    )


_PERIOD_FLOW_REPORTER = ["period_start", "period_end", "flow", "reporter"]


def with_derived_turnover(levels: pd.DataFrame) -> pd.DataFrame:
    """The trade rows plus, where one source gives both directions for a period but no turnover
    (an official statistics export does), their sum as that source's turnover, marked
    ``derived``: the figure a reader compares with the turnover others report. Reported rows are
    left as they are."""
    levels = levels.assign(derived=False)
    keys = ["period_start", "period_end", "source_id", "reporter"]
    added = []
    for key, rows in levels.groupby(keys, observed=True, sort=False):
        flows = dict(zip(rows["flow"].astype(str), rows["value_usd_m"], strict=True))
        if "turnover" in flows or not {"kz_exports", "kz_imports"} <= flows.keys():
            continue
        qualifiers = set(rows["qualifier"].astype(str))
        added.append(
            dict(
                zip(keys, key, strict=True),
                flow="turnover",
                value_usd_m=flows["kz_exports"] + flows["kz_imports"],
                qualifier="exact" if qualifiers == {"exact"} else "about",
                quote=pd.NA,
                note="Kazakh exports plus imports, summed by the report.",
                derived=True,
            )
        )
    if not added:
        return levels
    derived = pd.DataFrame(added).astype(
        {"flow": levels["flow"].dtype, "qualifier": levels["qualifier"].dtype}
    )
    derived["reporter"] = derived["reporter"].astype(levels["reporter"].dtype)
    return pd.concat([levels, derived], ignore_index=True)


def series(levels: pd.DataFrame, seeds: Iterable[str] = ()) -> pd.DataFrame:
    """One figure per period, flow and reporter, with the sources that state it.

    Several outlets often repeat one official's figure; they are one observation, not several.
    Reporters stay apart (a Kazakh and a Turkmen figure for one year are two points, never an
    average). ``sources`` lists only the sources that print this very figure; ``bounds`` keeps
    the looser statements of the same reporter ("more than $500 million") as (qualifier, value,
    sources), so no source is credited with a number it did not print. ``in_seeds`` says whether
    one of the five articles reports the figure, so a chart can show where the seeds sit in the
    longer record.
    """
    seeds = set(seeds)
    if levels.empty:  # a book dated before the first figure
        empty = pd.Series(dtype=object)
        return with_labels(levels.assign(sources=empty, bounds=empty, in_seeds=empty.astype(bool)))
    ranked = levels.assign(rank=levels["qualifier"].astype(str).map(_QUALIFIER_RANK))
    ranked = ranked.sort_values(["rank", "value_usd_m"], ascending=[True, False])
    grouped = ranked.groupby(_PERIOD_FLOW_REPORTER, observed=True, sort=False)
    best = grouped.head(1).set_index(_PERIOD_FLOW_REPORTER)
    best["sources"] = grouped.apply(_same_figure, include_groups=False)
    best["bounds"] = grouped.apply(_other_figures, include_groups=False)
    best["in_seeds"] = best["sources"].map(lambda ids: any(i in seeds for i in ids))
    result = best.drop(columns=["rank"]).reset_index()
    return with_labels(
        result.sort_values(["period_start", "period_end", "flow", "reporter"])
    ).reset_index(drop=True)


def _statement(row: pd.Series) -> tuple[str, float]:
    return (str(row["qualifier"]), float(row["value_usd_m"]))


def _same_figure(rows: pd.DataFrame) -> list[str]:
    """The sources that print the group's first (best) figure, as it is qualified."""
    first = _statement(rows.iloc[0])
    return list(dict.fromkeys(r["source_id"] for _, r in rows.iterrows() if _statement(r) == first))


def _other_figures(rows: pd.DataFrame) -> list[tuple[str, float, list[str]]]:
    """The group's other statements, each with the sources that make it."""
    first = _statement(rows.iloc[0])
    others: dict[tuple[str, float], list[str]] = {}
    for _, row in rows.iterrows():
        if _statement(row) != first:
            others.setdefault(_statement(row), []).append(str(row["source_id"]))
    return [(qualifier, value, ids) for (qualifier, value), ids in others.items()]


def best_figures(figures: pd.DataFrame) -> pd.DataFrame:
    """One figure per period and flow for the views that need a single number (year-on-year
    change, monthly pace, balance): a reported figure before an approximation or a bound, and
    among equals the first reporter in the catalog's order (Kazakh officials first). The chapter
    still shows every reporter's figure; this is only the one it computes with."""
    order = {code: rank for rank, code in enumerate(figures["reporter"].cat.categories)}
    ranked = figures.assign(
        rank=figures["qualifier"].astype(str).map(_QUALIFIER_RANK),
        reporter_rank=figures["reporter"].astype(str).map(order),
    )
    best = ranked.sort_values(["rank", "reporter_rank"], kind="stable").drop_duplicates(
        ["period_start", "period_end", "flow"]
    )
    return best.drop(columns=["rank", "reporter_rank"]).sort_values(["period_start", "period_end"])


def shared_periods(figures: pd.DataFrame, flow: str = "turnover") -> pd.DataFrame:
    """Periods for which more than one reporter gives a figure, with each reporter's value and
    whether they agree (equal, or a lower bound the other figure meets)."""
    rows = figures[figures["flow"] == flow]
    records = []
    for (start, end), group in rows.groupby(["period_start", "period_end"], observed=True):
        if group["reporter"].nunique() < 2:
            continue
        stated = group[group["qualifier"] != "at_least"]["value_usd_m"]
        bounds = group[group["qualifier"] == "at_least"]["value_usd_m"]
        agree = stated.nunique() <= 1 and (stated.empty or bounds.empty or bounds.max() <= stated.max())
        records.append({"period": period_label(start, end), "values": group, "agree": agree})
    return pd.DataFrame.from_records(records, columns=["period", "values", "agree"])


def reporter_conflicts(levels: pd.DataFrame) -> pd.DataFrame:
    """Rows that contradict another row of the same reporter, period and flow: two different
    figures as reported or approximated, or a lower bound above a reported figure. One reporter
    has one figure per period, so such a pair is a misreading to fix in the data."""
    conflicts = []
    for _, rows in levels.groupby(_PERIOD_FLOW_REPORTER, observed=True):
        stated = rows[rows["qualifier"] != "at_least"]["value_usd_m"]
        bounds = rows[rows["qualifier"] == "at_least"]["value_usd_m"]
        if stated.nunique() > 1 or (len(stated) and len(bounds) and bounds.max() > stated.max()):
            conflicts.append(rows)
    return pd.concat(conflicts) if conflicts else levels.iloc[0:0]
