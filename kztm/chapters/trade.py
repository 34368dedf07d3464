"""The trade chapter: what it glues into its text, its tables and its figures.

The sentences follow the figures: what the latest partial period suggests, and whether the
target is within reach. A new row in data/trade.csv can turn "weaker than" into "stronger than"
or "moved it further away" into "brought it closer" without anyone editing the chapter.
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import pandas as pd

from kztm import bibliography, charts, data, indicators, prose, tables, trade
from kztm.catalog import category_labels
from kztm.edition import Edition
from kztm.tables import escape, markdown_table
from kztm.trade import required_growth

# The datasets the chapter reads, listed in its data note.
DATASETS = ("trade", "trade_growth", "goods", "indicators", "agenda", "agreements")

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


@dataclass(frozen=True)
class Record:
    """The trade record as the edition knows it, derived once for the text and the figures."""

    levels: pd.DataFrame
    figures: pd.DataFrame
    checks: pd.DataFrame
    years: pd.DataFrame
    components: pd.DataFrame

    @property
    def turnover(self) -> pd.DataFrame:
        """Every turnover figure, one row per period and reporter."""
        return self.figures[self.figures["flow"] == "turnover"]

    @property
    def latest(self) -> pd.Series | None:
        """The latest full year; None before one is known."""
        return self.years.iloc[-1] if len(self.years) else None

    @property
    def previous(self) -> pd.Series | None:
        """The full year before the latest: the comparison needs two, a book dated earlier says
        so instead."""
        return self.years.iloc[-2] if len(self.years) > 1 else None


def record(edition: Edition) -> Record:
    levels = trade.with_labels(trade.with_derived_turnover(data.load("trade", edition)))
    figures = trade.series(levels, data.seed_ids())
    best = trade.best_figures(figures)
    return Record(
        levels=levels,
        figures=figures,
        checks=trade.growth_checks(best, data.load("trade_growth", edition)),
        years=trade.full_year_changes(best),
        components=trade.component_checks(levels),
    )


def facts(edition: Edition) -> prose.Facts:
    """Everything the chapter's text and tables show, by the name its text glues."""
    found = record(edition)
    opening = prose.edition_facts(DATASETS, edition)
    return (
        opening
        | _series_facts(edition, found)
        | _latest_facts(edition, found)
        | _claim_facts(edition, found)
        | _balance_facts(edition, found)
        | _target_facts(edition, found)
        | _composition_facts(edition)
    )


def _series_facts(edition: Edition, found: Record) -> prose.Facts:
    """How far back the record goes, its gaps, and whose figures it holds."""
    turnover = found.turnover
    full = sorted(turnover[turnover["full_year"]]["period_start"].dt.year.unique())
    last = edition.year
    first = min(full) if full else last
    missing = sorted(set(range(first, last + 1)) - set(full))
    shared = trade.shared_periods(found.figures)
    kinds = trade.period_kinds(turnover[["period_start", "period_end"]])
    return {
        "first_year": str(first),
        "full_year_count": prose.counted(len(full), "full year")
        if full
        else prose.not_known(edition.as_of),
        "full_year_list": prose.year_ranges(full),
        "missing_years": prose.year_ranges(missing) if missing else "none",
        "figure_count": prose.counted(len(turnover), "turnover figure"),
        "figure_count_number": prose.count(len(turnover)),
        "seed_figure_count": prose.count(int(turnover["in_seeds"].sum())),
        "reporters_seen": reporter_sentence(turnover),
        "statistics_note": statistics_note(found.figures),
        "shared_verdict": shared_verdict(shared),
        "tbl-trade-years": annual_table(found.figures, first, last),
        "tbl-trade-figures": figures_table(found.figures),
        "period_kind_count": prose.count(len(kinds)) if kinds else prose.not_known(edition.as_of),
        "period_kinds": prose.listing(kinds),
    }


def statistics_note(figures: pd.DataFrame) -> str:
    """Whether any figure is a statistics office's own, which decides how far to trust them."""
    if figures["reporter"].astype(str).str.startswith("comtrade").any():
        return (
            "Figures from UN Comtrade are what the statistics offices declared; the others are "
            "numbers an official or a journalist chose to quote."
        )
    return (
        "No statistics office's own table, Kazakh, Turkmen or international, is in the corpus, "
        "so every figure is a number an official or a journalist chose to quote."
    )


def shared_verdict(shared: pd.DataFrame) -> str:
    """Whether the periods that two reporters cover agree."""
    if shared.empty:
        return "no period has two reporters"
    verb = "has" if len(shared) == 1 else "have"
    agreement = (
        "agree in every one"
        if shared["agree"].all()
        else f"differ in {prose.listing(shared[~shared['agree']]['period'])}"
    )
    return (
        f"{prose.counted(len(shared), 'period')} {verb} figures from two reporters, and they {agreement}"
    )


def _latest_facts(edition: Edition, found: Record) -> prose.Facts:
    """The latest two full years, which open the chapter."""
    latest, previous = found.latest, found.previous
    names = ("latest_year", "latest_value", "previous_year", "previous_value", "latest_change")
    if latest is None or previous is None:
        unknown = prose.not_known(edition.as_of)
        return {name: unknown for name in names} | {"latest_sources": prose.Markdown("")}
    return {
        "latest_year": str(latest["year"]),
        "latest_value": prose.money(latest["value_usd_m"]),
        "previous_year": str(previous["year"]),
        "previous_value": prose.money(previous["value_usd_m"]),
        "latest_change": prose.percent(latest["change_pct"], signed=True),
        "latest_sources": prose.Markdown(prose.citations([previous["source_id"], latest["source_id"]])),
    }


def _year_claims(found: Record) -> pd.DataFrame:
    """The growth claims for the latest full year that has any; where sources claim different
    rates, the text and the pace calculations show each of them."""
    checks = found.checks
    claims = checks[checks["period"].str.fullmatch(r"\d{4}") & (checks["flow"] == "turnover")]
    return claims[claims["period"] == claims["period"].max()]


def _claim_facts(edition: Edition, found: Record) -> prose.Facts:
    """The growth claims, the five-year multiple and the latest partial period."""
    claims = _year_claims(found)
    unknown = prose.not_known(edition.as_of)
    multiples = indicators.rows_of(data.load("indicators", edition), ["trade-five-year-multiple"])
    multiple, implied_base = unknown, unknown
    if len(multiples):
        first = multiples.iloc[0]
        multiple = prose.quantity(first["value"], first["qualifier"])
        base_year = found.years.set_index("year")["value_usd_m"].get(first["period_end"].year)
        if base_year is not None:
            implied_base = prose.money(base_year / first["value"])
    return {
        "claims-reading": claims_reading(claims),
        "claim_base_year": claims["base_period"].iloc[0] if len(claims) else "–",
        "multiple": multiple,
        "implied_base_multiple": implied_base,
        "tbl-trade-growth": growth_table(found.checks),
    }


def flow_label(code: object) -> str:
    """A flow's reader-facing label (the catalog defines it)."""
    return category_labels("trade", "flow")[str(code)]


def growth_table(checks: pd.DataFrame) -> prose.Markdown:
    """Every claimed growth rate with the level it is checked against and the verdict."""
    status_words = {
        "consistent": "consistent with the levels",
        "inconsistent": "inconsistent with the levels",
        "implies_base": "implies a base level no source gives",
        "unverifiable": "no level to check against",
    }
    one_decimal = lambda v: "–" if pd.isna(v) else f"{v:,.1f}"  # noqa: E731
    return tables.markdown_table(
        checks,
        columns={
            "period": "Period",
            "base_period": "Compared with",
            "flow": "Flow",
            "claimed_pct": "Claimed growth",
            "level_usd_m": "Level ($ m)",
            "implied_base_usd_m": "Implied base ($ m)",
            "status": "Check",
            "source_id": "Source",
        },
        formats={
            "flow": flow_label,
            "claimed_pct": lambda v: prose.percent(v, signed=True),
            "level_usd_m": one_decimal,
            "implied_base_usd_m": one_decimal,
            "status": lambda code: status_words[code],
        },
        caption="Growth rates claimed by the sources, against the levels in the data",
    )


def _balance_facts(edition: Edition, found: Record) -> prose.Facts:
    """Exports, imports and the balance in the periods with a breakdown by direction."""
    components = found.components
    breakdown = f"{prose.count(len(components))} period{'s come' if len(components) != 1 else ' comes'}"
    common: prose.Facts = {
        "balance_shares": balance_sentence(components),
        "breakdown_periods": breakdown,
    }
    if components.empty:
        unknown = prose.not_known(edition.as_of)
        names = ("recent_period", "recent_exports", "recent_imports", "recent_balance")
        return common | {name: unknown for name in names} | {"recent-reading": prose.Markdown("")}
    recent = components.iloc[-1]
    best = trade.best_figures(found.figures)
    monthly = trade.monthly_averages(best[best["flow"] == "turnover"]).set_index("period")
    return common | {
        "recent_period": recent["period"],
        "recent_exports": prose.money(recent["kz_exports_usd_m"]),
        "recent_imports": prose.money(recent["kz_imports_usd_m"]),
        "recent_balance": prose.money(recent["kz_exports_usd_m"] - recent["kz_imports_usd_m"]),
        "recent-reading": recent_reading(monthly, found.checks, recent["period"]),
    }


def _targets(edition: Edition) -> pd.DataFrame:
    """The $1 billion target as the sources state it (none before the first says so)."""
    return indicators.rows_of(data.load("indicators", edition), ["trade-target"])


def _target_facts(edition: Edition, found: Record) -> prose.Facts:
    """The distance to the $1 billion target and the paces that would close it."""
    targets = _targets(edition)
    latest, previous = found.latest, found.previous
    unknown = prose.not_known(edition.as_of)
    target = targets["value"].iloc[0] if len(targets) else None
    common: prose.Facts = {
        "target": unknown if target is None else prose.money(target),
        "target_year": str(edition.target_year),
    }
    names = ("required_growth", "latest_pace_outcome", "target_share", "change_reading", "paces")
    if latest is None or previous is None or target is None:
        return common | {name: unknown for name in names}
    required = trade.required_growth(latest["value_usd_m"], target, edition.target_year - latest["year"])
    return common | {
        "required_growth": prose.percent(required),
        "latest_pace_outcome": pace_outcome(latest["change_pct"], required),
        "target_share": prose.percent(100 * latest["value_usd_m"] / target, 0),
        "change_reading": change_reading(latest, previous),
        "paces": pace_reading(_year_claims(found), latest, required, edition.target_year),
    }


def _composition_facts(edition: Edition) -> prose.Facts:
    """The goods each way, the positions on investment and its legal basis."""
    goods = data.load("goods", edition)
    agenda = data.load("agenda", edition)
    agreements = data.load("agreements", edition)
    protection = agreements[agreements["agreement_id"] == "investment-protection-2024"]
    legal_basis = (
        "The legal basis, in the source's words: "
        f"“{tables.escape(protection['quote'].iloc[0])}” {prose.citations(protection['source_id'])}"
        if len(protection)
        else f"No agreement on investment protection is recorded by {prose.day(edition.as_of)}"
    )
    return {
        "goods_count": prose.count(goods["good"].nunique()),
        "legal-basis": prose.Markdown(legal_basis),
        "tbl-trade-goods": tables.markdown_table(
            goods.sort_values(["flow", "category", "good"]),
            columns={"flow": "Flow", "good": "Good", "category": "Category", "source_id": "Source"},
            formats={"flow": flow_label},
            caption="Goods traded in each direction, as the sources list them",
        ),
        "tbl-trade-investment": tables.positions(
            agenda[agenda["theme"] == "investment"], caption="Positions on investment in the sources"
        ),
    }


def monthly_figure(edition: Edition) -> prose.Figure:
    """Average turnover per month of every reported period, one segment across its months."""
    turnover = trade.monthly_averages(record(edition).turnover)
    reporters = category_labels("trade", "reporter")
    turnover["reporter_label"] = turnover["reporter"].astype(str).map(reporters)
    chart = charts.period_figures(
        turnover,
        "per_month",
        "Average turnover per month, million US dollars",
        "reporter_label",
        "Whose figure",
    ).properties(
        width=560,
        description="Chart of average monthly trade turnover over time: one horizontal segment "
        "per reported period, coloured by whose statistics the figure is, with the figures the "
        "source articles report ringed and lower bounds paler.",
    )
    return prose.Figure(chart, [s for ids in turnover["sources"] for s in ids])


def balance_figure(edition: Edition) -> prose.Figure:
    """Kazakh exports and imports as shares of turnover where a breakdown is reported."""
    components = record(edition).components
    directions = components.melt(
        id_vars=["period", "source_id", "implied", "turnover_usd_m"],
        value_vars=["kz_exports_usd_m", "kz_imports_usd_m"],
        var_name="column",
        value_name="value_usd_m",
    )
    directions["code"] = directions["column"].str.removesuffix("_usd_m")
    directions["flow"] = directions["code"].map(category_labels("trade", "flow"))
    # Shares, not totals: the periods differ in length, and a share is comparable across them.
    directions["share_pct"] = 100 * directions["value_usd_m"] / directions["turnover_usd_m"]
    directions["figure"] = charts.figure_kind(directions["code"] == directions["implied"])
    directions["cited"] = directions["source_id"].map(bibliography.name_sources)
    chart = (
        alt.Chart(directions)
        .mark_bar()
        .encode(
            y=alt.Y("period:N", title=None, sort=None),
            x=alt.X(
                "share_pct:Q",
                title="Share of turnover, per cent",
                stack="zero",
                scale=alt.Scale(domain=[0, 100]),
            ),
            color=alt.Color("flow:N", title="Flow"),
            opacity=charts.figure_opacity(),
            order=alt.Order("code:N"),
            tooltip=[
                alt.Tooltip("period:N", title="Period"),
                alt.Tooltip("flow:N", title="Flow"),
                alt.Tooltip("value_usd_m:Q", title="Value ($ m)", format=",.1f"),
                alt.Tooltip("share_pct:Q", title="Share of turnover (%)", format=".0f"),
                alt.Tooltip("figure:N", title="Figure"),
                alt.Tooltip("cited:N", title="Source"),
            ],
        )
        .properties(
            width=420,
            description="Stacked bar chart of the shares of Kazakh exports and imports in "
            "turnover in each period for which the sources give a breakdown by direction.",
        )
    )
    return prose.Figure(chart, list(directions["source_id"]))


def target_figure(edition: Edition) -> prose.Figure:
    """The constant growth needed to reach the target, for each year it might be reached."""
    targets = _targets(edition)
    latest = record(edition).latest
    if latest is None or targets.empty:
        message = "No full-year turnover or no target is known by this date."
        return prose.Figure(charts.nothing_to_show(message), list(targets["source_id"]))
    target = targets["value"].iloc[0]
    # The first year the target can still be reached in: after the latest full year, and not one
    # the edition's day has already closed (a book of 31 December 2025 starts at 2026).
    still_open = (edition.day + pd.Timedelta(days=1)).year
    first = max(int(latest["year"]) + 1, still_open)
    horizon = pd.DataFrame({"year": range(first, first + 10)})
    horizon["required_pct"] = [
        trade.required_growth(latest["value_usd_m"], target, year - latest["year"])
        for year in horizon["year"]
    ]
    horizon["marker"] = [
        f"{edition.target_year}, the year this chapter assumes"
        if year == edition.target_year
        else "Other years"
        for year in horizon["year"]
    ]
    line = alt.Chart(horizon).encode(
        x=alt.X("year:O", title="Year the target is reached", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("required_pct:Q", title="Required annual growth, per cent"),
        tooltip=[
            alt.Tooltip("year:O", title="Target year"),
            alt.Tooltip("required_pct:Q", title="Growth a year (%)", format=".1f"),
        ],
    )
    colours = alt.Scale(range=[charts.PALETTE[0], charts.PALETTE[1]])
    chart = (
        line.mark_line(color=charts.PALETTE[0])
        + line.mark_point(filled=True, size=80).encode(
            color=alt.Color("marker:N", title=None, sort="descending", scale=colours)
        )
    ).properties(
        width=460,
        description="Line chart of the constant annual growth in turnover needed to reach one "
        "billion US dollars, for each possible target year.",
    )
    return prose.Figure(chart, [latest["source_id"], *targets["source_id"]])
