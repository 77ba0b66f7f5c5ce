"""Builds the tellus Python package around a CMake build of libtellus.

    TELLUS_BUILD_DIR=build/release \
        pip install --no-build-isolation --no-deps bindings/python

Besides the package's own modules, the wheel carries:

- the ``tellus.v1.*_pb2`` modules: copied from the build tree, where the
  protoc that built the library generated them; without a build tree,
  generated here with ``protoc`` from ``proto/`` (TELLUS_PROTO_DIR);
- ``libtellus.so.0`` from the build tree, next to the package, where the
  package loads it from. Without a build tree the package uses the
  libtellus.so.0 installed on the system (``cmake --install``).

The build tree is TELLUS_BUILD_DIR, else the checkout's ``build/release``
when it holds a built library.
"""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from setuptools import Distribution, setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
SONAME = "libtellus.so.0"


def find_build_dir():
    env = os.environ.get("TELLUS_BUILD_DIR")
    if env:
        build = Path(env).resolve()
        if not (build / SONAME).exists():
            raise SystemExit(f"TELLUS_BUILD_DIR={env} holds no built {SONAME}")
        return build
    default = HERE.parent.parent / "build" / "release"
    return default if (default / SONAME).exists() else None


def proto_dir():
    return Path(os.environ.get("TELLUS_PROTO_DIR", HERE.parent.parent / "proto"))


class BuildWithLibrary(build_py):
    """build_py, plus the generated modules and the library."""

    def run(self):
        super().run()
        package = Path(self.build_lib) / "tellus"
        (package / "v1").mkdir(parents=True, exist_ok=True)
        build = find_build_dir()
        if build is not None:
            generated = build / "proto" / "python" / "tellus" / "v1"
            modules = sorted(generated.glob("*_pb2.py"))
            if not modules:
                raise SystemExit(f"{generated} holds no *_pb2.py modules")
            for module in modules:
                shutil.copyfile(module, package / "v1" / module.name)
            # The real file under its SONAME (the build tree's is a symlink).
            shutil.copyfile(build / SONAME, package / SONAME)
            os.chmod(package / SONAME, 0o755)
            print(f"tellus: bundled {SONAME} and the *_pb2 modules of {build}")
        else:
            self.generate_modules(package / "v1")
            print(f"tellus: no build tree; the package will load {SONAME} "
                  "from the system")

    @staticmethod
    def generate_modules(out):
        protos = sorted((proto_dir() / "tellus" / "v1").glob("*.proto"))
        if not protos:
            raise SystemExit(f"no .proto files under {proto_dir()}; set "
                             "TELLUS_BUILD_DIR or TELLUS_PROTO_DIR")
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(
                ["protoc", f"--proto_path={proto_dir()}", f"--python_out={tmp}"]
                + [str(p) for p in protos],
                check=True,
            )
            for module in sorted(Path(tmp, "tellus", "v1").glob("*_pb2.py")):
                shutil.copyfile(module, out / module.name)


class BinaryDistribution(Distribution):
    """The wheel holds a shared library: tag it for this platform."""

    def has_ext_modules(self):
        return True


setup(cmdclass={"build_py": BuildWithLibrary}, distclass=BinaryDistribution)
