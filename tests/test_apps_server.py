"""The apps' server (planlib.apps.server) as make app starts it: host allowlist, kernel limit,
please-wait page, no template override, no tracebacks on the websocket.

One server (a kernel limit of 3, a store set up by ``planlib setup``) serves the module.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import re
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from .conftest import ARTIFACTS, ROOT, copy_prepared, free_port, stop, voila_command, voila_env, wait_for_port

pytestmark = [pytest.mark.slow, pytest.mark.browser]
MAX_KERNELS = 3
UNCLAIMED_S = 5


@pytest.fixture(scope="module")
def server(tmp_path_factory, prepared_store):
    db = copy_prepared(prepared_store, tmp_path_factory.mktemp("server"))  # planlib setup finds it ready
    env = voila_env(db)
    done = subprocess.run([sys.executable, "-m", "planlib", "setup"], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    port = free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log = (ARTIFACTS / "server-test.log").open("w")
    command = voila_command("notebooks/00-dashboard.ipynb", port) + [
        f"--PlanlibKernelManager.max_kernels={MAX_KERNELS}", f"--PlanlibKernelManager.unclaimed_timeout_s={UNCLAIMED_S}",
        "--PlanlibVoila.hostnames=dash.county.example"]
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, proc)
        yield port, proc
    finally:
        stop(proc)
        log.close()


def get(port: int, path: str = "/", host: str | None = None, timeout: float = 300) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    conn.request("GET", path, headers={"Host": host or f"127.0.0.1:{port}"})
    response = conn.getresponse()
    return response.status, response.read().decode("utf-8", "replace")


def kernels_of(proc: subprocess.Popen) -> list[int]:
    """The kernel processes the server started (its children running ipykernel)."""
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
    found = []
    for pid in children:
        try:
            if b"ipykernel" in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.append(int(pid))
        except FileNotFoundError:
            continue
    return found


def settle(proc: subprocess.Popen, at_most: int, timeout: float = 120) -> None:
    """Wait until the server keeps at most ``at_most`` kernels (unclaimed ones are shut down)."""
    deadline = time.monotonic() + timeout
    while len(kernels_of(proc)) > at_most:
        assert time.monotonic() < deadline, f"still {len(kernels_of(proc))} kernels after {timeout} s"
        time.sleep(0.5)


def test_only_its_own_names_are_answered(server):
    port, proc = server
    settle(proc, 1)
    assert get(port, host="evil.example")[0] == 403
    assert get(port, host=f"evil.example:{port}")[0] == 403
    assert get(port, "/voila/static/voila.js", host="evil.example")[0] == 403
    assert get(port, host=f"localhost:{port}")[0] == 200
    status, page = get(port, host="dash.county.example")
    assert status == 200
    kernel = re.search(r'"kernelId": *"([^"]+)"', page).group(1)
    # the kernel's websocket, asked for under another name (a DNS-rebinding page): refused too
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", f"/api/kernels/{kernel}/channels", headers={
        "Host": f"evil.example:{port}", "Upgrade": "websocket", "Connection": "Upgrade",
        "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        "Origin": f"http://evil.example:{port}"})
    assert conn.getresponse().status == 403


def test_no_template_override(server):
    port, proc = server
    settle(proc, 1)
    status, page = get(port, "/?template=lab")
    assert status == 200
    assert not re.search(r"(src|href)=\"https?://", page)  # the project's offline template, not the stock one


def test_no_traceback_reaches_the_page(server):
    from tornado.websocket import websocket_connect

    port, proc = server
    settle(proc, 1)
    status, page = get(port)
    kernel = re.search(r'"kernelId": *"([^"]+)"', page).group(1)
    models = re.findall(r'"model_id": *"([0-9a-f]{32})"', page)

    def message(msg_type: str, content: dict) -> str:
        header = {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": "x", "session": uuid.uuid4().hex,
                  "date": "", "version": "5.3"}
        return json.dumps({"header": header, "parent_header": {}, "metadata": {}, "content": content,
                           "channel": "shell", "buffers": []})

    async def probe() -> list[str]:
        ws = await websocket_connect(f"ws://127.0.0.1:{port}/api/kernels/{kernel}/channels?session_id=probe")
        for model in models[:10]:
            await ws.write_message(message("comm_msg", {"comm_id": model, "data": {
                "method": "update", "state": {"rows": 5, "value": {"x": [1]}}, "buffer_paths": [["x"]]}}))
        await ws.write_message(message("comm_open", {"comm_id": uuid.uuid4().hex, "target_name": "jupyter.widget",
                                                     "data": {"state": {"_model_name": "NoSuch"}}}))
        got = []
        try:
            while True:
                got.append(str(await asyncio.wait_for(ws.read_message(), 5)))
        except asyncio.TimeoutError:
            return got

    got = asyncio.run(probe())
    assert got  # the kernel answered (status, comm replies) ...
    text = "\n".join(got)
    assert "Traceback" not in text and "site-packages" not in text and '"msg_type": "error"' not in text


def test_a_page_nobody_opens_gives_its_kernel_back(server):
    port, proc = server
    settle(proc, 2)  # the pool's kernel, and the one the websocket test claimed
    before = len(kernels_of(proc))
    assert get(port)[0] == 200
    started = time.monotonic()
    settle(proc, before, timeout=60)  # fetched, never connected: shut down after UNCLAIMED_S
    assert time.monotonic() - started < 40


def test_a_burst_of_visitors_never_passes_the_kernel_limit(server):
    port, proc = server
    settle(proc, 2)
    statuses: list[int] = []
    peak = 0

    def visit(_i: int) -> tuple[int, str]:
        return get(port, timeout=600)

    with ThreadPoolExecutor(30) as pool:
        futures = [pool.submit(visit, i) for i in range(30)]
        while not all(f.done() for f in futures):
            peak = max(peak, len(kernels_of(proc)))
            time.sleep(0.2)
        results = [f.result() for f in futures]
    statuses = [status for status, _ in results]
    peak = max(peak, len(kernels_of(proc)))
    assert peak <= MAX_KERNELS
    assert statuses.count(200) >= 1 and statuses.count(200) + statuses.count(503) == 30
    wait = next(body for status, body in results if status == 503)
    assert "请稍候" in wait and "Please wait" in wait and 'http-equiv="refresh"' in wait
