"""Shared fixtures (project paths, a fresh profile cache per test, one PostgreSQL server) and the
markers every test gets from where it lives and what it drives (pyproject.toml lists them)."""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from types import ModuleType

import pytest
from _pytest.mark.expression import Expression, ParseError
from hypothesis import settings as hypothesis_settings

from bot.profile import active_profile
from devstack.paths import PROJECT_ROOT

__all__ = ["PROJECT_ROOT"]  # tests import the project's root from here
TESTS = Path(__file__).resolve().parent
# The test directory decides the kind of test.
DIRECTORY_MARKERS = {"unit": "unit", "integration": "integration", "e2e": "e2e", "nlu": "nlu"}
# Known to take minutes or tens of seconds on a two-core machine (node ids, or their start).
# In tests/unit these are `slow` instead of `unit`, so `pytest -m unit` stays a quick check.
SLOW = (
    "unit/test_validate_data.py",  # Rasa's data validator, twice, in a subprocess
    "unit/test_spacy_lemmatizer.py",  # builds spaCy's full Swedish lookup table (800 000 forms)
    "unit/test_rasa_server.py::test_tensorflow_loads_without_jax",  # TensorFlow in a subprocess
    "nlu/",  # loads the trained model and parses every held-out message
    "e2e/test_answer_sets.py",  # 40 whole conversations
    "e2e/test_scale_out.py",  # two Rasa servers, nginx and Redis
)

# Timed assertions (issue 13's flood test compares answer times with and without a flood): they
# run after the workers, alone on the machine (scripts/test.sh: `-m alone`), because another
# worker's load would change the figures between the test's own phases.
ALONE = ("integration/test_gateway_flood.py",)

# The modules that take longest (seconds on two cores, from `--durations`), in that order. They
# run first, so that with several workers (pytest-xdist, --dist loadgroup) no long module starts
# last while the other workers sit idle; the rest keep their collection order.
LONGEST_FIRST = (
    "e2e/test_masking_sweep.py",  # 230 s: 1 000 conversations
    "e2e/test_faults.py",  # 200 s: every process killed or stalled
    "e2e/test_answer_sets.py",  # 180 s: 40 whole conversations
    "nlu/test_fast_model_load.py",  # 125 s: Rasa's own model load and the launcher's
    "e2e/test_stories.py",  # 85 s: `rasa test`
    "e2e/test_scale_out.py",  # 55 s
    "e2e/test_restarts.py",  # 45 s
    "nlu/test_heldout.py",  # 40 s
    "e2e/test_widget_browser.py",
    "e2e/test_intake_conversations.py",
    "e2e/test_browser_behind_tls.py",
    "e2e/test_bad_input.py",
    "e2e/test_live_handoff.py",
    "e2e/test_profile_switch.py",
    "nlu/test_entities.py",
)

# Every property test the same on every machine and run (a red CI run must be reproducible), and
# no per-example deadline: speed is measured by the benchmark scripts, never asserted in a test.
hypothesis_settings.register_profile("iop-lotsen", deadline=None, derandomize=True, database=None)
hypothesis_settings.load_profile("iop-lotsen")


@pytest.fixture(autouse=True)
def _fresh_profile_cache():
    """Profiles are cached per process; tests that switch IOP_PROFILE need a clean cache."""
    active_profile.cache_clear()
    yield
    active_profile.cache_clear()


def _drives_chromium(module: ModuleType) -> bool:
    """A test module that imported Playwright (sync or async) starts headless Chromium."""
    return any(
        (getattr(value, "__module__", None) or "").startswith(("playwright", "axe_playwright"))
        or getattr(value, "__name__", "").startswith("playwright.")
        for value in vars(module).values()
    )


def markers_for(relative: str, module: ModuleType | None) -> list[str]:
    """The markers of the test with node id `relative` (to tests/), e.g. "unit/test_x.py::t"."""
    slow = relative.startswith(SLOW)
    kind = DIRECTORY_MARKERS.get(relative.split("/", 1)[0])
    names = [kind] if kind and not (kind == "unit" and slow) else []
    if slow:
        names.append("slow")
    if module is not None and _drives_chromium(module):
        names.append("browser")
    if relative.startswith(ALONE):
        names.append("alone")
    return names


def _all_slow(relative: str) -> bool:
    """Every test under `relative` (a directory or module, e.g. "unit/test_x.py") is slow."""
    whole = [entry.rstrip("/") for entry in SLOW if "::" not in entry]
    return any(relative == entry or relative.startswith(entry + "/") for entry in whole)


def could_match(relative: str, expression: str) -> bool:
    """Whether any test under `relative` (to tests/) could be selected by `-m expression`. Its
    tests carry their directory's marker (in tests/unit, `slow` instead for the slow ones) and
    may carry `slow`, `browser` and `alone`; an expression naming any other marker may match
    anything."""
    ours = {*DIRECTORY_MARKERS.values(), "slow", "browser", "alone"}
    words = set(re.findall(r"[^\s()]+", expression)) - {"and", "or", "not"}
    kind = DIRECTORY_MARKERS.get(relative.split("/", 1)[0])
    if kind is None or not words <= ours or "=" in expression:  # marker(key=value): not ours
        return True
    try:
        compiled = Expression.compile(expression)
    except ParseError:
        return True  # pytest itself reports the bad expression
    slow_choices = (True,) if _all_slow(relative) else (False, True)
    holds_alone = any(entry == relative or entry.startswith(relative + "/") for entry in ALONE)
    alone_choices = (False, True) if holds_alone else (False,)
    for slow, browser, alone in itertools.product(slow_choices, (False, True), alone_choices):
        names = {kind} if not (kind == "unit" and slow) else set()
        names |= {"slow"} if slow else set()
        names |= {"browser"} if browser else set()
        names |= {"alone"} if alone else set()
        if compiled.evaluate(lambda name, /, _names=frozenset(names), **_: name in _names):
            return True
    return False


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """`pytest -m unit` does not even import the e2e, nlu and integration modules or the slow
    unit modules (Rasa's, spaCy's and the browsers' libraries): a test directory or module none
    of whose tests can match `-m` is not collected."""
    expression = config.getoption("markexpr", default="")
    path = Path(collection_path).resolve()
    if not expression or not path.is_relative_to(TESTS) or path == TESTS:
        return None
    return None if could_match(path.relative_to(TESTS).as_posix(), expression) else True


def _module_rank(item: pytest.Item) -> int:
    path = Path(item.path).resolve()
    relative = path.relative_to(TESTS).as_posix() if path.is_relative_to(TESTS) else ""
    return LONGEST_FIRST.index(relative) if relative in LONGEST_FIRST else len(LONGEST_FIRST)


# Session fixtures that start servers or load the model. With several workers, every module that
# uses one of them is sent to the same worker (an `xdist_group`; scripts/test.sh runs
# `--dist loadgroup`), so each is started once per run rather than once per worker. A module
# needing several goes with the first in this list; any other module is a group of its own.
SHARED_SET_UPS = ("site", "stack", "pg_stack", "nlu_agent")


def _set_up_rank(group: str) -> int:
    return SHARED_SET_UPS.index(group) if group in SHARED_SET_UPS else len(SHARED_SET_UPS)


def worker_groups(items: list[pytest.Item]) -> dict[Path, str]:
    """Each module's group: the first shared set-up any of its tests needs, else its path."""
    groups: dict[Path, str] = {}
    for item in items:
        path = Path(item.path).resolve()
        names = set(getattr(item, "fixturenames", ()))
        needed = next((name for name in SHARED_SET_UPS if name in names), None)
        own = path.relative_to(TESTS).as_posix() if path.is_relative_to(TESTS) else str(path)
        current = groups.setdefault(path, needed or own)
        if needed and _set_up_rank(needed) < _set_up_rank(current):
            groups[path] = needed
    return groups


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=_module_rank)  # stable: each module's tests keep their order
    groups = worker_groups(items)
    for item in items:
        path = Path(item.path).resolve()
        if not path.is_relative_to(TESTS):
            continue
        _, separator, name = item.nodeid.partition("::")
        node = path.relative_to(TESTS).as_posix() + separator + name
        for marker in markers_for(node, getattr(item, "module", None)):
            item.add_marker(marker)
        item.add_marker(pytest.mark.xdist_group(groups[path]))


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory) -> str:
    """One real PostgreSQL server for the whole run (Debian's packages, started here)."""
    from devstack.postgres import running_postgres

    with running_postgres(tmp_path_factory.mktemp("postgres")) as url:
        yield url
