"""Rules across the fields of a record (or a part of one): stated once, checked by the model, exported.

A `Rule` holds the sentence that states it (what the exported JSON Schema and the protocol document
say), a function that finds a violation and says what it is, and, where JSON Schema can express the
rule, a schema fragment (`if`/`then`) that a publisher's own validator applies. `Model` (see
`feed.schema.common`) checks the rules of its class after the fields, and writes them into its JSON
Schema: the sentences under "Rules" in the description, the fragments under `allOf`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Rule:
    text: str
    violation: Callable[[Any], str | None]  # the model instance → a message, or None when it holds
    schema: Mapping[str, Any] | None = None


def rule(
    text: str, broken: Callable[[Any], bool], message: str, schema: Mapping[str, Any] | None = None
) -> Rule:
    """A rule stated by `text` that reports a violation (when `broken(model)`) with one fixed message."""
    return Rule(text, lambda model: message if broken(model) else None, schema)


def add_rules_to_schema(schema: dict[str, Any], model: type) -> None:
    """pydantic's `json_schema_extra` hook: write `model.RULES` into its JSON Schema."""
    rules: tuple[Rule, ...] = getattr(model, "RULES", ())
    if not rules:
        return
    stated = "\n".join(f"- {rule.text}" for rule in rules)
    head = schema.get("description", "")
    schema["description"] = f"{head}\n\nRules:\n{stated}" if head else f"Rules:\n{stated}"
    fragments = [dict(rule.schema) for rule in rules if rule.schema is not None]
    if fragments:
        schema["allOf"] = fragments
