"""Mutation testing, one mutant at a time: can the tests tell a wrong program from a right one?

Each mutant changes one thing in one module: a comparison flipped (``<`` ↔ ``<=``, ``==`` ↔
``!=``, ``in`` ↔ ``not in``, ``is`` ↔ ``is not``), ``+`` ↔ ``-``, ``*`` ↔ ``/``, a numeric
constant plus one, ``and`` ↔ ``or``, or a ``raise`` dropped. The module's own tests then run
(``-x -q -m "not slow"``, under a timeout); a mutant that passes them *survived*. Docstrings,
f-strings and annotations are left alone. The sample is drawn with a fixed seed per module.

It rewrites files, so it runs in a *copy* of the checkout (``docs/testing.md``)::

    git archive HEAD | tar -x -C /tmp/qge-mutants
    MUT_ROOT=/tmp/qge-mutants python tests/support/mutation.py \
        tests/support/mutation_plan.json /tmp/mutants.jsonl [--only-survivors PREVIOUS.jsonl]

The plan lists ``{"module", "tests", "sample", "timeout"}`` entries; every result is one JSON
line (module, index, line, code before and after, status, seconds), and a rerun skips the
mutants already in the output file.
"""

from __future__ import annotations

import ast
import json
import os
import random
import shutil
import subprocess
import sys
import time

ROOT = os.environ.get("MUT_ROOT", "")
CMP = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
}
BIN = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult}
BOOL = {ast.And: ast.Or, ast.Or: ast.And}


def sites(tree):
    """Deterministic list of (node, kind, line) mutation sites."""
    out = []

    def visit(node, skip=False):
        if isinstance(node, (ast.JoinedStr,)):
            return
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            return  # docstring
        if not skip:
            if isinstance(node, ast.Compare):
                for i, op in enumerate(node.ops):
                    if type(op) in CMP:
                        out.append((node, ("cmp", i), node.lineno))
            elif isinstance(node, ast.BinOp) and type(node.op) in BIN:
                out.append((node, ("bin",), node.lineno))
            elif isinstance(node, ast.AugAssign) and type(node.op) in BIN:
                out.append((node, ("bin",), node.lineno))
            elif isinstance(node, ast.BoolOp):
                out.append((node, ("bool",), node.lineno))
            elif isinstance(node, ast.Constant) and type(node.value) in (int, float):
                out.append((node, ("const",), node.lineno))
            elif isinstance(node, ast.Raise):
                out.append((node, ("raise",), node.lineno))
        for field, value in ast.iter_fields(node):
            sub_skip = skip or field in ("annotation", "returns")
            if isinstance(value, list):
                for v in value:
                    if isinstance(v, ast.AST):
                        visit(v, sub_skip)
            elif isinstance(value, ast.AST):
                visit(value, sub_skip)

    visit(tree)
    return out


class DropRaise(ast.NodeTransformer):
    def __init__(self, target):
        self.target = target

    def visit_Raise(self, node):
        return ast.Pass() if node is self.target else node


def mutate(source, index):
    tree = ast.parse(source)
    node, kind, line = sites(tree)[index]
    before = ast.unparse(node).splitlines()[0][:90]
    if kind[0] == "cmp":
        node.ops[kind[1]] = CMP[type(node.ops[kind[1]])]()
    elif kind[0] == "bin":
        node.op = BIN[type(node.op)]()
    elif kind[0] == "bool":
        node.op = BOOL[type(node.op)]()
    elif kind[0] == "const":
        node.value = node.value + 1
    elif kind[0] == "raise":
        tree = DropRaise(node).visit(tree)
        ast.fix_missing_locations(tree)
        return ast.unparse(tree), line, before, "drop raise"
    after = ast.unparse(node).splitlines()[0][:90]
    return ast.unparse(tree), line, before, after


def run_tests(tests, timeout):
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        "-x",
        "-q",
        "-p",
        "no:cacheprovider",
        "-m",
        "not slow",
        "-o",
        "addopts=",
        *tests,
    ]
    try:
        r = subprocess.run(
            cmd, cwd=ROOT, env=env, capture_output=True, timeout=timeout, start_new_session=True
        )
    except subprocess.TimeoutExpired:
        return "timeout"
    if r.returncode == 0:
        return "survived"
    if r.returncode == 5:
        return "no-tests"
    return "killed"


def main():
    here = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    if not ROOT or os.path.samefile(ROOT, here):
        sys.exit("set MUT_ROOT to a copy of the checkout (mutants rewrite its files)")
    plan = json.load(open(sys.argv[1]))
    out_path = sys.argv[2]
    only = None
    if len(sys.argv) > 3:
        only = {
            (d["module"], d["index"])
            for d in map(json.loads, open(sys.argv[3]))
            if d["status"] == "survived"
        }
    done = set()
    if os.path.exists(out_path):
        done = {(d["module"], d["index"]) for d in map(json.loads, open(out_path))}
    for entry in plan:
        path = os.path.join(ROOT, entry["module"])
        original = open(path).read()
        n = len(sites(ast.parse(original)))
        indices = list(range(n))
        random.Random(entry["module"]).shuffle(indices)
        indices = sorted(indices[: entry.get("sample", n)])
        if only is not None:
            indices = [i for i in range(n) if (entry["module"], i) in only]
        cache = os.path.join(os.path.dirname(path), "__pycache__")
        for i in indices:
            if (entry["module"], i) in done:
                continue
            mutated, line, before, after = mutate(original, i)
            try:
                shutil.rmtree(cache, ignore_errors=True)
                with open(path, "w") as f:
                    f.write(mutated)
                t = time.time()
                status = run_tests(entry["tests"], entry.get("timeout", 120))
            finally:
                with open(path, "w") as f:
                    f.write(original)
                shutil.rmtree(cache, ignore_errors=True)
            rec = dict(
                module=entry["module"],
                index=i,
                line=line,
                before=before,
                after=after,
                status=status,
                seconds=round(time.time() - t, 1),
            )
            with open(out_path, "a") as f:
                f.write(json.dumps(rec) + "\n")
            print(json.dumps(rec), flush=True)


if __name__ == "__main__":
    main()
