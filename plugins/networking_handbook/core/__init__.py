"""The engine: what a handbook is and what the networking rules make of it, with no MkDocs.

Files are found (`files`), loaded to text values with positions (`load`), validated into
records (`records`, `validate`) and cross-checked as one handbook (`handbook`, with the cache
`mkdocs serve` reuses). `identity` says when two slugs, tags, names, emails, phones or URLs
are the same; `settings` declares every option once; `rule_table` names, titles and words
each rule once; `rules` turns a handbook and a day into items; `schema` gives editors the
same contract. Problems are `diagnostics` values, rendered by `report`. Nothing here imports
from the other folders.
"""
