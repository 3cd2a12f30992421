"""The causal web and its queries: the concept graph, chains, theory diffs and graph formats.

The graph itself lives in :mod:`causal_web.web.graph` and is re-exported here.
"""

from causal_web.web.graph import *  # noqa: F403
from causal_web.web.graph import __all__  # noqa: F401
