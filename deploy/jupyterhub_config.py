# JupyterHub for one MedBill Lab course on one server (plain JupyterHub).
#
# Every person has a Unix account; the hub (running as root) starts each one's
# Jupyter server as that account.  Settings come from the environment of the
# hub process (a root-only EnvironmentFile in production), so this file is used
# unchanged in production and by tests/e2e/test_hub_integration.py.  A missing or
# unsafe setting stops the hub with one line naming the variable.
#
# Secrets (required, never committed; `openssl rand -hex 32` for each):
#   JPY_COOKIE_SECRET       signs the login cookies (64 hex characters)
#   CONFIGPROXY_AUTH_TOKEN  the hub's key to its proxy (at least 32 characters)
# Where it listens (TLS by default):
#   MEDBILL_TLS_CERT, MEDBILL_TLS_KEY  the hub serves HTTPS itself (PEM files)
#   without them it listens on 127.0.0.1 only, for a TLS proxy on this machine
#   (Caddy or nginx); MEDBILL_IP other than loopback without a certificate also
#   needs MEDBILL_ALLOW_PLAIN_HTTP=1 (passwords then cross the network in clear)
#   MEDBILL_IP (default 127.0.0.1, or all interfaces with a certificate),
#   MEDBILL_PORT (default 443 with a certificate, else 8000)
# Limits:
#   MEDBILL_SPAWNER      systemd (default: jupyterhub-systemdspawner, enforces the
#                        memory and CPU limits) or localprocess (enforces neither)
#   MEDBILL_MEM_LIMIT    per user, default 2G;  MEDBILL_CPU_LIMIT  cores, default 1
#   MEDBILL_MAX_KERNELS  kernels per user's server, default 6 (any spawner)
#   MEDBILL_CULL_TIMEOUT seconds before an idle server is stopped, default 3600
# The course:
#   MEDBILL_COURSE       course id (default medbill-101)
#   MEDBILL_INSTRUCTORS  instructors' user names, separated by spaces or commas (required)
#   MEDBILL_STUDENTS     students' user names (or MEDBILL_ROSTER: a file, one name a line)
#   MEDBILL_USER_ENV     the Python environment users run, with medbill-lab installed
#                        as a package (default /opt/medbill/env; deploy/install.py)
#   MEDBILL_SHARE        what every user may read: datasets, apps, lessons, Jupyter
#                        config (default /opt/medbill/share; deploy/install.py)
#   MEDBILL_INSTRUCTOR_FILES  instructors only: exercises/ (default /opt/medbill/instructors)
#   MEDBILL_EXCHANGE     nbgrader exchange root (default /srv/nbgrader/exchange)
#
# See deploy/README.md ("Security model") for who can read what.
import importlib.util
import ipaddress
import logging
import os
import pwd
import re
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (provided by JupyterHub when it reads this file)

log = logging.getLogger("medbill.hub")


def _fail(message: str) -> None:
    """Stop the hub with one line on stderr (SystemExit is not caught by traitlets)."""
    raise SystemExit(f"error: {message} (see deploy/README.md)")


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def _names(value: str) -> list[str]:
    return [n for n in value.replace(",", " ").split() if n]


def _roster() -> list[str]:
    path = _env("MEDBILL_ROSTER")
    if path:
        try:
            return _names(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            _fail(f"MEDBILL_ROSTER={path} cannot be read: {exc.strerror}")
    return _names(_env("MEDBILL_STUDENTS"))


def _secret(name: str, pattern: str, what: str) -> str:
    value = _env(name)
    if not value:
        _fail(f"{name} is not set: put {what} in the hub's environment")
    if not re.fullmatch(pattern, value):
        _fail(f"{name} is not {what}")
    return value


def _number(name: str, default: str, kind: type = float) -> float:
    raw = _env(name, default)
    try:
        value = kind(raw)
    except ValueError:
        value = -1
    if value <= 0:
        _fail(f"{name}={raw!r} is not a positive number")
    return value


def _is_loopback(ip: str) -> bool:
    if ip == "localhost":
        return True
    try:
        return ipaddress.ip_address(ip).is_loopback
    except ValueError:
        return False  # "" (all interfaces) or a host name


# -- secrets: from the environment, never a default ---------------------------------
c.JupyterHub.cookie_secret = bytes.fromhex(
    _secret("JPY_COOKIE_SECRET", r"[0-9a-fA-F]{64,}", "64 hex characters (openssl rand -hex 32)")
)
c.ConfigurableHTTPProxy.auth_token = _secret(
    "CONFIGPROXY_AUTH_TOKEN",
    r"[0-9A-Za-z_\-]{32,}",
    "at least 32 letters or digits (openssl rand -hex 32)",
)

# -- where it listens: HTTPS, or loopback behind a TLS proxy ------------------------
TLS_CERT, TLS_KEY = _env("MEDBILL_TLS_CERT"), _env("MEDBILL_TLS_KEY")
if bool(TLS_CERT) != bool(TLS_KEY):
    _fail("set both MEDBILL_TLS_CERT and MEDBILL_TLS_KEY, or neither")
if TLS_CERT:
    for name, path in (("MEDBILL_TLS_CERT", TLS_CERT), ("MEDBILL_TLS_KEY", TLS_KEY)):
        if not Path(path).is_file():
            _fail(f"{name}={path} is not a file")
    c.JupyterHub.ssl_cert, c.JupyterHub.ssl_key = TLS_CERT, TLS_KEY
    IP, PORT = _env("MEDBILL_IP"), int(_number("MEDBILL_PORT", "443", int))
    SCHEME = "https"
else:
    IP, PORT = _env("MEDBILL_IP", "127.0.0.1"), int(_number("MEDBILL_PORT", "8000", int))
    SCHEME = "http"
    if not _is_loopback(IP) and _env("MEDBILL_ALLOW_PLAIN_HTTP") != "1":
        _fail(
            f"MEDBILL_IP={IP or '(all interfaces)'} without a certificate would send passwords "
            "in clear text: set MEDBILL_TLS_CERT and MEDBILL_TLS_KEY, or keep the hub on "
            "127.0.0.1 behind a TLS proxy, or set MEDBILL_ALLOW_PLAIN_HTTP=1"
        )
    if not _is_loopback(IP):
        log.warning("MEDBILL_ALLOW_PLAIN_HTTP=1: passwords cross the network in clear text")
host = f"[{IP}]" if ":" in IP else IP
c.JupyterHub.bind_url = f"{SCHEME}://{host}:{PORT}"
c.JupyterHub.hub_ip = "127.0.0.1"  # the hub's own API: this machine only

# -- the course ---------------------------------------------------------------------
COURSE = _env("MEDBILL_COURSE", "medbill-101")
INSTRUCTORS = _names(_env("MEDBILL_INSTRUCTORS"))
if not INSTRUCTORS:
    _fail("MEDBILL_INSTRUCTORS is not set: name at least one instructor's account")
STUDENTS = _roster()
USER_BIN = os.path.join(_env("MEDBILL_USER_ENV", "/opt/medbill/env"), "bin")
SHARE = Path(_env("MEDBILL_SHARE", "/opt/medbill/share"))
INSTRUCTOR_FILES = Path(_env("MEDBILL_INSTRUCTOR_FILES", "/opt/medbill/instructors"))
EXCHANGE = _env("MEDBILL_EXCHANGE", "/srv/nbgrader/exchange")
for staged in (SHARE / "datasets", SHARE / "notebooks" / "apps", SHARE / "jupyter"):
    if not staged.is_dir():
        _fail(f"{staged} is missing: run deploy/install.py (MEDBILL_SHARE={SHARE})")
APPS, LESSONS = SHARE / "notebooks" / "apps", SHARE / "notebooks"

# -- who may log in, and the groups nbgrader reads ---------------------------------
# PAM: people log in with their Unix password.
c.Authenticator.allowed_users = set(INSTRUCTORS + STUDENTS)
c.JupyterHub.load_groups = {
    "instructors": INSTRUCTORS,
    "students": STUDENTS,
    # nbgrader's JupyterHubAuthPlugin: which courses a user sees
    f"formgrade-{COURSE}": INSTRUCTORS,
    f"nbgrader-{COURSE}": STUDENTS,
}

# -- one Jupyter server per user, as that user, within limits -----------------------
SPAWNER = _env("MEDBILL_SPAWNER", "systemd")
if SPAWNER == "systemd":
    # a transient systemd unit per user: MemoryMax and CPUQuota are enforced
    c.JupyterHub.spawner_class = "systemdspawner.SystemdSpawner"
    c.SystemdSpawner.isolate_tmp = True  # a private /tmp per user
    c.SystemdSpawner.disable_user_sudo = True
elif SPAWNER == "localprocess":
    # enforces no memory or CPU limit (the values are only shown to the server);
    # the kernel cap below still holds
    c.JupyterHub.spawner_class = "localprocess"
    log.warning("MEDBILL_SPAWNER=localprocess: per-user memory and CPU limits are not enforced")
else:
    _fail(f"MEDBILL_SPAWNER={SPAWNER!r} is not 'systemd' or 'localprocess'")
MEM_LIMIT = _env("MEDBILL_MEM_LIMIT", "2G")
if not re.fullmatch(r"[1-9][0-9]*[KMGT]?", MEM_LIMIT):
    _fail(f"MEDBILL_MEM_LIMIT={MEM_LIMIT!r} is not a size such as 2G or 1536M")
c.Spawner.mem_limit = MEM_LIMIT
c.Spawner.cpu_limit = _number("MEDBILL_CPU_LIMIT", "1")
MAX_KERNELS = int(_number("MEDBILL_MAX_KERNELS", "6", int))
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 120  # a 2-core server starting 20 users at once is slow
c.Spawner.http_timeout = 120
USER_ENVIRONMENT = {
    # nbgrader runs alembic and jupyter as subprocesses: the user env's bin/ comes first
    "PATH": os.pathsep.join([USER_BIN, "/usr/local/bin", "/usr/bin", "/bin"]),
    "MEDBILL_COURSE": COURSE,
    "MEDBILL_EXCHANGE": EXCHANGE,
    # the lab is installed as a package: its code sets come from the staged copy
    "MEDBILL_LAB_DATASETS": str(SHARE / "datasets"),
    "MEDBILL_MAX_KERNELS": str(MAX_KERNELS),
    # nbgrader_config.py (exchange, course) and jupyter_server_config.py (the apps)
    "JUPYTER_CONFIG_PATH": str(SHARE / "jupyter"),
}
c.Spawner.environment = dict(USER_ENVIRONMENT)
# the JupyterHubAuthPlugin asks the hub for the user's groups with the server's token
c.Spawner.server_token_scopes = [
    "users:activity!user",
    "access:servers!server",
    "read:users:name!user",
    "read:users:groups!user",
]


def _link(home: Path, name: str, target: Path, account: pwd.struct_passwd) -> None:
    link = home / name
    if not link.is_symlink() and not link.exists():
        link.symlink_to(target)
        os.lchown(link, account.pw_uid, account.pw_gid)


def _prepare_user(spawner) -> None:
    """Before each start: umask, instructors' files, and links to the apps and lessons.

    Students get umask 077 (their notebooks are theirs alone); instructors keep
    022 so the feedback files they release stay readable by the student.  Only
    instructors' servers are told where exercises/ is (its folder is readable by
    the instructors' group only).
    """
    instructor = spawner.user.name in INSTRUCTORS
    umask = "022" if instructor else "077"
    spawner.cmd = [
        "/bin/sh",
        "-c",
        f'umask {umask} && exec "$0" "$@"',
        os.path.join(USER_BIN, "jupyterhub-singleuser"),
    ]
    env = dict(USER_ENVIRONMENT)
    if instructor:
        env["MEDBILL_LAB_EXERCISES"] = str(INSTRUCTOR_FILES / "exercises")
    spawner.environment = env
    account = pwd.getpwnam(spawner.user.name)
    home = Path(account.pw_dir)
    _link(home, "medbill-apps", APPS, account)
    _link(home, "medbill-lessons", LESSONS, account)


c.Spawner.pre_spawn_hook = _prepare_user

# -- the hub itself --------------------------------------------------------------
c.JupyterHub.cleanup_servers = True
c.JupyterHub.concurrent_spawn_limit = 20  # the rest wait their turn instead of overloading

# idle servers are stopped, so absent students cost nothing (kernels inside a
# server are culled after 30 minutes by jupyter_server_config.py)
if importlib.util.find_spec("jupyterhub_idle_culler") is None:
    _fail("jupyterhub-idle-culler is not installed in the hub's environment (pip install it)")
CULL_TIMEOUT = int(_number("MEDBILL_CULL_TIMEOUT", "3600", int))
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={CULL_TIMEOUT}",
            f"--cull-every={max(60, CULL_TIMEOUT // 10)}",
        ],
    }
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]
