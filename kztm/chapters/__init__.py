"""One module per chapter: what the chapter glues into its text (``facts(edition)``) and its
figures (``<name>_figure(edition)``), computed from the data as the edition knows it.

A chapter's executed output depends on its own module and the shared core (``kztm/*.py``), not on
the other chapters' modules, so editing one re-executes that chapter alone.
"""
