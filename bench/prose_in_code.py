"""Count report prose built in Python: f-strings of four words or more that are not an error, a log line, a
progress bar, a help text, a chart's title or axis, a docstring, a study's registered question or captions,
or HTML markup, plus sentence builders (`txt += ...`, `txt.append(...)`).
Usage: python bench/prose_in_code.py [DIR] (default hw2_lib). Prints one line per module and the total;
run it at two commits to compare."""
import ast, re, sys
from pathlib import Path

WORDS = re.compile(r"[A-Za-z][a-z']+")
NOT_PROSE_CALLS = re.compile(r"(Error|Exception|Warning|Failed|Locked|Run)$|^(print|log|warn|info|debug)$")
NOT_PROSE_KW = {"help", "desc", "title", "x_title", "y_title", "epilog", "description", "pagetitle"}

def text_of(node) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str): return node.value
    if isinstance(node, ast.JoinedStr): return " ".join(text_of(v) for v in node.values)
    return ""

def count(path: Path) -> tuple[int, int]:
    tree = ast.parse(path.read_text())
    skip = set()
    for n in ast.walk(tree):
        body = getattr(n, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            skip.add(id(body[0].value))                                        # docstrings
        if isinstance(n, ast.Raise) or (isinstance(n, ast.Call) and NOT_PROSE_CALLS.search(
                getattr(n.func, "id", getattr(n.func, "attr", "")))):
            skip |= {id(x) for x in ast.walk(n)}
        if isinstance(n, ast.keyword) and n.arg in NOT_PROSE_KW:
            skip |= {id(x) for x in ast.walk(n.value)}
        if isinstance(n, ast.Call) and getattr(n.func, "id", "") in ("Study", "register"):
            skip |= {id(x) for x in ast.walk(n)}                 # a study's question and captions
    strings = 0
    for n in ast.walk(tree):
        if id(n) in skip or not isinstance(n, ast.JoinedStr): continue
        t = text_of(n)
        if "<" not in t and len(WORDS.findall(t)) >= 4: strings += 1; skip |= {id(x) for x in ast.walk(n)}
    builders = sum(1 for n in ast.walk(tree)
                   if (isinstance(n, ast.AugAssign) and isinstance(n.op, ast.Add)
                       and getattr(n.target, "id", "") in ("txt", "text", "md"))
                   or (isinstance(n, ast.Call) and getattr(n.func, "attr", "") == "append"
                       and getattr(n.func.value, "id", "") in ("txt", "text")))
    return strings, builders

root = Path(sys.argv[1] if len(sys.argv) > 1 else "hw2_lib")
tot = [0, 0]
for p in sorted(root.rglob("*.py")):
    if p.name == "_modidx.py": continue
    s, b = count(p)
    if s or b: print(f"{p.relative_to(root)}: {s} prose f-strings, {b} sentence builders")
    tot[0] += s; tot[1] += b
print(f"total: {tot[0]} prose f-strings, {tot[1]} sentence builders")
