"""Operator tools on top of the platform: the settings display (``config``), what is loaded and
what is missing (``status``), what to run now (``due``), the run journal and the interactive
menu. Nothing here names a source: everything comes from the registry, the publication
calendar (``dbt_project/seeds/publication_rules/``), the archive and the warehouse.
"""
