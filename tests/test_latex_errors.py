"""LaTeX failures reach the reader of the build log as TeX's message and the input line."""

from __future__ import annotations

from bookbuild.build import latex_errors

LOG = r"""This is XeTeX, Version 3.141592653-2.6-0.999995 (TeX Live 2023/Debian)
(./kztm.tex
! Undefined control sequence.
<recently read> \foo

l.57 Turnover came to \foo
                          {555.7}
! Missing $ inserted.
<inserted text>
                $
l.212 ...sed by 28% and $
Output written on kztm.pdf (125 pages).
"""


def test_each_error_is_reported_with_its_input_line(tmp_path):
    (tmp_path / "kztm.log").write_text(LOG, encoding="utf-8")
    assert latex_errors(tmp_path) == [
        "kztm.log: Undefined control sequence. l.57 Turnover came to \\foo",
        "kztm.log: Missing $ inserted. l.212 ...sed by 28% and $",
    ]


def test_a_clean_log_reports_nothing(tmp_path):
    (tmp_path / "kztm.log").write_text("Output written on kztm.pdf (125 pages).\n", encoding="utf-8")
    assert latex_errors(tmp_path) == []


def test_an_error_without_an_input_line_is_still_reported(tmp_path):
    (tmp_path / "kztm.log").write_text("! Emergency stop.\n*** (job aborted)\n", encoding="utf-8")
    assert latex_errors(tmp_path) == ["kztm.log: Emergency stop."]
