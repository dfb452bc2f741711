//! The type model: small component sets in, emitted models out (insta snapshots of the
//! prettyplease-formatted files, plus the diagnostics).
//!
//! Accept changed snapshots with `INSTA_UPDATE=always cargo test -p isc-codegen --test types` and
//! review the `.snap` files.

use std::fmt::Write as _;
use std::path::PathBuf;

use codegen::Diagnostics;
use codegen::loader::{Bundle, BundledSchema, Origin};
use codegen::types::{TypeRef, TypeSpace};
use indexmap::IndexMap;
use openapiv3::{ReferenceOr, Schema};
use quote::quote;

fn bundle(yaml: &str) -> Bundle {
    let schemas: IndexMap<String, Schema> = serde_yaml::from_str(yaml).expect("test YAML is valid");
    Bundle {
        root: PathBuf::from("api.yaml"),
        info: openapiv3::Info {
            title: "t".into(),
            version: "1".into(),
            ..Default::default()
        },
        servers: Vec::new(),
        tags: Vec::new(),
        paths: Vec::new(),
        webhooks: Vec::new(),
        schemas: schemas
            .into_iter()
            .map(|(name, schema)| {
                let origin = Origin {
                    file: PathBuf::from(format!("schemas/{name}.yaml")),
                    pointer: String::new(),
                };
                (name, BundledSchema { schema, origin })
            })
            .collect(),
        extensions: IndexMap::new(),
        files: Vec::new(),
        diagnostics: Vec::new(),
    }
}

fn format(tokens: proc_macro2::TokenStream) -> String {
    let file = syn::parse2::<syn::File>(tokens).expect("emitted code parses");
    prettyplease::unparse(&file)
}

/// Every emitted file, formatted, then the diagnostics.
///
/// With `TYPES_DUMP_DIR` set, the files are also written to `$TYPES_DUMP_DIR/<name>/`, so that
/// they can be compiled (and linted) in a scratch crate.
fn render(name: &str, space: &TypeSpace, diagnostics: Diagnostics) -> String {
    let mut out = String::new();
    let dump = std::env::var_os("TYPES_DUMP_DIR").map(|dir| PathBuf::from(dir).join(name));
    for (path, tokens) in codegen::emit::models::emit_models(
        space,
        &quote!(crate::runtime),
        &|_| Default::default(),
        &|_| None,
    ) {
        let text = format(tokens);
        if let Some(dump) = &dump {
            let target = dump.join(&path);
            std::fs::create_dir_all(target.parent().expect("file in a folder"))
                .expect("dump folder");
            std::fs::write(target, &text).expect("dump file");
        }
        let _ = writeln!(out, "// ===== {}\n{}", path.display(), text);
    }
    let diagnostics = diagnostics.into_sorted();
    if !diagnostics.is_empty() {
        out.push_str("// ===== diagnostics\n");
        for diagnostic in diagnostics {
            let _ = writeln!(out, "// {diagnostic}");
        }
    }
    out
}

/// Compare with `fixtures/types/snapshots/<name>.snap`.
fn snapshot(name: &str, text: String) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("fixtures/types/snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!(name, text));
}

fn generate(name: &str, yaml: &str) -> String {
    let mut diagnostics = Diagnostics::default();
    let space = TypeSpace::new(&bundle(yaml), &mut diagnostics).expect("type space");
    render(name, &space, diagnostics)
}

#[test]
fn types_fields_optionality_and_names() {
    snapshot(
        "types_fields_optionality_and_names",
        generate(
            "types_fields_optionality_and_names",
            r#"
Account:
  type: object
  title: Account
  description: |
    An account on a source.

    * listed
    continued lazily
  required: [id, name, modified, owner]
  properties:
    id:
      type: string
      format: uuid
      description: Id, kept byte for byte.
    name:
      type: string
    modified:
      type: string
      format: date-time
      nullable: true
    created:
      type: string
      format: date
      readOnly: true
    owner:
      type: integer
      format: int32
    count:
      type: integer
    score:
      type: number
      format: float
    enabled:
      type: boolean
      nullable: true
      description: Optional and nullable.
    legacy:
      type: boolean
      deprecated: true
    password:
      type: string
      format: password
      writeOnly: true
    type:
      type: string
    self:
      type: string
    filter.$:
      type: string
    x-dashed-name:
      type: string
    dotted.name:
      type: string
    sourceId:
      type: string
    source_id:
      type: string
    content:
      type: string
      format: binary
    odd:
      type: string
      format: uuid (if user is Org Admin)
"#,
        ),
    );
}

#[test]
fn types_read_only_and_write_only_required_are_optional() {
    // OpenAPI 3.0: a required readOnly property is required in responses only, a required
    // writeOnly one in requests only; the one type serves both, so both are optional.
    snapshot(
        "types_read_only_and_write_only_required_are_optional",
        generate(
            "types_read_only_and_write_only_required_are_optional",
            r#"
Stamp:
  type: string
  format: date-time
  readOnly: true
Template:
  type: object
  required: [name, id, created, modified, secret, stamp, wrapped]
  properties:
    name:
      type: string
    id:
      type: string
      readOnly: true
    created:
      type: string
      format: date-time
      readOnly: true
    modified:
      type: string
      format: date-time
      readOnly: true
      nullable: true
    secret:
      type: string
      writeOnly: true
    stamp:
      $ref: '#/components/schemas/Stamp'
    wrapped:
      allOf:
        - $ref: '#/components/schemas/Owner'
        - readOnly: true
Owner:
  type: object
  required: [id]
  properties:
    id:
      type: string
Derived:
  allOf:
    - $ref: '#/components/schemas/Template'
    - type: object
      required: [extra]
      properties:
        extra:
          type: boolean
"#,
        ),
    );
}

#[test]
fn types_required_but_undeclared_members_are_fields_typed_from_examples() {
    // `required` names members `properties` does not declare: each is a required field, typed
    // from the examples that reach it (an enclosing array's example, the component's own) when
    // they agree, any JSON value otherwise; optional unless every example has it; none beside
    // `additionalProperties` (a map's key).
    snapshot(
        "types_required_but_undeclared_members_are_fields_typed_from_examples",
        generate(
            "types_required_but_undeclared_members_are_fields_typed_from_examples",
            r#"
Metadata:
  type: object
  required: [values]
  properties:
    values:
      type: array
      items:
        type: object
        required: [attribute, values, count, anything, unseen, partial]
        properties:
          attributeKey:
            type: string
          values:
            type: array
            items:
              type: string
      example:
        - {attribute: a, values: [x], count: 2, anything: 1, partial: p}
        - {attribute: b, values: [y], count: 3, anything: text}
Holder:
  type: object
  required: [id]
  properties:
    note:
      type: string
  example: {id: 7, note: n}
Mapped:
  type: object
  required: [key]
  additionalProperties:
    type: string
"#,
        ),
    );
}

#[test]
fn types_enums() {
    snapshot(
        "types_enums",
        generate(
            "types_enums",
            r#"
Status:
  type: string
  description: Account status.
  enum: [ACTIVE, inactive, "a-b", "a_b", "*", "", null, "idn:accounts:read", Unrecognized, ACTIVE]
Level:
  type: integer
  enum: [1, 2, 3]
Flag:
  type: boolean
  enum: [true]
Mixed:
  enum: [a, 1, true]
OnlyNull:
  type: string
  enum: [null]
Holder:
  type: object
  required: [status]
  properties:
    status:
      $ref: '#/components/schemas/Status'
    maybe:
      $ref: '#/components/schemas/OnlyNull'
    kind:
      type: string
      enum: [ONE, TWO]
    kinds:
      type: array
      items:
        type: string
        enum: [X, Y]
"#,
        ),
    );
}

#[test]
fn types_maps_and_free_form_objects() {
    snapshot(
        "types_maps_and_free_form_objects",
        generate(
            "types_maps_and_free_form_objects",
            r#"
Labels:
  type: object
  additionalProperties:
    type: string
Anything:
  type: object
Open:
  type: object
  additionalProperties: true
Extensible:
  type: object
  required: [name]
  properties:
    name:
      type: string
    additional_properties:
      type: string
  additionalProperties:
    type: integer
Loose:
  type: object
  properties:
    name:
      type: string
  additionalProperties: true
Holder:
  type: object
  properties:
    attributes:
      type: object
      additionalProperties:
        type: object
        properties:
          value:
            type: string
    free:
      type: object
    nested:
      type: object
      properties:
        inner:
          type: string
    list:
      type: array
      items:
        type: object
        properties:
          id:
            type: string
    untyped: {}
    noItems:
      type: array
"#,
        ),
    );
}

#[test]
fn types_all_of() {
    snapshot(
        "types_all_of",
        generate(
            "types_all_of",
            r#"
Base:
  type: object
  required: [id]
  properties:
    id:
      type: string
    name:
      type: string
    status:
      type: string
      enum: [A, B]
Named:
  allOf:
    - $ref: '#/components/schemas/Base'
    - type: object
      required: [name]
      properties:
        description:
          type: string
Derived:
  type: object
  description: type object plus allOf (SchemaKind::Any).
  allOf:
    - $ref: '#/components/schemas/Named'
    - type: object
      required: [extra]
      properties:
        extra:
          type: integer
        name:
          type: string
          description: Overrides the inherited name.
  properties:
    own:
      type: boolean
Wrapper:
  type: object
  required: [ref, nullableRef, plainRef]
  properties:
    ref:
      allOf:
        - $ref: '#/components/schemas/Base'
      description: A reference with a description next to it.
    nullableRef:
      allOf:
        - $ref: '#/components/schemas/Base'
      nullable: true
    plainRef:
      $ref: '#/components/schemas/Base'
    optionalNullable:
      allOf:
        - $ref: '#/components/schemas/Base'
      nullable: true
AliasOfBase:
  allOf:
    - $ref: '#/components/schemas/Base'
  description: Just another name.
NullableString:
  type: string
  nullable: true
UsesNullable:
  type: object
  required: [value]
  properties:
    value:
      $ref: '#/components/schemas/NullableString'
StringsAllOf:
  allOf:
    - type: string
    - minLength: 1
Version:
  type: string
  enum: ["5", "7"]
Annotated:
  type: object
  required: [status, version]
  properties:
    status:
      allOf:
        - $ref: '#/components/schemas/Version'
        - nullable: true
    version:
      allOf:
        - $ref: '#/components/schemas/Version'
        - type: string
          description: The version, described in a member.
RequiredOnly:
  allOf:
    - $ref: '#/components/schemas/Base'
    - required: [name]
"#,
        ),
    );
}

#[test]
fn types_one_of_untagged_order() {
    snapshot(
        "types_one_of_untagged_order",
        generate(
            "types_one_of_untagged_order",
            r#"
Small:
  type: object
  properties:
    a:
      type: string
Big:
  type: object
  required: [a, b]
  properties:
    a:
      type: string
    b:
      type: string
Middle:
  type: object
  required: [a]
  properties:
    a:
      type: string
Choice:
  description: One of many.
  oneOf:
    - type: string
    - $ref: '#/components/schemas/Small'
    - type: integer
    - type: array
      items:
        type: string
    - $ref: '#/components/schemas/Big'
    - type: object
      title: inline thing
      properties:
        inline:
          type: boolean
    - $ref: '#/components/schemas/Middle'
    - type: boolean
    - type: number
AnyChoice:
  anyOf:
    - $ref: '#/components/schemas/Small'
    - $ref: '#/components/schemas/Big'
StringsOnly:
  oneOf:
    - type: string
    - type: string
      enum: [A, B]
Single:
  oneOf:
    - $ref: '#/components/schemas/Big'
Holder:
  type: object
  properties:
    value:
      nullable: true
      oneOf:
        - type: string
        - type: integer
ObjectWithOneOf:
  type: object
  oneOf:
    - $ref: '#/components/schemas/Small'
    - $ref: '#/components/schemas/Big'
"#,
        ),
    );
}

#[test]
fn types_one_of_discriminator() {
    snapshot(
        "types_one_of_discriminator",
        generate(
            "types_one_of_discriminator",
            r#"
AccessProfileSummary:
  type: object
  required: [type, id]
  properties:
    type:
      type: string
      enum: [ACCESS_PROFILE]
    id:
      type: string
AccessProfileEntitlement:
  type: object
  required: [type]
  properties:
    type:
      type: string
    attribute:
      type: string
AccessProfileRole:
  type: object
  properties:
    type:
      type: string
IdentityAccess:
  discriminator:
    propertyName: type
    mapping:
      ACCESS_PROFILE: '../access/AccessProfileSummary.yaml'
      ENTITLEMENT: '#/components/schemas/AccessProfileEntitlement'
      OTHER_ENTITLEMENT: '#/components/schemas/AccessProfileEntitlement'
      GHOST: '#/components/schemas/Ghost'
  oneOf:
    - $ref: '#/components/schemas/AccessProfileSummary'
    - $ref: '#/components/schemas/AccessProfileEntitlement'
    - $ref: '#/components/schemas/AccessProfileRole'
InlineMember:
  discriminator:
    propertyName: kind
  oneOf:
    - $ref: '#/components/schemas/AccessProfileRole'
    - type: object
      properties:
        kind:
          type: string
"#,
        ),
    );
}

#[test]
fn types_recursion_is_boxed() {
    snapshot(
        "types_recursion_is_boxed",
        generate(
            "types_recursion_is_boxed",
            r#"
Tree:
  type: object
  required: [value]
  properties:
    value:
      type: string
    parent:
      $ref: '#/components/schemas/Tree'
    children:
      type: array
      items:
        $ref: '#/components/schemas/Tree'
    byName:
      type: object
      additionalProperties:
        $ref: '#/components/schemas/Tree'
NodeA:
  type: object
  properties:
    b:
      $ref: '#/components/schemas/NodeB'
NodeB:
  type: object
  required: [a]
  properties:
    a:
      allOf:
        - $ref: '#/components/schemas/NodeA'
      nullable: true
    leaf:
      $ref: '#/components/schemas/Leaf'
Leaf:
  type: object
  properties:
    name:
      type: string
Expr:
  oneOf:
    - $ref: '#/components/schemas/Not'
    - type: string
Not:
  type: object
  required: [not]
  properties:
    not:
      $ref: '#/components/schemas/Expr'
SelfAlias:
  allOf:
    - $ref: '#/components/schemas/SelfAlias'
"#,
        ),
    );
}

#[test]
fn types_schema_kind_any_and_odd_shapes() {
    snapshot(
        "types_schema_kind_any_and_odd_shapes",
        generate(
            "types_schema_kind_any_and_odd_shapes",
            r#"
IntWithItems:
  type: integer
  items:
    type: string
IntWithMinLength:
  type: integer
  format: int64
  minLength: 1
DateTimeType:
  type: date-time
NoType:
  properties:
    a:
      type: string
ItemsNoType:
  items:
    type: integer
StringList:
  type: array
  items:
    type: string
ObjectList:
  type: array
  items:
    type: object
    properties:
      id:
        type: string
Weird:
  type: strange
NotSchema:
  not:
    type: string
Dangling:
  type: object
  properties:
    gone:
      $ref: '#/components/schemas/Nowhere'
    external:
      $ref: './other.yaml#/Thing'
"#,
        ),
    );
}

#[test]
fn types_naming_collisions() {
    snapshot(
        "types_naming_collisions",
        generate(
            "types_naming_collisions",
            r#"
Account:
  type: object
  properties:
    status:
      type: string
      enum: [A, B]
    roles:
      type: array
      items:
        type: object
        properties:
          id:
            type: string
    data:
      type: array
      items:
        type: object
        properties:
          id:
            type: string
    _type:
      type: string
    type:
      type: string
AccountStatus:
  type: string
  enum: [X]
account-status:
  type: string
Result:
  type: object
  properties:
    value:
      type: string
Models:
  type: string
mod:
  type: string
Serde:
  type: object
  properties:
    std:
      type: string
"#,
        ),
    );
}

#[test]
fn types_type_for_operations() {
    let mut diagnostics = Diagnostics::default();
    let mut space = TypeSpace::new(
        &bundle(
            r#"
Account:
  type: object
  properties:
    id:
      type: string
Level:
  type: string
  enum: [FULL, SLIM]
Ids:
  type: array
  items:
    type: string
"#,
        ),
        &mut diagnostics,
    )
    .expect("type space");
    let schema = |yaml: &str| -> ReferenceOr<Schema> { serde_yaml::from_str(yaml).expect("valid") };
    let mut types = Vec::new();
    for (yaml, hint) in [
        ("$ref: '#/components/schemas/Account'", "Unused"),
        ("$ref: '#/components/schemas/Ids'", "Unused"),
        (
            "{type: array, items: {$ref: '#/components/schemas/Account'}}",
            "Unused",
        ),
        ("{type: string, enum: [a, b]}", "ListAccountsDetailLevel"),
        (
            "{type: object, properties: {name: {type: string}, kind: {type: string, enum: [K]}}}",
            "CreateAccountRequest",
        ),
        (
            "{type: array, items: {type: object, properties: {x: {type: integer}}}}",
            "ListThingsResponse",
        ),
        ("{type: string, enum: [a]}", "Account"),
        ("{type: string, format: binary}", "Upload"),
        ("{type: integer, format: int32}", "Limit"),
        (
            "{oneOf: [{type: string}, {type: integer}]}",
            "create-thing response",
        ),
    ] {
        let ty = space.type_for(
            &schema(yaml),
            hint,
            &format!("test {hint}"),
            &mut diagnostics,
        );
        types.push(format!("{yaml} => {ty:?}"));
    }
    assert!(space.is_string_enum(&TypeRef::Named("Level".into())));
    assert!(space.is_string_enum(&TypeRef::Named("ListAccountsDetailLevel".into())));
    assert!(!space.is_string_enum(&TypeRef::Named("Account".into())));
    assert!(!space.is_string_enum(&TypeRef::String));
    assert!(space.is_nullable(&schema("{type: string, nullable: true}")));
    assert!(!space.is_nullable(&schema("$ref: '#/components/schemas/Account'")));
    let models = quote!(crate::v3::models);
    let runtime = quote!(crate::runtime);
    let rendered: Vec<String> = [
        TypeRef::Named("Account".into()),
        TypeRef::Vec(Box::new(TypeRef::DateTime)),
        TypeRef::Map(Box::new(TypeRef::Json)),
        TypeRef::Binary,
        TypeRef::Date,
    ]
    .iter()
    .map(|ty| ty.tokens(&models, &runtime).to_string())
    .collect();
    snapshot(
        "types_type_for_operations",
        format!(
            "{}\n\n{}\n\nmodels: {}\n\n{}",
            types.join("\n"),
            rendered.join("\n"),
            space.model_count(),
            render("types_type_for_operations", &space, diagnostics)
        ),
    );
}

#[test]
fn types_output_is_deterministic() {
    let yaml = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/types/mixed.yaml"
    ))
    .expect("fixture");
    assert_eq!(generate("mixed", &yaml), generate("mixed", &yaml));
}

#[test]
fn types_string_enum_with_stray_scalars_keeps_their_text() {
    let text = generate(
        "string_enum_stray_scalars",
        r#"
Locale:
  type: string
  enum: [de, false, fi, 3]
Mixed:
  enum: [a, 1]
"#,
    );
    assert!(text.contains(r#""false" => Self::False"#), "{text}");
    assert!(text.contains(r#""3" => Self::N3"#), "{text}");
    assert!(
        text.contains("string enum lists non-string values (false, 3); kept as their text"),
        "{text}"
    );
    // Without a declared type there is nothing to say which kind is meant.
    assert!(text.contains("enum mixes value kinds"), "{text}");
}
