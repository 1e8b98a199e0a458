"""The deployment's own rules, without a running hub (tests/e2e/test_hub_integration.py runs one).

- ``deploy/jupyterhub_config.py`` refuses to start without its secrets, with one
  line naming the variable; with them it listens with TLS (or on loopback for a
  TLS proxy), sets per-user limits and runs the idle culler.
- ``deploy/k8s/values.yaml`` holds no secret and no demo login; its extraConfig
  stops the hub when a secret is missing.
- The image's build context (``.dockerignore``) leaves ``exercises/`` out.
- ``deploy/install.py`` stages the shared files world-readable and exercises/
  for the instructors' group only.
- ``CappedKernelManager`` caps one server's kernels.
"""

from __future__ import annotations

import asyncio
import fnmatch
import grp
import os
import re
import runpy
import stat
import subprocess
import sys
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from tornado import web
from traitlets.config import Config

from medbill_lab.server.hub import CappedKernelManager

ROOT = Path(__file__).resolve().parents[2]
HUB_CONFIG = ROOT / "deploy" / "jupyterhub_config.py"
VALUES = ROOT / "deploy" / "k8s" / "values.yaml"
DOCKERFILE = ROOT / "deploy" / "k8s" / "Dockerfile"
INSTALL = ROOT / "deploy" / "install.py"
SECRETS = {"JPY_COOKIE_SECRET": "ab" * 32, "CONFIGPROXY_AUTH_TOKEN": "cd" * 32}


@pytest.fixture
def share(tmp_path: Path) -> Path:
    """A staged share folder as deploy/install.py leaves it (only the parts the config checks)."""
    for sub in ("datasets", "notebooks/apps", "jupyter"):
        (tmp_path / "share" / sub).mkdir(parents=True)
    return tmp_path / "share"


def hub_env(share: Path, **extra: str) -> dict[str, str]:
    """The hub's environment: secrets, an instructor, the staged share, plus ``extra``."""
    env = {
        **SECRETS,
        "MEDBILL_INSTRUCTORS": "prof",
        "MEDBILL_STUDENTS": "s1 s2",
        "MEDBILL_SHARE": str(share),
        **extra,
    }
    return {k: v for k, v in env.items() if v is not None}


def load_hub_config(monkeypatch, env: dict[str, str]) -> tuple[Config, dict]:
    """Execute jupyterhub_config.py as JupyterHub does, with exactly ``env`` (MEDBILL_* and secrets)."""
    for name in list(os.environ):
        if name.startswith(("MEDBILL_", "JPY_", "CONFIGPROXY_")):
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    config = Config()
    namespace = runpy.run_path(str(HUB_CONFIG), init_globals={"get_config": lambda: config})
    return config, namespace


def config_error(monkeypatch, env: dict[str, str]) -> str:
    with pytest.raises(SystemExit) as exc:
        load_hub_config(monkeypatch, env)
    message = str(exc.value.code)
    assert "\n" not in message and message.startswith("error: "), message
    return message


# -- secrets --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "missing", ["JPY_COOKIE_SECRET", "CONFIGPROXY_AUTH_TOKEN", "MEDBILL_INSTRUCTORS"]
)
def test_hub_refuses_to_start_without_a_setting(monkeypatch, share, missing):
    env = hub_env(share)
    del env[missing]
    message = config_error(monkeypatch, env)
    assert f"{missing} is not set" in message


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("JPY_COOKIE_SECRET", "change-me"),
        ("JPY_COOKIE_SECRET", "ab" * 31),  # 31 bytes: one short
        ("JPY_COOKIE_SECRET", "zz" * 32),  # not hex
        ("CONFIGPROXY_AUTH_TOKEN", "CHANGE-ME"),
        ("CONFIGPROXY_AUTH_TOKEN", "x" * 31),
    ],
)
def test_hub_refuses_a_placeholder_or_short_secret(monkeypatch, share, name, value):
    message = config_error(monkeypatch, hub_env(share, **{name: value}))
    assert message.startswith(f"error: {name} is not ")


def test_secrets_reach_the_hub_and_the_proxy(monkeypatch, share):
    config, _ = load_hub_config(monkeypatch, hub_env(share))
    assert config.JupyterHub.cookie_secret == bytes.fromhex(SECRETS["JPY_COOKIE_SECRET"])
    assert config.ConfigurableHTTPProxy.auth_token == SECRETS["CONFIGPROXY_AUTH_TOKEN"]


def test_real_jupyterhub_stops_with_one_line(tmp_path):
    # the same check through JupyterHub itself: one line on stderr, exit status 1
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    result = subprocess.run(
        [sys.executable, "-m", "jupyterhub", "-f", str(HUB_CONFIG)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "error: JPY_COOKIE_SECRET is not set: put 64 hex characters (openssl rand -hex 32) "
        "in the hub's environment (see deploy/README.md)"
    ]
    assert not list(tmp_path.glob("jupyterhub*")), "the hub wrote state before refusing"


# -- TLS ----------------------------------------------------------------------------
def test_without_a_certificate_the_hub_listens_on_loopback_only(monkeypatch, share):
    config, _ = load_hub_config(monkeypatch, hub_env(share))
    assert config.JupyterHub.bind_url == "http://127.0.0.1:8000"
    assert config.JupyterHub.hub_ip == "127.0.0.1"
    assert "ssl_cert" not in config.JupyterHub


def test_with_a_certificate_the_hub_serves_https(monkeypatch, share, tmp_path):
    cert, key = tmp_path / "hub.crt", tmp_path / "hub.key"
    cert.write_text("cert"), key.write_text("key")
    env = hub_env(share, MEDBILL_TLS_CERT=str(cert), MEDBILL_TLS_KEY=str(key))
    config, _ = load_hub_config(monkeypatch, env)
    assert config.JupyterHub.bind_url == "https://:443"
    assert (config.JupyterHub.ssl_cert, config.JupyterHub.ssl_key) == (str(cert), str(key))
    env["MEDBILL_IP"], env["MEDBILL_PORT"] = "127.0.0.1", "8443"
    config, _ = load_hub_config(monkeypatch, env)
    assert config.JupyterHub.bind_url == "https://127.0.0.1:8443"


@pytest.mark.parametrize("ip", ["0.0.0.0", "", "192.0.2.10", "::", "hub.example.org"])
def test_plain_http_on_a_network_interface_needs_the_opt_out(monkeypatch, share, ip):
    message = config_error(monkeypatch, hub_env(share, MEDBILL_IP=ip))
    assert "MEDBILL_ALLOW_PLAIN_HTTP=1" in message and "clear text" in message
    config, _ = load_hub_config(
        monkeypatch, hub_env(share, MEDBILL_IP=ip, MEDBILL_ALLOW_PLAIN_HTTP="1")
    )
    host = f"[{ip}]" if ":" in ip else ip
    assert config.JupyterHub.bind_url == f"http://{host}:8000"


@pytest.mark.parametrize("ip", ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
def test_loopback_needs_no_opt_out(monkeypatch, share, ip):
    config, _ = load_hub_config(monkeypatch, hub_env(share, MEDBILL_IP=ip))
    assert config.JupyterHub.bind_url.startswith("http://")


def test_certificate_settings_are_checked(monkeypatch, share, tmp_path):
    cert = tmp_path / "hub.crt"
    cert.write_text("cert")
    message = config_error(monkeypatch, hub_env(share, MEDBILL_TLS_CERT=str(cert)))
    assert "MEDBILL_TLS_CERT and MEDBILL_TLS_KEY" in message
    env = hub_env(share, MEDBILL_TLS_CERT=str(cert), MEDBILL_TLS_KEY=str(tmp_path / "missing.key"))
    assert "MEDBILL_TLS_KEY=" in config_error(monkeypatch, env)


# -- limits and the culler ----------------------------------------------------------
def test_limits_default_to_the_systemd_spawner_which_enforces_them(monkeypatch, share):
    config, _ = load_hub_config(monkeypatch, hub_env(share))
    assert config.JupyterHub.spawner_class == "systemdspawner.SystemdSpawner"
    assert config.Spawner.mem_limit == "2G" and config.Spawner.cpu_limit == 1.0
    assert config.Spawner.environment["MEDBILL_MAX_KERNELS"] == "6"
    env = hub_env(
        share, MEDBILL_MEM_LIMIT="1536M", MEDBILL_CPU_LIMIT="0.5", MEDBILL_MAX_KERNELS="3"
    )
    config, _ = load_hub_config(monkeypatch, env)
    assert (config.Spawner.mem_limit, config.Spawner.cpu_limit) == ("1536M", 0.5)
    assert config.Spawner.environment["MEDBILL_MAX_KERNELS"] == "3"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("MEDBILL_MEM_LIMIT", "lots"),
        ("MEDBILL_MEM_LIMIT", "0G"),
        ("MEDBILL_CPU_LIMIT", "0"),
        ("MEDBILL_CPU_LIMIT", "-1"),
        ("MEDBILL_MAX_KERNELS", "many"),
        ("MEDBILL_SPAWNER", "docker"),
        ("MEDBILL_CULL_TIMEOUT", "0"),
    ],
)
def test_bad_limits_stop_the_hub(monkeypatch, share, name, value):
    assert f"{name}=" in config_error(monkeypatch, hub_env(share, **{name: value}))


def test_the_idle_culler_runs_as_a_service_with_its_role(monkeypatch, share):
    config, _ = load_hub_config(monkeypatch, hub_env(share, MEDBILL_CULL_TIMEOUT="1800"))
    (culler,) = [s for s in config.JupyterHub.services if s["name"] == "idle-culler"]
    assert culler["command"][1:3] == ["-m", "jupyterhub_idle_culler"]
    assert "--timeout=1800" in culler["command"]
    (role,) = [r for r in config.JupyterHub.load_roles if r["name"] == "idle-culler"]
    assert role["services"] == ["idle-culler"]
    assert {"list:users", "read:users:activity", "delete:servers"} <= set(role["scopes"])


def test_a_missing_staged_share_stops_the_hub(monkeypatch, tmp_path):
    message = config_error(monkeypatch, hub_env(tmp_path / "nowhere"))
    assert "run deploy/install.py" in message


# -- what each user's server is given -----------------------------------------------
def _spawn(namespace: dict, name: str, home: Path) -> SimpleNamespace:
    """Run the pre-spawn hook for ``name`` with a home in ``home`` (no real account)."""
    hook = namespace["_prepare_user"]
    me = os.getuid(), os.getgid()
    account = SimpleNamespace(pw_dir=str(home), pw_uid=me[0], pw_gid=me[1])
    hook.__globals__["pwd"] = SimpleNamespace(getpwnam=lambda _n: account)
    home.mkdir()
    spawner = SimpleNamespace(user=SimpleNamespace(name=name), cmd=None, environment={})
    hook(spawner)
    return spawner


def test_only_instructors_are_told_where_exercises_are(monkeypatch, share, tmp_path):
    env = hub_env(share, MEDBILL_INSTRUCTOR_FILES=str(tmp_path / "private"))
    _config, namespace = load_hub_config(monkeypatch, env)
    prof = _spawn(namespace, "prof", tmp_path / "prof")
    student = _spawn(namespace, "s1", tmp_path / "s1")
    assert prof.environment["MEDBILL_LAB_EXERCISES"] == str(tmp_path / "private" / "exercises")
    assert "MEDBILL_LAB_EXERCISES" not in student.environment
    assert "umask 077" in student.cmd[2] and "umask 022" in prof.cmd[2]
    for spawner in (prof, student):
        assert spawner.environment["MEDBILL_LAB_DATASETS"] == str(share / "datasets")
        assert spawner.environment["JUPYTER_CONFIG_PATH"] == str(share / "jupyter")
    assert os.readlink(tmp_path / "s1" / "medbill-apps") == str(share / "notebooks" / "apps")
    assert os.readlink(tmp_path / "s1" / "medbill-lessons") == str(share / "notebooks")


# -- Kubernetes values ----------------------------------------------------------------
SECRET_LITERAL = re.compile(
    r"change-?me|(password|secret|token|secretToken|cookieSecret|api_token)\s*[:=]\s*['\"]?[A-Za-z0-9]",
    re.IGNORECASE,
)


def test_values_yaml_holds_no_secret_and_no_demo_login():
    text = VALUES.read_text()
    found = [line.strip() for line in text.splitlines() if SECRET_LITERAL.search(line)]
    assert found == []
    values = yaml.safe_load(text)
    assert values["hub"]["config"]["JupyterHub"]["authenticator_class"] != "dummy"
    assert "DummyAuthenticator" not in values["hub"]["config"]
    assert "cookieSecret" not in values["hub"] and "secretToken" not in values.get("proxy", {})
    env = values["hub"]["extraEnv"]
    for name in ("OAUTH_CLIENT_SECRET", "MEDBILL_NGSHARE_TOKEN"):
        assert env[name]["valueFrom"]["secretKeyRef"]["name"] == "medbill-hub-secrets"
    assert values["proxy"]["https"]["enabled"] is True


def test_the_secret_pattern_catches_literals():
    # the scan above can fail: these are the mistakes it exists for
    for line in (
        "password: change-me",
        'api_token: "CHANGE-ME-ngshare-token"',
        "secretToken: 3f9a",
    ):
        assert SECRET_LITERAL.search(line), line


def _extra_config_env(monkeypatch, **env: str) -> Config:
    values = yaml.safe_load(VALUES.read_text())
    for name in values["hub"]["extraEnv"]:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    c = Config()
    for section, settings in values["hub"]["config"].items():
        for key, value in settings.items():
            setattr(c[section], key, value)
    c.JupyterHub.services = []  # the chart's own list, before extraConfig
    exec(values["hub"]["extraConfig"]["medbill.py"], {"c": c})
    return c


K8S_ENV = {
    "OAUTH_CLIENT_ID": "medbill-hub",
    "OAUTH_CLIENT_SECRET": "s" * 40,
    "OAUTH_CALLBACK_URL": "https://hub.example.org/hub/oauth_callback",
    "OAUTH2_AUTHORIZE_URL": "https://login.example.org/authorize",
    "OAUTH2_TOKEN_URL": "https://login.example.org/token",
    "OAUTH2_USERDATA_URL": "https://login.example.org/userinfo",
    "MEDBILL_NGSHARE_TOKEN": "e" * 64,
}


@pytest.mark.parametrize("missing", sorted(K8S_ENV))
def test_k8s_hub_stops_when_a_secret_is_missing(monkeypatch, missing):
    env = {k: v for k, v in K8S_ENV.items() if k != missing}
    with pytest.raises(SystemExit) as exc:
        _extra_config_env(monkeypatch, **env)
    message = str(exc.value.code)
    assert message.startswith(f"error: {missing} is not set") and "\n" not in message


def test_k8s_hub_takes_its_secrets_from_the_environment(monkeypatch):
    c = _extra_config_env(monkeypatch, **K8S_ENV)
    (ngshare,) = c.JupyterHub.services
    assert ngshare["api_token"] == K8S_ENV["MEDBILL_NGSHARE_TOKEN"]
    assert c.GenericOAuthenticator.client_secret == K8S_ENV["OAUTH_CLIENT_SECRET"]
    with pytest.raises(SystemExit, match="MEDBILL_NGSHARE_TOKEN"):
        _extra_config_env(monkeypatch, **{**K8S_ENV, "MEDBILL_NGSHARE_TOKEN": "short"})


# -- the image's build context ------------------------------------------------------
def dockerignored(path: str, patterns: list[str]) -> bool:
    """Whether Docker leaves ``path`` out of the context: the last matching pattern wins.

    A pattern also matches everything under a folder it matches (as Docker does).
    """
    parts = path.split("/")
    ignored = False
    for raw in patterns:
        negate = raw.startswith("!")
        pattern = raw[1:] if negate else raw
        for depth in range(1, len(parts) + 1):
            prefix = "/".join(parts[:depth])
            if pattern.startswith("**/"):
                hit = any(fnmatch.fnmatchcase(p, pattern[3:]) for p in parts[:depth])
            else:
                hit = fnmatch.fnmatchcase(prefix, pattern)
            if hit:
                ignored = not negate
                break
    return ignored


def _dockerignore() -> list[str]:
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def test_build_context_leaves_out_exercises_tests_git_and_venv():
    patterns = _dockerignore()
    for path in (
        "exercises/terminology/terminology.ipynb",
        "exercises/icd10cm_coding/icd10cm_coding.ipynb",
        ".git/config",
        ".venv/bin/python",
        "tests/e2e/test_deploy.py",
        "benchmarks/bench_hub.py",
        "deploy/install.py",
        "medbill_lab/__pycache__/hub.cpython-311.pyc",
        # the modules live in stage subpackages now: their caches are one level down
        "medbill_lab/server/__pycache__/hub.cpython-311.pyc",
    ):
        assert dockerignored(path, patterns), f"{path} would be in the image's build context"


def test_build_context_keeps_what_the_dockerfile_copies():
    patterns = _dockerignore()
    copies = re.findall(r"^COPY (?!--from)(?:--\S+ )*(.+) \S+$", DOCKERFILE.read_text(), re.M)
    sources = [s for line in copies for s in line.split()]
    assert "." not in sources and not any(s.startswith("exercises") for s in sources), sources
    for source in sources:
        assert (ROOT / source).exists(), source
        files = (
            [source]
            if (ROOT / source).is_file()
            else [str(p.relative_to(ROOT)) for p in (ROOT / source).rglob("*") if p.is_file()]
        )
        kept = [f for f in files if "__pycache__" not in f and not dockerignored(f, patterns)]
        assert kept, f"COPY {source}: nothing of it reaches the build context"
    assert not dockerignored("medbill_lab/practice/migrations/script.py.mako", patterns)
    assert not dockerignored("datasets/icd10cm/fy2026.json", patterns)


def test_the_matcher_can_tell_kept_from_ignored():
    assert dockerignored("a/b.txt", ["*"]) and not dockerignored("a/b.txt", ["*", "!a"])
    assert dockerignored("a/__pycache__/x.pyc", ["**/__pycache__"])


# -- deploy/install.py --------------------------------------------------------------
def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_install_stages_public_files_readable_and_exercises_for_instructors_only(tmp_path, capsys):
    install = runpy.run_path(str(INSTALL))
    if os.geteuid() != 0:  # it sets owners: anyone else gets one line and status 1
        assert install["main"](["--group", "root", "--share", str(tmp_path / "s")]) == 1
        assert capsys.readouterr().err == "error: run deploy/install.py as root (it sets owners)\n"
        return
    share = install["stage_share"](ROOT, tmp_path / "share")
    group = grp.getgrgid(0).gr_name
    private = install["stage_instructor_files"](ROOT, tmp_path / "instructors", group)
    assert (share / "datasets" / "icd10cm").is_dir()
    assert (share / "notebooks" / "apps" / "index.ipynb").is_file()
    assert (share / "jupyter" / "jupyter_server_config.py").is_file()
    assert not list(share.rglob("exercises")) and not list(share.rglob("__pycache__"))
    for path in [share, *share.rglob("*")]:
        expected = 0o755 if path.is_dir() else 0o644
        assert _mode(path) & 0o777 in (expected, 0o755), f"{path}: {oct(_mode(path))}"
        assert path.lstat().st_uid == 0
    assert _mode(private) == 0o2750
    assert any(private.rglob("*.ipynb"))
    for path in (private / "exercises").rglob("*"):
        assert _mode(path) == (0o2750 if path.is_dir() else 0o640), f"{path}: {oct(_mode(path))}"
        assert path.lstat().st_gid == 0


def test_install_names_a_missing_group_in_one_line(tmp_path):
    install = runpy.run_path(str(INSTALL))
    with pytest.raises(LookupError, match="no Unix group 'no-such-group'"):
        install["stage_instructor_files"](ROOT, tmp_path / "i", "no-such-group")
    assert not (tmp_path / "i").exists()


def test_install_warns_about_a_readable_checkout(tmp_path):
    install = runpy.run_path(str(INSTALL))
    tmp_path.chmod(0o755)
    assert "chmod 700" in install["checkout_warning"](tmp_path)
    tmp_path.chmod(0o700)
    assert install["checkout_warning"](tmp_path) is None


# -- the kernel cap -----------------------------------------------------------------
def test_kernel_cap_refuses_the_one_too_many_and_frees_a_place_on_shutdown():
    async def scenario() -> tuple[int, str, int]:
        with tempfile.TemporaryDirectory() as root:
            km = CappedKernelManager(max_kernels=2, root_dir=root)
            try:
                first = await km.start_kernel(kernel_name="python3")
                await km.start_kernel(kernel_name="python3")
                with pytest.raises(web.HTTPError) as refused:
                    await km.start_kernel(kernel_name="python3")
                running = len(km.list_kernel_ids())
                await km.shutdown_kernel(first)
                await km.start_kernel(kernel_name="python3")
                return running, refused.value.log_message, refused.value.status_code
            finally:
                await km.shutdown_all()

    running, message, status = asyncio.run(scenario())
    assert running == 2 and status == 503
    assert "shut down a notebook" in message


def test_instructors_find_exercises_where_the_hub_staged_them(monkeypatch, tmp_path):
    from medbill_lab.training import course

    (tmp_path / "staged" / "terminology").mkdir(parents=True)
    (tmp_path / "staged" / "terminology" / "terminology.ipynb").write_text("{}")
    monkeypatch.setenv("MEDBILL_LAB_EXERCISES", str(tmp_path / "staged"))
    assert course.exercises_dir() == tmp_path / "staged"
    monkeypatch.delenv("MEDBILL_LAB_EXERCISES")
    assert course.exercises_dir() == ROOT / "exercises"
