"""The package documents itself: help() reads well, every public name has a
docstring, public functions have type hints."""

import inspect
import pydoc

import tellus


def test_every_public_name_is_documented_and_typed():
    for name in tellus.__all__:
        obj = getattr(tellus, name)
        if isinstance(obj, str):
            continue
        assert inspect.getdoc(obj), name
        if inspect.isfunction(obj):
            hints = obj.__annotations__
            assert "return" in hints, name
        if inspect.isclass(obj):
            for attr, member in vars(obj).items():
                if attr.startswith("_") or not callable(member):
                    continue
                assert inspect.getdoc(member), f"{name}.{attr}"


def test_help_reads_well():
    text = pydoc.render_doc(tellus, renderer=pydoc.plaintext)
    for phrase in ("Dataset.from_csv", "report_from_partial", "add_working_days",
                   "tellus.Error"):
        assert phrase in text
    dataset_help = pydoc.render_doc(tellus.Dataset, renderer=pydoc.plaintext)
    assert "from_csv(cases" in dataset_help
    assert "rejected rows" in dataset_help
