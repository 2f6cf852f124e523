//! A consumer of a crate whose key-tagged `Step` union has a `$rotate` member: builds one and
//! matches it. Checked, not run.

use atlas_streams::models::{Rotate, Step};

fn main() {
    let step = Step::from(Rotate::new().degrees(90));
    match &step {
        Step::Rotate(rotate) => println!("rotate {:?}", rotate.degrees),
        other => println!("{:?}", other.key()),
    }
}
