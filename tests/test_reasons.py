"""Why a chapter runs again: every changed input named, a batch of changed files counted."""

from __future__ import annotations

import json

from bookbuild.incremental import reasons_to_run, stamp_path


def executed_with(tmp_path, inputs):
    executed = tmp_path / "trade.ipynb"
    executed.write_text("{}")
    stamp_path(executed).write_text(json.dumps(inputs))
    return executed


def test_a_chapter_never_run_runs(tmp_path):
    assert reasons_to_run(tmp_path / "trade.ipynb", {"data/trade.csv": "a"}) == ["not executed before"]


def test_nothing_changed_means_no_reason(tmp_path):
    inputs = {"data/trade.csv": "a", "kztm/trade.py": "b"}
    assert reasons_to_run(executed_with(tmp_path, inputs), inputs) == []


def test_each_changed_added_or_removed_input_is_named(tmp_path):
    executed = executed_with(tmp_path, {"data/trade.csv": "a", "data/goods.csv": "b"})
    reasons = reasons_to_run(executed, {"data/trade.csv": "changed", "parameters": "p"})
    assert reasons == ["data/goods.csv changed", "data/trade.csv changed", "parameters changed"]


def test_a_batch_of_changed_files_in_one_folder_is_counted(tmp_path):
    before = {f"archive/page-{i}.txt": "a" for i in range(5)} | {"data/sources.csv": "a"}
    after = {f"archive/page-{i}.txt": "b" for i in range(5)} | {"data/sources.csv": "b"}
    reasons = reasons_to_run(executed_with(tmp_path, before), after)
    assert reasons == ["5 files in archive/ changed", "data/sources.csv changed"]
