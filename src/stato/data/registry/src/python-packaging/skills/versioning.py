class Versioning:
    """Keep one source of truth for the version and release versions that tools agree on."""

    name = "versioning"
    description = (
        "Single-source the package version, follow PEP 440 and never reuse a released version"
    )
    version = "1.0.0"
    depends_on = ["pyproject-metadata"]
    tags = ["python", "packaging", "versioning", "release"]
    input_schema = {"current": "str: the current version"}
    output_schema = {"next": "str: the version to release"}
    default_params = {
        "source": "src/<package>/__init__.py",
        "scheme": "semver",
        "tag_prefix": "v",
    }
    lessons_learned = """
- One source of truth: either a __version__ in the package read by the backend
  ([tool.hatch.version] path = "src/pkg/__init__.py", dynamic = ["version"]), or the git tag
  via hatch-vcs / setuptools-scm. At run time use importlib.metadata.version("dist-name").
- Versions follow PEP 440: 1.2.0, 1.2.0rc1, 1.2.0.post1, 1.3.0.dev2. "1.2.0-rc1" is
  normalized to 1.2.0rc1; write the normalized form to avoid confusion.
- PyPI never accepts the same file name twice, even after a release is deleted: a broken upload
  needs a new version (a .post release for packaging-only fixes).
- Bump with semantic meaning: major for breaking changes, minor for features, patch for fixes;
  before 1.0 every minor may break, so say so in the changelog.
- Release order: update the changelog, bump the version, commit, tag (vX.Y.Z), build, upload
  from the tag, so the artifact and the tag always match.
"""

    @staticmethod
    def run(current: str, part: str = "patch", **kwargs: object) -> dict[str, object]:
        params = {**Versioning.default_params, **kwargs}
        return {"current": current, "part": part, "params": params}
