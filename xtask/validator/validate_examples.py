#!/usr/bin/env python3
"""Checks every example of an OpenAPI 3.0 document against its own schema with
openapi-schema-validator's OAS30Validator: a validator nobody in this repository wrote, so that
the claims of `[[example]]` entries in spec/known-spec-bugs.toml ("this example does not fit its
schema") are checked from outside.

Run by `cargo xtask validate-examples`, once per API version, on the document it writes
(target/validate-examples/<version>.json: the version with its overlays, as the client is
generated from it). The examples are found, and labelled, as the generator labels the test cases
of generated-client/tests/spec_examples.rs (codegen/src/emit/spec_examples.rs and
codegen/src/operations/bodies.rs), so that each result can be matched to a listed location:

    components/schemas/<Name>                  a component schema's `example`
    <operationId> request body <label>         the JSON media type of a request body
    <operationId> response <status> <label>    the JSON media type of a success response

where <label> is `example` or `examples/<name>`, and <status> is the code (`200`), or `2XX` for
a `2XX` range or a `default` response.

Output (stdout, or --output FILE): one JSON object,
    {"document": ..., "validator": ..., "seconds": ..., "examples": [
        {"location": ..., "schema": "#/...", "status": "valid"},
        {"location": ..., "schema": "#/...", "status": "invalid",
         "message": <best_match message>, "path": <JSON path in the example>, "errors": N},
        {"location": ..., "schema": "#/...", "status": "error", "message": <why not checked>}]}
"""

import argparse
import json
import re
import sys
import time
from importlib import metadata
from urllib.parse import quote

from jsonschema.exceptions import best_match
from openapi_schema_validator import OAS30Validator
from referencing import Registry
from referencing.jsonschema import DRAFT4

# The document's own refs are `#/components/schemas/...`; giving it an absolute URI lets a
# wrapper schema point into it, so that those refs (and discriminator mappings) resolve against
# the whole document. The URI is never fetched: the registry has no retrieval.
DOCUMENT_URI = "https://validate-examples.invalid/document.json"

# The methods of an OpenAPI 3.0 path item, in the order openapiv3 (the generator's model) reads
# them; the order only matters for the order of the output.
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def is_json(content_type):
    """The generator's JSON media types (codegen/src/operations/bodies.rs, `media_kind`)."""
    essence = content_type.split(";")[0].strip().lower()
    return essence == "application/json" or essence.endswith("+json") or essence == "*/*"


def pick_media(content):
    """The media type the generator uses: the first JSON one, else the first."""
    for content_type, media in content.items():
        if is_json(content_type):
            return content_type, media
    for content_type, media in content.items():
        return content_type, media
    return None


def is_file(schema, schemas):
    """A `string/binary` schema is a file download whatever the media type says; the generator
    decodes it as bytes and has no examples for it."""
    seen = set()
    while isinstance(schema, dict) and "$ref" in schema:
        ref = schema["$ref"]
        name = ref.rsplit("/", 1)[-1]
        if not ref.startswith("#/components/schemas/") or name in seen:
            return False
        seen.add(name)
        schema = schemas.get(name)
    return (
        isinstance(schema, dict)
        and schema.get("type") == "string"
        and schema.get("format") == "binary"
    )


def media_examples(media):
    """`example`, then every inline `examples/<name>` with a value, labelled."""
    if media.get("example") is not None:
        yield "example", media["example"]
    for name, example in (media.get("examples") or {}).items():
        if isinstance(example, dict) and "$ref" not in example and example.get("value") is not None:
            yield f"examples/{name}", example["value"]


def pointer(*segments):
    """A URI fragment holding the JSON pointer to `segments` (escaped, then percent-encoded,
    since paths hold `{`, `}` and media types `/`)."""
    escaped = (str(s).replace("~", "~0").replace("/", "~1") for s in segments)
    return "#/" + "/".join(quote(s, safe="") for s in escaped)


def success_responses(responses):
    """(status label, response key) of the responses the generator decodes: every 2xx code,
    a `2XX` range, else `default`."""
    found = []
    for key in responses:
        if key.isdigit() and 200 <= int(key) < 300:
            found.append((str(int(key)), key))
        elif key.upper() == "2XX":
            found.append(("2XX", key))
    if not found and "default" in responses:
        found.append(("2XX", "default"))
    return found


def snake_name(raw):
    """The generator's `snake_name` (codegen/src/naming.rs): every character that is not an
    ASCII letter or digit separates words, then heck's `to_snake_case` splits them further and
    joins them lowercase with `_`. Its leading-digit and keyword rules cannot apply here: the
    names it makes start with an HTTP method and hold a `_`."""
    words = []
    for chunk in re.split(r"[^A-Za-z0-9]+", raw):
        words.extend(heck_words(chunk))
    return "_".join(word.lower() for word in words if word) or "value"


def heck_words(chunk):
    """heck 0.5's word boundaries in a run of letters and digits: after a lowercase letter (or
    digits after one) followed by an uppercase one, and before the last of two or more uppercase
    letters (digits between them count as the earlier ones) when a lowercase one follows."""
    words = []
    start = 0
    mode = None  # "lower", "upper", or None at the start of a word
    for i, c in enumerate(chunk):
        if i + 1 == len(chunk):
            words.append(chunk[start:])
            break
        after = chunk[i + 1]
        next_mode = "lower" if c.islower() else "upper" if c.isupper() else mode
        if next_mode == "lower" and after.isupper():
            words.append(chunk[start : i + 1])
            start, mode = i + 1, None
        elif mode == "upper" and c.isupper() and after.islower():
            words.append(chunk[start:i])
            start, mode = i, None
        else:
            mode = next_mode
    return words


class UniqueNames:
    """The generator's `UniqueNames::claim`: the first to ask for a name gets it, the next ones
    `name2`, `name3` (`name_2` after a digit), comparing without case."""

    def __init__(self):
        self.taken = set()

    def claim(self, wanted):
        if wanted.lower() not in self.taken:
            self.taken.add(wanted.lower())
            return wanted
        sep = "_" if wanted[-1:].isdigit() else ""
        n = 2
        while f"{wanted}{sep}{n}".lower() in self.taken:
            n += 1
        self.taken.add(f"{wanted}{sep}{n}".lower())
        return f"{wanted}{sep}{n}"


def base_path(paths):
    """The path the document put in front of every path template (`/v3`): the first segment
    when every path shares it, else none. Only an operation without operationId needs it: the
    generator names it after its method and template (`get /das/owners` -> `get_das_owners`)."""
    firsts = {"/" + path.split("/")[1] for path in paths if path.startswith("/")}
    return firsts.pop() if len(firsts) == 1 and len(paths) > 1 else ""


def operations(document):
    """(label, path, method, operation) in the generator's order, each labelled with its
    operationId as the generator makes it unique, or the name it makes up when there is none."""
    paths = document.get("paths") or {}
    prefix = base_path(paths)
    names = UniqueNames()
    for path, item in paths.items():
        for method in METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            op_id = operation.get("operationId")
            if not isinstance(op_id, str) or not op_id.strip():
                op_id = snake_name(f"{method} {path[len(prefix):]}")
            yield names.claim(op_id), path, method, operation


def examples(document):
    """(location, schema pointer, example) of every example the generated test checks."""
    schemas = (document.get("components") or {}).get("schemas") or {}
    for name, schema in schemas.items():
        if isinstance(schema, dict) and schema.get("example") is not None:
            yield (
                f"components/schemas/{name}",
                pointer("components", "schemas", name),
                schema["example"],
            )
    for op_id, path, method, operation in operations(document):
        body = operation.get("requestBody")
        if isinstance(body, dict) and "$ref" not in body:
            picked = pick_media(body.get("content") or {})
            if picked and is_json(picked[0]):
                content_type, media = picked
                at = pointer("paths", path, method, "requestBody", "content", content_type, "schema")
                for label, value in media_examples(media):
                    yield f"{op_id} request body {label}", at if "schema" in media else None, value
        responses = operation.get("responses") or {}
        for status, key in success_responses(responses):
            response = responses[key]
            if not isinstance(response, dict) or "$ref" in response or status == "204":
                continue
            picked = pick_media(response.get("content") or {})
            if not picked or not is_json(picked[0]):
                continue
            content_type, media = picked
            if is_file(media.get("schema"), schemas):
                continue
            at = pointer("paths", path, method, "responses", key, "content", content_type, "schema")
            for label, value in media_examples(media):
                yield f"{op_id} response {status} {label}", at if "schema" in media else None, value


def check(registry, schema_at, instance):
    """The outcome for one example: valid, invalid with the best error, or not checked."""
    if schema_at is None:
        # No schema: the generator decodes any JSON value, and so does the validator.
        return {"status": "valid"}
    validator = OAS30Validator(
        {"$ref": DOCUMENT_URI + schema_at},
        registry=registry,
        # Formats (date-time, int32, ...) are only checked with a format checker; this is the
        # one the library defines for OAS 3.0.
        format_checker=OAS30Validator.FORMAT_CHECKER,
    )
    try:
        errors = list(validator.iter_errors(instance))
    except Exception as e:  # a ref that does not resolve, a bad pattern: say so, do not stop
        return {"status": "error", "message": f"{type(e).__name__}: {e}"}
    if not errors:
        return {"status": "valid"}
    best = best_match(errors)
    return {
        "status": "invalid",
        "message": best.message,
        "path": best.json_path,
        "errors": len(errors),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("document", help="an OpenAPI 3.0 document (JSON)")
    parser.add_argument("--output", help="where to write the results (default: stdout)")
    args = parser.parse_args()
    try:
        with open(args.document, encoding="utf-8") as f:
            document = json.load(f)
    except (OSError, ValueError) as e:
        sys.exit(f"cannot read {args.document}: {e}")
    started = time.monotonic()
    registry = Registry().with_resource(DOCUMENT_URI, DRAFT4.create_resource(document))
    results = []
    for location, schema_at, value in examples(document):
        outcome = check(registry, schema_at, value)
        results.append({"location": location, "schema": schema_at, **outcome})
    out = {
        "document": args.document,
        "validator": f"openapi-schema-validator {metadata.version('openapi-schema-validator')} "
        f"(OAS30Validator), jsonschema {metadata.version('jsonschema')}",
        "seconds": round(time.monotonic() - started, 3),
        "examples": results,
    }
    text = json.dumps(out, indent=1, ensure_ascii=False)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    else:
        print(text)


if __name__ == "__main__":
    main()
