"""A real, local JupyterHub for tests and benchmarks: Unix users, the hub, kernels.

:class:`LocalHub` creates Unix accounts (one instructor, N students), a
course exchange prepared by ``medbill_lab.server.hub.prepare_exchange``, a user
environment with MedBill Lab installed as a wheel by ``deploy/install.py``
(which also stages the shared and the instructors' files; nothing users need is
left in the checkout), and starts JupyterHub with ``deploy/jupyterhub_config.py``
(the production file: secrets, TLS and limits from the environment) plus a
small overlay: the dummy authenticator, free ports, state in a temporary
folder, and a service token the test drives the REST API with.  Everything it
made (processes, accounts, folders) is removed by :meth:`LocalHub.close`, which
the ``with`` statement calls even when the body fails.

Needs root (useradd, and the hub starts servers as other users) and
configurable-http-proxy from npm in ``.ci/node`` (``npm install --prefix .ci/node``,
done by ``.ci/run``).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import grp
import json
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import psutil
import requests
from serve_helpers import free_port

from medbill_lab.server.hub import prepare_exchange

ROOT = Path(__file__).resolve().parents[1]
DEPLOY_CONFIG = ROOT / "deploy" / "jupyterhub_config.py"
PROXY = ROOT / ".ci" / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
MARKER = "medbill-hub-test"  # the GECOS field of accounts we made, so stale ones can go
COURSE = "medbill-101"
PASSWORD = "medbill-test-password"  # the dummy authenticator's shared password


def missing_prerequisites() -> list[str]:
    """Why a local hub cannot run here (empty when it can)."""
    problems = []
    if os.geteuid() != 0:
        problems.append("not running as root (useradd, and starting servers as other users)")
    if not PROXY.exists():
        problems.append(f"no {PROXY} (run: npm install --prefix .ci/node)")
    if shutil.which("node") is None:
        problems.append("no node on PATH (configurable-http-proxy needs it)")
    for tool in ("useradd", "userdel", "groupadd", "groupdel", "runuser"):
        if shutil.which(tool) is None:
            problems.append(f"no {tool}")
    return problems


# -- Unix accounts ------------------------------------------------------------------
def _account(name: str) -> pwd.struct_passwd | None:
    try:
        return pwd.getpwnam(name)
    except KeyError:
        return None


def kill_user_processes(uid: int, timeout: float = 10) -> None:
    """Stop every process running as ``uid`` (SIGTERM, then SIGKILL), by pid."""
    procs = [
        p for p in psutil.process_iter(["uids"]) if p.info["uids"] and p.info["uids"].real == uid
    ]
    for p in procs:
        with contextlib.suppress(psutil.Error):
            p.terminate()
    _gone, alive = psutil.wait_procs(procs, timeout=timeout)
    for p in alive:
        with contextlib.suppress(psutil.Error):
            p.kill()
    psutil.wait_procs(alive, timeout=timeout)


def remove_account(name: str) -> None:
    """Delete a test account (with its home) after stopping its processes."""
    account = _account(name)
    if account is None:
        return
    kill_user_processes(account.pw_uid)
    subprocess.run(["userdel", "-r", "-f", name], capture_output=True, timeout=30)


def add_account(name: str, home: Path, groups: Iterable[str] = ()) -> pwd.struct_passwd:
    """A Unix account with a private (0700) home, marked as ours."""
    stale = _account(name)
    if stale is not None:
        if stale.pw_gecos != MARKER:
            raise RuntimeError(f"a real account {name!r} exists; refusing to touch it")
        remove_account(name)
    cmd = ["useradd", "-m", "-d", str(home), "-s", "/bin/bash", "-c", MARKER, name]
    if groups:
        cmd[1:1] = ["-G", ",".join(groups)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=30)
    home.chmod(0o700)
    account = pwd.getpwnam(name)
    return account


def add_group(name: str) -> None:
    try:
        grp.getgrnam(name)
    except KeyError:
        subprocess.run(["groupadd", name], check=True, capture_output=True, timeout=30)


def remove_group(name: str) -> None:
    subprocess.run(["groupdel", name], capture_output=True, timeout=30)


# -- the environment users run -----------------------------------------------------
INSTALL = ROOT / "deploy" / "install.py"
# the project's own editable install: users get the wheel instead
EDITABLE = ("__editable__", "medbill_lab")


def runs_as(
    user: str, python: Path, env: dict[str, str] | None = None, code: str = "pass"
) -> str | None:
    """None when ``user`` can run ``code`` with ``python``; else what went wrong."""
    probe = ["runuser", "-u", user, "--", "env", *[f"{k}={v}" for k, v in (env or {}).items()]]
    probe += [str(python), "-c", code]
    result = subprocess.run(probe, capture_output=True, text=True, timeout=60, cwd="/")
    return (
        None if result.returncode == 0 else (result.stderr.strip().splitlines() or ["failed"])[-1]
    )


def _link_tree(src: Path, dest: Path, skip: Iterable[str] = ()) -> None:
    """Copy a tree as hard links (instant, no space) or, across file systems, as copies.

    Names starting with any of ``skip`` are left out at the top level.
    """

    def link(s: str, d: str) -> None:
        try:
            os.link(s, d)
        except OSError:
            shutil.copy2(s, d)

    prefixes = tuple(skip)
    shutil.copytree(
        src,
        dest,
        copy_function=link,
        symlinks=True,
        dirs_exist_ok=True,
        ignore=lambda d, names: (
            [n for n in names if prefixes and n.startswith(prefixes)] if d == str(src) else []
        ),
    )


def _portable_python(base: Path) -> Path:
    """This interpreter's installation, re-homed where every user can reach it.

    For an interpreter under an unreadable folder (pyenv in /root, mode 0700):
    the same build, hard-linked, minus site-packages.  Returns its ``python``.
    """
    real = Path(sys.base_prefix)
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    dest = base / "python"
    (dest / "bin").mkdir(parents=True)
    _link_tree(real / "lib" / version, dest / "lib" / version, skip={"site-packages", "test"})
    for lib in (real / "lib").glob("libpython*"):
        shutil.copy2(lib, dest / "lib" / lib.name, follow_symlinks=False)
    exe = Path(os.path.realpath(Path(sys.base_prefix) / "bin" / version))
    shutil.copy2(exe, dest / "bin" / version)
    return dest / "bin" / version


def user_env(base: Path, probe_user: str, group: str) -> tuple[Path, dict[str, str]]:
    """The deployment's user environment, made as deploy/README.md says, outside the checkout.

    A venv every account can run, holding the project's dependencies (hard links
    to the project's ``.venv``, nothing downloaded) and MedBill Lab installed as a
    wheel by ``deploy/install.py``, which also stages ``base/share`` (readable by
    all) and ``base/instructors`` (``group`` only).  Nothing users need lies in the
    checkout, so this works from a clone in a 0700 folder.  Returns the venv and
    the variables it needs.  The interpreter is this one's base Python when users
    can run it, else the same build hard-linked to ``base`` (pyenv under /root);
    the OS's Python of the same minor version is not a safe stand-in: 3.11.2's
    regular expressions break soupsieve, which nbgrader's feedback uses.
    """
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    python = Path(os.path.realpath(Path(sys.base_prefix) / "bin" / version))
    variables: dict[str, str] = {}
    if runs_as(probe_user, python) is not None:
        python = _portable_python(base)
        variables["LD_LIBRARY_PATH"] = str(python.parent.parent / "lib")  # a shared-library build
    venv = Path(sys.prefix)
    env = base / "userenv"
    run_env = {**os.environ, **variables}
    subprocess.run(
        [str(python), "-m", "venv", "--without-pip", str(env)], check=True, timeout=120, env=run_env
    )
    _link_tree(
        venv / "lib" / version / "site-packages",
        env / "lib" / version / "site-packages",
        skip=EDITABLE,
    )
    for sub in ("etc", "share"):  # jupyter's config and data (server extensions, templates)
        if (venv / sub).is_dir():
            _link_tree(venv / sub, env / sub)
    old = f"#!{venv}/bin/python"
    for script in sorted((venv / "bin").iterdir()):
        dest = env / "bin" / script.name
        if dest.exists() or script.is_symlink() or not script.is_file():
            continue
        with contextlib.suppress(UnicodeDecodeError):
            first, _, rest = script.read_text().partition("\n")
            if first.startswith(old):
                dest.write_text(f"#!{env}/bin/python{first[len(old) :]}\n{rest}")
                dest.chmod(0o755)
    result = subprocess.run(
        [
            str(env / "bin" / "python"),
            str(INSTALL),
            "--python",
            str(env / "bin" / "python"),
            "--share",
            str(base / "share"),
            "--instructor-files",
            str(base / "instructors"),
            "--group",
            group,
            "--no-deps",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env=run_env,
        cwd="/",
    )
    if result.returncode != 0:
        raise RuntimeError(f"deploy/install.py failed:\n{result.stdout}\n{result.stderr}")
    problem = runs_as(
        probe_user,
        env / "bin" / "python",
        variables,
        "import medbill_lab, nbgrader, jupyterhub.singleuser",
    )
    if problem:
        raise RuntimeError(f"the user environment {env} does not work for {probe_user}: {problem}")
    return env, variables


def self_signed_certificate(folder: Path, host: str = "127.0.0.1") -> tuple[Path, Path]:
    """A certificate for ``host`` (an IP address) and its key, as PEM files in ``folder``."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(host))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "hub.crt", folder / "hub.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    return cert_path, key_path


# -- the hub -----------------------------------------------------------------------
OVERLAY = """\
# Test overlay: the production config (secrets, TLS, limits and paths from the
# environment), then local-only settings.
load_subconfig({deploy!r})
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {password!r}
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api_port}"
c.ConfigurableHTTPProxy.command = [{proxy!r}]
c.ConfigurableHTTPProxy.pid_file = {proxy_pid!r}
c.JupyterHub.db_url = "sqlite:///" + {db!r}
c.JupyterHub.pid_file = {hub_pid!r}
c.JupyterHub.services.append({{"name": "medbill-test", "api_token": {token!r}}})
c.JupyterHub.load_roles.append({{
    "name": "medbill-test",
    "scopes": ["admin:users", "admin:servers", "tokens", "list:groups", "read:groups"],
    "services": ["medbill-test"],
}})
c.JupyterHub.concurrent_spawn_limit = {spawn_limit}
"""


class LocalHub:
    """One instructor, some students, an exchange and a running JupyterHub.

    Use as a context manager; :meth:`close` removes everything it made.
    """

    def __init__(
        self,
        students: list[str],
        instructor: str = "mbl-instructor",
        prefix: str = "mbl",
        tls: bool = False,
        max_kernels: int = 6,
    ):
        """``tls``: the hub serves HTTPS with a fresh self-signed certificate; otherwise
        it listens on 127.0.0.1 only, as it does behind a TLS proxy."""
        self.instructor = instructor
        self.students = list(students)
        self.graders = f"{prefix}-graders"
        self.base = Path(tempfile.mkdtemp(prefix="medbill-hub-"))
        self.base.chmod(0o755)  # users reach the exchange and the user env through it
        self.exchange = self.base / "exchange"
        self.token = secrets.token_hex(32)
        self.port = free_port()
        self.tls = tls
        self.max_kernels = max_kernels
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self.ca: Path | None = None  # the certificate clients trust, with TLS
        self.share = self.base / "share"
        self.instructor_files = self.base / "instructors"
        self.proc: subprocess.Popen | None = None
        self.env_dir: Path | None = None
        self.env_vars: dict[str, str] = {}
        self.log_path = self.base / "hub" / "jupyterhub.log"
        self._accounts: list[str] = []
        self._user_tokens: dict[str, str] = {}

    # setting up
    def __enter__(self) -> LocalHub:
        try:
            self.setup()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def users(self) -> list[str]:
        return [self.instructor, *self.students]

    def home(self, user: str) -> Path:
        return self.base / "home" / user

    def setup(self, timeout: float = 60) -> None:
        (self.base / "home").mkdir()
        (self.base / "home").chmod(0o755)
        add_group(self.graders)
        for user in self.users:
            self._accounts.append(user)
            groups = [self.graders] if user == self.instructor else []
            add_account(user, self.home(user), groups)
        prepare_exchange(self.exchange, COURSE, self.instructor, self.graders)
        self.env_dir, self.env_vars = user_env(
            self.base, self.students[0] if self.students else self.instructor, self.graders
        )
        self.start_hub(timeout)

    def start_hub(self, timeout: float = 60, spawn_limit: int = 20) -> None:
        # the public port is picked now, not in __init__: staging the user
        # environment takes a minute, long enough for another process to take it
        self.port = free_port()
        self.url = f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"
        hub_dir = self.base / "hub"
        hub_dir.mkdir(exist_ok=True)
        hub_dir.chmod(0o700)
        overlay = hub_dir / "jupyterhub_config.py"
        overlay.write_text(
            OVERLAY.format(
                deploy=str(DEPLOY_CONFIG),
                password=PASSWORD,
                port=self.port,
                hub_port=free_port(),
                proxy_api_port=free_port(),
                proxy=str(PROXY),
                proxy_pid=str(hub_dir / "proxy.pid"),
                db=str(hub_dir / "jupyterhub.sqlite"),
                hub_pid=str(hub_dir / "hub.pid"),
                token=self.token,
                spawn_limit=spawn_limit,
            )
        )
        venv_bin = str(Path(sys.executable).parent)
        env = {
            "PATH": os.pathsep.join(
                [
                    venv_bin,
                    str(Path(shutil.which("node") or "/usr/bin/node").parent),
                    "/usr/bin",
                    "/bin",
                ]
            ),
            "HOME": str(hub_dir),
            "LANG": os.environ.get("LANG", "C.UTF-8"),
            "MEDBILL_COURSE": COURSE,
            "MEDBILL_INSTRUCTORS": self.instructor,
            "MEDBILL_STUDENTS": " ".join(self.students),
            "MEDBILL_USER_ENV": str(self.env_dir),
            "MEDBILL_EXCHANGE": str(self.exchange),
            "MEDBILL_SHARE": str(self.share),
            "MEDBILL_INSTRUCTOR_FILES": str(self.instructor_files),
            "MEDBILL_SPAWNER": "localprocess",  # no systemd here: no memory or CPU limit
            "MEDBILL_MAX_KERNELS": str(self.max_kernels),
            # secrets as production passes them: the environment, fresh each run
            "JPY_COOKIE_SECRET": secrets.token_hex(32),
            "CONFIGPROXY_AUTH_TOKEN": secrets.token_hex(32),
            "MEDBILL_IP": "127.0.0.1",
            "MEDBILL_PORT": str(self.port),
            **self.env_vars,  # kept for the servers by the spawner's env_keep
        }
        if self.tls:
            cert, key = self_signed_certificate(hub_dir)
            env["MEDBILL_TLS_CERT"], env["MEDBILL_TLS_KEY"] = str(cert), str(key)
            self.ca = cert
        log = self.log_path.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(overlay)],
            cwd=hub_dir,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"jupyterhub exited with {self.proc.returncode}:\n{self.log_tail()}"
                )
            with contextlib.suppress(requests.RequestException):
                if self.api("GET", "/", timeout=2).ok:
                    return
            time.sleep(0.3)
        raise TimeoutError(f"jupyterhub did not answer in {timeout} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    # the REST API
    def api(self, method: str, path: str, timeout: float = 30, **kwargs: Any) -> requests.Response:
        """A request to the hub's REST API with the test service's token."""
        headers = {"Authorization": f"token {self.token}"}
        kwargs.setdefault("verify", self.verify)
        return requests.request(
            method, f"{self.url}/hub/api{path}", headers=headers, timeout=timeout, **kwargs
        )

    @property
    def verify(self) -> str | bool:
        """What ``requests`` checks the hub's certificate against."""
        return str(self.ca) if self.ca else True

    def user_token(self, user: str) -> str:
        """An API token of ``user`` (made through the hub API, cached)."""
        if user not in self._user_tokens:
            r = self.api(
                "POST", f"/users/{user}/tokens", json={"note": "medbill test", "expires_in": 3600}
            )
            r.raise_for_status()
            self._user_tokens[user] = r.json()["token"]
        return self._user_tokens[user]

    def request_start(self, user: str) -> None:
        r = self.api("POST", f"/users/{user}/server")
        if r.status_code not in (201, 202):
            raise RuntimeError(f"cannot start {user}'s server: {r.status_code} {r.text}")

    def wait_ready(self, user: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            info = self.api("GET", f"/users/{user}").json()
            server = info.get("servers", {}).get("")
            if server and server.get("ready"):
                return
            if not info.get("pending") and not server:
                raise RuntimeError(f"{user}'s server failed to start:\n{self.log_tail()}")
            time.sleep(0.3)
        raise TimeoutError(f"{user}'s server was not ready in {timeout} s:\n{self.log_tail()}")

    def start_servers(self, users: Iterable[str], timeout: float = 180) -> None:
        users = list(users)
        for user in users:
            self.request_start(user)
        deadline = time.monotonic() + timeout
        for user in users:
            self.wait_ready(user, max(1.0, deadline - time.monotonic()))

    def stop_server(self, user: str, timeout: float = 60) -> None:
        self.api("DELETE", f"/users/{user}/server")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            info = self.api("GET", f"/users/{user}").json()
            if not info.get("servers") and not info.get("pending"):
                return
            time.sleep(0.3)
        raise TimeoutError(f"{user}'s server did not stop in {timeout} s")

    def server_pid(self, user: str) -> int:
        """The pid of ``user``'s single-user server (a process running as that user)."""
        uid = pwd.getpwnam(user).pw_uid
        for p in psutil.process_iter(["uids", "cmdline"]):
            if (
                p.info["uids"]
                and p.info["uids"].real == uid
                and any("jupyterhub-singleuser" in a for a in p.info["cmdline"] or [])
            ):
                return p.pid
        raise LookupError(f"no server process for {user}")

    # as a user
    def user_api(
        self, user: str, method: str, path: str, timeout: float = 60, **kwargs: Any
    ) -> requests.Response:
        """A request to ``user``'s own Jupyter server, with ``user``'s token."""
        headers = {"Authorization": f"token {self.user_token(user)}", **kwargs.pop("headers", {})}
        kwargs.setdefault("verify", self.verify)
        return requests.request(
            method, f"{self.url}/user/{user}{path}", headers=headers, timeout=timeout, **kwargs
        )

    def kernel(self, user: str) -> Kernel:
        """A new Python kernel in ``user``'s server (through the hub's proxy)."""
        r = self.user_api(user, "POST", "/api/kernels", json={"name": "python3"})
        r.raise_for_status()
        return Kernel(self, user, r.json()["id"])

    # tearing down
    def close(self) -> None:
        """Stop the hub, the proxy and every server; delete the accounts and folders."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # the hub stops the servers it started
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self._stop_proxy()
        for user in self._accounts:
            remove_account(user)
        remove_group(self.graders)
        shutil.rmtree(self.base, ignore_errors=True)

    def _stop_proxy(self) -> None:
        pid_file = self.base / "hub" / "proxy.pid"
        with contextlib.suppress(OSError, ValueError, psutil.Error):
            proc = psutil.Process(int(pid_file.read_text().strip()))
            if any("configurable-http-proxy" in a for a in proc.cmdline()):
                proc.terminate()
                proc.wait(timeout=10)


class Kernel:
    """A kernel in a user's server, run over the Jupyter websocket protocol."""

    def __init__(self, hub: LocalHub, user: str, kernel_id: str):
        self.hub, self.user, self.id = hub, user, kernel_id
        self.session = uuid.uuid4().hex

    def execute(self, code: str, timeout: float = 120) -> str:
        """Run ``code``; return its stdout, or raise RuntimeError with the error."""
        return asyncio.run(asyncio.wait_for(self._execute(code), timeout))

    async def _execute(self, code: str) -> str:
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        scheme = "wss" if self.hub.tls else "ws"
        url = (
            f"{scheme}://127.0.0.1:{self.hub.port}/user/{self.user}/api/kernels/{self.id}/channels"
            f"?session_id={self.session}"
        )
        headers = {"Authorization": f"token {self.hub.user_token(self.user)}"}
        ca = {"ca_certs": str(self.hub.ca)} if self.hub.ca else {}
        conn = await websocket_connect(HTTPRequest(url, headers=headers, **ca))
        msg_id = uuid.uuid4().hex
        header = {
            "msg_id": msg_id,
            "username": self.user,
            "session": self.session,
            "msg_type": "execute_request",
            "version": "5.3",
            "date": dt.datetime.now(dt.UTC).isoformat(),
        }
        content = {
            "code": code,
            "silent": False,
            "store_history": False,
            "user_expressions": {},
            "allow_stdin": False,
            "stop_on_error": True,
        }
        await conn.write_message(
            json.dumps(
                {
                    "header": header,
                    "parent_header": {},
                    "metadata": {},
                    "content": content,
                    "channel": "shell",
                    "buffers": [],
                }
            )
        )
        out: list[str] = []
        error = None
        replied = idle = False
        try:
            while not (replied and idle):
                raw = await conn.read_message()
                if raw is None:
                    raise ConnectionError(f"{self.user}'s kernel connection closed")
                msg = json.loads(raw)
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind = msg["msg_type"]
                if kind == "stream":
                    out.append(msg["content"]["text"])
                elif kind == "error":
                    error = f"{msg['content']['ename']}: {msg['content']['evalue']}"
                elif kind == "execute_reply":
                    replied = True
                elif kind == "status" and msg["content"]["execution_state"] == "idle":
                    idle = True
        finally:
            conn.close()
            # read on until the server's close frame: tornado then closes the socket;
            # asyncio.run ending first would leave it to the garbage collector (a ResourceWarning)
            with contextlib.suppress(Exception):
                while await asyncio.wait_for(conn.read_message(), 10) is not None:
                    pass
        if error:
            raise RuntimeError(f"in {self.user}'s kernel: {error}\n{''.join(out)}")
        return "".join(out)

    def run(
        self, cmd: list[str], cwd: str = "~", timeout: float = 120
    ) -> subprocess.CompletedProcess:
        """Run a command as the user, from their kernel (like a cell with ``!cmd``)."""
        code = (
            "import json, os, subprocess\n"
            f"_r = subprocess.run({cmd!r}, cwd=os.path.expanduser({cwd!r}), capture_output=True, text=True, timeout={timeout})\n"
            "print('\\n@@' + json.dumps([_r.returncode, _r.stdout[-6000:], _r.stderr[-6000:]]))\n"
        )
        out = self.execute(code, timeout=timeout + 30)
        code_, stdout, stderr = json.loads(out.rsplit("\n@@", 1)[1])
        return subprocess.CompletedProcess(cmd, code_, stdout, stderr)

    def shutdown(self) -> None:
        with contextlib.suppress(requests.RequestException):
            self.hub.user_api(self.user, "DELETE", f"/api/kernels/{self.id}", timeout=20)
