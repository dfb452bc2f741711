//! The loader on hand-written multi-file fixtures.

use std::path::{Path, PathBuf};

use codegen::loader::{Bundle, LoadError, LoadErrorKind, load};
use openapiv3::ReferenceOr;
use serde_json::{Value, json};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/loader")
}

fn good() -> Bundle {
    load(&fixtures().join("good"), Path::new("root.yaml")).unwrap_or_else(|e| panic!("{e}"))
}

fn schema_json(bundle: &Bundle, name: &str) -> Value {
    let s = bundle
        .schemas
        .get(name)
        .unwrap_or_else(|| panic!("no schema {name}"));
    serde_json::to_value(&s.schema).unwrap()
}

fn path_json(bundle: &Bundle, template: &str) -> Value {
    let p = bundle
        .paths
        .iter()
        .find(|p| p.template == template)
        .unwrap_or_else(|| panic!("no path {template}"));
    serde_json::to_value(&p.item).unwrap()
}

#[test]
fn schema_names_root_first_then_discovery() {
    let b = good();
    let names: Vec<&str> = b.schemas.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "Pet",
            "AccessReviewReassignment",
            "Local",
            "PetAgain",
            "Id",
            "Owner",
            "Tag",
            "OtherTag",
            "ab",
            "Shape",
            "Status",
            "Circle",
            "Square",
            "Error"
        ]
    );
    // Root aliases: the file gets the root's name; a second alias of the same file points at it.
    assert_eq!(b.schemas["Pet"].origin.to_string(), "schemas/Pet.yaml#");
    assert_eq!(
        b.schemas["AccessReviewReassignment"].origin.to_string(),
        "schemas/ReviewReassign.yaml#"
    );
    assert_eq!(
        schema_json(&b, "PetAgain"),
        json!({"allOf": [{"$ref": "#/components/schemas/Pet"}]})
    );
    // A file reached both through the root name and directly is one schema.
    assert_eq!(
        schema_json(&b, "Local")["properties"],
        json!({"pet": {"$ref": "#/components/schemas/Pet"}, "same": {"$ref": "#/components/schemas/Pet"}})
    );
    // Same file name in a deeper folder: prefixed with the folder where the paths part.
    assert_eq!(
        b.schemas["OtherTag"].origin.to_string(),
        "other/schemas/Tag.yaml#"
    );
    // Fragment with `~1`: named from the last token, sanitized.
    assert_eq!(
        b.schemas["ab"].origin.to_string(),
        "schemas/defs.yaml#/definitions/a~1b"
    );
}

/// Each schema's name and the file it is from, sorted by name.
fn names_and_files(root: &str) -> Vec<(String, String)> {
    let b = load(&fixtures().join("homes"), Path::new(root)).unwrap_or_else(|e| panic!("{e}"));
    let mut out: Vec<(String, String)> = b
        .schemas
        .iter()
        .map(|(name, s)| (name.clone(), s.origin.file.display().to_string()))
        .collect();
    out.sort();
    out
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(n, f)| (n.to_string(), f.to_string()))
        .collect()
}

#[test]
fn the_home_schema_keeps_its_name_whichever_is_found_first() {
    // The root in `a/` reaches `a/schemas/X.yaml` and, through a path of API `b`,
    // `b/schemas/X.yaml`: the home one is `X` in both orders, the other says where it is from.
    let expected = pairs(&[
        ("BX", "b/schemas/X.yaml"),
        ("Only", "b/schemas/Only.yaml"),
        ("X", "a/schemas/X.yaml"),
        ("Z", "a/schemas/Z.yaml"),
    ]);
    assert_eq!(names_and_files("a/home-first.yaml"), expected);
    assert_eq!(names_and_files("a/foreign-first.yaml"), expected);
}

#[test]
fn a_new_foreign_reference_renames_no_existing_schema() {
    // `more.yaml` is `home-first.yaml` with a path, listed first, to a third API's `X`.
    let before = names_and_files("a/home-first.yaml");
    let after = names_and_files("a/more.yaml");
    for pair in &before {
        assert!(after.contains(pair), "{pair:?} renamed: {after:?}");
    }
    let added: Vec<_> = after.iter().filter(|p| !before.contains(p)).collect();
    assert_eq!(added, [&("CX".to_string(), "c/schemas/X.yaml".to_string())]);
}

#[test]
fn schema_refs_rewritten_and_siblings_wrapped() {
    let b = good();
    let pet = schema_json(&b, "Pet");
    let props = &pet["properties"];
    assert_eq!(props["id"], json!({"$ref": "#/components/schemas/Id"}));
    assert_eq!(
        props["parent"],
        json!({"$ref": "#/components/schemas/Pet"}),
        "self-recursive"
    );
    assert_eq!(
        props["otherTags"]["items"],
        json!({"$ref": "#/components/schemas/OtherTag"})
    );
    assert_eq!(
        props["extra"]["additionalProperties"],
        json!({"$ref": "#/components/schemas/Tag"})
    );
    assert_eq!(
        props["status"],
        json!({"readOnly": true, "description": "Status of the pet.", "allOf": [{"$ref": "#/components/schemas/Status"}], "x-isc-ref-siblings": true})
    );
    // A -> B -> A.
    assert_eq!(
        schema_json(&b, "Owner")["properties"]["pets"]["items"],
        json!({"$ref": "#/components/schemas/Pet"})
    );
    // Literal data is left alone.
    assert_eq!(pet["example"]["owner"], json!({"$ref": "literal data"}));
    assert_eq!(pet["x-internal"], json!({"$ref": "left alone"}));
    // Discriminator mapping rewritten.
    assert_eq!(
        schema_json(&b, "Shape")["discriminator"]["mapping"],
        json!({"circle": "#/components/schemas/Circle", "square": "#/components/schemas/Square"})
    );
    // Nullable ref in a response.
    let pet_path = path_json(&b, "/pets/{id}");
    assert_eq!(
        pet_path["get"]["responses"]["200"]["content"]["application/json"]["schema"],
        json!({"nullable": true, "description": "The pet, if any.", "allOf": [{"$ref": "#/components/schemas/Pet"}], "x-isc-ref-siblings": true})
    );
}

#[test]
fn a_document_written_back_keeps_ref_siblings_as_the_spec_wrote_them() {
    let b = good();
    let document = b.to_document_value("", false).unwrap();
    let schemas = &document["components"]["schemas"];
    assert_eq!(
        schemas["Pet"]["properties"]["status"],
        json!({"readOnly": true, "description": "Status of the pet.", "$ref": "#/components/schemas/Status"})
    );
    assert_eq!(
        document["paths"]["/pets/{id}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"],
        json!({"nullable": true, "description": "The pet, if any.", "$ref": "#/components/schemas/Pet"})
    );
    // No marker is left, and an `allOf` the spec wrote stays one.
    let text = document.to_string();
    assert!(!text.contains("x-isc-ref-siblings"), "{text}");
    let typed = serde_json::to_value(b.to_document("", false)).unwrap();
    let written_all_of = |doc: &Value| doc.to_string().matches("\"allOf\"").count();
    assert_eq!(
        written_all_of(&document) + 2,
        written_all_of(&typed),
        "only the two marked wrappers are unwrapped"
    );
}

#[test]
fn non_schema_refs_inlined() {
    let b = good();
    let templates: Vec<&str> = b.paths.iter().map(|p| p.template.as_str()).collect();
    assert_eq!(templates, ["/pets", "/pets/{id}", "/inline"]);
    assert_eq!(b.paths[0].origin.to_string(), "paths/pets.yaml#");
    assert_eq!(
        b.paths[1].origin.to_string(),
        "paths/pet.yaml#/~1pets~1{id}"
    );
    assert_eq!(b.paths[2].origin.to_string(), "root.yaml#/paths/~1inline");

    let get = b.paths[0].item.get.as_ref().unwrap();
    let params: Vec<_> = get
        .parameters
        .iter()
        .map(|p| match p {
            ReferenceOr::Item(p) => p.parameter_data_ref().name.clone(),
            ReferenceOr::Reference { reference } => panic!("ref left: {reference}"),
        })
        .collect();
    assert_eq!(params, ["limit", "offset"]);

    let pets = path_json(&b, "/pets");
    let ok = &pets["get"]["responses"]["200"]["content"]["application/json"];
    assert_eq!(ok["examples"]["one"]["summary"], json!("One pet."));
    assert_eq!(
        ok["examples"]["one"]["value"][0]["$ref"],
        json!("literal"),
        "example data untouched"
    );
    assert_eq!(
        ok["example"][0]["$ref"],
        json!("not a reference, just data")
    );
    assert_eq!(
        pets["get"]["responses"]["400"]["description"],
        json!("Bad request.")
    );
    assert_eq!(pets["post"]["requestBody"]["required"], json!(true));

    // Path-level parameter from a nested folder, schema ref from `../../`.
    let pet = path_json(&b, "/pets/{id}");
    assert_eq!(
        pet["parameters"][0]["schema"],
        json!({"$ref": "#/components/schemas/Id"})
    );
    // Sibling keys next to an inlined ref override the target's keys.
    assert_eq!(
        pet["get"]["responses"]["default"]["description"],
        json!("Something went wrong.")
    );
    let inline = path_json(&b, "/inline");
    assert_eq!(
        inline["get"]["parameters"][0]["description"],
        json!("Overridden by the sibling.")
    );
    assert_eq!(inline["get"]["parameters"][0]["name"], json!("limit"));
}

#[test]
fn root_parts_files_and_diagnostics() {
    let b = good();
    assert_eq!(b.root, PathBuf::from("root.yaml"));
    assert_eq!(b.info.title, "Fixture API");
    assert_eq!(b.servers.len(), 1);
    assert_eq!(b.tags[0].name, "Pets");
    assert_eq!(
        b.extensions["x-webhooks"]["PetCreated"]["$ref"],
        json!("./webhooks/pet-created.yaml")
    );
    let files: Vec<String> = b.files.iter().map(|f| f.display().to_string()).collect();
    assert_eq!(
        files,
        [
            "examples/pets.yaml",
            "other/schemas/Tag.yaml",
            "parameters/common.yaml",
            "parameters/limit.yaml",
            "parameters/path/id.yaml",
            "paths/pet.yaml",
            "paths/pets.yaml",
            "requestBodies/pet.yaml",
            "responses/400.yaml",
            "root.yaml",
            "schemas/Circle.yaml",
            "schemas/Error.yaml",
            "schemas/Id.yaml",
            "schemas/Owner.yaml",
            "schemas/Pet.yaml",
            "schemas/ReviewReassign.yaml",
            "schemas/Shape.yaml",
            "schemas/Square.yaml",
            "schemas/Status.yaml",
            "schemas/Tag.yaml",
            "schemas/defs.yaml",
            "webhooks/pet-adoption-requested.yaml",
            "webhooks/pet-created.yaml",
        ]
    );
    // Event triggers are loaded as path items keyed by name; a trigger without `responses`
    // is read as answered with 204; an answer written without a status code as the 200 answer.
    assert_eq!(b.webhooks.len(), 2);
    assert_eq!(b.webhooks[0].template, "PetCreated");
    let post = b.webhooks[0].item.post.as_ref().unwrap();
    assert_eq!(post.operation_id.as_deref(), Some("petCreatedEvent"));
    assert!(
        post.responses
            .responses
            .contains_key(&openapiv3::StatusCode::Code(204))
    );
    let answered = b.webhooks[1].item.post.as_ref().unwrap();
    let ok = &answered.responses.responses[&openapiv3::StatusCode::Code(200)];
    assert!(
        matches!(ok, openapiv3::ReferenceOr::Item(r) if r.content.contains_key("application/json"))
    );
    assert!(b.diagnostics.iter().any(|d| d.location
        == "webhooks/pet-adoption-requested.yaml#/post/responses"
        && d.message.contains("read as the 200 answer")));
    let diags: Vec<String> = b.diagnostics.iter().map(|d| d.location.clone()).collect();
    assert_eq!(
        diags,
        [
            "paths/pets.yaml#/get/responses/required",
            "paths/pets.yaml#/post/responses/201/content/schema",
            "webhooks/pet-adoption-requested.yaml#/post/responses"
        ]
    );
}

#[test]
fn deterministic() {
    assert_eq!(format!("{:?}", good()), format!("{:?}", good()));
}

fn error(root: &str) -> LoadError {
    match load(&fixtures().join("errors"), Path::new(root)) {
        Ok(_) => panic!("{root} loaded"),
        Err(e) => {
            println!("{e}");
            e
        }
    }
}

fn assert_at(e: &LoadError, file: &str, pointer: &str) {
    assert_eq!(e.origin.file, PathBuf::from(file), "{e}");
    assert_eq!(e.origin.pointer, pointer, "{e}");
    assert!(
        e.to_string().starts_with(&format!("{file}#{pointer}: ")),
        "{e}"
    );
}

#[test]
fn error_missing_file() {
    let e = error("dangling-file.yaml");
    assert_at(&e, "dangling-file.yaml", "/paths/~1x");
    assert!(matches!(e.kind, LoadErrorKind::DanglingRef { .. }), "{e}");
    assert!(e.to_string().contains("missing.yaml"), "{e}");
}

#[test]
fn error_bad_pointer() {
    let e = error("bad-pointer.yaml");
    assert_at(&e, "bad-pointer.yaml", "/paths/~1x/get/parameters/0");
    assert!(matches!(e.kind, LoadErrorKind::DanglingRef { .. }), "{e}");
    assert!(e.to_string().contains("x.yaml#/nope"), "{e}");
}

#[test]
fn error_unreadable_file() {
    let e = error("unreadable.yaml");
    assert_at(&e, "dir.yaml", "");
    assert!(matches!(e.kind, LoadErrorKind::Io(_)), "{e}");
    assert!(
        e.to_string().contains("unreadable.yaml#/paths/~1x"),
        "names the referrer: {e}"
    );
}

#[test]
fn error_not_yaml() {
    let e = error("not-yaml.yaml");
    assert_at(&e, "broken.yaml", "");
    assert!(matches!(e.kind, LoadErrorKind::Yaml(_)), "{e}");
    assert!(e.to_string().contains("line"), "{e}");
    assert!(
        e.to_string().contains("not-yaml.yaml#/paths/~1x"),
        "names the referrer: {e}"
    );
}

#[test]
fn error_cycle() {
    let e = error("cycle.yaml");
    assert!(matches!(e.kind, LoadErrorKind::Cycle(_)), "{e}");
    assert_at(&e, "cycle-b.yaml", "");
    assert!(
        e.to_string()
            .contains("cycle-a.yaml# -> cycle-b.yaml# -> cycle-a.yaml#"),
        "{e}"
    );
}

#[test]
fn error_invalid_parameter() {
    let e = error("invalid-node.yaml");
    assert_at(&e, "bad-param.yaml", "");
    assert!(
        matches!(
            e.kind,
            LoadErrorKind::Invalid {
                what: "parameter",
                ..
            }
        ),
        "{e}"
    );
    assert!(e.to_string().contains("nowhere"), "{e}");
}

#[test]
fn error_invalid_schema() {
    let e = error("invalid-schema.yaml");
    assert_at(&e, "bad-schema.yaml", "/properties/a");
    assert!(
        matches!(e.kind, LoadErrorKind::Invalid { what: "schema", .. }),
        "{e}"
    );
}

#[test]
fn error_outside_spec_folder() {
    let e = error("escape.yaml");
    assert_at(
        &e,
        "escape.yaml",
        "/paths/~1x/get/responses/200/content/application~1json/schema",
    );
    assert!(e.to_string().contains("not inside the spec folder"), "{e}");
}

#[test]
fn error_missing_root() {
    let e = error("no-such-root.yaml");
    assert_at(&e, "no-such-root.yaml", "");
    assert!(matches!(e.kind, LoadErrorKind::Io(_)), "{e}");
}

/// Every `$ref` string under `value`, except in examples and extensions (data, not refs).
fn refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                match (key.as_str(), child) {
                    ("$ref", Value::String(target)) => out.push(target.clone()),
                    ("example" | "examples", _) => {}
                    (key, _) if key.starts_with("x-") => {}
                    _ => refs(child, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| refs(item, out)),
        _ => {}
    }
}

#[test]
fn bundle_as_one_document_is_self_contained_and_prefixed() {
    let bundle = good();
    let document = bundle.to_document("/v9", true);
    let json = serde_json::to_value(&document).unwrap();
    // It reads back as OpenAPI.
    let _: openapiv3::OpenAPI = serde_json::from_value(json.clone()).unwrap();
    let paths: Vec<&str> = json["paths"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(paths.len(), bundle.paths.len());
    for (path, bundled) in paths.iter().zip(&bundle.paths) {
        assert_eq!(*path, format!("/v9{}", bundled.template));
    }
    let schemas = json["components"]["schemas"].as_object().unwrap();
    assert_eq!(schemas.len(), bundle.schemas.len());
    let mut found = Vec::new();
    refs(&json, &mut found);
    assert!(!found.is_empty());
    for target in found {
        let name = target
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("non-schema ref left: {target}"));
        assert!(schemas.contains_key(name), "dangling ref {target}");
    }
    assert!(!json.to_string().contains("\"security\""));
    let kept = serde_json::to_value(bundle.to_document("", false)).unwrap();
    assert_eq!(kept["paths"].as_object().unwrap().len(), paths.len());
}

fn overlay(text: &str) -> codegen::loader::Overlay {
    codegen::loader::Overlay::parse(Path::new("fix.yaml"), text).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn overlay_updates_merge_append_and_remove_keeping_order() {
    let mut bundle = good();
    let paths_before: Vec<String> = bundle.paths.iter().map(|p| p.template.clone()).collect();
    let schemas_before: Vec<String> = bundle.schemas.keys().cloned().collect();
    let fix = overlay(
        r#"
overlay: 1.0.0
info: {title: Fixture fixes, version: 1.0.0}
actions:
  - target: $.components.schemas.Pet
    description: merge an object (nested objects merged, scalars replaced)
    update:
      description: A pet, corrected.
      properties:
        nickname: {type: string}
  - target: $.components.schemas.Pet.required
    description: append to an array
    update: kind
  - target: $.components.schemas.Local.properties.same
    remove: true
  - target: $.components.schemas
    description: add a schema
    update:
      Added: {type: integer}
  - target: "$.paths['/inline'].get"
    update: {summary: "Inline, corrected"}
"#,
    );
    assert_eq!(fix.action_count(), 5);
    bundle.apply_overlays(&[fix]).unwrap();

    let pet = schema_json(&bundle, "Pet");
    assert_eq!(pet["description"], json!("A pet, corrected."));
    assert_eq!(pet["properties"]["nickname"], json!({"type": "string"}));
    assert!(
        pet["properties"]["id"].is_object(),
        "other members are kept"
    );
    assert_eq!(pet["required"], json!(["id", "kind"]));
    let local = schema_json(&bundle, "Local");
    assert!(local["properties"].get("same").is_none());
    assert!(local["properties"].get("pet").is_some());
    assert_eq!(schema_json(&bundle, "Added")["type"], json!("integer"));
    assert_eq!(bundle.schemas["Added"].origin.file, Path::new("fix.yaml"));
    assert_eq!(bundle.schemas["Pet"].origin, good().schemas["Pet"].origin);
    assert_eq!(
        path_json(&bundle, "/inline")["get"]["summary"],
        json!("Inline, corrected")
    );
    // Order is kept; additions come last.
    let paths_after: Vec<String> = bundle.paths.iter().map(|p| p.template.clone()).collect();
    assert_eq!(paths_after, paths_before);
    let schemas_after: Vec<String> = bundle.schemas.keys().cloned().collect();
    assert_eq!(schemas_after[..schemas_before.len()], schemas_before[..]);
    assert_eq!(schemas_after.last().map(String::as_str), Some("Added"));
}

#[test]
fn overlay_errors_name_the_file_and_the_action() {
    let parse = |text: &str| codegen::loader::Overlay::parse(Path::new("bad.yaml"), text);
    let error = parse("overlay: 2.0.0\ninfo: {title: t}\nactions: []").unwrap_err();
    assert_at(&error, "bad.yaml", "/overlay");
    let error = parse("overlay: 1.0.0\nactions: []").unwrap_err();
    assert_at(&error, "bad.yaml", "/info/title");
    let error =
        parse("overlay: 1.0.0\ninfo: {title: t}\nactions:\n  - target: '$[?'\n    remove: true")
            .unwrap_err();
    assert_at(&error, "bad.yaml", "/actions/0/target");
    let error =
        parse("overlay: 1.0.0\ninfo: {title: t}\nactions:\n  - target: $.paths").unwrap_err();
    assert_at(&error, "bad.yaml", "/actions/0");
    let error = parse("overlay: [1\n").unwrap_err();
    assert!(matches!(error.kind, LoadErrorKind::Yaml(_)), "{error}");

    // Targets that select nothing: the spec changed under the overlay. Each such action is
    // reported and left out; the good one between them is applied.
    let stale = parse(
        "overlay: 1.0.0\ninfo: {title: t}\nactions:\n  - target: $.components.schemas.Gone\n    remove: true\n  - target: $.components.schemas.Local\n    update: {description: kept}\n  - target: $.components.schemas.Nope\n    update: {a: 1}",
    )
    .unwrap();
    let mut bundle = good();
    let left_out = bundle.apply_overlays(&[stale]).unwrap();
    assert_eq!(left_out.len(), 2, "{left_out:?}");
    assert_at(&left_out[0], "bad.yaml", "/actions/0/target");
    assert_at(&left_out[1], "bad.yaml", "/actions/2/target");
    assert!(left_out[0].to_string().contains("selects nothing"));
    assert_eq!(schema_json(&bundle, "Local")["description"], json!("kept"));

    // An update that does not fit its target, and one that breaks the schema: left out, alone.
    let scalar = parse(
        "overlay: 1.0.0\ninfo: {title: t}\nactions:\n  - target: $.components.schemas.Local.type\n    update: {a: 1}\n  - target: $.components.schemas.Pet\n    update: {description: kept}",
    )
    .unwrap();
    let mut bundle = good();
    let left_out = bundle.apply_overlays(&[scalar]).unwrap();
    assert_eq!(left_out.len(), 1);
    assert_at(&left_out[0], "bad.yaml", "/actions/0/update");
    assert_eq!(schema_json(&bundle, "Pet")["description"], json!("kept"));
    assert_eq!(schema_json(&bundle, "Local"), schema_json(&good(), "Local"));
    let broken = parse(
        "overlay: 1.0.0\ninfo: {title: t}\nactions:\n  - target: $.components.schemas.Pet\n    update: {description: kept}\n  - target: $.components.schemas.Local\n    update: {properties: 5}",
    )
    .unwrap();
    let mut bundle = good();
    let left_out = bundle.apply_overlays(&[broken]).unwrap();
    assert_eq!(left_out.len(), 1);
    assert_at(&left_out[0], "bad.yaml", "/actions/1/update");
    assert!(
        left_out[0]
            .to_string()
            .contains("/components/schemas/Local"),
        "{}",
        left_out[0]
    );
    assert_eq!(schema_json(&bundle, "Pet")["description"], json!("kept"));
    assert_eq!(schema_json(&bundle, "Local"), schema_json(&good(), "Local"));

    // A reference to a component that is not there (a later action may add it).
    let dangling = parse(
        "overlay: 1.0.0\ninfo: {title: t}\nactions:\n  - target: $.components.schemas.Local\n    update: {properties: {pet: {items: {$ref: '#/components/schemas/Gone'}}}}",
    )
    .unwrap();
    let left_out = good().apply_overlays(&[dangling]).unwrap();
    assert_at(
        &left_out[0],
        "bad.yaml",
        "/actions/0/update/properties/pet/items/$ref",
    );
    assert!(
        left_out[0]
            .to_string()
            .contains("#/components/schemas/Gone"),
        "{}",
        left_out[0]
    );
    let added_later = parse(
        "overlay: 1.0.0\ninfo: {title: t}\nactions:\n  - target: $.components.schemas.Local\n    update: {properties: {pet: {$ref: '#/components/schemas/Later'}}}\n  - target: $.components.schemas\n    update: {Later: {type: integer}}",
    )
    .unwrap();
    assert!(good().apply_overlays(&[added_later]).unwrap().is_empty());

    // An action that worked only through one left out is left out in the next round: `Later`
    // is added by an action that is itself stale (it also targets what is gone), so the action
    // that refers to `Later` fails too. Both are reported, in order, across two overlays.
    let first = parse(
        "overlay: 1.0.0\ninfo: {title: t}\nactions:\n  - target: $.components.schemas\n    update: {Later: {type: integer, properties: 5}}",
    )
    .unwrap();
    let second = codegen::loader::Overlay::parse(
        Path::new("second.yaml"),
        "overlay: 1.0.0\ninfo: {title: t}\nactions:\n  - target: $.components.schemas.Local\n    update: {properties: {pet: {$ref: '#/components/schemas/Later'}}}\n  - target: $.components.schemas.Pet\n    update: {description: kept}",
    )
    .unwrap();
    let mut bundle = good();
    let left_out = bundle.apply_overlays(&[first, second]).unwrap();
    assert_eq!(left_out.len(), 2, "{left_out:?}");
    assert_at(&left_out[0], "bad.yaml", "/actions/0/update");
    assert!(
        left_out[0]
            .to_string()
            .contains("leaves /components/schemas/Later invalid")
    );
    assert_at(
        &left_out[1],
        "second.yaml",
        "/actions/0/update/properties/pet/$ref",
    );
    assert_eq!(schema_json(&bundle, "Pet")["description"], json!("kept"));
    assert!(!bundle.schemas.contains_key("Later"));
}

/// Load a one-file spec given as text (JSON is YAML).
fn load_text(text: &str) -> Result<Bundle, LoadError> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("api.yaml"), text).unwrap();
    load(dir.path(), Path::new("api.yaml"))
}

/// `{items: {items: ... {} }}`, `depth` schemas deep, each made by `wrap`.
fn nested(depth: usize, wrap: impl Fn(Value) -> Value) -> Value {
    (0..depth).fold(json!({}), |v, _| wrap(v))
}

#[test]
fn error_schema_nested_too_deep() {
    // Found by the no_panic property test: unbounded nesting reached every recursive walk of a
    // schema. Deeper than the limit is an error at the schema where the limit is crossed.
    let deep = nested(100, |v| json!({"type": "array", "items": v}));
    let spec = json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": {"Deep": deep}},
    });
    let e = load_text(&spec.to_string()).map(drop).unwrap_err();
    let pointer = format!("/components/schemas/Deep{}", "/items".repeat(64));
    assert_at(&e, "api.yaml", &pointer);
    assert!(e.to_string().contains("64 levels"), "{e}");

    // At the limit, it loads.
    let ok = nested(63, |v| json!({"type": "array", "items": v}));
    let spec = json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": {"Deep": ok}},
    });
    load_text(&spec.to_string()).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn error_deep_invalid_schema_is_found_fast() {
    // Found by the no_panic property test (it hung): an invalid node under 40 levels of `oneOf`
    // made openapiv3's deserializer backtrack through its untagged enums at every level, in time
    // exponential in the depth. The loader now checks schemas innermost first.
    let bad = nested(40, |v| json!({"oneOf": [v, null]}));
    let started = std::time::Instant::now();
    let spec = json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": {"Bad": bad.clone()}},
    });
    let e = load_text(&spec.to_string()).map(drop).unwrap_err();
    // The innermost invalid node: the `null` beside the deepest `{}`.
    let innermost = format!("{}/oneOf/1", "/oneOf/0".repeat(39));
    assert_at(
        &e,
        "api.yaml",
        &format!("/components/schemas/Bad{innermost}"),
    );
    assert!(matches!(e.kind, LoadErrorKind::Invalid { .. }), "{e}");

    // The same schema inside a parameter of a path item.
    let spec = json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/x": {"get": {
            "parameters": [{"name": "q", "in": "query", "schema": bad}],
            "responses": {"200": {"description": "ok"}},
        }}},
    });
    let e = load_text(&spec.to_string()).map(drop).unwrap_err();
    assert_at(
        &e,
        "api.yaml",
        &format!("/paths/~1x/get/parameters/0/schema{innermost}"),
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
}
