"""Shared fixtures: the CLI as a user runs it, and the practice database on PostgreSQL.

``pytest --practice-db=postgresql -m practice_db`` (the second pass of
``./run-tests``) runs the practice-database tests against a real PostgreSQL
server at ``$MEDBILL_TEST_PG_URL``: every SQLite file path a test hands to
``medbill_lab.practice.db`` becomes a fresh database of its own on that server,
dropped when the run ends.  Tests marked ``sqlite_only`` are left out of that pass.
Every engine ``medbill_lab.practice.db.make_engine`` makes there is kept and
disposed after each test: a test that drops its engine would otherwise leave
psycopg connections for the garbage collector (a ResourceWarning, an error here).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, Engine, make_url

from medbill_lab.practice import db as practice_db

ROOT = Path(__file__).resolve().parents[1]


def medbill_lab(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run ``medbill-lab ARGS`` in a child process, as a script would, with this
    interpreter's tools (nbgrader, alembic, jupyter) first on PATH."""
    env = {
        **os.environ,
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]),
    }
    return subprocess.run(
        [sys.executable, "-m", "medbill_lab", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env=env,
    )


@pytest.fixture(scope="session")
def run_cli():
    """The ``medbill-lab`` command, run in a child process."""
    return medbill_lab


# -- the PostgreSQL pass ----------------------------------------------------------------
def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--practice-db",
        choices=("sqlite", "postgresql"),
        default="sqlite",
        help="where the practice-database tests keep their data",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--practice-db") != "postgresql":
        return
    keep = [i for i in items if i.get_closest_marker("sqlite_only") is None]
    config.hook.pytest_deselected(items=[i for i in items if i not in keep])
    items[:] = keep


# The modules that share the session's app gallery (tests/e2e/conftest.py).
GALLERY_MODULES = frozenset(
    f"tests/e2e/{name}.py"
    for name in (
        "test_apps_browser",
        "test_encoder_app_browser",
        "test_practice_browser",
        "test_serve_browser",
    )
)


def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """``./run-tests`` runs on two xdist workers, each test module whole on one of them.

    Module fixtures (a graded course, a hub, a browser) are then set up once, not
    once per worker, and the modules sharing the app gallery run on one worker.
    """
    from xdist.scheduler import LoadFileScheduling

    class ModuleScheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = super()._split_scope(nodeid)
            return "gallery" if module in GALLERY_MODULES else module

    return ModuleScheduling(config, log)


class _PostgresDatabases:
    """One PostgreSQL database per SQLite path a test asks for."""

    def __init__(self, server: URL) -> None:
        self.server = server
        self.admin = create_engine(server, isolation_level="AUTOCOMMIT")
        self.made: dict[str, URL] = {}
        self.original = practice_db.database_url
        self.original_engine = practice_db.make_engine
        self.engines: list[Engine] = []

    def make_engine(self, url_or_path: object = None) -> Engine:
        """The package's engine, remembered so its connections are closed after the test."""
        engine = self.original_engine(url_or_path)  # type: ignore[arg-type]
        self.engines.append(engine)
        return engine

    def dispose_engines(self) -> None:
        """Close the pooled connections of every engine made so far (each stays usable)."""
        for engine in self.engines:
            engine.dispose()

    def url(self, url_or_path: object = None) -> URL:
        if isinstance(url_or_path, URL) or (isinstance(url_or_path, str) and "://" in url_or_path):
            return self.original(url_or_path)  # type: ignore[arg-type]
        key = str(Path(url_or_path or practice_db.default_path()).expanduser().resolve())  # type: ignore[arg-type]
        if key not in self.made:
            self._create(key, "")
        return self.made[key]

    def _create(self, key: str, template: str) -> None:
        """A fresh database for ``key`` (an absolute path), copied from ``template`` if given."""
        name = "t_" + hashlib.sha1(key.encode()).hexdigest()[:20]
        copy = f' TEMPLATE "{template}"' if template else ""
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"{copy}'))
        self.made[key] = self.server.set(database=name)

    def copy(self, source: Path, target: Path) -> None:
        """Make ``target``'s database a copy of ``source``'s (PostgreSQL's TEMPLATE)."""
        self._create(str(Path(target).resolve()), self.url(source).database or "")

    def drop_all(self) -> None:
        self.dispose_engines()
        with self.admin.connect() as conn:
            for url in self.made.values():
                conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        self.admin.dispose()


def _copy_file(source: Path, target: Path) -> None:
    target.write_bytes(Path(source).read_bytes())


@pytest.fixture(scope="session")
def copy_practice(_practice_db_backend):
    """``copy(source, target)``: a fresh copy of a practice database (a file, or a
    PostgreSQL database made from the source as a template)."""
    return _practice_db_backend.copy if _practice_db_backend else _copy_file


@pytest.fixture(scope="session", autouse=True)
def _practice_db_backend(request: pytest.FixtureRequest):
    """On the PostgreSQL pass, send every practice database to the PostgreSQL server."""
    if request.config.getoption("--practice-db") != "postgresql":
        yield None
        return
    server = os.environ.get("MEDBILL_TEST_PG_URL")
    if not server:
        pytest.exit("--practice-db=postgresql needs MEDBILL_TEST_PG_URL", returncode=3)
    databases = _PostgresDatabases(make_url(server))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(practice_db, "database_url", databases.url)
        patch.setattr(practice_db, "make_engine", databases.make_engine)
        yield databases
    databases.drop_all()


@pytest.fixture(autouse=True)
def _close_practice_connections(_practice_db_backend):
    """On the PostgreSQL pass, close the connections each test's engines left open."""
    yield
    if _practice_db_backend is not None:
        _practice_db_backend.dispose_engines()
