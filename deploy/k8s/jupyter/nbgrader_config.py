# nbgrader on Kubernetes: the exchange is ngshare (a hub service), not a folder.
# Every pod runs as the same uid (jovyan), so folder permissions cannot keep
# students apart; ngshare checks each request against the hub's identity and
# its own course roster instead.  NOT exercised by the tests.
import os

from ngshare_exchange import configureExchange

c = get_config()  # noqa: F821 (provided by traitlets when it reads this file)

c.CourseDirectory.course_id = os.environ.get("MEDBILL_COURSE", "medbill-101")
c.Exchange.path_includes_course = True
configureExchange(c, "http://proxy-public/services/ngshare")
