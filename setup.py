"Install hw2_lib; every setting comes from settings.ini (nbdev 2 convention)."
from configparser import ConfigParser
import setuptools

cfg = ConfigParser(delimiters=["="])
cfg.read("settings.ini", encoding="utf-8")
cfg = cfg["DEFAULT"]
reqs = cfg.get("requirements", "").split()
dev_reqs = cfg.get("dev_requirements", "").split()
scripts = [s for s in cfg.get("console_scripts", "").split() if s]

setuptools.setup(
    name=cfg["lib_name"], version=cfg["version"], description=cfg["description"],
    author=cfg["author"], author_email=cfg["author_email"], license="Apache-2.0",
    packages=setuptools.find_packages(include=[cfg["lib_path"], cfg["lib_path"] + ".*"]),
    include_package_data=True, package_data={cfg["lib_path"]: ["configs/*.yaml"]},
    python_requires=">=" + cfg["min_python"], install_requires=reqs,
    extras_require={"dev": dev_reqs},
    entry_points={"console_scripts": scripts, "nbdev": [f"{cfg['lib_path']}={cfg['lib_path']}._modidx:d"]},
    zip_safe=False,
)
