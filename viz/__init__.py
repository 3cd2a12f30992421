"""Interactive and static views of the causal web."""
