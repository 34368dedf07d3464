"""The reads watch and the report of reads a chapter does not declare (kztm.reads, issue 15)."""

from __future__ import annotations

import os
import subprocess
import sys

from bookbuild.incremental import undeclared_reads


def test_the_watch_records_each_read_of_project_data_once_and_nothing_else(tmp_path):
    root = tmp_path / "project"
    (root / "data").mkdir(parents=True)
    (root / "data" / "x.csv").write_text("a\n1\n", encoding="utf-8")
    (root / "notes.txt").write_text("not data", encoding="utf-8")
    log = tmp_path / "reads.log"
    code = (
        "import kztm.reads, pandas as pd\n"
        "kztm.reads.watch_opens()\n"
        "pd.read_csv('data/x.csv'); pd.read_csv('data/x.csv')\n"
        "open('notes.txt').read()\n"
        "open('data/new.txt', 'w').write('written, not read')\n"
    )
    environment = {**os.environ, "KZTM_ROOT": str(root), "KZTM_READS_LOG": str(log)}
    subprocess.run([sys.executable, "-c", code], cwd=root, env=environment, check=True)
    recorded = [line.split("\t")[0] for line in log.read_text(encoding="utf-8").splitlines()]
    assert recorded == [str((root / "data" / "x.csv").resolve())]


def test_an_undeclared_read_is_reported_with_the_line_that_read_it(tmp_path):
    log = tmp_path / "reads.log"
    log.write_text(
        f"{tmp_path / 'data' / 'agenda.csv'}\tline 2 of its cell: pd.read_csv('../data/agenda.csv')\n"
        f"{tmp_path / 'data' / 'trade.csv'}\t\n",
        encoding="utf-8",
    )
    assert undeclared_reads(tmp_path, log, {"data/trade.csv": "x"}) == [
        "data/agenda.csv (line 2 of its cell: pd.read_csv('../data/agenda.csv'))"
    ]
