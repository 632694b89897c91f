"""The modules of ``practice`` import one another one way only (DESIGN.md): no import cycles.

Read statically (grimp parses every import statement, at the top of a module, inside functions
and under TYPE_CHECKING alike), so a lazy import that closes a loop counts too.
"""

from __future__ import annotations

import grimp
import pytest


def cycles() -> set[frozenset[str]]:
    """Every set of modules that import one another in a loop (each module in at most one)."""
    graph = grimp.build_graph("practice", cache_dir=None)
    found: dict[str, set[str]] = {}
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            chain = graph.find_shortest_chain(imported, module)
            if chain is None:
                continue
            loop = {module, *chain}
            for member in list(loop):  # modules on two loops belong to one tangle
                loop |= found.get(member, set())
            for member in loop:
                found[member] = loop
    return {frozenset(loop) for loop in found.values()}


def test_no_import_cycle_at_all() -> None:
    found = cycles()
    assert not found, "import cycles: " + "; ".join(" <-> ".join(sorted(c)) for c in found)


def test_a_cycle_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check sees a loop closed by a lazy import, and reports its modules."""
    real = grimp.build_graph

    def with_a_loop(package: str, **options: object) -> grimp.ImportGraph:
        graph = real(package, **options)  # type: ignore[arg-type]
        graph.add_import(importer="practice.errors", imported="practice.banks")
        return graph

    monkeypatch.setattr(grimp, "build_graph", with_a_loop)
    assert any({"practice.errors", "practice.banks"} <= loop for loop in cycles())
