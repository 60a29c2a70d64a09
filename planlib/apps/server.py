"""The apps' server: Voila, with the limits a county intranet needs. ``make app`` runs it.

Voila itself has no limit on live kernels (upstream issue 617), checks no ``Host`` header
(it sets ``allow_remote_access``), and refills its pool of preheated kernels at the moment
visitors arrive. :class:`PlanlibVoila` is Voila with:

* **a kernel limit** (``PlanlibKernelManager.max_kernels``): beyond it a visitor gets a short
  "please wait / 请稍候" page (HTTP 503) that retries by itself, never a new kernel, so a flood of
  visitors cannot exhaust the machine's memory;
* **a pool that never competes with visitors**: a visitor takes a preheated kernel only when one
  is ready (else a kernel of its own starts at once), and the pool is refilled only after
  ``refill_quiet_s`` seconds in which no visitor's page was being made;
* **a Host allowlist** (``PlanlibVoila.hostnames``, plus localhost and the address it listens
  on): a request for any other name gets 403, so a DNS-rebinding page on the internet cannot
  read the dashboard through an intranet user's browser;
* **no tracebacks to visitors**: error messages and stderr output of the kernel (tracebacks with
  install paths) are not relayed on the websocket.

Usage (what ``make app`` runs; every Voila option works)::

    python -m planlib.apps.server notebooks/00-dashboard.ipynb --template=planlib --Voila.ip=127.0.0.1
"""

from __future__ import annotations

import asyncio
import html
import ipaddress
import json
import re
import tempfile
import time
import uuid
from datetime import datetime, timezone

import tornado.web
from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado.ioloop import PeriodicCallback
from traitlets import Float, Integer, TraitError, Unicode
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler

from .. import i18n
from .widgets import static_text

#: Seconds a visitor beyond the limit waits before the page asks again.
RETRY_AFTER_S = 5


class PlanlibKernelManager(AsyncMappingKernelManager):
    """Kernels with a ceiling, and a pool refilled only when no visitor is waiting for a page."""

    max_kernels = Integer(24, config=True, help="Most kernels alive at once, the preheated pool included.")
    refill_quiet_s = Float(3.0, config=True,
                           help="Refill the preheated pool only after this many seconds without a page being made.")

    unclaimed_timeout_s = Float(60.0, config=True,
                                help="Shut down a visitor's kernel whose page never connected within this many seconds.")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.pages_in_progress = 0
        self.last_page_done = 0.0
        self.starting: set[str] = set()
        self.connected_once: set[str] = set()
        self._unclaimed_callback = None

    def notify_connect(self, kernel_id: str) -> None:
        """A page connected to the kernel: it is claimed."""
        self.connected_once.add(kernel_id)
        super().notify_connect(kernel_id)

    def pooled_ids(self) -> set[str]:
        """The kernels waiting in Voila's preheated pool."""
        ids = set()
        for pool in getattr(self, "_pools", {}).values():
            for task in pool:
                if task.done() and not task.cancelled() and task.exception() is None:
                    ids.add(task.result()["kernel_id"])
        return ids

    def initialize_culler(self) -> None:
        """Start the idle culler, and the culler of kernels that no page ever connected to.

        A request that fetches the page but never opens its websocket (a script, a crawler) would
        otherwise hold a kernel until the idle timeout, and a few dozen such requests would keep
        everyone else waiting.
        """
        super().initialize_culler()
        if self._unclaimed_callback is None and self.unclaimed_timeout_s > 0:
            self._unclaimed_callback = PeriodicCallback(self.cull_unclaimed, 1000 * min(10.0, self.unclaimed_timeout_s))
            self._unclaimed_callback.start()

    async def cull_unclaimed(self) -> None:
        """Shut down the kernels that left the pool, never got a page and did nothing for a while."""
        now = datetime.now(timezone.utc)
        pooled = self.pooled_ids()
        for kernel_id in list(self.list_kernel_ids()):
            if kernel_id in pooled or kernel_id in self.connected_once:
                continue
            try:
                last = self.get_kernel(kernel_id).last_activity
            except (KeyError, TraitError):  # still starting: it has no activity yet
                continue
            if last is not None and (now - last).total_seconds() > self.unclaimed_timeout_s:
                self.log.info("Shutting down kernel %s: no page connected to it", kernel_id)
                await self.shutdown_kernel(kernel_id)

    async def shutdown_kernel(self, kernel_id: str, *args, **kwargs):
        self.connected_once.discard(kernel_id)
        return await super().shutdown_kernel(kernel_id, *args, **kwargs)

    def at_capacity(self) -> bool:
        """Whether starting one more kernel would pass :attr:`max_kernels`.

        A kernel being started is counted once, whether or not the manager lists it already.
        """
        return len(set(self.list_kernel_ids()) | self.starting) >= self.max_kernels

    def pool_ready(self, notebook: str) -> bool:
        """Whether a preheated kernel of ``notebook`` is ready to be handed to a visitor now."""
        pool = getattr(self, "_pools", {}).get(notebook) or []  # Voila's pool (VoilaKernelManager)
        return bool(pool) and pool[0].done() and not pool[0].cancelled() and pool[0].exception() is None

    def page_started(self) -> None:
        """A visitor's page is being made (the pool waits)."""
        self.pages_in_progress += 1

    def page_done(self) -> None:
        """A visitor's page is made."""
        self.pages_in_progress -= 1
        self.last_page_done = time.monotonic()

    def _quiet(self) -> bool:
        return not self.pages_in_progress and time.monotonic() - self.last_page_done >= self.refill_quiet_s

    async def start_kernel(self, **kwargs):
        """Start a kernel: a visitor's at once (503 at the limit), the pool's when it is quiet."""
        preheat = (kwargs.get("env") or {}).get("VOILA_PREHEAT") == "True"
        if preheat:
            while not self._quiet() or self.at_capacity():
                await asyncio.sleep(0.5)
        elif self.at_capacity():
            raise tornado.web.HTTPError(503, "kernel limit reached")
        kernel_id = kwargs.pop("kernel_id", None) or str(uuid.uuid4())
        self.starting.add(kernel_id)
        try:
            return await super().start_kernel(kernel_id=kernel_id, **kwargs)
        finally:
            self.starting.discard(kernel_id)


def please_wait_html() -> str:
    """The page a visitor beyond the kernel limit gets; it asks again by itself.

    Its words are :data:`planlib.i18n.SERVER_LABELS`, both languages on one page.
    """
    words = {f"{name}_{lang}": html.escape(i18n.t(key, lang, i18n.SERVER_LABELS).format(retry=RETRY_AFTER_S))
             for name, key in (("title", "please_wait"), ("text", "please_wait_text")) for lang in i18n.LANGS}
    page = static_text("please_wait.html")
    for name, text in words.items():
        page = page.replace("{" + name + "}", text)
    return page.replace("{retry}", str(RETRY_AFTER_S))


class GatedVoilaHandler(TornadoVoilaHandler):
    """Voila's page handler, behind the kernel limit and taking only ready preheated kernels."""

    @tornado.web.authenticated
    async def get(self, path=None):
        manager = self.kernel_manager
        notebook = self.notebook_path or path
        if manager.at_capacity() and not manager.pool_ready(notebook):
            self.set_status(503)
            self.set_header("Retry-After", str(RETRY_AFTER_S))
            self.set_header("Cache-Control", "no-store")
            self.finish(please_wait_html())
            return
        manager.page_started()
        try:
            await super().get(path)
        except tornado.web.HTTPError as exc:
            if exc.status_code != 503:
                raise
            self.clear()
            self.set_status(503)
            self.set_header("Retry-After", str(RETRY_AFTER_S))
            self.finish(please_wait_html())
        finally:
            manager.page_done()

    def should_use_rendered_notebook(self, notebook_data, pool_size, template_name, theme, request_args):
        ready = self.kernel_manager.pool_ready(self.notebook_path)
        return ready and super().should_use_rendered_notebook(notebook_data, pool_size, template_name, theme,
                                                               request_args)


def is_traceback(frames: list) -> bool:
    """Whether a kernel message (its header and content frames) carries an error or stderr text.

    Examples:
        >>> is_traceback([b'{"msg_type": "stream"}', b"{}", b"{}", b'{"name": "stderr", "text": "Traceback"}'])
        True
        >>> is_traceback([b'{"msg_type": "stream"}', b"{}", b"{}", b'{"name": "stdout", "text": "ok"}'])
        False
    """
    header = json.loads(frames[0])
    if header.get("msg_type") == "error":
        return True
    return header.get("msg_type") == "stream" and json.loads(frames[3]).get("name") == "stderr"


class QuietChannels(ZMQChannelsWebsocketConnection):
    """The kernel websocket, without what the kernel writes to stderr or as errors (tracebacks).

    Tracebacks name the installation's paths and code; a visitor's page needs none of them
    (Voila's ``show_tracebacks: false`` covers only the notebook's own cells). They stay in the
    server's log.
    """

    def handle_outgoing_message(self, stream: str, outgoing_msg: list) -> None:
        """Pass every message on unchanged, except errors and stderr output."""
        try:
            _, frames = self.session.feed_identities(outgoing_msg)
            quiet = is_traceback(frames[1:])  # frames: signature, header, parent, metadata, content
        except (ValueError, IndexError, TypeError):
            quiet = False
        if quiet:
            self.log.info("Not relayed to the page: an error or stderr message of kernel %s", self.kernel_id)
            return None
        return super().handle_outgoing_message(stream, outgoing_msg)


class ForbiddenHost(tornado.web.RequestHandler):
    """Every request whose ``Host`` is not on the allowlist."""

    def prepare(self):
        self.set_status(403)
        self.finish("403: this server answers only to its own names (Host not allowed)\n")


def host_pattern(names: list[str]) -> str:
    """A Tornado host pattern matching exactly ``names`` (with any port).

    Examples:
        >>> import re
        >>> p = host_pattern(["localhost", "127.0.0.1", "::1", "dash.county"])
        >>> [bool(re.match(p, h)) for h in ("localhost", "127.0.0.1:8866", "[::1]:8866", "DASH.county", "evil.example")]
        [True, True, True, True, False]
    """
    alternatives = []
    for name in names:
        try:
            ip = ipaddress.ip_address(name)
        except ValueError:
            alternatives.append(re.escape(name.lower()))
        else:
            alternatives.append(re.escape(f"[{ip}]" if ip.version == 6 else str(ip)))
    return rf"(?i)^({'|'.join(alternatives)})(:\d+)?$"


class PlanlibVoila(Voila):
    """Voila with a kernel limit, a patient pool, a Host allowlist and no tracebacks for visitors."""

    hostnames = Unicode("", config=True,
                        help="Further names the server answers to, comma-separated (its intranet names or addresses).")

    def allowed_hosts(self) -> list[str]:
        """localhost, the loopback addresses, the address listened on and :attr:`hostnames`."""
        names = ["localhost", "127.0.0.1", "::1"]
        if self.ip and self.ip not in ("0.0.0.0", "::", ""):
            names.append(self.ip)
        names += [n.strip() for n in self.hostnames.split(",") if n.strip()]
        return list(dict.fromkeys(names))

    def init_settings(self) -> dict:
        self.voila_configuration.multi_kernel_manager_class = PlanlibKernelManager
        settings = super().init_settings()
        settings["kernel_websocket_connection_class"] = QuietChannels
        return settings

    def start(self):
        # As Voila.start, but with the handlers under the allowed host names only.
        self.connection_dir = tempfile.mkdtemp(prefix="voila_", dir=self.connection_dir_root)
        settings = self.init_settings()
        self.app = tornado.web.Application(**settings)
        self.app.settings.update(self.tornado_settings)
        handlers = [(h[0], GatedVoilaHandler, *h[2:]) if h[1] is TornadoVoilaHandler else h
                    for h in self.init_handlers()]
        self.app.add_handlers(host_pattern(self.allowed_hosts()), handlers)
        self.app.add_handlers(r".*$", [(r".*", ForbiddenHost)])
        self.listen()


main = PlanlibVoila.launch_instance

if __name__ == "__main__":  # pragma: no cover
    main()
