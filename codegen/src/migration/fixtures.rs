//! Surfaces and lookups the tests of the migration modules share.

use crate::surface::{OperationSurface, ParamSurface, Surface};

use super::{Migration, Step, Successor};
use crate::surface::ModelSurface;

pub(super) fn op(method: &str, path: &str, call: &str, response: &str) -> OperationSurface {
    let path_params: Vec<String> = path
        .split('/')
        .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
        .map(str::to_string)
        .collect();
    let params = path_params
        .iter()
        .map(|name| {
            let param = ParamSurface {
                location: "path",
                required: true,
                ty: "String".into(),
            };
            (name.clone(), param)
        })
        .collect();
    OperationSurface {
        method: method.into(),
        path: path.into(),
        call: call.into(),
        params,
        path_params,
        body: None,
        response: response.into(),
        deprecated: false,
    }
}

pub(super) fn surface(
    ops: &[(&str, OperationSurface)],
    models: &[(&str, ModelSurface)],
) -> Surface {
    Surface {
        operations: ops
            .iter()
            .map(|(id, op)| (id.to_string(), op.clone()))
            .collect(),
        models: models
            .iter()
            .map(|(name, m)| (name.to_string(), m.clone()))
            .collect(),
    }
}

pub(super) fn fields(list: &[(&str, &str)]) -> ModelSurface {
    ModelSurface::Struct(
        list.iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect(),
    )
}

pub(super) fn step<'a>(m: &'a Migration, id: &str) -> &'a Step {
    m.steps.iter().find(|s| s.from.operation_id == id).unwrap()
}

pub(super) fn successor<'a>(m: &'a Migration, id: &str) -> &'a Successor {
    step(m, id).successor.as_ref().expect("a successor")
}

pub(super) fn described(next: &Successor) -> Vec<String> {
    next.changes
        .iter()
        .map(|c| format!("{:?} {c}", c.impact))
        .collect()
}
