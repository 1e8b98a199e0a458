# nbgrader settings for every user of the hub (students and instructors).
# JupyterHub puts this folder on JUPYTER_CONFIG_PATH (deploy/jupyterhub_config.py);
# without a hub, copy it to /etc/jupyter/nbgrader_config.py.  An instructor's
# course folder has its own nbgrader_config.py (`medbill-lab course init`), read
# after this one; it takes MEDBILL_EXCHANGE from the environment as well.
import os

c = get_config()  # noqa: F821 (provided by traitlets when it reads this file)

c.CourseDirectory.course_id = os.environ.get("MEDBILL_COURSE", "medbill-101")
c.Exchange.root = os.environ.get("MEDBILL_EXCHANGE", "/srv/nbgrader/exchange")
# students fetch into ~/<course>/<assignment>, so two courses never collide
c.Exchange.path_includes_course = True
# the mitigations for nbgrader's shared exchange (medbill_lab/server/hub.py):
# submissions private to the student and the graders, and no collecting of
# folders written by someone other than the student they name
c.ExchangeFactory.submit = "medbill_lab.server.hub.PrivateSubmit"
c.ExchangeFactory.collect = "medbill_lab.server.hub.OwnerCheckedCollect"

# on the hub, the courses a student sees are the hub groups nbgrader-<course>
if os.environ.get("JUPYTERHUB_API_URL"):
    c.Authenticator.plugin_class = "nbgrader.auth.JupyterHubAuthPlugin"
