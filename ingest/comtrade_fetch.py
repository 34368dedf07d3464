"""Fetching the Kazakhstan–Turkmenistan totals from the UN Comtrade API.

This does what the official client's ``getFinalData`` does, one GET of the final-data endpoint,
with the standard library, so that neither that client nor ``requests`` enters the lock. The key
travels in the ``Ocp-Apim-Subscription-Key`` header, not in the URL, so it never appears in a
message. The query asks for totals only (all modes of transport, customs total, second partner
World), which keeps the answer far below the API's row cap; the answer's ``data`` records carry
the API's field names and go through the same filter as an export, since that filter, not the
query, is what makes a row a total. Numbers are parsed as decimals, as in a CSV.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from functools import partial
from typing import Protocol
from urllib.parse import urlencode

from ingest.comtrade import ComtradeError, Frequency

ENDPOINT = "https://comtradeapi.un.org/data/v1/get/C/{frequency}/HS"
KEY_VARIABLE = "COMTRADE_API_KEY"
PAIR_CODES = "398,795"  # Kazakhstan, Turkmenistan (M49)
FREQUENCIES = {"A": ("annual", 4), "M": ("monthly", 6)}  # name, digits of a period


class Response(Protocol):
    def read(self) -> bytes: ...

    def close(self) -> None: ...


Opener = Callable[[urllib.request.Request], Response]
# Two minutes, as the official client waits; tests pass an opener that plays a recorded answer.
NETWORK: Opener = partial(urllib.request.urlopen, timeout=120)


def api_key(environment: Mapping[str, str] = os.environ) -> str:
    """The subscription key, from the environment so that it stays out of files and commands."""
    key = environment.get(KEY_VARIABLE, "").strip()
    if not key:
        raise ComtradeError(
            f"{KEY_VARIABLE} is not set: put your UN Comtrade subscription key in it "
            "(comtradedeveloper.un.org, product comtrade - v1)"
        )
    return key


def query_url(periods: Sequence[str], frequency: Frequency) -> str:
    """The final-data query for the pair's totals in these periods (years, or months as 202305)."""
    name, digits = FREQUENCIES[frequency]
    wrong = [p for p in periods if not (p.isascii() and p.isdigit() and len(p) == digits)]
    if wrong or not periods:
        raise ComtradeError(
            f"{name} periods are {digits} digits, separated by commas: "
            + (", ".join(wrong) or "none given")
        )
    query = {
        "reporterCode": PAIR_CODES,
        "partnerCode": PAIR_CODES,
        "partner2Code": "0",
        "cmdCode": "TOTAL",
        "flowCode": "X,M",
        "customsCode": "C00",
        "motCode": "0",
        "period": ",".join(periods),
    }
    return ENDPOINT.format(frequency=frequency) + "?" + urlencode(query, safe=",")


def label(periods: Sequence[str], frequency: Frequency) -> str:
    """How messages and the sources' title name a download: 'Comtrade API, annual 2022, 2023'."""
    return f"Comtrade API, {FREQUENCIES[frequency][0]} {', '.join(periods)}"


def _answer(request: urllib.request.Request, open_url: Opener) -> bytes:
    try:
        response = open_url(request)
    except urllib.error.HTTPError as error:
        raise ComtradeError(
            f"the Comtrade API refused the query: HTTP {error.code} {error.reason}"
        ) from None
    except OSError as error:
        reason = getattr(error, "reason", error)
        raise ComtradeError(f"the Comtrade API could not be reached: {reason}") from None
    try:
        return response.read()
    finally:
        response.close()


def _records(body: bytes, name: str) -> list[dict[str, object]]:
    """The answer's data records; an answer without them is refused in one line."""
    try:
        answer = json.loads(body, parse_float=Decimal)
    except ValueError:
        raise ComtradeError(f"{name}: the API's answer is not JSON") from None
    if not isinstance(answer, dict) or not isinstance(answer.get("data"), list):
        raise ComtradeError(f"{name}: the API's answer has no data list")
    if answer.get("error"):
        raise ComtradeError(f"{name}: the API answered with an error: {answer['error']}")
    records = answer["data"]
    if not records:
        raise ComtradeError(f"{name}: the API has no figures for these periods (not yet published?)")
    if not all(isinstance(record, dict) for record in records):
        raise ComtradeError(f"{name}: the API's data list holds something other than records")
    return records


def fetch_records(
    periods: Sequence[str], frequency: Frequency, key: str, open_url: Opener = NETWORK
) -> list[dict[str, object]]:
    """The API's records of the pair's totals, ready for ``ingest_records``."""
    request = urllib.request.Request(
        query_url(periods, frequency),
        headers={"Ocp-Apim-Subscription-Key": key, "Accept": "application/json"},
    )
    return _records(_answer(request, open_url), label(periods, frequency))
