"""Serve the real API or a bare constant endpoint with uvicorn, in exactly the same way.

``python -m bench.serve real --port P [--data DIR]`` serves ``api.app.create_app`` over the
loaded and indexed knowledge base; ``python -m bench.serve bare --port P`` serves a FastAPI app
whose ``GET /constant`` returns a constant from an ``async def`` (the stack's ceiling: no thread
hand-off, no validation) and whose ``GET /constant-sync`` does the same from a plain ``def``,
which FastAPI runs in its thread pool, as it runs the real API's routes. Both apps use one
uvicorn worker on 127.0.0.1 with the access log off.
"""

from __future__ import annotations

import argparse

__all__ = ["bare_app", "main"]


def bare_app() -> object:
    """FastAPI with two endpoints that return a constant: async (the ceiling) and sync."""
    from fastapi import FastAPI

    app = FastAPI(title="bare")

    @app.get("/constant")
    async def constant() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/constant-sync")
    def constant_sync() -> dict[str, str]:
        return {"status": "ok"}

    return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("app", choices=("real", "bare"))
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--data", default=None, help="data folder for the real app (default: bundled)")
    args = parser.parse_args(argv)

    import uvicorn

    if args.app == "bare":
        app = bare_app()
    else:
        from causal_web.api.app import create_app
        from causal_web.api.settings import Settings
        from causal_web.knowledge_base import load

        settings = Settings(host="127.0.0.1", port=args.port, data=args.data)
        kb = load(settings.data, base_iri=settings.resolved_base_iri).index()
        app = create_app(kb, settings)
    uvicorn.run(app, host="127.0.0.1", port=args.port, workers=1, access_log=False, log_level="warning")


if __name__ == "__main__":
    main()
