"""The shipped data (catalogue, baselines, national series, demo series): installed as ``planlib.shipped``.

Read them through :mod:`planlib.config` (``CATALOG_PATH`` and the others), not by a path of their own.
"""
