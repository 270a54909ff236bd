"""serve.run_page connects again once when a connection is dropped before the handshake's answer, as Streamlit's
own page does; a second drop is an error."""

from __future__ import annotations

import socket
import threading

import pytest
from websockets.exceptions import InvalidMessage, InvalidStatus

from dashboard import serve


def dropping_server(drops: int) -> tuple[int, list[int], threading.Thread]:
    """A loopback server that closes its first ``drops`` connections without a word, then answers 404."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted: list[int] = []

    def serve_connections() -> None:
        with listener:
            for number in range(drops + 1):
                connection, _ = listener.accept()
                accepted.append(number)
                with connection:
                    connection.recv(65536)
                    if number >= drops:
                        connection.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")

    thread = threading.Thread(target=serve_connections, daemon=True)
    thread.start()
    return listener.getsockname()[1], accepted, thread


def test_a_connection_dropped_before_the_answer_is_tried_again_once() -> None:
    port, accepted, thread = dropping_server(drops=1)
    with pytest.raises(InvalidStatus):  # the second connection got the server's answer
        serve.run_page(f"http://127.0.0.1:{port}", timeout=10)
    thread.join(5)
    assert accepted == [0, 1]


def test_a_second_drop_is_an_error() -> None:
    port, accepted, thread = dropping_server(drops=2)
    with pytest.raises(InvalidMessage):
        serve.run_page(f"http://127.0.0.1:{port}", timeout=10)
    assert accepted == [0, 1]
