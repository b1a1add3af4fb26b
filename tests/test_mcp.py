"""`stato mcp`: a real MCP client session over stdio against a spawned `python -m stato mcp`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import anyio
import pytest
from click.testing import CliRunner

from stato.cli import cli

TOOLS = {
    "status", "resume", "validate", "read_module", "write_module",
    "plan_next", "plan_start", "plan_done", "lesson_add",
}  # fmt: skip
GOOD_SKILL = '''class Umap:
    """UMAP embedding."""

    name = "umap"
    lessons_learned = "- n_neighbors=15 suits 10k cells"

    def run(self, adata_path: str) -> str:
        return adata_path
'''


@pytest.fixture
def project(tmp_path: Path) -> Path:
    result = CliRunner().invoke(cli, ["init", "--path", str(tmp_path), "--example"])
    assert result.exit_code == 0
    return tmp_path


async def _session(root: Path, script: Any) -> Any:
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client

    params = StdioServerParameters(
        command=sys.executable, args=["-m", "stato", "mcp", "--path", str(root)]
    )
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        return await script(session)


def _text(result: Any) -> str:
    return "".join(c.text for c in result.content if getattr(c, "text", None))


def test_a_real_client_session_calls_every_tool(project: Path) -> None:
    plan_path = project / ".stato/plan.py"
    plan_before = plan_path.read_bytes()
    seen: dict[str, Any] = {}

    async def script(s: Any) -> None:
        tools = (await s.list_tools()).tools
        seen["tools"] = {t.name: t.description for t in tools}
        seen["read_only"] = {
            t.name for t in tools if t.annotations and t.annotations.read_only_hint
        }
        call = s.call_tool
        seen["status"] = await call("status", {})
        seen["resume"] = await call("resume", {})
        seen["brief"] = await call("resume", {"brief": True})
        seen["valid"] = await call("validate", {"source": GOOD_SKILL})
        seen["invalid"] = await call(
            "validate", {"source": "class X:\n    pass\n", "type": "skill"}
        )
        seen["bad_type"] = await call("validate", {"source": GOOD_SKILL, "type": "recipe"})
        seen["escape"] = await call("read_module", {"path": "../../etc/passwd"})
        seen["read"] = await call("read_module", {"path": "plan.py"})
        seen["read_missing"] = await call("read_module", {"path": "skills/nope.py"})
        seen["refused"] = await call(
            "write_module", {"path": "plan.py", "source": "class Broken:\n    steps = 1\n"}
        )
        seen["plan_unchanged"] = plan_path.read_bytes()
        seen["written"] = await call(
            "write_module", {"path": "skills/umap.py", "source": GOOD_SKILL}
        )
        seen["umap"] = (project / ".stato/skills/umap.py").read_text()
        seen["next"] = await call("plan_next", {})
        seen["start_refused"] = await call("plan_start", {"step_id": 5})
        seen["done"] = await call("plan_done", {"step_id": 4, "output": "2000 HVGs"})
        seen["start"] = await call("plan_start", {"step_id": 5})
        seen["lesson"] = await call("lesson_add", {"skill": "umap", "text": "min_dist=0.3"})
        seen["resources"] = [str(r.uri) for r in (await s.list_resources()).resources]
        seen["plan_resource"] = (await s.read_resource("stato://modules/plan.py")).contents[0].text

    anyio.run(_session, project, script)

    assert set(seen["tools"]) == TOOLS
    assert seen["read_only"] == {"status", "resume", "validate", "read_module", "plan_next"}
    assert all(len(d) <= 80 for d in seen["tools"].values())  # they cost tokens at every start
    status = seen["status"].structured_content
    assert {m["path"] for m in status["modules"]} >= {"plan.py", "skills/qc.py"}
    assert "PLAN" in _text(seen["resume"]) and "stato project" in _text(seen["brief"])
    assert seen["valid"].structured_content["valid"] is True
    codes = [d["code"] for d in seen["invalid"].structured_content["diagnostics"]]
    assert "E003" in codes and "E004" in codes
    assert seen["bad_type"].is_error and "unknown type 'recipe'" in _text(seen["bad_type"])
    assert seen["escape"].is_error and "stay inside" in _text(seen["escape"])
    assert _text(seen["read"]) == plan_before.decode()
    assert seen["read_missing"].is_error and "skills/qc.py" in _text(seen["read_missing"])

    # the refused write: an error naming the E-codes, and plan.py byte for byte as before
    assert seen["refused"].is_error
    assert "refused" in _text(seen["refused"]) and "E003" in _text(seen["refused"])
    assert seen["plan_unchanged"] == plan_before

    assert seen["written"].structured_content["written"] is True
    assert seen["umap"] == GOOD_SKILL
    assert seen["next"].structured_content["current"]["id"] == 4
    assert seen["start_refused"].is_error and "depends on step(s) 4" in _text(seen["start_refused"])
    assert seen["done"].structured_content["next"]["id"] == 5
    assert seen["start"].structured_content["after"] == "running"
    assert seen["lesson"].structured_content["lessons"] == 2
    assert "- min_dist=0.3" in (project / ".stato/skills/umap.py").read_text()
    assert "stato://modules/plan.py" in seen["resources"]
    assert "stato://modules/skills/umap.py" in seen["resources"]  # written in this session
    assert '"output": "2000 HVGs"' in seen["plan_resource"]


BLOCK_MCP = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name == "mcp" or name.startswith("mcp."):
            raise ModuleNotFoundError(name)
sys.meta_path.insert(0, Block())
from stato.cli import main
main(sys.argv[1:])
"""


def test_without_the_extra_it_says_how_to_install_in_one_line(project: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", BLOCK_MCP, "mcp", "--path", str(project)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        "error: the MCP server needs the mcp extra (mcp>=2,<3): pip install 'stato[mcp]'"
    ]


def test_help_does_not_need_mcp(project: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", BLOCK_MCP, "mcp", "--help"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0 and "install" in done.stdout


def test_errors_are_one_line_and_results_plain_json(project: Path) -> None:
    async def script(s: Any) -> Any:
        return await s.call_tool("lesson_add", {"skill": "nosuch", "text": "x"}), await s.call_tool(
            "plan_next", {}
        )

    error, result = anyio.run(_session, project, script)
    assert error.is_error
    assert "no skill 'nosuch'" in _text(error) and "Traceback" not in _text(error)
    assert json.loads(_text(result)) == result.structured_content


def test_outside_a_project_it_serves_and_says_so(tmp_path: Path) -> None:
    """A user-level registration starts in every folder: no failed server, and nothing written."""
    seen: dict[str, Any] = {}

    async def script(s: Any) -> None:
        seen["tools"] = {t.name for t in (await s.list_tools()).tools}
        seen["status"] = await s.call_tool("status", {})
        seen["write"] = await s.call_tool("write_module", {"path": "x.py", "source": GOOD_SKILL})

    anyio.run(_session, tmp_path, script)
    assert seen["tools"] == TOOLS
    for name in ("status", "write"):
        assert seen[name].is_error and "no .stato/ project" in _text(seen[name])
    assert list(tmp_path.iterdir()) == []


def test_plan_done_refuses_what_plan_done_refuses(project: Path) -> None:
    """Completing a step whose dependencies are open is refused by the CLI and MCP alike."""
    plan_path = project / ".stato/plan.py"
    before = plan_path.read_bytes()
    cli_result = CliRunner().invoke(cli, ["plan", "done", "6", "--path", str(project)])
    assert cli_result.exit_code == 1 and "depends on step(s) 5" in cli_result.output
    seen: dict[str, Any] = {}

    async def script(s: Any) -> None:
        seen["done"] = await s.call_tool("plan_done", {"step_id": 6})

    anyio.run(_session, project, script)
    assert seen["done"].is_error and "depends on step(s) 5" in _text(seen["done"])
    assert plan_path.read_bytes() == before


def test_calls_in_flight_when_stdin_closes_are_all_answered(project: Path) -> None:
    """A client that writes its calls and then closes stdin gets every answer: the SDK's own
    stdio loop cancelled the calls still running at end of input (3 of 10 came back)."""
    import mcp_types as types
    from mcp import ClientSession
    from mcp.shared.message import SessionMessage

    calls = 10

    async def main() -> tuple[list[Any], int | None]:
        proc = await anyio.open_process(
            [sys.executable, "-m", "stato", "mcp", "--path", str(project)]
        )
        assert proc.stdin is not None and proc.stdout is not None
        stdin, stdout = proc.stdin, proc.stdout
        to_client, client_reads = anyio.create_memory_object_stream[SessionMessage | Exception](100)
        client_writes, from_client = anyio.create_memory_object_stream[SessionMessage](100)

        async def server_to_client() -> None:
            async with to_client:
                buffer = b""
                async for chunk in stdout:
                    buffer += chunk
                    *lines, buffer = buffer.split(b"\n")
                    for line in filter(None, lines):
                        message = types.jsonrpc_message_adapter.validate_json(line)
                        await to_client.send(SessionMessage(message))

        async def client_to_server() -> None:
            sent = 0
            async for item in from_client:
                data = item.message.model_dump_json(by_alias=True, exclude_unset=True)
                await stdin.send(data.encode() + b"\n")
                if isinstance(item.message, types.JSONRPCRequest) and item.message.method == (
                    "tools/call"
                ):
                    sent += 1
                    if sent == calls:  # every call written: close stdin with them in flight
                        await stdin.aclose()
                        return

        results: list[Any] = [None] * calls
        with anyio.fail_after(120):  # a hang guard, not a timing assertion
            async with anyio.create_task_group() as tg:
                tg.start_soon(server_to_client)
                tg.start_soon(client_to_server)
                async with ClientSession(client_reads, client_writes) as session:
                    await session.initialize()
                    await session.list_tools()  # the session checks each result against it

                    async def call(i: int) -> None:
                        results[i] = await session.call_tool("status", {})

                    async with anyio.create_task_group() as in_flight:
                        for i in range(calls):
                            in_flight.start_soon(call, i)
                tg.cancel_scope.cancel()  # the session is done; stop relaying
            await proc.wait()
        return results, proc.returncode

    results, code = anyio.run(main)
    assert code == 0
    assert all(r is not None and not r.is_error for r in results)
    assert all("plan.py" in {m["path"] for m in r.structured_content["modules"]} for r in results)
