"""Sentences the trade chapter writes from the data: what the latest partial period suggests, and
whether the targets are within reach. Each judgement follows the figures, so a new row in
data/trade.csv can turn "weaker than" into "stronger than" or "moved it further away" into
"brought it closer" without anyone editing the chapter.
"""

from __future__ import annotations

import pandas as pd

from kztm import prose
from kztm.catalog import category_labels
from kztm.tables import escape, markdown_table
from kztm.trade import required_growth

# A rest-of-year pace a fifth above the year's own average is more than rounding or seasons.
CONCENTRATION = 1.2


def full_years(monthly: pd.DataFrame) -> pd.Series:
    """Turnover of each full calendar year (year → million US dollars), from the monthly averages
    (one row per period, indexed by its label)."""
    years = monthly[monthly["full_year"]]
    return pd.Series(years["value_usd_m"].to_numpy(), index=years["period_end"].dt.year.to_numpy())


def recent_reading(monthly: pd.DataFrame, checks: pd.DataFrame, period: str) -> prose.Markdown:
    """What the monthly average of ``period`` says, set against the full years before it and
    against the growth its source claims over the same months a year earlier.

    Written as MyST for {glue:md}: the text is escaped (a "$" would open inline maths), the
    citation is kept."""
    row = monthly.loc[period]
    year, months = row["period_end"].year, int(row["months"])
    by_year = full_years(monthly)
    before = [y for y in by_year.index if y < year][-2:]
    pace = [monthly.loc[str(y), "per_month"] for y in before]
    comparison = (
        "weaker than"
        if all(row["per_month"] < p for p in pace)
        else "stronger than"
        if all(row["per_month"] > p for p in pace)
        else "in line with"
    )
    pieces: list[str | prose.Markdown] = [
        f"Read this way, {period} ({prose.money(row['per_month'])} a month) looks {comparison} "
        + prose.listing(f"{y} ({prose.money(p)} a month)" for y, p in zip(before, pace, strict=True))
        + "."
        if before
        else f"No full year before {period} is known to compare it with."
    ]
    claim = checks[(checks["period"] == period) & (checks["flow"] == "turnover")]
    if not claim.empty:
        first = claim.iloc[0]
        base = first["base_period"]
        pieces += [
            f"The same source reports growth of {prose.percent(first['claimed_pct'])} on {base}, "
            f"which puts {base} at {prose.money(first['implied_base_usd_m'])}",
            prose.Markdown(prose.citations([first["source_id"]]) + "."),
            tension(monthly, pd.Timestamp(first["base_end"]).year, months, first["implied_base_usd_m"]),
        ]
    return prose.Markdown(
        " ".join(p.text if isinstance(p, prose.Markdown) else escape(p) for p in pieces)
    )


def tension(monthly: pd.DataFrame, base_year: int, months: int, implied_part: float) -> str:
    """What a claimed growth over the first ``months`` months implies for the rest of the base
    year, when that year's full total is known."""
    by_year = full_years(monthly)
    if base_year not in by_year.index or months >= 12:
        return f"No full-year figure for {base_year} is known to test it."
    rest = by_year[base_year] - implied_part
    rest_per_month = rest / (12 - months)
    text = (
        f"Against the full year {base_year} ({prose.money(by_year[base_year])}) that leaves "
        f"{prose.money(rest)} for its last {prose.count(12 - months)} months, "
        f"{prose.money(rest_per_month)} a month"
    )
    if rest_per_month > monthly.loc[str(base_year), "per_month"] * CONCENTRATION:
        return text + (
            ": both figures can be true only if trade was concentrated at the end of the year, "
            "or they are not on the same statistical basis. The corpus cannot tell which."
        )
    return text + ", in line with the rest of that year."


def target_verdict(past_growth_pct: float, required_pct: float) -> str:
    """Whether the pace of the past puts the target within reach."""
    return "within reach" if past_growth_pct >= required_pct else "out of reach"


def pace_outcome(change_pct: float, required_pct: float) -> str:
    """What happens to the target if the latest year's change were kept up."""
    if change_pct <= 0:
        return "it would recede"
    return "it would be within reach" if change_pct >= required_pct else "it would still be out of reach"


def target_trend(change_pct: float) -> str:
    """What the latest year did to the distance to the target."""
    if change_pct < 0:
        return "moved it further away"
    return "brought it closer" if change_pct > 0 else "left it where it was"


def annual_table(figures: pd.DataFrame, first: int, last: int) -> prose.Markdown:
    """Full-year turnover from ``first`` to ``last``, one column per reporter, a dash where no
    source gives the year: the long series with its gaps, and the reporters kept apart."""
    labels = category_labels("trade", "reporter")
    years = figures[(figures["flow"] == "turnover") & figures["full_year"]].copy()
    years["year"] = years["period_start"].dt.year
    reporters = [code for code in labels if code in set(years["reporter"].astype(str))]
    table = pd.DataFrame({"year": range(first, last + 1)})
    for code in reporters:
        rows = years[years["reporter"] == code].set_index("year")
        table[code] = [
            prose.money(rows.loc[y, "value_usd_m"], rows.loc[y, "qualifier"]) if y in rows.index else "–"
            for y in table["year"]
        ]
    return markdown_table(
        table,
        columns={"year": "Year", **{code: labels[code] for code in reporters}},
        caption="Full-year turnover by whose statistics it is (–: no source gives the year; the "
        "sources of each figure are in the next table)",
    )


def figures_table(figures: pd.DataFrame) -> prose.Markdown:
    """Every turnover figure on record, one row per period and reporter, with all the sources
    that report it: where each number of the long series comes from."""
    labels = category_labels("trade", "reporter")
    rows = figures[figures["flow"] == "turnover"]
    shown = rows.assign(
        whose=rows["reporter"].astype(str).map(labels),
        shown=[
            prose.money(r.value_usd_m, r.qualifier)
            + (" (exports plus imports)" if getattr(r, "derived", False) else "")
            for r in rows.itertuples()
        ],
        cited=[_cited(r.sources, r.bounds) for r in rows.itertuples()],
    )
    return markdown_table(
        # The sources are in their own column, not repeated in the caption.
        shown.drop(columns="source_id"),
        columns={"period": "Period", "whose": "Whose figure", "shown": "Turnover", "cited": "Sources"},
        caption="Every turnover figure on record, with the sources that report it (a looser "
        "statement of the same figure by other sources follows)",
    )


def _cited(sources: list[str], bounds: list[tuple[str, float, list[str]]]) -> prose.Markdown:
    """The sources of a figure, then each looser statement with its own sources."""
    text = "{cite:t}`" + ",".join(sources) + "`"
    for qualifier, value, ids in bounds:
        text += f"; {escape(prose.money(value, qualifier))}: " + "{cite:t}`" + ",".join(ids) + "`"
    return prose.Markdown(text)


def balance_sentence(components: pd.DataFrame) -> str:
    """Kazakhstan's exports as a share of turnover in every period with a breakdown, with the
    caveats each one carries (a direction implied as turnover minus the other)."""
    parts = []
    for row in components.itertuples():
        share = prose.percent(100 * row.kz_exports_usd_m / row.turnover_usd_m, 0)
        caveat = " (imports implied as turnover minus exports)" if row.implied == "kz_imports" else ""
        caveat = (
            " (exports implied as turnover minus imports)" if row.implied == "kz_exports" else caveat
        )
        parts.append(f"{share} in {row.period}{caveat}")
    return "Kazakh exports' share of turnover was " + prose.listing(parts)


def _base_reading(rows: pd.DataFrame, base: str) -> str:
    """What one claimed rate says about the base year: the level it implies, or, where the data
    holds that level, the rate the two levels give."""
    first = rows.iloc[0]
    if pd.notna(first["implied_base_usd_m"]):
        return f"which puts {base} at {escape(prose.money(first['implied_base_usd_m']))}"
    if pd.notna(first["computed_pct"]):
        return (
            f"against {escape(prose.percent(first['computed_pct']))} computed from the levels of "
            f"{base} and {first['period']} in the data"
        )
    return f"which cannot be checked against {base}"


def claims_reading(claims: pd.DataFrame) -> prose.Markdown:
    """What the growth claims for one year say about the year before (rows of
    ``trade.growth_checks`` for one period), sources that repeat one rate cited together, and
    whether the sources agree on it."""
    if claims.empty:
        return prose.Markdown("No source claims a growth rate for a full year by this date.")
    first = claims.iloc[0]
    period, base = first["period"], first["base_period"]
    readings = [
        f"{escape(prose.percent(rate))} {prose.citations(rows['source_id'])}, "
        + _base_reading(rows, base)
        for rate, rows in claims.groupby("claimed_pct", sort=False)
    ]
    if len(readings) == 1:
        return prose.Markdown(f"The {period} figure came with a claimed growth of {readings[0]}.")
    return prose.Markdown(
        f"The {period} figure came with {prose.count(len(readings))} different growth rates: "
        + "; ".join(readings)
        + f". One level cannot have grown at two rates, so the sources disagree about {base}."
    )


def reporter_sentence(figures: pd.DataFrame) -> str:
    """How many figures each reporter gives, and for how many the source does not say whose
    statistics they are."""
    labels = category_labels("trade", "reporter")
    counts = figures["reporter"].astype(str).value_counts()
    named = [
        f"{prose.count(int(counts[code]))} come from {prose.in_sentence(labels[code])}"
        for code in labels
        if code != "not_stated" and code in counts
    ]
    if "not_stated" in counts:
        named.append(
            f"for {prose.count(int(counts['not_stated']))} the source does not say whose statistics "
            "they are"
        )
    return prose.listing(named) if named else "no figure is known"


def change_reading(latest: pd.Series, previous: pd.Series) -> str:
    """What the latest full year did to the distance to the target, said only when one source
    reports both years: between two sources a small change may be a difference of statistics."""
    if latest["source_id"] == previous["source_id"]:
        return f"{latest['year']} {target_trend(latest['change_pct'])}"
    return (
        f"whether {latest['year']} brought it closer cannot be told: the two years come from "
        "different sources, and the change may be one of statistics rather than of trade"
    )


def pace_reading(claims: pd.DataFrame, latest: pd.Series, required_pct: float, target_year: int) -> str:
    """The average pace from the base year of each growth claim to the latest full year, and
    whether it would reach the target: one verdict per distinct claimed rate, since the sources'
    rates may disagree. The base is the level the data holds, else the one the claim implies."""
    readings = []
    for rate, rows in claims.groupby("claimed_pct", sort=False):
        first = rows.iloc[0]
        known = pd.notna(first["base_usd_m"])
        base_level = first["base_usd_m"] if known else first["implied_base_usd_m"]
        years = latest["year"] - int(first["base_period"])
        if pd.isna(base_level) or years <= 0:
            continue
        pace = required_growth(base_level, latest["value_usd_m"], years)
        verdict = f"which would put the target {target_verdict(pace, required_pct)} by {target_year}"
        if known:
            # The data holds the base year: the claims no longer matter to the pace.
            return f"{prose.percent(pace)} a year from the {first['base_period']} level, {verdict}"
        readings.append(
            f"{prose.percent(pace)} a year if turnover grew by {prose.percent(rate)} in "
            f"{first['period']}, {verdict}"
        )
    return "; ".join(readings) if readings else "no growth claim gives a base to measure it from"
