"""Only what pyproject.toml cannot say: the package list is every ``planlib*`` package found, plus
``planlib.shipped``, which is the top-level ``data/`` folder ([tool.setuptools.package-dir]).
Everything else is in pyproject.toml."""

from setuptools import find_packages, setup

setup(packages=[*find_packages(include=["planlib*"]), "planlib.shipped"])
