"""FastAPI service over the causal-web library."""
