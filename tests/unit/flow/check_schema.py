"""Validates YAML files against a JSON Schema, as an editor would: prints `<verdict>\t<path>` per file, where
verdict is accepted, rejected or unparsed (PyYAML cannot read the file as one document).
Usage: check_schema.py SCHEMA FILE...   Exit status 0 when the schema itself is valid draft-07."""
import json
import sys

import jsonschema
import yaml


def as_json_keys(value):
    """JSON has only string keys: `1: x` in YAML is the key "1" for a JSON Schema validator."""
    if isinstance(value, dict):
        return {str(key): as_json_keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json_keys(item) for item in value]
    return value


def main() -> int:
    with open(sys.argv[1], encoding="utf-8") as handle:
        schema = json.load(handle)
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema)
    for path in sys.argv[2:]:
        try:
            with open(path, encoding="utf-8") as handle:
                document = yaml.safe_load(handle)
        except (yaml.YAMLError, UnicodeDecodeError, OSError):
            print(f"unparsed\t{path}")
            continue
        verdict = "accepted" if validator.is_valid(as_json_keys(document)) else "rejected"
        print(f"{verdict}\t{path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
