"""The model and its files: records, parsing, loading, validation and canonical form.

The record types live in :mod:`causal_web.model.records` and are re-exported here, so that
``from causal_web.model import CMOC`` reads as the model itself.
"""

from causal_web.model.records import *  # noqa: F403
from causal_web.model.records import __all__  # noqa: F401
