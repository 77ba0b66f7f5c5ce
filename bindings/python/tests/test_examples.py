"""The examples of examples/ run and agree with each other."""

import json
import os
import subprocess
import sys

import tellus
from conftest import AS_OF, PERIOD, env_path


def run(args):
    return subprocess.run([str(a) for a in args], check=True,
                          capture_output=True, text=True)


def test_python_example(source_dir, synthetic_csv, report):
    script = source_dir / "examples" / "report.py"
    out = run([sys.executable, script, *synthetic_csv, "--period", PERIOD,
               "--as-of", AS_OF, "--homes", "28000"])
    assert "2023/24 (compared with 2022/23)" in out.stdout
    assert "complaints_received" in out.stdout
    assert "rejected" in out.stderr
    as_json = run([sys.executable, script, *synthetic_csv, "--period", PERIOD,
                   "--as-of", AS_OF, "--homes", "28000", "--json"])
    assert json.loads(as_json.stdout) == report.to_dict()
    as_text = run([sys.executable, script, *synthetic_csv, "--as-of", AS_OF,
                   "--text"])
    assert "complaints were received in 2023/24" in as_text.stdout
    bad = subprocess.run([sys.executable, script, "missing.csv", "x.csv"],
                         capture_output=True, text=True)
    assert bad.returncode == 1 and "missing.csv" in bad.stderr


def test_c_and_cpp_examples_print_the_same_report(synthetic_csv, dataset):
    expected = dataset.report(period=PERIOD, as_of=AS_OF)
    c = run([env_path("TELLUS_EXAMPLE_C"), *synthetic_csv, PERIOD, AS_OF, "json"])
    assert json.loads(c.stdout) == expected.to_dict()
    c_text = run([env_path("TELLUS_EXAMPLE_C"), *synthetic_csv, PERIOD, AS_OF])
    cpp_text = run([env_path("TELLUS_EXAMPLE_CPP"), *synthetic_csv, PERIOD, AS_OF])
    assert c_text.stdout == cpp_text.stdout == expected.to_text()


def test_package_from_the_build_tree():
    # ctest runs the package staged in the build tree, with the library the
    # build made, not one from elsewhere.
    build = os.environ.get("TELLUS_BUILD_DIR")
    if build:
        assert tellus.__file__.startswith(os.path.realpath(build)) or \
            tellus.__file__.startswith(build)
        assert os.path.realpath(tellus.library_path).startswith(
            os.path.realpath(build))
