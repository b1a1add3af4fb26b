class BuildAndPublish:
    """Build sdists and wheels and upload them to PyPI without long-lived secrets."""

    name = "build-and-publish"
    description = "Build with python -m build, check with twine, publish via trusted publishing"
    version = "1.0.0"
    depends_on = ["build", "twine", "versioning", "package-data"]
    tags = ["python", "packaging", "pypi", "release", "ci"]
    input_schema = {
        "project_dir": "str: folder with pyproject.toml",
        "repository": "str: pypi or testpypi",
    }
    output_schema = {"dist": "list: built sdist and wheel files"}
    default_params = {
        "repository": "testpypi",
        "clean_dist": True,
        "publish_action": "pypa/gh-action-pypi-publish@release/v1",
    }
    lessons_learned = """
- Build both artifacts in an isolated environment: python -m build (sdist and wheel into dist/).
  Empty dist/ first so an old file is never uploaded by a dist/* glob.
- Check before uploading: twine check dist/* catches a README that PyPI cannot render.
- Try a new project on TestPyPI first (twine upload --repository testpypi dist/*), then install
  it from there in a fresh environment.
- Prefer trusted publishing from CI: register the workflow as a trusted publisher on PyPI, give
  the job permissions id-token: write and a protected environment, and use
  pypa/gh-action-pypi-publish. No API token is stored anywhere.
- If a token is unavoidable, scope it to one project, store it as a CI secret, and never put it
  in a file in the repository (~/.pypirc included).
- Pure-Python projects need one py3-none-any wheel; compiled extensions need wheels per platform,
  built with cibuildwheel.
- Build once and upload the same files that were tested; do not rebuild in the publish step.
"""

    @staticmethod
    def run(project_dir: str, repository: str = "testpypi", **kwargs: object) -> dict[str, object]:
        params = {**BuildAndPublish.default_params, **kwargs}
        return {"project_dir": project_dir, "repository": repository, "params": params}
