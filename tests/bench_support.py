"""Import a script of bench/ (not a package) by path, for the tests that keep it from rotting."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parents[1] / "bench"


def load_bench_script(module_name: str, filename: str) -> ModuleType:
    """``bench/<filename>`` imported as ``module_name`` (registered in ``sys.modules`` for dataclasses)."""
    spec = importlib.util.spec_from_file_location(module_name, BENCH / filename)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module
