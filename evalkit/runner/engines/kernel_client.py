"""The kernel client evalkit talks to kernels with (the dashboard's server, the ``warm`` and
``papermill`` engines): it never waits on one look at a socket without end.

A ZeroMQ socket tells the event loop that a message has come through one file descriptor,
which it signals once per change; anything that reads the socket's state in between (a send
on the same socket does) takes that signal, and the message then waits in the socket with
nothing to wake the loop for it. Waiting for a cell's reply that way is how a page of the
dashboard could stay unfinished, the server and the kernel both idle, and how a report could
wait until its time limit. This client's channels look at their socket again every
:data:`LOOK_AGAIN` seconds: a message that came meanwhile is read at the next look, and a
wait with a time limit still ends at it.
"""

from __future__ import annotations

import time
from queue import Empty
from typing import Any

from jupyter_client.asynchronous.client import AsyncKernelClient
from jupyter_client.channels import AsyncZMQSocketChannel
from jupyter_client.manager import AsyncKernelManager
from traitlets import DottedObjectName, Type

#: Seconds between two looks at a socket for a message that no signal announced.
LOOK_AGAIN = 1.0


class PatientChannel(AsyncZMQSocketChannel):
    """A channel whose wait for a message looks at its socket every :data:`LOOK_AGAIN` s."""

    async def get_msg(self, timeout: float | None = None) -> dict[str, Any]:  # type: ignore[override]
        """The next message; :class:`queue.Empty` when ``timeout`` seconds pass first."""
        assert self.socket is not None
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            look = LOOK_AGAIN if deadline is None else min(LOOK_AGAIN, deadline - time.monotonic())
            if await self.socket.poll(max(1, int(look * 1000))):
                return await self._recv()
            if deadline is not None and time.monotonic() >= deadline:
                raise Empty


class PatientKernelClient(AsyncKernelClient):
    """Jupyter's asynchronous kernel client with :class:`PatientChannel` for every channel
    that carries messages."""

    shell_channel_class = Type(PatientChannel)
    iopub_channel_class = Type(PatientChannel)
    stdin_channel_class = Type(PatientChannel)
    control_channel_class = Type(PatientChannel)


#: :class:`PatientKernelClient` by name, as a kernel manager's ``client_class`` takes it.
PATIENT_CLIENT = f"{__name__}.PatientKernelClient"


class PatientKernelManager(AsyncKernelManager):
    """Jupyter's asynchronous kernel manager, whose clients are :class:`PatientKernelClient`."""

    client_class = DottedObjectName(PATIENT_CLIENT)
    client_factory = Type(PatientKernelClient)
