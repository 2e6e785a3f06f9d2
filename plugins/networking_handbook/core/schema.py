"""JSON Schemas for contact and event files, generated from the model, for editors.

Editors with the YAML language server read a `# yaml-language-server: $schema=...` line and
then complete keys and flag mistakes as you type. They parse YAML 1.2, where `012345` and
`1.10` are numbers; the handbook keeps them as text, so text fields accept numbers and
booleans too, and an empty value (read as null) is accepted wherever a key is optional.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic.json_schema import GenerateJsonSchema

from .validate import MODELS

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_FILES = {"contacts": "contact.schema.json", "events": "event.schema.json"}
PACKAGED_SCHEMAS = Path(__file__).parent / "schemas"


class _EditorSchema(GenerateJsonSchema):
    def str_schema(self, schema: Any) -> dict[str, Any]:
        result = super().str_schema(schema)
        result["type"] = ["string", "number", "boolean"]
        return result


def file_schema(folder: str) -> dict[str, Any]:
    """The schema for files of `contacts/` or `events/`."""
    model = MODELS[folder]
    schema = model.model_json_schema(by_alias=True, schema_generator=_EditorSchema)
    _allow_empty_optional_values(schema)
    for definition in schema.get("$defs", {}).values():
        _allow_empty_optional_values(definition)
    kind = SCHEMA_FILES[folder].split(".")[0]
    return {"$schema": SCHEMA_DIALECT, "$id": f"https://networking-handbook.invalid/{SCHEMA_FILES[folder]}",
            **schema, "title": f"networking-handbook {kind} file"}


def _allow_empty_optional_values(schema: dict[str, Any]) -> None:
    required = set(schema.get("required", []))
    for name, prop in schema.get("properties", {}).items():
        if name in required or _allows_null(prop):
            continue
        annotations = {key: prop.pop(key) for key in ("title", "description", "default") if key in prop}
        schema["properties"][name] = {"anyOf": [prop, {"type": "null"}], **annotations}


def _allows_null(prop: dict[str, Any]) -> bool:
    return any(option.get("type") == "null" for option in prop.get("anyOf", []))


def schema_text(folder: str) -> str:
    return json.dumps(file_schema(folder), indent=2, ensure_ascii=False) + "\n"


