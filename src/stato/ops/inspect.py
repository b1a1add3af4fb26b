"""`stato inspect`: an archive's metadata and each module's compile status, nothing extracted."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from stato.adapters.archive import read_archive
from stato.core.compiler import compile_source
from stato.core.gate import Blocked
from stato.core.model import ValidationResult
from stato.errors import StatoError
from stato.formats.manifest import ORIGIN, Manifest
from stato.formats.manifest_v0 import notes as archive_notes
from stato.ops.trust import SignatureCheck


@dataclass(frozen=True)
class InspectResult:
    """An archive's metadata and each module's compile status; nothing extracted or run."""

    path: str
    manifest: Manifest
    modules: tuple[ValidationResult, ...] = field(default_factory=tuple)
    signature: SignatureCheck | None = None
    signature_error: str | None = None  # why an import would refuse the signature
    blocked: tuple[Blocked, ...] = ()  # modules the inbound gate would refuse

    @property
    def ok(self) -> bool:
        return all(r.valid for r in self.modules) and not self.blocked and not self.signature_error

    @property
    def notes(self) -> tuple[str, ...]:
        return archive_notes(self.manifest, Path(self.path).name)

    def to_dict(self) -> dict[str, Any]:
        data = self.manifest.to_dict()
        by_path = {r.path: r for r in self.modules}
        for m in data["modules"]:
            r = by_path[m["path"]]
            m["valid"] = r.valid
            m["diagnostics"] = [d.to_dict() for d in r.diagnostics]
        if self.manifest.origin != ORIGIN:  # 0.11 wrote the string "1"; 0.5 wrote none
            data["format_version"] = "1" if self.manifest.checksums else None
            data["description"] = self.manifest.description
            data["author"] = self.manifest.author
        extra = {
            "checksums": self.manifest.checksums,
            "notes": list(self.notes),
            "signature": self.signature.to_dict() if self.signature else None,
            "signature_error": self.signature_error,
            "injection": [
                {"path": b.path, "findings": [f.to_dict() for f in b.findings]}
                for b in self.blocked
            ],
        }
        return {"path": self.path, "origin": self.manifest.origin, **data, **extra}


def inspect_archive(path: Path | str) -> InspectResult:
    """Read an archive (hostile-safe), compile each module as the type its manifest names, and
    say what an import would: its signature (against the user's allowed signers) and any module
    the inbound gate would refuse."""
    from stato.adapters.signing import Policy, load_policy
    from stato.core.gate import blocked
    from stato.errors import TrustError
    from stato.ops.trust import check_signature

    archive = read_archive(path)
    results = tuple(
        compile_source(archive.modules[e.path], e.path, e.type) for e in archive.manifest.modules
    )
    checked, problem = None, None
    try:
        policy = load_policy(None)
        checked = check_signature(archive, replace(policy, require_signature=False), "it")
    except TrustError as exc:
        problem = str(exc).removeprefix("it: ")
    except StatoError:  # an unreadable user config: the signature is reported unchecked
        checked = check_signature(archive, Policy(), "it") if archive.signature is None else None
    found = tuple(blocked(archive.modules))
    return InspectResult(str(path), archive.manifest, results, checked, problem, found)
