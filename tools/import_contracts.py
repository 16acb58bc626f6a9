"""Keten's own import-linter contract: no private name is used across apps.

import-linter checks imports between modules; this contract checks the *names* one app takes from
another. A name that starts with one underscore (``_facts``) is private to the app that defines it:
another app may neither import it (``from keten.meldcode.report import _facts``) nor reach it
through a module it imported (``report._facts(...)``). Dunder names (``__all__``) are not private.
An app's own tests may use its private names; tests never reach into another app's.

Configured in ``pyproject.toml`` (``[tool.importlinter]``); ``make lint`` runs it.
"""

from __future__ import annotations

import ast
import importlib.util
from dataclasses import dataclass
from pathlib import Path

import grimp
from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _app(module: str, depth: int) -> str:
    return ".".join(module.split(".")[:depth])


@dataclass(frozen=True, order=True)
class Use:
    importer: str
    line: int
    target: str


def _source(module: str) -> tuple[Path, bool] | None:
    """The file of a module and whether it is a package, found without importing it."""
    root, _, rest = module.partition(".")
    spec = importlib.util.find_spec(root)
    if spec is None or not spec.submodule_search_locations:
        return None
    base = Path(next(iter(spec.submodule_search_locations)), *rest.split(".")) if rest else None
    if base is None:
        return Path(next(iter(spec.submodule_search_locations)), "__init__.py"), True
    if (base / "__init__.py").is_file():
        return base / "__init__.py", True
    if base.with_suffix(".py").is_file():
        return base.with_suffix(".py"), False
    return None


def _uses(module: str, modules: set[str], depth: int) -> list[Use]:
    found_source = _source(module)
    if found_source is None:
        return []
    path, is_package = found_source
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    own = _app(module, depth)
    package = module if is_package else module.rpartition(".")[0]
    found: list[Use] = []
    bound: dict[str, str] = {}  # a local name -> the module of another app it stands for

    def foreign(target: str) -> bool:
        return target.split(".")[0] == own.split(".")[0] and _app(target, depth) != own

    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else [])
                )
            for alias in node.names:
                full = f"{base}.{alias.name}"
                if full in modules:
                    if foreign(full):
                        bound[alias.asname or alias.name] = full
                    if _private(alias.name) and foreign(full):
                        found.append(Use(module, node.lineno, full))
                elif _private(alias.name) and foreign(base):
                    found.append(Use(module, node.lineno, full))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname and alias.name in modules and foreign(alias.name):
                    bound[alias.asname] = alias.name
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in bound
            and _private(node.attr)
        ):
            found.append(Use(module, node.lineno, f"{bound[node.value.id]}.{node.attr}"))
    return found


class PrivateNamesContract(Contract):
    """No module uses a private name (``_name``) of another app.

    Options:
        - packages: the packages whose modules are checked (e.g. ``keten``).
        - depth: how many components name an app (``keten.meldcode`` -> 2).
        - exclude: module name components that are not checked (e.g. ``tests``, ``migrations``).
    """

    type_name = "private_names"

    packages = fields.SetField(subfield=fields.StringField())
    depth = fields.IntegerField(minimum=1, default=2)
    exclude = fields.SetField(subfield=fields.StringField(), required=False)

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        modules = set(graph.modules)
        excluded = set(self.exclude or ())  # type: ignore[arg-type]
        depth = int(self.depth)  # type: ignore[call-overload]
        uses: list[Use] = []
        for package in sorted(self.packages):  # type: ignore[call-overload]
            for module in sorted(m for m in modules if m == package or m.startswith(package + ".")):
                if excluded & set(module.split(".")):
                    continue
                uses.extend(_uses(module, modules, depth))
        return ContractCheck(kept=not uses, metadata={"uses": sorted(set(uses))})

    def render_broken_contract(self, check: ContractCheck) -> None:
        output.print_error("Private names of another app are used:", bold=False)
        output.new_line()
        for use in check.metadata["uses"]:
            output.print_error(f"- {use.importer} (l.{use.line}) uses {use.target}", bold=False)
        output.new_line()
