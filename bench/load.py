"""Load, validate and index one data folder in a fresh process; report times and peak memory.

Run as ``python -m bench.load FOLDER [--chains N]``: it prints one JSON line. A fresh process
per size keeps one size's memory from counting against another's.
"""

from __future__ import annotations

import argparse
import json
import resource
import time

__all__ = ["main"]


def _rss_peak() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB


def _rss_now() -> int:
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            import os

            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder")
    parser.add_argument("--chains", type=int, default=0, help="also time chain tracing, N repeats")
    args = parser.parse_args(argv)

    # Imports first: their cost is the CLI cold-start benchmark's business, not this one's.
    import causal_web
    import causal_web.rdf.mapping
    import causal_web.rdf.store
    import causal_web.web.graph

    baseline_rss = _rss_now()
    started = time.perf_counter()
    kb = causal_web.load(args.folder)  # read, parse, check every record and reference
    loaded = time.perf_counter()
    kb.index()  # N-Quads, the pyoxigraph store and the networkx web
    indexed = time.perf_counter()
    result = {
        "folder": args.folder,
        "cmocs": len(kb.dataset.cmocs),
        "concepts": len(kb.dataset.concepts),
        "sources": len(kb.dataset.sources),
        "bases": len(kb.dataset.bases),
        "nestings": len(kb.dataset.nestings),
        "evidence_items": sum(len(c.evidence) for c in kb.dataset.cmocs.values()),
        "quads": len(kb.store),
        "load_s": loaded - started,
        "index_s": indexed - loaded,
        "total_s": indexed - started,
        "peak_rss": _rss_peak(),
        "rss_after_index": _rss_now(),
        "baseline_rss": baseline_rss,
    }
    if args.chains:
        from bench.chains import time_chains

        result["chains"] = time_chains(kb.web, repeats=args.chains)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
