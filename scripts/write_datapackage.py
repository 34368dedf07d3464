"""Write data/datapackage.json from data/catalog.yml (run after editing the catalog; a test fails
while the two differ).

Usage: .venv/bin/python scripts/write_datapackage.py
"""

from __future__ import annotations

import json
from pathlib import Path

from bookbuild.datapackage import data_package
from kztm.paths import using_root

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "data" / "datapackage.json"


def main() -> None:
    with using_root(ROOT):
        text = json.dumps(data_package(), indent=1, ensure_ascii=False) + "\n"
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
