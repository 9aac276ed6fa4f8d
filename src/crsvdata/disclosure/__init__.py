"""Disclosure control: count tables over full code-list domains, protected by secondary cell suppression
audited with integer programming, or by cell-key perturbation.

This is a low layer: it knows code lists, not case records. The anonymise layer counts records into a
:class:`crsvdata.disclosure.tables.Table` and publishes what this package returns.
"""
