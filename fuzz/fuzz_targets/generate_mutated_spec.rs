//! Structure-aware fuzzing: `arbitrary` turns the fuzzer's bytes into a list of line-level
//! edits (delete, duplicate, swap, re-indent, replace a value with an OpenAPI fragment, insert
//! a key, point a `$ref` at another schema, truncate) applied to a valid spec: the real
//! `spec/atlas-streams.yaml` or a small spec that packs every construct the generator handles.
//! The edits keep most of the document valid YAML and valid OpenAPI, so the fuzzer spends its
//! time in lowering and emitting rather than in the YAML parser.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[path = "common/mod.rs"]
mod common;

const SPEC: &str = include_str!("../../spec/atlas-streams.yaml");

/// A small spec with a union, inheritance, a direction split, enums, patterns, maps, lists,
/// nullable and recursive fields, path/query/header parameters and a vendor media type.
const MINI: &str = r##"openapi: 3.0.3
info: {title: Mini, version: '1'}
paths:
  /groups/{groupId}/pets:
    parameters:
      - $ref: '#/components/parameters/groupId'
    get:
      operationId: listPets
      parameters:
        - {name: pageNum, in: query, schema: {type: integer, format: int32}}
        - {name: X-Trace, in: header, schema: {type: string}}
      responses:
        '200':
          description: OK
          content:
            application/vnd.atlas.2024-01-01+json:
              schema: {$ref: '#/components/schemas/PetPage'}
        '404': {$ref: '#/components/responses/notFound'}
    post:
      operationId: createPet
      requestBody:
        $ref: '#/components/requestBodies/NewPet'
      responses:
        '201':
          description: Created
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
  /groups/{groupId}/pets/{name}:
    delete:
      operationId: deletePet
      parameters:
        - $ref: '#/components/parameters/groupId'
        - {name: name, in: path, required: true, schema: {type: string}}
      responses:
        '204': {description: Deleted}
        default: {description: Error}
components:
  parameters:
    groupId:
      name: groupId
      in: path
      required: true
      schema: {type: string, pattern: '^[0-9a-f]{24}$'}
  requestBodies:
    NewPet:
      required: true
      content:
        application/json:
          schema: {$ref: '#/components/schemas/Pet'}
  responses:
    notFound:
      description: Not found
      content:
        application/json:
          schema: {$ref: '#/components/schemas/ApiError'}
  schemas:
    PetPage:
      type: object
      properties:
        results:
          type: array
          items: {$ref: '#/components/schemas/Pet'}
        totalCount: {type: integer}
    Pet:
      type: object
      required: [kind]
      properties:
        kind: {type: string}
        name: {type: string, readOnly: true}
        secret: {type: string, writeOnly: true}
        tags:
          type: object
          additionalProperties: {type: string}
        parent: {$ref: '#/components/schemas/Pet'}
      oneOf:
        - $ref: '#/components/schemas/Cat'
        - $ref: '#/components/schemas/Dog'
      discriminator:
        propertyName: kind
        mapping:
          cat: '#/components/schemas/Cat'
          dog: '#/components/schemas/Dog'
    Cat:
      allOf:
        - $ref: '#/components/schemas/Pet'
        - type: object
          properties:
            lives: {type: integer, format: int32, nullable: true}
            color: {$ref: '#/components/schemas/Color'}
    Dog:
      allOf:
        - $ref: '#/components/schemas/Pet'
        - type: object
          required: [bark]
          properties:
            bark: {type: boolean}
            born: {type: string, format: date-time}
            friends:
              type: array
              items: {$ref: '#/components/schemas/Dog'}
    Color:
      type: string
      enum: [red, green, blue]
    Region:
      oneOf:
        - {type: string, enum: [US_EAST_1, EU_WEST_1], title: AWS}
        - {type: string, enum: [eastus, westeurope], title: Azure}
    ApiError:
      type: object
      properties:
        errorCode: {type: string}
        detail: {type: string}
        region: {$ref: '#/components/schemas/Region'}
"##;

/// Names a mutated `$ref` or key may take: existing schemas, missing ones, odd spellings.
const NAMES: &[&str] = &[
    "Pet",
    "Cat",
    "Dog",
    "Color",
    "Region",
    "ApiError",
    "PetPage",
    "Missing",
    "type",
    "self",
    "a.b",
    "1st",
    "foo-bar",
    "Thing½",
    "size²",
    "名前",
    "",
    "~1",
    "Pet/x",
    "StreamsConnection",
    "StreamsKafkaConnection",
    "StreamsTenant",
    "StreamsProcessor",
    "DataProcessRegion",
    "StreamConfig",
    "ApiError",
];

/// Values a mutated scalar may take.
const VALUES: &[&str] = &[
    "{type: string}",
    "{type: integer, format: int64}",
    "{type: number}",
    "{type: boolean}",
    "{type: object}",
    "{type: array}",
    "{type: array, items: {type: string}}",
    "{type: banana}",
    "{type: string, enum: [a, b, '', Unknown]}",
    "{type: string, enum: [½, ①]}",
    "{type: string, pattern: '^[a-z]+$'}",
    "{type: string, pattern: '(('}",
    "{type: string, format: password}",
    "{type: string, format: date-time}",
    "{type: object, additionalProperties: true}",
    "{type: object, additionalProperties: false}",
    "{oneOf: [{type: string}, {type: integer}]}",
    "{anyOf: [{type: string}]}",
    "{allOf: []}",
    "{not: {type: string}}",
    "{nullable: true}",
    "{}",
    "[]",
    "[a, b]",
    "~",
    "null",
    "true",
    "0",
    "-1",
    "99999999999999999999999",
    "3.0.3",
    "3.1.0",
    "'2.0'",
    "''",
    "'#'",
    "'#/'",
    "'#/components/schemas'",
    "'#/components/parameters/groupId'",
    "'#/components/responses/notFound'",
    "'#/components/requestBodies/NewPet'",
    "'#/paths'",
    "other.yaml#/X",
    "path",
    "query",
    "header",
    "cookie",
    "multipart/form-data",
    "application/json",
    "application/vnd.atlas.2099-12-31+json",
    "application/vnd.atlas.2024-05-30+gzip",
    "'{a}'",
    "/x/{a}/{a}",
    "/x/{",
    "/x/}{",
    "&a [1]",
    "*a",
    "!!binary aGVsbG8=",
    "|\n  block",
    "\"\\u0000\"",
    "\t",
    "😀",
];

/// Keys an inserted line may have.
const KEYS: &[&str] = &[
    "type",
    "format",
    "items",
    "properties",
    "required",
    "additionalProperties",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "discriminator",
    "propertyName",
    "mapping",
    "$ref",
    "enum",
    "nullable",
    "readOnly",
    "writeOnly",
    "pattern",
    "title",
    "description",
    "default",
    "example",
    "deprecated",
    "operationId",
    "parameters",
    "requestBody",
    "responses",
    "content",
    "schema",
    "in",
    "name",
    "x-xgen-operation-id-override",
    "<<",
    "'200'",
    "'2XX'",
    "default",
    "get",
    "post",
    "components",
    "schemas",
    "openapi",
    "swagger",
];

#[derive(Arbitrary, Debug)]
enum Edit {
    DeleteLines { at: u16, count: u8 },
    DuplicateLine { at: u16 },
    SwapLines { a: u16, b: u16 },
    Reindent { at: u16, delta: i8 },
    ReplaceValue { at: u16, value: u8 },
    InsertKey { at: u16, indent: u8, key: u8, value: u8 },
    RetargetRef { nth: u16, name: u8 },
    RenameKey { at: u16, name: u8 },
    InsertText { at: u16, column: u8, text: String },
    Truncate { at: u32 },
}

#[derive(Arbitrary, Debug)]
struct Input {
    /// The real spec when `base % 8 == 7` (it is ~40 times larger, so it is fuzzed less often; a
    /// short input, whose missing bytes read as zeros, gets the small spec).
    base: u8,
    edits: Vec<Edit>,
}

fn pick<'a>(list: &[&'a str], i: impl Into<usize>) -> &'a str {
    list[i.into() % list.len()]
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn apply(lines: &mut Vec<String>, edit: &Edit) {
    if lines.is_empty() {
        return;
    }
    let n = lines.len();
    match edit {
        Edit::DeleteLines { at, count } => {
            let start = *at as usize % n;
            let end = (start + 1 + (*count as usize % 8)).min(n);
            lines.drain(start..end);
        }
        Edit::DuplicateLine { at } => {
            let i = *at as usize % n;
            let line = lines[i].clone();
            lines.insert(i, line);
        }
        Edit::SwapLines { a, b } => lines.swap(*a as usize % n, *b as usize % n),
        Edit::Reindent { at, delta } => {
            let line = &mut lines[*at as usize % n];
            let indent = indent_of(line) as i64 + (*delta as i64 % 5);
            *line = format!("{}{}", " ".repeat(indent.max(0) as usize), line.trim_start_matches(' '));
        }
        Edit::ReplaceValue { at, value } => {
            let line = &mut lines[*at as usize % n];
            if let Some(colon) = line.find(": ") {
                line.truncate(colon + 2);
                line.push_str(pick(VALUES, *value));
            } else if let Some(dash) = line.find("- ") {
                line.truncate(dash + 2);
                line.push_str(pick(VALUES, *value));
            }
        }
        Edit::InsertKey { at, indent, key, value } => {
            let i = *at as usize % n;
            // Mostly at the indentation of the line it goes before, so it joins that mapping.
            let indent = match indent % 4 {
                0 => indent_of(&lines[i]) + 2,
                1 => indent_of(&lines[i]).saturating_sub(2),
                _ => indent_of(&lines[i]),
            };
            let line = format!("{}{}: {}", " ".repeat(indent), pick(KEYS, *key), pick(VALUES, *value));
            lines.insert(i, line);
        }
        Edit::RetargetRef { nth, name } => {
            let refs: Vec<usize> = (0..n).filter(|&i| lines[i].contains("$ref")).collect();
            if refs.is_empty() {
                return;
            }
            let i = refs[*nth as usize % refs.len()];
            let line = &mut lines[i];
            let start = line.find("$ref").unwrap_or(0);
            let closing = if line[start..].contains('}') { "}" } else { "" };
            line.truncate(start);
            line.push_str(&format!("$ref: '#/components/schemas/{}'{closing}", pick(NAMES, *name)));
        }
        Edit::RenameKey { at, name } => {
            let line = &mut lines[*at as usize % n];
            if let Some(colon) = line.find(':') {
                let indent = indent_of(line);
                if indent < colon {
                    let rest = line[colon..].to_owned();
                    *line = format!("{}{}{rest}", " ".repeat(indent), pick(NAMES, *name));
                }
            }
        }
        Edit::InsertText { at, column, text } => {
            let line = &mut lines[*at as usize % n];
            let mut column = (*column as usize).min(line.len());
            while !line.is_char_boundary(column) {
                column -= 1;
            }
            line.insert_str(column, text);
        }
        Edit::Truncate { at } => {
            let keep = (*at as usize % n).max(1);
            lines.truncate(keep);
        }
    }
}

fuzz_target!(|input: Input| {
    let base = if input.base % 8 == 7 { SPEC } else { MINI };
    let mut lines: Vec<String> = base.lines().map(str::to_owned).collect();
    for edit in input.edits.iter().take(16) {
        apply(&mut lines, edit);
    }
    let mut text = lines.join("\n");
    text.push('\n');
    common::generate(&text);
});
