"""evaluation: the pipeline measured on labelled corpora (accuracy: :mod:`evaluation.evaluate`;
speed and memory: the top-level :mod:`bench` package, `make bench`).

It stands above both what it measures (``contract_review``'s pipeline, the store) and the
labelled data (``corpus/``, the generator): nothing below imports it; the CLI (the roof) does.
"""
