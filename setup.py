"""Install hw2_lib; every setting comes from settings.ini (nbdev 2 convention). A wheel also carries what `hw2 run` and
`hw2 report` read besides code: the profiles, the experiment notebooks and the report's sections, copied into
`hw2_lib/_data/` at build time (`hw2_lib.config.project_dir` finds them there when there is no source checkout)."""
from configparser import ConfigParser
from pathlib import Path
import shutil
import setuptools
from setuptools.command.build_py import build_py

cfg = ConfigParser(delimiters=["="])
cfg.read("settings.ini", encoding="utf-8")
cfg = cfg["DEFAULT"]
reqs = cfg.get("requirements", "").split()
dev_reqs = cfg.get("dev_requirements", "").split()
scripts = [s for s in cfg.get("console_scripts", "").split() if s]
DATA_DIRS = ["configs", "experiments", "report/sections"]     # the same list as in MANIFEST.in


class BuildWithData(build_py):
    "build_py, then copy `DATA_DIRS` into the built package's `_data/` folder."
    def run(self):
        super().run()
        for d in DATA_DIRS:
            dst = Path(self.build_lib) / cfg["lib_path"] / "_data" / d
            shutil.copytree(d, dst, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))


setuptools.setup(
    name=cfg["lib_name"], version=cfg["version"], description=cfg["description"],
    author=cfg["author"], author_email=cfg["author_email"], license="Apache-2.0",
    packages=setuptools.find_packages(include=[cfg["lib_path"], cfg["lib_path"] + ".*"]),
    cmdclass={"build_py": BuildWithData},
    python_requires=">=" + cfg["min_python"], install_requires=reqs,
    extras_require={"dev": dev_reqs},
    entry_points={"console_scripts": scripts, "nbdev": [f"{cfg['lib_path']}={cfg['lib_path']}._modidx:d"]},
    zip_safe=False,
)
