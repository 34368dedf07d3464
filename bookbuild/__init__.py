"""The build system of the Astana–Ashgabat report: it executes the chapters (only those whose
inputs changed), stages them with the book's files, runs Jupyter Book and publishes the HTML book and
the PDF atomically.

It imports the report's library (``kztm``) and is never imported by it: a chapter's code inputs are
the library package, so editing the build re-executes no chapter.
"""
