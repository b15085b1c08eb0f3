"""The layer built the way `sam build` builds it, and each handler imported from it, isolated.

To stay fast and offline the build runs the Makefile's own target with native, no-dependency
flags (PIP_TARGET_FLAGS=--no-deps, PIP_WHEEL_FLAGS=--no-deps --no-build-isolation): the radar
package comes from the artifact, its third-party dependencies from this environment's
site-packages (standing in for the rest of the layer and for the runtime's boto3).
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.infra.template_support import functions, handler_file
from tests.support.aws import PROJECT_ROOT, load_template

TEMPLATE_DATA = load_template()
FUNCTIONS = sorted(functions(TEMPLATE_DATA))
# Handlers that parse no pages must not pay for the parsers at cold start.
NO_PARSERS = {"ScheduleSourcesFunction"}
PARSERS = ("bs4", "feedparser", "lxml")

PROBE = """
import importlib.util, json, sys
sys.path[:0] = [sys.argv[1], sys.argv[2]]
sys.path.append(sys.argv[3])
import handler
import radar.settings
spec = importlib.util.find_spec("radar.settings")
print(json.dumps({
    "radar": radar.__file__,
    "handler": callable(getattr(handler, sys.argv[4], None)),
    "cached": spec.cached,
    "modules": sorted(m for m in sys.modules if "." not in m),
}))
"""


@pytest.fixture(scope="module")
def artifact(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The layer content (its `python/` folder), built from a copy of the project."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    if not _can_build_wheels_offline():
        pytest.skip(
            "building the project wheel without build isolation needs setuptools>=70.1 or the "
            "wheel package in this environment (pip install 'setuptools>=70.1')"
        )
    root = tmp_path_factory.mktemp("build")
    src = root / "src"
    # What the build reads: the Makefile, pyproject.toml (and the README it names), the package.
    src.mkdir()
    for name in ("Makefile", "pyproject.toml", "README.md"):
        shutil.copy(PROJECT_ROOT / name, src / name)
    shutil.copytree(
        PROJECT_ROOT / "shared" / "radar",
        src / "shared" / "radar",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    out = root / "artifacts"
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    done = subprocess.run(
        [
            "make",
            "--no-print-directory",
            "build-RadarLayer",
            f"ARTIFACTS_DIR={out}",
            f"PYTHON={sys.executable}",
            f"COMPILE_PYTHON={sys.executable}",
            f"LAMBDA_PYTHON={version}",
            "PIP_TARGET_FLAGS=--no-deps",
            "PIP_WHEEL_FLAGS=--no-deps --no-build-isolation",
        ],
        cwd=src,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, f"make build-RadarLayer failed:\n{done.stdout}\n{done.stderr}"
    return out / "python"


def _can_build_wheels_offline() -> bool:
    if importlib.util.find_spec("wheel") is not None:
        return True
    from importlib.metadata import version

    major, minor = (int(x) for x in version("setuptools").split(".")[:2])
    return (major, minor) >= (70, 1)  # bdist_wheel moved into setuptools in 70.1


def probe(artifact: Path, name: str) -> dict[str, object]:
    path, attr = handler_file(TEMPLATE_DATA, name)
    site = sysconfig.get_paths()["purelib"]
    # -I: no user site, no PYTHON* variables; -S: no site-packages and no .pth files, so the
    # editable install of radar cannot leak in. The function folder comes first, as in Lambda.
    done = subprocess.run(
        [sys.executable, "-I", "-S", "-c", PROBE, str(path.parent), str(artifact), site, attr],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "AWS_DEFAULT_REGION": "us-east-1"},
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_packaging_layer_holds_the_package_and_its_data(artifact: Path) -> None:
    assert (artifact / "radar" / "__init__.py").is_file()
    assert (artifact / "radar" / "catalog" / "sources.yaml").is_file()
    assert (artifact / "radar" / "classify" / "rules.yaml").is_file()


def test_packaging_layer_is_precompiled_with_unchecked_hashes(artifact: Path) -> None:
    pycs = list((artifact / "radar").rglob("*.pyc"))
    sources = list((artifact / "radar").rglob("*.py"))
    assert len(pycs) == len(sources)
    for pyc in pycs:
        flags = int.from_bytes(pyc.read_bytes()[4:8], "little")
        assert flags == 0b01, f"{pyc.name}: not an unchecked hash-based .pyc"


def test_packaging_layer_leaves_out_build_leftovers(artifact: Path) -> None:
    assert not (artifact / "bin").exists()
    assert not (artifact.parent / "wheels").exists()
    assert not list(artifact.rglob("tests"))


@pytest.mark.parametrize("name", FUNCTIONS)
def test_packaging_handler_imports_from_the_artifact(artifact: Path, name: str) -> None:
    found = probe(artifact, name)
    assert found["handler"] is True
    assert str(found["radar"]).startswith(str(artifact))
    assert str(found["cached"]).startswith(str(artifact))


@pytest.mark.parametrize("name", sorted(NO_PARSERS))
def test_packaging_handler_without_pages_skips_the_parsers(artifact: Path, name: str) -> None:
    modules = probe(artifact, name)["modules"]
    assert isinstance(modules, list)
    assert [m for m in PARSERS if m in modules] == []
