# Each user's Jupyter server on the hub: the MedBill Lab apps through Voila's
# server extension, at /user/<name>/voila/render/medbill-apps/index.ipynb
# (~/medbill-apps is a link the hub makes to the app notebooks), with the same
# settings as `medbill-lab serve`: no sources, no tracebacks, the lab's template.
import os

from medbill_lab.server import serve

c = get_config()  # noqa: F821 (provided by traitlets when it reads this file)

# the "medbill" Voila template lives in the package
os.environ["JUPYTER_PATH"] = os.pathsep.join(
    filter(None, [str(serve.JUPYTER_DATA), os.environ.get("JUPYTER_PATH")])
)
c.VoilaConfiguration.template = "medbill"
c.VoilaConfiguration.strip_sources = True
c.VoilaConfiguration.show_tracebacks = False
c.VoilaExecutor.show_tracebacks = False
c.VoilaConfiguration.extension_denylist = serve.unneeded_extensions()
# idle kernels (an abandoned app tab, a forgotten notebook) give their memory back
c.MappingKernelManager.cull_idle_timeout = serve.NOTEBOOK_CULL_IDLE_SECONDS
c.MappingKernelManager.cull_interval = serve.CULL_INTERVAL_SECONDS
c.MappingKernelManager.cull_connected = False
# one person's server holds at most MEDBILL_MAX_KERNELS kernels (notebooks and
# apps together); past it a new one gets HTTP 503 (medbill_lab.server.hub)
c.ServerApp.kernel_manager_class = "medbill_lab.server.hub_kernels.HubKernelManager"
c.CappedKernelManager.max_kernels = int(os.environ.get("MEDBILL_MAX_KERNELS", "6"))
# a kernel no page ever connected to (an app URL hit by a stray request) goes
# within two minutes; one whose page connected keeps cull_idle_timeout
c.HubKernelManager.unconnected_timeout = serve.UNCONNECTED_SECONDS
