class PyprojectMetadata:
    """Write a pyproject.toml that builds, installs and describes the project correctly."""

    name = "pyproject-metadata"
    description = (
        "Declare build system and PEP 621 project metadata in pyproject.toml with a src layout"
    )
    version = "1.0.0"
    depends_on = ["build"]
    tags = ["python", "packaging", "pyproject"]
    input_schema = {"project_dir": "str: folder that holds (or will hold) pyproject.toml"}
    output_schema = {"pyproject": "str: path of the written pyproject.toml"}
    default_params = {
        "build_backend": "hatchling.build",
        "build_requires": ["hatchling>=1.27"],
        "layout": "src",
        "requires_python": ">=3.10",
        "license_expression": "MIT",
    }
    lessons_learned = """
- Every pyproject.toml needs [build-system] (requires + build-backend) and a [project] table
  (PEP 621) with at least name and version (or dynamic = ["version"]).
- Use the src layout (src/<package>/): tests then import the installed package, not the working
  copy, so a file missing from the wheel fails the tests instead of the users.
- The distribution name is normalized (PEP 503: lowercase, runs of '-', '_' and '.' become '-');
  the import name is separate and must be a valid identifier.
- Write the license as an SPDX expression, license = "MIT", with license-files = ["LICEN[CS]E*"]
  (PEP 639). It needs a recent backend (hatchling >= 1.27, setuptools >= 77); do not also add
  "License ::" classifiers, which are deprecated with it.
- Library dependencies get lower bounds ("requests>=2.31"), not pins; add an upper bound only
  for a known break. Pins belong in an application's lock file.
- requires-python gets a lower bound only; an upper cap ("<4") breaks resolvers for no gain.
- Optional features go in [project.optional-dependencies]; console commands in [project.scripts]
  ("tool = pkg.cli:main").
- Editable installs (pip install -e .) need a PEP 660 backend; hatchling and modern setuptools both
  support it.
"""

    @staticmethod
    def run(project_dir: str, **kwargs: object) -> dict[str, object]:
        params = {**PyprojectMetadata.default_params, **kwargs}
        return {"project_dir": project_dir, "params": params}
