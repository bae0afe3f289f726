"""The dashboard server's kernel client reads a reply even when the signal that announced it
was taken by something else, where Jupyter's own client waits for ever: the wedge that left
a dashboard page unfinished, the server and its kernel both idle."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import zmq
import zmq.asyncio
from jupyter_client.channels import AsyncZMQSocketChannel
from jupyter_client.session import Session

from evalkit.runner.engines.kernel_client import LOOK_AGAIN, PatientChannel, PatientKernelClient


def _reply_after_its_signal_was_taken(channel_class: type[AsyncZMQSocketChannel]) -> Any:
    """The message type a channel of ``channel_class`` reads within a few seconds of a reply
    coming to its socket, whose signal was read off the socket before the event loop saw it;
    None when it reads nothing."""

    async def wait() -> Any:
        context, plain = zmq.asyncio.Context(), zmq.Context()
        receiver = context.socket(zmq.PAIR)
        port = receiver.bind_to_random_port("tcp://127.0.0.1")
        sender = plain.socket(zmq.PAIR)
        sender.connect(f"tcp://127.0.0.1:{port}")
        session = Session()
        channel = channel_class(receiver, session)
        try:
            waiting = asyncio.ensure_future(channel.get_msg())
            await asyncio.sleep(0.3)  # the channel waits for the socket's signal
            session.send(sender, "execute_reply", {"status": "ok"})
            state = zmq.Socket.shadow(receiver.underlying)
            deadline = time.monotonic() + 5
            while not state.get(zmq.EVENTS) & zmq.POLLIN:  # the loop does not run meanwhile
                assert time.monotonic() < deadline, "the reply never came to the socket"
                time.sleep(0.01)
            try:
                return (await asyncio.wait_for(waiting, 2 + 2 * LOOK_AGAIN))["msg_type"]
            except TimeoutError:
                return None
        finally:
            sender.close(linger=0)
            receiver.close(linger=0)
            context.term()
            plain.term()

    return asyncio.run(wait())


def test_a_reply_whose_signal_was_taken_is_read_at_the_next_look():
    assert _reply_after_its_signal_was_taken(AsyncZMQSocketChannel) is None  # waits for ever
    assert _reply_after_its_signal_was_taken(PatientChannel) == "execute_reply"


def test_every_channel_that_carries_messages_looks_again():
    for name in ("shell", "iopub", "stdin", "control"):
        assert getattr(PatientKernelClient, f"{name}_channel_class").default_value is PatientChannel


def test_the_warm_engine_talks_to_its_kernel_through_it():
    from evalkit.runner.engines.lookup import get_engine
    from evalkit.runner.run import ensure_kernel

    ensure_kernel()
    engine: Any = get_engine("warm", "evalkit", 60)
    engine.start()
    try:
        assert isinstance(engine.kc, PatientKernelClient)
    finally:
        engine.close()


def test_the_dashboard_server_is_told_this_client():
    from evalkit.cli.explore import KERNEL_CLIENT, voila_command
    from evalkit.runner.engines.kernel_client import PATIENT_CLIENT

    assert KERNEL_CLIENT == PATIENT_CLIENT
    command = voila_command(Path("explore.ipynb"), 8866, None)
    assert f"--AsyncKernelManager.client_class={PATIENT_CLIENT}" in command
