"""causal-web benchmarks: speed and scale against baselines measured in the same run.

Run ``python -m bench --help``. Every target is a ratio against a baseline measured in the
same run (rdflib's SPARQL engine, a bare FastAPI endpoint, the CLI's own imports) or a
generous bound, so the figures mean the same on a fast or a slow machine. Nothing here is a
timed unit test.
"""

__all__: list[str] = []
