"""Ingesters: turn official statistics exports into rows of the report's datasets. They run by
hand (``scripts/``), outside the build, and write only through the library's validation."""
