"""`hall-centre serve`: run the receiver on uvicorn until SIGINT/SIGTERM.

Put nginx (TLS) in front of it in production; `[centre] forwarded_allow_ips` names the proxies whose
X-Forwarded-* headers are believed. With `workers` > 1 uvicorn starts that many processes, each
opening the database itself; records are idempotent by id, so any worker can take any batch.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

from centre.api.app import CONFIG_ENV, LISTEN_ENV, create_app
from centre.cli import add_config_option, config_of
from centre.db.engine import open_engine
from centre.db.migrate import check_current


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "serve", help="run the receiver (HTTP)", description=__doc__
    )
    add_config_option(parser)
    parser.add_argument("--host", help="address to listen on (default: [centre] host)")
    parser.add_argument("--port", type=int, help="port to listen on (default: [centre] port)")
    parser.add_argument("--workers", type=int, help="worker processes (default: [centre] workers)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    settings = config_of(args).centre
    engine = open_engine(settings.database_url)
    check_current(engine)  # refuse to serve a database `init` has not brought up to date
    host = args.host or settings.host
    port = args.port if args.port is not None else settings.port
    workers = args.workers or settings.workers
    common: dict[str, Any] = {
        "host": host,
        "port": port,
        "proxy_headers": True,
        "forwarded_allow_ips": settings.forwarded_allow_ips,
        "server_header": False,
        "timeout_graceful_shutdown": 10,
        "log_config": None,  # the program's own logging setup applies
    }
    if workers > 1:
        engine.dispose()
        os.environ[CONFIG_ENV] = str(args.config.resolve())
        os.environ[LISTEN_ENV] = f"{host}:{port}"
        uvicorn.run("centre.api.app:app_from_environment", factory=True, workers=workers, **common)
    else:
        uvicorn.run(create_app(settings, engine, listen=(host, port)), **common)
    return 0
