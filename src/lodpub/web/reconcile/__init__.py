"""Reconciliation: matching other archives' names to our entities (W3C Reconciliation API 0.2).

`entities` reads the persons, groups, places and events of a snapshot, `index` folds their
names into look-up tables once per store version, `matcher` scores a name against them, and
`service` is the `/reconcile` endpoint with its preview and suggest services.
"""
