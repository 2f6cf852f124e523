//! Bad specs are answered with located diagnostics (file, line, column, JSON pointer, what is
//! wrong and how to fix it), all of them in one run, never with a panic.

use std::path::Path;

use atlas_streams_generator::{generate_from_str, GenerateError};

fn report(source: &str) -> String {
    match generate_from_str(Path::new("bad.yaml"), source) {
        Err(GenerateError::Spec(report)) => report.to_string(),
        Err(other) => panic!("expected spec diagnostics, got {other}"),
        Ok(_) => panic!("expected spec diagnostics, got generated code"),
    }
}

const HEADER: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

#[test]
fn dangling_refs_are_all_reported_with_their_place() {
    let source = format!(
        "{HEADER}paths:
  /a:
    get:
      operationId: getA
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/Thing'}}
components:
  schemas:
    Thing:
      type: object
      properties:
        owner: {{$ref: '#/components/schemas/Owner'}}
        other: {{$ref: '#/components/schemas/thing'}}
"
    );
    let text = report(&source);
    assert!(
        text.contains("error: `$ref: '#/components/schemas/Owner'` does not resolve"),
        "{text}"
    );
    assert!(
        text.contains("--> bad.yaml:18:17 (#/components/schemas/Thing/properties/owner/$ref)"),
        "{text}"
    );
    assert!(
        text.contains("18 |         owner: {$ref: '#/components/schemas/Owner'}\n   |                 ^"),
        "{text}"
    );
    assert!(
        text.contains("bad.yaml:19:17"),
        "the second error is reported too: {text}"
    );
    assert!(
        text.contains("help: did you mean `#/components/schemas/Thing`?"),
        "{text}"
    );
    assert!(text.ends_with("2 errors in bad.yaml"), "{text}");
}

#[test]
fn swagger_and_openapi_31_documents_are_named_as_such() {
    let text = report("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n");
    assert!(text.contains("this is a Swagger 2.0 document"), "{text}");
    let text = report("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n");
    assert!(
        text.contains("OpenAPI 3.1.0 is not supported") && text.contains("bad.yaml:1:1"),
        "{text}"
    );
}

#[test]
fn yaml_syntax_errors_point_at_the_line() {
    let text = report("openapi: 3.0.3\ninfo: {title: t, version: '1'\npaths: {}\n");
    assert!(text.contains("YAML syntax error"), "{text}");
    assert!(text.contains("--> bad.yaml:"), "{text}");
}

#[test]
fn path_parameters_must_match_the_template() {
    let source = format!(
        "{HEADER}paths:
  /groups/{{groupId}}:
    get:
      operationId: getGroup
      parameters:
        - {{name: id, in: path, required: true, schema: {{type: string}}}}
      responses:
        '204': {{description: none}}
"
    );
    let text = report(&source);
    assert!(
        text.contains("has `{groupId}` but the operation declares no path parameter `groupId`"),
        "{text}"
    );
    assert!(
        text.contains("path parameter `id` does not appear in the path"),
        "{text}"
    );
}

#[test]
fn operations_that_collide_after_case_conversion_are_reported() {
    let source = format!(
        "{HEADER}paths:
  /a:
    get:
      operationId: getThing
      responses: {{'204': {{description: none}}}}
  /b:
    get:
      operationId: get_thing
      responses: {{'204': {{description: none}}}}
"
    );
    let text = report(&source);
    assert!(text.contains("both become the method `get_thing`"), "{text}");
}
