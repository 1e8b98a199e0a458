# JupyterHub for one MedBill Lab course on one server (plain JupyterHub or TLJH).
#
# Every person has a Unix account; the hub (running as root) starts each one's
# Jupyter server as that account (LocalProcessSpawner).  Settings come from the
# environment of the hub process, so this file is used unchanged in production
# and by tests/test_hub_integration.py:
#
#   MEDBILL_COURSE       course id (default medbill-101)
#   MEDBILL_INSTRUCTORS  instructors' user names, separated by spaces or commas
#   MEDBILL_STUDENTS     students' user names (or MEDBILL_ROSTER: a file, one name a line)
#   MEDBILL_USER_ENV     the Python environment users run, with medbill-lab installed
#                        (default /opt/medbill/env; TLJH: /opt/tljh/user)
#   MEDBILL_EXCHANGE     nbgrader exchange root (default /srv/nbgrader/exchange)
#   MEDBILL_APPS         the app notebooks (default <repo>/notebooks/apps next to deploy/)
#
# See deploy/README.md for the whole set-up.
import os
from pathlib import Path

c = get_config()  # noqa: F821 (provided by JupyterHub when it reads this file)

DEPLOY = Path(__file__).resolve().parent


def _names(value: str) -> list[str]:
    return [n for n in value.replace(",", " ").split() if n]


def _roster() -> list[str]:
    path = os.environ.get("MEDBILL_ROSTER")
    if path:
        return _names(Path(path).read_text(encoding="utf-8"))
    return _names(os.environ.get("MEDBILL_STUDENTS", ""))


COURSE = os.environ.get("MEDBILL_COURSE", "medbill-101")
INSTRUCTORS = _names(os.environ.get("MEDBILL_INSTRUCTORS", "instructor"))
STUDENTS = _roster()
USER_BIN = os.path.join(os.environ.get("MEDBILL_USER_ENV", "/opt/medbill/env"), "bin")
EXCHANGE = os.environ.get("MEDBILL_EXCHANGE", "/srv/nbgrader/exchange")
APPS = os.environ.get("MEDBILL_APPS", str(DEPLOY.parent / "notebooks" / "apps"))

# -- who may log in, and the groups nbgrader reads ---------------------------------
# PAM: people log in with their Unix password (TLJH replaces this with its own).
c.Authenticator.allowed_users = set(INSTRUCTORS + STUDENTS)
c.JupyterHub.load_groups = {
    "instructors": INSTRUCTORS,
    "students": STUDENTS,
    # nbgrader's JupyterHubAuthPlugin: which courses a user sees
    f"formgrade-{COURSE}": INSTRUCTORS,
    f"nbgrader-{COURSE}": STUDENTS,
}

# -- one Jupyter server per user, as that user ---------------------------------------
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 120  # a 2-core server starting 20 users at once is slow
c.Spawner.http_timeout = 120
c.Spawner.environment = {
    # nbgrader runs alembic and jupyter as subprocesses: the user env's bin/ comes first
    "PATH": os.pathsep.join([USER_BIN, "/usr/local/bin", "/usr/bin", "/bin"]),
    "MEDBILL_COURSE": COURSE,
    "MEDBILL_EXCHANGE": EXCHANGE,
    # nbgrader_config.py (exchange, course) and jupyter_server_config.py (the apps)
    "JUPYTER_CONFIG_PATH": str(DEPLOY / "jupyter"),
}
# the JupyterHubAuthPlugin asks the hub for the user's groups with the server's token
c.Spawner.server_token_scopes = [
    "users:activity!user",
    "access:servers!server",
    "read:users:name!user",
    "read:users:groups!user",
]


def _prepare_user(spawner) -> None:
    """Before each start: a private umask for students, and ~/medbill-apps.

    Students get umask 077 (their notebooks are theirs alone); instructors keep
    022 so the feedback files they release stay readable by the student.
    """
    umask = "022" if spawner.user.name in INSTRUCTORS else "077"
    spawner.cmd = [
        "/bin/sh",
        "-c",
        f'umask {umask} && exec "$0" "$@"',
        os.path.join(USER_BIN, "jupyterhub-singleuser"),
    ]
    import pwd

    account = pwd.getpwnam(spawner.user.name)
    link = Path(account.pw_dir) / "medbill-apps"
    if not link.is_symlink() and not link.exists():
        link.symlink_to(APPS)
        os.lchown(link, account.pw_uid, account.pw_gid)


c.Spawner.pre_spawn_hook = _prepare_user

# -- the hub itself --------------------------------------------------------------
c.JupyterHub.cleanup_servers = True
c.JupyterHub.concurrent_spawn_limit = 20  # the rest wait their turn instead of overloading
