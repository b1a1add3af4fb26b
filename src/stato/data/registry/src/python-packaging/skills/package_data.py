class PackageData:
    """Ship non-Python files (templates, data, schemas) inside the wheel and read them safely."""

    name = "package-data"
    description = "Include data files in wheels and read them with importlib.resources"
    version = "1.0.0"
    depends_on = ["pyproject-metadata"]
    tags = ["python", "packaging", "package-data"]
    input_schema = {
        "package": "str: import name of the package",
        "data_dir": "str: folder inside it",
    }
    output_schema = {"wheel_files": "list: data files found in the built wheel"}
    default_params = {
        "reader": "importlib.resources.files",
        "verify_with": "python -m zipfile -l dist/*.whl",
    }
    lessons_learned = """
- Keep data files inside the package folder (src/<package>/data/...); files outside it are not
  installed by any backend without extra configuration.
- hatchling ships every file under the package that git does not ignore; a .gitignore'd file is
  silently left out. setuptools needs include-package-data (on by default with pyproject.toml)
  plus MANIFEST.in, or [tool.setuptools.package-data].
- Read files with importlib.resources.files("package") / "data" / "name.toml"; it works from
  wheels, zip imports and editable installs, where paths built from __file__ can break.
- Always check what the wheel holds: python -m zipfile -l dist/*.whl, then install the wheel
  in a fresh virtual environment and run the tests against it.
- The sdist and the wheel can differ: build the wheel from the sdist (python -m build does this
  by default) to catch files missing from the sdist.
"""

    @staticmethod
    def run(package: str, data_dir: str = "data", **kwargs: object) -> dict[str, object]:
        params = {**PackageData.default_params, **kwargs}
        return {"package": package, "data_dir": data_dir, "params": params}
