"""networking-handbook: YAML contact and event notes turned into follow-ups and a site."""
