//! What `cargo xtask spec diff` says about a change of a model, checked by the compiler: a caller
//! written against the models generated from `codegen/tests/fixtures/diff/old` is compiled
//! against those generated from `diff/new` (`codegen/tests/surface.rs` holds the judgements).
//!
//! The caller builds models as the generated docs show: `new` with the required fields (or
//! `Default`), optional fields with struct update syntax.
//!
//! Compatible, so the same caller compiles against both sides (the functions below, built
//! with the crate): an optional field added to a model with `new` (`Widget.colour`) and to one
//! built from `Default` (`Settings.locale`).
//!
//! Breaking: a required field added (`Gadget.serial`) is a new argument of `new`. Against the
//! old models this compiles:
//!
//! ```
//! use golden_client::diff_old::models::{Gadget, Gizmo};
//!
//! let gadget = Gadget::new("g-1");
//! let gizmo = Gizmo { size: Some(3), ..Gizmo::new("z-1") };
//! # let _ = (gadget, gizmo);
//! ```
//!
//! and against the new ones it does not, for the reason the diff gives:
//!
//! ```compile_fail,E0061
//! use golden_client::diff_new::models::Gadget;
//!
//! let gadget = Gadget::new("g-1"); // `serial` is missing
//! ```
//!
//! A removed field (`Gizmo.size`) breaks every caller that sets or reads it:
//!
//! ```compile_fail,E0560
//! use golden_client::diff_new::models::Gizmo;
//!
//! let gizmo = Gizmo { size: Some(3), ..Gizmo::new("z-1") };
//! ```

/// One caller, compiled against the models of each side.
macro_rules! compatible_caller {
    ($side:ident) => {
        /// Builds the models whose changes the diff calls compatible, and reads them back.
        // On the old side the literals name every field, so clippy finds the `..` needless;
        // it is what keeps the caller compiling when the new side adds a field.
        #[allow(clippy::needless_update)]
        pub mod $side {
            use crate::$side::models::{Settings, Widget};

            /// A widget and settings, made as a caller makes them.
            pub fn build() -> (Widget, Settings) {
                let widget = Widget {
                    name: "w-2".into(),
                    ..Widget::new("w-1")
                };
                let settings = Settings {
                    verbose: Some(true),
                    ..Default::default()
                };
                (widget, settings)
            }

            /// The fields the caller reads.
            pub fn read(widget: &Widget, settings: &Settings) -> (String, Option<bool>) {
                let Widget { name, .. } = widget;
                (name.clone(), settings.verbose)
            }
        }
    };
}

compatible_caller!(diff_old);
compatible_caller!(diff_new);

#[cfg(test)]
mod tests {
    #[test]
    fn the_compatible_caller_builds_the_same_json_against_both_sides() {
        let (old_widget, old_settings) = super::diff_old::build();
        let (new_widget, new_settings) = super::diff_new::build();
        assert_eq!(
            super::diff_old::read(&old_widget, &old_settings),
            super::diff_new::read(&new_widget, &new_settings)
        );
        // The added optional fields stay out of the JSON: what the old caller sends is unchanged.
        assert_eq!(
            serde_json::to_value(&old_widget).unwrap(),
            serde_json::to_value(&new_widget).unwrap()
        );
        assert_eq!(
            serde_json::to_value(&old_settings).unwrap(),
            serde_json::to_value(&new_settings).unwrap()
        );
    }
}
