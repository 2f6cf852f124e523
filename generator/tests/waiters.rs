//! Waiters (`x-waiters`): lowered into the IR from a small spec, and every mistake in one is a
//! located diagnostic (the property, its values, the operations it names, its delays, its
//! place).

use std::path::Path;

use atlas_streams_generator::{generate_from_str, GenerateError, Generated};

/// A spec with a processor GET (a plain-string `state`), a connection GET (a union whose
/// variants inherit an enum `state`) and a start operation; `waiters` goes under the processor
/// GET, `connection_waiters` under the connection GET.
fn spec(waiters: &str, connection_waiters: &str) -> String {
    format!(
        "openapi: 3.0.3
info: {{title: t, version: '1'}}
paths:
  /processors/{{name}}:
    get:
      operationId: getProcessor
{waiters}      parameters:
        - {{name: name, in: path, required: true, schema: {{type: string}}}}
      responses:
        '200':
          description: OK
          content:
            application/vnd.atlas.2024-05-30+json:
              schema: {{$ref: '#/components/schemas/Processor'}}
  /processors/{{name}}:start:
    post:
      operationId: startProcessor
      parameters:
        - {{name: name, in: path, required: true, schema: {{type: string}}}}
      responses: {{'202': {{description: Accepted}}}}
  /connections/{{name}}:
    get:
      operationId: getConnection
{connection_waiters}      parameters:
        - {{name: name, in: path, required: true, schema: {{type: string}}}}
      responses:
        '200':
          description: OK
          content:
            application/vnd.atlas.2023-02-01+json:
              schema: {{$ref: '#/components/schemas/Connection'}}
components:
  schemas:
    Processor:
      type: object
      properties:
        name: {{type: string}}
        state: {{type: string}}
        count: {{type: integer}}
    Connection:
      type: object
      properties:
        type: {{type: string, enum: [Kafka, Sample]}}
        state: {{type: string, enum: [PENDING, READY, FAILED]}}
      discriminator:
        propertyName: type
        mapping:
          Kafka: '#/components/schemas/Kafka'
          Sample: '#/components/schemas/Sample'
      oneOf:
        - $ref: '#/components/schemas/Kafka'
        - $ref: '#/components/schemas/Sample'
    Kafka:
      allOf:
        - $ref: '#/components/schemas/Connection'
        - type: object
          properties:
            bootstrapServers: {{type: string}}
    Sample:
      allOf:
        - $ref: '#/components/schemas/Connection'
"
    )
}

const STARTED: &str = "      x-waiters:
        processorStarted:
          description: Waits until it runs.
          after: [startProcessor]
          property: state
          success: [STARTED]
          failure: [FAILED]
          minDelay: 0.5
          maxDelay: 10
          deadline: 300
";

const READY: &str = "      x-waiters:
        connectionReady: {property: state, success: [READY], failure: [FAILED]}
";

fn generate(source: &str) -> Generated {
    generate_from_str(Path::new("spec.yaml"), source).unwrap_or_else(|e| panic!("{e}"))
}

fn report(source: &str) -> String {
    match generate_from_str(Path::new("bad.yaml"), source) {
        Err(GenerateError::Spec(report)) => report.to_string(),
        Err(other) => panic!("expected spec diagnostics, got {other}"),
        Ok(_) => panic!("expected spec diagnostics, got generated code"),
    }
}

fn file<'a>(generated: &'a Generated, path: &str) -> &'a str {
    let found = generated.files.iter().find(|f| f.path.to_str() == Some(path));
    &found.unwrap_or_else(|| panic!("no {path}")).contents
}

#[test]
fn waiters_are_lowered_with_their_defaults_and_rendered_as_client_methods() {
    let generated = generate(&spec(STARTED, READY));
    let waiters = &generated.api.waiters;
    assert_eq!(waiters.len(), 2);
    let ready = &waiters[0];
    assert_eq!(
        (
            ready.method_name.as_str(),
            ready.builder_name.as_str(),
            ready.operation.as_str()
        ),
        (
            "wait_until_connection_ready",
            "WaitUntilConnectionReady",
            "get_connection"
        )
    );
    assert_eq!(
        (ready.min_delay_ms, ready.max_delay_ms, ready.deadline_ms),
        (2_000, 120_000, 600_000),
        "Smithy's delays, and our deadline"
    );
    let started = &waiters[1];
    assert_eq!(started.method_name, "wait_until_processor_started");
    assert_eq!(started.after, ["start_processor"]);
    assert_eq!(
        (started.success.as_slice(), started.failure.as_slice()),
        (&["STARTED".to_owned()][..], &["FAILED".to_owned()][..])
    );
    assert_eq!(
        (started.min_delay_ms, started.max_delay_ms, started.deadline_ms),
        (500, 10_000, 300_000)
    );

    let waiters_rs = file(&generated, "src/waiters.rs");
    assert!(waiters_rs.contains("pub fn wait_until_processor_started(\n        &self,\n        name: impl Into<String>,\n    ) -> WaitUntilProcessorStarted"), "{waiters_rs}");
    assert!(
        waiters_rs.contains("rt::__private::waiter(\n            self.get_processor(name),"),
        "{waiters_rs}"
    );
    assert!(waiters_rs.contains("Duration::from_millis(500),"), "{waiters_rs}");
    assert!(waiters_rs.contains("e.g. after `start_processor`."), "{waiters_rs}");
    // The setters and `IntoFuture` are the runtime's `Waiter`, written once: a waiter is an alias.
    assert!(
        waiters_rs.contains("pub type WaitUntilConnectionReady = rt::Waiter<super::builders::GetConnection>;"),
        "{waiters_rs}"
    );
    assert!(!waiters_rs.contains("IntoFuture"), "{waiters_rs}");
    let api = file(&generated, "api.txt");
    assert!(
        api.contains(
            "waiter wait_until_processor_started: get_processor until `state` in [STARTED], failing on [FAILED]\n"
        ),
        "{api}"
    );
}

#[test]
fn a_spec_without_waiters_has_an_empty_waiters_file() {
    let generated = generate(&spec("", ""));
    assert!(generated.api.waiters.is_empty());
    let waiters_rs = file(&generated, "src/waiters.rs");
    assert!(waiters_rs.lines().all(|line| line.starts_with("//")), "{waiters_rs}");
}

#[test]
fn an_unknown_property_is_located() {
    let text = report(&spec(&STARTED.replace("property: state", "property: status"), ""));
    assert!(
        text.contains("error: waiter `processorStarted`: the answer of `getProcessor` cannot be waited on by `status`: `Processor` has no property `status`"),
        "{text}"
    );
    assert!(
        text.contains("--> bad.yaml:11:11 (#/paths/~1processors~1{name}/get/x-waiters/processorStarted/property)"),
        "{text}"
    );
    assert!(
        text.contains("11 |           property: status\n   |           ^"),
        "{text}"
    );
}

#[test]
fn a_property_that_is_not_a_string_or_missing_from_a_variant_is_refused() {
    let text = report(&spec(&STARTED.replace("property: state", "property: count"), ""));
    assert!(text.contains("`Processor.count` is not a string"), "{text}");
    let text = report(&spec(
        "",
        &READY.replace("property: state", "property: bootstrapServers"),
    ));
    assert!(text.contains("`Sample` has no property `bootstrapServers`"), "{text}");
    assert!(text.contains("one that every variant has"), "{text}");
}

#[test]
fn values_of_an_enum_property_must_be_its_values() {
    let text = report(&spec("", &READY.replace("success: [READY]", "success: [RUNNING]")));
    assert!(
        text.contains("error: waiter `connectionReady`: `RUNNING` is not a value of `state`"),
        "{text}"
    );
    assert!(
        text.contains("help: the values of `state` are PENDING, READY, FAILED"),
        "{text}"
    );
    assert!(text.contains("/x-waiters/connectionReady/success)"), "{text}");
}

#[test]
fn an_unknown_operation_in_after_is_located_with_a_suggestion() {
    let text = report(&spec(
        &STARTED.replace("after: [startProcessor]", "after: [startprocessor, stopProcessor]"),
        "",
    ));
    assert!(
        text.contains("error: a waiter follows an unknown operation `startprocessor`"),
        "{text}"
    );
    assert!(text.contains("help: did you mean `startProcessor`?"), "{text}");
    assert!(
        text.contains("error: a waiter follows an unknown operation `stopProcessor`"),
        "{text}"
    );
    assert!(text.contains("/x-waiters/processorStarted/after/1)"), "{text}");
    assert!(text.ends_with("2 errors in bad.yaml"), "{text}");
}

#[test]
fn shapes_delays_keys_and_places_are_checked() {
    let cases = [
        (
            STARTED.replace("success: [STARTED]", "success: []"),
            "a waiter's `success` must be a non-empty list of strings",
        ),
        (
            STARTED.replace("          success: [STARTED]\n", ""),
            "a waiter's `success` must be a non-empty list",
        ),
        (
            STARTED.replace("failure: [FAILED]", "failure: [STARTED]"),
            "`STARTED` is both a success and a failure value",
        ),
        (
            STARTED.replace("minDelay: 0.5", "minDelay: 20"),
            "`minDelay` is longer than `maxDelay`",
        ),
        (
            STARTED.replace("deadline: 300", "deadline: -1"),
            "a waiter's `deadline` must be a positive number of seconds",
        ),
        (
            STARTED.replace("deadline: 300", "deadline: soon"),
            "a waiter's `deadline` must be a positive number",
        ),
        (
            STARTED.replace("          property: state\n", ""),
            "the waiter has no `property`",
        ),
        (
            STARTED.replace("deadline: 300", "timeout: 300"),
            "waiter `processorStarted` has an unknown key `timeout`",
        ),
        (
            STARTED.replace("processorStarted:", "processor-started:"),
            "waiter name `processor-started` is not a name in camelCase",
        ),
        (
            "      x-waiters: [processorStarted]\n".to_owned(),
            "`x-waiters` must be a mapping of waiter names to waiters",
        ),
    ];
    for (waiters, expected) in cases {
        let text = report(&spec(&waiters, ""));
        assert!(text.contains(expected), "{expected}:\n{text}");
    }
}

#[test]
fn a_waiter_must_be_on_a_get_and_must_not_take_a_taken_name() {
    let on_post = spec("", "").replace(
        "      operationId: startProcessor\n",
        &format!("      operationId: startProcessor\n{READY}"),
    );
    let text = report(&on_post);
    assert!(
        text.contains("`x-waiters` on a POST operation: a waiter repeats its operation, which must be a GET"),
        "{text}"
    );
    let twice = spec(&STARTED.replace("processorStarted", "connectionReady"), READY);
    let text = report(&twice);
    assert!(
        text.contains(
            "waiter `connectionReady` would take the name of `connectionReady`'s method `wait_until_connection_ready`"
        ),
        "{text}"
    );
}

/// A union whose variants each have an enum `state` of their own: a value of any variant's enum
/// can be waited for, one of none is refused (naming every variant's values).
#[test]
fn the_values_of_every_variant_count_when_their_enums_differ() {
    let spec = |success: &str| {
        format!(
            "openapi: 3.0.3
info: {{title: t, version: '1'}}
paths:
  /connections/{{name}}:
    get:
      operationId: getConnection
      x-waiters:
        connectionReady: {{property: state, success: [{success}], failure: [FAILED]}}
      parameters:
        - {{name: name, in: path, required: true, schema: {{type: string}}}}
      responses:
        '200':
          description: OK
          content:
            application/vnd.atlas.2023-02-01+json:
              schema: {{$ref: '#/components/schemas/Connection'}}
components:
  schemas:
    Connection:
      discriminator:
        propertyName: type
        mapping:
          Kafka: '#/components/schemas/Kafka'
          Sample: '#/components/schemas/Sample'
      oneOf:
        - $ref: '#/components/schemas/Kafka'
        - $ref: '#/components/schemas/Sample'
    Kafka:
      type: object
      properties:
        type: {{type: string}}
        state: {{type: string, enum: [PENDING, READY, FAILED]}}
    Sample:
      type: object
      properties:
        type: {{type: string}}
        state: {{type: string, enum: [ACTIVE, FAILED]}}
"
        )
    };
    let generated = generate(&spec("READY, ACTIVE"));
    assert_eq!(generated.api.waiters[0].success, ["READY", "ACTIVE"]);
    let refused = report(&spec("DONE"));
    assert!(refused.contains("`DONE` is not a value of `state`"), "{refused}");
    assert!(refused.contains("PENDING, READY, FAILED, ACTIVE"), "{refused}");
}
