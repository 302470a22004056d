"""``make bench`` / ``contract-review bench``: speed and memory, side by side on the same inputs in
one run, printed as a table and written as JSON (``data/bench/report.json``).

Sections (each can be run alone with ``--only`` or left out with ``--skip``; ``--resume`` keeps
the sections a previous run already wrote to the report):

* ``scans``   — scanned pages (200 and 300 dpi, red seals, one page fed sideways): the whole
  pipeline vs raw RapidOCR defaults vs Tesseract chi_sim (Debian's package, installed when
  missing): seconds per page and character error rate against the text the pages were drawn from;
* ``digital`` — digital PDF pages: the pipeline vs pdfplumber's text alone vs pypdfium2's alone;
* ``extract`` — ``contract-review extract`` of a one-page text file as a fresh process: wall
  time and peak memory;
* ``batch``   — a 1,000-agreement mixed batch through the review store's batch runner (as
  ``contract-review ingest``): wall, pages/s, peak memory, 1 vs 2 workers, 100 vs 1,000;
* ``side``    — side-contract detection (checks/side.py) over 5k / 20k / 50k generated records.

Nothing below this package imports it (it sits beside the CLI, which is its only caller).
"""

from __future__ import annotations

from .run import SECTIONS, format_report, run

__all__ = ["SECTIONS", "format_report", "run"]
