//! The lowering rules that keep regenerations from breaking callers by surprise, checked on the
//! IR of small specs: names by meaning instead of numbers, enums that stay apart unless the spec
//! joins them, setters where callers build values, and the conversion plans from responses
//! into requests.

use std::path::Path;

use atlas_streams_generator::ir::{
    Api, ConversionPlan, FieldSource, MissingReason, StringEnum, TypeDef, TypeKind, ValueConversion,
};
use atlas_streams_generator::{load, lower};

const SPEC: &str = r#"
openapi: 3.0.3
info: {title: Rules, version: '1'}
paths:
  /widgets:
    get:
      operationId: listWidgets
      parameters:
        - {name: status, in: query, schema: {type: string, enum: [ON, OFF]}}
        - {name: groupId, in: query, schema: {type: string, pattern: '^[A-F0-9]{24}$'}}
      responses:
        '200': {description: OK, content: {application/json: {schema: {$ref: '#/components/schemas/Widget'}}}}
    post:
      operationId: createWidget
      requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/Widget'}}}}
      responses:
        '200': {description: OK, content: {application/json: {schema: {$ref: '#/components/schemas/Widget'}}}}
  /gadgets:
    get:
      operationId: listGadgets
      parameters:
        - {name: status, in: query, schema: {type: string, enum: [NEW, OLD]}}
      responses:
        '200': {description: OK, content: {application/json: {schema: {$ref: '#/components/schemas/Gadget'}}}}
    patch:
      operationId: updateGadget
      requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/GadgetPatch'}}}}
      responses:
        '204': {description: Updated}
    put:
      operationId: replaceWidget
      requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/WidgetRequest'}}}}
      responses:
        '204': {description: Replaced}
components:
  schemas:
    Widget:
      type: object
      required: [name, password]
      properties:
        id: {type: string, readOnly: true}
        name: {type: string}
        password: {type: string, format: password, writeOnly: true}
        groupId: {type: string, pattern: '^([a-f0-9]{24})$'}
        size: {type: string, title: Size, enum: [S, M]}
        mode: {type: string, enum: [FAST, SLOW]}
        new: {type: string}
        clone: {type: boolean}
        part: {$ref: '#/components/schemas/Part'}
    WidgetRequest:
      type: object
      properties:
        name: {type: string}
    Part:
      type: object
      properties:
        id: {type: string, readOnly: true}
        label: {type: string}
        children: {type: array, items: {$ref: '#/components/schemas/Part'}}
    Gadget:
      type: object
      properties:
        size: {type: string, title: Size, enum: [M, L]}
        mode: {type: string, enum: [FAST, SLOW]}
        color: {type: string}
        count: {type: integer}
    GadgetPatch:
      type: object
      properties:
        color: {type: string}
        count: {type: string}
        weight: {type: number}
"#;

fn lowered() -> Api {
    let loaded = load::parse(Path::new("rules.yaml").to_owned(), SPEC.to_owned()).expect("parses");
    lower::lower(&loaded.api).expect("lowers").api
}

fn ty<'a>(api: &'a Api, name: &str) -> &'a TypeDef {
    let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    api.types
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no type {name} among {names:?}"))
}

fn string_enum<'a>(api: &'a Api, name: &str) -> &'a StringEnum {
    match &ty(api, name).kind {
        TypeKind::StringEnum(e) => e,
        other => panic!("{name} is not an enum: {other:?}"),
    }
}

fn values(api: &Api, name: &str) -> Vec<String> {
    string_enum(api, name).values.iter().map(|v| v.wire.clone()).collect()
}

#[test]
fn names_say_what_a_type_is_never_a_number() {
    let api = lowered();
    let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    assert!(
        !names.iter().any(|n| n.ends_with(|c: char| c.is_ascii_digit())),
        "{names:?}"
    );
    // The POST body is the request form of `Widget`, whose `…Request` a component has.
    assert!(matches!(ty(&api, "WidgetCreateRequest").kind, TypeKind::Struct(_)));
    assert!(matches!(ty(&api, "WidgetRequest").kind, TypeKind::Struct(_)));
    // Two operations' `status` parameters: the first by pointer (`/gadgets` sorts before
    // `/widgets`) is `Status`, the other says whose it is.
    assert_eq!(values(&api, "Status"), ["NEW", "OLD"]);
    assert_eq!(values(&api, "ListWidgetsStatus"), ["ON", "OFF"]);
    // A validated id of another pattern is named after its owner (components name theirs
    // first, so the parameter's is the one qualified).
    for (name, pattern) in [
        ("GroupId", "^([a-f0-9]{24})$"),
        ("ListWidgetsGroupId", "^[A-F0-9]{24}$"),
    ] {
        assert!(matches!(&ty(&api, name).kind, TypeKind::Pattern(p) if p.pattern == pattern));
    }
}

#[test]
fn enums_are_one_type_only_where_the_spec_says_so() {
    let api = lowered();
    // One title: one type, with every value of every enum of that title (by their pointers:
    // `Gadget`'s first).
    assert_eq!(values(&api, "Size"), ["M", "L", "S"]);
    // The same values without a title: two types, one shared implementation.
    let (widget, gadget) = (string_enum(&api, "WidgetMode"), string_enum(&api, "GadgetMode"));
    let shared = widget.shared.as_ref().expect("shares an implementation");
    assert_eq!(gadget.shared.as_ref().map(|s| &s.generic), Some(&shared.generic));
    assert!(api.shared_enums.iter().any(|g| g.name == shared.generic));
}

#[test]
fn setters_go_where_callers_build_values_and_keep_clear_of_methods() {
    let api = lowered();
    let setters = |name: &str| -> Vec<(String, Option<String>)> {
        match &ty(&api, name).kind {
            TypeKind::Struct(s) => s.fields.iter().map(|f| (f.name.clone(), f.setter.clone())).collect(),
            other => panic!("{other:?}"),
        }
    };
    let request = setters("WidgetCreateRequest");
    let setter = |field: &str| request.iter().find(|(f, _)| f == field).unwrap().1.clone();
    assert_eq!(setter("name"), None, "required: an argument of `new`");
    assert_eq!(setter("size").as_deref(), Some("size"));
    assert_eq!(setter("new").as_deref(), Some("with_new"), "`new` is the constructor");
    assert_eq!(setter("clone").as_deref(), Some("with_clone"), "`clone` is Clone's");
    // A response type has no setters.
    assert!(setters("Widget").iter().all(|(_, s)| s.is_none()));
}

#[test]
fn responses_convert_into_their_request_forms_and_update_bodies() {
    let api = lowered();
    // `password` is required and writeOnly: the conversion can fail, and says why.
    let create = &ty(&api, "WidgetCreateRequest").conversions;
    assert_eq!(create.len(), 1);
    assert_eq!(create[0].from, "Widget");
    assert!(create[0].fallible);
    let ConversionPlan::Struct(plan) = &create[0].plan else {
        panic!("{:?}", create[0].plan)
    };
    let source = |field: &str| &plan.fields.iter().find(|f| f.field == field).unwrap().source;
    assert_eq!(source("password"), &FieldSource::Missing(MissingReason::WriteOnly));
    assert!(matches!(
        source("part"),
        FieldSource::Field { value: ValueConversion::Nested { to, fallible: false, .. }, .. } if to == "PartRequest"
    ));
    // A recursive pair converts through itself.
    let part = &ty(&api, "PartRequest").conversions[0];
    assert!(!part.fallible);
    // The PATCH body of `/gadgets` from its GET, by wire name: `color` is cloned, `count` has
    // another type, `weight` no source; none is required, so it cannot fail.
    let patch = &ty(&api, "GadgetPatch").conversions;
    assert_eq!(patch.len(), 1);
    assert!(!patch[0].fallible);
    let ConversionPlan::Struct(plan) = &patch[0].plan else {
        panic!()
    };
    let sources: Vec<&FieldSource> = plan.fields.iter().map(|f| &f.source).collect();
    assert!(matches!(
        sources[0],
        FieldSource::Field {
            value: ValueConversion::Clone,
            ..
        }
    ));
    assert_eq!(sources[1], &FieldSource::Missing(MissingReason::Incompatible));
    assert_eq!(sources[2], &FieldSource::Missing(MissingReason::NotInResponse));
    assert_eq!(plan.extra_known, ["weight"]);
}
