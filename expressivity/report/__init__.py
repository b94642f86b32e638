"""The report: every claim's ``Finding`` -> Markdown and HTML pages.

``build`` assembles the report folder (front page, one page per claim,
provenance); ``front`` and ``pages`` write those pages; ``words`` holds the
fixed words (title, verdict meanings, the overall rule); ``wording`` turns
deciding numbers into words; ``mdtext`` and ``mdtables`` write and split
Markdown tables; ``html`` renders Markdown as HTML; ``explain`` and
``explain_page`` draw the backprop walk-through page. May import the claims'
API, storage and the core; never sweeps or the command line.
"""
