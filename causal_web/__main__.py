"""``python -m causal_web`` runs the command line."""

from causal_web.cli.main import main

if __name__ == "__main__":
    main()
