"""Shared code of the Astana–Ashgabat report.

Every chapter imports this package instead of reading files or styling charts itself, so that one
change here (a validation rule, the palette, a number format) reaches the whole book at once.
"""
