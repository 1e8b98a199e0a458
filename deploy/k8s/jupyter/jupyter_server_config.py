# The same app settings as on one server (deploy/jupyter/jupyter_server_config.py).
import os

c = get_config()  # noqa: F821 (provided by traitlets when it reads this file)
load_subconfig(  # noqa: F821 (provided by traitlets)
    os.path.join(
        os.path.dirname(os.path.abspath(__file__)),
        "..",
        "..",
        "jupyter",
        "jupyter_server_config.py",
    )
)
