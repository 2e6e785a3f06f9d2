"""The table of rules: one entry per rule of SPEC section 3, each pointing at a real guide page."""

from __future__ import annotations

import string

from networking_handbook.core.rule_table import RULE_BY_ID, RULES, RuleId
from networking_handbook.site.render import guidance_pages


def test_one_entry_per_rule_in_spec_order() -> None:
    assert [rule.id for rule in RULES] == list(RuleId) == [
        "follow-up-new", "check-in", "my-promise", "their-promise", "re-stoke", "state-benefit"]
    assert all(RULE_BY_ID[rule.id] is rule for rule in RULES)


def test_every_guide_page_is_shipped() -> None:
    shipped = guidance_pages()
    for rule in RULES:
        assert f"guide/{rule.guide}" in shipped, rule.id


def test_every_summary_names_the_person() -> None:
    for rule in RULES:
        assert rule.summaries, rule.id
        for case, template in rule.summaries.items():
            fields = {name for _, name, _, _ in string.Formatter().parse(template) if name}
            assert "name" in fields, (rule.id, case)
            assert "\n" not in template, (rule.id, case)
