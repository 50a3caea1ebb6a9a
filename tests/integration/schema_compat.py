"""Whether a record schema can replace a published one without breaking readers: what
tests/schemas/ keeps, and what test_schema_compat and scripts/freeze-record-schemas.py use.

Compatible: a new kind, a new optional field, a field that may no longer be null. Incompatible
(needs a higher schema_version): a kind or field removed, a field whose JSON type changed or
that may now be null, an object of strings whose values changed type.
"""


def _types(prop):
    t = prop.get("type", [])
    return set(t if isinstance(t, list) else [t])


def incompatibilities(published, current):
    """Every reason `current` ({kind: schema}) would break a reader of `published`."""
    problems = []
    for kind, old in sorted(published.items()):
        new = current.get(kind)
        if new is None:
            problems.append(f"{kind}: the kind is gone")
            continue
        for name, old_prop in sorted(old.get("properties", {}).items()):
            new_prop = new.get("properties", {}).get(name)
            if new_prop is None:
                problems.append(f"{kind}.{name}: removed")
                continue
            if not _types(new_prop) <= _types(old_prop):
                problems.append(f"{kind}.{name}: type {sorted(_types(old_prop))} became "
                                f"{sorted(_types(new_prop))}")
            if "items" in old_prop and not _types(new_prop.get("items", {})) <= _types(
                    old_prop["items"]):
                problems.append(f"{kind}.{name}: items {old_prop['items']} became "
                                f"{new_prop.get('items')}")
            old_values = old_prop.get("additionalProperties")
            new_values = new_prop.get("additionalProperties")
            if isinstance(old_values, dict) and new_values != old_values:
                problems.append(f"{kind}.{name}: values {old_values} became {new_values}")
        for name in new.get("required", []):
            if name not in old.get("required", []):
                problems.append(f"{kind}.{name}: now required")
    return problems
