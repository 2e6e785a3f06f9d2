"""The site: the page structure built from the engine's results (`structure`), its rendering
to Markdown with the Jinja2 templates, guidance and assets shipped here (`render`), and the
privacy rules every published file follows (`privacy`). Used by the MkDocs plugin and by
`handbook generate` alike.
"""
