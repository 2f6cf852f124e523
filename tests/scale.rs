//! Scale (issue 5): a synthetic spec far larger than the real one (540 operations, about 1,100
//! schemas, about 4 MB of YAML) generates, and the same spec with errors planted far apart is
//! answered with a located diagnostic for every one of them, not just the first.
//!
//! The spec is built as text here: objects with several properties (strings, numbers, enums,
//! lists, maps, `$ref`s to other objects, a `readOnly` and a `writeOnly` property), string
//! enums, `oneOf` + `discriminator` families whose variants inherit their base by `allOf`, and
//! `allOf` inheritance from the objects. Every object refers to the next one, so all of them are
//! reachable and form one long reference cycle for the recursion pass to walk. What it
//! generates is compiled (`cargo check` of a scratch crate).

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use atlas_streams_generator::{generate_from_str, GenerateError};

/// Path groups; each has three operations (list, create, get).
const GROUPS: usize = 180;
/// Object schemas `Obj{i}`.
const OBJECTS: usize = 700;
/// String enums `Enum{i}`.
const ENUMS: usize = 150;
/// Discriminated families `Base{i}` with three variants each.
const FAMILIES: usize = 50;
/// `allOf` subtypes `Derived{i}` of the first objects.
const DERIVED: usize = 100;

/// Errors to plant, each far from the others.
#[derive(Clone, Copy, Default)]
struct Plants {
    /// `Obj500.partner` refers to a schema that does not exist.
    dangling_ref: bool,
    /// `Obj650.created` has `type: datetime`.
    unknown_type: bool,
    /// `getRes100` does not declare its `{id}` path parameter.
    undeclared_path_param: bool,
    /// `createRes120` reuses the operationId `listRes7`.
    duplicate_operation_id: bool,
    /// `Base40` maps `ghost` to a schema that does not exist.
    missing_mapping_target: bool,
    /// `getRes150` has a cookie parameter.
    cookie_param: bool,
    /// `createRes170` takes a multipart body.
    multipart_body: bool,
}

const ALL_PLANTS: Plants = Plants {
    dangling_ref: true,
    unknown_type: true,
    undeclared_path_param: true,
    duplicate_operation_id: true,
    missing_mapping_target: true,
    cookie_param: true,
    multipart_body: true,
};

/// A description long enough to look like the real spec's.
fn describe(out: &mut String, indent: &str, what: &str) {
    let _ = writeln!(
        out,
        "{indent}description: {what}. Generated for the scale test of the atlas-streams generator; \
         real specs carry sentences of about this length on every property and operation, and \
         often a second one that says which API version introduced the field, what the server \
         does when it is left out, and where the documentation explains it in more depth."
    );
}

fn build_spec(plants: Plants) -> String {
    let mut s = String::with_capacity(5 << 20);
    s.push_str(
        "openapi: 3.0.3\ninfo:\n  title: Scale test\n  version: '1.0'\nservers:\n  - url: https://example.com\n",
    );
    s.push_str("paths:\n");
    for p in 0..GROUPS {
        let obj = p % OBJECTS;
        // list
        let _ = writeln!(s, "  /groups/{{groupId}}/res{p}:");
        let _ = writeln!(s, "    get:");
        let _ = writeln!(s, "      operationId: listRes{p}");
        let _ = writeln!(s, "      summary: List resource {p}");
        describe(&mut s, "      ", &format!("Lists every resource {p} of the group"));
        s.push_str("      parameters:\n");
        s.push_str("        - $ref: '#/components/parameters/groupId'\n");
        s.push_str("        - {name: pageNum, in: query, schema: {type: integer, format: int32, default: 1}}\n");
        s.push_str("        - {name: itemsPerPage, in: query, schema: {type: integer, format: int32}}\n");
        s.push_str("        - {name: X-Request-Id, in: header, schema: {type: string}}\n");
        s.push_str("      responses:\n        '200':\n          description: OK\n          content:\n");
        s.push_str("            application/vnd.atlas.2024-01-01+json:\n              schema:\n");
        s.push_str("                type: object\n                properties:\n");
        let _ = writeln!(
            s,
            "                  results: {{type: array, items: {{$ref: '#/components/schemas/Obj{obj}'}}}}"
        );
        s.push_str("                  totalCount: {type: integer, format: int32}\n");
        s.push_str("        '404': {$ref: '#/components/responses/notFound'}\n");
        // create
        let _ = writeln!(s, "    post:");
        let id = if plants.duplicate_operation_id && p == 120 {
            "listRes7".to_owned()
        } else {
            format!("createRes{p}")
        };
        let _ = writeln!(s, "      operationId: {id}");
        describe(&mut s, "      ", &format!("Creates a resource {p}"));
        s.push_str("      parameters:\n        - $ref: '#/components/parameters/groupId'\n");
        s.push_str("      requestBody:\n        required: true\n        content:\n");
        let media = if plants.multipart_body && p == 170 {
            "multipart/form-data"
        } else {
            "application/vnd.atlas.2024-01-01+json"
        };
        let _ = writeln!(s, "          {media}:");
        let _ = writeln!(
            s,
            "            schema: {{$ref: '#/components/schemas/Base{}'}}",
            p % FAMILIES
        );
        s.push_str("      responses:\n        '201':\n          description: Created\n          content:\n");
        s.push_str("            application/vnd.atlas.2024-01-01+json:\n");
        let _ = writeln!(
            s,
            "              schema: {{$ref: '#/components/schemas/Base{}'}}",
            p % FAMILIES
        );
        s.push_str("        '400': {$ref: '#/components/responses/badRequest'}\n");
        // get
        let _ = writeln!(s, "  /groups/{{groupId}}/res{p}/{{id}}:");
        let _ = writeln!(s, "    get:");
        let _ = writeln!(s, "      operationId: getRes{p}");
        describe(&mut s, "      ", &format!("Returns one resource {p}"));
        s.push_str("      parameters:\n        - $ref: '#/components/parameters/groupId'\n");
        if !(plants.undeclared_path_param && p == 100) {
            s.push_str("        - {name: id, in: path, required: true, schema: {type: string}}\n");
        }
        s.push_str("        - {name: pretty, in: query, schema: {type: boolean}}\n");
        if plants.cookie_param && p == 150 {
            s.push_str("        - {name: session, in: cookie, schema: {type: string}}\n");
        }
        s.push_str("      responses:\n        '200':\n          description: OK\n          content:\n");
        s.push_str("            application/vnd.atlas.2024-01-01+json:\n");
        let target = if p < DERIVED {
            format!("Derived{p}")
        } else {
            format!("Obj{obj}")
        };
        let _ = writeln!(s, "              schema: {{$ref: '#/components/schemas/{target}'}}");
        s.push_str("        '404': {$ref: '#/components/responses/notFound'}\n");
    }

    s.push_str("components:\n");
    s.push_str("  parameters:\n    groupId:\n      name: groupId\n      in: path\n      required: true\n");
    s.push_str("      schema: {type: string, pattern: '^([a-f0-9]{24})$'}\n");
    s.push_str("  responses:\n");
    for (name, text) in [("notFound", "Not Found"), ("badRequest", "Bad Request")] {
        let _ = writeln!(
            s,
            "    {name}:\n      description: {text}\n      content:\n        application/json:"
        );
        s.push_str("          schema: {$ref: '#/components/schemas/ApiError'}\n");
    }
    s.push_str("  schemas:\n");
    s.push_str("    ApiError:\n      type: object\n      properties:\n");
    s.push_str("        errorCode: {type: string}\n        detail: {type: string}\n        error: {type: integer}\n");

    for i in 0..OBJECTS {
        let _ = writeln!(s, "    Obj{i}:\n      type: object");
        describe(&mut s, "      ", &format!("Object number {i}"));
        s.push_str("      required: [id, name]\n      properties:\n");
        // (name, the schema's lines; `$ref`s stand alone, as OpenAPI 3.0 ignores their siblings)
        let status = format!("$ref: '#/components/schemas/Enum{}'", i % ENUMS);
        let next = format!("$ref: '#/components/schemas/Obj{}'", (i + 1) % OBJECTS);
        let props: [(&str, &[&str]); 11] = [
            ("id", &["type: string", "readOnly: true"]),
            ("name", &["type: string", "maxLength: 64"]),
            ("count", &["type: integer", "format: int64"]),
            ("ratio", &["type: number", "format: double", "nullable: true"]),
            ("enabled", &["type: boolean"]),
            ("createdAt", &["type: string", "format: date-time"]),
            ("password", &["type: string", "writeOnly: true"]),
            ("status", &[status.as_str()]),
            ("tags", &["type: array", "items: {type: string}"]),
            ("labels", &["type: object", "additionalProperties: {type: string}"]),
            ("next", &[next.as_str()]),
        ];
        for (name, schema) in props {
            let _ = writeln!(s, "        {name}:");
            for line in schema {
                let _ = writeln!(s, "          {line}");
            }
            if !schema[0].starts_with("$ref") {
                describe(&mut s, "          ", &format!("The {name} of object {i}"));
            }
        }
        let _ = writeln!(
            s,
            "        children:\n          type: array\n          items: {{$ref: '#/components/schemas/Obj{}'}}",
            (i * 7 + 3) % OBJECTS
        );
        let partner = if plants.dangling_ref && i == 500 {
            "Missing500".to_owned()
        } else {
            format!("Obj{}", (i * 13 + 5) % OBJECTS)
        };
        let _ = writeln!(s, "        partner: {{$ref: '#/components/schemas/{partner}'}}");
        if plants.unknown_type && i == 650 {
            s.push_str("        created: {type: datetime}\n");
        }
    }

    for i in 0..ENUMS {
        let _ = writeln!(s, "    Enum{i}:\n      type: string");
        describe(&mut s, "      ", &format!("Enum number {i}"));
        let _ = writeln!(
            s,
            "      enum: [STATE_{i}_A, STATE_{i}_B, state-{i}-c, State{i}D, '{i}e']"
        );
    }

    for k in 0..FAMILIES {
        let _ = writeln!(s, "    Base{k}:\n      type: object");
        describe(&mut s, "      ", &format!("Family {k}"));
        s.push_str("      required: [kind]\n      properties:\n        kind: {type: string}\n");
        s.push_str("        label: {type: string}\n        links:\n          type: array\n");
        s.push_str("          readOnly: true\n          items: {type: object, additionalProperties: {type: string}}\n");
        s.push_str("      oneOf:\n");
        for v in ["A", "B", "C"] {
            let _ = writeln!(s, "        - $ref: '#/components/schemas/Var{k}{v}'");
        }
        s.push_str("      discriminator:\n        propertyName: kind\n        mapping:\n");
        for v in ["A", "B", "C"] {
            let _ = writeln!(s, "          {}: '#/components/schemas/Var{k}{v}'", v.to_lowercase());
        }
        if plants.missing_mapping_target && k == 40 {
            s.push_str("          ghost: '#/components/schemas/Ghost40'\n");
        }
        for (n, v) in ["A", "B", "C"].iter().enumerate() {
            let _ = writeln!(
                s,
                "    Var{k}{v}:\n      allOf:\n        - $ref: '#/components/schemas/Base{k}'"
            );
            s.push_str("        - type: object\n          properties:\n");
            let _ = writeln!(s, "            only{v}: {{type: integer, format: int32}}");
            let _ = writeln!(
                s,
                "            target: {{$ref: '#/components/schemas/Obj{}'}}",
                (k * 3 + n) % OBJECTS
            );
            let _ = writeln!(
                s,
                "            secret{v}: {{type: string, format: password, writeOnly: true}}"
            );
        }
    }

    for m in 0..DERIVED {
        let _ = writeln!(
            s,
            "    Derived{m}:\n      allOf:\n        - $ref: '#/components/schemas/Obj{m}'"
        );
        s.push_str("        - type: object\n          required: [extra]\n          properties:\n");
        s.push_str("            extra: {type: string}\n            level: {type: integer}\n");
        describe(&mut s, "      ", &format!("Derived number {m}"));
    }
    s
}

fn operations_and_schemas(spec: &str) -> (usize, usize) {
    let ops = spec.matches("\n      operationId: ").count();
    let schemas_at = spec.find("\n  schemas:\n").expect("a schemas section");
    let schemas = spec[schemas_at..]
        .lines()
        .filter(|l| l.starts_with("    ") && !l.starts_with("     ") && l.ends_with(':'))
        .count();
    (ops, schemas)
}

#[test]
fn a_large_spec_generates() {
    let spec = build_spec(Plants::default());
    let (ops, schemas) = operations_and_schemas(&spec);
    assert_eq!(ops, 540);
    assert!(schemas > 1_100, "{schemas} schemas");
    assert!(spec.len() > 3_500_000, "{} bytes", spec.len());
    let started = Instant::now();
    let generated = match generate_from_str(Path::new("scale.yaml"), &spec) {
        Ok(generated) => generated,
        Err(GenerateError::Spec(report)) => panic!("the large spec was rejected:\n{report}"),
        Err(other) => panic!("the large spec failed: {other}"),
    };
    println!(
        "{} bytes, {ops} operations, {schemas} schemas -> {} types, {} operations in {:.1?}",
        spec.len(),
        generated.api.types.len(),
        generated.api.operations.len(),
        started.elapsed()
    );
    assert_eq!(generated.api.operations.len(), 540);
    // Every object, enum, family and variant is reachable; requests and responses of objects
    // with readOnly/writeOnly parts are separate types.
    assert!(generated.api.types.len() > 1_100, "{} types", generated.api.types.len());
    let models = generated
        .files
        .iter()
        .find(|f| f.path.ends_with("models.rs"))
        .expect("models.rs");
    assert!(models.contents.contains("pub struct Obj699"));
    assert!(models.contents.contains("pub enum Base49"));
    let files =
        atlas_streams_workspace::rust_files(generated.files.iter().map(|f| (f.path.as_path(), f.contents.as_str())));
    let started = Instant::now();
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    if let Err(errors) = atlas_streams_workspace::check_compiles(tmp, "scale", &[("scale".to_owned(), files)]) {
        panic!("the large spec's generated code does not compile:\n{errors}");
    }
    println!("and it compiles (cargo check in {:.1?})", started.elapsed());
}

#[test]
fn every_planted_error_is_located() {
    let spec = build_spec(ALL_PLANTS);
    let started = Instant::now();
    let report = match generate_from_str(Path::new("scale.yaml"), &spec) {
        Err(GenerateError::Spec(report)) => report,
        Err(other) => panic!("not a spec report: {other}"),
        Ok(_) => panic!("the spec with planted errors generated"),
    };
    println!("{} diagnostics in {:.1?}", report.diagnostics.len(), started.elapsed());
    let lines: Vec<&str> = spec.lines().collect();
    // (what, JSON pointer, text on the line the diagnostic must point at)
    let expected = [
        (
            "dangling $ref",
            "#/components/schemas/Obj500/properties/partner/$ref",
            "Missing500",
        ),
        (
            "unknown type",
            "#/components/schemas/Obj650/properties/created",
            "type: datetime",
        ),
        (
            "undeclared path parameter",
            "#/paths/~1groups~1{groupId}~1res100~1{id}/get/parameters",
            "parameters:",
        ),
        (
            "duplicate operationId",
            "#/paths/~1groups~1{groupId}~1res120/post/operationId",
            "operationId: listRes7",
        ),
        (
            "missing mapping target",
            "#/components/schemas/Base40/discriminator/mapping/ghost",
            "Ghost40",
        ),
        (
            "cookie parameter",
            "#/paths/~1groups~1{groupId}~1res150~1{id}/get/parameters/3",
            "in: cookie",
        ),
        (
            "multipart body",
            "#/paths/~1groups~1{groupId}~1res170/post/requestBody/content/multipart~1form-data",
            "multipart/form-data",
        ),
    ];
    let mut problems = Vec::new();
    for (what, pointer, marker) in expected {
        let Some(d) = report.diagnostics.iter().find(|d| d.pointer == pointer) else {
            problems.push(format!("{what}: no diagnostic at {pointer}"));
            continue;
        };
        let Some(position) = d.position else {
            problems.push(format!("{what}: the diagnostic at {pointer} has no line and column"));
            continue;
        };
        let line = lines.get(position.line - 1).copied().unwrap_or_default();
        if !line.contains(marker) {
            problems.push(format!(
                "{what}: {pointer} is located at line {}, `{line}`, which does not hold `{marker}`",
                position.line
            ));
        }
        if d.help.is_empty() {
            problems.push(format!("{what}: no help text"));
        }
    }
    let unexpected: Vec<&str> = report
        .diagnostics
        .iter()
        .map(|d| d.pointer.as_str())
        .filter(|p| !expected.iter().any(|(_, e, _)| e == p))
        .collect();
    assert!(
        problems.is_empty() && unexpected.is_empty(),
        "{}\nunexpected diagnostics: {unexpected:?}\n\nthe report:\n{report}",
        problems.join("\n")
    );
}
