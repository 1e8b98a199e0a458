# The Littlest JupyterHub (TLJH): copy to /opt/tljh/config/jupyterhub_config.d/medbill.py
# and run `sudo tljh-config reload hub`.  NOT exercised by the tests (TLJH needs
# systemd); deploy/jupyterhub_config.py is the tested equivalent for plain JupyterHub.
#
# TLJH keeps its own authenticator, its SystemdSpawner (which enforces
# `tljh-config set limits.memory 2G` and `limits.cpu 1`), its idle culler and its
# HTTPS (`tljh-config set https.enabled true`), and its user environment
# (/opt/tljh/user), where the lab is installed as a package, the checkout kept
# root-only (chmod 700), and the shared and instructors' files staged:
#   sudo /opt/tljh/user/bin/python /opt/medbill/src/deploy/install.py \
#        --group medbill-101-graders
# Its Unix accounts are called jupyter-<hub name>; nbgrader uses the Unix name, so
# the student ids in the gradebook are jupyter-<name>, and prepare_exchange is run
# with the instructor's Unix name:
#   sudo /opt/tljh/user/bin/python -m medbill_lab.server.hub /srv/nbgrader/exchange \
#        medbill-101 jupyter-instructor medbill-101-graders
import os
from pathlib import Path

c = get_config()  # noqa: F821 (provided by JupyterHub when it reads this file)

COURSE = "medbill-101"
INSTRUCTORS = ["instructor"]  # hub names, not jupyter-<name>
STUDENTS = Path("/opt/medbill/roster.txt").read_text(encoding="utf-8").split()
SHARE = "/opt/medbill/share"  # deploy/install.py: readable by every user
INSTRUCTOR_FILES = "/opt/medbill/instructors"  # exercises/, the instructors' group only

c.Authenticator.allowed_users = set(INSTRUCTORS + STUDENTS)
c.Authenticator.admin_users = set()  # keep the TLJH admin separate from the instructors
c.JupyterHub.load_groups = {
    "instructors": INSTRUCTORS,
    "students": STUDENTS,
    f"formgrade-{COURSE}": INSTRUCTORS,
    f"nbgrader-{COURSE}": STUDENTS,
}
c.Spawner.environment.update(
    {
        "MEDBILL_COURSE": COURSE,
        "MEDBILL_EXCHANGE": "/srv/nbgrader/exchange",
        "JUPYTER_CONFIG_PATH": os.path.join(SHARE, "jupyter"),
        "MEDBILL_LAB_DATASETS": os.path.join(SHARE, "datasets"),
        "MEDBILL_MAX_KERNELS": "6",
    }
)
c.Spawner.server_token_scopes = [
    "users:activity!user",
    "access:servers!server",
    "read:users:name!user",
    "read:users:groups!user",
]


def _umask(spawner) -> None:
    """Students' files private (umask 077); instructors 022 so released feedback is readable.

    Only instructors are told where exercises/ is (its folder is the instructors' group's).
    """
    instructor = spawner.user.name in INSTRUCTORS
    umask = "0022" if instructor else "0077"
    spawner.unit_extra_properties = {**spawner.unit_extra_properties, "UMask": umask}
    if instructor:
        spawner.environment = {
            **spawner.environment,
            "MEDBILL_LAB_EXERCISES": os.path.join(INSTRUCTOR_FILES, "exercises"),
        }


c.Spawner.pre_spawn_hook = _umask
