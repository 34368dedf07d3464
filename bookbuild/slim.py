"""Lighter pages: what the theme ships for every possible site, cut to what this book uses.

Run on the freshly built HTML before it is published. ``trim_stylesheets`` drops the stylesheet
rules no page or script can match (PurgeCSS, see ``purge_styles.cjs``): the theme's stylesheet is
0.4 MB of Bootstrap and theme rules, of which the book uses a quarter. ``subset_icon_fonts`` then
keeps only the glyphs of the Font Awesome fonts that the trimmed stylesheets still draw: the icon
font every page loads is 0.16 MB for some 2,000 icons, the book shows about twenty.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from fontTools import subset

from bookbuild.project import BuildError

PURGE_STYLES = Path(__file__).parent / "purge_styles.cjs"
# Font Awesome draws every icon from Unicode's private use area, named in the stylesheets either by
# a CSS escape ("\f002") or by the character itself (the theme's --pst-icon-* variables).
_ESCAPED_ICON = re.compile(r"\\(f[0-9a-f]{3}|e[0-9a-f]{3})\b", re.IGNORECASE)
_LITERAL_ICON = re.compile("[\ue000-\uf8ff]")
ICON_FONTS = "fa-*.woff2"


def trim_stylesheets(root: Path, html_dir: Path) -> None:
    """Cut the theme's and extensions' stylesheets to the rules the built pages can use."""
    environment = {**os.environ, "NODE_PATH": str(root / "node_modules")}
    result = subprocess.run(
        ["node", str(PURGE_STYLES), str(html_dir)],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    if result.returncode != 0:
        raise BuildError(
            f"trimming the stylesheets failed, nothing was published: {result.stderr.strip()[-2000:]}"
        )


def icon_codepoints(stylesheets: list[Path]) -> set[int]:
    """Every icon the stylesheets can draw, by its code point."""
    codepoints: set[int] = set()
    for sheet in stylesheets:
        text = sheet.read_text(encoding="utf-8")
        codepoints |= {int(code, 16) for code in _ESCAPED_ICON.findall(text)}
        codepoints |= {ord(character) for character in _LITERAL_ICON.findall(text)}
    return codepoints


def subset_icon_fonts(html_dir: Path) -> None:
    """Keep only the glyphs the stylesheets draw in each Font Awesome web font, in place."""
    static = html_dir / "_static"
    codepoints = icon_codepoints(sorted(static.rglob("*.css")))
    for font_path in sorted(static.rglob(ICON_FONTS)):
        options = subset.Options()
        options.flavor = "woff2"
        font = subset.load_font(str(font_path), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=codepoints)
        subsetter.subset(font)
        subset.save_font(font, str(font_path), options)
