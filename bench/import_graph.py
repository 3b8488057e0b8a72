"""The import graph of hw2_lib's modules (module-level and lazy imports inside functions) and its cycles.
Usage: python bench/import_graph.py [DIR] (default hw2_lib). Exits 1 when there is a cycle."""
import ast, sys
from pathlib import Path

root = Path(sys.argv[1] if len(sys.argv) > 1 else "hw2_lib")
pkg = root.name

def name_of(p: Path) -> str:
    parts = p.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts) or "__init__"

mods = {name_of(p): p for p in root.rglob("*.py") if p.name != "_modidx.py"}
edges = {m: set() for m in mods}
for m, p in mods.items():
    here = m.split(".")[:-1] if p.name != "__init__.py" else m.split(".")
    for n in ast.walk(ast.parse(p.read_text())):
        if isinstance(n, ast.ImportFrom):
            base = here[:len(here) - n.level + 1] if n.level else []
            target = ".".join(base + (n.module.split(".") if n.module else []))
            if not n.level:
                if not (n.module or "").startswith(pkg): continue
                target = n.module[len(pkg) + 1:]
            cands = [f"{target}.{a.name}".strip(".") for a in n.names] + [target]
            edges[m] |= {c for c in cands if c in mods and c != m}
        elif isinstance(n, ast.Import):
            edges[m] |= {a.name[len(pkg) + 1:] for a in n.names if a.name.startswith(pkg + ".")} & set(mods)

cycles, seen = [], set()
def visit(m, path):
    for t in sorted(edges[m]):
        if t in path:
            c = path[path.index(t):]
            key = frozenset(c)
            if key not in seen: seen.add(key); cycles.append(c + [t])
        elif len(path) < 12: visit(t, path + [t])
for m in sorted(mods): visit(m, [m])
for m in sorted(edges): print(f"{m} -> {', '.join(sorted(edges[m])) or '-'}")
print("cycles:", "; ".join(" -> ".join(c) for c in cycles) or "none")
sys.exit(1 if cycles else 0)
