//! The outline (`locate::Outline`, the fast path of placing a diagnostic's pointer) places every
//! node where the YAML parser's index does, over every spec the project has: where it answers
//! at all, its answer is the parser's. On the specs the generator is run on, which are block
//! style, it answers for every node (otherwise locating would fall back to a whole parse).

use atlas_streams_generator::locate::{Outline, PointerIndex};
use std::path::{Path, PathBuf};

/// How many of `source`'s nodes the outline places (each where the parser does), and how many
/// nodes the parser's index has.
fn placed_as_the_parser_places(name: &str, source: &str) -> (usize, usize) {
    let whole = PointerIndex::build(source);
    let mut outline = Outline::new(source);
    let mut placed = 0;
    let mut all = 0;
    for (pointer, position) in whole.positions() {
        all += 1;
        if let Some(found) = outline.position(pointer) {
            assert_eq!(found, position, "{name}: {pointer}");
            placed += 1;
        }
    }
    (placed, all)
}

fn workspace_file(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

#[test]
fn the_outline_places_every_node_of_the_specs_as_the_parser_does() {
    for spec in ["spec/atlas-streams.yaml", "spec/upstream/atlas-streams-official.yaml"] {
        let source = std::fs::read_to_string(workspace_file(spec)).unwrap();
        let (placed, all) = placed_as_the_parser_places(spec, &source);
        assert!(all > 1000, "{spec}: {all} nodes");
        assert_eq!(placed, all, "{spec}: the outline placed {placed} of {all} nodes");
    }
}

#[test]
fn where_the_outline_answers_for_a_test_spec_it_answers_as_the_parser() {
    let mut specs = 0;
    for dir in ["tests/bad_specs", "tests/fixtures"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(workspace_file(dir))
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|e| e == "yaml" || e == "yml"))
            .collect();
        files.sort();
        for file in files {
            // A few test specs are not UTF-8 on purpose (the loader's error for them is tested).
            let Ok(source) = String::from_utf8(std::fs::read(&file).unwrap()) else {
                continue;
            };
            placed_as_the_parser_places(&file.display().to_string(), &source);
            specs += 1;
        }
    }
    assert!(specs > 20, "{specs} test specs");
}

#[test]
fn a_targeted_index_is_the_parsers_whether_the_outline_or_the_parser_builds_it() {
    let source = std::fs::read_to_string(workspace_file("spec/atlas-streams.yaml")).unwrap();
    let whole = PointerIndex::build(&source);
    let mut pointers: Vec<&str> = whole.positions().map(|(p, _)| p).collect();
    pointers.sort();
    // Every 37th node, and one that does not exist (which the outline cannot vouch for).
    let mut wanted: Vec<&str> = pointers.iter().copied().step_by(37).collect();
    let outlined = PointerIndex::build_for(&source, wanted.iter().copied());
    let parsed = PointerIndex::scan_for(&source, wanted.iter().copied());
    for pointer in &wanted {
        assert_eq!(outlined.locate(pointer), parsed.locate(pointer), "{pointer}");
    }
    wanted.push("#/components/schemas/NoSuchSchema/properties/x");
    let with_missing = PointerIndex::build_for(&source, wanted.iter().copied());
    let parsed = PointerIndex::scan_for(&source, wanted.iter().copied());
    for pointer in &wanted {
        assert_eq!(with_missing.locate(pointer), parsed.locate(pointer), "{pointer}");
    }
}

#[test]
#[cfg_attr(
    not(reference_admin),
    ignore = "needs MongoDB's full Admin spec (4 MB), kept outside the repository in ../shared/reference"
)]
fn the_outline_places_every_node_of_the_admin_spec_as_the_parser_does() {
    let path = atlas_streams_workspace::reference::admin_spec().expect("cfg reference_admin");
    let source = std::fs::read_to_string(path).unwrap();
    let (placed, all) = placed_as_the_parser_places("atlas-admin-full.yaml", &source);
    assert!(all > 50_000, "{all} nodes");
    assert_eq!(placed, all, "the outline placed {placed} of {all} nodes");
}

/// Random documents (a fixed seed), written by `serde_yaml` in block style with every kind of
/// key and scalar it quotes, escapes or folds: where the outline answers, it answers as the
/// parser does.
#[test]
fn on_random_documents_the_outline_answers_as_the_parser() {
    let mut rng = Lcg(0x5eed);
    let (mut placed, mut all) = (0, 0);
    for case in 0..400 {
        // A mapping at the root, as a spec has.
        let value = serde_yaml::Value::Mapping(
            (0..1 + rng.below(6))
                .map(|_| {
                    (
                        serde_yaml::Value::String(random_text(&mut rng)),
                        random_value(&mut rng, 1),
                    )
                })
                .collect(),
        );
        let text = serde_yaml::to_string(&value).unwrap();
        let (p, a) = placed_as_the_parser_places(&format!("random document {case}:\n{text}"), &text);
        placed += p;
        all += a;
    }
    // One unreadable key makes the outline unsure of its whole mapping, and these keys are
    // often unreadable on purpose: what counts is that its many answers are the parser's.
    assert!(all > 5_000, "{all} nodes");
    assert!(placed * 5 > all, "the outline placed only {placed} of {all} nodes");
}

/// A small deterministic generator (no dependency for a test).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

fn random_text(rng: &mut Lcg) -> String {
    const PIECES: &[&str] = &[
        "a",
        "type",
        "200",
        "x-y",
        "/p/{id}:do",
        "with space",
        "colon: inside",
        "#hash",
        "- dash",
        "'q'",
        "\"dq\"",
        "tab\there",
        "line\nbreak",
        "",
        "~tilde",
        "a/b",
        "é",
        "yes",
        "null",
        "1.5",
        "[x]",
        "{y}",
        "&anchor",
        "*alias",
        "!tag",
        "? q",
        "it's",
        "trailing ",
    ];
    let count = 1 + rng.below(3);
    (0..count)
        .map(|_| PIECES[rng.below(PIECES.len() as u64) as usize])
        .collect::<Vec<_>>()
        .join("")
}

fn random_value(rng: &mut Lcg, depth: u32) -> serde_yaml::Value {
    use serde_yaml::Value;
    match if depth >= 4 { rng.below(3) } else { rng.below(6) } {
        0 => Value::String(random_text(rng)),
        1 => Value::Number((rng.below(1000) as i64 - 500).into()),
        2 => [Value::Null, Value::Bool(true)][rng.below(2) as usize].clone(),
        3 => Value::Sequence((0..rng.below(4)).map(|_| random_value(rng, depth + 1)).collect()),
        _ => Value::Mapping(
            (0..1 + rng.below(5))
                .map(|_| (Value::String(random_text(rng)), random_value(rng, depth + 1)))
                .collect(),
        ),
    }
}
