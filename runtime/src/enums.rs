//! String enums that keep values the spec does not list yet.

use serde::{Deserializer, Serializer};

/// An enum whose wire form is a string.
///
/// Generated enums have one variant per value listed in the spec plus a catch-all variant that
/// keeps any other value, so a new server-side value never breaks decoding of a whole response.
pub trait StringEnum: Sized {
    /// The wire form of the value.
    fn as_str(&self) -> &str;
    /// Converts a wire value; values that are not known are kept as they are.
    fn from_wire(value: String) -> Self;
}

/// Serialises a string enum as its wire string.
#[doc(hidden)]
pub fn serialize_string_enum<T: StringEnum, S: Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(value.as_str())
}

/// Deserialises a string enum from any string; a non-string value is an error.
#[doc(hidden)]
pub fn deserialize_string_enum<'de, T: StringEnum, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    // `deserialize_str`, not `String`'s `deserialize_string`: the client's lenient reader takes a
    // number for a `String`, but a number where an enum is declared is an error.
    struct WireText;
    impl serde::de::Visitor<'_> for WireText {
        type Value = String;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_owned())
        }
        fn visit_string<E: serde::de::Error>(self, v: String) -> Result<String, E> {
            Ok(v)
        }
    }
    deserializer.deserialize_str(WireText).map(T::from_wire)
}

/// Appends a string enum as one query pair.
#[doc(hidden)]
pub fn append_string_enum<T: StringEnum>(
    value: &T,
    name: &'static str,
    out: &mut Vec<(&'static str, String)>,
) {
    out.push((name, value.as_str().to_owned()));
}

/// See [`crate::impl_string_enum`].
#[doc(hidden)]
#[macro_export]
macro_rules! __isc_runtime_impl_string_enum {
    ($ty:ty) => {
        impl $crate::__private::serde::Serialize for $ty {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                $crate::__private::serialize_string_enum(self, serializer)
            }
        }
        impl<'de> $crate::__private::serde::Deserialize<'de> for $ty {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::__private::deserialize_string_enum(deserializer)
            }
        }
        impl ::core::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str($crate::StringEnum::as_str(self))
            }
        }
        impl ::core::str::FromStr for $ty {
            type Err = ::core::convert::Infallible;
            fn from_str(s: &str) -> ::core::result::Result<Self, Self::Err> {
                ::core::result::Result::Ok($crate::StringEnum::from_wire(
                    ::std::borrow::ToOwned::to_owned(s),
                ))
            }
        }
        impl $ty {
            /// The value as sent on the wire (`"COMPLETED"`, or the unknown value as received).
            // Part of every enum's API; a private enum (in a test) may not call it.
            #[allow(dead_code)]
            pub fn as_str(&self) -> &str {
                $crate::StringEnum::as_str(self)
            }
        }
        impl ::core::convert::From<&str> for $ty {
            /// The value with this wire form; an unknown one is kept as `Unrecognized`.
            fn from(value: &str) -> Self {
                $crate::StringEnum::from_wire(::std::borrow::ToOwned::to_owned(value))
            }
        }
        impl ::core::convert::From<::std::string::String> for $ty {
            /// The value with this wire form; an unknown one is kept as `Unrecognized`.
            fn from(value: ::std::string::String) -> Self {
                $crate::StringEnum::from_wire(value)
            }
        }
        impl ::core::convert::AsRef<str> for $ty {
            fn as_ref(&self) -> &str {
                $crate::StringEnum::as_str(self)
            }
        }
        impl $crate::QueryValue for $ty {
            fn append_to(
                &self,
                name: &'static str,
                out: &mut ::std::vec::Vec<(&'static str, ::std::string::String)>,
            ) {
                $crate::__private::append_string_enum(self, name, out)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use crate::StringEnum;

    #[derive(Debug, Clone, PartialEq)]
    enum Level {
        OrgAdmin,
        Unrecognized(String),
    }

    impl StringEnum for Level {
        fn as_str(&self) -> &str {
            match self {
                Level::OrgAdmin => "ORG_ADMIN",
                Level::Unrecognized(value) => value,
            }
        }
        fn from_wire(value: String) -> Self {
            match value.as_str() {
                "ORG_ADMIN" => Level::OrgAdmin,
                _ => Level::Unrecognized(value),
            }
        }
    }

    crate::impl_string_enum!(Level);

    #[test]
    fn conversions_keep_unknown_values() {
        assert_eq!(Level::from("ORG_ADMIN"), Level::OrgAdmin);
        assert_eq!(
            Level::from(String::from("NEW_LEVEL")),
            Level::Unrecognized("NEW_LEVEL".into())
        );
        assert_eq!("ORG_ADMIN".parse::<Level>(), Ok(Level::OrgAdmin));
        // Inherent, so no trait import is needed.
        assert_eq!(Level::OrgAdmin.as_str(), "ORG_ADMIN");
        assert_eq!(Level::Unrecognized("X".into()).to_string(), "X");
        assert_eq!(
            serde_json::to_value(Level::OrgAdmin).unwrap(),
            serde_json::json!("ORG_ADMIN")
        );
        let back: Level = serde_json::from_value(serde_json::json!("ODD")).unwrap();
        assert_eq!(back, Level::Unrecognized("ODD".into()));
    }
}
