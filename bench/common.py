"""What the bench scripts share: the finished run they read, the machine line every timing is printed with,
and the 'STEPSxBATCH@LR' budget lists of the budget sweeps (bench/ is on the path of a script run from it)."""
from pathlib import Path


def finished_run(runs_dir: str, profile: str, steps: tuple[str, ...]) -> Path:
    "`runs_dir/profile`, once each of `steps` has a finished folder there (else exit, naming the missing)."
    root = Path(runs_dir) / profile
    missing = [s for s in steps if not (root / s / "manifest.json").exists()]
    if missing: raise SystemExit(f"no finished {missing} in {root}: run hw2 run --profile {profile}")
    return root


def machine(precision: str, threads: int) -> str:
    "The CPU's model name, its native bf16 flags, the precision and the torch threads a timing ran with."
    from hw2_lib.compute import cpu_model, native_bf16_flags
    return (f"CPU: {cpu_model()} (native bf16: {', '.join(native_bf16_flags()) or 'none'}); {precision}; "
            f"{threads} threads")


def budgets(text: str) -> list[tuple[int, int, float]]:
    "'STEPSxBATCH@LR,...' -> [(steps, batch, lr)]."
    out = []
    for b in text.split(","):
        sb, lr = b.split("@"); s, bs = sb.split("x")
        out.append((int(s), int(bs), float(lr)))
    return out
