"""Build the built-in registry (src/stato/data/registry) from the module sources kept beside it.

Each folder src/stato/data/registry/src/<package>/ holds a package.toml (index metadata) and the
package's modules laid out as in .stato/ (skills/qc.py, plan.py, ...). Every module must compile
without errors. The archives are deterministic: the same sources and stato version give the same
bytes. Run: python scripts/build_builtin_registry.py [--check]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 has no tomllib; tomli is the same parser
    import tomli as tomllib

from stato import __version__
from stato.adapters.archive import archive_bytes, read_archive
from stato.core.compiler import compile_source
from stato.formats.manifest import Manifest, ModuleEntry
from stato.formats.registry_index import (
    INDEX_FILE,
    PackageEntry,
    RegistryIndex,
    dump_index,
    parse_index,
)

REGISTRY = Path(__file__).resolve().parents[1] / "src" / "stato" / "data" / "registry"
TITLE = "stato built-in registry"


def sources(package_dir: Path) -> dict[str, str]:
    """The package's modules by .stato-relative posix path."""
    return {
        p.relative_to(package_dir).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(package_dir.rglob("*.py"))
        if "__pycache__" not in p.parts
    }


def build_package(package_dir: Path) -> tuple[PackageEntry, bytes]:
    meta = tomllib.loads((package_dir / "package.toml").read_text(encoding="utf-8"))
    modules = sources(package_dir)
    if not modules:
        sys.exit(f"{package_dir}: no modules")
    entries = []
    for rel, text in modules.items():
        result = compile_source(text, rel)
        if not result.valid or result.changed:
            codes = ", ".join(d.code for d in result.diagnostics)
            sys.exit(f"{package_dir.name}/{rel}: does not validate cleanly ({codes})")
        assert result.module_type is not None and result.class_name is not None
        version = result.fields.get("version")
        entries.append(
            ModuleEntry.for_text(
                rel,
                text,
                result.module_type,
                result.class_name,
                version if isinstance(version, str) else None,
            )
        )
    manifest = Manifest(
        name=meta["name"],
        created=meta["updated"],
        stato_version=__version__,
        modules=tuple(sorted(entries, key=lambda e: e.path)),
    )
    data = archive_bytes(manifest, modules)
    entry = PackageEntry(
        name=meta["name"],
        description=meta["description"],
        author=meta["author"],
        version=meta["version"],
        tags=tuple(meta["tags"]),
        modules=len(modules),
        updated=meta["updated"],
        url=f"{meta['name']}-{meta['version']}.stato",
        sha256=hashlib.sha256(data).hexdigest(),
    )
    return entry, data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit 1 if the built archives' modules differ from the sources",
    )
    args = parser.parse_args(argv)
    built = [build_package(d) for d in sorted((REGISTRY / "src").iterdir()) if d.is_dir()]
    if args.check:
        index = parse_index((REGISTRY / INDEX_FILE).read_bytes(), "builtin")
        stale = []
        for entry, _ in built:
            shipped = next((p for p in index.packages if p.spec == entry.spec), None)
            modules = sources(REGISTRY / "src" / entry.name)
            if shipped is None or read_archive(REGISTRY / shipped.url).modules != modules:
                stale.append(entry.spec)
        if stale:
            print(f"stale built-in packages: {', '.join(stale)}; rebuild them", file=sys.stderr)
            return 1
        print(f"{len(built)} built-in packages match their sources")
        return 0
    for old in REGISTRY.glob("*.stato"):
        old.unlink()
    for entry, data in built:
        (REGISTRY / entry.url).write_bytes(data)
        print(f"{entry.spec}: {entry.modules} modules, {len(data)} bytes, sha256 {entry.sha256}")
    index = RegistryIndex(tuple(e for e, _ in built), TITLE)
    (REGISTRY / INDEX_FILE).write_text(dump_index(index), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
