"""Coding published parts to concepts, and comparing two coders' folders.

:mod:`~causal_web.coding.coding` suggests concepts for uncoded parts and applies a reviewer's
decisions (``coding.csv``); :mod:`~causal_web.coding.agreement` measures agreement between two
coders; :mod:`~causal_web.coding.reconcile` writes a consensus folder.
"""
