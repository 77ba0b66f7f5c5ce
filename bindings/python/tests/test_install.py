"""`pip install bindings/python` puts a working package in place.

The package source is copied to a scratch folder first, so that pip's build
leaves nothing in the checkout. Installs go to a --target folder: no network,
no build isolation, no dependencies (Debian's python3-protobuf provides
protobuf), nothing outside the scratch folder touched.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import AS_OF, PERIOD, env_path

CHECK = f"""
import json, sys, tellus
print(json.dumps({{"path": tellus.library_path, "file": tellus.__file__}}))
ds = tellus.Dataset.from_csv(cases=sys.argv[1], interactions=sys.argv[2])
r = ds.report(period="{PERIOD}", as_of="{AS_OF}")
assert r.metric("complaints_received") > 0
from tellus.v1 import report_pb2, state_pb2
"""


def clean_env(**extra):
    """The environment without the build tree's package or library."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "TELLUS_LIBRARY", "TELLUS_BUILD_DIR")}
    env.update(extra)
    return env


def pip_install(source_dir, tmp_path, env):
    package = tmp_path / "src"
    shutil.copytree(source_dir / "bindings" / "python", package,
                    ignore=shutil.ignore_patterns("build", "*.egg-info",
                                                  "__pycache__", "tests"))
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-build-isolation",
         "--no-deps", "--no-index", "--disable-pip-version-check",
         "--no-cache-dir", "--quiet", "--target", str(target), str(package)],
        check=True, env=env, cwd=tmp_path)
    return target


def check_import(target, synthetic_csv, env, cwd):
    import json

    out = subprocess.run(
        [sys.executable, "-c", CHECK, *map(str, synthetic_csv)],
        check=True, capture_output=True, text=True,
        env=dict(env, PYTHONPATH=str(target)), cwd=cwd)
    return json.loads(out.stdout.splitlines()[0])


def test_pip_install_bundles_the_library(source_dir, synthetic_csv, tmp_path):
    build = env_path("TELLUS_BUILD_DIR")
    target = pip_install(source_dir, tmp_path,
                         clean_env(TELLUS_BUILD_DIR=str(build)))
    assert (target / "tellus" / "libtellus.so.0").is_file()
    assert (target / "tellus" / "v1" / "report_pb2.py").is_file()
    assert not (target / "tellus" / "_build_tree.py").exists()
    where = check_import(target, synthetic_csv, clean_env(), tmp_path)
    assert where["path"] == str(target / "tellus" / "libtellus.so.0")
    assert where["file"].startswith(str(target))


@pytest.mark.skipif(shutil.which("protoc") is None, reason="needs protoc")
def test_pip_install_without_a_build_tree(source_dir, synthetic_csv, tmp_path):
    # Modules generated with protoc; the library from TELLUS_LIBRARY (or the
    # system's, after `cmake --install`).
    build = env_path("TELLUS_BUILD_DIR")
    target = pip_install(source_dir, tmp_path,
                         clean_env(TELLUS_PROTO_DIR=str(source_dir / "proto")))
    assert not (target / "tellus" / "libtellus.so.0").exists()
    assert (target / "tellus" / "v1" / "state_pb2.py").is_file()
    library = str(Path(build, "libtellus.so.0").resolve())
    where = check_import(target, synthetic_csv,
                         clean_env(TELLUS_LIBRARY=library), tmp_path)
    assert where["path"] == library
    failed = subprocess.run(
        [sys.executable, "-c", "import tellus"], capture_output=True, text=True,
        env=clean_env(PYTHONPATH=str(target),
                      TELLUS_LIBRARY=str(tmp_path / "no-libtellus.so")))
    assert failed.returncode != 0
    assert "cannot load libtellus" in failed.stderr
