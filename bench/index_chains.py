"""Chain tracing over an index, in a fresh process: ``python -m bench.index_chains INDEX_DIR``.

Opens the index as ``serve --index`` does and times ``trace_chains`` with the library's budget
(the API's defaults) over the query mix of :mod:`bench.chains`; prints one JSON line. It runs
once the index's server has stopped, so that the two do not hold the records at once.
"""

from __future__ import annotations

import argparse
import json

__all__ = ["main"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("index")
    parser.add_argument("--repeats", type=int, default=3, help="passes over the query mix (default: 3)")
    args = parser.parse_args(argv)

    from bench.chains import time_chains
    from causal_web.index import open_index
    from causal_web.web.chains import DEFAULT_MAX_EXPANSIONS, DEFAULT_TIME_BUDGET

    kb = open_index(args.index)
    result = time_chains(kb.web, repeats=args.repeats)
    result["time_budget"] = DEFAULT_TIME_BUDGET
    result["max_expansions"] = DEFAULT_MAX_EXPANSIONS
    print(json.dumps(result))


if __name__ == "__main__":
    main()
