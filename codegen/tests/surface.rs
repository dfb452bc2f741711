//! `codegen::surface` on two fixture specs with known differences
//! (`codegen/tests/fixtures/diff/{old,new}/api.yaml`): every difference is found, once, and
//! marked breaking or compatible for users of the generated client. One model per kind of field
//! change (`Widget`, `Gadget`, `Gizmo`, `Settings`); `golden-client/src/spec_diff.rs` compiles
//! a caller of each against the code generated from both sides, so the judgement is the
//! compiler's, not only this list's.

use std::path::PathBuf;

use codegen::GeneratorConfig;
use codegen::surface::{diff, surface};

fn fixture(side: &str) -> codegen::surface::Surface {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/diff")
        .join(side);
    surface(&GeneratorConfig::for_root("api.yaml", "fixture"), &dir)
        .expect("the fixture loads")
        .surface
}

#[test]
fn the_fixture_differences_are_found_and_judged() {
    let changes: Vec<String> = diff(&fixture("old"), &fixture("new"))
        .iter()
        .map(|c| format!("{:?} {}: {}", c.impact, c.subject, c.what))
        .collect();
    assert_eq!(
        changes,
        [
            "Breaking operation `deleteThing`: removed (DELETE /things/{id})",
            "Breaking operation `listThings`: parameter `limit` is `i64` (was `i32`)",
            "Breaking operation `listThings`: query parameter `owner: String` added (required)",
            "Breaking model `Gadget`: field `serial: String` added (required: a new argument of `new`)",
            "Breaking model `Gizmo`: field `size` removed",
            "Breaking model `Kind`: value `A` removed",
            "Breaking model `Legacy`: removed",
            "Breaking model `Thing`: field `id` is `i64` (was `String`)",
            "Breaking model `Thing`: field `name` removed",
            "Breaking model `Thing`: field `owner: String` added (required: a new argument of `new`)",
            "Compatible operation `getThing`: added (GET /things/{id}, `things().get_thing()`)",
            "Compatible operation `listThings`: deprecated",
            "Compatible operation `listThings`: query parameter `sorters: String` added (optional)",
            "Compatible model `Fresh`: added (struct)",
            "Compatible model `Kind`: value `C` added",
            "Compatible model `Settings`: field `locale: Option<String>` added (optional: `new` and `Default` fill it)",
            "Compatible model `Thing`: field `note: Option<String>` added (optional: `new` and `Default` fill it)",
            "Compatible model `Widget`: field `colour: Option<String>` added (optional: `new` and `Default` fill it)",
        ]
    );
}

#[test]
fn a_spec_compared_with_itself_has_no_changes() {
    assert!(diff(&fixture("new"), &fixture("new")).is_empty());
}
