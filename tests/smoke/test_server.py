"""A real Streamlit server, started as `balanza serve` starts it, serves the default page over its websocket.

Marked slow (it starts a server process), so `make test-fast` leaves it out; `make test` and the lowest-versions CI
step (.ci/lowest) run it: Streamlit must accept serve's command-line options and websockets must speak to it.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from dashboard import serve
from dashboard.i18n import t
from etl import settings

pytestmark = pytest.mark.slow


def test_the_server_runs_the_default_page(small_bundle_db: Path) -> None:
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect
    from websockets.typing import Origin, Subprotocol

    host, port = serve.WORKER_HOST, serve.free_port()
    env = {k: v for k, v in serve.server_env(small_bundle_db).items() if k != settings.WARM.name}
    process = subprocess.Popen(
        serve.streamlit_command(host, port), env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        serve.wait_healthy(host, port, process)
        message = BackMsg()
        message.rerun_script.query_string = "lang=es"
        message.rerun_script.page_name = ""
        kinds: list[str] = []
        headings: list[str] = []
        errors: list[str] = []
        with connect(
            f"ws://{host}:{port}/_stcore/stream",
            subprotocols=[Subprotocol("streamlit")],
            origin=Origin(f"http://{host}:{port}"),
            max_size=None,
            open_timeout=60,
        ) as ws:
            ws.send(message.SerializeToString())
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                forward = ForwardMsg()
                forward.ParseFromString(ws.recv(timeout=max(0.1, deadline - time.monotonic())))
                kind = forward.WhichOneof("type")
                kinds.append(str(kind))
                if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                    element = forward.delta.new_element
                    if element.WhichOneof("type") == "heading":
                        headings.append(element.heading.body)
                    elif element.WhichOneof("type") == "exception":
                        errors.append(f"{element.exception.type}: {element.exception.message}")
                if kind == "script_finished":
                    break
        assert kinds[-1] == "script_finished", kinds[-5:]
        assert errors == []
        assert t("page_overview", "es") in headings  # the default page, in the language the link asked for
    finally:
        process.terminate()
        try:
            output, _ = process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
    assert b"Traceback" not in output, output.decode(errors="replace")[-2000:]
