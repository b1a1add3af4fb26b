"""adapters.jsonconfig: merge into JSON or TOML settings, keep layout and a backup."""

from __future__ import annotations

from pathlib import Path

import pytest

from stato.adapters.jsonconfig import (
    SettingsError,
    backup_path,
    check_parses,
    update_json,
    update_toml_table,
)


@pytest.mark.parametrize("indent", ["    ", "\t", "  "])
def test_json_keeps_the_files_indent_and_key_order(tmp_path: Path, indent: str) -> None:
    path = tmp_path / "settings.json"
    path.write_text("{\n" + indent + '"b": 1,\n' + indent + '"a": [1, 2]\n}\n')
    change = update_json(path, lambda d: d.update(z=True))
    assert change.changed and change.backup == backup_path(path)
    text = path.read_text()
    assert text.startswith("{\n" + indent + '"b": 1,')
    assert list(__import__("json").loads(text)) == ["b", "a", "z"]


def test_json_unchanged_object_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text('{"a":1}')
    change = update_json(path, lambda d: d.update(a=1))
    assert not change.changed and path.read_text() == '{"a":1}'
    assert not backup_path(path).exists()


def test_json_missing_or_blank_file_is_an_empty_object(tmp_path: Path) -> None:
    blank = tmp_path / "blank.json"
    blank.write_text("  \n")
    assert update_json(blank, lambda d: d.update(k=1)).changed
    missing = tmp_path / "sub" / "new.json"
    change = update_json(missing, lambda d: d.update(k=1))
    assert change.created and missing.read_text() == '{\n  "k": 1\n}\n'
    assert change.backup is None


def test_json_with_bom_parses(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b'\xef\xbb\xbf{"a": 1}')
    update_json(path, lambda d: d.update(b=2))
    assert path.read_text() == '{\n  "a": 1,\n  "b": 2\n}\n'


def test_delete_if(tmp_path: Path) -> None:
    path = tmp_path / "owned.json"
    path.write_text('{"version": 1, "x": 1}')
    change = update_json(path, lambda d: d.pop("x"), delete_if=lambda d: d == {"version": 1})
    assert change.deleted and not path.exists()
    assert backup_path(path).read_text() == '{"version": 1, "x": 1}'


def test_bad_json_names_file_and_position(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{\n  "a": 1,,\n}')  # one trailing comma is JSONC; two are not
    # The position wording differs between Python versions (3.13 names the trailing comma).
    with pytest.raises(SettingsError, match=r"bad\.json is not valid JSON .* line \d+ column \d+"):
        update_json(path, lambda d: d.update(b=1))
    with pytest.raises(SettingsError):
        check_parses(path)


TOML = '# top comment\nkey = "v"  # inline\n\n[servers.other]\ncommand = "x"\n\n[tail]\nn = 1\n'


def test_toml_table_added_then_removed_restores_bytes(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(TOML)
    assert update_toml_table(path, ("servers", "stato"), {"command": "stato"}).changed
    assert path.read_text().startswith(TOML)
    assert not update_toml_table(path, ("servers", "stato"), {"command": "stato"}).changed
    assert update_toml_table(path, ("servers", "stato"), None).changed
    assert path.read_text() == TOML


def test_toml_table_replaced_in_the_middle_keeps_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        TOML.replace(
            "[tail]", '[servers.stato]\ncommand = "old"\n\n[servers.stato.env]\nA = "1"\n\n[tail]'
        )
    )
    update_toml_table(path, ("servers", "stato"), {"command": "new"})
    text = path.read_text()
    assert "old" not in text and 'A = "1"' not in text
    assert "[tail]\nn = 1\n" in text and text.startswith("# top comment\n")


def test_bad_toml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("key = \n")
    with pytest.raises(SettingsError, match="config.toml is not valid TOML"):
        update_toml_table(path, ("a", "b"), {"c": 1})
    assert path.read_text() == "key = \n"
