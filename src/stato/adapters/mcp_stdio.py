"""The MCP stdio transport, drained: every request read before stdin closed is answered."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream
    from mcp.server.mcpserver import MCPServer
    from mcp.shared.message import SessionMessage

# How long, after stdin closed, the server keeps answering the requests it already read. A
# bound, so a request the server never answers (a bug) cannot keep the process alive forever;
# generous, so a slow tool call (validate over a large project) still gets its answer.
DRAIN_SECONDS = 300.0
CANCELLED = "notifications/cancelled"


def serve_stdio(server: MCPServer) -> None:
    """Serve ``server`` on stdin/stdout until stdin closes and every request read is answered.

    The SDK's own ``run("stdio")`` cancels the requests in flight the moment stdin closes, so a
    client that writes its requests and then closes stdin (``printf ... | stato mcp``, a
    client shutting down) lost the answers to all but the first few.
    """
    import anyio

    anyio.run(_serve, server)


async def _serve(server: MCPServer) -> None:
    from mcp.server.stdio import stdio_server

    # MCPServer.run_stdio_async is these lines over the raw streams; the low-level server is
    # not public in mcp 2.x (pinned <3 in pyproject.toml), and without it we serve as before.
    low: Any = getattr(server, "_lowlevel_server", None)
    if low is None:  # pragma: no cover - an SDK that renamed it: undrained, but still served
        await server.run_stdio_async()
        return
    async with stdio_server() as (read, write), drained(read, write) as (inner_read, inner_write):
        await low.run(inner_read, inner_write, low.create_initialization_options())


@asynccontextmanager
async def drained(
    read: Any, write: Any
) -> AsyncIterator[
    tuple[
        MemoryObjectReceiveStream[SessionMessage | Exception],
        MemoryObjectSendStream[SessionMessage],
    ]
]:
    """The server's side of ``read``/``write``: its read stream ends only once every request
    that came in has had its response (or error) sent, or was cancelled by the client."""
    import anyio
    import mcp_types as types
    from mcp.shared.message import SessionMessage

    pending: set[Any] = set()  # ids of requests read and not yet answered
    answered = anyio.Event()  # set whenever ``pending`` becomes empty
    in_send, in_recv = anyio.create_memory_object_stream[SessionMessage | Exception](0)
    out_send, out_recv = anyio.create_memory_object_stream[SessionMessage](0)

    def settle(request_id: Any) -> None:
        nonlocal answered
        pending.discard(request_id)
        if not pending:
            answered.set()
            answered = anyio.Event()

    async def inbound() -> None:
        async with in_send:
            async for item in read:
                message = item.message if isinstance(item, SessionMessage) else None
                if isinstance(message, types.JSONRPCRequest):
                    pending.add(message.id)
                elif isinstance(message, types.JSONRPCNotification) and message.method == CANCELLED:
                    settle((message.params or {}).get("requestId"))  # never answered, by the spec
                await in_send.send(item)
            # stdin closed. Ending the server's read stream now would cancel every handler
            # still running: wait for their answers first.
            with anyio.move_on_after(DRAIN_SECONDS):
                while pending:
                    await answered.wait()

    async def outbound() -> None:
        async with out_recv:
            async for item in out_recv:
                await write.send(item)
                if isinstance(item.message, (types.JSONRPCResponse, types.JSONRPCError)):
                    settle(item.message.id)  # after the send: the answer is on its way out
        await write.aclose()  # the server is done writing: stdio_server's writer may finish

    async with anyio.create_task_group() as tg:
        tg.start_soon(inbound)
        tg.start_soon(outbound)
        yield in_recv, out_send
