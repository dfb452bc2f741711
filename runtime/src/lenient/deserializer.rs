//! [`Lenient`]: a `Deserializer` adapter that decodes the drift of the README's "Drift policy"
//! for every value it reads, so that the generated models need no per-field attribute for it.
//!
//! Why an adapter, written here: serde's `deserialize_with` makes the derive emit a wrapper type
//! with its own `Deserialize` impl per field and per visitor (map and sequence), and the client
//! had one on every string field. Measured on v3 (`cargo xtask bench`), those wrappers were a
//! fifth of the crate's compile time (24.8 s with them, 19.5 s without). The adapter is written
//! once, generic over the deserializer it wraps, and costs nothing per model. No maintained
//! crate offers a pass-through deserializer that rewrites chosen calls; `serde_path_to_error`
//! and `serde_ignored` are the same shape for other ends.
//!
//! What it changes, and only this:
//! - `deserialize_string` (what `String` asks for) also takes a number, as its JSON text
//!   (`123` is `"123"`, `1.5` is `"1.5"`). `deserialize_str` (dates, string enums) is untouched,
//!   so an enum or a date given a number is still an error.
//! - `deserialize_seq` (what `Vec` asks for) takes `null` as the empty sequence. An optional list
//!   asks for an `Option` first, so its `null` stays `None`.
//!
//! Everything else is passed through unchanged, and every value reached from the root (map
//! values, sequence elements, `Some`, newtypes, enum variants) is read through the adapter too.
//! Values that serde buffers (members of a struct with `#[serde(flatten)]`) are read from the
//! buffer, not through the adapter; the generated models use no `flatten`.

use std::fmt;

use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};

/// Reads through `D`, decoding the drift described in the module docs.
pub struct Lenient<D>(pub D);

/// What the caller asked the adapter for, when it differs from passing through.
#[derive(Clone, Copy, PartialEq)]
enum Ask {
    Plain,
    /// `deserialize_string`: a number is taken as its text.
    String,
    /// `deserialize_seq`: `null` is the empty sequence.
    Seq,
}

/// A visitor wrapped so that what it is given is read through the adapter.
struct Wrap<V> {
    inner: V,
    ask: Ask,
}

fn plain<V>(inner: V) -> Wrap<V> {
    Wrap {
        inner,
        ask: Ask::Plain,
    }
}

macro_rules! forward {
    ($($method:ident($($arg:ident: $ty:ty),*);)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, D::Error> {
                self.0.$method($($arg,)* plain(visitor))
            }
        )*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Lenient<D> {
    type Error = D::Error;

    forward! {
        deserialize_any();
        deserialize_bool();
        deserialize_i8();
        deserialize_i16();
        deserialize_i32();
        deserialize_i64();
        deserialize_i128();
        deserialize_u8();
        deserialize_u16();
        deserialize_u32();
        deserialize_u64();
        deserialize_u128();
        deserialize_f32();
        deserialize_f64();
        deserialize_char();
        deserialize_str();
        deserialize_bytes();
        deserialize_byte_buf();
        deserialize_option();
        deserialize_unit();
        deserialize_unit_struct(name: &'static str);
        deserialize_newtype_struct(name: &'static str);
        deserialize_tuple(len: usize);
        deserialize_tuple_struct(name: &'static str, len: usize);
        deserialize_map();
        deserialize_struct(name: &'static str, fields: &'static [&'static str]);
        deserialize_enum(name: &'static str, variants: &'static [&'static str]);
        deserialize_identifier();
        deserialize_ignored_any();
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(Wrap {
            inner: visitor,
            ask: Ask::String,
        })
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(Wrap {
            inner: visitor,
            ask: Ask::Seq,
        })
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

impl<V> Wrap<V> {
    /// A number where a string was asked for, as its text; otherwise passed through.
    fn number<'de, E: de::Error, N: ToString>(
        self,
        number: N,
        pass: impl FnOnce(V, N) -> Result<V::Value, E>,
    ) -> Result<V::Value, E>
    where
        V: Visitor<'de>,
    {
        if self.ask == Ask::String {
            super::note_lenient_reading();
            self.inner.visit_string(number.to_string())
        } else {
            pass(self.inner, number)
        }
    }

    /// `null` where a sequence was asked for is the empty sequence; otherwise passed through.
    fn null<'de, E: de::Error>(
        self,
        pass: impl FnOnce(V) -> Result<V::Value, E>,
    ) -> Result<V::Value, E>
    where
        V: Visitor<'de>,
    {
        if self.ask == Ask::Seq {
            super::note_lenient_reading();
            self.inner
                .visit_seq(de::value::SeqDeserializer::new(std::iter::empty::<()>()))
        } else {
            pass(self.inner)
        }
    }
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Wrap<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<V::Value, E> {
        self.inner.visit_bool(v)
    }

    fn visit_i8<E: de::Error>(self, v: i8) -> Result<V::Value, E> {
        self.number(v, V::visit_i8)
    }

    fn visit_i16<E: de::Error>(self, v: i16) -> Result<V::Value, E> {
        self.number(v, V::visit_i16)
    }

    fn visit_i32<E: de::Error>(self, v: i32) -> Result<V::Value, E> {
        self.number(v, V::visit_i32)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<V::Value, E> {
        self.number(v, V::visit_i64)
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<V::Value, E> {
        self.number(v, V::visit_i128)
    }

    fn visit_u8<E: de::Error>(self, v: u8) -> Result<V::Value, E> {
        self.number(v, V::visit_u8)
    }

    fn visit_u16<E: de::Error>(self, v: u16) -> Result<V::Value, E> {
        self.number(v, V::visit_u16)
    }

    fn visit_u32<E: de::Error>(self, v: u32) -> Result<V::Value, E> {
        self.number(v, V::visit_u32)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<V::Value, E> {
        self.number(v, V::visit_u64)
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<V::Value, E> {
        self.number(v, V::visit_u128)
    }

    fn visit_f32<E: de::Error>(self, v: f32) -> Result<V::Value, E> {
        self.visit_f64(f64::from(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<V::Value, E> {
        if self.ask != Ask::String {
            return self.inner.visit_f64(v);
        }
        // serde_json's own spelling of the number (`1.5`, `100.0`, `1e+20`); JSON has no NaN or
        // infinity, so `from_f64` only fails on input that is not JSON.
        match serde_json::Number::from_f64(v) {
            Some(number) => {
                super::note_lenient_reading();
                self.inner.visit_string(number.to_string())
            }
            None => Err(E::invalid_type(de::Unexpected::Float(v), &self)),
        }
    }

    fn visit_char<E: de::Error>(self, v: char) -> Result<V::Value, E> {
        self.inner.visit_char(v)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<V::Value, E> {
        self.inner.visit_str(v)
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<V::Value, E> {
        self.inner.visit_borrowed_str(v)
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<V::Value, E> {
        self.inner.visit_string(v)
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<V::Value, E> {
        self.inner.visit_bytes(v)
    }

    fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<V::Value, E> {
        self.inner.visit_borrowed_bytes(v)
    }

    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<V::Value, E> {
        self.inner.visit_byte_buf(v)
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.null(V::visit_none)
    }

    fn visit_some<D2: Deserializer<'de>>(self, deserializer: D2) -> Result<V::Value, D2::Error> {
        self.inner.visit_some(Lenient(deserializer))
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.null(V::visit_unit)
    }

    fn visit_newtype_struct<D2: Deserializer<'de>>(
        self,
        deserializer: D2,
    ) -> Result<V::Value, D2::Error> {
        self.inner.visit_newtype_struct(Lenient(deserializer))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.inner.visit_seq(Lenient(seq))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.inner.visit_map(Lenient(map))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.inner.visit_enum(Lenient(data))
    }
}

/// A seed whose value is read through the adapter.
struct Seed<S>(S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Seed<S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(Lenient(deserializer))
    }
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Lenient<A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        self.0.next_element_seed(Seed(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Lenient<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.0.next_key_seed(Seed(seed))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.0.next_value_seed(Seed(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: EnumAccess<'de>> EnumAccess<'de> for Lenient<A> {
    type Error = A::Error;
    type Variant = Lenient<A::Variant>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self::Variant), A::Error> {
        self.0
            .variant_seed(Seed(seed))
            .map(|(value, variant)| (value, Lenient(variant)))
    }
}

impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for Lenient<A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.0.unit_variant()
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        self.0.newtype_variant_seed(Seed(seed))
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        self.0.tuple_variant(len, plain(visitor))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.0.struct_variant(fields, plain(visitor))
    }
}
