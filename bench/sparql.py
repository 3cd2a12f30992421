"""The named SPARQL queries on the embedded store against rdflib's engine, same data, same text.

Both engines get exactly the same quads: the knowledge base's N-Quads plus the ontology in its
own named graph, queried over the union of all graphs (pyoxigraph's
``use_default_graph_as_union``, rdflib's ``Dataset(default_union=True)``). Each engine runs in
its own fresh process, started by the parent one after the other. rdflib gets a time budget per
query (SIGALRM); a query that runs out is reported as "> budget" and its ratio as a lower bound.

Run as ``python -m bench.sparql embedded|rdflib FOLDER [--repeats N] [--budget S]``.
"""

from __future__ import annotations

import argparse
import json
import signal
import time
from typing import Any

__all__ = ["main"]


class _OutOfTime(Exception):
    pass


def _queries() -> dict[str, str]:
    from causal_web.rdf.named_queries import named_queries

    return {name: query.text for name, query in named_queries().items()}


def _embedded(folder: str, repeats: int) -> dict[str, Any]:
    import causal_web

    kb = causal_web.load(folder)
    started = time.perf_counter()
    store = kb.store
    build = time.perf_counter() - started
    results = {}
    for name, text in _queries().items():
        began = time.perf_counter()
        rows = len(list(store.query(text, use_default_graph_as_union=True)))  # warm-up
        warm = time.perf_counter() - began
        times = []
        # a slow query is timed fewer times: about 10 s per query at most
        for _ in range(max(1, min(repeats, int(10 / max(warm, 1e-9))))):
            began = time.perf_counter()
            rows = len(list(store.query(text, use_default_graph_as_union=True)))
            times.append(time.perf_counter() - began)
        results[name] = {"times": times, "rows": rows}
    return {"engine": "pyoxigraph", "quads": len(store), "build_s": build, "queries": results}


def _rdflib(folder: str, repeats: int, budget: float) -> dict[str, Any]:
    from rdflib import Dataset, URIRef

    import causal_web
    from causal_web.resources import ontology_file

    kb = causal_web.load(folder)
    nquads = kb.nquads
    started = time.perf_counter()
    rdf = Dataset(default_union=True)
    rdf.parse(data=nquads, format="nquads")
    rdf.graph(URIRef(kb.iris.graph("ontology"))).parse(ontology_file(), format="turtle")
    build = time.perf_counter() - started
    quads = sum(1 for _ in rdf.quads((None, None, None, None)))
    list(rdf.query("SELECT * WHERE { ?s ?p ?o } LIMIT 1"))  # warm-up: rdflib builds its parser once

    def out_of_time(_signum: int, _frame: Any) -> None:
        raise _OutOfTime

    signal.signal(signal.SIGALRM, out_of_time)
    results = {}
    for name, text in _queries().items():
        times: list[float] = []
        rows = None
        timed_out = False
        for attempt in range(repeats):
            began = time.perf_counter()
            signal.setitimer(signal.ITIMER_REAL, budget)
            try:
                rows = len(list(rdf.query(text)))
            except _OutOfTime:
                timed_out = True
                break
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            elapsed = time.perf_counter() - began
            times.append(elapsed)
            if attempt == 0 and elapsed * repeats > budget:
                break  # slow: one timing is enough
        results[name] = {"times": times, "rows": rows, "timed_out": timed_out, "budget": budget}
    return {"engine": "rdflib", "quads": quads, "build_s": build, "queries": results}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("engine", choices=("embedded", "rdflib"))
    parser.add_argument("folder")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--budget", type=float, default=20.0, help="rdflib: seconds per query")
    args = parser.parse_args(argv)
    if args.engine == "embedded":
        result = _embedded(args.folder, args.repeats)
    else:
        result = _rdflib(args.folder, args.repeats, args.budget)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
