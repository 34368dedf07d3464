"""The icon fonts keep exactly the glyphs the stylesheets draw (bookbuild.slim)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pydata_sphinx_theme
from fontTools.ttLib import TTFont

from bookbuild.slim import icon_codepoints, subset_icon_fonts

THEME_FONTS = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"
SOLID = next(THEME_FONTS.rglob("fa-solid-900.woff2"))
MAGNIFYING_GLASS, SUN, INFO_CIRCLE = 0xF002, 0xF185, 0xF05A


def test_icons_are_read_from_escapes_and_from_literal_characters(tmp_path):
    sheet = tmp_path / "theme.css"
    sheet.write_text(
        '.fa-magnifying-glass:before{content:"\\f002"}\n'
        ".fa-sun:before{content:'\\F185'}\n"
        ':root{--pst-icon-info-circle:"\uf05a"}\n'
        'a:before{content:"#"}\n',
        encoding="utf-8",
    )
    assert icon_codepoints([sheet]) == {MAGNIFYING_GLASS, SUN, INFO_CIRCLE}


def test_a_subset_font_keeps_the_drawn_icons_and_nothing_else(tmp_path):
    static = tmp_path / "_static"
    (static / "webfonts").mkdir(parents=True)
    font_path = static / "webfonts" / SOLID.name
    shutil.copy(SOLID, font_path)
    (static / "theme.css").write_text(
        '.fa-magnifying-glass:before{content:"\\f002"}.fa-sun:before{content:"\\f185"}',
        encoding="utf-8",
    )
    before = set(TTFont(SOLID).getBestCmap())
    assert {MAGNIFYING_GLASS, SUN} < before and len(before) > 1000

    subset_icon_fonts(tmp_path)

    after = set(TTFont(font_path).getBestCmap())
    assert after == {MAGNIFYING_GLASS, SUN}
    assert font_path.stat().st_size < SOLID.stat().st_size / 10
    assert TTFont(font_path).flavor == "woff2"
