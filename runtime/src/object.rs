//! Models as JSON objects: what a generated model keeps beside its declared fields so that what
//! the client reads it writes back unchanged, and the helpers its generated `Deserialize` and
//! `Serialize` impls are written with.
//!
//! Two things are kept:
//! - the members the spec does not declare (OpenAPI allows them unless a schema says
//!   `additionalProperties: false`, and SailPoint's answers carry them): in [`Extra`], readable
//!   and writable, written back after the declared fields;
//! - for a declared member read leniently (a number where a string is declared, a `null` or
//!   missing required list read as empty, epoch milliseconds read as a date-time, a `null`
//!   optional member), its original JSON and the typed reading it gave. On the way out, a member
//!   whose value still equals that reading is written as it came; one the caller changed is
//!   written from the field. So lenience helps the client read drift, and never changes what it
//!   writes back.
//!
//! Why generated impls with these helpers, not serde's derive with `#[serde(flatten)]`: flatten
//! buffers every member the struct does not name and reads the rest through serde's private
//! buffer, and a derive cannot keep the original of a member it read leniently. The generated
//! visitor reads each member once, straight from the input; the helpers are generic over the
//! member's type only, so they are compiled once per type, not once per model (measured in
//! README's cost table).

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::lenient::{Lenient, lenient_readings, note_lenient_reading};

/// The members of a JSON object that its model does not declare, kept as they came and written
/// back after the declared fields.
///
/// Every generated model with a fixed set of members has one, in its field `extra`:
///
/// ```
/// # use isc_runtime::Extra;
/// let mut extra = Extra::new();
/// extra.insert("cancelable", true);
/// assert_eq!(extra.get("cancelable"), Some(&serde_json::json!(true)));
/// assert_eq!(extra.len(), 1);
/// ```
///
/// It also remembers, out of sight, the original JSON of declared members that were read
/// leniently, so that they are written back as they came (see the README, "Drift policy").
/// Equality compares the undeclared members only.
#[derive(Clone, Default)]
pub struct Extra(Option<Box<Kept>>);

#[derive(Clone, Default)]
struct Kept {
    members: Map<String, Value>,
    readings: Vec<Reading>,
}

/// A declared member read leniently.
#[derive(Clone)]
struct Reading {
    /// Its JSON name.
    key: &'static str,
    /// What the input had: `None` when the member was absent.
    original: Option<Value>,
    /// The typed reading, as JSON: the member is written as it came while the field still
    /// encodes to this.
    as_read: Value,
}

impl Extra {
    /// No undeclared members.
    pub fn new() -> Self {
        Self::default()
    }

    fn kept(&mut self) -> &mut Kept {
        self.0.get_or_insert_with(Default::default)
    }

    /// The undeclared member `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.as_ref()?.members.get(key)
    }

    /// The undeclared member `key`, to change it in place.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.0.as_mut()?.members.get_mut(key)
    }

    /// Whether there is an undeclared member `key`.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Adds or replaces the undeclared member `key`; returns the value it had. A member the
    /// model declares is written from its field, never from here.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<Value>) -> Option<Value> {
        self.kept().members.insert(key.into(), value.into())
    }

    /// Removes the undeclared member `key`; returns its value.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        self.0.as_mut()?.members.shift_remove(key)
    }

    /// How many undeclared members there are.
    pub fn len(&self) -> usize {
        self.0.as_ref().map_or(0, |kept| kept.members.len())
    }

    /// Whether there is no undeclared member.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The undeclared members, in the order they came.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.0.iter().flat_map(|kept| kept.members.iter())
    }

    /// The undeclared members as a JSON object.
    pub fn to_map(&self) -> Map<String, Value> {
        self.0
            .as_ref()
            .map(|kept| kept.members.clone())
            .unwrap_or_default()
    }

    /// Whether the declared member `key` was read leniently (its original is kept).
    pub fn was_read_leniently(&self, key: &str) -> bool {
        self.reading(key).is_some()
    }

    fn reading(&self, key: &str) -> Option<&Reading> {
        self.0.as_ref()?.readings.iter().find(|r| r.key == key)
    }

    fn record(&mut self, key: &'static str, original: Option<Value>, as_read: Value) {
        let readings = &mut self.kept().readings;
        readings.retain(|r| r.key != key);
        readings.push(Reading {
            key,
            original,
            as_read,
        });
    }
}

impl PartialEq for Extra {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().zip(other.iter()).all(|(a, b)| a == b)
    }
}

impl fmt::Debug for Extra {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K: Into<String>, V: Into<Value>> FromIterator<(K, V)> for Extra {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut extra = Extra::new();
        for (key, value) in iter {
            extra.insert(key, value);
        }
        extra
    }
}

impl From<Map<String, Value>> for Extra {
    fn from(members: Map<String, Value>) -> Self {
        if members.is_empty() {
            return Extra::new();
        }
        Extra(Some(Box::new(Kept {
            members,
            readings: Vec::new(),
        })))
    }
}

/// The undeclared members alone, as a JSON object.
impl Serialize for Extra {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

// ------------------------------------------------------------------------------------------
// Reading: what generated `Deserialize` impls call.
// ------------------------------------------------------------------------------------------

/// A member name: the position of a declared member in the model's list, or an undeclared
/// name.
pub enum Key {
    Declared(usize),
    Undeclared(String),
}

/// Reads a member name against the model's declared names (no allocation for a declared one).
struct KeySeed(&'static [&'static str]);

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for KeySeed {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
        Ok(match self.0.iter().position(|name| *name == v) {
            Some(index) => Key::Declared(index),
            None => Key::Undeclared(v.to_owned()),
        })
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Key, E> {
        Ok(match self.0.iter().position(|name| *name == v) {
            Some(index) => Key::Declared(index),
            None => Key::Undeclared(v),
        })
    }
}

/// The visitor of a generated model: it only reads objects.
pub fn expecting_object(f: &mut fmt::Formatter<'_>, model: &str) -> fmt::Result {
    write!(f, "a {model} object")
}

/// The members of an object being read into a model: the model's generated visitor asks for the
/// next declared member by its position and reads its value with the method its type needs;
/// undeclared members are kept in the model's [`Extra`] on the way.
pub struct Members<A> {
    map: A,
    declared: &'static [&'static str],
    extra: Extra,
}

impl<'de, A: de::MapAccess<'de>> Members<A> {
    /// Reads the members of `map` for a model that declares `declared`.
    pub fn new(map: A, declared: &'static [&'static str]) -> Self {
        Members {
            map,
            declared,
            extra: Extra::new(),
        }
    }

    /// The position of the next declared member, keeping the undeclared ones before it.
    pub fn next_declared(&mut self) -> Result<Option<usize>, A::Error> {
        loop {
            match self.next_key()? {
                None => return Ok(None),
                Some(Key::Declared(index)) => return Ok(Some(index)),
                Some(Key::Undeclared(name)) => {
                    let value: Value = self.map.next_value()?;
                    self.extra.kept().members.insert(name, value);
                }
            }
        }
    }

    /// The next member, declared or not (for a model with `additionalProperties`, which keeps
    /// the undeclared ones in its map).
    pub fn next_key(&mut self) -> Result<Option<Key>, A::Error> {
        self.map.next_key_seed(KeySeed(self.declared))
    }

    /// The value of the member just read, straight from the input: a model (which keeps its
    /// own originals) or free-form JSON.
    pub fn value<T: Deserialize<'de>>(&mut self) -> Result<T, A::Error> {
        self.map.next_value()
    }

    /// The value of the member just read, `null` kept: an optional model or free-form JSON.
    pub fn nullable<T: Deserialize<'de>>(
        &mut self,
        key: &'static str,
    ) -> Result<Option<T>, A::Error> {
        self.map.next_value_seed(Nullable {
            extra: &mut self.extra,
            key,
            _type: PhantomData,
        })
    }

    /// The value of the member just read, of a type that holds no model: read leniently, the
    /// original kept when the reading was lenient or the value `null`.
    pub fn scalar<T: DeserializeOwned + Serialize>(
        &mut self,
        key: &'static str,
    ) -> Result<T, A::Error> {
        self.map
            .next_value_seed(Scalar::new(&mut self.extra, key, true, false))
    }

    /// As [`scalar`](Self::scalar), for a type that holds a date (a date-time's text is read as
    /// a date, leniently).
    pub fn dated<T: DeserializeOwned + Serialize>(
        &mut self,
        key: &'static str,
    ) -> Result<T, A::Error> {
        self.map
            .next_value_seed(Scalar::new(&mut self.extra, key, true, true))
    }

    /// As [`scalar`](Self::scalar), without reading numbers as text (the generator's
    /// `numbers_as_text` switch off).
    pub fn strict<T: DeserializeOwned + Serialize>(
        &mut self,
        key: &'static str,
    ) -> Result<T, A::Error> {
        self.map
            .next_value_seed(Scalar::new(&mut self.extra, key, false, false))
    }

    /// As [`dated`](Self::dated), without reading numbers as text.
    pub fn strict_dated<T: DeserializeOwned + Serialize>(
        &mut self,
        key: &'static str,
    ) -> Result<T, A::Error> {
        self.map
            .next_value_seed(Scalar::new(&mut self.extra, key, false, true))
    }

    /// Skips the value of the member just read.
    pub fn skip(&mut self) -> Result<(), A::Error> {
        self.map.next_value::<de::IgnoredAny>().map(|_| ())
    }

    /// A required list or map, read as an `Option` (`null` is `None`): `null` or missing is the
    /// empty collection, a lenient reading whose original is kept (the member is written back
    /// `null`, or left out, while the collection stays empty).
    pub fn or_empty<C: Default + Serialize>(
        &mut self,
        value: Option<Option<C>>,
        key: &'static str,
    ) -> C {
        or_empty(value, &mut self.extra, key)
    }

    /// A required member that may be `null`: `None` when it was `null` or missing. A missing
    /// one is left out on the way back while it stays `None` (a `null` one is written `null`,
    /// as is `None` in a model the caller made).
    pub fn nullable_required<T>(&mut self, value: Option<T>, key: &'static str) -> Option<T> {
        if value.is_none() && self.extra.reading(key).is_none() {
            self.extra.record(key, None, Value::Null);
        }
        value
    }

    /// The undeclared members and the originals kept, for the model's field.
    pub fn into_extra(self) -> Extra {
        self.extra
    }
}

/// Whether `value` can be moved into its field: a boolean, or a string that no lenient reading
/// changes (not a string of digits, which a date-time reads as epoch milliseconds; no string at
/// all when `dates`, since a date reads a date-time's text). Anything else (a number, `null`, a
/// list or an object) is read from a borrowed copy, so that the original can be kept and a
/// failure names the path inside it.
fn moved_whole(value: &Value, dates: bool) -> bool {
    match value {
        Value::Bool(_) => true,
        Value::String(text) => {
            let digits = text.strip_prefix('-').unwrap_or(text);
            let epoch_millis = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
            !dates && !epoch_millis
        }
        _ => false,
    }
}

/// Reads a declared member whose type holds no model (text, numbers, dates, enums, lists and
/// maps of them) leniently when `lenient`, keeping its original when the reading was lenient or
/// the value `null`. `dates`: the type holds a date (which a date-time's text is read as).
struct Scalar<'a, T> {
    extra: &'a mut Extra,
    key: &'static str,
    lenient: bool,
    dates: bool,
    _type: PhantomData<fn() -> T>,
}

impl<'a, T> Scalar<'a, T> {
    fn new(extra: &'a mut Extra, key: &'static str, lenient: bool, dates: bool) -> Self {
        Scalar {
            extra,
            key,
            lenient,
            dates,
            _type: PhantomData,
        }
    }
}

impl<'de, T: DeserializeOwned + Serialize> DeserializeSeed<'de> for Scalar<'_, T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        let original = Value::deserialize(deserializer)?;
        read_scalar(self.extra, self.key, original, self.lenient, self.dates)
            .map_err(de::Error::custom)
    }
}

/// [`Scalar`]'s work, generic over the member's type only.
fn read_scalar<T: DeserializeOwned + Serialize>(
    extra: &mut Extra,
    key: &'static str,
    original: Value,
    lenient: bool,
    dates: bool,
) -> Result<T, String> {
    if moved_whole(&original, dates) {
        return if lenient {
            T::deserialize(Lenient(original))
        } else {
            T::deserialize(original)
        }
        .map_err(|error| error.to_string());
    }
    let before = lenient_readings();
    let typed = if lenient {
        T::deserialize(Lenient(&original))
    } else {
        T::deserialize(&original)
    }
    .map_err(|_| describe_failure::<T>(&original, lenient))?;
    if lenient_readings() != before || original.is_null() {
        let as_read = serde_json::to_value(&typed).unwrap_or(Value::Null);
        extra.record(key, Some(original), as_read);
    }
    Ok(typed)
}

/// Why `value` is not a `T`, with the path inside it (`at [2]: invalid type: ...`).
fn describe_failure<T: DeserializeOwned>(value: &Value, lenient: bool) -> String {
    let result: Result<T, _> = if lenient {
        serde_path_to_error::deserialize(Lenient(value))
    } else {
        serde_path_to_error::deserialize(value)
    };
    match result {
        Ok(_) => "does not decode".to_owned(),
        Err(error) => crate::untagged::at_path(error),
    }
}

/// Reads an optional (or nullable) member whose type holds a model, keeping the fact that it
/// was `null`.
struct Nullable<'a, T> {
    extra: &'a mut Extra,
    key: &'static str,
    _type: PhantomData<fn() -> T>,
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for Nullable<'_, T> {
    type Value = Option<T>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        let value = Option::<T>::deserialize(deserializer)?;
        if value.is_none() {
            self.extra.record(self.key, Some(Value::Null), Value::Null);
        }
        Ok(value)
    }
}

/// A required member: its value, or serde's "missing field" error.
pub fn required<T, E: de::Error>(value: Option<T>, key: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(key))
}

/// See [`Members::or_empty`].
fn or_empty<C: Default + Serialize>(
    value: Option<Option<C>>,
    extra: &mut Extra,
    key: &'static str,
) -> C {
    match value {
        Some(Some(collection)) => collection,
        Some(None) => {
            note_lenient_reading();
            let empty = C::default();
            extra.record(key, Some(Value::Null), empty_json(&empty));
            empty
        }
        None => {
            note_lenient_reading();
            let empty = C::default();
            extra.record(key, None, empty_json(&empty));
            empty
        }
    }
}

fn empty_json<C: Serialize>(empty: &C) -> Value {
    serde_json::to_value(empty).unwrap_or(Value::Null)
}

// ------------------------------------------------------------------------------------------
// Writing: what generated `Serialize` impls call.
// ------------------------------------------------------------------------------------------

/// A model being written: its declared members in order, then its undeclared ones.
pub struct Object<'a, M> {
    map: M,
    extra: &'a Extra,
}

/// Starts writing a model.
pub fn begin<S: Serializer>(
    serializer: S,
    extra: &Extra,
) -> Result<Object<'_, S::SerializeMap>, S::Error> {
    Ok(Object {
        map: serializer.serialize_map(None)?,
        extra,
    })
}

impl<M: SerializeMap> Object<'_, M> {
    /// Writes a declared member: as it came when it was read leniently and still has the value
    /// it was read as, else from the field.
    pub fn field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), M::Error> {
        if let Some(reading) = self.extra.reading(key)
            && serde_json::to_value(value).is_ok_and(|now| now == reading.as_read)
        {
            return match &reading.original {
                Some(original) => self.map.serialize_entry(key, original),
                None => Ok(()),
            };
        }
        self.map.serialize_entry(key, value)
    }

    /// Writes an optional declared member: left out when `None` (unless it came as `null`).
    pub fn optional<T: Serialize>(
        &mut self,
        key: &'static str,
        value: &Option<T>,
    ) -> Result<(), M::Error> {
        if value.is_none() && self.extra.reading(key).is_none() {
            return Ok(());
        }
        self.field(key, value)
    }

    /// Writes the members of an `additionalProperties` map.
    pub fn entries<'v, V: Serialize + 'v>(
        &mut self,
        entries: impl IntoIterator<Item = (&'v String, &'v V)>,
    ) -> Result<(), M::Error> {
        for (key, value) in entries {
            self.map.serialize_entry(key, value)?;
        }
        Ok(())
    }

    /// Writes the undeclared members (but any whose name the model declares: those are written
    /// from their fields) and ends the object.
    pub fn end(mut self, declared: &[&str]) -> Result<M::Ok, M::Error> {
        for (key, value) in self.extra.iter() {
            if !declared.contains(&key.as_str()) {
                self.map.serialize_entry(key, value)?;
            }
        }
        self.map.end()
    }
}

#[cfg(test)]
mod tests;
