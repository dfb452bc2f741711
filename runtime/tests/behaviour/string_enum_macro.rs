//! The string-enum macro as generated code uses it: through a re-export of the runtime
//! (`isc-client` mounts it at `crate::runtime`), from nested modules, beside generated types
//! that shadow prelude names. Its expansion names the runtime by `$crate`, so it works wherever
//! the runtime is re-exported.

use isc_runtime as runtime;

mod models {
    /// A generated-style string enum in a nested module.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum Kind {
        Source,
        Other(String),
    }

    impl super::runtime::StringEnum for Kind {
        fn as_str(&self) -> &str {
            match self {
                Kind::Source => "SOURCE",
                Kind::Other(other) => other,
            }
        }

        fn from_wire(value: String) -> Self {
            match value.as_str() {
                "SOURCE" => Kind::Source,
                _ => Kind::Other(value),
            }
        }
    }

    super::runtime::impl_string_enum!(Kind);
}

mod shadow {
    // Generated code may define types whose names shadow prelude items.
    #[allow(dead_code)]
    pub struct Result;
    #[allow(dead_code)]
    pub struct Option;
    #[allow(dead_code)]
    pub struct String;

    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum Shadowed {
        Known,
        Other(std::string::String),
    }

    impl super::runtime::StringEnum for Shadowed {
        fn as_str(&self) -> &str {
            match self {
                Shadowed::Known => "KNOWN",
                Shadowed::Other(other) => other,
            }
        }

        fn from_wire(value: std::string::String) -> Self {
            if value == "KNOWN" {
                Shadowed::Known
            } else {
                Shadowed::Other(value)
            }
        }
    }

    super::runtime::impl_string_enum!(Shadowed);
}

#[test]
fn macro_works_through_a_re_export_from_a_nested_module() {
    use models::Kind;
    use runtime::QueryValue;
    use shadow::Shadowed;

    let kinds: Vec<Kind> = serde_json::from_str(r#"["SOURCE","ROLE"]"#).unwrap();
    assert_eq!(kinds, vec![Kind::Source, Kind::Other("ROLE".to_owned())]);
    assert_eq!(
        serde_json::to_string(&kinds).unwrap(),
        r#"["SOURCE","ROLE"]"#
    );
    assert_eq!(Kind::Source.to_string(), "SOURCE");
    let mut out = Vec::new();
    kinds.append_to("kind", &mut out);
    assert_eq!(
        out,
        vec![("kind", "SOURCE".to_owned()), ("kind", "ROLE".to_owned())]
    );
    assert_eq!("KNOWN".parse::<Shadowed>(), Ok(Shadowed::Known));
    assert!(serde_json::from_str::<Shadowed>("1").is_err());
}
